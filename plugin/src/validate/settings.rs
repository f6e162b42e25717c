//! The settings rules of a group (and of the AR settings): accounts, with
//! what a blank one resolves to, references to the host's master data,
//! credit limits, periods, the Peppol EAS, the rule tables ([`crate::rules`]),
//! and a change of currency while customers trade in another.

use super::Validator;
use crate::accounts::{self, Role, Scope};
use crate::bindings::erp::customer_group::types::{CustomerGroup, ReferenceKind, Settings};
use crate::facts::{Facts, Tree};
use crate::form::{self, REFERENCE_MAX, field};
use crate::i18n::msg;
use crate::issues::Issues;
use crate::money::{FULL_PERCENT, percent_text};
use crate::{eas, inherit, model, rules};

impl<F: Facts> Validator<'_, F> {
    pub(super) fn check_settings(
        &self,
        group: &CustomerGroup,
        ancestors: Option<&[CustomerGroup]>,
        require_accounts: bool,
        issues: &mut Issues,
    ) {
        let s = &group.settings;
        let locale = self.locale;
        for role in accounts::settings() {
            let required = role.required() && require_accounts;
            self.check_account(role, s, ancestors, required, issues);
        }
        if let Some(currency) = &s.currency
            && (currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            issues.error(
                field::CURRENCY,
                "currency.invalid",
                msg!(
                    locale,
                    "currency {currency:?} is not an ISO 4217 code of three letters, e.g. IDR",
                    "mata uang {currency:?} bukan kode ISO 4217 tiga huruf, mis. IDR",
                ),
            );
        } else {
            self.check_reference(
                field::CURRENCY,
                ReferenceKind::Currency,
                &s.currency,
                issues,
            );
        }
        for (name, kind, value) in [
            ("price-list", ReferenceKind::PriceList, &s.price_list),
            ("price-code", ReferenceKind::PriceCode, &s.price_code),
            (
                "payment-terms",
                ReferenceKind::PaymentTerms,
                &s.payment_terms,
            ),
            ("tax-regime", ReferenceKind::TaxRegime, &s.tax_regime),
            ("gst-override", ReferenceKind::TaxCode, &s.gst_override),
        ] {
            self.check_reference(name, kind, value, issues);
        }
        for (field, limit) in [
            (field::CREDIT_LIMIT, s.credit_limit),
            (field::SHARED_CREDIT_LIMIT, s.shared_credit_limit),
        ] {
            // No amount in the message: the plugin does not know the
            // currency's decimals, and minor units would mislead.
            if let Some(limit) = limit
                && limit < 0
            {
                let label = form::label(field, locale);
                issues.error(
                    field,
                    &format!("{field}.negative"),
                    msg!(
                        locale,
                        "{label} cannot be negative",
                        "{label} tidak boleh negatif",
                    ),
                );
            }
        }
        if let Some(terms) = &s.due_terms {
            rules::period(terms, field::DUE_COUNT, field::DUE_DAY, 0, locale, issues);
        }
        if let Some(discount) = &s.prompt_payment_discount {
            let bp = discount.percent;
            if bp == 0 || bp > FULL_PERCENT {
                let shown = percent_text(bp);
                issues.error(
                    field::PAYMENT_DISCOUNT,
                    "percent.out-of-range",
                    msg!(
                        locale,
                        "payment discount {shown} is not above 0% and at most 100%",
                        "potongan pembayaran {shown} tidak di atas 0% dan paling banyak 100%",
                    ),
                );
            }
            rules::period(
                &discount.within,
                field::DISCOUNT_COUNT,
                field::DISCOUNT_DAY,
                1,
                locale,
                issues,
            );
        }
        if let Some(count) = s.statement_count
            && !(1..=12).contains(&count)
        {
            issues.error(
                field::STATEMENT_COUNT,
                "statement-count.out-of-range",
                msg!(
                    locale,
                    "statement count {count} is out of range; use 1 to 12",
                    "jumlah laporan tagihan {count} di luar rentang; gunakan 1 sampai 12",
                ),
            );
        }
        if let Some(eas) = &s.peppol_eas
            && !eas::is_known(eas)
        {
            issues.error(
                field::PEPPOL_EAS,
                "peppol-eas.unknown",
                msg!(
                    locale,
                    "{eas:?} is not a Peppol EAS code; e.g. 0088 (GLN), 0195 (Singapore UEN), 9957 (French VAT)",
                    "{eas:?} bukan kode EAS Peppol; mis. 0088 (GLN), 0195 (UEN Singapura), 9957 (PPN Prancis)",
                ),
            );
        }
        if let Some(rows) = &s.sales_discount_rules {
            rules::sales_discount(rows, locale, issues);
        }
        if let Some(rows) = &s.payment_discount_rules {
            rules::payment_discount(rows, locale, issues);
        }
        if let Some(rows) = &s.product_gift_rules {
            rules::product_gift(rows, locale, issues, |product| {
                self.facts()
                    .reference_exists(ReferenceKind::Product, product)
            });
        }
        if let Some(rows) = &s.points_rules {
            rules::points(rows, locale, issues);
        }
    }

    fn check_reference(
        &self,
        name: &str,
        kind: ReferenceKind,
        value: &Option<String>,
        issues: &mut Issues,
    ) {
        let Some(code) = value else { return };
        let label = || form::label(name, self.locale);
        let len = code.chars().count();
        if len > REFERENCE_MAX {
            let label = label();
            issues.error(
                name,
                "reference.too-long",
                msg!(
                    self.locale,
                    "{label} has {len} characters; at most {REFERENCE_MAX} are allowed",
                    "{label} berisi {len} karakter; paling banyak {REFERENCE_MAX}",
                ),
            );
        } else if !self.facts().reference_exists(kind, code) {
            let label = label();
            issues.error(
                name,
                "reference.unknown",
                msg!(
                    self.locale,
                    "{label}: {code:?} does not exist",
                    "{label}: {code:?} tidak ada",
                ),
            );
        }
    }

    /// Checks one account setting: its own value, or else what it resolves to
    /// (an ancestor's, or the AR settings default), which must be usable too.
    fn check_account(
        &self,
        role: &Role,
        settings: &Settings,
        ancestors: Option<&[CustomerGroup]>,
        required: bool,
        issues: &mut Issues,
    ) {
        let name = role.field;
        let caption = || form::label(name, self.locale);
        if let Some(code) = model::account(settings, name) {
            self.check_account_code(role, caption, code, issues);
            return;
        }
        // A broken parent chain is reported already; what it resolves to is unknown.
        let Some(ancestors) = ancestors else { return };
        if let Some(ancestor) = ancestors
            .iter()
            .find(|a| model::account(&a.settings, name).is_some())
        {
            let from = &ancestor.code;
            let label = || {
                let label = caption();
                msg!(
                    self.locale,
                    "{label} (inherited from {from})",
                    "{label} (diwarisi dari {from})",
                )
            };
            let code = model::account(&ancestor.settings, name).unwrap_or_default();
            self.check_account_code(role, label, code, issues);
        } else if let Some(code) = model::account(self.settings(), name) {
            let label = || {
                let label = caption();
                msg!(
                    self.locale,
                    "{label} (AR settings default)",
                    "{label} (bawaan pengaturan piutang)",
                )
            };
            self.check_account_code(role, label, code, issues);
        } else if required {
            let label = caption();
            issues.error(
                name,
                "account.required",
                msg!(
                    self.locale,
                    "{label} is required: choose an account, set one on a parent group, or set a default in the AR settings",
                    "{label} wajib diisi: pilih akun, tetapkan pada kelompok induk, atau tetapkan akun bawaan di pengaturan piutang",
                ),
            );
        }
    }

    /// The account check ([`accounts::check`]) of account `code` in `role`.
    fn check_account_code<S: std::fmt::Display>(
        &self,
        role: &Role,
        label: impl Fn() -> S,
        code: &str,
        issues: &mut Issues,
    ) {
        let account = self.facts().account(code);
        accounts::check(
            Scope::Setting,
            role,
            code,
            account.as_ref(),
            label,
            self.locale,
            |rule, message| issues.error(role.field, rule, message),
        );
    }

    /// Customers have their group's currency: a change of the currency a
    /// group resolves to is refused while customers of the group, or of
    /// descendants inheriting it, trade in another.
    pub(super) fn check_currency_change(
        &self,
        group: &CustomerGroup,
        stored: &CustomerGroup,
        ancestors: &[CustomerGroup],
        issues: &mut Issues,
    ) {
        let defaults = self.settings();
        let (new, _) = inherit::resolve(&group.settings, ancestors, defaults);
        let stored_ancestors = Tree::new(self.facts())
            .ancestors(&stored.code, stored.parent.as_deref())
            .unwrap_or_default();
        let (old, _) = inherit::resolve(&stored.settings, &stored_ancestors, defaults);
        let Some(currency) = new.currency else { return };
        if old.currency.as_deref() == Some(currency.as_str()) {
            return;
        }
        // The group and every descendant that inherits its currency.
        let mut affected = vec![group.code.clone()];
        let mut queue = vec![group.code.clone()];
        while let Some(code) = queue.pop() {
            for child in self.tree.children(&code) {
                if let Some(g) = self.tree.group(&child)
                    && g.settings.currency.is_none()
                    && !affected.contains(&child)
                {
                    affected.push(child.clone());
                    queue.push(child);
                }
            }
        }
        let mismatched: usize = affected
            .iter()
            .map(|code| {
                self.facts()
                    .customers(code)
                    .iter()
                    .filter(|c| c.currency != currency)
                    .count()
            })
            .sum();
        if mismatched > 0 {
            let code = &group.code;
            issues.error(
                field::CURRENCY,
                "currency.customers-differ",
                msg!(
                    self.locale,
                    "group {code} cannot change to {currency}: {mismatched} of its customers (including those of child groups that inherit the currency) trade in another currency; customers must have their group's currency",
                    "kelompok {code} tidak dapat diubah ke {currency}: {mismatched} pelanggannya (termasuk pelanggan sub-kelompok yang mewarisi mata uang) memakai mata uang lain; pelanggan harus memakai mata uang kelompoknya",
                ),
            );
        }
    }
}
