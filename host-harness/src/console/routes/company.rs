//! A group's settings for one company other than the default (issue 14,
//! part 5): `GET /form/{form}/{code}/company/{company}` draws the form's
//! per-company fields (those the plugin marks `per-company`) with what the
//! group sets for that company, each blank one showing what it inherits
//! there; `POST` saves them through the admin services (the CLI's `group
//! edit --company`), checked by the plugin against that company's chart.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::form::{editor, stored_group};
use super::list::{action, the_form};
use super::{App, Stop, Who, blocking, chrome, encode, field, html, see_other, signed_in};
use crate::admin::AdminError;
use crate::console::pages::{FormPage, SectionView};
use crate::console::widgets::{
    Entered, FieldView, Problems, Widget, entered_from, field_views, inherited_texts, lock_unheld,
    read_submission,
};
use crate::console::words;
use crate::messages::Localize;
use crate::store::{Company, GroupRecord, StoreError};
use crate::wit::{CustomerGroup, FormDefinition, Settings};

/// The fields' views by the sections of `sub` (a part of the form), each
/// section that has any.
pub(super) fn sections_of(sub: &FormDefinition, mut views: Vec<FieldView>) -> Vec<SectionView> {
    let mut sections = Vec::new();
    for s in &sub.sections {
        let (here, rest): (Vec<_>, Vec<_>) = views.into_iter().partition(|v| {
            sub.fields
                .iter()
                .any(|f| f.name == v.name && f.section == s.name)
        });
        views = rest;
        if !here.is_empty() {
            sections.push(SectionView {
                name: s.name.clone(),
                label: s.label.clone(),
                fields: here,
            });
        }
    }
    sections
}

/// Takes the "+" off the account lookups: on a page that is not a group's
/// form, whose typed values it would return to.
pub(super) fn no_quick_create(views: &mut [FieldView]) {
    for view in views {
        if let Widget::Line { quick_create, .. } = &mut view.widget {
            *quick_create = None;
        }
    }
}

/// The form with only its per-company fields.
fn per_company(form: &FormDefinition) -> FormDefinition {
    let mut sub = form.clone();
    sub.fields.retain(|f| f.per_company);
    sub
}

/// The company a URL names (any other than the default); 404 otherwise.
fn company_of(app: &App, text: &str) -> Result<Company, Stop> {
    match app.admin()?.db().company(text)? {
        Some(company) if !company.is_default => Ok(company),
        _ => Err(Stop::Status(axum::http::StatusCode::NOT_FOUND)),
    }
}

/// The group as the company's fields show it: its settings what it sets
/// for `company` (blank where it sets nothing).
fn as_set_for(app: &App, record: &GroupRecord, company: &str) -> Result<CustomerGroup, Stop> {
    let row = app
        .admin()?
        .db()
        .group_company_settings(&record.group.code)?
        .into_iter()
        .find(|(c, _)| c == company)
        .map_or_else(Settings::inherit_all, |(_, s)| s);
    Ok(CustomerGroup {
        settings: row,
        ..record.group.clone()
    })
}

/// What the page shows.
struct Shown<'a> {
    record: &'a GroupRecord,
    company: &'a Company,
    entered: Entered,
    problems: Problems,
    saved: bool,
    refused: bool,
    /// The version the page's save is based on: the one read, or the one
    /// a refused save was based on (so a stale one stays stale until the
    /// user refreshes).
    version: i64,
}

fn page(app: &App, who: &Who, form: &FormDefinition, shown: Shown<'_>) -> Result<Response, Stop> {
    let l = who.locale();
    let admin = app.admin()?;
    let sub = per_company(form);
    let code = &shown.record.group.code;
    let effective = admin.effective_in(code, Some(&shown.company.code))?;
    let inherited = inherited_texts(&sub, &effective, None, l);
    let mut problems = shown.problems;
    let top_errors = problems.errors.remove("").unwrap_or_default();
    let top_warnings = problems.warnings.remove("").unwrap_or_default();
    let mut views = field_views(
        &sub,
        &shown.entered,
        Some(shown.record),
        &[],
        &problems,
        &inherited,
        l,
    );
    // The "+" creates an account in the default company's chart.
    no_quick_create(&mut views);
    let held = admin.db().held(&who.user.name)?;
    lock_unheld(&mut views, &sub, &held, l);
    let sections = sections_of(&sub, views);
    let group_href = format!("/form/{}/{}", form.id, encode(code));
    let here = format!("{group_href}/company/{}", encode(&shown.company.code));
    let may_edit = who.user.role.edits_groups();
    let page = FormPage {
        chrome: chrome(app, who, &here)?,
        title: words::company_settings_title(l, &form.title, code, &shown.company.code),
        action: here,
        form_id: form.id.clone(),
        record_code: None,
        list_href: group_href,
        sections,
        top_errors,
        top_warnings: std::iter::once(words::company_settings_note(l, &shown.company.code))
            .chain(top_warnings)
            .collect(),
        saved: shown.saved,
        refused: shown.refused,
        not_deleted: false,
        version: Some(shown.version),
        read: None,
        save_label: action(form, "save").filter(|_| may_edit),
        refresh_label: action(form, "refresh"),
        delete_label: None,
        owner_notes: super::sync::owner_notes(admin.db(), code, shown.record.version, l)?,
        tools: Vec::new(),
        history: Vec::new(),
        history_more: None,
        companies: Vec::new(),
    };
    let status = super::refused_if(shown.refused);
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /form/{form}/{code}/company/{company}`.
pub(super) async fn show(
    State(app): State<Arc<App>>,
    Path((id, code, company)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let admin = app.admin()?;
        let record = stored_group(&admin, &code)?;
        let company = company_of(app, &company)?;
        let group = as_set_for(app, &record, &company.code)?;
        let shown = Shown {
            record: &record,
            company: &company,
            entered: entered_from(&per_company(&form), &group),
            problems: Problems::default(),
            saved: field(&pairs, "saved").is_some(),
            refused: false,
            version: record.version,
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// `POST /form/{form}/{code}/company/{company}`: Save.
pub(super) async fn save(
    State(app): State<Arc<App>>,
    Path((id, code, company)): Path<(String, String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let l = who.locale();
        let admin = app.admin()?;
        let record = stored_group(&admin, &code)?;
        let company = company_of(app, &company)?;
        let sub = per_company(&form);
        let held = admin.db().held(&who.user.name)?;
        let mut problems = Problems::default();
        let mut submission = read_submission(&sub, &pairs, &held, &mut problems, l);
        let stored = as_set_for(app, &record, &company.code)?;
        submission
            .entered
            .keep_locked(&sub, &entered_from(&sub, &stored), &held);
        let version: i64 = field(&pairs, "version")
            .and_then(|v| v.parse().ok())
            .ok_or(Stop::Status(axum::http::StatusCode::BAD_REQUEST))?;
        if !problems.any_error() {
            let mut applied = Ok(());
            let saved = admin.update_group_company_settings(
                &record.group.code,
                &company.code,
                Some(version),
                |settings| {
                    let mut group = CustomerGroup {
                        settings: settings.clone(),
                        ..stored.clone()
                    };
                    applied = submission.apply(&mut group, false);
                    *settings = group.settings;
                },
                &actor,
            );
            applied?;
            match saved {
                Ok((_, warnings)) => {
                    let texts: Vec<String> = warnings.into_iter().map(|w| w.message).collect();
                    app.sessions.tell(&who.id, texts);
                    let to = format!(
                        "/form/{}/{}/company/{}?saved=1",
                        form.id,
                        encode(&record.group.code),
                        encode(&company.code)
                    );
                    return Ok(see_other(&to));
                }
                Err(AdminError::Rejected(issues)) => {
                    super::form::file(&sub, &mut problems, issues);
                }
                Err(
                    e @ (AdminError::DefaultCompany(_)
                    | AdminError::NoCompanySettings(_)
                    | AdminError::Store(StoreError::Stale { .. })),
                ) => {
                    problems.error(&sub, "", e.localize(l));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let shown = Shown {
            record: &record,
            company: &company,
            entered: submission.entered,
            problems,
            saved: false,
            refused: true,
            version,
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// The links from a group's form to its settings for each company other
/// than the default (none on a host with one company).
pub(super) fn links(
    app: &App,
    form: &FormDefinition,
    code: &str,
    who: &Who,
) -> Result<Vec<(String, String)>, Stop> {
    let companies = app.admin()?.db().companies()?;
    Ok(companies
        .into_iter()
        .filter(|c| !c.is_default)
        .map(|c| {
            (
                format!(
                    "/form/{}/{}/company/{}",
                    form.id,
                    encode(code),
                    encode(&c.code)
                ),
                words::settings_for_company(who.locale(), &c.code, &c.name),
            )
        })
        .collect())
}

/// The companies a page offers to choose from (code, label, chosen): the
/// one named `chosen` (any case), else the default; none on a host with
/// one company, whose pages look as they always did.
pub(super) fn choices(
    db: &crate::store::Db,
    chosen: Option<&str>,
) -> Result<Vec<(String, String, bool)>, StoreError> {
    let companies = db.companies()?;
    if companies.len() < 2 {
        return Ok(Vec::new());
    }
    Ok(companies
        .into_iter()
        .map(|c| {
            let picked = chosen.map_or(c.is_default, |p| p.eq_ignore_ascii_case(&c.code));
            let label = format!("{} {}", c.code, c.name);
            (c.code, label, picked)
        })
        .collect())
}
