//! Rights per field (issue 14): the plugin's form marks the fields a user
//! needs a right to change (`form.field.needs`); the host refuses a change
//! to one by a user who does not hold it, at the field, saying which right
//! it needs. The admin services ask this before every write of a group
//! (the CLI's, the console's), and the daemon before applying a file.

use crate::fields;
use crate::messages::{self, Locale};
use crate::store::{Held, Right};
use crate::wit::{CustomerGroup, FormDefinition, Issue, Settings, Severity};

/// The rule id of a refused field: the issue a host adds beside the
/// plugin's.
pub const RULE: &str = "host.right-needed";

/// The right `held` lacks to change form field `f`, if any.
pub fn unheld(f: &crate::wit::Field, held: &Held) -> Option<Right> {
    let right = Right::of_field(f.needs?);
    match held {
        Held::NoUser => None,
        Held::User(user) => (!user.holds(right)).then_some(right),
    }
}

/// An error at each field of `form` that `new` changes from `old` (none: a
/// group created, whose every value set is a change) and whose right
/// `held` lacks, in `form`'s locale: nothing when `held` may change them
/// all.
pub fn refused(
    form: &FormDefinition,
    held: &Held,
    old: Option<&CustomerGroup>,
    new: &CustomerGroup,
) -> Vec<Issue> {
    refused_by(form, held, |field| {
        old.and_then(|g| field.get(g)) != field.get(new)
    })
}

/// [`refused`] for the AR settings: the settings fields `new` changes
/// from `old`.
pub fn refused_settings(
    form: &FormDefinition,
    held: &Held,
    old: &Settings,
    new: &Settings,
) -> Vec<Issue> {
    refused_by(form, held, |field| {
        field.setting.is_some() && field.get_setting(old) != field.get_setting(new)
    })
}

/// An error at each field of `form` whose right `held` lacks and which
/// `changed` says the write changes.
fn refused_by(
    form: &FormDefinition,
    held: &Held,
    changed: impl Fn(&fields::Field) -> bool,
) -> Vec<Issue> {
    let Held::User(user) = held else {
        return Vec::new();
    };
    let l = Locale::from_tag(&form.locale);
    let mut issues = Vec::new();
    for f in &form.fields {
        let Some(right) = unheld(f, held) else {
            continue;
        };
        // A field the host cannot store cannot be changed through it.
        let Some(field) = fields::find(&f.name) else {
            continue;
        };
        if !changed(field) {
            continue;
        }
        issues.push(Issue {
            field: f.name.clone(),
            severity: Severity::Error,
            rule: RULE.to_owned(),
            message: if user.active {
                messages::field_needs_right(
                    l,
                    &f.label,
                    right.as_str(),
                    &user.name,
                    &held_by(right, l),
                )
            } else {
                messages::field_needs_right_disabled(l, &f.label, right.as_str(), &user.name)
            },
        });
    }
    issues
}

/// Which roles hold `right`, as the message after its name says it.
fn held_by(right: Right, l: Locale) -> String {
    let roles = right.roles();
    if roles.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    messages::held_by_roles(l, &names.join(", "))
}
