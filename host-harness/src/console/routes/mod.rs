//! The routes, and what every handler shares: the session and the user
//! behind it (re-read from the store on every request, so that a disabled
//! user or a changed role takes effect at once), the role check, the CSRF
//! check, the page chrome, running the work on the blocking pool.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the host menu |
//! | `GET /login`, `POST /login`, `POST /logout` | sessions |
//! | `POST /locale` | switch the language |
//! | `GET /form/{form}` | the list view |
//! | `GET /form/{form}/new`, `POST /form/{form}/new` | a new record |
//! | `POST /form/account/new` | the "+" of an account lookup: a new account, back to the form |
//! | `GET /form/{form}/{code}`, `POST /form/{form}/{code}` | a record |
//! | `POST /form/{form}/{code}/delete` | delete it |
//! | `POST /form/{form}/{code}/default-gl-accounts` | Default GL Accounts |
//! | `GET`, `POST /form/{form}/{code}/default-terms` | Apply Default Terms: preview, confirm |
//! | `GET`, `POST /form/{form}/{code}/reassign` | Reassign Customers |
//! | `GET /sync` | the sync daemon's status |
//! | `GET`, `POST /gl/transactions` | AR transactions: the list, enter one |
//! | `POST /gl/transactions/import` | import a CSV file (multipart), progress streamed |
//! | `GET`, `POST /gl/batches` | GL batches: the list, Create Batch |
//! | `GET /gl/batches/{id}`, `POST .../post`, `POST .../delete` | a batch: sums and lines, Post, Delete |
//! | `GET /admin/plugin`, `POST .../limits`, `POST .../install` | the plugin, its limits, install an upload (administrators) |
//! | `GET`, `POST /admin/users`, `POST /admin/users/{name}` | users and roles (administrators) |
//! | `GET`, `POST /admin/companies`, `POST /admin/companies/{code}` | companies and their ledgers (administrators) |
//! | `GET`, `POST /ar-settings/{company}` | a company's AR settings (sales masters and administrators save) |
//! | `GET /reports/receivables` | receivables by group, rolled up the tree |
//! | `GET /reports/trend`, `GET /reports/trend.svg` | the sales trend and its chart |
//! | `GET /reports/credit` | the group credit check |
//! | `GET /assets/console.css` | the stylesheet |

mod account;
mod actions;
mod admin;
mod ar_settings;
mod auth;
mod company;
mod form;
mod gl;
mod list;
mod reports;
mod sync;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::pages::{Chrome, MenuRow};
use super::security::{self, error_response, internal, session_id};
use super::session::{Session, same_token};
use super::words::Words;
use super::{App, ConsoleError};
use crate::messages::Locale;
use crate::store::{Role, UserRecord};

/// The stylesheet, vendored in the repository and compiled in.
const CSS: &str = include_str!("../../../assets/console.css");

/// Every route of the console.
pub(super) fn router(app: Arc<App>) -> Router {
    let limit = app.config.body_limit;
    let floor = app.config.floor_asset.clone();
    let router = match floor {
        Some(bytes) => {
            let bytes = axum::body::Bytes::from(bytes.to_vec());
            Router::new().route(
                "/assets/floor.bin",
                get(move || {
                    let bytes = bytes.clone();
                    async move { ([(header::CONTENT_TYPE, "application/octet-stream")], bytes) }
                }),
            )
        }
        None => Router::new(),
    };
    router
        .route("/", get(auth::home))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route("/locale", axum::routing::post(auth::locale))
        .route("/form/{form}", get(list::list))
        .route(
            "/form/account/new",
            axum::routing::post(account::quick_create),
        )
        .route("/form/{form}/new", get(form::new_form).post(form::create))
        .route("/form/{form}/{code}", get(form::edit_form).post(form::save))
        .route(
            "/form/{form}/{code}/company/{company}",
            get(company::show).post(company::save),
        )
        .route(
            "/form/{form}/{code}/delete",
            axum::routing::post(form::delete),
        )
        .route(
            "/form/{form}/{code}/default-gl-accounts",
            axum::routing::post(actions::default_gl_accounts),
        )
        .route(
            "/form/{form}/{code}/default-terms",
            get(actions::default_terms_preview).post(actions::default_terms_apply),
        )
        .route(
            "/form/{form}/{code}/reassign",
            get(actions::reassign_form).post(actions::reassign),
        )
        .route("/sync", get(sync::status))
        .route("/gl/transactions", get(gl::transactions).post(gl::enter))
        .route(
            "/gl/transactions/import",
            axum::routing::post(gl::import).layer(DefaultBodyLimit::max(gl::IMPORT_LIMIT)),
        )
        .route("/gl/batches", get(gl::batches).post(gl::create_batch))
        .route("/gl/batches/{id}", get(gl::batch))
        .route("/gl/batches/{id}/post", axum::routing::post(gl::post))
        .route("/gl/batches/{id}/delete", axum::routing::post(gl::delete))
        .route("/admin/plugin", get(admin::plugin))
        .route("/admin/plugin/limits", axum::routing::post(admin::limits))
        .route(
            "/admin/plugin/install",
            axum::routing::post(admin::install)
                .layer(DefaultBodyLimit::max(admin::COMPONENT_LIMIT)),
        )
        .route("/admin/users", get(admin::users_list).post(admin::add_user))
        .route(
            "/admin/companies",
            get(admin::companies).post(admin::add_company),
        )
        .route(
            "/admin/companies/{code}",
            axum::routing::post(admin::set_company_ledger),
        )
        .route(
            "/ar-settings/{company}",
            get(ar_settings::show).post(ar_settings::save),
        )
        .route(
            "/admin/users/{name}",
            axum::routing::post(admin::change_user),
        )
        .route("/reports/receivables", get(reports::receivables))
        .route("/reports/trend", get(reports::trend))
        .route("/reports/trend.svg", get(reports::trend_chart))
        .route("/reports/credit", get(reports::credit))
        .route("/assets/console.css", get(stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::harden,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// Why a handler stops before its page.
pub(super) enum Stop {
    /// Answer with this status's error page.
    Status(StatusCode),
    /// Go to the login page.
    Login,
    /// Something failed: a 500 page, the cause in the log.
    Failed(ConsoleError),
}

impl<E: Into<ConsoleError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// The session a request carries, and the user signed in with it.
pub(super) struct Who {
    /// The session's id.
    pub id: String,
    /// The session.
    pub session: Session,
    /// The user, as stored now.
    pub user: UserRecord,
}

impl Who {
    /// The user's locale.
    pub fn locale(&self) -> Locale {
        self.session.locale
    }

    /// The user as the services stamp them: name and locale.
    pub fn actor(&self) -> crate::admin::Actor {
        crate::admin::Actor {
            user: self.user.name.clone(),
            locale: self.locale().tag().to_owned(),
            via: crate::actor::Via::Console,
        }
    }

    /// Refuses (403) unless the role may do what `allowed` says.
    pub fn may(&self, allowed: fn(Role) -> bool) -> Result<(), Stop> {
        if allowed(self.user.role) {
            Ok(())
        } else {
            Err(Stop::Status(StatusCode::FORBIDDEN))
        }
    }

    /// Refuses (403) unless `pairs` carries the session's CSRF token.
    pub fn check_csrf(&self, pairs: &[(String, String)]) -> Result<(), Stop> {
        csrf_ok(&self.session, pairs)
    }
}

/// The value of `name` in a form's or a query's `pairs` (the first).
pub(super) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Whether `pairs` carries `session`'s CSRF token; 403 otherwise.
fn csrf_ok(session: &Session, pairs: &[(String, String)]) -> Result<(), Stop> {
    match field(pairs, "csrf") {
        Some(token) if same_token(token, &session.csrf) => Ok(()),
        _ => Err(Stop::Status(StatusCode::FORBIDDEN)),
    }
}

/// The request's session, signed in or not, if `pairs` carries its CSRF
/// token (403 otherwise): for the login form and the language switch.
pub(super) fn any_session(
    app: &App,
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<(String, Session), Stop> {
    let forbidden = Stop::Status(StatusCode::FORBIDDEN);
    let id = session_id(headers).ok_or(Stop::Status(StatusCode::FORBIDDEN))?;
    let session = app.sessions.get(&id).ok_or(forbidden)?;
    csrf_ok(&session, pairs)?;
    Ok((id, session))
}

/// The signed-in user of the request, or [`Stop::Login`].
pub(super) fn signed_in(app: &App, headers: &HeaderMap) -> Result<Who, Stop> {
    let id = session_id(headers).ok_or(Stop::Login)?;
    let session = app.sessions.get(&id).ok_or(Stop::Login)?;
    let name = session.user.clone().ok_or(Stop::Login)?;
    let admin = app.admin()?;
    match admin.db().user(&name)? {
        Some(user) if !user.disabled => Ok(Who { id, session, user }),
        _ => {
            app.sessions.end(&id);
            Err(Stop::Login)
        }
    }
}

/// The page chrome for `who` on `here`.
pub(super) fn chrome(app: &App, who: &Who, here: &str) -> Result<Chrome, Stop> {
    let admin = app.admin()?;
    // The store keeps the plugin's canonical (English) menu path; the
    // installed form's entry is shown as its form says in the user's locale.
    let form = admin.shared_form(who.locale().tag())?;
    let mut menu = Vec::new();
    let mut previous: &[String] = &[];
    let items = admin.menu()?;
    for item in items.iter() {
        let path = if item.plugin.as_deref() == Some(form.id.as_str()) {
            &form.menu.path
        } else {
            &item.path
        };
        let common = previous
            .iter()
            .zip(path)
            .take_while(|(a, b)| a == b)
            .count();
        for (depth, segment) in path.iter().enumerate().skip(common) {
            let last = depth + 1 == path.len();
            // A plugin's entry opens its form; a host entry opens the
            // console's page for it, if the console has one (the others are
            // screens of the host ERP this console does not draw: no link
            // that would end on a 404).
            let route = match &item.plugin {
                Some(_) => Some(item.route.clone()).filter(|r| local_path(r)),
                None => host_page(&item.route).map(str::to_owned),
            };
            menu.push(MenuRow {
                depth,
                label: segment.clone(),
                route: route.filter(|_| last),
            });
        }
        previous = path;
    }
    let role = who.user.role.as_str().to_owned();
    let mut chrome = bare_chrome(
        who.locale(),
        Some((who.user.name.clone(), role)),
        &who.session.csrf,
        menu,
        here,
    );
    chrome.notices = app.sessions.take_notices(&who.id);
    let words = &chrome.words;
    let ar_settings = format!("/ar-settings/{}", crate::store::DEFAULT_COMPANY);
    chrome.host_links = [
        (&words.gl_transactions, "/gl/transactions"),
        (&words.gl_batches, "/gl/batches"),
        (&words.report_receivables, "/reports/receivables"),
        (&words.report_trend, "/reports/trend"),
        (&words.report_credit, "/reports/credit"),
        (&words.ar_settings, ar_settings.as_str()),
        (&words.sync_title, "/sync"),
        (&words.plugin_title, "/admin/plugin"),
        (&words.users_title, "/admin/users"),
        (&words.companies_title, "/admin/companies"),
    ]
    .into_iter()
    .filter(|(_, route)| who.user.role.administers() || !route.starts_with("/admin/"))
    .map(|(label, route)| (label.clone(), route.to_owned()))
    .collect();
    Ok(chrome)
}

/// The chrome without a menu (the login page), or with `menu`.
pub(super) fn bare_chrome(
    l: Locale,
    user: Option<(String, String)>,
    csrf: &str,
    menu: Vec<MenuRow>,
    here: &str,
) -> Chrome {
    Chrome {
        words: Words::of(l),
        user,
        csrf: csrf.to_owned(),
        menu,
        here: here.to_owned(),
        locales: Locale::ALL
            .iter()
            .map(|x| (x.tag(), x.name(), *x == l))
            .collect(),
        notices: Vec::new(),
        host_links: Vec::new(),
    }
}

/// Whether the console serves the quick-create route `route` (a form
/// definition's `quick-create`): a "+" is drawn only for those.
pub(crate) fn serves(route: &str) -> bool {
    route == account::ROUTE
}

/// The console's page for the host's own menu entry `route`, if it has one.
fn host_page(route: &str) -> Option<&'static str> {
    match route {
        "/form/glbatch" => Some("/gl/batches"),
        _ => None,
    }
}

/// Whether `path` is a path on this server (not `//host` or a scheme).
pub(super) fn local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\')
}

/// Runs `work` on the blocking pool and turns its outcome into a response.
pub(super) async fn blocking(
    app: Arc<App>,
    headers: HeaderMap,
    work: impl FnOnce(&App, &HeaderMap) -> Result<Response, Stop> + Send + 'static,
) -> Response {
    match decide(app, headers, work).await {
        Ok(response) | Err(response) => response,
    }
}

/// Runs `work` on the blocking pool: what it gives, or the response of
/// why it stopped (an error page, the login page).
pub(super) async fn decide<T: Send + 'static>(
    app: Arc<App>,
    headers: HeaderMap,
    work: impl FnOnce(&App, &HeaderMap) -> Result<T, Stop> + Send + 'static,
) -> Result<T, Response> {
    let locale_app = app.clone();
    let locale_headers = headers.clone();
    // The turn goes with the work onto the blocking pool: if this future
    // is dropped (the client went away), the turn ends only when the work
    // has ended and given its connection back.
    let Ok(turn) = locale_app.work.clone().acquire_owned().await else {
        return Err(internal(
            &ConsoleError::Worker("the server is stopping".into()),
            security::locale_of(&locale_app, &locale_headers),
        ));
    };
    let outcome = tokio::task::spawn_blocking(move || {
        let _connection = app.lease(turn);
        work(&app, &headers)
    })
    .await;
    let l = || security::locale_of(&locale_app, &locale_headers);
    match outcome {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(Stop::Status(status))) => Err(error_response(status, l())),
        Ok(Err(Stop::Login)) => Err(Redirect::to("/login").into_response()),
        Ok(Err(Stop::Failed(error))) => Err(internal(&error, l())),
        Err(join) => Err(internal(&ConsoleError::Worker(join.to_string()), l())),
    }
}

/// A multipart form's text fields, and its `file` (name and bytes), or
/// the status of why it could not be read (413 past the route's limit).
pub(super) async fn read_multipart(
    mut multipart: axum::extract::Multipart,
    default_name: &str,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), StatusCode> {
    let mut pairs = Vec::new();
    let mut file = None;
    while let Some(part) = multipart.next_field().await.map_err(|e| e.status())? {
        let name = part.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = part.file_name().unwrap_or(default_name).to_owned();
            let bytes = part.bytes().await.map_err(|e| e.status())?;
            file = Some((file_name, bytes.to_vec()));
        } else {
            pairs.push((name, part.text().await.map_err(|e| e.status())?));
        }
    }
    Ok((pairs, file))
}

/// The error page of `status`, in the request's locale.
pub(super) fn status_page(app: &App, headers: &HeaderMap, status: StatusCode) -> Response {
    error_response(status, security::locale_of(app, headers))
}

/// The status of a page shown again: 422 when it says why something was
/// refused, else 200.
pub(super) fn refused_if(refused: bool) -> StatusCode {
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// An HTML page.
pub(super) fn html(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// A redirect after a POST (303: the browser GETs `to`).
pub(super) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// `text` percent-encoded for a path segment or a query string: every
/// byte but the unreserved ones (RFC 3986) as `%XX`.
pub(super) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `pairs` percent-encoded as a query string (`a=1&b=x%20y`).
pub(super) fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
