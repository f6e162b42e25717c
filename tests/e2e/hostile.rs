//! A plugin that loops, traps, hoards memory or floods stderr yields an error
//! naming what happened; the host keeps running and keeps serving.

use std::time::{Duration, Instant};

use host_harness::{Db, HOSTILE_PLUGIN_PATH, Limits, PluginError, PluginRuntime};

fn hostile(limits: Limits) -> PluginRuntime {
    let bytes = std::fs::read(HOSTILE_PLUGIN_PATH).expect("hostile plugin built by build.rs");
    PluginRuntime::load(&bytes, limits).expect("the hostile plugin is a valid plugin")
}

fn facts() -> Box<dyn host_harness::Facts> {
    Db::open_in_memory().expect("db").facts()
}

#[test]
fn a_runaway_loop_runs_out_of_fuel() {
    let plugin = hostile(Limits::default());
    let started = Instant::now();
    let err = plugin.form(facts(), "loop").expect_err("must not return");
    assert!(
        matches!(err, PluginError::FuelExhausted { budget } if budget > 0),
        "{err}"
    );
    assert!(err.to_string().contains("fuel budget"), "{err}");
    assert!(
        started.elapsed() < Limits::default().deadline,
        "fuel should stop it first"
    );
}

#[test]
fn the_epoch_deadline_is_the_wall_clock_backstop() {
    let plugin = hostile(Limits {
        fuel_per_call: u64::MAX / 2,
        deadline: Duration::from_millis(200),
        ..Limits::default()
    });
    let started = Instant::now();
    let err = plugin.form(facts(), "loop").expect_err("must not return");
    assert!(matches!(err, PluginError::Deadline(_)), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_panic_reaches_the_host_with_its_message() {
    let plugin = hostile(Limits::default());
    let err = plugin.form(facts(), "trap").expect_err("must trap");
    let PluginError::Trap { stderr, .. } = &err else {
        panic!("expected a trap, got {err}");
    };
    assert!(
        stderr.contains("hostile plugin panicked on purpose"),
        "{err}"
    );
}

#[test]
fn a_memory_bomb_hits_the_cap() {
    let limit = 32 << 20;
    let plugin = hostile(Limits {
        memory_bytes: limit,
        ..Limits::default()
    });
    let err = plugin.form(facts(), "oom").expect_err("must not return");
    assert!(
        matches!(err, PluginError::MemoryLimit { limit: l } if l == limit),
        "{err}"
    );
}

#[test]
fn a_flood_of_stderr_stays_bounded() {
    let plugin = hostile(Limits::default());
    let err = plugin.form(facts(), "chatty").expect_err("must fail");
    let PluginError::Trap { stderr, .. } = &err else {
        panic!("expected a trap, got {err}");
    };
    assert!(stderr.len() <= 16 * 1024, "{} bytes kept", stderr.len());
}

#[test]
fn the_host_keeps_serving_after_every_fault() {
    let plugin = hostile(Limits {
        memory_bytes: 16 << 20,
        ..Limits::default()
    });
    for how in ["loop", "trap", "oom", "chatty", "loop"] {
        assert!(plugin.form(facts(), how).is_err(), "{how}");
        let form = plugin
            .form(facts(), "en")
            .expect("a good call after a fault");
        assert_eq!(form.id, "customergroup");
    }
}
