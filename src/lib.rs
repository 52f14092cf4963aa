//! casebook: a crisis-management and case-writing knowledge base.
//!
//! Data flows one way: files → parse and validate ([`case`]) → case model → index →
//! query → web and CLI. See `ARCHITECTURE.md` for the map.

#![warn(missing_docs)]

pub mod calendar;
pub mod case;
pub mod dates;
pub mod diag;
pub mod digest;
pub mod git;
pub mod index;
pub mod kb;
pub mod notebook;
pub mod query;
pub mod related;
pub mod snapshot;
pub mod text;
pub mod web;
pub mod yaml;

/// mimalloc for every program built on this crate (the binary, tests, benches), so that
/// in-process and server figures use the same allocator. Indexing and searching allocate
/// a string per token and per stored value, on several threads at once, and freeing on
/// another thread than the one that allocated is where glibc's allocator spends most.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands the calling thread's freed memory back to the operating system. mimalloc keeps
/// freed pages for reuse; after a one-off burst (loading every case) that would keep a
/// server's resident memory at the burst's peak.
pub(crate) fn release_freed_memory() {
    // SAFETY: mi_collect only walks the calling thread's own heap; it has no preconditions.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Makes the allocator return freed memory to the operating system at once, for a
/// long-running server: by default mimalloc keeps freed pages a while and commits its
/// arenas eagerly. Set through the environment (`MIMALLOC_PURGE_DELAY=0`,
/// `MIMALLOC_ARENA_EAGER_COMMIT=0`) on a 100,000-case server, the two left it 331 MB
/// after a load test instead of 378 MB, at the same throughput. Set here, after the
/// allocator has started, lazy commit only applies to arenas reserved later; what the
/// two give this way was not measured apart from this round's other changes (the
/// server after the load runs: docs/web.md). Call it first thing; the batch commands
/// keep the defaults, which suit their bursts.
pub fn return_memory_promptly() {
    // Option numbers of mimalloc.h (v2 and v3 alike); the Rust binding names neither.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option has no preconditions; mimalloc reads them as it goes.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}
