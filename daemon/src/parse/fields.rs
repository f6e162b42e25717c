//! The daemon's field table: every key a `[[group]]` table may hold, listed
//! once, with where its value goes in the group record. The names are the
//! plugin's form field names; which of them a file may use is the
//! installed plugin's form's call ([`crate::parse::schema::Schema`]), and a
//! test checks this table against the bundled plugin's form.
//!
//! This table is needed because neither the contract nor the host says
//! where a form field lives in the `customer-group` record; seven of the
//! form's fields are parts of nested records (`due-count` is
//! `settings.due-terms.count`, `payment-discount` is
//! `settings.prompt-payment-discount.percent`).

use host_harness::wit::{
    CustomerGroup, DueTerms, FieldKind, PaymentDiscountRule, PeriodUnit, PointsRule,
    ProductGiftRule, PromptDiscount, SalesDiscountRule, Settings,
};

use crate::parse::columns::Columns;
use crate::parse::problems::Problems;
use crate::parse::rows::rows;
use crate::parse::spans::Spans;
use crate::parse::values::{self, Value};

/// One key of a group table.
#[derive(Debug)]
pub struct Field {
    /// The form field's name (or the daemon's own `adopt`).
    pub name: &'static str,
    /// Where the value goes.
    pub place: Place,
}

impl Field {
    /// Whether the key is the daemon's, not a field of the form.
    pub fn daemon_own(&self) -> bool {
        matches!(self.place, Place::Adopt)
    }
}

/// A setting that is text, as the record holds it.
type TextOf = fn(&mut Settings) -> &mut Option<String>;
/// A setting that is money (minor units).
type MoneyOf = fn(&mut Settings) -> &mut Option<i64>;

/// Where a key's value goes.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// The group's code (required).
    Code,
    /// The group's name (required).
    Name,
    /// The parent group.
    Parent,
    /// The group-node flag.
    IsGroup,
    /// The inactive flag.
    Inactive,
    /// The daemon's own: take over a group the host already has.
    Adopt,
    /// A text setting.
    Text(TextOf),
    /// A money setting.
    Money(MoneyOf),
    /// `statement-count`.
    StatementCount,
    /// `statement-aging`.
    StatementAging,
    /// A part of the due terms.
    Due(Part),
    /// A part of the prompt payment discount's period.
    Discount(Part),
    /// The prompt payment discount's percentage.
    DiscountPercent,
    /// A rule table.
    Rules(Rules),
}

/// A part of a period written as separate keys.
#[derive(Clone, Copy, Debug)]
pub enum Part {
    /// How many units.
    Count,
    /// The unit.
    Unit,
    /// The day of the month (with months).
    Day,
}

/// The rule tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// `sales-discount-rules`.
    SalesDiscount,
    /// `payment-discount-rules`.
    PaymentDiscount,
    /// `product-gift-rules`.
    ProductGift,
    /// `points-rules`.
    Points,
}

impl Rules {
    /// The columns the daemon reads of a row.
    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            Rules::SalesDiscount => &["valid-from", "valid-to", "min-amount", "percent"],
            Rules::PaymentDiscount => &["valid-from", "valid-to", "within-days", "percent"],
            Rules::ProductGift => &[
                "valid-from",
                "valid-to",
                "min-amount",
                "product",
                "quantity",
            ],
            Rules::Points => &["valid-from", "valid-to", "min-amount", "amount-per-point"],
        }
    }
}

impl Place {
    /// The kinds of form field whose values this place can take.
    pub fn form_kinds(self) -> &'static [FieldKind] {
        match self {
            Place::Code => &[FieldKind::Code],
            Place::Name => &[FieldKind::Text],
            Place::Parent => &[FieldKind::Reference],
            Place::IsGroup | Place::Inactive => &[FieldKind::Boolean],
            Place::Adopt => &[],
            Place::Text(_) => &[
                FieldKind::Code,
                FieldKind::Text,
                FieldKind::Reference,
                FieldKind::Choice,
            ],
            Place::Money(_) => &[FieldKind::Money],
            Place::StatementCount | Place::Due(Part::Count | Part::Day) => &[FieldKind::Integer],
            Place::Discount(Part::Count | Part::Day) => &[FieldKind::Integer],
            Place::StatementAging | Place::Due(Part::Unit) | Place::Discount(Part::Unit) => {
                &[FieldKind::Choice]
            }
            Place::DiscountPercent => &[FieldKind::Percent],
            Place::Rules(_) => &[FieldKind::Table],
        }
    }
}

/// Lists the table once, and the key names ([`GROUP_KEYS`]) from it.
macro_rules! fields {
    ($($name:literal => $place:expr,)*) => {
        /// Every key of the field table, in the order of the form (with
        /// `adopt` after the flags): `code` and `name` first.
        pub const GROUP_KEYS: &[&str] = &[$($name),*];

        /// The field table.
        pub const FIELDS: &[Field] = &[$(Field { name: $name, place: $place }),*];
    };
}

fields! {
    "code" => Place::Code,
    "name" => Place::Name,
    "parent" => Place::Parent,
    "is-group" => Place::IsGroup,
    "inactive" => Place::Inactive,
    "adopt" => Place::Adopt,
    "currency" => Place::Text(|s| &mut s.currency),
    "receivable-account" => Place::Text(|s| &mut s.receivable_account),
    "discount-account" => Place::Text(|s| &mut s.discount_account),
    "sales-discount-account" => Place::Text(|s| &mut s.sales_discount_account),
    "reward-expense-account" => Place::Text(|s| &mut s.reward_expense_account),
    "write-off-account" => Place::Text(|s| &mut s.write_off_account),
    "bank-account" => Place::Text(|s| &mut s.bank_account),
    "price-list" => Place::Text(|s| &mut s.price_list),
    "price-code" => Place::Text(|s| &mut s.price_code),
    "payment-terms" => Place::Text(|s| &mut s.payment_terms),
    "credit-limit" => Place::Money(|s| &mut s.credit_limit),
    "shared-credit-limit" => Place::Money(|s| &mut s.shared_credit_limit),
    "due-count" => Place::Due(Part::Count),
    "due-unit" => Place::Due(Part::Unit),
    "due-day" => Place::Due(Part::Day),
    "statement-count" => Place::StatementCount,
    "statement-aging" => Place::StatementAging,
    "tax-regime" => Place::Text(|s| &mut s.tax_regime),
    "gst-override" => Place::Text(|s| &mut s.gst_override),
    "peppol-eas" => Place::Text(|s| &mut s.peppol_eas),
    "payment-discount" => Place::DiscountPercent,
    "discount-count" => Place::Discount(Part::Count),
    "discount-unit" => Place::Discount(Part::Unit),
    "discount-day" => Place::Discount(Part::Day),
    "sales-discount-rules" => Place::Rules(Rules::SalesDiscount),
    "payment-discount-rules" => Place::Rules(Rules::PaymentDiscount),
    "product-gift-rules" => Place::Rules(Rules::ProductGift),
    "points-rules" => Place::Rules(Rules::Points),
}

/// The field named `name`, if the table has it.
pub fn find(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// A group being read from its table.
pub struct Draft {
    /// The group as declared so far.
    pub group: CustomerGroup,
    /// Whether it takes over a group the host has.
    pub adopt: bool,
    /// Whether the table had a `code`.
    pub has_code: bool,
    /// Whether the table had a `name`.
    pub has_name: bool,
    due: Period,
    discount: Period,
    discount_percent: Option<u32>,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            group: CustomerGroup::new("", ""),
            adopt: false,
            has_code: false,
            has_name: false,
            due: Period::default(),
            discount: Period::default(),
            discount_percent: None,
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
        field: &Field,
        columns: &Columns,
        value: Value<'_>,
    ) {
        let group = &mut self.group;
        let s = &mut group.settings;
        match field.place {
            Place::Code => {
                self.has_code = true;
                group.code = values::string(p, &value).unwrap_or_default();
            }
            Place::Name => {
                self.has_name = true;
                group.name = values::string(p, &value).unwrap_or_default();
            }
            Place::Parent => group.parent = values::string(p, &value),
            Place::IsGroup => group.is_group = values::boolean(p, &value).unwrap_or(false),
            Place::Inactive => group.inactive = values::boolean(p, &value).unwrap_or(false),
            Place::Adopt => self.adopt = values::boolean(p, &value).unwrap_or(false),
            Place::Text(of) => *of(s) = values::string(p, &value),
            Place::Money(of) => *of(s) = values::money(p, &value),
            Place::StatementCount => s.statement_count = values::integer(p, &value),
            Place::StatementAging => s.statement_aging = values::unit(p, &value),
            Place::Due(part) => self.due.set(p, part, &value),
            Place::Discount(part) => self.discount.set(p, part, &value),
            Place::DiscountPercent => self.discount_percent = values::percent(p, &value),
            Place::Rules(rules) => read_rules(p, spans, field.name, columns, rules, s, value),
        }
    }

    /// The group as declared: the periods put together.
    pub fn finish(mut self) -> Self {
        let s = &mut self.group.settings;
        s.due_terms = self.due.terms();
        s.prompt_payment_discount = match (self.discount_percent, self.discount.terms()) {
            (None, None) => None,
            (percent, within) => Some(PromptDiscount {
                percent: percent.unwrap_or(0),
                within: within.unwrap_or(DueTerms {
                    count: 0,
                    unit: PeriodUnit::Days,
                    day: None,
                }),
            }),
        };
        self
    }
}

/// Reads rule table `name` into its setting.
fn read_rules(
    p: &mut Problems<'_>,
    spans: &mut Spans,
    name: &str,
    columns: &Columns,
    rules: Rules,
    s: &mut Settings,
    value: Value<'_>,
) {
    match rules {
        Rules::SalesDiscount => {
            s.sales_discount_rules = rows(p, spans, name, value, columns, |r| {
                Some(SalesDiscountRule {
                    valid_from: r.date("valid-from")?,
                    valid_to: r.optional_date("valid-to"),
                    min_amount: r.money("min-amount")?,
                    percent: r.percent("percent")?,
                })
            })
        }
        Rules::PaymentDiscount => {
            s.payment_discount_rules = rows(p, spans, name, value, columns, |r| {
                Some(PaymentDiscountRule {
                    valid_from: r.date("valid-from")?,
                    valid_to: r.optional_date("valid-to"),
                    within_days: r.integer("within-days")?,
                    percent: r.percent("percent")?,
                })
            })
        }
        Rules::ProductGift => {
            s.product_gift_rules = rows(p, spans, name, value, columns, |r| {
                Some(ProductGiftRule {
                    valid_from: r.date("valid-from")?,
                    valid_to: r.optional_date("valid-to"),
                    min_amount: r.money("min-amount")?,
                    product: r.string("product")?,
                    quantity: r.integer("quantity")?,
                })
            })
        }
        Rules::Points => {
            s.points_rules = rows(p, spans, name, value, columns, |r| {
                Some(PointsRule {
                    valid_from: r.date("valid-from")?,
                    valid_to: r.optional_date("valid-to"),
                    min_amount: r.money("min-amount")?,
                    amount_per_point: r.money("amount-per-point")?,
                })
            })
        }
    }
}

/// A period being read from separate keys (count, unit, day).
#[derive(Default)]
struct Period {
    count: Option<u32>,
    unit: Option<PeriodUnit>,
    day: Option<u8>,
}

impl Period {
    fn set(&mut self, p: &mut Problems<'_>, part: Part, value: &Value<'_>) {
        match part {
            Part::Count => self.count = values::integer(p, value),
            Part::Unit => self.unit = values::unit(p, value),
            Part::Day => self.day = values::integer(p, value),
        }
    }

    fn terms(&self) -> Option<DueTerms> {
        if self.count.is_none() && self.unit.is_none() && self.day.is_none() {
            return None;
        }
        Some(DueTerms {
            count: self.count.unwrap_or(0),
            unit: self.unit.unwrap_or(PeriodUnit::Days),
            day: self.day,
        })
    }
}
