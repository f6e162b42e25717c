//! A small HTTP/1.1 client for the console's tests and benchmark: one
//! request per connection, the session cookie kept from `Set-Cookie`, a
//! chunked body put together, and the page's CSRF token read.
//!
//! Shared by path (`#[path]`) with the daemon's console test and the
//! console benchmark, so it names nothing of any package.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The first header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The CSRF token of the page's first form.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF token on the page: {}", self.body));
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').expect("end of the token")].to_owned()
    }
}

/// A client keeping the session cookie.
pub struct Client {
    addr: SocketAddr,
    pub cookie: Option<String>,
}

impl Client {
    /// A client of the server at `addr`, with no session yet.
    pub fn new(addr: SocketAddr) -> Self {
        Self { addr, cookie: None }
    }
}

/// `pairs` as `application/x-www-form-urlencoded`.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    let encode = |t: &str| {
        t.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Client {
    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, None, &[])
    }

    pub fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let body = form_body(pairs);
        self.send(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", body.as_bytes())),
            &[],
        )
    }

    /// One request on a fresh connection; the session cookie sent and
    /// updated from `Set-Cookie`.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some((kind, bytes)) = body {
            head.push_str(&format!(
                "Content-Type: {kind}\r\nContent-Length: {}\r\n",
                bytes.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("send head");
        if let Some((_, bytes)) = body {
            // The server may answer (413) and close before reading it all.
            let _ = stream.write_all(bytes);
        }
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let response = parse(&raw);
        for (k, v) in &response.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or_default();
                if pair.ends_with('=') {
                    self.cookie = None;
                } else {
                    self.cookie = Some(pair.to_owned());
                }
            }
        }
        response
    }
}

fn parse(raw: &[u8]) -> Response {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}
