//! A terminal progress bar for long index builds; silent when stderr is not a terminal.

use std::io::IsTerminal;

use casebook::index::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// An indicatif bar behind the library's [`Progress`] trait.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar on stderr if it is a terminal, else nothing.
    pub fn new() -> Bar {
        Bar(std::io::stderr().is_terminal().then(ProgressBar::hidden))
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        let Some(bar) = &self.0 else { return };
        // Small updates are instant; a bar would only flicker.
        if total < 500 {
            return;
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_length(total);
        if let Ok(style) =
            ProgressStyle::with_template("indexing {bar:40} {pos}/{len} files, {eta} left")
        {
            bar.set_style(style);
        }
    }

    fn set(&self, done: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
