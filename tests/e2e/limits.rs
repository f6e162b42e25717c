//! The budgets every plugin call runs under, as the host's settings: stored
//! in the database, applied to every plugin the host loads, scaled with the
//! size of bulk calls, and named in the error when exceeded.

use std::time::Duration;

use e2e_tests::{TestHost, group};
use host_harness::wit::Change;
use host_harness::{Admin, AdminError, HOSTILE_PLUGIN_PATH, Limits, PluginError, admin as install};

fn creates(n: usize) -> Vec<Change> {
    (0..n)
        .map(|i| {
            let mut g = group(&format!("B{i}"), &format!("Bulk group {i}"));
            g.parent = Some("LOKAL".into());
            Change::Create(g)
        })
        .collect()
}

#[test]
fn stored_limits_govern_the_installed_plugin() {
    let host = TestHost::new();
    let bytes = std::fs::read(HOSTILE_PLUGIN_PATH).expect("hostile plugin built by build.rs");
    install::install_plugin(&host.db(), &bytes, None, "installer").expect("install");
    let limits = Limits {
        fuel_per_call: 1_000_000_000_000,
        deadline: Duration::from_millis(200),
        ..Limits::default()
    };
    host.db()
        .set_plugin_limits(Some(&limits), "admin")
        .expect("set limits");

    let admin = Admin::open(host.db()).expect("load");
    assert_eq!(admin.plugin().limits(), limits);
    let err = admin.form("loop").expect_err("a runaway loop");
    assert!(
        matches!(err, AdminError::Plugin(PluginError::Deadline(d)) if d == limits.deadline),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("deadline of 200 ms (deadline-ms; see `erp-host plugin limits`)"),
        "{err}"
    );
    // The host keeps serving.
    assert_eq!(
        admin.form("en").expect("after the fault").id,
        "customergroup"
    );
}

#[test]
fn the_fuel_budget_scales_with_the_records_in_a_bulk_call() {
    let host = TestHost::with_sample_groups();
    let changes = creates(5_000);
    let admin = host.admin();
    let verdicts = admin
        .plugin()
        .validate_many(host.db().facts(), &changes, "en")
        .expect("the default budget covers a large bulk call");
    assert_eq!(verdicts.len(), changes.len());

    // The smallest per-call budget without a per-record share is enough for
    // one record but not for five thousand.
    let mut values = Limits::default().values();
    values[0] = Limits::RANGES[0].min;
    values[1] = 0;
    let tight = Limits::from_values(values).expect("in range");
    host.db()
        .set_plugin_limits(Some(&tight), "admin")
        .expect("set");
    let admin = host.admin();
    let one = admin
        .plugin()
        .validate(host.db().facts(), &changes[0], "en")
        .expect("one record fits the per-call budget");
    assert!(one.normalized.is_some(), "{:?}", one.issues);
    let err = admin
        .plugin()
        .validate_many(host.db().facts(), &changes, "en")
        .expect_err("five thousand records do not");
    assert!(
        matches!(err, PluginError::FuelExhausted { budget } if budget == tight.fuel_per_call),
        "{err}"
    );
    assert!(err.to_string().contains("fuel-per-record"), "{err}");

    // Back to the defaults: the same call succeeds, and nothing was stored.
    host.db().set_plugin_limits(None, "admin").expect("reset");
    let admin = host.admin();
    assert_eq!(admin.plugin().limits(), Limits::default());
    admin
        .plugin()
        .validate_many(host.db().facts(), &changes, "en")
        .expect("default budget");
    assert!(!host.snapshot().iter().any(|(code, ..)| code == "B0"));
}

#[test]
fn limits_out_of_range_are_refused_by_name_and_nothing_changes() {
    let host = TestHost::new();
    let before = host.cli(&["plugin", "limits", "show"]).ok().stdout;
    assert!(
        before.contains("limits:      the host's defaults"),
        "{before}"
    );
    for (args, message) in [
        (
            ["--deadline-ms", "50"],
            "deadline-ms must be between 100 and 600000, not 50",
        ),
        (
            ["--memory-mib", "5000"],
            "memory-mib must be between 16 and 4096, not 5000",
        ),
        (
            ["--fuel-per-call", "1"],
            "fuel-per-call must be between 10000000 and 1000000000000, not 1",
        ),
    ] {
        let mut argv = vec!["plugin", "limits", "set"];
        argv.extend(args);
        let run = host.cli(&argv).failed();
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    let run = host.cli(&["plugin", "limits", "set", "--deadline-ms", "abc"]);
    assert_eq!(run.code, host_harness::cli::EXIT_USAGE, "{run:?}");
    assert_eq!(host.cli(&["plugin", "limits", "show"]).ok().stdout, before);

    let set = host
        .cli(&[
            "--user",
            "ops",
            "plugin",
            "limits",
            "set",
            "--deadline-ms",
            "2500",
            "--memory-per-record-kib",
            "8",
        ])
        .ok()
        .stdout;
    assert!(set.contains("limits:      set by ops at "), "{set}");
    assert!(
        set.contains("deadline-ms                      2,500"),
        "{set}"
    );
    assert!(
        set.contains("memory-per-record-kib                8"),
        "{set}"
    );
    assert!(
        set.contains("fuel-per-call              100,000,000"),
        "{set}"
    );
    let limits = host.db().plugin_limits().expect("limits");
    assert_eq!(limits.deadline, Duration::from_millis(2500));
    assert_eq!(limits.memory_per_record, 8 << 10);

    let reset = host.cli(&["plugin", "limits", "reset"]).ok().stdout;
    assert_eq!(reset, before);
}

#[test]
fn plugin_show_reports_limits_and_where_the_code_came_from() {
    let host = TestHost::new();
    let show = host.cli(&["plugin", "show"]).ok().stdout;
    for want in [
        "form:        customergroup",
        "limits:      the host's defaults",
        "fuel-per-record",
        "code:        ",
    ] {
        assert!(show.contains(want), "missing {want:?} in:\n{show}");
    }
}
