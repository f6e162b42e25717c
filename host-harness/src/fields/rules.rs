//! The rule tables: their columns (by the form's column names) and how a
//! table's rows, cell by cell, map to the records the contract has for
//! them. A new rule table is a new record type in the contract: it needs
//! its columns and its two conversions here, nothing elsewhere.

use super::{FieldError, Shape, Value};
use crate::wit::{PaymentDiscountRule, PointsRule, ProductGiftRule, SalesDiscountRule, Settings};

/// A column of a rule table.
#[derive(Debug)]
pub struct Column {
    /// The form's column name.
    pub name: &'static str,
    /// What its cells are.
    pub shape: Shape,
    /// Whether a row must have it.
    pub required: bool,
}

/// One row of a rule table: a cell for each column, in column order;
/// `None` for an optional cell left empty.
pub type Row = Vec<Option<Value>>;

/// The rule tables the record has.
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

const fn column(name: &'static str, shape: Shape) -> Column {
    Column {
        name,
        shape,
        required: true,
    }
}

const VALID_FROM: Column = column("valid-from", Shape::Date);
const VALID_TO: Column = Column {
    required: false,
    ..column("valid-to", Shape::Date)
};
const MIN_AMOUNT: Column = column("min-amount", Shape::Money);
const PERCENT: Column = column("percent", Shape::Percent);

const SALES_DISCOUNT: &[Column] = &[VALID_FROM, VALID_TO, MIN_AMOUNT, PERCENT];
const PAYMENT_DISCOUNT: &[Column] = &[
    VALID_FROM,
    VALID_TO,
    column("within-days", Shape::Count),
    PERCENT,
];
const PRODUCT_GIFT: &[Column] = &[
    VALID_FROM,
    VALID_TO,
    MIN_AMOUNT,
    column("product", Shape::Text),
    column("quantity", Shape::Count),
];
const POINTS: &[Column] = &[
    VALID_FROM,
    VALID_TO,
    MIN_AMOUNT,
    column("amount-per-point", Shape::Money),
];

impl Rules {
    /// The table's field name.
    pub const fn name(self) -> &'static str {
        match self {
            Rules::SalesDiscount => "sales-discount-rules",
            Rules::PaymentDiscount => "payment-discount-rules",
            Rules::ProductGift => "product-gift-rules",
            Rules::Points => "points-rules",
        }
    }

    /// The table's columns, in the form's order.
    pub const fn columns(self) -> &'static [Column] {
        match self {
            Rules::SalesDiscount => SALES_DISCOUNT,
            Rules::PaymentDiscount => PAYMENT_DISCOUNT,
            Rules::ProductGift => PRODUCT_GIFT,
            Rules::Points => POINTS,
        }
    }

    /// The table's rows in `s`; `None` when unset (inherited).
    pub(super) fn get(self, s: &Settings) -> Option<Vec<Row>> {
        let date = |d: &str| Some(Value::Date(d.to_owned()));
        let to = |d: &Option<String>| d.clone().map(Value::Date);
        Some(match self {
            Rules::SalesDiscount => s
                .sales_discount_rules
                .as_ref()?
                .iter()
                .map(|r| {
                    vec![
                        date(&r.valid_from),
                        to(&r.valid_to),
                        Some(Value::Money(r.min_amount)),
                        Some(Value::Percent(r.percent)),
                    ]
                })
                .collect(),
            Rules::PaymentDiscount => s
                .payment_discount_rules
                .as_ref()?
                .iter()
                .map(|r| {
                    vec![
                        date(&r.valid_from),
                        to(&r.valid_to),
                        Some(Value::Count(r.within_days)),
                        Some(Value::Percent(r.percent)),
                    ]
                })
                .collect(),
            Rules::ProductGift => s
                .product_gift_rules
                .as_ref()?
                .iter()
                .map(|r| {
                    vec![
                        date(&r.valid_from),
                        to(&r.valid_to),
                        Some(Value::Money(r.min_amount)),
                        Some(Value::Text(r.product.clone())),
                        Some(Value::Count(r.quantity)),
                    ]
                })
                .collect(),
            Rules::Points => s
                .points_rules
                .as_ref()?
                .iter()
                .map(|r| {
                    vec![
                        date(&r.valid_from),
                        to(&r.valid_to),
                        Some(Value::Money(r.min_amount)),
                        Some(Value::Money(r.amount_per_point)),
                    ]
                })
                .collect(),
        })
    }

    /// Writes the table's rows to `s`; `None` makes it inherit, no rows
    /// means "no rules".
    pub(super) fn set(self, s: &mut Settings, rows: Option<Vec<Row>>) -> Result<(), FieldError> {
        let Some(rows) = rows else {
            match self {
                Rules::SalesDiscount => s.sales_discount_rules = None,
                Rules::PaymentDiscount => s.payment_discount_rules = None,
                Rules::ProductGift => s.product_gift_rules = None,
                Rules::Points => s.points_rules = None,
            }
            return Ok(());
        };
        let cells: Vec<Cells> = rows
            .into_iter()
            .map(|row| Cells::new(self, row))
            .collect::<Result<_, _>>()?;
        match self {
            Rules::SalesDiscount => {
                s.sales_discount_rules = Some(each(cells, |c| {
                    Ok(SalesDiscountRule {
                        valid_from: c.date(0)?,
                        valid_to: c.optional_date(1),
                        min_amount: c.money(2)?,
                        percent: c.percent(3)?,
                    })
                })?);
            }
            Rules::PaymentDiscount => {
                s.payment_discount_rules = Some(each(cells, |c| {
                    Ok(PaymentDiscountRule {
                        valid_from: c.date(0)?,
                        valid_to: c.optional_date(1),
                        within_days: c.count(2)?,
                        percent: c.percent(3)?,
                    })
                })?);
            }
            Rules::ProductGift => {
                s.product_gift_rules = Some(each(cells, |c| {
                    Ok(ProductGiftRule {
                        valid_from: c.date(0)?,
                        valid_to: c.optional_date(1),
                        min_amount: c.money(2)?,
                        product: c.text(3)?,
                        quantity: c.count(4)?,
                    })
                })?);
            }
            Rules::Points => {
                s.points_rules = Some(each(cells, |c| {
                    Ok(PointsRule {
                        valid_from: c.date(0)?,
                        valid_to: c.optional_date(1),
                        min_amount: c.money(2)?,
                        amount_per_point: c.money(3)?,
                    })
                })?);
            }
        }
        Ok(())
    }
}

/// Each row's cells made into a rule by `rule`, in order.
fn each<T>(
    cells: Vec<Cells>,
    mut rule: impl FnMut(&mut Cells) -> Result<T, FieldError>,
) -> Result<Vec<T>, FieldError> {
    cells.into_iter().map(|mut c| rule(&mut c)).collect()
}

/// A row's cells, checked against the table's columns, taken one by one.
struct Cells {
    table: Rules,
    cells: Row,
}

impl Cells {
    fn new(table: Rules, cells: Row) -> Result<Self, FieldError> {
        let columns = table.columns();
        if cells.len() != columns.len() {
            return Err(FieldError::RowWidth {
                table: table.name(),
                expected: columns.len(),
                found: cells.len(),
            });
        }
        for (cell, column) in cells.iter().zip(columns) {
            match cell {
                None if column.required => {
                    return Err(FieldError::MissingCell {
                        table: table.name(),
                        column: column.name,
                    });
                }
                Some(v) if !v.fits(column.shape) => {
                    return Err(FieldError::Shape {
                        field: format!("{}.{}", table.name(), column.name),
                        expected: column.shape,
                        found: v.clone(),
                    });
                }
                _ => {}
            }
        }
        Ok(Self { table, cells })
    }

    /// Cell `i` (checked to be of its column's shape, and there if required).
    fn take(&mut self, i: usize) -> Result<Value, FieldError> {
        self.cells
            .get_mut(i)
            .and_then(Option::take)
            .ok_or_else(|| FieldError::MissingCell {
                table: self.table.name(),
                column: self.table.columns().get(i).map_or("?", |c| c.name),
            })
    }

    fn date(&mut self, i: usize) -> Result<String, FieldError> {
        match self.take(i)? {
            Value::Date(d) => Ok(d),
            other => Err(self.wrong(i, other)),
        }
    }

    fn optional_date(&mut self, i: usize) -> Option<String> {
        match self.cells.get_mut(i).and_then(Option::take) {
            Some(Value::Date(d)) => Some(d),
            _ => None,
        }
    }

    fn text(&mut self, i: usize) -> Result<String, FieldError> {
        match self.take(i)? {
            Value::Text(t) => Ok(t),
            other => Err(self.wrong(i, other)),
        }
    }

    fn money(&mut self, i: usize) -> Result<i64, FieldError> {
        match self.take(i)? {
            Value::Money(m) => Ok(m),
            other => Err(self.wrong(i, other)),
        }
    }

    fn percent(&mut self, i: usize) -> Result<u32, FieldError> {
        match self.take(i)? {
            Value::Percent(p) => Ok(p),
            other => Err(self.wrong(i, other)),
        }
    }

    fn count(&mut self, i: usize) -> Result<u32, FieldError> {
        match self.take(i)? {
            Value::Count(n) => Ok(n),
            other => Err(self.wrong(i, other)),
        }
    }

    fn wrong(&self, i: usize, found: Value) -> FieldError {
        let column = self.table.columns().get(i);
        FieldError::Shape {
            field: format!("{}.{}", self.table.name(), column.map_or("?", |c| c.name)),
            expected: column.map_or(Shape::Text, |c| c.shape),
            found,
        }
    }
}
