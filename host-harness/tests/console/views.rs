//! The list's other views over HTTP: the tree one level at a time with Add
//! Child, the parent filter with descendants, Customise columns, and Print
//! as CSV and as a printable page.

use super::support::{Host, ok};

/// A group node SUB under LOKAL, and SUBX under SUB.
fn deeper(host: &Host) {
    ok(
        host,
        &[
            "group",
            "new",
            "--code",
            "SUB",
            "--name",
            "Sub node",
            "--parent",
            "LOKAL",
            "--is-group",
        ],
    );
    ok(
        host,
        &[
            "group", "new", "--code", "SUBX", "--name", "Sub leaf", "--parent", "SUB",
        ],
    );
}

#[test]
fn the_tree_shows_one_level_with_counts_the_path_and_add_child_for_group_nodes() {
    let host = Host::new();
    deeper(&host);
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let roots = sales.get("/form/customergroup?view=tree");
    assert_eq!(roots.status, 200, "{}", roots.body);
    for text in [
        "href=\"/form/customergroup/LOKAL\">LOKAL</a> Local Customers",
        "Child groups: 4",
        "id=\"add-child-LOKAL\"",
        "id=\"add-here\" href=\"/form/customergroup/new\"",
    ] {
        assert!(roots.body.contains(text), "{text}: {}", roots.body);
    }
    assert!(!roots.body.contains("SUBX"), "one level at a time");
    assert!(
        !roots.body.contains("id=\"add-child-0000\""),
        "a leaf takes no child"
    );

    let lokal = sales.get("/form/customergroup?view=tree&under=lokal");
    assert_eq!(lokal.status, 200);
    assert!(
        lokal.body.contains(
            "› <a href=\"/form/customergroup?view=tree&#38;under=LOKAL\">LOKAL Local Customers</a>"
        ),
        "{}",
        lokal.body
    );
    for code in ["EXPO", "L001", "VIP", "SUB"] {
        assert!(
            lokal.body.contains(&format!(">{code}</a>")),
            "{code}: {}",
            lokal.body
        );
    }
    assert!(
        lokal
            .body
            .contains("id=\"add-here\" href=\"/form/customergroup/new?parent=LOKAL\""),
        "{}",
        lokal.body
    );
    let sub = sales.get("/form/customergroup?view=tree&under=SUB");
    assert!(
        sub.body.contains("LOKAL Local Customers</a> › <a"),
        "the whole path: {}",
        sub.body
    );
    assert!(sub.body.contains(">SUBX</a>"));

    // Add Child opens the form with the parent filled in; saved, it is in the tree.
    let new = sales.get("/form/customergroup/new?parent=SUB");
    assert!(
        new.body
            .contains("id=\"parent\" name=\"parent\" value=\"SUB\""),
        "{}",
        new.body
    );
    let made = sales.post(
        "/form/customergroup/new",
        &[
            ("csrf", &new.csrf()),
            ("code", "SUBY"),
            ("name", "Another leaf"),
            ("parent", "SUB"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let sub = sales.get("/form/customergroup?view=tree&under=SUB");
    assert!(sub.body.contains(">SUBY</a>"), "{}", sub.body);
    assert_eq!(
        sales.get("/form/customergroup?view=tree&under=NOPE").status,
        404
    );

    let mut viewer = server.logged_in(&host, "viewer");
    let seen = viewer.get("/form/customergroup?view=tree");
    assert!(!seen.body.contains("add-child"), "a viewer adds nothing");
}

/// The codes of a list page's rows, in order.
fn codes(body: &str) -> Vec<String> {
    body.split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .unwrap_or_default()
        .split("<a href=\"/form/customergroup/")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_list_filters_by_parent_with_descendants_and_shows_the_columns_chosen() {
    let host = Host::new();
    deeper(&host);
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let under = viewer.get("/form/customergroup?under=lokal");
    assert_eq!(under.status, 200);
    assert_eq!(codes(&under.body), ["EXPO", "L001", "SUB", "SUBX", "VIP"]);
    assert!(
        under
            .body
            .contains("id=\"under\" name=\"under\" value=\"lokal\"")
    );
    let searched = viewer.get("/form/customergroup?under=LOKAL&key=name&mode=any-part&text=sub");
    assert_eq!(codes(&searched.body), ["SUB", "SUBX"]);
    // The next page, the sort links and print keep the filter.
    assert!(searched.body.contains("under=LOKAL"), "{}", searched.body);
    let all = viewer.get("/form/customergroup?all=1&under=LOKAL");
    assert!(
        codes(&all.body).contains(&"EXPORT".to_owned()),
        "Show All clears the filter"
    );

    let default = viewer.get("/form/customergroup");
    assert!(
        default
            .body
            .contains("id=\"col-parent\" name=\"cols\" value=\"parent\">"),
        "unticked: {}",
        default.body
    );
    let chosen = viewer.get("/form/customergroup?cols=code&cols=parent&cols=inactive");
    let head = chosen
        .body
        .split("<thead>")
        .nth(1)
        .and_then(|h| h.split("</thead>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        head.contains("Group Code") && head.contains("Parent Group") && head.contains("Inactive"),
        "{head}"
    );
    assert!(
        !head.contains("Group Name") && !head.contains("No."),
        "{head}"
    );
    assert!(
        chosen.body.contains("<td>LOKAL</td>"),
        "the parent column: {}",
        chosen.body
    );
    assert!(
        chosen.body.contains("cols=parent"),
        "paging keeps the columns"
    );
}

#[test]
fn print_gives_every_row_of_the_search_as_csv_and_as_an_escaped_printable_page() {
    let host = Host::new();
    ok(
        &host,
        &[
            "group",
            "new",
            "--code",
            "EVIL",
            "--name",
            "<script>alert(1)</script>",
            "--parent",
            "LOKAL",
        ],
    );
    ok(
        &host,
        &[
            "group",
            "new",
            "--code",
            "CALC",
            "--name",
            "=HYPERLINK(\"x\")",
            "--parent",
            "LOKAL",
        ],
    );
    for i in 0..60 {
        let code = format!("P{i:03}");
        ok(
            &host,
            &[
                "group",
                "new",
                "--code",
                &code,
                "--name",
                &format!("Printed {i}"),
            ],
        );
    }
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let list = viewer.get("/form/customergroup");
    assert!(list.body.contains("id=\"print-csv\""), "{}", list.body);
    let csv = viewer.get("/form/customergroup?under=LOKAL&cols=code&cols=name&print=csv");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"customergroup.csv\"")
    );
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "No.,Group Code,Group Name");
    assert!(
        lines.contains(&"2.,EVIL,<script>alert(1)</script>"),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"1.,CALC,\"'=HYPERLINK(\"\"x\"\")\""),
        "a formula is defused: {lines:?}"
    );
    assert_eq!(lines.len(), 1 + 5, "every row under LOKAL: {lines:?}");

    let all = viewer.get("/form/customergroup?key=name&mode=start&text=Printed&print=html");
    assert_eq!(all.status, 200);
    assert_eq!(
        all.body.matches("<tr>").count(),
        1 + 60,
        "every row, not a page of 50"
    );
    assert!(!all.body.contains("<form"), "a printout has no forms");
    let evil = viewer.get("/form/customergroup?print=html&all=1");
    assert!(
        evil.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        evil.body
    );
    assert!(!evil.body.contains("<script>"));
    assert!(evil.body.contains("Signed in as viewer"));
}
