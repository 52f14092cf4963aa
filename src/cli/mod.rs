//! One module per subcommand: each parses its arguments and calls the library.

pub mod check;
pub mod new;
pub mod serve;
