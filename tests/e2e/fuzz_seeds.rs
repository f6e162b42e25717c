//! The fuzz targets (`e2e_tests::fuzz`) on stable: every committed seed in
//! `fuzz/seeds/<target>/` replayed, and a short deterministic run of seeds
//! mutated by a fixed PRNG. `cargo fuzz` (see `fuzz/`) runs the same
//! functions for as long as you like.

use std::path::PathBuf;

use e2e_tests::fuzz::TARGETS;

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a seed").path();
            let bytes = std::fs::read(&path).expect("read a seed");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let (_, run) = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a target");
    let seeds = seeds(target);
    assert!(!seeds.is_empty(), "no seeds for {target}");
    for (path, bytes) in &seeds {
        eprintln!("{target}: {}", path.display());
        run(bytes);
    }
}

#[test]
fn config_seeds() {
    replay("config");
}

#[test]
fn validate_seeds() {
    replay("validate");
}

#[test]
fn gl_batch_seeds() {
    replay("gl_batch");
}

/// xorshift64*: a fixed sequence, so a failure here replays.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A seed with a few bytes overwritten, inserted or removed, libFuzzer-style.
fn mutate(rng: &mut Prng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 if at < bytes.len() => bytes[at] = rng.next() as u8,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, rng.next() as u8),
            _ if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            _ => bytes.push(rng.next() as u8),
        }
    }
    bytes
}

/// `FUZZ_SEEDS_CASES` (default 10) mutated seeds per target.
#[test]
fn mutated_seeds() {
    let cases: usize = std::env::var("FUZZ_SEEDS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let mut rng = Prng(0x5eed_f00d_cafe_0001);
    for (target, run) in TARGETS {
        let seeds = seeds(target);
        for case in 0..cases {
            let (path, seed) = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, seed);
            let hex: String = input.iter().map(|b| format!("{b:02x}")).collect();
            eprintln!("{target}: case {case}, from {}: {hex}", path.display());
            run(&input);
        }
    }
}
