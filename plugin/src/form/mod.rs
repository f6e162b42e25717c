//! The form definition: menu placement, list view, search, sections, fields
//! and toolbar, with captions in every supported locale.
//!
//! The field table here is the single source of field names, labels and
//! lengths; validation messages take their field captions from it.

use crate::bindings::exports::erp::customer_group::form::{
    Action, Choice, Column, Field, FormDefinition, ListColumn, MatchModeOption, MenuEntry,
    SearchKey, Section,
};
use crate::i18n::{Locale, Text, t};

mod fields;
mod list;
mod spec;

use fields::{FIELDS, INHERITS};
use list::{ACTIONS, LIST_COLUMNS, MATCH_MODES, SEARCH_KEYS};
use spec::Options;

/// The form's stable id.
pub const FORM_ID: &str = "customergroup";
/// The route the menu entry opens.
pub const ROUTE: &str = "/form/customergroup";
/// The longest code: 8 letters or digits (seed 004).
pub const CODE_MAX: usize = 8;
/// The longest group name.
pub const NAME_MAX: usize = 60;

/// Field names, as validation issues and the host refer to them.
pub mod field {
    /// Group code.
    pub const CODE: &str = "code";
    /// Group name (seed 002: Description).
    pub const NAME: &str = "name";
    /// Parent group.
    pub const PARENT: &str = "parent";
    /// Group node flag.
    pub const IS_GROUP: &str = "is-group";
    /// Inactive flag.
    pub const INACTIVE: &str = "inactive";
    /// Currency.
    pub const CURRENCY: &str = "currency";
    /// Credit limit.
    pub const CREDIT_LIMIT: &str = "credit-limit";
    /// Credit limit shared by the group and its descendants.
    pub const SHARED_CREDIT_LIMIT: &str = "shared-credit-limit";
    /// Whether invoices over a credit limit are entered anyway.
    pub const BYPASS_CREDIT_CHECK: &str = "bypass-credit-check";
    /// Whether unposted transactions count against credit limits.
    pub const CREDIT_COUNTS_UNPOSTED: &str = "credit-counts-unposted";
    /// Due count.
    pub const DUE_COUNT: &str = "due-count";
    /// Due day.
    pub const DUE_DAY: &str = "due-day";
    /// Statement count.
    pub const STATEMENT_COUNT: &str = "statement-count";
    /// Peppol EAS code.
    pub const PEPPOL_EAS: &str = "peppol-eas";
    /// Prompt payment discount percent.
    pub const PAYMENT_DISCOUNT: &str = "payment-discount";
    /// Prompt payment discount period count.
    pub const DISCOUNT_COUNT: &str = "discount-count";
    /// Prompt payment discount day.
    pub const DISCOUNT_DAY: &str = "discount-day";
    /// The record as a whole, for issues that concern no single field.
    pub const RECORD: &str = "record";
}

const MENU_PATH: [Text; 3] = [
    t("Sales & POS", "Penjualan & POS"),
    t("Customers & Sales Team", "Pelanggan & Tim Penjualan"),
    t("Customer Group", "Kelompok Pelanggan"),
];

const SECTIONS: [(&str, Text); 7] = [
    ("general", t("General", "Umum")),
    ("accounting", t("Accounting", "Akuntansi")),
    ("pricing-terms", t("Pricing & Terms", "Harga & Syarat")),
    ("tax", t("Tax & e-Invoicing", "Pajak & e-Faktur")),
    ("rewards", t("Rewards & Discounts", "Hadiah & Potongan")),
    ("customers", t("Customers", "Pelanggan")),
    ("audit", t("Audit", "Audit")),
];

const PERIOD_UNITS: &[(&str, Text)] = &[
    ("days", t("Days", "Hari")),
    ("weeks", t("Weeks", "Minggu")),
    ("months", t("Months", "Bulan")),
];

/// The longest code of another record a setting may name.
pub const REFERENCE_MAX: usize = 40;

fn options(options: Options, locale: Locale) -> Vec<Choice> {
    match options {
        Options::None => Vec::new(),
        Options::PeriodUnits => PERIOD_UNITS
            .iter()
            .map(|(value, label)| Choice {
                value: (*value).to_owned(),
                label: label.get(locale).to_owned(),
            })
            .collect(),
        Options::EasCodes => crate::eas::CODES
            .iter()
            .map(|(code, scheme)| Choice {
                value: (*code).to_owned(),
                label: format!("{code} {scheme}"),
            })
            .collect(),
    }
}

/// The caption of field `name` in `locale`, or the name itself for an unknown field.
pub fn label(name: &str, locale: Locale) -> &str {
    FIELDS
        .iter()
        .find(|f| f.name == name)
        .map_or(name, |f| f.label.get(locale))
}

/// Whether the field (or setting) `name` is kept per company.
pub fn is_per_company(name: &str) -> bool {
    FIELDS.iter().any(|f| f.name == name && f.per_company)
}

/// The whole form definition with captions in `locale`.
pub fn definition(locale: Locale) -> FormDefinition {
    let s = |text: &Text| text.get(locale).to_owned();
    FormDefinition {
        id: FORM_ID.to_owned(),
        locale: locale.tag().to_owned(),
        title: s(&MENU_PATH[2]),
        description: s(&t(
            "Create and manage groups of customers for reporting, promotions and \
             receivables: each group carries the GL accounts its customers' transactions \
             post to.",
            "Buat dan kelola kelompok pelanggan untuk laporan, promosi, dan piutang: setiap \
             kelompok membawa akun buku besar tempat transaksi pelanggannya dibukukan.",
        )),
        menu: MenuEntry {
            path: MENU_PATH.iter().map(s).collect(),
            route: ROUTE.to_owned(),
        },
        list_columns: LIST_COLUMNS
            .iter()
            .map(|(field, text, visible)| ListColumn {
                field: (*field).to_owned(),
                label: s(text),
                default_visible: *visible,
            })
            .collect(),
        search_keys: SEARCH_KEYS
            .iter()
            .map(|name| SearchKey {
                field: (*name).to_owned(),
                label: label(name, locale).to_owned(),
            })
            .collect(),
        match_modes: MATCH_MODES
            .iter()
            .map(|(mode, text)| MatchModeOption {
                mode: *mode,
                label: s(text),
            })
            .collect(),
        sections: SECTIONS
            .iter()
            .map(|(name, text)| Section {
                name: (*name).to_owned(),
                label: s(text),
            })
            .collect(),
        fields: FIELDS
            .iter()
            .map(|f| Field {
                name: f.name.to_owned(),
                label: s(&f.label),
                help: if f.inheritable {
                    format!("{} {}", s(&f.help), s(&INHERITS))
                } else {
                    s(&f.help)
                },
                kind: f.kind,
                section: f.section.to_owned(),
                required: f.required,
                inheritable: f.inheritable,
                read_only: f.read_only,
                immutable: f.immutable,
                max_length: f.max_length.map(|n| n as u32),
                lookup: f.lookup.map(str::to_owned),
                quick_create: f.quick_create.map(str::to_owned),
                options: options(f.options, locale),
                columns: f
                    .columns
                    .iter()
                    .map(|c| Column {
                        name: c.name.to_owned(),
                        label: s(&c.label),
                        kind: c.kind,
                        required: c.required,
                        options: Vec::new(),
                        lookup: c.lookup.map(str::to_owned),
                    })
                    .collect(),
                needs: f.needs,
                per_company: f.per_company,
            })
            .collect(),
        actions: ACTIONS
            .iter()
            .map(|(name, text, help)| Action {
                name: (*name).to_owned(),
                label: s(text),
                help: s(help),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_and_route_follow_the_seed() {
        let form = definition(Locale::En);
        assert_eq!(
            form.menu.path,
            ["Sales & POS", "Customers & Sales Team", "Customer Group"]
        );
        assert_eq!(form.menu.route, "/form/customergroup");
        assert_eq!(form.id, "customergroup");
    }

    #[test]
    fn every_section_is_used_and_every_field_has_a_known_section() {
        let form = definition(Locale::En);
        for section in &form.sections {
            assert!(form.fields.iter().any(|f| f.section == section.name));
        }
        for field in &form.fields {
            assert!(form.sections.iter().any(|s| s.name == field.section));
        }
    }

    #[test]
    fn indonesian_differs_from_english_where_it_should() {
        let en = definition(Locale::En);
        let id = definition(Locale::Id);
        assert_eq!(id.title, "Kelompok Pelanggan");
        assert_eq!(en.fields.len(), id.fields.len());
        for (a, b) in en.fields.iter().zip(&id.fields) {
            assert_eq!(a.name, b.name);
            assert_ne!(a.help, b.help, "{} has untranslated help", a.name);
        }
    }

    #[test]
    fn account_fields_offer_lookup_and_quick_create() {
        let form = definition(Locale::En);
        let accounts: Vec<_> = form
            .fields
            .iter()
            .filter(|f| f.lookup.as_deref() == Some("account"))
            .collect();
        assert_eq!(accounts.len(), 6);
        assert!(
            accounts
                .iter()
                .all(|f| f.quick_create.as_deref() == Some("/form/account"))
        );
        let required: Vec<_> = accounts
            .iter()
            .filter(|f| f.required)
            .map(|f| &f.name)
            .collect();
        assert_eq!(
            required,
            [
                "receivable-account",
                "sales-discount-account",
                "reward-expense-account",
                "write-off-account"
            ]
        );
    }

    /// Which fields need which right to change: the accounts, the credit
    /// limits and what counts against them, accounting; letting invoices
    /// past the check, credit control; nothing else.
    #[test]
    fn fields_that_need_a_right_say_which() {
        use crate::bindings::exports::erp::customer_group::form::FieldRight::{
            Accounting, CreditControl,
        };
        let form = definition(Locale::En);
        let marked: Vec<(&str, _)> = form
            .fields
            .iter()
            .filter_map(|f| Some((f.name.as_str(), f.needs?)))
            .collect();
        assert_eq!(
            marked,
            [
                ("receivable-account", Accounting),
                ("discount-account", Accounting),
                ("sales-discount-account", Accounting),
                ("reward-expense-account", Accounting),
                ("write-off-account", Accounting),
                ("bank-account", Accounting),
                ("credit-limit", Accounting),
                ("shared-credit-limit", Accounting),
                ("bypass-credit-check", CreditControl),
                ("credit-counts-unposted", Accounting),
            ]
        );
        assert_eq!(
            definition(Locale::Id)
                .fields
                .iter()
                .filter(|f| f.needs.is_some())
                .count(),
            marked.len()
        );
    }

    /// The fields that may differ per company: the GL accounts and the
    /// credit limits with what counts against them (ERPNext's `accounts`
    /// and `credit_limits` tables of a customer group); in every locale.
    #[test]
    fn accounts_and_credit_are_per_company() {
        for locale in [Locale::En, Locale::Id] {
            let per: Vec<String> = definition(locale)
                .fields
                .into_iter()
                .filter(|f| f.per_company)
                .map(|f| f.name)
                .collect();
            assert_eq!(
                per,
                [
                    "receivable-account",
                    "discount-account",
                    "sales-discount-account",
                    "reward-expense-account",
                    "write-off-account",
                    "bank-account",
                    "credit-limit",
                    "shared-credit-limit",
                    "bypass-credit-check",
                    "credit-counts-unposted",
                ]
            );
            assert!(per.iter().all(|name| is_per_company(name)));
        }
    }
}
