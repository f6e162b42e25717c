//! A console to test against: a fresh `quickstart` database with users of
//! every role (their passwords as `erp-host user add` printed them), the
//! real `erp-host serve` on a free loopback port, and the HTTP client of
//! `wire` logged in as any of them.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub use super::wire::Client;

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
        Client::new(self.addr)
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
