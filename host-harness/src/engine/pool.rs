//! The pooling allocator every plugin call's instance comes from, and the
//! gate that keeps calls within its slots.
//!
//! Each call runs in a fresh store (a store that trapped is unusable), so a
//! host serving many small calls pays an instance's allocation per call.
//! With the on-demand allocator that is a fresh 4 GiB reservation mapped
//! and unmapped each time; unmapping makes every core running the process
//! flush its TLB. The pool reserves its slots once and gives a slot back
//! reset: the pages a call dirtied are found (`PAGEMAP_SCAN`, Linux 6.7+)
//! and written back rather than unmapped.

use std::sync::{Condvar, Mutex, PoisonError};

use wasmtime::{Enabled, PoolingAllocationConfig};

/// How many plugin instances live at once in this process: the pooling
/// allocator's slots, and [`SLOTS`]'s permits.
const POOL_SLOTS: u32 = 16;
/// Linear memory a slot keeps mapped between calls, reset by writing the
/// pages a call dirtied (found with `PAGEMAP_SCAN` where Linux has it)
/// instead of unmapping them.
const KEEP_RESIDENT: usize = 4 << 20;

/// The pooling allocator: every call's instance takes a slot whose address
/// space was reserved once, and gives it back reset, rather than mapping a
/// fresh 4 GiB reservation and unmapping it after the call. Unmapping
/// interrupts every core running the process to flush its TLB: under the
/// console's load that was a quarter of a group form's time (ARCHITECTURE.md,
/// "The pooling allocator").
pub(super) fn config() -> PoolingAllocationConfig {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(POOL_SLOTS)
        .total_core_instances(POOL_SLOTS * CORE_INSTANCES)
        .total_memories(POOL_SLOTS * 4)
        .total_tables(POOL_SLOTS * CORE_INSTANCES)
        .max_memories_per_component(4)
        .max_tables_per_component(CORE_INSTANCES)
        .max_core_instances_per_component(CORE_INSTANCES)
        // A plugin's memory cap is the store's limiter's (up to what wasm32
        // can address); the pool only must not be lower.
        .max_memory_size(4 << 30)
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(64 << 10)
        .pagemap_scan(Enabled::Auto)
        // Reuse the slots used before: the resident pages stay those of as
        // many slots as calls ever ran at once, not of every slot.
        .max_unused_warm_slots(0);
    pool
}

/// Core instances (and tables) one plugin component may hold: its module,
/// the shims wit-component adds, and those a hostile plugin adds past the
/// store's limit of 16.
const CORE_INSTANCES: u32 = 20;

/// Permits for the pool's slots: a call waits for one rather than failing
/// when every slot is in use.
pub(super) static SLOTS: Gate = Gate::new(POOL_SLOTS as usize);

/// A counting semaphore for threads (the standard library has none).
pub(super) struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    const fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits),
            freed: Condvar::new(),
        }
    }

    /// Waits for a permit; it is given back when the guard drops.
    pub(super) fn take(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Permit(self)
    }
}

/// One of [`Gate`]'s permits, held for a call.
pub(super) struct Permit<'a>(&'a Gate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}
