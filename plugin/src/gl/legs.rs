//! The legs of each kind of transaction, as a table ([`of`]): which
//! accounts its posting debits and credits, with which of its amounts, and
//! when. [`super::posting`] resolves the accounts, checks them and converts
//! the amounts; what a kind posts is written here only.
//!
//! A positive line amount is a debit, a negative one a credit. Every kind
//! balances: its legs' amounts sum to zero (the tests post each kind).

use super::pack::Entry;
use crate::bindings::exports::erp::customer_group::gl::{LineRole, TransactionKind};

/// The most legs a kind has: the length of a posting's leg array.
pub(super) const MAX_LEGS: usize = 3;

/// Where a leg's account comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// The customer's GL Debtor: the group's effective receivable account.
    /// Every kind resolves it first, whether it posts to it or not.
    Debtor,
    /// The group's effective account setting of the leg's role
    /// ([`crate::accounts::ROLES`]).
    Setting,
    /// The account the transaction names; it must name one.
    Named,
    /// The account the transaction names, else the group's setting of the
    /// leg's role.
    NamedOrSetting,
    /// The transaction's tax account; it must name one.
    TaxAccount,
}

/// Which of the transaction's amounts a leg posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// The amount (tax included).
    Gross,
    /// The amount without its tax.
    Net,
    /// The tax.
    Tax,
    /// What the customer paid: the amount less the settlement discount.
    Paid,
    /// The settlement discount.
    Discount,
}

/// Which way a leg posts its part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// The part as it is: a debit.
    Debit,
    /// The part negated: a credit.
    Credit,
    /// The part negated, checked: a journal's amount may be any amount but
    /// 0, and the most negative one has no negation (`gl.amount-overflow`).
    Reverse,
}

/// When a kind has a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// Always.
    Always,
    /// When the transaction has tax.
    Taxed,
    /// When the receipt has a settlement discount.
    Discounted,
    /// When the transaction names an account.
    Named,
    /// When it names none.
    Unnamed,
}

/// One leg of a kind's posting.
#[derive(Clone, Copy, Debug)]
pub(super) struct Leg {
    /// What the line does.
    pub(super) role: LineRole,
    /// Where its account comes from.
    pub(super) from: Source,
    /// Which amount it posts.
    pub(super) part: Part,
    /// Which way.
    pub(super) side: Side,
    /// When the kind has it.
    pub(super) when: When,
}

const fn leg(role: LineRole, from: Source, part: Part, side: Side, when: When) -> Leg {
    Leg {
        role,
        from,
        part,
        side,
        when,
    }
}

/// The legs of `kind`, in the order of its lines.
pub(super) fn of(kind: TransactionKind) -> &'static [Leg] {
    use LineRole as R;
    use Part::{Discount, Gross, Net, Paid};
    use Side::{Credit, Debit, Reverse};
    use Source::{Debtor, Named, NamedOrSetting, Setting, TaxAccount};
    use When::{Always, Discounted, Taxed, Unnamed};
    const INVOICE: &[Leg] = &[
        leg(R::Receivable, Debtor, Gross, Debit, Always),
        leg(R::Sales, Named, Net, Credit, Always),
        leg(R::Tax, TaxAccount, Part::Tax, Credit, Taxed),
    ];
    const CREDIT_NOTE: &[Leg] = &[
        leg(R::Receivable, Debtor, Gross, Credit, Always),
        leg(R::Sales, Named, Net, Debit, Always),
        leg(R::Tax, TaxAccount, Part::Tax, Debit, Taxed),
    ];
    const JOURNAL: &[Leg] = &[
        leg(R::Receivable, Debtor, Gross, Debit, Always),
        leg(R::Journal, Named, Gross, Reverse, Always),
    ];
    // Seed 004: credit GL Debtor gross, debit the bank net, debit GL
    // Discount with the difference.
    const RECEIPT: &[Leg] = &[
        leg(R::Receivable, Debtor, Gross, Credit, Always),
        leg(R::Bank, NamedOrSetting, Paid, Debit, Always),
        leg(R::SettlementDiscount, Setting, Discount, Debit, Discounted),
    ];
    const WRITE_OFF: &[Leg] = &[
        leg(R::WriteOff, Setting, Gross, Debit, Always),
        leg(R::Receivable, Debtor, Gross, Credit, Always),
    ];
    const SALES_DISCOUNT: &[Leg] = &[
        leg(R::SalesDiscount, Setting, Gross, Debit, Always),
        leg(R::Receivable, Debtor, Gross, Credit, Always),
    ];
    // Credited to the account the transaction names (e.g. a gift from
    // stock), else to the customer.
    const REWARD: &[Leg] = &[
        leg(R::Reward, Setting, Gross, Debit, Always),
        leg(R::RewardSource, Named, Gross, Credit, When::Named),
        leg(R::Receivable, Debtor, Gross, Credit, Unnamed),
    ];
    match kind {
        TransactionKind::Invoice => INVOICE,
        TransactionKind::CreditNote => CREDIT_NOTE,
        TransactionKind::Journal => JOURNAL,
        TransactionKind::Receipt => RECEIPT,
        TransactionKind::WriteOff => WRITE_OFF,
        TransactionKind::SalesDiscount => SALES_DISCOUNT,
        TransactionKind::Reward => REWARD,
    }
}

/// A text that says something: not empty, not only spaces.
pub(super) fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

impl When {
    /// Whether `tx` has the leg.
    pub(super) fn holds(self, tx: &Entry<'_>) -> bool {
        match self {
            When::Always => true,
            When::Taxed => tx.tax != 0,
            When::Discounted => tx.discount != 0,
            When::Named => given(tx.account).is_some(),
            When::Unnamed => given(tx.account).is_none(),
        }
    }
}

impl Leg {
    /// The leg's signed amount in the transaction's currency; none when a
    /// reversal overflows.
    ///
    /// Within the amounts each kind allows (`check_amounts`) only a
    /// journal's reversal can overflow. Outside them the transaction is
    /// refused already; the arithmetic wraps so that its legs are still
    /// checked, and nothing panics.
    pub(super) fn amount(&self, tx: &Entry<'_>) -> Option<i64> {
        let part = match self.part {
            Part::Gross => tx.amount,
            Part::Net => tx.amount.wrapping_sub(tx.tax),
            Part::Tax => tx.tax,
            Part::Paid => tx.amount.wrapping_sub(tx.discount),
            Part::Discount => tx.discount,
        };
        match self.side {
            Side::Debit => Some(part),
            Side::Credit => Some(part.wrapping_neg()),
            Side::Reverse => part.checked_neg(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [TransactionKind; 7] = [
        TransactionKind::Invoice,
        TransactionKind::CreditNote,
        TransactionKind::Journal,
        TransactionKind::Receipt,
        TransactionKind::WriteOff,
        TransactionKind::SalesDiscount,
        TransactionKind::Reward,
    ];

    #[test]
    fn every_kind_balances_and_fits_the_leg_array() {
        for kind in KINDS {
            assert!(of(kind).len() <= MAX_LEGS, "{kind:?}");
            for account in [None, Some("4000")] {
                let tx = Entry {
                    id: 1,
                    kind,
                    date: "2026-03-01",
                    customer: "C1",
                    group: "L001",
                    currency: "IDR",
                    rate_nanos: Some(crate::money::RATE_ONE),
                    amount: 1_000,
                    tax: 100,
                    discount: 30,
                    account,
                    tax_account: Some("2300"),
                    reference: "R1",
                };
                let legs: Vec<i64> = of(kind)
                    .iter()
                    .filter(|l| l.when.holds(&tx))
                    .map(|l| l.amount(&tx).expect("in range"))
                    .collect();
                assert_eq!(
                    legs.iter().sum::<i64>(),
                    0,
                    "{kind:?} {account:?}: {legs:?}"
                );
                assert!(legs.len() >= 2, "{kind:?} {account:?}: {legs:?}");
            }
        }
    }
}
