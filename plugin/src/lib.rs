//! The Customer Group plugin: a WebAssembly component that gives a host ERP
//! the Customer Group master-data module.
//!
//! This file is only the `wit-bindgen` glue. The domain lives in plain modules
//! that compile and unit-test natively:
//! - [`form`]: the form definition (menu, list, search, fields, labels);
//! - [`validate`]: validation and normalisation of proposed changes;
//! - [`i18n`]: locales and translated text.

/// The generated WIT bindings: the contract's types, for native callers of the
/// rules (benchmarks). Their glue is `unsafe` by nature; ours is not.
#[allow(unsafe_code, missing_docs)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "plugin",
        additional_derives: [PartialEq],
    });
    use super::Plugin;
    export!(Plugin with_types_in crate::bindings);
}

pub mod form;
pub mod i18n;
pub mod validate;

use bindings::erp::customer_group::{host, types};
use bindings::exports::erp::customer_group::{form as wit_form, validation};
use i18n::Locale;

/// The facts the rules need, asked of the host through its imports.
struct HostFacts;

impl validate::Facts for HostFacts {
    fn account(&self, code: &str) -> Option<types::Account> {
        host::find_account(code)
    }
    fn group(&self, code: &str) -> Option<types::CustomerGroup> {
        host::find_group(code)
    }
    fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
        host::find_group_named(name, except_code)
    }
    fn group_usage(&self, code: &str) -> types::GroupUsage {
        host::usage(code)
    }
    fn ar_settings(&self) -> types::ArSettings {
        host::settings()
    }
}

struct Plugin;

impl wit_form::Guest for Plugin {
    fn definition(locale: String) -> wit_form::FormDefinition {
        form::definition(Locale::from_tag(&locale))
    }
}

impl validation::Guest for Plugin {
    fn validate(change: validation::Change, locale: String) -> validation::Verdict {
        validate::Validator::new(&HostFacts, Locale::from_tag(&locale)).validate(change)
    }

    fn validate_many(changes: Vec<validation::Change>, locale: String) -> Vec<validation::Verdict> {
        validate::Validator::new(&HostFacts, Locale::from_tag(&locale)).validate_many(changes)
    }
}
