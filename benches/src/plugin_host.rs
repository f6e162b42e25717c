//! What the plugin host pays before a call runs, side by side in one run:
//! compiling the component vs loading the host's precompiled artifact, and
//! instantiating from `InstancePre` (the host's real path: a fresh store with
//! fuel, deadline, memory cap and an empty WASI context), plus the same
//! instantiation on bare wasmtime with the on-demand and the pooling
//! allocator (the host's configuration), on one thread and on two at
//! once, to show what pooling pays.
//!
//! Run: `cargo run --release -p benches --bin plugin-host`

use std::hint::black_box;
use std::time::Duration;

use benches::best;

use host_harness::engine::engine;
use host_harness::{CompileCache, Db, Limits, PLUGIN_WASM, PluginRuntime};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, Store};

/// The time of one bare instantiation (and drop) of the plugin on an
/// engine configured as the host's (fuel, epochs), with imports stubbed,
/// with `threads` threads instantiating at once: the allocator's share.
/// `pooling`: the host's pooling configuration; otherwise on-demand.
fn bare_instantiate(pooling: bool, threads: usize, iterations: usize) -> Duration {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.consume_fuel(true);
    config.epoch_interruption(true);
    if pooling {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(
            host_harness::engine::pooling(),
        ));
    }
    let engine = Engine::new(&config).expect("engine");
    let component = Component::new(&engine, PLUGIN_WASM).expect("compile");
    let mut linker = Linker::<()>::new(&engine);
    linker
        .define_unknown_imports_as_traps(&component)
        .expect("stub imports");
    let pre = linker.instantiate_pre(&component).expect("pre");
    let each = iterations / threads;
    best(5, each * threads, || {
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for _ in 0..each {
                        let mut store = Store::new(&engine, ());
                        store.set_fuel(u64::MAX / 2).expect("fuel");
                        store.set_epoch_deadline(u64::MAX / 2);
                        black_box(pre.instantiate(&mut store).expect("instantiate"));
                    }
                });
            }
        });
    })
}

fn main() {
    let engine = engine();
    let digest: [u8; 32] = Sha256::digest(PLUGIN_WASM).into();

    let compile = best(3, 1, || {
        black_box(Component::new(engine, PLUGIN_WASM).expect("compile"));
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = CompileCache::at(dir.path().join("plugin-cache"));
    let component = Component::new(engine, PLUGIN_WASM).expect("compile");
    let artifact = cache.store(engine, &digest, &component).expect("store");
    let artifact_bytes = std::fs::metadata(&artifact).expect("artifact").len();
    let cached = best(20, 1, || {
        black_box(cache.load(engine, &digest).expect("load").expect("cached"));
    });

    let db = Db::open(&dir.path().join("bench.sqlite")).expect("db");
    let plugin = PluginRuntime::load(PLUGIN_WASM, Limits::default()).expect("load");
    let iterations = 10_000;
    let instantiate = best(5, iterations, || {
        for _ in 0..iterations {
            plugin.instantiate(db.facts()).expect("instantiate");
        }
    });
    let bare = |threads| {
        (
            bare_instantiate(false, threads, iterations),
            bare_instantiate(true, threads, iterations),
        )
    };
    let (on_demand, pooling) = bare(1);
    let (on_demand_2, pooling_2) = bare(2);

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "component {} bytes; precompiled artifact {artifact_bytes} bytes",
        PLUGIN_WASM.len()
    );
    println!(
        "compile {compile:>9.2?}  load precompiled {cached:>9.2?}  compile/load {:.0}x (target >= 50x)",
        ratio(compile, cached)
    );
    println!("instantiate from InstancePre, host path (store, limits, WASI): {instantiate:>7.2?}");
    for (threads, on_demand, pooling) in [(1, on_demand, pooling), (2, on_demand_2, pooling_2)] {
        println!(
            "instantiate, bare wasmtime, {threads} thread(s) at once: on-demand {on_demand:>7.2?}  \
             pooling (the host's) {pooling:>7.2?}  on-demand/pooling {:.2}x",
            ratio(on_demand, pooling)
        );
    }
}
