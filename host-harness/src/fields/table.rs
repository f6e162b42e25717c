//! The table itself: each field of the form by its name, with its place in
//! the record. The one list of the form's fields on the host side; a test
//! (`fields::check`, run against the bundled plugin) keeps it the form's,
//! in the form's order.
//!
//! A setting of an existing shape (text, money, a count, a unit) is one
//! line here: its name and the record's member it lives in. A new shape of
//! value (a new record type in the contract) needs its place in
//! [`super::Place`] too.

use super::{Field, Lens, Part, Place, Rules, Shape};

/// An optional member of the settings record, by name.
macro_rules! lens {
    ($member:ident) => {
        Lens {
            get: |s| &s.$member,
            get_mut: |s| &mut s.$member,
        }
    };
}

/// One of the group's own fields.
const fn own(name: &'static str, place: Place, shape: Shape) -> Field {
    Field {
        name,
        setting: None,
        shape,
        aliases: &[],
        place,
    }
}

/// A setting of one field.
const fn setting(name: &'static str, place: Place, shape: Shape) -> Field {
    Field {
        name,
        setting: Some(name),
        shape,
        aliases: &[],
        place,
    }
}

/// A field that is a part of setting `of`.
const fn part(name: &'static str, of: &'static str, place: Place, shape: Shape) -> Field {
    Field {
        name,
        setting: Some(of),
        shape,
        aliases: &[],
        place,
    }
}

const fn text(name: &'static str, lens: Lens<String>) -> Field {
    setting(name, Place::Text(lens), Shape::Text)
}

/// An account setting: the command line also takes its name without
/// `-account` (`--receivable`), as it always has.
const fn account(name: &'static str, alias: &'static [&'static str], lens: Lens<String>) -> Field {
    Field {
        aliases: alias,
        ..text(name, lens)
    }
}

const fn money(name: &'static str, lens: Lens<i64>) -> Field {
    setting(name, Place::Money(lens), Shape::Money)
}

/// A setting that is yes, no, or inherited.
const fn switch(name: &'static str, lens: Lens<bool>) -> Field {
    setting(name, Place::Switch(lens), Shape::Flag)
}

const fn rules(rules: Rules) -> Field {
    setting(rules.name(), Place::Rules(rules), Shape::Rows(rules))
}

const DUE: &str = "due-terms";
const DISCOUNT: &str = "prompt-payment-discount";

/// Every field, in the form's order.
pub(super) const FIELDS: &[Field] = &[
    own("code", Place::Code, Shape::Text),
    own("name", Place::Name, Shape::Text),
    own("parent", Place::Parent, Shape::Text),
    Field {
        aliases: &["group-node"],
        ..own("is-group", Place::IsGroup, Shape::Flag)
    },
    own("inactive", Place::Inactive, Shape::Flag),
    text("currency", lens!(currency)),
    account(
        "receivable-account",
        &["receivable"],
        lens!(receivable_account),
    ),
    account("discount-account", &["discount"], lens!(discount_account)),
    account(
        "sales-discount-account",
        &["sales-discount"],
        lens!(sales_discount_account),
    ),
    account(
        "reward-expense-account",
        &["reward-expense"],
        lens!(reward_expense_account),
    ),
    account(
        "write-off-account",
        &["write-off"],
        lens!(write_off_account),
    ),
    account("bank-account", &["bank"], lens!(bank_account)),
    text("price-list", lens!(price_list)),
    text("price-code", lens!(price_code)),
    text("payment-terms", lens!(payment_terms)),
    money("credit-limit", lens!(credit_limit)),
    money("shared-credit-limit", lens!(shared_credit_limit)),
    switch("bypass-credit-check", lens!(bypass_credit_check)),
    switch("credit-counts-unposted", lens!(credit_counts_unposted)),
    part("due-count", DUE, Place::Due(Part::Count), Shape::Count),
    part("due-unit", DUE, Place::Due(Part::Unit), Shape::Unit),
    part("due-day", DUE, Place::Due(Part::Day), Shape::Day),
    setting(
        "statement-count",
        Place::Count(lens!(statement_count)),
        Shape::Count,
    ),
    setting(
        "statement-aging",
        Place::Unit(lens!(statement_aging)),
        Shape::Unit,
    ),
    text("tax-regime", lens!(tax_regime)),
    text("gst-override", lens!(gst_override)),
    text("peppol-eas", lens!(peppol_eas)),
    part(
        "payment-discount",
        DISCOUNT,
        Place::DiscountPercent,
        Shape::Percent,
    ),
    part(
        "discount-count",
        DISCOUNT,
        Place::Discount(Part::Count),
        Shape::Count,
    ),
    part(
        "discount-unit",
        DISCOUNT,
        Place::Discount(Part::Unit),
        Shape::Unit,
    ),
    part(
        "discount-day",
        DISCOUNT,
        Place::Discount(Part::Day),
        Shape::Day,
    ),
    rules(Rules::SalesDiscount),
    rules(Rules::PaymentDiscount),
    Field {
        aliases: &["gift-rule"],
        ..rules(Rules::ProductGift)
    },
    rules(Rules::Points),
];
