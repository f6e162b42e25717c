//! The one place the console maps a form field to what it draws: each
//! [`FieldKind`] of the contract to one widget (as ERPNext's desk has one
//! control per field type), never a customer-group field by name. A field
//! the console cannot draw (a kind whose values the host's field table
//! cannot hold, a field or rule column the table lacks) is drawn as
//! [`Widget::Unsupported`], in plain sight, and the tests fail on it.
//!
//! The way back, the values a browser submits, is [`super::submission`]'s.

use std::collections::{BTreeMap, BTreeSet};

use crate::fields::text::typed;
use crate::fields::{self, Field, Shape, Value};
use crate::messages::Locale;
use crate::present;
use crate::rights;
use crate::store::{GroupRecord, Held};
use crate::wit::{
    Column, Customer, CustomerGroup, EffectiveSettings, FieldKind, FormDefinition, Source,
};

pub use super::submission::{Problems, Submission, read_submission};

/// What a field looks like on the page.
#[derive(Debug)]
pub enum Widget {
    /// One line of text: codes, names, references, amounts, percentages,
    /// whole numbers (each with its input mode).
    Line {
        /// The text shown.
        value: String,
        /// The most characters the plugin takes.
        max_length: Option<u32>,
        /// The keyboard a phone shows: `text`, `decimal`, `numeric`.
        inputmode: &'static str,
        /// Shown but not editable (an immutable code once created).
        readonly: bool,
        /// For references: the entity a lookup searches.
        lookup: Option<String>,
        /// For references: the route of the "+" that creates a missing
        /// record without leaving the form (its `new` is posted to).
        quick_create: Option<String>,
        /// A suffix shown after the box (`%`).
        suffix: &'static str,
    },
    /// A yes/no check box.
    Check {
        /// Whether it is ticked.
        checked: bool,
    },
    /// A calendar date.
    Date {
        /// `YYYY-MM-DD` or what was typed.
        value: String,
    },
    /// One of a fixed set of values; the blank choice inherits.
    Choice {
        /// The value chosen (blank: none).
        value: String,
        /// `(value, caption)`, in the form's order.
        options: Vec<(String, String)>,
    },
    /// A table of rows: editable rule tables, read-only member lists.
    Rows {
        /// The columns' captions and names.
        columns: Vec<(String, String)>,
        /// Each row's cells as text, then blank rows to add to.
        rows: Vec<Vec<Cell>>,
        /// Whether rows may be edited, added and removed.
        editable: bool,
        /// For an inheritable table: whether "no rows: inherit" is ticked
        /// (a table without rows then takes its parent's; unticked, it
        /// means "no rules").
        inherit: Option<bool>,
    },
    /// A value the host fills in (audit fields): shown, never submitted.
    Shown {
        /// The text shown.
        value: String,
    },
    /// A field this console cannot draw, and why. Never silent.
    Unsupported {
        /// Why.
        why: String,
    },
}

/// One cell of a table row.
#[derive(Debug)]
pub struct Cell {
    /// The input's name: `table[row].column`.
    pub name: String,
    /// The text shown.
    pub value: String,
    /// The input type: `text` or `date`; `check` for a flag.
    pub input: &'static str,
}

/// A field as the page shows it.
#[derive(Debug)]
pub struct FieldView {
    /// The field's name, also the input's.
    pub name: String,
    /// The caption.
    pub label: String,
    /// The help text.
    pub help: String,
    /// Whether the form marks it required.
    pub required: bool,
    /// Whether it inherits when blank.
    pub inheritable: bool,
    /// For a blank inheritable field: the value it takes and where from
    /// ("1100, inherited from LOKAL").
    pub inherited: Option<String>,
    /// What is drawn.
    pub widget: Widget,
    /// The errors found at it (the plugin's, and the host's syntax checks).
    pub errors: Vec<String>,
    /// The warnings.
    pub warnings: Vec<String>,
    /// For a field the user may not change (the form marks it with a
    /// right they do not hold): drawn disabled, with this note.
    pub locked: Option<String>,
}

/// The values a form shows: scalar fields' texts and tables' rows of
/// cell texts, by field name.
#[derive(Clone, Debug, Default)]
pub struct Entered {
    /// A scalar field's text.
    pub scalars: BTreeMap<String, String>,
    /// A table's rows, each cell's text in column order.
    pub tables: BTreeMap<String, Vec<Vec<String>>>,
    /// The inheritable tables left to inherit (`none`, not "no rules").
    pub inherit: BTreeSet<String>,
}

impl Entered {
    /// What a new record's form shows: nothing typed, its inheritable
    /// tables left to inherit (as a group made by the CLI or a file).
    pub fn new_record(form: &FormDefinition) -> Self {
        let mut entered = Self::default();
        for f in form
            .fields
            .iter()
            .filter(|f| f.inheritable && f.kind == FieldKind::Table)
        {
            entered.inherit.insert(f.name.clone());
        }
        entered
    }

    /// Takes, for each field of `form` that `held` may not change and
    /// that was not sent, what `stored` shows: a refused save or a return
    /// from the "+" shows such a field as it is kept, never blank.
    pub fn keep_locked(&mut self, form: &FormDefinition, stored: &Entered, held: &Held) {
        for f in form
            .fields
            .iter()
            .filter(|f| rights::unheld(f, held).is_some())
        {
            let name = &f.name;
            if !self.scalars.contains_key(name)
                && let Some(text) = stored.scalars.get(name)
            {
                self.scalars.insert(name.clone(), text.clone());
            }
            if !self.tables.contains_key(name)
                && let Some(rows) = stored.tables.get(name)
            {
                self.tables.insert(name.clone(), rows.clone());
                if stored.inherit.contains(name) {
                    self.inherit.insert(name.clone());
                }
            }
        }
    }

    /// Whether field `name` is blank: it inherits, if it may.
    pub fn is_blank(&self, name: &str) -> bool {
        match self.tables.get(name) {
            Some(rows) => rows.is_empty() && self.inherit.contains(name),
            None => self
                .scalars
                .get(name)
                .is_none_or(|text| text.trim().is_empty()),
        }
    }
}

/// How many blank rows an editable table offers for new rules.
const BLANK_ROWS: usize = 2;

/// The host field that stores form field `name` of kind `kind`, if the
/// field table has it with a shape holding that kind; else why not.
pub(super) fn stored_as(name: &str, kind: FieldKind) -> Result<&'static Field, String> {
    let field = fields::find(name)
        .ok_or_else(|| format!("the host's field table has no field {name:?}"))?;
    if field.shape.form_kinds().contains(&kind) {
        Ok(field)
    } else {
        Err(format!(
            "field {name:?} is of kind {kind:?}, which the host stores as {:?}",
            field.shape
        ))
    }
}

/// The columns of a rule table: the form's, each of which the field table
/// must have, in the same order.
fn rule_columns(field: &Field, form_columns: &[Column]) -> Result<(), String> {
    let Shape::Rows(rules) = field.shape else {
        return Err(format!("{:?} is not a rule table", field.name));
    };
    let ours: Vec<&str> = rules.columns().iter().map(|c| c.name).collect();
    let theirs: Vec<&str> = form_columns.iter().map(|c| c.name.as_str()).collect();
    if ours == theirs {
        Ok(())
    } else {
        Err(format!(
            "the form's columns of {:?} are {theirs:?}; the host stores {ours:?}",
            field.name
        ))
    }
}

/// The input type of a cell of kind `kind`.
fn cell_input(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Date => "date",
        FieldKind::Boolean => "check",
        _ => "text",
    }
}

/// What the page draws for `f` showing `entered`, for a record that
/// exists already (`existing`: an immutable field is fixed) or is new.
fn widget(
    f: &crate::wit::Field,
    entered: &Entered,
    existing: bool,
    members: &[Customer],
    record: Option<&GroupRecord>,
    l: Locale,
) -> Widget {
    let text = entered.scalars.get(&f.name).cloned().unwrap_or_default();
    if f.read_only {
        return match f.kind {
            FieldKind::Table => member_rows(f, members, l),
            FieldKind::Timestamp | FieldKind::User => Widget::Shown {
                value: record
                    .and_then(|r| {
                        present::audit(r)
                            .into_iter()
                            .find(|(name, _)| *name == f.name)
                            .map(|(_, v)| v)
                    })
                    .unwrap_or_default(),
            },
            kind => Widget::Unsupported {
                why: format!("a read-only field of kind {kind:?} has no value the host fills in"),
            },
        };
    }
    let field = match stored_as(&f.name, f.kind) {
        Ok(field) => field,
        Err(why) => return Widget::Unsupported { why },
    };
    let line = |inputmode, suffix| Widget::Line {
        value: text.clone(),
        max_length: f.max_length,
        inputmode,
        readonly: existing && f.immutable,
        lookup: f.lookup.clone(),
        quick_create: f
            .quick_create
            .clone()
            .filter(|route| super::routes::serves(route)),
        suffix,
    };
    match f.kind {
        FieldKind::Code | FieldKind::Text | FieldKind::Reference => line("text", ""),
        FieldKind::Money => line("decimal", ""),
        FieldKind::Percent => line("decimal", "%"),
        FieldKind::Integer => line("numeric", ""),
        // A setting that may inherit is yes, no or blank (inherit).
        FieldKind::Boolean if field.clearable() => Widget::Choice {
            value: text,
            options: [true, false]
                .map(|b| (b.to_string(), present::value_text(&Value::Flag(b), l)))
                .to_vec(),
        },
        FieldKind::Boolean => Widget::Check {
            checked: text == "true",
        },
        FieldKind::Date => Widget::Date { value: text },
        FieldKind::Choice => Widget::Choice {
            value: text,
            options: f
                .options
                .iter()
                .map(|o| (o.value.clone(), o.label.clone()))
                .collect(),
        },
        FieldKind::Table => match rule_columns(field, &f.columns) {
            Err(why) => Widget::Unsupported { why },
            Ok(()) => {
                let filled = entered.tables.get(&f.name).cloned().unwrap_or_default();
                let blank = vec![String::new(); f.columns.len()];
                let rows = filled
                    .into_iter()
                    .chain(std::iter::repeat_n(blank, BLANK_ROWS))
                    .enumerate()
                    .map(|(i, cells)| {
                        f.columns
                            .iter()
                            .zip(cells)
                            .map(|(c, value)| Cell {
                                name: format!("{}[{}].{}", f.name, i + 1, c.name),
                                value,
                                input: cell_input(c.kind),
                            })
                            .collect()
                    })
                    .collect();
                Widget::Rows {
                    columns: captions(&f.columns),
                    rows,
                    editable: true,
                    inherit: f.inheritable.then(|| entered.inherit.contains(&f.name)),
                }
            }
        },
        FieldKind::Timestamp | FieldKind::User => Widget::Unsupported {
            why: format!(
                "{:?} is a value the host fills in, yet not read-only",
                f.name
            ),
        },
    }
}

fn captions(columns: &[Column]) -> Vec<(String, String)> {
    columns
        .iter()
        .map(|c| (c.label.clone(), c.name.clone()))
        .collect()
}

/// The read-only table of the group's member customers.
fn member_rows(f: &crate::wit::Field, members: &[Customer], l: Locale) -> Widget {
    let mut rows = Vec::new();
    for (i, customer) in members.iter().enumerate() {
        let mut row = Vec::new();
        for c in &f.columns {
            let Some(value) = present::member_cell(customer, &c.name, l) else {
                return Widget::Unsupported {
                    why: format!("the host has no column {:?} of a member customer", c.name),
                };
            };
            row.push(Cell {
                name: format!("{}[{}].{}", f.name, i + 1, c.name),
                value,
                input: "text",
            });
        }
        rows.push(row);
    }
    Widget::Rows {
        columns: captions(&f.columns),
        rows,
        editable: false,
        inherit: None,
    }
}

/// Every field of `form` as the page draws it, with the problems found at
/// each; `problems` holds them by field name (a table's cells under the
/// table's name).
pub fn field_views(
    form: &FormDefinition,
    entered: &Entered,
    record: Option<&GroupRecord>,
    members: &[Customer],
    problems: &Problems,
    inherited: &BTreeMap<String, String>,
    l: Locale,
) -> Vec<FieldView> {
    form.fields
        .iter()
        .map(|f| FieldView {
            name: f.name.clone(),
            label: f.label.clone(),
            help: f.help.clone(),
            required: f.required,
            inheritable: f.inheritable,
            inherited: inherited
                .get(&f.name)
                .filter(|_| f.inheritable && entered.is_blank(&f.name))
                .cloned(),
            widget: widget(f, entered, record.is_some(), members, record, l),
            errors: problems.errors.get(&f.name).cloned().unwrap_or_default(),
            warnings: problems.warnings.get(&f.name).cloned().unwrap_or_default(),
            locked: None,
        })
        .collect()
}

/// Locks each of `views` whose field `held` may not change
/// ([`rights::unheld`]): drawn disabled, so that a browser does not submit
/// it, with a note naming the right. The server refuses a change to it
/// all the same.
pub fn lock_unheld(views: &mut [FieldView], form: &FormDefinition, held: &Held, l: Locale) {
    for view in views {
        let right = form
            .fields
            .iter()
            .find(|f| f.name == view.name)
            .and_then(|f| rights::unheld(f, held));
        view.locked = right.map(|right| super::words::needs_right(l, right.as_str()));
    }
}

/// What a stored group shows in its form's inputs.
pub fn entered_from(form: &FormDefinition, group: &CustomerGroup) -> Entered {
    let mut entered = Entered::default();
    for f in form.fields.iter().filter(|f| !f.read_only) {
        let Some(field) = fields::find(&f.name) else {
            continue;
        };
        match field.get(group) {
            None if matches!(field.shape, Shape::Rows(_)) => {
                entered.tables.insert(f.name.clone(), Vec::new());
                entered.inherit.insert(f.name.clone());
            }
            Some(Value::Rows(rows)) => {
                let texts = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|cell| cell.as_ref().map(typed).unwrap_or_default())
                            .collect()
                    })
                    .collect();
                entered.tables.insert(f.name.clone(), texts);
            }
            Some(value) => {
                entered.scalars.insert(f.name.clone(), typed(&value));
            }
            None => {}
        }
    }
    entered
}

/// What each inheritable field of `form` takes when left blank, and where
/// from, by field name: `effective` is the record's own effective settings,
/// or (for a new record) its parent's, `parent` then naming it, so that
/// what the parent sets itself reads "inherited from PARENT".
pub fn inherited_texts(
    form: &FormDefinition,
    effective: &EffectiveSettings,
    parent: Option<&str>,
    l: Locale,
) -> BTreeMap<String, String> {
    let mut texts = BTreeMap::new();
    for f in form.fields.iter().filter(|f| f.inheritable) {
        let Some(field) = fields::find(&f.name) else {
            continue;
        };
        let Some(setting) = field.setting else {
            continue;
        };
        let Some(provenance) = effective.sources.iter().find(|p| p.field == setting) else {
            continue;
        };
        let source = match (&provenance.source, parent) {
            (Source::Own, Some(parent)) => Source::Inherited(parent.to_owned()),
            (source, _) => source.clone(),
        };
        let Some(from) = present::source_text(&source, l) else {
            continue;
        };
        let text = match field.get_setting(&effective.values) {
            Some(value) => format!("{}, {from}", present::value_text(&value, l)),
            None => from,
        };
        texts.insert(f.name.clone(), text);
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Limits, PluginRuntime};
    use crate::store::Db;

    /// The bundled plugin's form, in `locale`.
    fn bundled_form(locale: &str) -> FormDefinition {
        let db = Db::open_in_memory().expect("db");
        let plugin =
            PluginRuntime::load(crate::guests::PLUGIN_WASM, Limits::default()).expect("plugin");
        plugin.form(db.facts(), locale).expect("form")
    }

    /// The fields of a new record of `form`, nothing entered.
    fn blank_views(form: &FormDefinition, l: Locale) -> Vec<FieldView> {
        field_views(
            form,
            &Entered::default(),
            None,
            &[],
            &Problems::default(),
            &BTreeMap::new(),
            l,
        )
    }

    fn unsupported(views: &[FieldView]) -> Vec<(&str, &str)> {
        views
            .iter()
            .filter_map(|v| match &v.widget {
                Widget::Unsupported { why } => Some((v.name.as_str(), why.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_field_of_the_bundled_form_has_a_widget() {
        for locale in ["en", "id"] {
            let form = bundled_form(locale);
            let views = blank_views(&form, Locale::from_tag(locale));
            assert_eq!(views.len(), form.fields.len());
            assert_eq!(unsupported(&views), Vec::<(&str, &str)>::new());
            // Every "+" the form asks for is drawn: the console serves it.
            for (f, v) in form.fields.iter().zip(&views) {
                if let Some(route) = &f.quick_create {
                    let drawn = matches!(&v.widget, Widget::Line { quick_create: Some(r), .. } if r == route);
                    assert!(drawn, "{}: the quick-create {route} is not served", f.name);
                }
            }
        }
    }

    #[test]
    fn a_field_the_host_cannot_store_is_drawn_as_unsupported_never_dropped() {
        let mut form = bundled_form("en");
        let mut unknown = form.fields[1].clone();
        unknown.name = "loyalty-tier".into();
        form.fields.push(unknown);
        let money = form
            .fields
            .iter_mut()
            .find(|f| f.name == "credit-limit")
            .expect("credit-limit");
        money.kind = FieldKind::Date;
        let table = form
            .fields
            .iter_mut()
            .find(|f| f.name == "points-rules")
            .expect("points-rules");
        table.columns.pop();
        let views = blank_views(&form, Locale::En);
        let names: Vec<&str> = unsupported(&views).iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["credit-limit", "points-rules", "loyalty-tier"]);
        let mut problems = Problems::default();
        let read = read_submission(&form, &[], &Held::NoUser, &mut problems, Locale::En);
        assert!(problems.any_error(), "a save of that form is refused");
        assert!(read.values.iter().all(|(f, _)| f.name != "loyalty-tier"));
    }

    #[test]
    fn a_submission_reads_each_shape_and_files_what_does_not_parse_at_its_field() {
        let form = bundled_form("en");
        let pairs: Vec<(String, String)> = [
            ("code", "VIP2"),
            ("name", "VIP Two"),
            ("is-group", "true"),
            ("credit-limit", "1500000.50"),
            ("due-count", "thirty"),
            ("payment-discount-rules[1].valid-from", "2026-01-01"),
            ("payment-discount-rules[1].within-days", "7"),
            ("payment-discount-rules[1].percent", "3"),
            ("payment-discount-rules[2].valid-from", "2026-02-01"),
            ("payment-discount-rules[2].within-days", "14"),
            ("payment-discount-rules[2].percent", "2"),
            ("payment-discount-rules[2].remove", "1"),
            ("payment-discount-rules[3].valid-from", ""),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let mut problems = Problems::default();
        let read = read_submission(&form, &pairs, &Held::NoUser, &mut problems, Locale::En);
        let mut group = CustomerGroup::new("", "");
        read.apply(&mut group, true).expect("apply");
        assert_eq!((group.code.as_str(), group.is_group), ("VIP2", true));
        assert!(!group.inactive, "an unticked box is false");
        assert_eq!(group.settings.credit_limit, Some(150_000_050));
        let rules = group.settings.payment_discount_rules.expect("rules");
        assert_eq!(
            rules.len(),
            1,
            "the removed and the blank rows are left out"
        );
        assert_eq!((rules[0].within_days, rules[0].percent), (7, 300));
        assert_eq!(group.settings.currency, None, "blank inherits");
        assert_eq!(problems.errors.keys().collect::<Vec<_>>(), ["due-count"]);
        assert!(problems.errors["due-count"][0].contains("\"thirty\" is not a whole number"));
        assert_eq!(read.entered.scalars["due-count"], "thirty", "kept as typed");
    }

    #[test]
    fn a_problem_in_a_rule_row_is_shown_at_its_table_with_the_row_and_column() {
        let form = bundled_form("id");
        let mut problems = Problems::default();
        problems.error(&form, "points-rules[2].min-amount", "salah".into());
        problems.error(&form, "record", "seluruhnya".into());
        let at_table = &problems.errors["points-rules"];
        assert!(at_table[0].starts_with("Baris 2, "), "{at_table:?}");
        assert!(at_table[0].ends_with(": salah"), "{at_table:?}");
        assert_eq!(problems.errors[""], ["seluruhnya"]);
    }
}
