//! The GL screens (seed 004), through the same ledger service as the CLI:
//!
//! - `GET /gl/transactions`: AR transactions, newest first (of a customer,
//!   of a batch), and the form to enter one (`POST`); `POST
//!   /gl/transactions/import`: a CSV file, all rows or none, its progress
//!   streamed into the page as the rows are stored;
//! - `GET /gl/batches`: every batch, and Create Batch (`POST`: every
//!   unbatched transaction, by date and group);
//! - `GET /gl/batches/{id}`: a batch's sums per day and account and its
//!   lines; `POST .../post` posts it, `POST .../delete` deletes it.
//!
//! Every role reads these pages; entering, importing, batching and posting
//! need the accountant's right ([`Role::posts`]), checked here.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{App, ConsoleError, Stop, Who, blocking, chrome, field, html, see_other, signed_in};
use crate::console::pages::{
    BatchPage, BatchesPage, Choice, ImportPage, ImportTail, TransactionsPage, TxRow,
};
use crate::console::words::{self, Words};
use crate::gl::credit::CreditPolicy;
use crate::gl::entry::Duplicates;
use crate::gl::input::{self as entry, EntryText};
use crate::gl::{BatchFilter, GlError};
use crate::messages::{self as m, Localize};
use crate::store::{Db, Right, Role};
use crate::units::amount_text;
use crate::wit::TransactionKind;

/// Transactions listed at most.
const LISTED: usize = 500;

/// Lines of a batch shown at most.
const LINES: usize = 2_000;

/// The largest CSV file an import takes.
pub(super) const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

/// The decimals of `currency` (2 when the store does not know it).
fn decimals(db: &Db, currency: &str) -> Result<u32, Stop> {
    Ok(db.currency_decimals()?.get(currency).copied().unwrap_or(2))
}

/// The fields of the entry form, by input name.
const ENTRY_FIELDS: [&str; 11] = [
    "kind",
    "date",
    "customer",
    "amount",
    "currency",
    "rate",
    "tax",
    "discount",
    "account",
    "tax-account",
    "reference",
];

fn entry_text(pairs: &[(String, String)]) -> EntryText {
    let given = |name: &str| field(pairs, name).unwrap_or_default().to_owned();
    let optional = |name: &str| Some(given(name)).filter(|v| !v.trim().is_empty());
    EntryText {
        kind: given("kind"),
        date: given("date"),
        customer: given("customer"),
        currency: optional("currency"),
        rate: optional("rate"),
        amount: given("amount"),
        tax: optional("tax"),
        discount: optional("discount"),
        account: optional("account"),
        tax_account: optional("tax-account"),
        reference: optional("reference"),
    }
}

/// The transactions page, the entry form showing `typed`, with `errors`.
fn transactions_page(
    app: &App,
    who: &Who,
    pairs: &[(String, String)],
    typed: &[(String, String)],
    errors: Vec<String>,
) -> Result<Response, Stop> {
    let l = who.locale();
    let admin = app.admin()?;
    let db = admin.db();
    let customer = field(pairs, "customer")
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let batch = field(pairs, "batch").and_then(|b| b.trim().parse::<i64>().ok());
    let all = db.currency_decimals()?;
    let rows = db
        .transactions(customer, batch, LISTED)?
        .into_iter()
        .map(|t| {
            let e = &t.entered;
            let d = all.get(&e.currency).copied().unwrap_or(2);
            TxRow {
                id: t.id,
                date: e.date.clone(),
                kind: words::transaction_kind(l, e.kind),
                customer: e.customer.clone(),
                currency: e.currency.clone(),
                amount: amount_text(e.amount, d),
                reference: e.reference.clone(),
                batch: t.batch,
            }
        })
        .collect();
    let value = |name: &str| field(typed, name).unwrap_or_default().to_owned();
    let kind = value("kind");
    let page = TransactionsPage {
        chrome: chrome(app, who, "/gl/transactions")?,
        rows,
        listed: LISTED,
        customer: customer.unwrap_or_default().to_owned(),
        batch: batch.map(|b| b.to_string()).unwrap_or_default(),
        may_enter: who.user.role.posts(),
        credit_controller: db
            .rights(&who.user.name)?
            .contains(&Right::CreditController),
        credit_override: value("credit-override"),
        companies: super::company::choices(db, None)?,
        kinds: TransactionKind::ALL
            .iter()
            .map(|k| {
                Choice::new(
                    k.as_str(),
                    &words::transaction_kind(l, *k),
                    k.as_str() == kind,
                )
            })
            .collect(),
        typed: ENTRY_FIELDS
            .iter()
            .filter(|f| **f != "kind")
            .map(|f| ((*f).to_owned(), value(f)))
            .collect(),
        errors,
    };
    let status = super::refused_if(!page.errors.is_empty());
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /gl/transactions`.
pub(super) async fn transactions(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        transactions_page(app, &who, &pairs, &[], Vec::new())
    })
    .await
}

/// `POST /gl/transactions`: enters one transaction; refused, the form
/// shows why with everything typed kept.
pub(super) async fn enter(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::posts)?;
        let locale = who.locale().tag();
        let admin = app.admin()?;
        let cx = admin.gl().entry_context(locale)?;
        let actor = who.actor();
        let credit = CreditPolicy {
            by: actor.by(),
            override_reason: field(&pairs, "credit-override").filter(|r| !r.trim().is_empty()),
        };
        let outcome = entry::parse_entry(&entry_text(&pairs), &cx)
            .map_err(|why| vec![why])
            .and_then(|entry| {
                admin
                    .gl()
                    .add_transaction(entry, credit, locale)
                    .map_err(|e| gl_refusal(e, &who))
            });
        match outcome {
            Ok(id) => {
                let l = who.locale();
                let mut said = vec![m::transaction_entered(l, id)];
                for e in admin.gl().credit_exceptions_of(&[id])? {
                    said.push(m::entered_past_credit(l, id, &e.why(l)));
                }
                app.sessions.tell(&who.id, said);
                Ok(see_other("/gl/transactions"))
            }
            Err(errors) => transactions_page(app, &who, &[], &pairs, errors),
        }
    })
    .await
}

/// What a refusal of the ledger says, one line each.
fn gl_refusal(error: GlError, who: &Who) -> Vec<String> {
    vec![error.localize(who.locale())]
}

/// `POST /gl/transactions/import`: the CSV file of a multipart form
/// (`file`, `csrf`, `skip-duplicates`). The page streams: its head at
/// once, a progress line as the rows are stored, the outcome last.
pub(super) async fn import(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (pairs, file) = match super::read_multipart(multipart, "upload.csv").await {
        Ok(read) => read,
        Err(status) => return super::status_page(&app, &headers, status),
    };
    let (sender, receiver) = tokio::sync::mpsc::channel::<String>(8);
    let head = {
        let pairs = pairs.clone();
        let file_name = file.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
        super::decide(app.clone(), headers.clone(), move |app, headers| {
            let who = signed_in(app, headers)?;
            who.check_csrf(&pairs)?;
            who.may(Role::posts)?;
            let page = ImportPage {
                chrome: chrome(app, &who, "/gl/transactions")?,
                file: file_name,
            };
            Ok((who, page.render()?))
        })
        .await
    };
    let (who, head) = match head {
        Ok(done) => done,
        Err(response) => return response,
    };
    let Some((file_name, bytes)) = file else {
        return super::status_page(&app, &headers, StatusCode::BAD_REQUEST);
    };
    let skip = field(&pairs, "skip-duplicates").is_some();
    let reason = field(&pairs, "credit-override")
        .filter(|r| !r.trim().is_empty())
        .map(str::to_owned);
    let company = field(&pairs, "company")
        .filter(|c| !c.trim().is_empty())
        .map(str::to_owned);
    // The import is a request at work for as long as it runs: its own turn
    // and connection, so that it never holds a connection a request leased.
    let Ok(turn) = app.work.clone().acquire_owned().await else {
        return super::status_page(&app, &headers, StatusCode::SERVICE_UNAVAILABLE);
    };
    let worker = app.clone();
    tokio::task::spawn_blocking(move || {
        let _connection = worker.lease(turn);
        let how = Import {
            company: company.as_deref(),
            skip,
            reason: reason.as_deref(),
        };
        let tail = import_rows(&worker, &who, &file_name, &bytes, how, &sender);
        let _ = sender.blocking_send(tail);
    });
    let stream =
        futures_util::stream::unfold((Some(head), receiver), |(head, mut rx)| async move {
            if let Some(head) = head {
                return Some((Ok::<_, std::convert::Infallible>(head), (None, rx)));
            }
            rx.recv().await.map(|chunk| (Ok(chunk), (None, rx)))
        });
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// Imports the rows of `bytes`, sending a progress line every 2% to
/// `progress`; the page's tail (the outcome).
/// How a file is imported: into which company's customers' transactions,
/// whether identical rows are skipped, and the credit override's reason.
struct Import<'a> {
    company: Option<&'a str>,
    skip: bool,
    reason: Option<&'a str>,
}

fn import_rows(
    app: &App,
    who: &Who,
    file_name: &str,
    bytes: &[u8],
    Import {
        company,
        skip,
        reason,
    }: Import<'_>,
    progress: &tokio::sync::mpsc::Sender<String>,
) -> String {
    let l = who.locale();
    let rows = bytes
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1)
        .max(1);
    let step = (rows / 50).max(1);
    let outcome = (|| -> Result<Result<String, String>, ConsoleError> {
        let admin = app.admin()?;
        let cx = admin.gl().entry_context(l.tag())?;
        let entries = match entry::read_csv(bytes, &cx) {
            Ok(entries) => entries,
            Err(why) => return Ok(Err(format!("{file_name}: {why}"))),
        };
        let duplicates = if skip {
            Duplicates::SkipIdentical
        } else {
            Duplicates::Refuse
        };
        let mut last = 0;
        let actor = who.actor();
        let credit = CreditPolicy {
            by: actor.by(),
            override_reason: reason,
        };
        let imported = admin.gl().import_transactions_for(company, entries, duplicates, credit, l.tag(), |done| {
            if done >= last + step || done == rows {
                last = done;
                let line = words::import_progress(l, done, rows.max(done));
                let _ = progress.blocking_send(format!(
                    "<p class=\"progress\"><progress max=\"{}\" value=\"{done}\"></progress> {}</p>\n",
                    rows.max(done),
                    askama::filters::escape(&line, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
                ));
            }
        });
        Ok(match imported {
            Ok(ids) => {
                let mut said = m::transactions_imported(l, ids.ids.len(), file_name);
                if let Some(&(line, id)) = ids.skipped.first() {
                    said.push_str("; ");
                    said.push_str(&m::rows_skipped(l, ids.skipped.len(), line, id));
                }
                for e in admin.gl().credit_exceptions_of(&ids.ids)? {
                    said.push_str("; ");
                    said.push_str(&m::entered_past_credit(l, e.transaction, &e.why(l)));
                }
                Ok(said)
            }
            Err(e) => Err(format!("{file_name}: {}", e.localize(l))),
        })
    })();
    let (done, error) = match outcome {
        Ok(Ok(said)) => (Some(said), None),
        Ok(Err(why)) => (None, Some(why)),
        Err(failed) => {
            log_failure(&failed);
            (None, Some(Words::of(l).import_failed.clone()))
        }
    };
    let tail = ImportTail {
        words: Words::of(l),
        done,
        error,
    };
    tail.render().unwrap_or_default()
}

/// Logs a failure of the server (the page says only that it failed).
fn log_failure(error: &ConsoleError) {
    eprintln!("erp-host serve: import failed: {error}");
}

/// `GET /gl/batches`.
pub(super) async fn batches(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        batches_page(app, &who, &[], Vec::new())
    })
    .await
}

fn batches_page(
    app: &App,
    who: &Who,
    typed: &[(String, String)],
    errors: Vec<String>,
) -> Result<Response, Stop> {
    let l = who.locale();
    let admin = app.admin()?;
    let db = admin.db();
    let all = db.currency_decimals()?;
    let rows = db
        .batches()?
        .into_iter()
        .map(|b| {
            let d = all.get(&b.base_currency).copied().unwrap_or(2);
            let filter = [
                b.filter.from.as_ref().map(|f| words::batch_from(l, f)),
                b.filter.to.as_ref().map(|t| words::batch_to(l, t)),
                b.filter.group.as_ref().map(|g| words::batch_group(l, g)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            crate::console::pages::BatchRow {
                id: b.id,
                posted: b.posted_at.is_some(),
                status: words::batch_status(l, &b.status),
                transactions: b.transactions,
                debits: amount_text(b.debit_total, d),
                company: b.company,
                currency: b.base_currency,
                created: format!("{} {}", b.created_at, b.created_by),
                posted_at: b
                    .posted_at
                    .map(|at| format!("{at} {}", b.posted_by.unwrap_or_default()))
                    .unwrap_or_default(),
                filter,
            }
        })
        .collect();
    let value = |name: &str| field(typed, name).unwrap_or_default().to_owned();
    let companies = super::company::choices(db, field(typed, "company"))?;
    let page = BatchesPage {
        chrome: chrome(app, who, "/gl/batches")?,
        rows,
        may_batch: who.user.role.posts(),
        companies,
        from: value("from"),
        to: value("to"),
        group: value("group"),
        errors,
    };
    let status = super::refused_if(!page.errors.is_empty());
    Ok((status, html(page.render()?)).into_response())
}

/// `POST /gl/batches`: Create Batch.
pub(super) async fn create_batch(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::posts)?;
        let l = who.locale();
        let optional = |name: &str| {
            field(&pairs, name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let filter = BatchFilter {
            from: optional("from"),
            to: optional("to"),
            group: optional("group"),
        };
        let actor = who.actor();
        let company = optional("company");
        match app
            .admin()?
            .gl()
            .create_batch_for(company.as_deref(), &filter, &actor)
        {
            Ok(batch) => {
                let admin = app.admin()?;
                let d = decimals(admin.db(), &batch.base_currency)?;
                let total = amount_text(batch.debit_total, d);
                let said = m::batch_created(
                    l,
                    batch.id,
                    batch.transactions,
                    &total,
                    &batch.base_currency,
                );
                app.sessions.tell(&who.id, [said]);
                Ok(see_other(&format!("/gl/batches/{}", batch.id)))
            }
            Err(nothing @ GlError::NothingToBatch) => {
                app.sessions.tell(&who.id, [nothing.localize(l)]);
                Ok(see_other("/gl/batches"))
            }
            Err(e) => batches_page(app, &who, &pairs, gl_refusal(e, &who)),
        }
    })
    .await
}

/// `GET /gl/batches/{id}`.
pub(super) async fn batch(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let l = who.locale();
        let admin = app.admin()?;
        let db = admin.db();
        let batch = db.batch(id)?.ok_or(Stop::Status(StatusCode::NOT_FOUND))?;
        let d = decimals(db, &batch.base_currency)?;
        let all = db.currency_decimals()?;
        let cd = |c: &str| all.get(c).copied().unwrap_or(2);
        let totals = db.batch_totals(id)?;
        let (debit, credit) = totals
            .iter()
            .fold((0i64, 0i64), |(d, c), t| (d + t.debit, c + t.credit));
        let lines = db.batch_lines(id, LINES + 1)?;
        let page = BatchPage {
            chrome: chrome(app, &who, &format!("/gl/batches/{id}"))?,
            id,
            status: words::batch_status(l, &batch.status),
            summary: words::batch_summary(
                l,
                batch.transactions,
                &batch.created_by,
                &batch.created_at,
                batch.posted_by.as_deref(),
                batch.posted_at.as_deref(),
            ),
            currency: batch.base_currency.clone(),
            totals: totals
                .iter()
                .map(|t| {
                    [
                        t.date.clone(),
                        t.account.clone(),
                        t.currency.clone(),
                        amount_text(t.debit, d),
                        amount_text(t.credit, d),
                        amount_text(t.amount, cd(&t.currency)),
                        t.lines.to_string(),
                    ]
                })
                .collect(),
            debit: amount_text(debit, d),
            credit: amount_text(credit, d),
            more_lines: lines.len() > LINES,
            lines: lines
                .iter()
                .take(LINES)
                .map(|x| {
                    [
                        x.transaction.to_string(),
                        x.date.clone(),
                        x.account.clone(),
                        x.role.clone(),
                        x.currency.clone(),
                        amount_text(x.amount, cd(&x.currency)),
                        amount_text(x.base_amount, d),
                        x.description.clone(),
                    ]
                })
                .collect(),
            may_post: who.user.role.posts() && batch.posted_at.is_none(),
        };
        Ok(html(page.render()?))
    })
    .await
}

/// `POST /gl/batches/{id}/post`.
pub(super) async fn post(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::posts)?;
        let l = who.locale();
        let actor = who.actor();
        let admin = app.admin()?;
        let said = match admin.gl().post_batch(id, &actor) {
            Ok(batch) => {
                let total = amount_text(
                    batch.debit_total,
                    decimals(admin.db(), &batch.base_currency)?,
                );
                m::batch_posted_to_ledger(l, batch.id, &total, &batch.base_currency)
            }
            Err(GlError::NoSuchBatch(_)) => return Err(Stop::Status(StatusCode::NOT_FOUND)),
            Err(e) => e.localize(l),
        };
        app.sessions.tell(&who.id, [said]);
        Ok(see_other(&format!("/gl/batches/{id}")))
    })
    .await
}

/// `POST /gl/batches/{id}/delete`: an unposted batch, its transactions
/// released.
pub(super) async fn delete(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::posts)?;
        let l = who.locale();
        match app.admin()?.gl().delete_batch(id) {
            Ok(released) => {
                app.sessions
                    .tell(&who.id, [m::batch_deleted(l, id, released)]);
                Ok(see_other("/gl/batches"))
            }
            Err(GlError::NoSuchBatch(_)) => Err(Stop::Status(StatusCode::NOT_FOUND)),
            Err(e) => {
                app.sessions.tell(&who.id, [e.localize(l)]);
                Ok(see_other(&format!("/gl/batches/{id}")))
            }
        }
    })
    .await
}
