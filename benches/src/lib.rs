//! What the benchmark binaries share.

pub mod native;

use std::time::{Duration, Instant};

/// Runs `f`, with how long it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// The process's peak resident memory so far (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The best of `rounds` timings of `f`, divided by `per` (the iterations
/// `f` makes): the least disturbed run.
pub fn best(rounds: usize, per: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| timed(&mut f).1)
        .min()
        .unwrap_or_default()
        / u32::try_from(per.max(1)).unwrap_or(u32::MAX)
}
