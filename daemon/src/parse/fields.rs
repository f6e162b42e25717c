//! A `[[group]]` table's keys read into the group being declared, through
//! the host's field table ([`host_harness::fields`]): it says what a form
//! field's value is and where it goes in the group record (`due-count` is
//! `settings.due-terms.count`). The daemon lists no field itself; its
//! keys of its own are [`ADOPT`] and [`COMPANY`].

use host_harness::fields::{Field, Shape, Value};
use host_harness::wit::CustomerGroup;

use crate::parse::columns::Columns;
use crate::parse::problems::Problems;
use crate::parse::rows::rows;
use crate::parse::spans::Spans;
use crate::parse::values::{self, Value as Toml};

/// The daemon's own key: take over a group the host already has.
pub const ADOPT: &str = "adopt";

/// The key of what a group sets per company: a table of companies, each a
/// table of per-company fields (`[group.company.BETA]`).
pub const COMPANY: &str = "company";

/// A group being read from its table.
pub struct Draft {
    /// The group as declared so far.
    pub group: CustomerGroup,
    /// Whether it takes over a group the host has.
    pub adopt: bool,
    /// The fields a group must have that the table had (code, name).
    pub required: Vec<&'static str>,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            group: CustomerGroup::new("", ""),
            adopt: false,
            required: Vec::new(),
        }
    }
}

impl Draft {
    /// Reads `value` (of key `field`, a rule table with `columns`) into
    /// the group; problems go to `p`, the spans of rule cells to `spans`.
    pub fn set(
        &mut self,
        p: &mut Problems<'_>,
        spans: &mut Spans,
        field: &'static Field,
        columns: &Columns,
        value: Toml<'_>,
    ) {
        if field.is_required() {
            self.required.push(field.name);
        }
        let span = value.span();
        let read = match field.shape {
            Shape::Rows(rules) => {
                rows(p, spans, field.name, value, columns, rules.columns()).map(Value::Rows)
            }
            shape => values::of_shape(p, shape, &value),
        };
        if let Some(read) = read
            && let Err(e) = field.set(&mut self.group, Some(read))
        {
            // Read by the field's own shape: only a defect of this reader.
            p.push(span, e.to_string(), None);
        }
    }

    /// Reads the daemon's own `adopt`.
    pub fn adopt(&mut self, p: &mut Problems<'_>, value: &Toml<'_>) {
        self.adopt = values::boolean(p, value).unwrap_or(false);
    }

    /// Whether the table had the required field `name`.
    pub fn has(&self, name: &str) -> bool {
        self.required.contains(&name)
    }

    /// Whether the table had the group's code.
    pub fn has_code(&self) -> bool {
        self.required
            .iter()
            .any(|name| host_harness::fields::find(name).is_some_and(Field::is_code))
    }
}
