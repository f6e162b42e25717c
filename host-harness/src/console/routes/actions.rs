//! The form's toolbar actions on a stored record, each through the same
//! admin service as its CLI command:
//!
//! - `POST /form/{form}/{code}/default-gl-accounts`: Default GL Accounts,
//!   validated and saved like any edit;
//! - `GET /form/{form}/{code}/default-terms`: Apply Default Terms'
//!   preview (which customers change, each field old → new), and `POST`
//!   to confirm it: applied only if the plan is still the one previewed
//!   (its digest travels with the confirmation), else previewed again;
//! - `GET /form/{form}/{code}/reassign`, `POST`: Reassign Customers to
//!   another group, if the plugin allows.
//!
//! What an action did, and the plugin's warnings, are said once on the
//! record's form after the redirect.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::form::{editor, issue_texts, refused_texts, stored_group};
use super::list::{action, the_form};
use super::{
    App, ConsoleError, Stop, Who, blocking, chrome, encode, field, html, see_other, signed_in,
};
use crate::console::pages::{ReassignPage, TermsChange, TermsPage};
use crate::messages::{self as m};
use crate::present::customer_setting_text;
use crate::wit::{CustomerUpdate, FormDefinition};

/// The record's form, where an action returns.
fn record_href(form: &FormDefinition, code: &str) -> String {
    format!("/form/{}/{}", form.id, encode(code))
}

/// `POST /form/{form}/{code}/default-gl-accounts`.
pub(super) async fn default_gl_accounts(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let l = who.locale();
        let said = match admin.default_gl_accounts(&stored.group.code, &actor) {
            Ok(saved) => {
                let r = &saved.record;
                let mut said = vec![m::saved_default_accounts(l, &r.group.code, r.version)];
                said.extend(issue_texts(&form, &saved.warnings));
                said
            }
            Err(error) => refused_texts(&form, error, &who)?,
        };
        app.sessions.tell(&who.id, said);
        Ok(see_other(&record_href(&form, &stored.group.code)))
    })
    .await
}

/// A plan's digest: what the confirmation carries, so that what is
/// applied is what was previewed.
fn plan_digest(plan: &[CustomerUpdate]) -> Result<String, Stop> {
    let bytes = serde_json::to_vec(plan).map_err(|e| ConsoleError::Worker(e.to_string()))?;
    Ok(crate::admin::digest(&bytes))
}

/// The preview page of `plan` for the group `code`.
fn terms_page(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    code: &str,
    plan: &[CustomerUpdate],
    notices: Vec<String>,
) -> Result<Response, Stop> {
    let l = who.locale();
    let label = |setting: &str| {
        crate::fields::fields_of(setting)
            .find_map(|f| form.fields.iter().find(|x| x.name == f.name))
            .map_or_else(|| setting.to_owned(), |f| f.label.clone())
    };
    let changes = plan
        .iter()
        .flat_map(|u| {
            u.changed.iter().map(|setting| TermsChange {
                customer: format!("{} {}", u.before.code, u.before.name),
                field: label(setting),
                before: customer_setting_text(&u.before, setting, l).unwrap_or_else(|| "-".into()),
                after: customer_setting_text(&u.after, setting, l).unwrap_or_else(|| "-".into()),
            })
        })
        .collect();
    let href = record_href(form, code);
    let title = action(form, "apply-default-terms").unwrap_or_default();
    let page = TermsPage {
        chrome: chrome(app, who, &format!("{href}/default-terms"))?,
        title: format!("{title}: {code}"),
        record_href: href.clone(),
        action: format!("{href}/default-terms"),
        nothing: plan.is_empty().then(|| m::terms_already_applied(l)),
        customers: plan.len(),
        changes,
        digest: plan_digest(plan)?,
        confirm_label: who.user.role.edits_groups().then_some(title),
        notices,
    };
    Ok(html(page.render()?))
}

/// `GET /form/{form}/{code}/default-terms`: the preview.
pub(super) async fn default_terms_preview(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let actor = who.actor();
        match admin.plan_default_terms(&stored.group.code, &actor) {
            Ok(plan) => terms_page(app, &who, &form, &stored.group.code, &plan, Vec::new()),
            Err(error) => refused(app, &who, &form, &stored.group.code, error),
        }
    })
    .await
}

/// `POST /form/{form}/{code}/default-terms`: applies the plan if it is
/// still the one previewed.
pub(super) async fn default_terms_apply(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let l = who.locale();
        let plan = match admin.plan_default_terms(&stored.group.code, &actor) {
            Ok(plan) => plan,
            Err(error) => return refused(app, &who, &form, &stored.group.code, error),
        };
        if field(&pairs, "digest") != Some(plan_digest(&plan)?.as_str()) {
            let notice = crate::console::words::plan_changed(l);
            let page = terms_page(app, &who, &form, &stored.group.code, &plan, vec![notice])?;
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        let said = match admin.apply_default_terms(plan) {
            Ok(applied) => m::applied_to(l, applied.len()),
            Err(error) => return refused(app, &who, &form, &stored.group.code, error),
        };
        app.sessions.tell(&who.id, [said]);
        Ok(see_other(&record_href(&form, &stored.group.code)))
    })
    .await
}

/// Back to the record's form, saying why `error` refused the action.
fn refused(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    code: &str,
    error: crate::admin::AdminError,
) -> Result<Response, Stop> {
    let said = refused_texts(form, error, who)?;
    app.sessions.tell(&who.id, said);
    Ok(see_other(&record_href(form, code)))
}

/// The Reassign page: the group whose customers move, and where to.
fn reassign_page(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    code: &str,
    to: &str,
    errors: Vec<String>,
) -> Result<Response, Stop> {
    let href = record_href(form, code);
    let title = action(form, "reassign").unwrap_or_default();
    let customers = app.admin()?.db().customers(Some(code))?.len();
    let page = ReassignPage {
        chrome: chrome(app, who, &format!("{href}/reassign"))?,
        title: format!("{title}: {code}"),
        help: form
            .actions
            .iter()
            .find(|a| a.name == "reassign")
            .map(|a| a.help.clone())
            .unwrap_or_default(),
        record_href: href.clone(),
        action: format!("{href}/reassign"),
        customers,
        to: to.to_owned(),
        errors,
        confirm_label: who.user.role.edits_groups().then_some(title),
    };
    let status = super::refused_if(!page.errors.is_empty());
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /form/{form}/{code}/reassign`.
pub(super) async fn reassign_form(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        reassign_page(app, &who, &form, &stored.group.code, "", Vec::new())
    })
    .await
}

/// `POST /form/{form}/{code}/reassign`: moves every customer, if the
/// plugin allows; a refusal is shown on the same page.
pub(super) async fn reassign(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let to = field(&pairs, "to").unwrap_or_default().trim().to_owned();
        match admin.reassign(&stored.group.code, &to, &actor) {
            Ok((moved, warnings)) => {
                let mut said = vec![m::moved(who.locale(), moved)];
                said.extend(issue_texts(&form, &warnings));
                app.sessions.tell(&who.id, said);
                Ok(see_other(&record_href(&form, &stored.group.code)))
            }
            Err(error) => {
                let errors = refused_texts(&form, error, &who)?;
                reassign_page(app, &who, &form, &stored.group.code, &to, errors)
            }
        }
    })
    .await
}
