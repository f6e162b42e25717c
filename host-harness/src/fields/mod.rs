//! The host's field table: every field of the plugin's form that a user
//! fills in, by its form name (`receivable-account`, `due-count`), with how
//! to read and write it on a [`CustomerGroup`] (or on the [`Settings`] the AR
//! settings and a customer's terms are).
//!
//! The form says which fields there are, their kinds, labels and the
//! columns of a rule table; it does not say where a field lives in the
//! generated record (`due-count` is `settings.due-terms.count`). That is
//! this table, listed once ([`table`]); every host consumer goes through it:
//! the CLI's setting options, `group show`, the daemon's keys, the store's
//! JSON ([`json`]) and the daemon's digests, and the fuzz oracles. A test
//! checks it against the bundled plugin's form ([`check`]), so that a field
//! added to the plugin without a place here fails the build's tests; at run
//! time a field of the installed plugin's form the table lacks is refused
//! where it is used, never read and dropped.
//!
//! Values cross this module as [`Value`]s of a [`Shape`]: what the record
//! holds (text, a flag, money in minor units, basis points, a count, a day
//! of the month, a period unit, a date, rows of a rule table), never
//! floating point.

pub mod json;
mod rules;
mod table;
pub mod text;

use crate::wit::{CustomerGroup, DueTerms, FieldKind, FormDefinition, PeriodUnit, Settings};

pub use rules::{Column, Row, Rules};

/// One field of the form the host can store.
#[derive(Debug)]
pub struct Field {
    /// The form field's name.
    pub name: &'static str,
    /// The setting it is part of: the plugin's unit of inheritance and
    /// provenance (`due-terms` for `due-count`; a setting of one field
    /// has the field's name). `None` for the group's own fields (code,
    /// name, parent, flags).
    pub setting: Option<&'static str>,
    /// What its value is.
    pub shape: Shape,
    /// Other names the command line keeps for it (`--receivable` for
    /// `--receivable-account`), from before the options came from this table.
    pub aliases: &'static [&'static str],
    place: Place,
}

/// What a field's value is, as the record holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Text: codes, names, references, choices kept as text.
    Text,
    /// Yes or no.
    Flag,
    /// Money, in minor units.
    Money,
    /// A percentage, in basis points.
    Percent,
    /// A whole number (at most `u32::MAX`).
    Count,
    /// A day of the month (at most 255; the plugin says which are valid).
    Day,
    /// A period unit: days, weeks or months.
    Unit,
    /// A date, `YYYY-MM-DD` (only as a column of a rule table).
    Date,
    /// A rule table: rows of its columns.
    Rows(Rules),
}

impl Shape {
    /// The kinds of form field whose values this shape holds.
    pub fn form_kinds(self) -> &'static [FieldKind] {
        match self {
            Shape::Text => &[
                FieldKind::Code,
                FieldKind::Text,
                FieldKind::Reference,
                FieldKind::Choice,
            ],
            Shape::Flag => &[FieldKind::Boolean],
            Shape::Money => &[FieldKind::Money],
            Shape::Percent => &[FieldKind::Percent],
            Shape::Count | Shape::Day => &[FieldKind::Integer],
            Shape::Unit => &[FieldKind::Choice],
            Shape::Date => &[FieldKind::Date],
            Shape::Rows(_) => &[FieldKind::Table],
        }
    }
}

/// A field's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// [`Shape::Text`].
    Text(String),
    /// [`Shape::Flag`].
    Flag(bool),
    /// [`Shape::Money`]: minor units.
    Money(i64),
    /// [`Shape::Percent`]: basis points.
    Percent(u32),
    /// [`Shape::Count`].
    Count(u32),
    /// [`Shape::Day`].
    Day(u8),
    /// [`Shape::Unit`].
    Unit(PeriodUnit),
    /// [`Shape::Date`].
    Date(String),
    /// [`Shape::Rows`]: the rows, each cell in column order.
    Rows(Vec<Row>),
}

impl Value {
    fn flag(self) -> Option<bool> {
        match self {
            Value::Flag(b) => Some(b),
            _ => None,
        }
    }

    fn money(self) -> Option<i64> {
        match self {
            Value::Money(m) => Some(m),
            _ => None,
        }
    }

    fn count(self) -> Option<u32> {
        match self {
            Value::Count(n) => Some(n),
            _ => None,
        }
    }

    fn unit(self) -> Option<PeriodUnit> {
        match self {
            Value::Unit(u) => Some(u),
            _ => None,
        }
    }

    /// Whether the value is of `shape`.
    pub fn fits(&self, shape: Shape) -> bool {
        matches!(
            (self, shape),
            (Value::Text(_), Shape::Text)
                | (Value::Flag(_), Shape::Flag)
                | (Value::Money(_), Shape::Money)
                | (Value::Percent(_), Shape::Percent)
                | (Value::Count(_), Shape::Count)
                | (Value::Day(_), Shape::Day)
                | (Value::Unit(_), Shape::Unit)
                | (Value::Date(_), Shape::Date)
                | (Value::Rows(_), Shape::Rows(_))
        )
    }
}

/// Why a value could not be written to a field.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FieldError {
    /// The value is not of the field's shape.
    #[error("`{field}` takes {expected:?} values, not {found:?}")]
    Shape {
        /// The field (or `table.column`).
        field: String,
        /// Its shape.
        expected: Shape,
        /// The value given.
        found: Value,
    },
    /// A row of a rule table lacks a cell its table requires.
    #[error("a row of `{table}` has no `{column}`")]
    MissingCell {
        /// The rule table.
        table: &'static str,
        /// The column.
        column: &'static str,
    },
    /// A row of a rule table has another number of cells than columns.
    #[error("a row of `{table}` has {found} cells; the table has {expected} columns")]
    RowWidth {
        /// The rule table.
        table: &'static str,
        /// Its columns.
        expected: usize,
        /// The cells given.
        found: usize,
    },
    /// The field is the group's own, not a setting (the AR settings and a
    /// customer's terms hold settings only).
    #[error("`{0}` is not a setting")]
    NotASetting(&'static str),
}

/// Where a field's value lives in the record.
#[derive(Clone, Copy, Debug)]
enum Place {
    Code,
    Name,
    Parent,
    IsGroup,
    Inactive,
    Text(Lens<String>),
    /// A setting that is yes, no, or inherited.
    Switch(Lens<bool>),
    Money(Lens<i64>),
    Count(Lens<u32>),
    Unit(Lens<PeriodUnit>),
    /// A part of the due terms.
    Due(Part),
    /// A part of the prompt payment discount's period.
    Discount(Part),
    /// The prompt payment discount's percentage.
    DiscountPercent,
    Rules(Rules),
}

/// A part of a period written as separate fields.
#[derive(Clone, Copy, Debug)]
enum Part {
    Count,
    Unit,
    Day,
}

/// An optional setting of the record, by reference.
struct Lens<T: 'static> {
    get: fn(&Settings) -> &Option<T>,
    get_mut: fn(&mut Settings) -> &mut Option<T>,
}

impl<T> Clone for Lens<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Lens<T> {}

impl<T> std::fmt::Debug for Lens<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lens")
    }
}

/// Every field the host can store, in the order of the bundled plugin's
/// form: the group's own fields first (code, name, parent, the flags),
/// then the settings.
pub fn all() -> &'static [Field] {
    table::FIELDS
}

/// The field named `name` (a form field name), if the table has it.
pub fn find(name: &str) -> Option<&'static Field> {
    table::FIELDS.iter().find(|f| f.name == name)
}

/// The field that is a group's parent (what a new group inherits from).
pub fn parent_field() -> Option<&'static Field> {
    all().iter().find(|f| f.is_parent())
}

/// The fields that are settings (what the AR settings hold), in order.
pub fn settings_fields() -> impl Iterator<Item = &'static Field> {
    table::FIELDS.iter().filter(|f| f.setting.is_some())
}

/// The fields of the group itself (not settings), in order.
pub fn group_fields() -> impl Iterator<Item = &'static Field> {
    table::FIELDS.iter().filter(|f| f.setting.is_none())
}

/// The settings' names (the plugin's units of inheritance: `due-terms`
/// holds `due-count`, `due-unit` and `due-day`), in order, each once.
pub fn settings() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for name in settings_fields().filter_map(|f| f.setting) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The fields of setting `setting`, in order.
pub fn fields_of(setting: &str) -> impl Iterator<Item = &'static Field> {
    settings_fields().filter(move |f| f.setting == Some(setting))
}

/// A setting's value, whole: one field's, or a period's parts.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingValue {
    /// A setting of one field.
    Single(Value),
    /// A period (the due terms).
    Period(DueTerms),
    /// A percentage within a period (the prompt payment discount).
    Discount {
        /// Basis points.
        percent: u32,
        /// The period.
        within: DueTerms,
    },
}

/// The value of setting `name` in `s`; `None` when unset or not a setting.
pub fn setting_value(s: &Settings, name: &str) -> Option<SettingValue> {
    let mut fields = fields_of(name);
    let first = fields.next()?;
    Some(match first.place {
        Place::Due(_) => SettingValue::Period(s.due_terms?),
        Place::Discount(_) | Place::DiscountPercent => {
            let d = s.prompt_payment_discount?;
            SettingValue::Discount {
                percent: d.percent,
                within: d.within,
            }
        }
        _ => SettingValue::Single(first.get_setting(s)?),
    })
}

/// The fields of the form that may differ per company (the plugin's
/// `per-company` marks), as the field table has them.
pub fn per_company(form: &FormDefinition) -> Vec<&'static Field> {
    form.fields
        .iter()
        .filter(|f| f.per_company)
        .filter_map(|f| find(&f.name))
        .filter(|f| !f.is_group_own())
        .collect()
}

/// `s` as a company other than the default sees it: each of the
/// per-company fields `fields` takes its value in `row`, what the group
/// sets for that company (blank where `row` leaves it blank, or when there
/// is no row).
pub fn overlay(s: &mut Settings, row: Option<&Settings>, fields: &[&'static Field]) {
    for field in fields {
        let value = row.and_then(|r| field.get_setting(r));
        // The field table's own value for its own field always fits.
        let _ = field.set_setting(s, value);
    }
}

/// Clears setting `name` (makes it inherit); `false` when there is no such
/// setting.
pub fn clear_setting(s: &mut Settings, name: &str) -> bool {
    let mut found = false;
    for field in fields_of(name) {
        found = true;
        // Clearing the first part of a period clears the period.
        if field.set_setting(s, None).is_err() {
            return false;
        }
    }
    found
}

impl Field {
    /// Whether the field belongs to the group itself, not to its settings.
    pub fn is_group_own(&self) -> bool {
        self.setting.is_none()
    }

    /// Whether the field is the group's code (what names a group; fixed
    /// once created).
    pub fn is_code(&self) -> bool {
        matches!(self.place, Place::Code)
    }

    /// Whether the field says the group is a group node (takes child
    /// groups, not customers).
    pub fn is_group_node(&self) -> bool {
        matches!(self.place, Place::IsGroup)
    }

    /// Whether the field is the group's parent (what a new group inherits
    /// from).
    pub fn is_parent(&self) -> bool {
        matches!(self.place, Place::Parent)
    }

    /// Whether a group must have the field: its code and its name (the
    /// record has no "no value" for them; a flag is false when not given).
    pub fn is_required(&self) -> bool {
        matches!(self.place, Place::Code | Place::Name)
    }

    /// Whether the record can hold "no value" for the field (every setting,
    /// the parent): not the code, the name, nor the flags.
    pub fn clearable(&self) -> bool {
        !matches!(
            self.place,
            Place::Code | Place::Name | Place::IsGroup | Place::Inactive
        )
    }

    /// The field's value on `group`; `None` when it holds none.
    pub fn get(&self, group: &CustomerGroup) -> Option<Value> {
        match self.place {
            Place::Code => Some(Value::Text(group.code.clone())),
            Place::Name => Some(Value::Text(group.name.clone())),
            Place::Parent => group.parent.clone().map(Value::Text),
            Place::IsGroup => Some(Value::Flag(group.is_group)),
            Place::Inactive => Some(Value::Flag(group.inactive)),
            _ => self.get_setting(&group.settings),
        }
    }

    /// The field's value in settings `s`; `None` when unset, and for the
    /// group's own fields.
    pub fn get_setting(&self, s: &Settings) -> Option<Value> {
        let part = |terms: &DueTerms, part: Part| match part {
            Part::Count => Some(Value::Count(terms.count)),
            Part::Unit => Some(Value::Unit(terms.unit)),
            Part::Day => terms.day.map(Value::Day),
        };
        match self.place {
            Place::Code | Place::Name | Place::Parent | Place::IsGroup | Place::Inactive => None,
            Place::Text(lens) => (lens.get)(s).clone().map(Value::Text),
            Place::Switch(lens) => (lens.get)(s).map(Value::Flag),
            Place::Money(lens) => (lens.get)(s).map(Value::Money),
            Place::Count(lens) => (lens.get)(s).map(Value::Count),
            Place::Unit(lens) => (lens.get)(s).map(Value::Unit),
            Place::Due(p) => s.due_terms.as_ref().and_then(|t| part(t, p)),
            Place::Discount(p) => s
                .prompt_payment_discount
                .as_ref()
                .and_then(|d| part(&d.within, p)),
            Place::DiscountPercent => s.prompt_payment_discount.map(|d| Value::Percent(d.percent)),
            Place::Rules(rules) => rules.get(s).map(Value::Rows),
        }
    }

    /// Writes `value` to the field of `group`; `None` clears it (see
    /// [`Field::set_setting`]; the code and the name become empty, a flag
    /// false).
    pub fn set(&self, group: &mut CustomerGroup, value: Option<Value>) -> Result<(), FieldError> {
        self.check(value.as_ref())?;
        match (self.place, value) {
            (Place::Code, v) => group.code = text(v),
            (Place::Name, v) => group.name = text(v),
            (Place::Parent, v) => group.parent = v.map(|v| text(Some(v))),
            (Place::IsGroup, v) => group.is_group = matches!(v, Some(Value::Flag(true))),
            (Place::Inactive, v) => group.inactive = matches!(v, Some(Value::Flag(true))),
            (_, v) => self.set_setting(&mut group.settings, v)?,
        }
        Ok(())
    }

    /// Writes `value` to the field of settings `s`; `None` clears it. A
    /// part of a period creates the period when it is unset (0 days,
    /// without a day of the month, until its other parts are written);
    /// clearing a period's count, unit or the discount's percentage clears
    /// the whole setting, clearing its day only the day.
    pub fn set_setting(&self, s: &mut Settings, value: Option<Value>) -> Result<(), FieldError> {
        self.check(value.as_ref())?;
        let blank = || DueTerms {
            count: 0,
            unit: PeriodUnit::Days,
            day: None,
        };
        match (self.place, value) {
            (Place::Code | Place::Name | Place::Parent | Place::IsGroup | Place::Inactive, _) => {
                return Err(FieldError::NotASetting(self.name));
            }
            (Place::Text(lens), v) => *(lens.get_mut)(s) = v.map(|v| text(Some(v))),
            (Place::Switch(lens), v) => *(lens.get_mut)(s) = v.and_then(Value::flag),
            (Place::Money(lens), v) => *(lens.get_mut)(s) = v.and_then(Value::money),
            (Place::Count(lens), v) => *(lens.get_mut)(s) = v.and_then(Value::count),
            (Place::Unit(lens), v) => *(lens.get_mut)(s) = v.and_then(Value::unit),
            (Place::Due(part), v) => match (part, v) {
                (Part::Day, None) => {
                    if let Some(t) = &mut s.due_terms {
                        t.day = None;
                    }
                }
                (_, None) => s.due_terms = None,
                (part, Some(v)) => set_part(s.due_terms.get_or_insert_with(blank), part, v),
            },
            (Place::Discount(part), v) => match (part, v) {
                (Part::Day, None) => {
                    if let Some(d) = &mut s.prompt_payment_discount {
                        d.within.day = None;
                    }
                }
                (_, None) => s.prompt_payment_discount = None,
                (part, Some(v)) => {
                    let d = discount(s, blank());
                    set_part(&mut d.within, part, v);
                }
            },
            (Place::DiscountPercent, None) => s.prompt_payment_discount = None,
            (Place::DiscountPercent, Some(v)) => {
                if let Value::Percent(p) = v {
                    discount(s, blank()).percent = p;
                }
            }
            (Place::Rules(rules), None) => rules.set(s, None)?,
            (Place::Rules(rules), Some(Value::Rows(rows))) => rules.set(s, Some(rows))?,
            (Place::Rules(_), Some(_)) => {}
        }
        Ok(())
    }

    fn check(&self, value: Option<&Value>) -> Result<(), FieldError> {
        match value {
            Some(v) if !v.fits(self.shape) => Err(FieldError::Shape {
                field: self.name.to_owned(),
                expected: self.shape,
                found: v.clone(),
            }),
            _ => Ok(()),
        }
    }
}

/// The text of a value checked to be [`Value::Text`]; empty for none.
fn text(value: Option<Value>) -> String {
    match value {
        Some(Value::Text(t)) => t,
        _ => String::new(),
    }
}

fn set_part(terms: &mut DueTerms, part: Part, value: Value) {
    match (part, value) {
        (Part::Count, Value::Count(n)) => terms.count = n,
        (Part::Unit, Value::Unit(u)) => terms.unit = u,
        (Part::Day, Value::Day(d)) => terms.day = Some(d),
        _ => {}
    }
}

fn discount(s: &mut Settings, within: DueTerms) -> &mut crate::wit::PromptDiscount {
    s.prompt_payment_discount
        .get_or_insert(crate::wit::PromptDiscount { percent: 0, within })
}

/// The problems of the table measured against `form` (a plugin's form
/// definition): a field the users fill in that the table lacks, a field
/// the table has that the form lacks, another order, a kind the field's
/// shape cannot hold, other columns in a rule table. Empty when the table
/// is the form's.
pub fn check(form: &FormDefinition) -> Vec<String> {
    let mut problems = Vec::new();
    let editable: Vec<&str> = form
        .fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| f.name.as_str())
        .collect();
    for name in &editable {
        if find(name).is_none() {
            problems.push(format!(
                "the form's field `{name}` has no place in host-harness/src/fields/table.rs"
            ));
        }
    }
    for field in all() {
        if !editable.contains(&field.name) {
            problems.push(format!("`{}` is not a field of the form", field.name));
        }
    }
    let ours: Vec<&str> = all().iter().map(|f| f.name).collect();
    if problems.is_empty() && ours != editable {
        problems.push(format!(
            "the table's order {ours:?} is not the form's {editable:?}"
        ));
    }
    for field in form.fields.iter().filter(|f| !f.read_only) {
        let Some(ours) = find(&field.name) else {
            continue;
        };
        if !ours.shape.form_kinds().contains(&field.kind) {
            problems.push(format!(
                "`{}` is a {} field in the form; the host holds {:?} values",
                field.name,
                field.kind.as_str(),
                ours.shape
            ));
        }
        let theirs: Vec<&str> = field.columns.iter().map(|c| c.name.as_str()).collect();
        let columns: Vec<&str> = match ours.shape {
            Shape::Rows(rules) => rules.columns().iter().map(|c| c.name).collect(),
            _ => Vec::new(),
        };
        if theirs != columns {
            problems.push(format!(
                "the columns of `{}` are {theirs:?} in the form, {columns:?} here",
                field.name
            ));
        }
        if let Shape::Rows(rules) = ours.shape {
            for (column, form) in rules.columns().iter().zip(&field.columns) {
                if !column.shape.form_kinds().contains(&form.kind) {
                    problems.push(format!(
                        "`{}.{}` is a {} column in the form; the host holds {:?} values",
                        field.name,
                        column.name,
                        form.kind.as_str(),
                        column.shape
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests;
