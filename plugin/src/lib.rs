//! The Customer Group plugin: a WebAssembly component that gives a host ERP
//! the Customer Group master-data module.
//!
//! This file is only the `wit-bindgen` glue. The domain lives in plain modules
//! that compile and unit-test natively, one job each:
//! - [`form`]: the form definition (menu, list, search, sections, fields);
//! - [`validate`]: validation of proposed changes and of the AR settings,
//!   after [`normalize`]; [`rules`]: the rule tables and periods;
//!   [`accounts`]: the one account check (settings and postings);
//!   [`issues`]: the issues collector;
//! - [`inherit`]: settings resolved through the group tree, with provenance;
//! - [`lifecycle`]: the toolbar's operations on a group and its customers;
//! - [`gl`]: the posting rules of receivables transactions, prompt-payment
//!   discounts and the credit check;
//! - [`facts`]: what the rules ask the host, and the tree a batch leaves;
//! - [`model`]: the inheritable settings, listed once; [`date`]: dates and
//!   periods; [`money`]: amounts, percentages, rates; [`eas`]: the Peppol EAS
//!   list; [`i18n`]: locales.
//!
//! # Layers
//!
//! A module imports only from the layers below its own: never from its own
//! layer, never from above, tests included. The workspace's `tests/layers.rs` reads this
//! list and the sources and fails otherwise. A submodule not listed belongs
//! to its parent (`validate/settings.rs` is part of `validate`). Bottom
//! first:
//!
//! 1. `bindings`, `i18n`, `money`, `eas`: the contract's generated types,
//!    locales and `msg!` (the host compiles `i18n.rs` too), amounts,
//!    percentages and rates, the EAS code list. They import nothing of the
//!    crate.
//! 2. `date`, `issues`, `model`, `normalize`: values: dates and periods, the
//!    issues collector, the settings table, normalisation.
//! 3. `facts`, `form`, `accounts`, `rules`: the host's facts and the tree,
//!    the form and its captions, the account check, the rule tables.
//! 4. `inherit`: settings resolved through the tree.
//! 5. `gl::pack`, `gl::context`, `gl::testing`: a batch both ways, what one
//!    GL call asks the host once, the GL test fixtures.
//! 6. `gl::legs`: the table of each kind's legs.
//! 7. `gl::posting`, `gl::discount`, `gl::credit`: the GL rules.
//! 8. `validate`, `lifecycle`, `gl`: what the exports call.
//! 9. `lib`: this file, the crate root: the exports and the host imports.

/// The generated WIT bindings: the contract's types, for native callers of the
/// rules (benchmarks). Their glue is `unsafe` by nature; ours is not.
#[allow(unsafe_code, missing_docs)]
pub mod bindings {
    #[cfg(not(feature = "serde"))]
    wit_bindgen::generate!({
        path: "../wit",
        world: "plugin",
        additional_derives: [PartialEq],
    });
    #[cfg(feature = "serde")]
    wit_bindgen::generate!({
        path: "../wit",
        world: "plugin",
        additional_derives: [PartialEq, serde::Serialize, serde::Deserialize],
    });
    use super::Plugin;
    export!(Plugin with_types_in crate::bindings);
}

pub mod accounts;
pub mod date;
pub mod eas;
pub mod facts;
pub mod form;
pub mod gl;
pub mod i18n;
pub mod inherit;
pub mod issues;
pub mod lifecycle;
pub mod model;
pub mod money;
pub mod normalize;
pub mod rules;
pub mod validate;

use bindings::erp::customer_group::{host, types};
use bindings::exports::erp::customer_group::{
    form as wit_form, gl as wit_gl, inheritance, lifecycle as wit_lifecycle, validation,
};
use i18n::Locale;

/// The facts the rules need, asked of the host through its imports.
struct HostFacts;

impl facts::Facts for HostFacts {
    fn account(&self, code: &str) -> Option<types::Account> {
        host::find_account(code)
    }
    fn group(&self, code: &str) -> Option<types::CustomerGroup> {
        host::find_group(code)
    }
    fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
        host::find_group_named(name, except_code)
    }
    fn groups(&self, codes: &[String]) -> Vec<Option<types::CustomerGroup>> {
        host::find_groups(codes)
    }
    fn groups_named(&self, questions: &[(String, String)]) -> Vec<Option<String>> {
        host::find_groups_named(questions)
    }
    fn reference_exists(&self, kind: types::ReferenceKind, code: &str) -> bool {
        host::reference_exists(kind, code)
    }
    fn usage(&self, code: &str) -> types::GroupUsage {
        host::usage(code)
    }
    fn child_groups(&self, code: &str) -> Vec<String> {
        host::child_groups(code)
    }
    fn customers(&self, group: &str) -> Vec<types::Customer> {
        host::customers(group)
    }
    fn settings(&self) -> types::Settings {
        host::ar_settings()
    }
}

/// The host's facts for one export call: the contract fixes them for the
/// call, so each question goes to the host once.
fn host_facts() -> facts::Cached<HostFacts> {
    facts::Cached::new(HostFacts)
}

struct Plugin;

impl wit_form::Guest for Plugin {
    fn definition(locale: String) -> wit_form::FormDefinition {
        form::definition(Locale::from_tag(&locale))
    }
}

impl validation::Guest for Plugin {
    fn validate(change: validation::Change, locale: String) -> validation::Verdict {
        validate::Validator::new(&host_facts(), Locale::from_tag(&locale)).validate(change)
    }

    fn validate_defaults(
        defaults: types::Settings,
        locale: String,
    ) -> (Option<types::Settings>, Vec<validation::Issue>) {
        validate::Validator::new(&host_facts(), Locale::from_tag(&locale))
            .validate_defaults(defaults)
    }

    fn validate_company_settings(
        company: String,
        settings: types::Settings,
        locale: String,
    ) -> (Option<types::Settings>, Vec<validation::Issue>) {
        validate::Validator::new(&host_facts(), Locale::from_tag(&locale))
            .validate_company_settings(&company, settings)
    }

    fn validate_many(changes: Vec<validation::Change>, locale: String) -> Vec<validation::Verdict> {
        validate::Validator::new(&host_facts(), Locale::from_tag(&locale)).validate_many(changes)
    }

    fn normalize_code(code: String) -> String {
        normalize::normalize_code(&code)
    }

    fn normalize_codes(text: String, codes: Vec<types::Span>) -> (String, Vec<types::Span>) {
        normalize::normalize_codes(&text, &codes)
    }
}

impl inheritance::Guest for Plugin {
    fn effective(code: String) -> Option<inheritance::EffectiveSettings> {
        inherit::effective(&host_facts(), &normalize::normalize_code(&code))
    }
}

impl wit_lifecycle::Guest for Plugin {
    fn default_gl_accounts(
        code: String,
        locale: String,
    ) -> Result<types::CustomerGroup, Vec<validation::Issue>> {
        lifecycle::default_gl_accounts(&host_facts(), &code, Locale::from_tag(&locale))
    }

    fn plan_default_terms(
        code: String,
        locale: String,
    ) -> Result<Vec<wit_lifecycle::CustomerUpdate>, Vec<validation::Issue>> {
        lifecycle::plan_default_terms(&host_facts(), &code, Locale::from_tag(&locale))
    }

    fn check_reassign(from: String, to: String, locale: String) -> Vec<validation::Issue> {
        lifecycle::check_reassign(&host_facts(), &from, &to, Locale::from_tag(&locale))
    }

    fn check_customer(
        customer: types::Customer,
        is_new: bool,
        locale: String,
    ) -> Vec<validation::Issue> {
        lifecycle::check_customer(&host_facts(), &customer, is_new, Locale::from_tag(&locale))
    }
}

impl wit_gl::Guest for Plugin {
    fn build_batch(
        ledger: wit_gl::Ledger,
        transactions: wit_gl::ArTransactions,
        locale: String,
    ) -> Result<wit_gl::Postings, Vec<wit_gl::BatchIssue>> {
        gl::build_batch(
            &host_facts(),
            &ledger,
            &transactions,
            Locale::from_tag(&locale),
        )
    }

    fn credit_check(request: wit_gl::CreditRequest, locale: String) -> wit_gl::CreditVerdict {
        gl::credit_check(&host_facts(), &request, Locale::from_tag(&locale))
    }

    fn credit_check_many(
        requests: Vec<wit_gl::CreditRequest>,
        locale: String,
    ) -> Vec<wit_gl::CreditVerdict> {
        gl::credit_check_many(&host_facts(), &requests, Locale::from_tag(&locale))
    }

    fn receipt_discount(
        group: String,
        invoice_date: String,
        invoice_amount: i64,
        paid_on: String,
        locale: String,
    ) -> Result<Option<wit_gl::DiscountOffer>, Vec<wit_gl::BatchIssue>> {
        gl::receipt_discount(
            &host_facts(),
            &normalize::normalize_code(&group),
            &invoice_date,
            invoice_amount,
            &paid_on,
            Locale::from_tag(&locale),
        )
    }
}
