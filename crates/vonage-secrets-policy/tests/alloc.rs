//! `validate` allocates nothing when the secret is valid, proven with a counting global
//! allocator.
//!
//! This file is the crate's only `unsafe` code, and it is test-only: `GlobalAlloc` is an
//! `unsafe trait`, so counting allocations needs an `unsafe impl` that forwards to the system
//! allocator. The crate's `[lints]` table sets `unsafe_code = "deny"` (not the workspace's
//! "forbid", which no `allow` could lift) so that this test binary can allow it; the library
//! itself still says `#![forbid(unsafe_code)]`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use vonage_secrets_policy::validate;

thread_local! {
    /// Allocations made by this thread (the test harness runs other threads too).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: every method forwards unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// the counting touches only a `const`-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's obligations for `alloc` are passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above; `ptr` came from `System` through this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn count() {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn validate_allocates_nothing_for_a_valid_secret() {
    let secrets: Vec<String> = [
        "N3w-secret-value",
        "Ab3defgh",
        "Ab3defghijklmnopqrstuvwxy",
        "~!Zz09{}|",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for secret in &secrets {
        let n = allocations_during(|| {
            let verdict = validate(std::hint::black_box(secret));
            assert!(std::hint::black_box(verdict).is_ok());
        });
        assert_eq!(n, 0, "validate allocated {n} times for a valid secret");
    }
}

#[test]
fn the_counter_does_count() {
    // Without this, a counter that never counts would pass the test above.
    let n = allocations_during(|| {
        let verdict = validate(std::hint::black_box("short"));
        assert!(std::hint::black_box(verdict).is_err());
    });
    assert!(n >= 1, "an invalid secret's violations are a Vec: {n}");
}
