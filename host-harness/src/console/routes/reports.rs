//! The reports by customer group, through the same report module as the
//! CLI's `erp-host report ...`:
//!
//! - `GET /reports/receivables?as-of=DAY`: receivables by group, each
//!   group with its descendants rolled up the tree;
//! - `GET /reports/trend?from=YYYY-MM&to=YYYY-MM&group=CODE`: net sales per
//!   month per group, as a table and a chart (`/reports/trend.svg`, the
//!   same query: an image, so the page needs no script);
//! - `GET /reports/credit?customer=CODE&amount=N&rate=R`: the group credit
//!   check, every limit weighed.
//!
//! The receivables and the trend take `company` (a code, or `all`),
//! `currency` and `rates` (`USD=15500, EUR=17000`), as `--company`,
//! `--currency` and `--rate` of the CLI: one company in its base currency
//! (the default company unless asked), or all consolidated.
//!
//! Every role reads them.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::{App, Stop, Who, blocking, chrome, field, html, query, signed_in};
use crate::console::pages::{CompanyView, CreditPage, ReceivablesPage, TrendPage};
use crate::console::words::{self, Words};
use crate::gl::{GlError, is_date};
use crate::messages::{Locale, Localize};
use crate::report::{self, Companies, Consolidation};
use crate::store::{Db, StoreError};
use crate::units::amount_text;
use crate::wit::CreditScope;

/// A query value, trimmed; `None` when blank.
fn given<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    field(pairs, name).map(str::trim).filter(|v| !v.is_empty())
}

/// Which companies the report's query asks for (`company`: a code, `all`,
/// or blank for the default company; `currency`; `rates`: `USD=15500,
/// EUR=17000`), as the form shows it again, and the consolidation it
/// means or why not (in the user's words).
fn company_view(
    db: &Db,
    l: Locale,
    pairs: &[(String, String)],
) -> Result<(CompanyView, Result<Consolidation, Vec<String>>), Stop> {
    let asked = given(pairs, "company");
    let all = asked.is_some_and(|c| c.eq_ignore_ascii_case("all"));
    let options = super::company::choices(db, asked)?;
    let view = CompanyView {
        several: !options.is_empty(),
        options,
        all,
        currency: field(pairs, "currency").unwrap_or_default().to_owned(),
        rates: field(pairs, "rates").unwrap_or_default().to_owned(),
    };
    let mut errors = Vec::new();
    let mut rates = Vec::new();
    for pair in view
        .rates
        .split([',', ' '])
        .filter(|p| !p.trim().is_empty())
    {
        match crate::units::parse_rate_pair(pair) {
            Ok(rate) => rates.push(rate),
            Err(e) => errors.push(e.localize(l)),
        }
    }
    if !errors.is_empty() {
        return Ok((view, Err(errors)));
    }
    let currency = given(pairs, "currency");
    if asked.is_none() && currency.is_none() && rates.is_empty() {
        // What the reports showed before companies: the default company in
        // its base currency, even while that is still blank.
        return Ok((view, Ok(Consolidation::default_company(db)?)));
    }
    let which = if all {
        Companies::All
    } else {
        Companies::One(asked)
    };
    let consolidation = match Consolidation::of(db, which, currency, &rates, l) {
        Ok(c) => Ok(c),
        // What the user asked for (no such company, a rate missing): said.
        Err(e @ (GlError::Store(StoreError::NotFound { .. }) | GlError::Input(_))) => {
            Err(vec![e.localize(l)])
        }
        Err(other) => return Err(other.into()),
    };
    Ok((view, consolidation))
}

/// The query that asks for the same companies as `view` (for the chart).
fn view_query<'a>(view: &'a CompanyView, q: &mut Vec<(&'static str, &'a str)>) {
    if !view.several {
        return;
    }
    if view.all {
        q.push(("company", "all"));
    } else if let Some((code, _, _)) = view.options.iter().find(|(_, _, chosen)| *chosen) {
        q.push(("company", code.as_str()));
    }
    for (name, value) in [("currency", &view.currency), ("rates", &view.rates)] {
        if !value.trim().is_empty() {
            q.push((name, value.as_str()));
        }
    }
}

/// `GET /reports/receivables`.
pub(super) async fn receivables(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let l = who.locale();
        let admin = app.admin()?;
        let db = admin.db();
        let as_of = given(&pairs, "as-of");
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        let mut total = 0;
        let mut uncounted = 0;
        let (view, consolidation) = company_view(db, l, &pairs)?;
        let (currency, d) = match &consolidation {
            Ok(c) => (c.currency.clone(), c.decimals),
            Err(_) => (String::new(), 2),
        };
        match (as_of, consolidation) {
            (Some(day), _) if !is_date(day) => errors.push(words::not_a_date(l, day)),
            (_, Err(why)) => errors = why,
            (_, Ok(consolidation)) => {
                admin.gl().settle_unknown_effects(l.tag())?;
                for r in report::receivables_in(db, as_of, &consolidation)? {
                    if r.depth == 0 {
                        total += r.consolidated;
                    }
                    rows.push((
                        r.depth,
                        format!("{} {}", r.code, r.name),
                        r.customers,
                        amount_text(r.own, d),
                        amount_text(r.consolidated, d),
                    ));
                }
                uncounted = report::uncounted(db, as_of)?;
            }
        }
        let page = ReceivablesPage {
            chrome: chrome(app, &who, "/reports/receivables")?,
            as_of: as_of.unwrap_or_default().to_owned(),
            view,
            currency,
            rows,
            total: amount_text(total, d),
            uncounted: (uncounted > 0).then(|| crate::messages::uncounted_note(l, uncounted)),
            errors,
        };
        Ok(html(page.render()?))
    })
    .await
}

/// The trend's months and group from the query: (from, to, group), or
/// why not.
fn trend_query(
    db: &Db,
    who: &Who,
    pairs: &[(String, String)],
) -> Result<(String, String, Option<String>), Vec<String>> {
    let l = who.locale();
    let from = given(pairs, "from").unwrap_or_default().to_owned();
    let to = given(pairs, "to").unwrap_or_default().to_owned();
    let mut errors = Vec::new();
    if report::month_range(&from, &to).is_empty() {
        errors.push(words::bad_months(l, &from, &to));
    }
    let group = match given(pairs, "group") {
        None => None,
        Some(code) => match db.find_group(code) {
            Ok(Some(r)) => Some(r.group.code),
            Ok(None) => {
                errors.push(crate::messages::no_such_group(l, code));
                None
            }
            Err(e) => {
                errors.push(e.localize(l));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok((from, to, group))
    } else {
        Err(errors)
    }
}

/// `GET /reports/trend`.
pub(super) async fn trend(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let admin = app.admin()?;
        let db = admin.db();
        let asked = given(&pairs, "from").is_some() || given(&pairs, "to").is_some();
        let (mut months, mut rows, mut errors, mut chart) =
            (Vec::new(), Vec::new(), Vec::new(), None);
        let (view, consolidation) = company_view(db, who.locale(), &pairs)?;
        let (currency, d) = match &consolidation {
            Ok(c) => (c.currency.clone(), c.decimals),
            Err(_) => (String::new(), 2),
        };
        if asked {
            match (trend_query(db, &who, &pairs), consolidation) {
                (Err(why), _) | (_, Err(why)) => errors = why,
                (Ok((from, to, group)), Ok(consolidation)) => {
                    let trend =
                        report::sales_trend_in(db, &from, &to, group.as_deref(), &consolidation)?;
                    months = trend.months.clone();
                    rows = trend
                        .series
                        .iter()
                        .map(|(code, name, values)| {
                            (
                                format!("{code} {name}"),
                                values.iter().map(|v| amount_text(*v, d)).collect(),
                                amount_text(values.iter().sum(), d),
                            )
                        })
                        .collect();
                    let mut q = vec![("from", from.as_str()), ("to", to.as_str())];
                    if let Some(g) = &group {
                        q.push(("group", g.as_str()));
                    }
                    view_query(&view, &mut q);
                    chart = Some(format!("/reports/trend.svg?{}", query(&q)));
                }
            }
        }
        let value = |name: &str| field(&pairs, name).unwrap_or_default().to_owned();
        let page = TrendPage {
            chrome: chrome(app, &who, "/reports/trend")?,
            from: value("from"),
            to: value("to"),
            group: value("group"),
            view,
            currency,
            months,
            rows,
            chart,
            errors,
        };
        Ok(html(page.render()?))
    })
    .await
}

/// `GET /reports/trend.svg`: the chart of the same query.
pub(super) async fn trend_chart(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let admin = app.admin()?;
        let db = admin.db();
        let bad = || Stop::Status(axum::http::StatusCode::BAD_REQUEST);
        let (from, to, group) = trend_query(db, &who, &pairs).map_err(|_| bad())?;
        let consolidation = company_view(db, who.locale(), &pairs)?
            .1
            .map_err(|_| bad())?;
        let trend = report::sales_trend_in(db, &from, &to, group.as_deref(), &consolidation)?;
        let title = words::trend_title(who.locale(), &from, &to, group.as_deref());
        let svg = report::trend_svg(&trend, &title);
        Ok((
            [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
            svg,
        )
            .into_response())
    })
    .await
}

/// `GET /reports/credit`.
pub(super) async fn credit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let l = who.locale();
        let admin = app.admin()?;
        let db = admin.db();
        let value = |name: &str| field(&pairs, name).unwrap_or_default().to_owned();
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        let mut verdict = None;
        if let Some(code) = given(&pairs, "customer") {
            match db.customer(code)? {
                None => errors.push(words::no_customer(l, code)),
                Some(found) => {
                    let all = db.currency_decimals()?;
                    let cd = all.get(&found.currency).copied().unwrap_or(2);
                    let amount = crate::units::parse_amount(
                        given(&pairs, "amount").unwrap_or("0"),
                        &found.currency,
                        cd,
                    );
                    let rate = given(&pairs, "rate")
                        .map(crate::units::parse_rate)
                        .transpose();
                    match (amount, rate) {
                        (Err(e), _) | (_, Err(e)) => errors.push(e.localize(l)),
                        (Ok(amount), Ok(rate)) => {
                            match report::credit_check(
                                admin.gl(),
                                &found.code,
                                amount,
                                rate,
                                l.tag(),
                            ) {
                                Err(e) => errors.push(e.localize(l)),
                                Ok(r) => {
                                    let base_currency = r.currencies.1.clone();
                                    let d = all.get(&base_currency).copied().unwrap_or(2);
                                    for line in &r.verdict.lines {
                                        let (currency, places) =
                                            if line.scope == CreditScope::Customer {
                                                (found.currency.as_str(), cd)
                                            } else {
                                                (base_currency.as_str(), d)
                                            };
                                        lines.push([
                                            line.scope.to_string(),
                                            amount_text(line.limit, places),
                                            amount_text(line.exposure, places),
                                            amount_text(line.available, places),
                                            currency.to_owned(),
                                            line.source.to_string(),
                                        ]);
                                    }
                                    verdict = Some((r.verdict.allowed, r.verdict.reasons));
                                }
                            }
                        }
                    }
                }
            }
        }
        let words = Words::of(l);
        let page = CreditPage {
            chrome: chrome(app, &who, "/reports/credit")?,
            customer: value("customer"),
            amount: value("amount"),
            rate: value("rate"),
            no_limit: verdict.is_some() && lines.is_empty(),
            lines,
            allowed: verdict.as_ref().map(|(a, _)| *a),
            reasons: verdict.map(|(_, r)| r).unwrap_or_default(),
            errors,
            within: words.credit_within.clone(),
        };
        Ok(html(page.render()?))
    })
    .await
}
