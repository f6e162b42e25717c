//! What every response carries: a Content-Security-Policy that allows no
//! inline script (nor any script at all: the console needs none), no
//! framing, no sniffing, no referrer beyond the origin, no caching of
//! pages; and an HTML page, in the visitor's locale, for every error
//! response (axum's own rejections included: an oversized body, a form that
//! does not parse, an unknown route), never a stack trace or a Rust error.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::App;
use super::pages::ErrorPage;
use super::session::COOKIE;
use crate::messages::Locale;

/// The policy: everything from the console itself, no script, no plugins,
/// no framing, forms posted only back to the console.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The session id in the request's cookies, if any.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The locale of the request's session; English without one.
pub fn locale_of(app: &App, headers: &HeaderMap) -> Locale {
    session_id(headers)
        .and_then(|id| app.sessions.get(&id))
        .map_or(Locale::En, |s| s.locale)
}

/// An HTML error page of `status`, in `l`.
pub fn error_response(status: StatusCode, l: Locale) -> Response {
    let (title, text) = super::words::error_page(l, status.as_u16());
    let page = ErrorPage {
        lang: l.tag(),
        status: status.as_u16(),
        title,
        text,
        home: super::words::Words::of(l).menu.clone(),
    };
    let body = askama::Template::render(&page).unwrap_or_else(|_| status.to_string());
    (status, Html(body)).into_response()
}

/// The middleware: error pages for errors that are not pages yet, and the
/// security headers on everything.
pub async fn harden(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let locale = locale_of(&app, request.headers());
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if (status.is_client_error() || status.is_server_error()) && !is_html {
        let retry = response.headers().get(header::RETRY_AFTER).cloned();
        response = error_response(status, locale);
        if let Some(retry) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, retry);
        }
    }
    let headers = response.headers_mut();
    // The six below, without growing the map twice on the way.
    headers.reserve(6);
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(
        headers,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if !is_asset {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

/// A response to a handler that panicked or whose worker failed: a 500
/// page, the cause only in the server's log.
pub fn internal(error: &dyn std::error::Error, l: Locale) -> Response {
    eprintln!("erp-host serve: {error}");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, l)
}
