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
pub mod text;
pub mod web;

/// mimalloc for every program built on this crate (the binary, tests, benches), so that
/// in-process and server figures use the same allocator. Indexing and searching allocate
/// a string per token and per stored value, on several threads at once, and freeing on
/// another thread than the one that allocated is where glibc's allocator spends most.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
