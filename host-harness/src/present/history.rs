//! A recorded change as a front end shows it: the field's caption in the
//! user's locale, and each value as the form shows it.

use serde_json::Value as Json;

use super::value_text;
use crate::fields::{self, json::value_from_json};
use crate::messages::{self as m, Locale};
use crate::store::history::{Action, Change, FieldChange};
use crate::wit::FormDefinition;

/// One recorded change, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// When (UTC).
    pub at: String,
    /// Who.
    pub user: String,
    /// Through what: `cli`, `console`, `daemon`.
    pub via: &'static str,
    /// The file that declared it (the daemon's), or empty.
    pub source: String,
    /// What it did ("created", "changed", "deleted").
    pub action: String,
    /// Each field it changed.
    pub fields: Vec<FieldLine>,
}

/// One field's change, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldLine {
    /// The form's caption (the field name where the form has none).
    pub label: String,
    /// The value before ("-": none).
    pub old: String,
    /// The value after ("-": none).
    pub new: String,
}

/// `changes` in words in `l`, newest first, the fields captioned by `form`.
pub fn entries(changes: &[Change], form: &FormDefinition, l: Locale) -> Vec<Entry> {
    changes
        .iter()
        .rev()
        .map(|change| Entry {
            at: change.at.clone(),
            user: change.origin.user.clone(),
            via: change.origin.via.as_str(),
            source: change.origin.source.clone().unwrap_or_default(),
            action: match change.action {
                Action::Create => m::history_created(l),
                Action::Update => m::history_changed(l),
                Action::Delete => m::history_deleted(l),
            },
            fields: change
                .changes
                .iter()
                .map(|c| field_line(c, form, l))
                .collect(),
        })
        .collect()
}

fn field_line(change: &FieldChange, form: &FormDefinition, l: Locale) -> FieldLine {
    // What a group sets for another company: the field's caption, and the
    // company's code after it.
    let (company, name) = match crate::store::split_company_field(&change.field) {
        Some((company, name)) => (Some(company), name),
        None => (None, change.field.as_str()),
    };
    let caption = form
        .fields
        .iter()
        .find(|f| f.name == name)
        .map_or_else(|| name.to_owned(), |f| f.label.clone());
    let label = match company {
        Some(company) => format!("{caption} ({company})"),
        None => caption,
    };
    let text = |json: &Json| -> String {
        if json.is_null() {
            return "-".to_owned();
        }
        // A form field's value as the form shows it; anything else (a
        // customer's group, a plugin limit) as stored.
        fields::find(name)
            .and_then(|f| value_from_json(name, f.shape, json).ok())
            .map(|v| value_text(&v, l))
            .unwrap_or_else(|| match json {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            })
    };
    FieldLine {
        label,
        old: text(&change.old),
        new: text(&change.new),
    }
}
