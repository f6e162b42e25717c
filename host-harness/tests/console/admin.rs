//! The administrator's pages over HTTP: the plugin (its facts, its limits
//! set and refused, a component uploaded: refused when it is not one or
//! not the pinned one, installed when it is), and the users (added with a
//! password shown once, role changed, disabled, the last administrator
//! protected); every other role refused by the server.

use super::support::{Host, erp_host, multipart};

#[test]
fn an_administrator_sees_the_plugin_sets_its_limits_and_installs_an_upload() {
    let host = Host::new();
    let server = host.serve(&[]);
    for role in ["sales", "acct", "viewer"] {
        let mut other = server.logged_in(&host, role);
        assert_eq!(other.get("/admin/plugin").status, 403, "{role}");
        let home = other.get("/");
        assert!(
            !home.body.contains("/admin/plugin"),
            "{role} is not offered it"
        );
        let csrf = home.csrf();
        assert_eq!(
            other
                .post("/admin/plugin/limits", &[("csrf", &csrf), ("reset", "1")])
                .status,
            403
        );
    }
    let mut admin = server.logged_in(&host, "admin");
    let page = admin.get("/admin/plugin");
    assert_eq!(page.status, 200, "{}", page.body);
    let digest = host_harness::admin::digest(host_harness::PLUGIN_WASM);
    assert!(page.body.contains(&digest), "{}", page.body);
    assert!(page.body.contains("customergroup"));
    let csrf = page.csrf();
    let too_low = admin.post(
        "/admin/plugin/limits",
        &[("csrf", &csrf), ("deadline-ms", "5")],
    );
    assert_eq!(too_low.status, 422, "{}", too_low.body);
    assert!(too_low.body.contains("deadline-ms"), "{}", too_low.body);
    let set = admin.post(
        "/admin/plugin/limits",
        &[("csrf", &csrf), ("deadline-ms", "9000")],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let shown = erp_host(&host.db(), &["plugin", "limits", "show"]).1;
    assert!(shown.contains("9,000") || shown.contains("9000"), "{shown}");
    assert!(
        shown.contains("admin"),
        "set by the signed-in user: {shown}"
    );

    let (kind, body) = multipart(
        &[("csrf", &csrf)],
        "plugin.wasm",
        "application/wasm",
        b"not a component",
    );
    let junk = admin.send("POST", "/admin/plugin/install", Some((&kind, &body)), &[]);
    assert_eq!(junk.status, 422, "{}", junk.body);
    assert!(junk.body.contains("id=\"plugin-error-1\""), "{}", junk.body);
    let wrong = "0".repeat(64);
    let (kind, body) = multipart(
        &[("csrf", &csrf), ("sha256", &wrong)],
        "plugin.wasm",
        "application/wasm",
        host_harness::PLUGIN_WASM,
    );
    let pinned = admin.send("POST", "/admin/plugin/install", Some((&kind, &body)), &[]);
    assert_eq!(pinned.status, 422, "{}", pinned.body);
    assert!(pinned.body.contains(&wrong), "{}", pinned.body);
    let (kind, body) = multipart(
        &[("csrf", &csrf), ("sha256", &digest)],
        "plugin.wasm",
        "application/wasm",
        host_harness::PLUGIN_WASM,
    );
    let done = admin.send("POST", "/admin/plugin/install", Some((&kind, &body)), &[]);
    assert_eq!(done.status, 303, "{}", done.body);
    let after = admin.get("/admin/plugin");
    assert!(after.body.contains("class=\"notice\""), "{}", after.body);
    assert!(
        admin.get("/form/customergroup").status == 200,
        "the console goes on with it"
    );
}

#[test]
fn an_administrator_adds_users_changes_roles_and_cannot_lock_everyone_out() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    assert_eq!(viewer.get("/admin/users").status, 403);
    let mut admin = server.logged_in(&host, "admin");
    let page = admin.get("/admin/users");
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    let added = admin.post(
        "/admin/users",
        &[("csrf", &csrf), ("name", "newbie"), ("role", "accountant")],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let password = added
        .body
        .split("id=\"new-password\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the password, shown once")
        .to_owned();
    let listed = erp_host(&host.db(), &["user", "list"]).1;
    assert!(
        listed.contains("newbie") && listed.contains("accountant"),
        "{listed}"
    );
    assert!(
        !admin.get("/admin/users").body.contains(&password),
        "shown once"
    );

    // The new user logs in with it.
    let mut newbie = server.client();
    let login = newbie.get("/login");
    let done = newbie.post(
        "/login",
        &[
            ("csrf", &login.csrf()),
            ("name", "newbie"),
            ("password", &password),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);

    let role = admin.post(
        "/admin/users/newbie",
        &[("csrf", &csrf), ("role", "viewer")],
    );
    assert_eq!(role.status, 303);
    assert!(erp_host(&host.db(), &["user", "list"]).1.contains("viewer"));
    let off = admin.post(
        "/admin/users/newbie",
        &[("csrf", &csrf), ("action", "disable")],
    );
    assert_eq!(off.status, 303);
    assert_eq!(
        newbie.get("/").status,
        303,
        "a disabled user's session ends"
    );
    let last = admin.post(
        "/admin/users/admin",
        &[("csrf", &csrf), ("action", "disable")],
    );
    assert_eq!(last.status, 422, "{}", last.body);
    assert!(
        last.body.contains("last active administrator"),
        "{}",
        last.body
    );
    let bad = admin.post(
        "/admin/users",
        &[("csrf", &csrf), ("name", "<b>x</b>"), ("role", "viewer")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(!bad.body.contains("<b>x</b>"), "escaped");
}
