//! `casebook token add|list|revoke NAME`: API tokens for scripts that write cases.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::accounts::Tokens;
use casebook::kb::Kb;

/// Arguments of `casebook token`.
#[derive(clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(clap::Subcommand)]
enum TokenCommand {
    /// Make a token for a script; prints it as the last line, once (only its hash is kept).
    Add {
        /// The token's name, the author of what it writes (e.g. monitoring).
        name: String,
    },
    /// List the tokens: name and the day each was made.
    List,
    /// Revoke a token: it stops working at once.
    Revoke {
        /// The token's name.
        name: String,
    },
}

/// Runs one `casebook token` command.
pub fn run(kb_dir: &Path, args: TokenArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    match args.command {
        TokenCommand::Add { name } => {
            let today = chrono::Local::now().date_naive();
            let made = Tokens::add(&kb, &name, today)?;
            eprintln!(
                "casebook: token {:?} made. Send it as `Authorization: Bearer TOKEN`; it is \
                 shown only now:",
                made.name
            );
            println!("{}", made.token);
        }
        TokenCommand::List => {
            for token in Tokens::load(&kb)?.list() {
                println!("{}\t{}", token.name, token.created);
            }
        }
        TokenCommand::Revoke { name } => {
            Tokens::revoke(&kb, &name)?;
            eprintln!("casebook: token {name:?} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
