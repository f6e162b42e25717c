//! The console over HTTP: sessions and their cookie, CSRF, roles, escaping,
//! the body limit, the login rate limit, the error pages, saves through the
//! plugin (refusals at their fields, in Indonesian, stale reads), and every
//! field of the installed form drawn.

use super::support::{Host, erp_host, ok};
use super::wire::form_body;

/// The form's field names, as `erp-host form --json` gives them.
fn form_fields(host: &Host) -> Vec<String> {
    let (code, out, err) = erp_host(&host.db(), &["form", "--json"]);
    assert_eq!(code, 0, "{err}");
    let form: serde_json::Value = serde_json::from_str(&out).expect("form JSON");
    form["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect()
}

/// The body of a create, with the token: the code and name given, every
/// other field blank (inherited).
fn new_group<'a>(csrf: &'a str, code: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("csrf", csrf), ("code", code), ("name", name)]
}

#[test]
fn a_user_logs_in_finds_the_menu_entry_and_the_list_with_safe_headers() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut anonymous = server.client();
    let bounced = anonymous.get("/form/customergroup");
    assert_eq!(bounced.status, 303, "not signed in: to the login page");
    assert_eq!(bounced.header("location"), Some("/login"));
    let login = anonymous.get("/login");
    let cookie = login.header("set-cookie").expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback: {cookie}"
    );
    let csp = login.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(login.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(login.header("x-frame-options"), Some("DENY"));

    let mut admin = server.logged_in(&host, "admin");
    let home = admin.get("/");
    assert_eq!(home.status, 200);
    for segment in ["Sales &#38; POS", "Customers &#38; Sales Team"] {
        assert!(home.body.contains(segment), "{segment}: {}", home.body);
    }
    assert!(
        home.body
            .contains("<a href=\"/form/customergroup\">Customer Group</a>"),
        "{}",
        home.body
    );
    assert!(
        !home.body.contains("href=\"/form/salesperson\""),
        "a host screen this console does not draw is not a link to a 404: {}",
        home.body
    );
    assert!(
        home.body.contains("<a href=\"/gl/batches\">GL Batches</a>"),
        "the host's GL Batches entry opens the console's: {}",
        home.body
    );
    let list = admin.get("/form/customergroup");
    assert_eq!(list.status, 200);
    for text in [
        "Group Code",
        "Group Name",
        "Any Part of Field",
        "Show All",
        "L001",
    ] {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    let css = admin.get("/assets/console.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css"))
    );

    let secure = host.serve(&["--secure-cookies"]);
    let cookie = secure.client().get("/login");
    assert!(
        cookie
            .header("set-cookie")
            .is_some_and(|c| c.contains("; Secure")),
        "{:?}",
        cookie.headers
    );
}

#[test]
fn a_state_changing_request_without_the_session_s_csrf_token_is_refused() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let csrf = admin.get("/form/customergroup/new").csrf();
    for token in [
        "",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let refused = admin.post(
            "/form/customergroup/new",
            &new_group(token, "CSRF1", "Forged"),
        );
        assert_eq!(refused.status, 403, "token {token:?}: {}", refused.body);
        assert!(
            refused.body.contains("<h1>403"),
            "an HTML page: {}",
            refused.body
        );
    }
    let missing = admin.post(
        "/form/customergroup/new",
        &[("code", "CSRF1"), ("name", "F")],
    );
    assert_eq!(missing.status, 403);
    assert_eq!(
        admin.get("/form/customergroup/CSRF1").status,
        404,
        "nothing saved"
    );
    // Another session's token is no good either.
    let mut other = server.logged_in(&host, "sales");
    let theirs = other.get("/").csrf();
    let crossed = admin.post("/form/customergroup/new", &new_group(&theirs, "CSRF1", "F"));
    assert_eq!(crossed.status, 403);
    let logout = admin.post("/logout", &[]);
    assert_eq!(logout.status, 403, "logout needs the token too");
    let saved = admin.post(
        "/form/customergroup/new",
        &new_group(&csrf, "CSRF1", "Real"),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
}

#[test]
fn the_server_refuses_what_a_role_may_not_do() {
    let host = Host::new();
    let server = host.serve(&[]);
    for name in ["viewer", "acct"] {
        let mut user = server.logged_in(&host, name);
        let form = user.get("/form/customergroup/L001");
        assert_eq!(form.status, 200, "{name} reads");
        assert!(!form.body.contains("id=\"save\""), "{name}: no Save button");
        let list = user.get("/form/customergroup");
        assert!(!list.body.contains("id=\"new\""), "{name}: no New button");
        let csrf = form.csrf();
        let create = user.post(
            "/form/customergroup/new",
            &new_group(&csrf, "ROLE1", "Nope"),
        );
        assert_eq!(create.status, 403, "{name} may not create: {}", create.body);
        let edit = user.post(
            "/form/customergroup/L001",
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("code", "L001"),
                ("name", "Renamed"),
            ],
        );
        assert_eq!(edit.status, 403, "{name} may not save");
    }
    assert_eq!(
        server
            .logged_in(&host, "admin")
            .get("/form/customergroup/ROLE1")
            .status,
        404
    );
    let (_, shown, _) = erp_host(&host.db(), &["group", "show", "L001"]);
    assert!(!shown.contains("Renamed"), "{shown}");
    let mut sales = server.logged_in(&host, "sales");
    let csrf = sales.get("/").csrf();
    let created = sales.post(
        "/form/customergroup/new",
        &new_group(&csrf, "ROLE2", "Sales made"),
    );
    assert_eq!(
        created.status, 303,
        "a sales master creates: {}",
        created.body
    );
    // A disabled user's session ends at its next request.
    let (code, _, err) = erp_host(&host.db(), &["user", "disable", "sales"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sales.get("/").status, 303, "sent to the login page");
}

#[test]
fn every_value_is_escaped_in_the_list_and_the_form() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let csrf = admin.get("/").csrf();
    let evil = "<script>alert(1)</script>";
    let created = admin.post("/form/customergroup/new", &new_group(&csrf, "XSS", evil));
    assert_eq!(created.status, 303, "{}", created.body);
    let escaped = "&#60;script&#62;alert(1)&#60;/script&#62;";
    for path in ["/form/customergroup?all=1", "/form/customergroup/XSS"] {
        let page = admin.get(path);
        assert_eq!(page.status, 200);
        assert!(page.body.contains(escaped), "{path}: {}", page.body);
        assert!(!page.body.contains(evil), "{path}: unescaped");
        assert!(!page.body.contains("<script"), "{path}: no script at all");
    }
    let refused = admin.post(
        "/form/customergroup/new",
        &new_group(&csrf, "\"><b>x</b>", evil),
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("value=\"&#34;&#62;&#60;b&#62;x&#60;/b&#62;\""),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("<b>x</b>"));
}

#[test]
fn an_oversized_body_is_refused_with_413_and_an_html_page() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let csrf = admin.get("/").csrf();
    let big = "A".repeat(300 * 1024);
    let body = form_body(&[("csrf", &csrf), ("code", "BIG"), ("name", &big)]);
    let refused = admin.send(
        "POST",
        "/form/customergroup/new",
        Some(("application/x-www-form-urlencoded", body.as_bytes())),
        &[],
    );
    assert_eq!(refused.status, 413, "{}", refused.body);
    assert!(refused.body.contains("<h1>413"), "{}", refused.body);
    assert!(
        refused
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    assert_eq!(admin.get("/form/customergroup/BIG").status, 404);
}

#[test]
fn failed_logins_are_rate_limited_even_for_the_right_password_after() {
    let host = Host::new();
    let server = host.serve(&["--login-limit", "3"]);
    let mut client = server.client();
    let csrf = client.get("/login").csrf();
    for attempt in 1..=3 {
        let wrong = client.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("name", "admin"),
                ("password", "not the password"),
            ],
        );
        assert_eq!(wrong.status, 401, "attempt {attempt}: {}", wrong.body);
        assert!(wrong.body.contains("Wrong user name or password"));
    }
    let limited = client.post(
        "/login",
        &[
            ("csrf", &csrf),
            ("name", "admin"),
            ("password", host.password("admin")),
        ],
    );
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    assert!(limited.body.contains("Too many"), "{}", limited.body);
    // Another user from the same address is limited too (per address).
    let other = client.post(
        "/login",
        &[
            ("csrf", &csrf),
            ("name", "sales"),
            ("password", host.password("sales")),
        ],
    );
    assert_eq!(other.status, 429);
}

#[test]
fn error_pages_are_html_in_the_user_s_language_and_never_a_trace() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let missing = admin.get("/no/such/page");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<h1>404 Not found</h1>"),
        "{}",
        missing.body
    );
    assert_eq!(admin.get("/form/someotherform").status, 404);
    assert_eq!(admin.get("/form/customergroup/NOSUCH").status, 404);
    let csrf = admin.get("/").csrf();
    let switched = admin.post(
        "/locale",
        &[("csrf", &csrf), ("locale", "id"), ("back", "/")],
    );
    assert_eq!(switched.status, 303);
    let hilang = admin.get("/no/such/page");
    assert!(hilang.body.contains("Tidak ditemukan"), "{}", hilang.body);
    let method = admin.send("DELETE", "/form/customergroup", None, &[]);
    assert_eq!(method.status, 405);
    assert!(method.body.contains("<h1>405"), "{}", method.body);
    let garbage = admin.send(
        "POST",
        "/form/customergroup/new",
        Some(("application/json", b"{}")),
        &[],
    );
    assert!(
        garbage.status == 415 || garbage.status == 400,
        "{}",
        garbage.status
    );
    for page in [&missing, &method, &garbage] {
        assert!(
            !page.body.contains("panicked") && !page.body.contains("src/"),
            "{}",
            page.body
        );
    }
}

#[test]
fn a_refused_save_shows_every_problem_at_its_field_in_indonesian_and_saves_nothing() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let csrf = admin.get("/").csrf();
    admin.post(
        "/locale",
        &[("csrf", &csrf), ("locale", "id"), ("back", "/")],
    );
    let mut body = new_group(&csrf, "X-1", "");
    body.push(("credit-limit", "sepuluh"));
    let refused = admin.post("/form/customergroup/new", &body);
    assert_eq!(refused.status, 422, "{}", refused.body);
    let at = |field: &str, text: &str| {
        let start = refused
            .body
            .find(&format!("id=\"field-{field}\""))
            .unwrap_or_else(|| panic!("no field {field}"));
        let end = refused.body[start..]
            .find("</div>")
            .map_or(refused.body.len(), |e| start + e);
        let block = &refused.body[start..end];
        assert!(
            block.contains("class=\"error\"") && block.contains(text),
            "{field}: {block}"
        );
    };
    at(
        "code",
        "Kode Kelompok hanya boleh berisi huruf A-Z dan angka 0-9",
    );
    at("name", "Nama Kelompok wajib diisi");
    at("credit-limit", "nilai ini tidak dapat dibaca");
    assert!(
        refused.body.contains("value=\"X-1\""),
        "what was typed is kept"
    );
    assert!(refused.body.contains("value=\"sepuluh\""));
    let (_, list, _) = erp_host(&host.db(), &["group", "list", "--all"]);
    assert!(!list.contains("X-1") && !list.contains("X1"), "{list}");
}

#[test]
fn a_save_records_the_user_and_a_save_based_on_a_stale_read_is_refused() {
    let host = Host::new();
    // The credit limit below needs the accounting right (issue 14).
    ok(&host, &["user", "grant", "sales", "accounting"]);
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let csrf = sales.get("/").csrf();
    let mut body = new_group(&csrf, "TWO", "Two sessions");
    body.extend([
        ("credit-limit", "25000000"),
        ("sales-discount-rules[1].valid-from", "2026-01-01"),
        ("sales-discount-rules[1].min-amount", "1000000"),
        ("sales-discount-rules[1].percent", "5"),
    ]);
    let created = sales.post("/form/customergroup/new", &body);
    assert_eq!(created.status, 303, "{}", created.body);
    let (_, shown, _) = erp_host(&host.db(), &["group", "show", "TWO"]);
    assert!(
        shown.contains("sales"),
        "created by the signed-in user: {shown}"
    );
    assert!(
        shown.contains("25,000,000") || shown.contains("25000000"),
        "{shown}"
    );

    let mut admin = server.logged_in(&host, "admin");
    let read_by_sales = sales.get("/form/customergroup/TWO");
    let read_by_admin = admin.get("/form/customergroup/TWO");
    assert!(read_by_sales.body.contains("name=\"version\" value=\"1\""));
    assert!(
        read_by_sales.body.contains("value=\"2026-01-01\""),
        "the rule row is shown"
    );
    let admin_csrf = read_by_admin.csrf();
    let first = admin.post(
        "/form/customergroup/TWO",
        &[
            ("csrf", &admin_csrf),
            ("version", "1"),
            ("name", "Renamed by admin"),
        ],
    );
    assert_eq!(first.status, 303, "{}", first.body);
    let stale = sales.post(
        "/form/customergroup/TWO",
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("name", "Renamed by sales"),
        ],
    );
    assert_eq!(stale.status, 422, "{}", stale.body);
    assert!(
        stale.body.contains("refresh and try again"),
        "{}",
        stale.body
    );
    let now = admin.get("/form/customergroup/TWO");
    assert!(now.body.contains("Renamed by admin"));
    assert!(
        now.body.contains(">admin</output>"),
        "updated-by: {}",
        now.body
    );
}

#[test]
fn every_field_of_the_installed_form_is_drawn_and_none_is_unsupported() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let fields = form_fields(&host);
    assert!(fields.len() > 30, "{fields:?}");
    for path in ["/form/customergroup/new", "/form/customergroup/L001"] {
        let page = admin.get(path);
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("data-unsupported"),
            "{path}: {}",
            page.body
        );
        for field in &fields {
            assert!(
                page.body.contains(&format!("id=\"field-{field}\"")),
                "{path}: field {field} is not drawn"
            );
        }
        for label in ["<label for=\"code\">", "<label for=\"name\">"] {
            assert!(page.body.contains(label), "{label}");
        }
    }
}

#[test]
fn serve_refuses_to_start_without_an_administrator() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("erp.sqlite");
    let (code, _, err) = erp_host(&db, &["quickstart"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = erp_host(&db, &["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("erp-host user add NAME --role administrator"),
        "{err}"
    );
}

/// The data rows of a list page, as their cells' texts.
fn rows(body: &str) -> Vec<String> {
    let Some(start) = body.find("<tbody>") else {
        return Vec::new();
    };
    let end = body[start..]
        .find("</tbody>")
        .map_or(body.len(), |e| start + e);
    body[start..end]
        .split("<tr")
        .skip(1)
        .map(|row| {
            let mut text = String::new();
            let mut inside = true;
            for c in row.chars() {
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    c if !inside && !c.is_whitespace() => text.push(c),
                    _ if !inside && !text.ends_with(' ') => text.push(' '),
                    _ => {}
                }
            }
            text.trim().to_owned()
        })
        .collect()
}

#[test]
fn the_list_searches_with_each_match_mode_shows_all_sorts_and_dims_inactive_rows() {
    let host = Host::new();
    let (code, _, err) = erp_host(
        &host.db(),
        &[
            "group",
            "new",
            "--code",
            "OLD1",
            "--name",
            "Old Lokal",
            "--inactive",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let codes = |body: &str| -> Vec<String> {
        rows(body)
            .iter()
            .map(|r| r.split(' ').nth(1).unwrap_or_default().to_owned())
            .collect()
    };
    let exact = viewer.get("/form/customergroup?key=code&mode=exact&text=VIP");
    assert_eq!(codes(&exact.body), ["VIP"], "{}", exact.body);
    let start = viewer.get("/form/customergroup?key=code&mode=start&text=L");
    assert_eq!(codes(&start.body), ["L001", "LOKAL"]);
    let any = viewer.get("/form/customergroup?key=name&mode=any-part&text=lokal");
    assert_eq!(codes(&any.body), ["L001", "OLD1"]);
    assert!(
        any.body.contains("<option value=\"name\" selected>"),
        "the key stays chosen"
    );
    assert!(any.body.contains("value=\"lokal\""), "the text stays");
    let all = viewer.get("/form/customergroup?key=name&mode=exact&text=zzz&all=1");
    let everything = codes(&all.body);
    assert!(
        everything.len() >= 6 && everything.contains(&"OLD1".to_owned()),
        "{everything:?}"
    );
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(everything, sorted, "by code by default");
    let down = viewer.get("/form/customergroup?all=1&sort=code&desc=1");
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_eq!(codes(&down.body), reversed);
    assert!(down.body.contains("aria-sort=\"descending\""));
    let dimmed = all
        .body
        .split("<tr")
        .filter(|r| r.starts_with(" class=\"inactive\""))
        .count();
    assert_eq!(dimmed, 1, "only OLD1 is inactive");
    assert!(all.body.contains("<tr class=\"inactive\">"));
    let none = viewer.get("/form/customergroup?key=code&mode=exact&text=NOPE");
    assert!(rows(&none.body).is_empty());
    assert!(none.body.contains("Nothing matches."));
}

#[test]
fn delete_is_refused_with_the_plugin_s_reasons_and_allowed_for_an_empty_group() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let csrf = sales.get("/").csrf();
    let refused = sales.post("/form/customergroup/LOKAL/delete", &[("csrf", &csrf)]);
    assert_eq!(
        refused.status, 422,
        "a node with child groups: {}",
        refused.body
    );
    assert!(refused.body.contains("class=\"error\""), "{}", refused.body);
    assert_eq!(
        sales.get("/form/customergroup/LOKAL").status,
        200,
        "still there"
    );
    let created = sales.post(
        "/form/customergroup/new",
        &new_group(&csrf, "GONE", "Gone soon"),
    );
    assert_eq!(created.status, 303);
    let mut viewer = server.logged_in(&host, "viewer");
    let theirs = viewer.get("/form/customergroup/GONE");
    assert!(
        !theirs.body.contains("id=\"delete\""),
        "no Delete for a viewer"
    );
    let forbidden = viewer.post(
        "/form/customergroup/GONE/delete",
        &[("csrf", &theirs.csrf())],
    );
    assert_eq!(forbidden.status, 403);
    let page = sales.get("/form/customergroup/GONE");
    assert!(page.body.contains("id=\"delete\""));
    let deleted = sales.post("/form/customergroup/GONE/delete", &[("csrf", &csrf)]);
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(sales.get("/form/customergroup/GONE").status, 404);
}

#[test]
fn a_history_row_another_client_wrote_badly_costs_the_panel_not_the_form() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let clean = admin.get("/form/customergroup/L001");
    assert_eq!(clean.status, 200);
    assert!(clean.body.contains("id=\"history\""), "the panel is there");
    rusqlite::Connection::open(host.db())
        .expect("open")
        .execute(
            "INSERT INTO change_history (at, user, via, entity, key, action, changes) \
             VALUES ('2026-01-01T00:00:00Z', 'x', 'cli', 'customer-group', 'L001', 'update', 'not JSON')",
            [],
        )
        .expect("a foreign client's row");
    let page = admin.get("/form/customergroup/L001");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"save\""), "the form still works");
    assert!(
        page.body.contains("The history cannot be shown: "),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"history-none\""));
}

/// Issue 14, part 3: a field the plugin's form marks with a right the
/// signed-in user lacks is drawn disabled with the right it needs; a save
/// that does not send it keeps its value; one that sends a change anyway
/// is refused at the field by the server, and nothing is saved.
#[test]
fn a_field_needing_a_right_the_user_lacks_is_locked_and_kept() {
    let host = Host::new();
    ok(
        &host,
        &["group", "edit", "L001", "--credit-limit", "1234.00"],
    );
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let form = sales.get("/form/customergroup/L001");
    let locked = |body: &str, field: &str| {
        body.contains(&format!(
            "<fieldset class=\"locked\" disabled aria-describedby=\"locked-{field}\">"
        ))
    };
    for field in ["credit-limit", "receivable-account", "bypass-credit-check"] {
        assert!(locked(&form.body, field), "{field} locked: {}", form.body);
    }
    assert!(!locked(&form.body, "name"));
    assert!(form.body.contains("Needs the accounting right to change."));
    let version = |host: &Host| {
        let (_, shown, _) = erp_host(&host.db(), &["group", "show", "L001"]);
        shown
    };
    let csrf = form.csrf();
    let saved = sales.post(
        "/form/customergroup/L001",
        &[
            ("csrf", &csrf),
            ("version", "2"),
            ("name", "Renamed by sales"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = version(&host);
    assert!(
        shown.contains("Renamed by sales")
            && (shown.contains("1,234.00") || shown.contains("1234.00")),
        "the credit limit is kept: {shown}"
    );
    let crafted = sales.post(
        "/form/customergroup/L001",
        &[
            ("csrf", &csrf),
            ("version", "3"),
            ("name", "Renamed by sales"),
            ("credit-limit", "999999.00"),
        ],
    );
    assert_eq!(crafted.status, 422, "{}", crafted.body);
    let at = crafted
        .body
        .find("id=\"field-credit-limit\"")
        .expect("the field");
    let block = &crafted.body[at..];
    let block = &block[..block.find("</div>").unwrap_or(block.len())];
    assert!(
        block.contains("class=\"error\"") && block.contains("needs the accounting right"),
        "{block}"
    );
    assert_eq!(version(&host), shown, "nothing saved");
    // Refused for another reason, the page shows the locked value kept.
    let blank_name = sales.post(
        "/form/customergroup/L001",
        &[("csrf", &csrf), ("version", "3"), ("name", "")],
    );
    assert_eq!(blank_name.status, 422, "{}", blank_name.body);
    let at = blank_name
        .body
        .find("id=\"credit-limit\"")
        .expect("the credit limit's input");
    assert!(
        blank_name.body[at..]
            .split('>')
            .next()
            .is_some_and(|tag| tag.contains("value=\"1234.00\"")),
        "{}",
        &blank_name.body[at..at + 200]
    );

    // An administrator holds accounting by role, not credit control.
    let mut admin = server.logged_in(&host, "admin");
    let form = admin.get("/form/customergroup/L001");
    assert!(!locked(&form.body, "credit-limit"));
    assert!(locked(&form.body, "bypass-credit-check"));
    assert!(
        form.body
            .contains("Needs the credit-controller right to change.")
    );
}
