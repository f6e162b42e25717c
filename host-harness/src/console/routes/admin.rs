//! The administrator's pages, each refused to any other role on the server:
//!
//! - `GET /admin/plugin`: the installed plugin (form, digest, contract
//!   version, size, who installed it), where its compiled code came from,
//!   its limits with their ranges; `POST /admin/plugin/limits` sets them
//!   (or resets them); `POST /admin/plugin/install` installs an uploaded
//!   component (multipart: `file`, optionally `sha256` to pin), through the
//!   same path as `erp-host plugin install`, with every refusal it gives;
//! - `GET /admin/users`: the users; `POST /admin/users` adds one (the
//!   generated password shown once); `POST /admin/users/{name}` changes a
//!   role, disables, enables, or sets a new generated password;
//! - `GET /admin/companies`: the companies with their ledgers; `POST
//!   /admin/companies` adds one (`code`, `name`), as `erp-host company
//!   new`; `POST /admin/companies/{code}` sets its ledger (`base-currency`,
//!   `rounding-account`), as `erp-host gl settings set --company`.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{App, Stop, Who, blocking, chrome, field, html, see_other, signed_in};
use crate::admin;
use crate::console::pages::{
    Choice, CompaniesPage, CompanyRow, LimitRow, PluginPage, UserRow, UsersPage,
};
use crate::engine::Limits;
use crate::messages::{self as m, Localize};
use crate::report::group_thousands;
use crate::store::Role;
use crate::users;

/// The largest component an upload takes.
pub(super) const COMPONENT_LIMIT: usize = 32 * 1024 * 1024;

fn digits(n: u64) -> String {
    group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The signed-in administrator, with the CSRF token checked for a POST.
fn administrator(
    app: &App,
    headers: &HeaderMap,
    pairs: Option<&[(String, String)]>,
) -> Result<Who, Stop> {
    let who = signed_in(app, headers)?;
    if let Some(pairs) = pairs {
        who.check_csrf(pairs)?;
    }
    who.may(Role::administers)?;
    Ok(who)
}

fn plugin_page(
    app: &App,
    who: &Who,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, Stop> {
    let l = who.locale();
    let admin = app.admin()?;
    let db = admin.db();
    let installed = db.installed_plugin()?;
    let loaded = admin.plugin().loaded();
    let mut facts = Vec::new();
    if let Some(p) = &installed {
        facts = vec![
            m::plugin_form(l, &p.form_id),
            m::plugin_sha256(l, &p.sha256),
            m::plugin_wit(l, &p.wit_version),
            m::plugin_size(l, p.size.unsigned_abs()),
            m::plugin_installed_by(l, &p.installed_at, &p.installed_by),
            m::plugin_code(
                l,
                &loaded.origin.localize(l),
                loaded.took.as_secs_f64() * 1e3,
            ),
        ];
        if let Some(problem) = &loaded.cache_problem {
            facts.push(m::plugin_cache(l, problem));
        }
    }
    let values = db.plugin_limits()?.values();
    let source = match db.plugin_limits_set_by()? {
        None => m::limits_defaults(l),
        Some((user, at)) => m::limits_set_by(l, &user, &at),
    };
    let page = PluginPage {
        chrome: chrome(app, who, "/admin/plugin")?,
        facts,
        limits_source: m::limits_source(l, &source),
        limits: Limits::RANGES
            .iter()
            .zip(values)
            .map(|(range, value)| LimitRow {
                name: range.name,
                value: value.to_string(),
                range: m::limit_range(l, &digits(range.min), &digits(range.max)),
            })
            .collect(),
        errors,
    };
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /admin/plugin`.
pub(super) async fn plugin(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        let who = administrator(app, headers, None)?;
        plugin_page(app, &who, Vec::new(), StatusCode::OK)
    })
    .await
}

/// `POST /admin/plugin/limits`: the values given (`reset`: the defaults).
pub(super) async fn limits(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let l = who.locale();
        let db = app.admin()?.db().clone();
        if field(&pairs, "reset").is_some() {
            db.write(|w| w.set_plugin_limits(None, who.actor().by()))?;
            app.recheck();
            app.sessions
                .tell(&who.id, [m::limits_source(l, &m::limits_defaults(l))]);
            return Ok(see_other("/admin/plugin"));
        }
        let mut values = db.plugin_limits()?.values();
        let mut errors = Vec::new();
        for (range, value) in Limits::RANGES.iter().zip(values.iter_mut()) {
            let Some(text) = field(&pairs, range.name)
                .map(str::trim)
                .filter(|t| !t.is_empty())
            else {
                continue;
            };
            match text.replace(['_', ','], "").parse::<u64>() {
                Ok(n) => *value = n,
                Err(_) => errors.push(format!(
                    "{}: {}",
                    range.name,
                    crate::console::words::unreadable(l, text)
                )),
            }
        }
        if errors.is_empty() {
            match Limits::from_values(values) {
                Ok(limits) => {
                    db.write(|w| w.set_plugin_limits(Some(&limits), who.actor().by()))?;
                    app.recheck();
                    if let Some((user, at)) = db.plugin_limits_set_by()? {
                        let source = m::limits_set_by(l, &user, &at);
                        app.sessions.tell(&who.id, [m::limits_source(l, &source)]);
                    }
                    return Ok(see_other("/admin/plugin"));
                }
                Err(e) => errors.push(e.localize(l)),
            }
        }
        plugin_page(app, &who, errors, StatusCode::UNPROCESSABLE_ENTITY)
    })
    .await
}

/// `POST /admin/plugin/install`: an uploaded component.
pub(super) async fn install(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (pairs, file) = match super::read_multipart(multipart, "component.wasm").await {
        Ok(read) => read,
        Err(status) => return super::status_page(&app, &headers, status),
    };
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let l = who.locale();
        let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            let errors = vec![crate::console::words::no_file(l)];
            return plugin_page(app, &who, errors, StatusCode::UNPROCESSABLE_ENTITY);
        };
        let pinned = field(&pairs, "sha256")
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let db = app.admin()?.db().clone();
        match admin::install_plugin(&db, &bytes, pinned, &who.user.name) {
            Ok(installed) => {
                app.recheck();
                let said = m::installed(
                    l,
                    &name,
                    &installed.form_id,
                    installed.size.unsigned_abs(),
                    &installed.sha256,
                    &installed.wit_version,
                );
                app.sessions.tell(&who.id, [said]);
                Ok(see_other("/admin/plugin"))
            }
            Err(e) => {
                let errors = vec![format!("{}: {}", m::installing(l, &name), e.localize(l))];
                plugin_page(app, &who, errors, StatusCode::UNPROCESSABLE_ENTITY)
            }
        }
    })
    .await
}

fn users_page(
    app: &App,
    who: &Who,
    shown_password: Option<(String, String)>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, Stop> {
    let l = who.locale();
    let rows = app
        .admin()?
        .db()
        .users()?
        .into_iter()
        .map(|u| UserRow {
            roles: Role::ALL
                .iter()
                .map(|r| Choice::new(r.as_str(), r.as_str(), *r == u.role))
                .collect(),
            name: u.name,
            disabled: u.disabled,
            created: format!("{} {}", u.created_at, u.created_by),
        })
        .collect();
    let page = UsersPage {
        chrome: chrome(app, who, "/admin/users")?,
        rows,
        roles: Role::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.as_str(), *r == Role::Viewer))
            .collect(),
        password: shown_password
            .map(|(name, p)| (crate::console::words::password_once(l, &name), p)),
        errors,
    };
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /admin/users`.
pub(super) async fn users_list(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        let who = administrator(app, headers, None)?;
        users_page(app, &who, None, Vec::new(), StatusCode::OK)
    })
    .await
}

/// `POST /admin/users`: adds a user with a generated password, shown on
/// this one page (never stored as text, never in a URL).
pub(super) async fn add_user(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let l = who.locale();
        let name = field(&pairs, "name").unwrap_or_default().trim().to_owned();
        let role = field(&pairs, "role")
            .and_then(Role::parse)
            .ok_or(Stop::Status(StatusCode::BAD_REQUEST))?;
        let db = app.admin()?.db().clone();
        match users::add_user(&db, &name, role, None, &who.user.name) {
            Ok(added) => {
                let shown = added.generated.map(|p| (added.user.name.clone(), p));
                users_page(app, &who, shown, Vec::new(), StatusCode::OK)
            }
            Err(e) => users_page(
                app,
                &who,
                None,
                vec![e.localize(l)],
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        }
    })
    .await
}

/// `POST /admin/users/{name}`: `role=R`, or `action=disable|enable|password`.
pub(super) async fn change_user(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let l = who.locale();
        let db = app.admin()?.db().clone();
        let outcome = match (
            field(&pairs, "action"),
            field(&pairs, "role").and_then(Role::parse),
        ) {
            (Some("disable"), _) => users::set_disabled(&db, &name, true).map(|_| None),
            (Some("enable"), _) => users::set_disabled(&db, &name, false).map(|_| None),
            (Some("password"), _) => {
                users::set_password(&db, &name, None).map(|a| a.generated.map(|p| (a.user.name, p)))
            }
            (_, Some(role)) => users::set_role(&db, &name, role).map(|_| None),
            _ => return Err(Stop::Status(StatusCode::BAD_REQUEST)),
        };
        match outcome {
            Ok(Some(shown)) => users_page(app, &who, Some(shown), Vec::new(), StatusCode::OK),
            Ok(None) => Ok(see_other("/admin/users")),
            Err(e) => users_page(
                app,
                &who,
                None,
                vec![e.localize(l)],
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        }
    })
    .await
}

fn companies_page(
    app: &App,
    who: &Who,
    typed: (String, String),
    errors: Vec<String>,
) -> Result<Response, Stop> {
    let rows = app
        .admin()?
        .db()
        .companies()?
        .into_iter()
        .map(|c| CompanyRow {
            created: format!("{} {}", c.created_at, c.created_by),
            rounding_account: c.rounding_account.unwrap_or_default(),
            code: c.code,
            name: c.name,
            is_default: c.is_default,
            base_currency: c.base_currency,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CompaniesPage {
        chrome: chrome(app, who, "/admin/companies")?,
        rows,
        typed,
        errors,
    };
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /admin/companies`.
pub(super) async fn companies(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        let who = administrator(app, headers, None)?;
        companies_page(app, &who, Default::default(), Vec::new())
    })
    .await
}

/// `POST /admin/companies`: Add company.
pub(super) async fn add_company(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let code = field(&pairs, "code").unwrap_or_default().to_owned();
        let name = field(&pairs, "name").unwrap_or_default().to_owned();
        match app.admin()?.create_company(&code, &name, &who.actor()) {
            Ok(added) => {
                let said = m::company_created(who.locale(), &added.code, &added.name);
                app.sessions.tell(&who.id, [said]);
                Ok(see_other("/admin/companies"))
            }
            Err(admin::AdminError::Store(e)) => {
                companies_page(app, &who, (code, name), vec![e.localize(who.locale())])
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// `POST /admin/companies/{code}`: a company's ledger settings.
pub(super) async fn set_company_ledger(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = administrator(app, headers, Some(&pairs))?;
        let admin = app.admin()?;
        let Some(company) = admin.db().company(&code)? else {
            return Err(Stop::Status(StatusCode::NOT_FOUND));
        };
        let settings = crate::gl::GlSettings {
            base_currency: field(&pairs, "base-currency")
                .unwrap_or_default()
                .to_owned(),
            rounding_account: field(&pairs, "rounding-account")
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
        };
        match admin
            .gl()
            .set_gl_settings_of(Some(&company.code), &settings)
        {
            Ok(()) => {
                let said = m::company_ledger_set(who.locale(), &company.code);
                app.sessions.tell(&who.id, [said]);
                Ok(see_other("/admin/companies"))
            }
            Err(e @ (crate::gl::GlError::Input(_) | crate::gl::GlError::Store(_))) => {
                companies_page(
                    app,
                    &who,
                    Default::default(),
                    vec![e.localize(who.locale())],
                )
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}
