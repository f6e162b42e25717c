//! A refusal's hints: the command that quick-creates what an unknown code
//! names (the form's `+`), as the user can type it.

use crate::admin::{Admin, AdminError};
use crate::messages::{self as m, Locale};
use crate::wit::Severity;

/// How this CLI creates what a form's quick-create target (`+`) opens: the
/// host's forms by route, and the command with `{code}` for the value the
/// user gave and `{company}` for ` --company CO` when not the default's.
const QUICK_CREATE: &[(&str, &str)] = &[(
    "/form/account",
    "erp-host account new{company} --code {code} --name NAME --kind KIND",
)];

/// `error`, with the CLI's quick-create commands added when it is a refusal
/// (`values`: the settings the user proposed, for the codes they typed;
/// `company`: the company whose chart they were checked against, named
/// in the command unless it is the default).
pub(super) fn with_hints(
    error: AdminError,
    admin: &Admin,
    l: Locale,
    values: &crate::wit::Settings,
    company: Option<&str>,
) -> anyhow::Error {
    let AdminError::Rejected(issues) = error else {
        return error.into();
    };
    let Ok(form) = admin.form(l.tag()) else {
        return AdminError::Rejected(issues).into();
    };
    let Ok(here) = admin.db().company_or_default(company) else {
        return AdminError::Rejected(issues).into();
    };
    let named = (!here.is_default).then_some(here.code.as_str());
    let mut issues = issues;
    let hints = issues
        .iter_mut()
        .map(|issue| {
            match quick_create_hint(admin, &form, issue, values, named)? {
                Hint::Create(command) => Some(command),
                Hint::Elsewhere { code, theirs } => {
                    // Codes are unique across the host: it cannot be
                    // created here, so say where it is instead.
                    let there = m::other_companys_account(l, &code, &theirs, &here.code);
                    issue.message = format!("{}; {there}", issue.message);
                    None
                }
            }
        })
        .collect();
    m::Refused { issues, hints }.into()
}

/// What the CLI can add to an issue that names an unknown record.
enum Hint {
    /// The command that creates it.
    Create(String),
    /// An account of another company's chart.
    Elsewhere { code: String, theirs: String },
}

/// The command that creates what `issue` says is unknown, or the company
/// whose chart already has the account it names.
fn quick_create_hint(
    admin: &Admin,
    form: &crate::wit::FormDefinition,
    issue: &crate::wit::Issue,
    values: &crate::wit::Settings,
    company: Option<&str>,
) -> Option<Hint> {
    if issue.severity != Severity::Error || !issue.rule.ends_with(".unknown") {
        return None;
    }
    let route = form
        .fields
        .iter()
        .find(|f| f.name == issue.field)?
        .quick_create
        .as_deref()?;
    let (_, command) = QUICK_CREATE.iter().find(|(r, _)| *r == route)?;
    // The code the user typed; an inherited one is not on this record.
    let typed = crate::fields::find(&issue.field)
        .and_then(|f| f.get_setting(values))
        .and_then(|v| match v {
            crate::fields::Value::Text(code) => Some(code),
            _ => None,
        })
        .filter(|c| !c.is_empty());
    if route == "/form/account"
        && let Some(typed) = &typed
        && let Some(theirs) = admin.db().account_company(typed).ok().flatten()
    {
        return Some(Hint::Elsewhere {
            code: typed.clone(),
            theirs,
        });
    }
    let code = typed.map_or_else(|| "CODE".to_owned(), |c| shell_word(&c));
    let company = company.map_or_else(String::new, |c| format!(" --company {}", shell_word(c)));
    Some(Hint::Create(
        command
            .replace("{company}", &company)
            .replace("{code}", &code),
    ))
}

/// `text` as one shell word: as it is when that is safe, else single-quoted.
fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
