//! `casebook init DIR`: a knowledge base ready for a team.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casebook::i18n::Lang;
use casebook::init::{init, GitSetup};

/// Arguments of `casebook init`.
#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder (created if missing); files that exist in it are left as they are.
    dir: PathBuf,
    /// The team's language: fa (default) or en.
    #[arg(long, default_value = "fa", value_parser = parse_lang)]
    lang: Lang,
}

fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("{tag:?}: write fa or en"))
}

/// Writes the knowledge base and says what it did.
pub fn run(args: InitArgs) -> Result<ExitCode> {
    let report = init(&args.dir, args.lang)?;
    for rel in &report.created {
        println!("created {}", rel.display());
    }
    for rel in &report.kept {
        println!("kept    {} (exists; not changed)", rel.display());
    }
    match &report.git {
        GitSetup::Committed(hash) => {
            println!(
                "git: a new repository, first commit {}",
                &hash[..hash.len().min(12)]
            )
        }
        GitSetup::InsideRepository => {
            println!(
                "git: the folder is in a repository already; add and commit the files yourself"
            )
        }
        GitSetup::NoGit => println!("git: not installed; install git to share the cases"),
    }
    let dir = args.dir.display();
    eprintln!("next: casebook --kb {dir} new --title \"…\" --type currency");
    eprintln!("      casebook --kb {dir} serve");
    Ok(ExitCode::SUCCESS)
}
