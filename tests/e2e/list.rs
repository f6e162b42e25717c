//! The list view: search, filter by parent with descendants, sort by any
//! column, pages, chosen columns, and "Print" as CSV and HTML.

use e2e_tests::TestHost;

fn rows(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("--"))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn filter_by_parent_includes_descendants() {
    let host = TestHost::with_sample_groups();
    host.cli(&[
        "group",
        "new",
        "--code",
        "VIPX",
        "--name",
        "VIP Extra",
        "--group-node",
        "--parent",
        "LOKAL",
    ])
    .ok();
    host.cli(&[
        "group",
        "new",
        "--code",
        "VIPX1",
        "--name",
        "VIP Extra 1",
        "--parent",
        "VIPX",
    ])
    .ok();
    let listed = host
        .cli(&["group", "list", "--parent", "lokal"])
        .ok()
        .stdout;
    let codes: Vec<String> = rows(&listed).into_iter().map(|r| r[1].clone()).collect();
    assert_eq!(codes, ["EXPO", "L001", "VIP", "VIPX", "VIPX1"]);
    let searched = host
        .cli(&[
            "group", "list", "--parent", "LOKAL", "--key", "name", "--text", "extra",
        ])
        .ok()
        .stdout;
    assert_eq!(rows(&searched).len(), 2, "{searched}");
    let leaf = host.cli(&["group", "list", "--parent", "L001"]).ok().stdout;
    assert_eq!(rows(&leaf).len(), 0, "{leaf}");
    assert!(
        host.cli(&["group", "list", "--parent", "NOPE"])
            .failed()
            .stderr
            .contains("no customer group")
    );
}

#[test]
fn sort_by_any_column_and_page_through() {
    let host = TestHost::with_sample_groups();
    let by_currency = host
        .cli(&[
            "group",
            "list",
            "--sort",
            "currency",
            "--desc",
            "--columns",
            "code,currency",
        ])
        .ok()
        .stdout;
    assert_eq!(
        rows(&by_currency)[0],
        ["1.", "EXPORT", "USD"],
        "{by_currency}"
    );
    let page2 = host
        .cli(&["group", "list", "--page-size", "2", "--page", "2"])
        .ok()
        .stdout;
    let r = rows(&page2);
    assert_eq!(r.len(), 2, "{page2}");
    assert_eq!(r[0][0], "3.", "numbering continues across pages: {page2}");
    assert!(
        page2.contains("-- rows 3-4 of 6; --page for more"),
        "{page2}"
    );
    let last = host
        .cli(&["group", "list", "--page-size", "4", "--page", "2"])
        .ok()
        .stdout;
    assert!(
        last.contains("-- rows 5-6 of 6\n"),
        "the last page offers no more: {last}"
    );
    let all = host
        .cli(&["group", "list", "--columns", "all", "--page-size", "0"])
        .ok()
        .stdout;
    let header = all.lines().next().expect("header");
    for caption in [
        "Parent Group",
        "Group Node",
        "Currency",
        "Credit Limit",
        "Last Updated",
    ] {
        assert!(header.contains(caption), "{header}");
    }
    assert!(
        all.contains("50000000.00"),
        "credit limits print with two decimals:\n{all}"
    );
    assert_eq!(
        host.cli(&["group", "list", "--sort", "colour"]).code,
        host_harness::cli::EXIT_USAGE
    );
    assert_eq!(
        host.cli(&["group", "list", "--page", "0"]).code,
        host_harness::cli::EXIT_USAGE
    );
}

#[test]
fn print_as_csv_and_html() {
    let host = TestHost::with_sample_groups();
    host.cli(&[
        "group",
        "new",
        "--code",
        "Q1",
        "--name",
        "=cmd|'/c calc'!A1, \"quoted\" <b>",
    ])
    .ok();
    host.cli(&["group", "edit", "EXPO", "--inactive"]).ok();
    let csv = host
        .cli(&[
            "--locale",
            "id",
            "group",
            "list",
            "--format",
            "csv",
            "--columns",
            "code,name,inactive",
        ])
        .ok()
        .stdout;
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "No.,Kode Kelompok,Nama Kelompok,Tidak Aktif");
    assert!(
        lines.contains(&"2.,EXPO,Exhibition Area Customers,ya"),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=cmd|'/c calc'!A1, \"\"quoted\"\" <b>\""),
        "formulas defused and quotes doubled:\n{csv}"
    );

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("groups.html");
    let file_arg = file.to_string_lossy().into_owned();
    let wrote = host
        .cli(&["group", "list", "--format", "html", "--output", &file_arg])
        .ok()
        .stdout;
    assert!(wrote.contains("wrote 7 group(s)"), "{wrote}");
    let html = std::fs::read_to_string(&file).expect("html written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Customer Group</title>"));
    assert!(
        html.contains("<tr class=\"inactive\"><td>2.</td><td>EXPO</td>"),
        "{html}"
    );
    assert!(
        html.contains("&lt;b&gt;") && !html.contains("<b>"),
        "escaped"
    );
    assert!(html.contains("@media print"));
}
