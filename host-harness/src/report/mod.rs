//! Reports by customer group: receivables with each group's descendants
//! rolled up, and the sales trend per month (seed 003) as a table, CSV or an
//! SVG chart. Amounts are in the ledger's base currency, converted per
//! transaction exactly as batches convert them.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use rusqlite::OptionalExtension;

use crate::gl::{Gl, GlError};
use crate::store::{Db, StoreError};
use crate::units::{amount_text, minor_rate, to_base};

mod companies;
pub use companies::{Companies, Consolidation};

/// One group's receivables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReceivableRow {
    /// The group.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its depth in the tree (0 at the top).
    pub depth: usize,
    /// Customers in the group itself.
    pub customers: i64,
    /// The balance of the group's own customers, base minor units.
    pub own: i64,
    /// The balance of the group and every descendant.
    pub consolidated: i64,
}

/// The sales trend: net sales (invoices less credit notes, tax excluded) per
/// group and month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Trend {
    /// The months, `YYYY-MM`, oldest first, every month of the range.
    pub months: Vec<String>,
    /// (group code, group name, one amount per month), largest total first.
    pub series: Vec<(String, String, Vec<i64>)>,
    /// The base currency.
    pub currency: String,
    /// Its decimals.
    pub decimals: u32,
}

struct Tree {
    /// (code, name, parent), by code.
    groups: Vec<(String, String, Option<String>)>,
    children: HashMap<String, Vec<usize>>,
}

fn tree(db: &Db) -> Result<Tree, StoreError> {
    let conn = db.conn();
    let mut stmt =
        conn.prepare_cached("SELECT code, name, parent FROM customer_groups ORDER BY code")?;
    let groups: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut children: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, _, parent)) in groups.iter().enumerate() {
        children
            .entry(parent.clone().unwrap_or_default())
            .or_default()
            .push(i);
    }
    Ok(Tree { groups, children })
}

/// Rates from each currency to base minor units, per stored rate.
struct Converter {
    base_decimals: u32,
    decimals: HashMap<String, u32>,
}

impl Converter {
    /// The conversion to `company`'s base currency.
    fn new(db: &Db, company: &str) -> Result<(Self, String), StoreError> {
        let settings = db.gl_settings_of(company)?;
        let decimals = db.currency_decimals()?;
        let base_decimals = decimals.get(&settings.base_currency).copied().unwrap_or(2);
        Ok((
            Self {
                base_decimals,
                decimals,
            },
            settings.base_currency,
        ))
    }

    /// `amount` of `currency` in base minor units at the stored rate. A
    /// transaction stored without a rate (NULL) is one the plugin's posting
    /// rules accepted without one, which they do only in the base currency:
    /// its amount is a base amount already.
    fn base(&self, amount: i64, currency: &str, rate_nanos: Option<i64>) -> i64 {
        let Some(rate_nanos) = rate_nanos else {
            return amount;
        };
        let from = self.decimals.get(currency).copied().unwrap_or(2);
        minor_rate(
            u64::try_from(rate_nanos).unwrap_or(0),
            from,
            self.base_decimals,
        )
        .and_then(|rate| to_base(amount, rate))
        .unwrap_or(0)
    }
}

/// Receivables by group as of a day (all when `None`), the tree in order,
/// each node with its descendants consolidated. A transaction counts in the
/// group it was entered under, with what its posting does to GL Debtor (the
/// plugin's receivable lines, kept with it since entry; see `entry`), so the
/// total is always the control accounts' balance once everything is posted.
/// Transactions the posting rules refuse count nowhere ([`uncounted`]).
pub fn receivables(db: &Db, as_of: Option<&str>) -> Result<Vec<ReceivableRow>, StoreError> {
    receivables_in(db, as_of, &Consolidation::default_company(db)?)
}

/// [`receivables`] of the companies `view` takes, in its currency: each
/// company's sums per group converted at its rate, then added.
pub fn receivables_in(
    db: &Db,
    as_of: Option<&str>,
    view: &Consolidation,
) -> Result<Vec<ReceivableRow>, StoreError> {
    let mut own: HashMap<String, i64> = HashMap::new();
    let mut customers: HashMap<String, i64> = HashMap::new();
    {
        let conn = db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT coalesce(t.group_code, c.group_code), c.company, sum(t.receivable_base) \
             FROM ar_transactions t JOIN customers c ON c.code = t.customer_code \
             WHERE t.receivable_base IS NOT NULL AND (?1 IS NULL OR t.date <= ?1) \
             GROUP BY 1, 2",
        )?;
        let rows = stmt.query_map([as_of], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            let (code, company, sum): (String, String, i64) = row?;
            if let Some(sum) = view.convert(&company, sum) {
                let at = own.entry(code).or_default();
                *at = at.saturating_add(sum);
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT group_code, company, count(*) FROM customers GROUP BY group_code, company",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            let (code, company, n): (String, String, i64) = row?;
            if view.rate_of(&company).is_some() {
                *customers.entry(code).or_default() += n;
            }
        }
    }
    let tree = tree(db)?;
    let mut rows = Vec::with_capacity(tree.groups.len());
    fn walk(
        tree: &Tree,
        parent: &str,
        depth: usize,
        own: &HashMap<String, i64>,
        customers: &HashMap<String, i64>,
        rows: &mut Vec<ReceivableRow>,
    ) -> i64 {
        let mut total = 0;
        for &i in tree.children.get(parent).into_iter().flatten() {
            let (code, name, _) = &tree.groups[i];
            let at = rows.len();
            let mine = own.get(code).copied().unwrap_or(0);
            rows.push(ReceivableRow {
                code: code.clone(),
                name: name.clone(),
                depth,
                customers: customers.get(code).copied().unwrap_or(0),
                own: mine,
                consolidated: 0,
            });
            // From the roots down: a group in a loop of parents is never
            // reached, and how deep the tree is the plugin's rule.
            let below = walk(tree, code, depth + 1, own, customers, rows);
            rows[at].consolidated = mine + below;
            total += mine + below;
        }
        total
    }
    walk(&tree, "", 0, &own, &customers, &mut rows);
    Ok(rows)
}

/// The sales trend from month `from` to month `to` (`YYYY-MM`, inclusive),
/// for the groups under `under` (itself included) or all. Like
/// [`receivables`], a transaction counts in the group it was entered under:
/// moving a customer never moves its history.
pub fn sales_trend(
    db: &Db,
    from: &str,
    to: &str,
    under: Option<&str>,
) -> Result<Trend, StoreError> {
    sales_trend_in(db, from, to, under, &Consolidation::default_company(db)?)
}

/// [`sales_trend`] of the companies `view` takes, in its currency: each
/// transaction converted to its company's base currency as batches convert
/// it, then at the company's rate.
pub fn sales_trend_in(
    db: &Db,
    from: &str,
    to: &str,
    under: Option<&str>,
    view: &Consolidation,
) -> Result<Trend, StoreError> {
    let months = month_range(from, to);
    let converters: HashMap<String, Converter> = view
        .companies
        .iter()
        .map(|(company, _)| Ok((company.clone(), Converter::new(db, company)?.0)))
        .collect::<Result<_, StoreError>>()?;
    let index: HashMap<&str, usize> = months
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut sums: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    {
        let conn = db.conn();
        let mut stmt = conn.prepare_cached(
            "WITH RECURSIVE scope(code) AS ( \
                 SELECT ?3 WHERE ?3 IS NOT NULL \
                 UNION ALL SELECT g.code FROM customer_groups g JOIN scope ON g.parent = scope.code) \
             SELECT coalesce(t.group_code, c.group_code), t.kind, t.amount_minor - t.tax_minor, \
                    t.currency, t.rate_nanos, substr(t.date, 1, 7), c.company \
             FROM ar_transactions t JOIN customers c ON c.code = t.customer_code \
             WHERE t.kind IN ('invoice', 'credit-note') AND substr(t.date, 1, 7) BETWEEN ?1 AND ?2 \
               AND (?3 IS NULL OR coalesce(t.group_code, c.group_code) IN (SELECT code FROM scope))",
        )?;
        let mut rows = stmt.query(rusqlite::params![from, to, under])?;
        while let Some(row) = rows.next()? {
            let month: String = row.get(5)?;
            let Some(&at) = index.get(month.as_str()) else {
                continue;
            };
            let company: String = row.get(6)?;
            let Some(convert) = converters.get(&company) else {
                continue;
            };
            let kind: String = row.get(1)?;
            let sign = if kind == "invoice" { 1 } else { -1 };
            let currency: String = row.get(3)?;
            let base = convert.base(sign * row.get::<_, i64>(2)?, &currency, row.get(4)?);
            let Some(shown) = view.convert(&company, base) else {
                continue;
            };
            let sum = &mut sums
                .entry(row.get(0)?)
                .or_insert_with(|| vec![0; months.len()])[at];
            *sum = sum.saturating_add(shown);
        }
    }
    let names: HashMap<String, String> = tree(db)?
        .groups
        .into_iter()
        .map(|(code, name, _)| (code, name))
        .collect();
    let mut series: Vec<(String, String, Vec<i64>)> = sums
        .into_iter()
        .map(|(code, values)| {
            let name = names.get(&code).cloned().unwrap_or_default();
            (code, name, values)
        })
        .collect();
    series.sort_by_key(|(code, _, values)| {
        (std::cmp::Reverse(values.iter().sum::<i64>()), code.clone())
    });
    Ok(Trend {
        months,
        series,
        currency: view.currency.clone(),
        decimals: view.decimals,
    })
}

/// Every month from `from` to `to` (`YYYY-MM`), at most 120.
pub fn month_range(from: &str, to: &str) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, i32)> {
        let (y, mo) = m.split_once('-')?;
        let (y, mo) = (y.parse().ok()?, mo.parse().ok()?);
        (m.len() == 7 && (1..=12).contains(&mo)).then_some((y, mo))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(from), parse(to)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 120 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// The trend as CSV: a row per group, a column per month.
pub fn trend_csv(trend: &Trend) -> String {
    let mut out = String::from("group,name");
    for m in &trend.months {
        out.push(',');
        out.push_str(m);
    }
    out.push_str(",total\n");
    for (code, name, values) in &trend.series {
        let quoted = |s: &str| {
            let s = if s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_owned()
            };
            format!("\"{}\"", s.replace('"', "\"\""))
        };
        let _ = write!(out, "{},{}", quoted(code), quoted(name));
        for v in values {
            let _ = write!(out, ",{}", amount_text(*v, trend.decimals));
        }
        let _ = writeln!(out, ",{}", amount_text(values.iter().sum(), trend.decimals));
    }
    out
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round step for an axis from 0 to `max`: 1, 2 or 5 times a power of ten.
fn nice_step(max: i64) -> i64 {
    let rough = (max / 5).max(1);
    let mut power = 1i64;
    while power.saturating_mul(10) <= rough {
        power *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|k| k * power)
        .find(|s| *s >= rough)
        .unwrap_or(power * 10)
}

/// Colours that stay apart for the colour-blind (Okabe-Ito).
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
];

/// The trend as an SVG line chart: a line per group (the seven largest, the
/// rest summed as "Other"), months along the bottom, amounts up the side,
/// with a legend and each point's value on hover.
pub fn trend_svg(trend: &Trend, title: &str) -> String {
    let mut series: Vec<(String, Vec<i64>)> = trend
        .series
        .iter()
        .take(7)
        .map(|(code, name, v)| (format!("{code} {name}"), v.clone()))
        .collect();
    if trend.series.len() > 7 {
        let mut other = vec![0; trend.months.len()];
        for (_, _, values) in &trend.series[7..] {
            for (o, v) in other.iter_mut().zip(values) {
                *o += v;
            }
        }
        series.push((format!("Other ({} groups)", trend.series.len() - 7), other));
    }
    let (width, height) = (960i64, 540i64);
    let (left, right, top, bottom) = (110i64, 250i64, 60i64, 70i64);
    let (plot_w, plot_h) = (width - left - right, height - top - bottom);
    let values = series.iter().flat_map(|(_, v)| v.iter().copied());
    let max = values.clone().max().unwrap_or(0).max(0);
    let min = values.min().unwrap_or(0).min(0);
    let step = nice_step((max - min).max(1));
    let (lo, hi) = (
        min.div_euclid(step) * step,
        (max + step - 1).div_euclid(step).max(1) * step,
    );
    let span = (hi - lo).max(1);
    let n = trend.months.len().max(1) as i64;
    let x = |i: usize| {
        left + if n == 1 {
            plot_w / 2
        } else {
            i as i64 * plot_w / (n - 1)
        }
    };
    let y = |v: i64| top + plot_h - ((v - lo) as i128 * plot_h as i128 / span as i128) as i64;
    let unit = 10i64.pow(trend.decimals);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"##
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="32" font-size="18" font-weight="bold">{}</text>"##,
        xml(title)
    );
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="50" fill="#555">net sales per month, {} (invoices less credit notes, tax excluded)</text>"##,
        xml(&trend.currency)
    );
    let mut tick = lo;
    while tick <= hi {
        let ty = y(tick);
        let label = group_thousands(tick / unit);
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{ty}" x2="{}" y2="{ty}" stroke="{}"/><text x="{}" y="{}" text-anchor="end" fill="#333">{label}</text>"##,
            left + plot_w,
            if tick == 0 { "#888" } else { "#e5e5e5" },
            left - 8,
            ty + 4
        );
        tick += step;
    }
    let label_every = (trend.months.len() / 12).max(1);
    for (i, month) in trend.months.iter().enumerate() {
        if i % label_every == 0 {
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#333">{month}</text>"##,
                x(i),
                top + plot_h + 20
            );
        }
    }
    for (k, (label, values)) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", x(i), y(*v)))
            .collect();
        let _ = writeln!(
            svg,
            r##"<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{}"/>"##,
            points.join(" ")
        );
        for (i, v) in values.iter().enumerate() {
            let _ = writeln!(
                svg,
                r##"<circle cx="{}" cy="{}" r="3.5" fill="{colour}"><title>{} {}: {}</title></circle>"##,
                x(i),
                y(*v),
                xml(label),
                trend.months[i],
                amount_text(*v, trend.decimals)
            );
        }
        let ly = top + 10 + k as i64 * 22;
        let _ = writeln!(
            svg,
            r##"<rect x="{}" y="{}" width="14" height="14" fill="{colour}"/><text x="{}" y="{}">{}</text>"##,
            left + plot_w + 20,
            ly - 11,
            left + plot_w + 40,
            ly,
            xml(&truncate(label, 28))
        );
    }
    if series.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#888">no sales in this period</text>"##,
            left + plot_w / 2,
            top + plot_h / 2
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// Transactions that count in no balance as of a day: the posting rules
/// refuse them (they were stored before entry was checked); correct or
/// delete them (`erp-host transaction edit` / `delete`).
pub fn uncounted(db: &Db, as_of: Option<&str>) -> Result<i64, StoreError> {
    Ok(db.conn().query_row(
        "SELECT count(*) FROM ar_transactions \
         WHERE receivable_minor IS NULL AND (?1 IS NULL OR date <= ?1)",
        [as_of],
        |r| r.get(0),
    )?)
}

/// A credit check's answer, with the currencies its lines are in.
#[derive(Clone, Debug)]
pub struct CreditReport {
    /// The plugin's verdict.
    pub verdict: crate::wit::CreditVerdict,
    /// The customer's currency (its line) and the base currency (group lines).
    pub currencies: (String, String),
}

/// The group credit check of `customer` about to owe `amount` more
/// (minor units of its currency); `rate` converts it to base currency
/// (else the customer's latest transaction's rate, else 1).
pub fn credit_check(
    gl: Gl<'_>,
    customer: &str,
    amount: i64,
    rate: Option<u64>,
    locale: &str,
) -> Result<CreditReport, GlError> {
    gl.settle_unknown_effects(locale)?;
    let db = gl.db();
    let found = db
        .customer(customer)?
        .ok_or_else(|| GlError::Input(format!("customer {customer:?} does not exist")))?;
    // The customer's company's limits, in its base currency.
    let company = db.customer_company(&found.code)?;
    let scope = gl.scope(company.as_deref())?;
    let settings = db.gl_settings_of(&scope.company)?;
    let decimals = db.currency_decimals()?;
    let latest: Option<i64> = db
        .conn()
        .query_row(
            "SELECT rate_nanos FROM ar_transactions \
             WHERE customer_code = ?1 AND rate_nanos IS NOT NULL \
             ORDER BY date DESC, id DESC LIMIT 1",
            [customer],
            |r| r.get(0),
        )
        .optional()?;
    let rate = match (rate, latest) {
        (Some(rate), _) => rate,
        (None, Some(latest)) => u64::try_from(latest).unwrap_or(1_000_000_000),
        (None, None) if found.currency == settings.base_currency => 1_000_000_000,
        (None, None) => {
            return Err(GlError::Input(format!(
                "customer {customer} trades in {}; give the rate to {} with --rate",
                found.currency, settings.base_currency
            )));
        }
    };
    let from = decimals.get(&found.currency).copied().unwrap_or(2);
    let base = decimals.get(&settings.base_currency).copied().unwrap_or(2);
    let base_amount = minor_rate(rate, from, base)
        .and_then(|r| to_base(amount, r))
        .ok_or_else(|| GlError::Input("the amount is too large".into()))?;
    let request =
        crate::gl::credit::request(&db.conn(), &found.code, &found.group, (amount, base_amount))?;
    let verdict = gl
        .plugin()
        .credit_check(scope.facts(db), &request, locale)?;
    Ok(CreditReport {
        verdict,
        currencies: (found.currency, settings.base_currency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_steps_and_thousands() {
        assert_eq!(
            month_range("2025-11", "2026-02"),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(month_range("2026-13", "2027-01").is_empty());
        assert_eq!(nice_step(1_000), 200);
        assert_eq!(nice_step(7), 1);
        assert_eq!(nice_step(12), 2);
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
        assert_eq!(group_thousands(999), "999");
    }
}
