//! What one call of the GL exports knows and finds: each group's effective
//! settings and each account, asked of the host once per call, and the
//! problems found, per transaction.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::bindings::erp::customer_group::types::{Account, Settings};
use crate::bindings::exports::erp::customer_group::gl::BatchIssue;
use crate::bindings::exports::erp::customer_group::inheritance::Source;
use crate::facts::{Facts, Tree};
use crate::i18n::Locale;
use crate::inherit;

/// A group's effective settings and where two of them come from.
pub(super) struct Resolved {
    /// The values that apply.
    pub(super) values: Settings,
    /// Setting name -> the group that sets it (`None`: AR settings).
    pub(super) sources: Vec<(String, Option<String>)>,
}

/// What a batch needs to know, asked once per group and account.
pub(super) struct Context<'f, F> {
    pub(super) facts: &'f F,
    pub(super) locale: Locale,
    defaults: Settings,
    /// Group code -> its resolved settings, or none when it does not exist.
    pub(super) groups: BTreeMap<String, Option<Resolved>>,
    /// Account code -> the chart of accounts' entry, or none when it does not exist.
    accounts: RefCell<BTreeMap<String, Option<Account>>>,
}

impl<'f, F: Facts> Context<'f, F> {
    /// A context asking `facts`, with messages in `locale`.
    pub(super) fn new(facts: &'f F, locale: Locale) -> Self {
        Self {
            facts,
            locale,
            defaults: facts.settings(),
            groups: BTreeMap::new(),
            accounts: RefCell::new(BTreeMap::new()),
        }
    }

    /// The group's resolved settings; none if it does not exist.
    pub(super) fn group(&mut self, code: &str) -> Option<&Resolved> {
        self.load(code);
        self.groups.get(code).and_then(Option::as_ref)
    }

    /// Resolves a group's settings once.
    pub(super) fn load(&mut self, code: &str) {
        if !self.groups.contains_key(code) {
            let resolved = self.facts.group(code).map(|group| {
                let ancestors = Tree::new(self.facts)
                    .ancestors(&group.code, group.parent.as_deref())
                    .unwrap_or_default();
                let (values, provenance) =
                    inherit::resolve(&group.settings, &ancestors, &self.defaults);
                let sources = provenance
                    .into_iter()
                    .map(|p| {
                        let from = match p.source {
                            Source::Own => Some(group.code.clone()),
                            Source::Inherited(code) => Some(code),
                            Source::ArDefault | Source::Unset => None,
                        };
                        (p.field, from)
                    })
                    .collect();
                Resolved { values, sources }
            });
            self.groups.insert(code.to_owned(), resolved);
        }
    }

    /// Calls `f` with the chart of accounts' entry for `code` (none if it
    /// does not exist), asked of the host once per batch.
    pub(super) fn with_account<R>(&self, code: &str, f: impl FnOnce(Option<&Account>) -> R) -> R {
        if !self.accounts.borrow().contains_key(code) {
            let found = self.facts.account(code);
            self.accounts.borrow_mut().insert(code.to_owned(), found);
        }
        f(self.accounts.borrow().get(code).and_then(Option::as_ref))
    }
}

/// Problems with one transaction.
pub(super) struct Problems<'a> {
    /// The transaction's id (none: the batch as a whole, or a
    /// receipt-discount query).
    pub(super) id: Option<u64>,
    /// Where they go.
    pub(super) list: &'a mut Vec<BatchIssue>,
}

impl Problems<'_> {
    /// Records a problem with `field`.
    pub(super) fn push(&mut self, field: &str, rule: &str, message: String) {
        self.list.push(BatchIssue {
            transaction: self.id,
            field: field.to_owned(),
            rule: rule.to_owned(),
            message,
        });
    }
}
