//! What a declaration sets per company, checked: each company is one the
//! host has, other than the default; the plugin judges its settings with
//! that company's facts (`validate-company-settings`: its chart, its AR
//! settings); the daemon's user may change them. Issues name the key as
//! the file has it: `company.BETA.receivable-account`.

use host_harness::Admin;
use host_harness::fields::Field;
use host_harness::messages::{self as m, Locale};
use host_harness::rights;
use host_harness::store::{Held, Scope};
use host_harness::wit::{FormDefinition, Issue, Settings, Severity};

use crate::companies::Companies;
use crate::error::ReconcileError;

/// A declaration's per-company settings, checked.
pub struct Checked {
    /// As the plugin normalised them (as declared where it refused them).
    pub companies: Companies,
    /// What the host's group sets now.
    pub stored: Companies,
    /// The plugin's issues and the host's.
    pub issues: Vec<Issue>,
    /// The changes the daemon's user may not make.
    pub refused: Vec<Issue>,
}

/// Checks what declarations set per company.
pub struct CompanyCheck<'a> {
    /// The host.
    pub admin: &'a Admin,
    /// The messages' locale.
    pub locale: &'a str,
    /// The installed plugin's per-company fields.
    pub fields: Vec<&'static Field>,
    /// Whether the host has a company besides the default: with one
    /// company, no group sets anything per company.
    pub several: bool,
}

impl CompanyCheck<'_> {
    /// Checks `declared`, what a declaration of the group stored as `code`
    /// (if stored) sets per company, against what the stored group sets;
    /// `rights` are the daemon's user's, when a console user.
    pub fn check(
        &self,
        declared: &Companies,
        code: Option<&str>,
        rights: Option<&(Held, FormDefinition)>,
    ) -> Result<Checked, ReconcileError> {
        let stored = match code {
            Some(code) if self.several => {
                Companies::new(self.admin.db().group_company_settings(code)?)
            }
            _ => Companies::default(),
        };
        let mut checked = Checked {
            companies: Companies::default(),
            stored,
            issues: Vec::new(),
            refused: Vec::new(),
        };
        if declared.is_empty() && (checked.stored.is_empty() || self.fields.is_empty()) {
            // A plugin that keeps nothing per company cannot judge what the
            // group has: it stays as it is.
            checked.companies = checked.stored.clone();
            return Ok(checked);
        }
        let locale = Locale::from_tag(self.locale);
        let blank = Settings::inherit_all();
        let mut rows = Vec::new();
        for (company, settings) in declared.rows() {
            let error = |rule: &str, message: String| Issue {
                field: format!("company.{company}"),
                severity: Severity::Error,
                rule: rule.to_owned(),
                message,
            };
            match self.admin.db().company(company)? {
                None => {
                    let message = m::file_no_such_company(locale, company);
                    checked.issues.push(error("host.company-unknown", message));
                    continue;
                }
                Some(c) if c.is_default => {
                    let message = m::file_default_company(locale, company);
                    checked.issues.push(error("host.company-default", message));
                    continue;
                }
                Some(_) => {}
            }
            let scope = Scope {
                company: company.to_owned(),
                per_company: Some(self.fields.clone()),
            };
            let facts = scope.facts(self.admin.db());
            let plugin = self.admin.plugin();
            let Some((normalized, issues)) =
                plugin.validate_company_settings(facts, company, settings, self.locale)?
            else {
                let message = m::no_company_settings(locale, plugin.served_as().number());
                checked
                    .issues
                    .push(error("host.no-company-settings", message));
                continue;
            };
            let at = |mut issue: Issue| {
                issue.field = match issue.field.as_str() {
                    "" | "record" => format!("company.{company}"),
                    field => format!("company.{company}.{field}"),
                };
                issue
            };
            checked.issues.extend(issues.into_iter().map(at));
            let new = normalized.unwrap_or_else(|| settings.clone());
            if let Some((held, form)) = rights {
                let old = checked.stored.get(company).unwrap_or(&blank);
                let refused = rights::refused_settings(form, held, old, &new);
                checked.refused.extend(refused.into_iter().map(at));
            }
            // A table that sets nothing is no row: the group has nothing
            // for that company, as the store keeps it.
            if new != blank {
                rows.push((company.to_owned(), new));
            }
        }
        // A company the host's group sets and the files leave out is set
        // back to nothing: a change like any other.
        if let Some((held, form)) = rights {
            for (company, old) in checked.stored.rows() {
                if declared.get(company).is_none() {
                    let refused = rights::refused_settings(form, held, old, &blank);
                    checked.refused.extend(refused.into_iter().map(|mut issue| {
                        issue.field = format!("company.{company}.{}", issue.field);
                        issue
                    }));
                }
            }
        }
        checked.companies = Companies::new(rows);
        Ok(checked)
    }
}
