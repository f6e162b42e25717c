//! What one plugin call may use: the fuel, deadline and memory limits, and
//! the ranges an administrator may set them to.

use std::time::Duration;

/// What one plugin call may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (roughly: wasm instructions) every call gets.
    pub fuel_per_call: u64,
    /// Extra fuel per record for bulk calls, so budgets scale with input.
    pub fuel_per_record: u64,
    /// Wall-clock backstop for one call.
    pub deadline: Duration,
    /// The most linear memory one instance may grow to, in bytes.
    pub memory_bytes: usize,
    /// Extra memory per record for bulk calls, so the cap scales with input.
    pub memory_per_record: usize,
}

/// The range an administrator may set a limit to, with its name.
pub struct LimitRange {
    /// The limit, as `plugin limits set` names it.
    pub name: &'static str,
    /// The smallest value allowed.
    pub min: u64,
    /// The largest value allowed.
    pub max: u64,
}

impl Limits {
    /// What each limit may be set to. Below the minimums the plugin cannot
    /// do its ordinary work; above the maximums one call could hold the host
    /// (wasm32 memory ends at 4 GiB anyway).
    pub const RANGES: [LimitRange; 5] = [
        LimitRange {
            name: "fuel-per-call",
            min: 10_000_000,
            max: 1_000_000_000_000,
        },
        LimitRange {
            name: "fuel-per-record",
            min: 0,
            max: 1_000_000_000,
        },
        LimitRange {
            name: "deadline-ms",
            min: 100,
            max: 600_000,
        },
        LimitRange {
            name: "memory-mib",
            min: 16,
            max: 4096,
        },
        LimitRange {
            name: "memory-per-record-kib",
            min: 0,
            max: 1024,
        },
    ];

    /// The limits as the administrator sees them, in [`Self::RANGES`] order.
    pub fn values(&self) -> [u64; 5] {
        [
            self.fuel_per_call,
            self.fuel_per_record,
            u64::try_from(self.deadline.as_millis()).unwrap_or(u64::MAX),
            (self.memory_bytes >> 20) as u64,
            (self.memory_per_record >> 10) as u64,
        ]
    }

    /// Limits from values in [`Self::RANGES`] order and units, each checked
    /// against its range.
    pub fn from_values(values: [u64; 5]) -> Result<Self, LimitError> {
        for (range, &value) in Self::RANGES.iter().zip(&values) {
            if !(range.min..=range.max).contains(&value) {
                return Err(LimitError {
                    name: range.name,
                    value,
                    min: range.min,
                    max: range.max,
                });
            }
        }
        let [
            fuel_per_call,
            fuel_per_record,
            deadline_ms,
            memory_mib,
            per_record_kib,
        ] = values;
        // In range, so these fit a usize on every 64-bit and 32-bit host.
        Ok(Self {
            fuel_per_call,
            fuel_per_record,
            deadline: Duration::from_millis(deadline_ms),
            memory_bytes: (memory_mib as usize) << 20,
            memory_per_record: (per_record_kib as usize) << 10,
        })
    }
}

/// A limit set outside its range.
#[derive(Debug, thiserror::Error)]
#[error("{name} must be between {min} and {max}, not {value}")]
pub struct LimitError {
    /// The limit.
    pub name: &'static str,
    /// The value given.
    pub value: u64,
    /// The smallest allowed.
    pub min: u64,
    /// The largest allowed.
    pub max: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            fuel_per_call: 100_000_000,
            fuel_per_record: 1_000_000,
            deadline: Duration::from_secs(5),
            memory_bytes: 64 << 20,
            memory_per_record: 4 << 10,
        }
    }
}
