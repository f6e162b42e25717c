//! [`Issues`]: what the rules found wrong with one change (or with the AR
//! settings, or a toolbar operation), errors and warnings alike, in the order
//! the rules found them. Every rule module reports through it; it knows no
//! rule itself.

use crate::bindings::erp::customer_group::types::CustomerGroup;
use crate::bindings::exports::erp::customer_group::validation::{Issue, Severity, Verdict};

/// Issues collected for one change.
#[derive(Default)]
pub struct Issues {
    pub(crate) list: Vec<Issue>,
}

impl Issues {
    fn push(&mut self, field: &str, severity: Severity, rule: &str, message: String) {
        self.list.push(Issue {
            field: field.to_owned(),
            severity,
            rule: rule.to_owned(),
            message,
        });
    }

    /// Records an error: the change must not be saved.
    pub fn error(&mut self, field: &str, rule: &str, message: String) {
        self.push(field, Severity::Error, rule, message);
    }

    /// Records a warning: the user should know, the change may be saved.
    pub fn warning(&mut self, field: &str, rule: &str, message: String) {
        self.push(field, Severity::Warning, rule, message);
    }

    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|i| i.severity == Severity::Error)
    }

    /// The issues, and the record to save when none is an error.
    pub fn into_verdict(self, normalized: Option<CustomerGroup>) -> Verdict {
        let normalized = if self.has_errors() { None } else { normalized };
        Verdict {
            normalized,
            issues: self.list,
        }
    }

    /// The issues.
    pub fn into_list(self) -> Vec<Issue> {
        self.list
    }
}
