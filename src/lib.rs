//! casebook: a crisis-management and case-writing knowledge base.
//!
//! Data flows one way: files → parse and validate ([`case`]) → case model → index →
//! query → web and CLI. See `ARCHITECTURE.md` for the map.

#![warn(missing_docs)]

pub mod accounts;
pub mod calendar;
pub mod case;
pub mod dates;
pub mod diag;
pub mod digest;
pub mod display;
pub mod feed;
pub mod followups;
pub mod git;
pub mod glossary;
pub mod i18n;
pub mod index;
pub mod init;
pub mod kb;
pub mod mcp;
pub mod notebook;
pub mod query;
pub mod related;
pub mod snapshot;
pub mod text;
pub mod web;
pub mod yaml;
