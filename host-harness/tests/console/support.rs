//! A console to test against: a fresh `quickstart` database with users of
//! every role (their passwords as `erp-host user add` printed them), the
//! real `erp-host serve` on a free loopback port, and a small HTTP/1.1
//! client that keeps the session cookie and reads each page's CSRF token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_erp-host");

/// A database and the users in it.
pub struct Host {
    pub dir: tempfile::TempDir,
    /// `(name, role, password)` of each user added.
    pub users: Vec<(String, String, String)>,
}

/// `erp-host --db <db> args`: exit code, stdout, stderr.
pub fn erp_host(db: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ERP_DB")
        .env_remove("ERP_USER")
        .env_remove("ERP_LOCALE")
        .env_remove("ERP_LISTEN")
        .output()
        .expect("run erp-host");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `erp-host` with `args` over `host`'s store, which must succeed; its
/// standard output.
pub fn ok(host: &Host, args: &[&str]) -> String {
    let (code, out, err) = erp_host(&host.db(), args);
    assert_eq!(code, 0, "{args:?}: {out}{err}");
    out
}

/// A `multipart/form-data` body of the text `fields` and one file
/// (`file_name`, of `content_type`); its content type with the boundary.
pub fn multipart(
    fields: &[(&str, &str)],
    file_name: &str,
    content_type: &str,
    file: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "xYzBoundary42";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Host {
    /// `quickstart`, then an administrator, a sales master, an accountant
    /// and a viewer, each with the password `user add` generated.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut host = Self {
            dir,
            users: Vec::new(),
        };
        let (code, out, err) = erp_host(&host.db(), &["quickstart"]);
        assert_eq!(code, 0, "quickstart: {out}{err}");
        for (name, role) in [
            ("admin", "administrator"),
            ("sales", "sales-master"),
            ("acct", "accountant"),
            ("viewer", "viewer"),
        ] {
            host.add_user(name, role);
        }
        host
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    /// `user add NAME --role ROLE`; the password it printed once.
    pub fn add_user(&mut self, name: &str, role: &str) -> String {
        let (code, out, err) = erp_host(&self.db(), &["user", "add", name, "--role", role]);
        assert_eq!(code, 0, "user add: {out}{err}");
        let password = out
            .lines()
            .find_map(|l| l.strip_prefix("password: "))
            .unwrap_or_else(|| panic!("no password printed: {out}"))
            .to_owned();
        self.users
            .push((name.to_owned(), role.to_owned(), password.clone()));
        password
    }

    /// The password of `name`.
    pub fn password(&self, name: &str) -> &str {
        self.users
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, p)| p.as_str())
            .unwrap_or_else(|| panic!("no user {name}"))
    }

    /// `erp-host serve` on a free loopback port, with `args`.
    pub fn serve(&self, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(self.db())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("ERP_LISTEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start erp-host serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the address");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("erp-host serve did not say where it listens: {line:?} {err}");
        };
        Server { child, addr }
    }
}

/// A running `erp-host serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A browser-like client with no session yet.
    pub fn client(&self) -> Client {
        Client {
            addr: self.addr,
            cookie: None,
        }
    }

    /// A client logged in as `name`.
    pub fn logged_in(&self, host: &Host, name: &str) -> Client {
        let mut client = self.client();
        let page = client.get("/login");
        assert_eq!(page.status, 200, "{}", page.body);
        let csrf = page.csrf();
        let done = client.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("name", name),
                ("password", host.password(name)),
            ],
        );
        assert_eq!(done.status, 303, "login as {name}: {}", done.body);
        assert_eq!(done.header("location"), Some("/"));
        client
    }
}

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
