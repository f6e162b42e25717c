//! A company's AR settings, the defaults at the root of the tree (issue
//! 14, part 5): `GET /ar-settings/{company}` draws the form's settings
//! fields (those the host's field table keeps as settings) with the
//! company's values; `POST` saves them through the admin services (the
//! CLI's `settings set --company`), checked by the plugin against that
//! company's chart and each changed field against the user's rights. Any
//! company, the default included; linked from the companies page.
//!
//! AR settings keep no version: the page carries what its read saw
//! (`console.read`, [`settings_read`]), and a save is refused with
//! "refresh" when the settings changed since (two administrators at once).

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::company::{no_quick_create, sections_of};
use super::list::action;
use super::{App, Stop, Who, blocking, chrome, encode, field, html, see_other, signed_in};
use crate::admin::AdminError;
use crate::console::pages::FormPage;
use crate::console::widgets::{
    Entered, Problems, entered_from, field_views, lock_unheld, read_submission,
};
use crate::console::words;
use crate::messages::Localize;
use crate::store::{Company, Role, StoreError, settings_read};
use crate::wit::{CustomerGroup, FormDefinition};

/// The form with only its settings fields.
fn settings_form(form: &FormDefinition) -> FormDefinition {
    let mut sub = form.clone();
    sub.fields
        .retain(|f| crate::fields::find(&f.name).is_some_and(|field| field.setting.is_some()));
    sub
}

/// The company a URL names; 404 otherwise.
fn company_of(app: &App, text: &str) -> Result<Company, Stop> {
    app.admin()?
        .db()
        .company(text)?
        .ok_or(Stop::Status(StatusCode::NOT_FOUND))
}

/// The AR settings of `company` as the form's fields show them (a group
/// with those settings and nothing else), and what this read saw.
fn as_group(app: &App, company: &str) -> Result<(CustomerGroup, String), Stop> {
    let settings = app.admin()?.db().ar_settings_of(company)?;
    let read = settings_read(&settings);
    let group = CustomerGroup {
        settings,
        ..CustomerGroup::new("", "")
    };
    Ok((group, read))
}

/// The page of `company`'s settings as `entered`, with what the read the
/// edit is based on saw (`read`).
fn page(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    company: &Company,
    (entered, read): (&Entered, &str),
    mut problems: Problems,
    (saved, refused): (bool, bool),
) -> Result<Response, Stop> {
    let l = who.locale();
    let sub = settings_form(form);
    let top_errors = problems.errors.remove("").unwrap_or_default();
    let top_warnings = problems.warnings.remove("").unwrap_or_default();
    let mut views = field_views(&sub, entered, None, &[], &problems, &BTreeMap::new(), l);
    no_quick_create(&mut views);
    let held = app.admin()?.db().held(&who.user.name)?;
    lock_unheld(&mut views, &sub, &held, l);
    let here = format!("/ar-settings/{}", encode(&company.code));
    let page = FormPage {
        chrome: chrome(app, who, &here)?,
        title: words::ar_settings_title(l, &company.code, &company.name),
        action: here,
        form_id: form.id.clone(),
        record_code: None,
        list_href: format!("/form/{}", form.id),
        sections: sections_of(&sub, views),
        top_errors,
        top_warnings: std::iter::once(words::ar_settings_note(l))
            .chain(top_warnings)
            .collect(),
        saved,
        refused,
        not_deleted: false,
        version: None,
        read: Some(read.to_owned()),
        save_label: action(form, "save").filter(|_| who.user.role.edits_groups()),
        refresh_label: action(form, "refresh"),
        delete_label: None,
        owner_notes: Vec::new(),
        tools: Vec::new(),
        history: Vec::new(),
        history_more: None,
        companies: Vec::new(),
    };
    let status = super::refused_if(refused);
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /ar-settings/{company}`.
pub(super) async fn show(
    State(app): State<Arc<App>>,
    Path(company): Path<String>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = app.admin()?.shared_form(who.locale().tag())?;
        let company = company_of(app, &company)?;
        let (group, read) = as_group(app, &company.code)?;
        let entered = entered_from(&settings_form(&form), &group);
        let saved = field(&pairs, "saved").is_some();
        page(
            app,
            &who,
            &form,
            &company,
            (&entered, &read),
            Problems::default(),
            (saved, false),
        )
    })
    .await
}

/// `POST /ar-settings/{company}`: Save.
pub(super) async fn save(
    State(app): State<Arc<App>>,
    Path(company): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::edits_groups)?;
        let l = who.locale();
        let admin = app.admin()?;
        let form = admin.shared_form(l.tag())?;
        let company = company_of(app, &company)?;
        let sub = settings_form(&form);
        let held = admin.db().held(&who.user.name)?;
        let mut problems = Problems::default();
        let mut submission = read_submission(&sub, &pairs, &held, &mut problems, l);
        let (mut group, now) = as_group(app, &company.code)?;
        // A save from a page carries its read; one without (a client of
        // its own) replaces whatever is stored, as the CLI does.
        let read = field(&pairs, "console.read").map(str::to_owned);
        submission
            .entered
            .keep_locked(&sub, &entered_from(&sub, &group), &held);
        if !problems.any_error() {
            submission.apply(&mut group, false)?;
            let saving = admin.set_ar_settings_of(
                Some(&company.code),
                group.settings,
                read.as_deref(),
                &who.actor(),
            );
            match saving {
                Ok(warnings) => {
                    let texts: Vec<String> = warnings.into_iter().map(|w| w.message).collect();
                    app.sessions.tell(&who.id, texts);
                    let to = format!("/ar-settings/{}?saved=1", encode(&company.code));
                    return Ok(see_other(&to));
                }
                Err(AdminError::Rejected(issues)) => {
                    super::form::file(&sub, &mut problems, issues);
                }
                Err(e @ AdminError::Store(StoreError::StaleSettings { .. })) => {
                    problems.error(&sub, "", e.localize(l));
                }
                Err(e) => return Err(e.into()),
            }
        }
        page(
            app,
            &who,
            &form,
            &company,
            (&submission.entered, read.as_deref().unwrap_or(&now)),
            problems,
            (false, true),
        )
    })
    .await
}
