//! `casebook user add|passwd|remove|list NAME`: who may log in to write from the web.

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use casebook::accounts::{Users, MIN_PASSWORD_CHARS};
use casebook::kb::Kb;

/// Arguments of `casebook user`.
#[derive(clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Add a user; asks for the password twice (or reads it with --password-stdin).
    Add(WithPassword),
    /// Set a user's password; their logins end.
    Passwd(WithPassword),
    /// Remove a user; their logins end.
    Remove {
        /// The user's name.
        name: String,
    },
    /// List the users.
    List,
}

#[derive(clap::Args)]
struct WithPassword {
    /// The user's name: letters, digits, '.', '-' or '_'.
    name: String,
    /// Read the password from the first line of standard input (for scripts).
    #[arg(long)]
    password_stdin: bool,
}

/// Runs one `casebook user` command.
pub fn run(kb_dir: &Path, args: UserArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    match args.command {
        UserCommand::Add(a) => {
            let password = password(&a)?;
            Users::add(&kb, &a.name, &password)?;
            eprintln!(
                "casebook: user {:?} added ({}); they can log in at /login",
                a.name,
                Users::path(&kb).display()
            );
        }
        UserCommand::Passwd(a) => {
            let password = password(&a)?;
            Users::set_password(&kb, &a.name, &password)?;
            eprintln!(
                "casebook: password of {:?} changed; their logins have ended",
                a.name
            );
        }
        UserCommand::Remove { name } => {
            Users::remove(&kb, &name)?;
            eprintln!("casebook: user {name:?} removed");
        }
        UserCommand::List => {
            for user in Users::load(&kb)?.list() {
                println!("{}", user.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The new password: from stdin's first line with `--password-stdin`, else typed twice
/// on the terminal without echo.
fn password(args: &WithPassword) -> Result<String> {
    if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to type the password on: pipe it in and add --password-stdin");
    }
    let first = rpassword::prompt_password(format!(
        "Password for {} (at least {MIN_PASSWORD_CHARS} characters): ",
        args.name
    ))?;
    let again = rpassword::prompt_password("The same password again: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}
