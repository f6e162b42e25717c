//! Logging in and out, the language switch, and the home page (the host
//! menu).

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{
    App, Stop, any_session, bare_chrome, blocking, chrome, field, html, local_path, see_other,
    signed_in,
};
use crate::console::pages::{HomePage, LoginPage};
use crate::console::security::session_id;
use crate::console::session::COOKIE;
use crate::console::words;
use crate::messages::Locale;
use crate::users;

/// The `Set-Cookie` value of session `id` (`None`: clear it).
fn cookie(app: &App, id: Option<&str>) -> Result<HeaderValue, Stop> {
    let secure = if app.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let text = match id {
        Some(id) => format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&text).map_err(|_| Stop::Status(StatusCode::INTERNAL_SERVER_ERROR))
}

fn with_cookie(mut response: Response, value: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, value);
    response
}

/// `GET /`: the host menu.
pub(super) async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        let who = signed_in(app, headers)?;
        let page = HomePage {
            chrome: chrome(app, &who, "/")?,
        };
        Ok(html(page.render()?))
    })
    .await
}

/// The login page, for session `id` (its CSRF token), with `error`.
fn login_page(
    app: &App,
    id: &str,
    name: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, Stop> {
    let session = app.sessions.get(id).ok_or(Stop::Login)?;
    let page = LoginPage {
        chrome: bare_chrome(session.locale, None, &session.csrf, Vec::new(), "/login"),
        error,
        name: name.to_owned(),
    };
    Ok((status, html(page.render()?)).into_response())
}

/// `GET /login`: the login form, in a session of its own (for its CSRF
/// token) when the browser has none yet.
pub(super) async fn login_form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        if signed_in(app, headers).is_ok() {
            return Ok(see_other("/"));
        }
        let live = session_id(headers).filter(|id| app.sessions.get(id).is_some());
        match live {
            Some(id) => login_page(app, &id, "", None, StatusCode::OK),
            None => {
                let id = app.sessions.start(None, Locale::En)?;
                let page = login_page(app, &id, "", None, StatusCode::OK)?;
                Ok(with_cookie(page, cookie(app, Some(&id))?))
            }
        }
    })
    .await
}

/// `POST /login`: checks the CSRF token of the login form's session, the
/// rate limit, the name and password; signed in, a new session replaces
/// the old one.
pub(super) async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (id, session) = any_session(app, headers, &pairs)?;
        let name = field(&pairs, "name").unwrap_or_default();
        let password = field(&pairs, "password").unwrap_or_default();
        let ip = peer.ip();
        if !app.limiter.allows(ip, name) {
            let mut page = crate::console::security::error_response(
                StatusCode::TOO_MANY_REQUESTS,
                session.locale,
            );
            let retry = app.config.login_window.as_secs().to_string();
            if let Ok(value) = HeaderValue::from_str(&retry) {
                page.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return Ok(page);
        }
        let admin = app.admin()?;
        match users::verify_login(admin.db(), name, password)? {
            Some(user) => {
                app.sessions.end(&id);
                let new = app.sessions.start(Some(user.name), session.locale)?;
                Ok(with_cookie(see_other("/"), cookie(app, Some(&new))?))
            }
            None => {
                app.limiter.failed(ip, name);
                let error = words::bad_login(session.locale);
                login_page(app, &id, name, Some(error), StatusCode::UNAUTHORIZED)
            }
        }
    })
    .await
}

/// `POST /logout`: ends the session.
pub(super) async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        app.sessions.end(&who.id);
        Ok(with_cookie(see_other("/login"), cookie(app, None)?))
    })
    .await
}

/// `POST /locale`: switches the session's language and goes back.
pub(super) async fn locale(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let (id, _) = any_session(app, headers, &pairs)?;
        let locale = field(&pairs, "locale")
            .and_then(Locale::parse)
            .ok_or(Stop::Status(StatusCode::BAD_REQUEST))?;
        app.sessions.set_locale(&id, locale);
        let back = field(&pairs, "back")
            .filter(|b| local_path(b))
            .unwrap_or("/");
        Ok(see_other(back))
    })
    .await
}
