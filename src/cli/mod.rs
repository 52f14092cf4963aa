//! One module per subcommand: each parses its arguments and calls the library.

pub mod calendar;
pub mod check;
pub mod digest;
pub mod followups;
pub mod index;
pub mod init;
pub mod mcp;
pub mod mistakes;
pub mod new;
pub mod progress;
pub mod search;
pub mod serve;
pub mod token;
pub mod user;
