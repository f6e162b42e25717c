//! The form definition in both locales, compared with the snapshots in
//! `tests/snapshots/`. After an intended change, rerun with
//! `UPDATE_SNAPSHOTS=1` and review the diff.

use std::path::PathBuf;

use e2e_tests::TestHost;

fn check(locale: &str) {
    let host = TestHost::new();
    let form = host.admin().form(locale).expect("form");
    let actual = serde_json::to_string_pretty(&form).expect("json") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("form.{locale}.json"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or(actual.lines().count().min(expected.lines().count()), |n| n);
        panic!(
            "the {locale} form differs from {} at line {}:\n  now:  {}\n  was:  {}\nrerun with UPDATE_SNAPSHOTS=1 if intended",
            path.display(),
            line + 1,
            actual.lines().nth(line).unwrap_or("<end>"),
            expected.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn english_form() {
    check("en");
}

#[test]
fn indonesian_form() {
    check("id");
}
