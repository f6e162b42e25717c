//! The form view: `GET /form/{form}/new` and `/form/{form}/{code}` draw
//! the form definition's sections and fields; `POST` to the same routes
//! creates or saves through the admin services (the CLI's), stamping the
//! signed-in user in the audit fields. A refused save shows every problem
//! at its field, in the user's locale, keeps everything typed, and saves
//! nothing; a save based on a stale read is refused ("refresh").

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::list::{action, the_form};
use super::{App, Stop, Who, blocking, chrome, encode, field, html, see_other, signed_in};
use crate::admin::{Actor, Admin, AdminError, Saved};
use crate::console::pages::{FormPage, SectionView, Tool};
use crate::console::widgets::{
    Entered, Problems, entered_from, field_views, inherited_texts, lock_unheld, read_submission,
};
use crate::messages::{self as m, Locale, Localize};
use crate::present::history::{Entry, entries};
use crate::store::history::Entity;
use crate::store::{Db, GroupRecord, Role};
use crate::wit::{Change, CustomerGroup, FormDefinition, Issue, Severity, Update, Verdict};

/// What the form page shows besides the form definition.
#[derive(Default)]
struct Shown<'a> {
    record: Option<&'a GroupRecord>,
    version: Option<i64>,
    entered: Entered,
    problems: Problems,
    saved: bool,
    refused: Option<Refused>,
}

/// What was refused, when the page is shown again after a refusal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Refused {
    /// The save (the fields say why).
    Save,
    /// Delete (the top says why).
    Delete,
}

/// Files the plugin's issues at their fields.
pub(super) fn file(form: &FormDefinition, problems: &mut Problems, issues: Vec<Issue>) {
    for issue in issues {
        match issue.severity {
            Severity::Error => problems.error(form, &issue.field, issue.message),
            Severity::Warning => problems.warning(form, &issue.field, issue.message),
        }
    }
}

/// What the blank inheritable fields take: the stored record's effective
/// settings, or for a new record its parent's as typed (none when the
/// parent does not exist: the plugin says so at the field).
fn inherited(
    app: &App,
    form: &FormDefinition,
    shown: &Shown<'_>,
    l: Locale,
) -> Result<BTreeMap<String, String>, Stop> {
    let admin = app.admin()?;
    let (code, parent) = match shown.record {
        Some(r) => (r.group.code.as_str(), None),
        None => match crate::fields::parent_field()
            .and_then(|f| shown.entered.scalars.get(f.name))
            .map(|p| p.trim())
        {
            Some(p) if !p.is_empty() => (p, Some(p)),
            // A new root group: what it takes is the plugin's to say once
            // it exists; the help text says where blanks come from.
            _ => return Ok(BTreeMap::new()),
        },
    };
    let effective = match admin.effective(code) {
        Ok(e) => e,
        Err(AdminError::NoSuchGroup(_)) => return Ok(BTreeMap::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(inherited_texts(form, &effective, parent, l))
}

/// The toolbar actions on a stored record the console carries out, as
/// the form names and captions them (in the form's order): a POST or a
/// page of their own under the record's route `at`.
fn record_tools(form: &FormDefinition, at: &str) -> Vec<Tool> {
    form.actions
        .iter()
        .filter_map(|a| {
            let (path, post) = match a.name.as_str() {
                "default-gl-accounts" => ("default-gl-accounts", true),
                "apply-default-terms" => ("default-terms", false),
                "reassign" => ("reassign", false),
                _ => return None,
            };
            Some(Tool {
                name: a.name.clone(),
                label: a.label.clone(),
                help: a.help.clone(),
                href: format!("{at}/{path}"),
                post,
            })
        })
        .collect()
}

/// The form page.
fn page(app: &App, who: &Who, form: &FormDefinition, shown: Shown<'_>) -> Result<Response, Stop> {
    let l = who.locale();
    let members = match shown.record {
        Some(r) => app.admin()?.db().customers(Some(&r.group.code))?,
        None => Vec::new(),
    };
    let inherited = inherited(app, form, &shown, l)?;
    let mut problems = shown.problems;
    let top_errors = problems.errors.remove("").unwrap_or_default();
    let top_warnings = problems.warnings.remove("").unwrap_or_default();
    let mut views = field_views(
        form,
        &shown.entered,
        shown.record,
        &members,
        &problems,
        &inherited,
        l,
    );
    let held = app.admin()?.db().held(&who.user.name)?;
    lock_unheld(&mut views, form, &held, l);
    let mut sections = Vec::new();
    for s in &form.sections {
        let (here, rest) = views.into_iter().partition(|v| {
            form.fields
                .iter()
                .any(|f| f.name == v.name && f.section == s.name)
        });
        views = rest;
        sections.push(SectionView {
            name: s.name.clone(),
            label: s.label.clone(),
            fields: here,
        });
    }
    if !views.is_empty() {
        // Fields of a section the form does not list: drawn, never dropped.
        sections.push(SectionView {
            name: "other".into(),
            label: String::new(),
            fields: views,
        });
    }
    let base = format!("/form/{}", form.id);
    let (title, action_url, here) = match shown.record {
        Some(r) => {
            let at = format!("{base}/{}", encode(&r.group.code));
            (format!("{}: {}", form.title, r.group.code), at.clone(), at)
        }
        None => {
            let new = action(form, "new").unwrap_or_default();
            (
                format!("{}: {new}", form.title),
                format!("{base}/new"),
                format!("{base}/new"),
            )
        }
    };
    let refresh_label = shown.record.and(action(form, "refresh"));
    let may_edit = who.user.role.edits_groups();
    let delete_label = shown
        .record
        .and(action(form, "delete"))
        .filter(|_| may_edit);
    let tools = match shown.record {
        Some(_) if may_edit => record_tools(form, &here),
        _ => Vec::new(),
    };
    let owner_notes = match shown.record {
        Some(r) => super::sync::owner_notes(app.admin()?.db(), &r.group.code, r.version, l)?,
        None => Vec::new(),
    };
    let (history, history_more) = match shown.record {
        Some(r) => latest_changes(app.admin()?.db(), &r.group.code, form, l)?,
        None => (Vec::new(), None),
    };
    let companies = match shown.record {
        Some(r) => super::company::links(app, form, &r.group.code, who)?,
        None => Vec::new(),
    };
    let form_page = FormPage {
        companies,
        history,
        history_more,
        owner_notes,
        tools,
        form_id: form.id.clone(),
        record_code: shown.record.map(|r| r.group.code.clone()),
        chrome: chrome(app, who, &here)?,
        title,
        action: action_url,
        list_href: base,
        sections,
        top_errors,
        top_warnings,
        saved: shown.saved,
        refused: shown.refused == Some(Refused::Save),
        not_deleted: shown.refused == Some(Refused::Delete),
        version: shown.version,
        read: None,
        save_label: action(form, "save").filter(|_| may_edit),
        refresh_label,
        delete_label,
    };
    let status = super::refused_if(shown.refused.is_some());
    Ok((status, html(form_page.render()?)).into_response())
}

/// How many recorded changes the form shows (newest first).
const HISTORY_SHOWN: usize = 20;

/// The group's latest recorded changes in words, and a note when there are
/// more than the form shows (or when the history cannot be read).
fn latest_changes(
    db: &Db,
    code: &str,
    form: &FormDefinition,
    l: Locale,
) -> Result<(Vec<Entry>, Option<String>), Stop> {
    // A history row this host cannot read (written by another client)
    // costs the panel, not the form.
    let (changes, total) = match db.latest_history(Entity::CustomerGroup, code, HISTORY_SHOWN) {
        Ok(read) => read,
        Err(error) => {
            return Ok((
                Vec::new(),
                Some(m::history_unreadable(l, &error.localize(l))),
            ));
        }
    };
    let more = (total > changes.len()).then(|| m::history_latest(l, HISTORY_SHOWN, total, code));
    Ok((entries(&changes, form, l), more))
}

/// `GET /form/{form}/new`; `?parent=CODE` (the tree's Add Child) fills
/// in the parent.
pub(super) async fn new_form(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let mut entered = Entered::new_record(&form);
        if let (Some(parent), Some(f)) = (field(&pairs, "parent"), crate::fields::parent_field()) {
            entered.scalars.insert(f.name.to_owned(), parent.to_owned());
        }
        let shown = Shown {
            entered,
            ..Shown::default()
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// `GET /form/{form}/{code}`.
pub(super) async fn edit_form(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let admin = app.admin()?;
        let record = stored_group(&admin, &code)?;
        let shown = Shown {
            entered: entered_from(&form, &record.group),
            version: Some(record.version),
            record: Some(&record),
            saved: field(&pairs, "saved").is_some(),
            ..Shown::default()
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// The form as it was when a quick-create left it, from the values it
/// carried (`console.record`: the stored record it edits, if any), with
/// `notices` said above it. Nothing is saved.
pub(super) fn resume(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    pairs: &[(String, String)],
    notices: Vec<String>,
) -> Result<Response, Stop> {
    let admin = app.admin()?;
    let record = match field(pairs, "console.record") {
        Some(code) => Some(stored_group(&admin, code)?),
        None => None,
    };
    let mut problems = Problems::default();
    let held = admin.db().held(&who.user.name)?;
    let mut submission = read_submission(form, pairs, &held, &mut problems, who.locale());
    if let Some(record) = &record {
        let stored = entered_from(form, &record.group);
        submission.entered.keep_locked(form, &stored, &held);
    }
    app.sessions.tell(&who.id, notices);
    let shown = Shown {
        record: record.as_ref(),
        version: field(pairs, "version").and_then(|v| v.parse().ok()),
        entered: submission.entered,
        problems,
        ..Shown::default()
    };
    page(app, who, form, shown)
}

/// The stored group a URL names; 404 when there is none.
pub(super) fn stored_group(admin: &Admin, code: &str) -> Result<GroupRecord, Stop> {
    admin
        .db()
        .find_group(code)?
        .ok_or(Stop::Status(StatusCode::NOT_FOUND))
}

/// The signed-in user allowed to edit, the form, and the actor to stamp.
pub(super) fn editor(
    app: &App,
    headers: &HeaderMap,
    id: &str,
    pairs: &[(String, String)],
) -> Result<(Who, Arc<FormDefinition>, Actor), Stop> {
    let who = signed_in(app, headers)?;
    who.check_csrf(pairs)?;
    who.may(Role::edits_groups)?;
    let form = the_form(app, &who, id)?;
    let actor = who.actor();
    Ok((who, form, actor))
}

/// The plugin's issues as the page says them in one line each, at no
/// field: "Inactive: 2 subgroup(s) stay active under it ...".
pub(super) fn issue_texts(form: &FormDefinition, issues: &[Issue]) -> Vec<String> {
    issues
        .iter()
        .map(|issue| {
            let base = issue.field.split('[').next().unwrap_or_default();
            match form.fields.iter().find(|f| f.name == base) {
                Some(f) => format!("{}: {}", f.label, issue.message),
                None => issue.message.clone(),
            }
        })
        .collect()
}

/// What an action's refusal says, one line each: the plugin's issues, or
/// the store's refusal (a stale read, a missing group); anything else is
/// a failure.
pub(super) fn refused_texts(
    form: &FormDefinition,
    error: AdminError,
    who: &Who,
) -> Result<Vec<String>, Stop> {
    use crate::store::StoreError;
    match error {
        AdminError::Rejected(issues) => Ok(issue_texts(form, &issues)),
        AdminError::Store(
            e @ (StoreError::Duplicate { .. }
            | StoreError::Stale { .. }
            | StoreError::NotFound { .. }),
        ) => Ok(vec![e.localize(who.locale())]),
        e @ AdminError::NoSuchGroup(_) => Ok(vec![e.localize(who.locale())]),
        other => Err(Stop::Failed(other.into())),
    }
}

/// What a refused save shows: the store's refusal (a duplicate code, a
/// stale read) at the top, the plugin's issues at their fields; anything
/// else is a failure.
fn refusal(
    form: &FormDefinition,
    problems: &mut Problems,
    error: AdminError,
    who: &Who,
) -> Result<(), Stop> {
    match error {
        AdminError::Rejected(issues) => file(form, problems, issues),
        AdminError::Store(store @ crate::store::StoreError::Duplicate { .. }) => {
            problems.error(form, "code", store.localize(who.locale()));
        }
        AdminError::Store(store @ crate::store::StoreError::Stale { .. }) => {
            problems.error(form, "", store.localize(who.locale()));
        }
        other => return Err(Stop::Failed(other.into())),
    }
    Ok(())
}

/// A save tried, or only checked (when the host found problems already:
/// nothing is saved then, but the plugin still says everything it finds).
enum Attempt {
    Checked(Verdict),
    Saved(Result<Saved, AdminError>),
}

/// The page after `attempt`: the saved record's (a redirect), or `None`
/// with every problem filed for the form to show again.
fn settle(
    app: &App,
    form: &FormDefinition,
    who: &Who,
    problems: &mut Problems,
    attempt: Attempt,
) -> Result<Option<Response>, Stop> {
    match attempt {
        Attempt::Checked(verdict) => file(form, problems, verdict.issues),
        Attempt::Saved(Ok(saved)) => {
            app.sessions
                .tell(&who.id, issue_texts(form, &saved.warnings));
            let code = encode(&saved.record.group.code);
            return Ok(Some(see_other(&format!(
                "/form/{}/{code}?saved=1",
                form.id
            ))));
        }
        Attempt::Saved(Err(error)) => refusal(form, problems, error, who)?,
    }
    Ok(None)
}

/// `POST /form/{form}/new`: creates the record.
pub(super) async fn create(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let admin = app.admin()?;
        let mut problems = Problems::default();
        let held = admin.db().held(&who.user.name)?;
        let submission = read_submission(&form, &pairs, &held, &mut problems, who.locale());
        let mut group = CustomerGroup::new("", "");
        submission.apply(&mut group, true)?;
        let attempt = if problems.any_error() {
            Attempt::Checked(admin.check(&Change::Create(group), &actor.locale)?)
        } else {
            Attempt::Saved(admin.create_group(group, &actor))
        };
        if let Some(done) = settle(app, &form, &who, &mut problems, attempt)? {
            return Ok(done);
        }
        let shown = Shown {
            entered: submission.entered,
            problems,
            refused: Some(Refused::Save),
            ..Shown::default()
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// `POST /form/{form}/{code}`: saves the record, if it is still at the
/// version the edit was based on.
pub(super) async fn save(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let version: i64 = field(&pairs, "version")
            .and_then(|v| v.parse().ok())
            .ok_or(Stop::Status(StatusCode::BAD_REQUEST))?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let mut problems = Problems::default();
        let held = admin.db().held(&who.user.name)?;
        let mut submission = read_submission(&form, &pairs, &held, &mut problems, who.locale());
        let kept = entered_from(&form, &stored.group);
        submission.entered.keep_locked(&form, &kept, &held);
        let mut proposed = stored.group.clone();
        submission.apply(&mut proposed, false)?;
        let attempt = if problems.any_error() {
            let change = Change::Update(Update {
                code: stored.group.code.clone(),
                proposed,
            });
            Attempt::Checked(admin.check(&change, &actor.locale)?)
        } else {
            let edit = |group: &mut CustomerGroup| *group = proposed;
            Attempt::Saved(admin.update_group_at(&stored.group.code, Some(version), edit, &actor))
        };
        if let Some(done) = settle(app, &form, &who, &mut problems, attempt)? {
            return Ok(done);
        }
        let shown = Shown {
            record: Some(&stored),
            version: Some(version),
            entered: submission.entered,
            problems,
            refused: Some(Refused::Save),
            ..Shown::default()
        };
        page(app, &who, &form, shown)
    })
    .await
}

/// `POST /form/{form}/{code}/delete`: the toolbar's Delete; a refusal (the
/// plugin's: customers, transactions, child groups, the default group)
/// is shown on the record's form.
pub(super) async fn delete(
    State(app): State<Arc<App>>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (who, form, actor) = editor(app, headers, &id, &pairs)?;
        let admin = app.admin()?;
        let stored = stored_group(&admin, &code)?;
        let mut problems = Problems::default();
        match admin.delete_group(&stored.group.code, &actor) {
            Ok(_) => return Ok(see_other(&format!("/form/{}?all=1", form.id))),
            // Why a record cannot go is about the record: said at the top.
            Err(error) => {
                for text in refused_texts(&form, error, &who)? {
                    problems.error(&form, "", text);
                }
            }
        }
        let shown = Shown {
            entered: entered_from(&form, &stored.group),
            version: Some(stored.version),
            record: Some(&stored),
            problems,
            refused: Some(Refused::Delete),
            ..Shown::default()
        };
        page(app, &who, &form, shown)
    })
    .await
}
