//! Progress of a long command on stderr: indicatif's bar with ETA on a
//! terminal; plain lines elsewhere (a log file, CI, `nohup`), where a bar
//! would be hidden and the user would see nothing for minutes. Every
//! subcommand that runs batches (run, compare, validate, sweep,
//! sensitivity) reports through this one helper.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
enum Mode {
    /// The bar (stderr is a terminal).
    Bar(ProgressBar),
    /// One line per message change and per 10 % of the total.
    Lines(Mutex<Lines>),
    /// Nothing (`--quiet`).
    Hidden,
}

/// The state of plain-line progress.
struct Lines {
    start: Instant,
    total: u64,
    position: u64,
    /// The last tenth printed (0..=10).
    tenth: u64,
}

impl Lines {
    /// Prints `what` with the elapsed time and the position.
    fn line(&self, what: &str) {
        let s = self.start.elapsed().as_secs();
        eprintln!(
            "[{:>2}:{:02}] {what} ({}/{} replicates)",
            s / 60,
            s % 60,
            self.position,
            self.total
        );
    }
}

/// Progress over `total` replicates (or jobs).
pub struct Progress {
    mode: Mode,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise, nothing when `quiet`.
    pub fn new(total: u64, quiet: bool) -> Self {
        let mode = if quiet {
            Mode::Hidden
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{msg} replicates {pos}/{len} [{bar:30}] {percent:>3}% {elapsed_precise} ETA {eta_precise}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            Mode::Bar(bar)
        } else {
            Mode::Lines(Mutex::new(Lines {
                start: Instant::now(),
                total,
                position: 0,
                tenth: 0,
            }))
        };
        Self { mode }
    }

    /// Says what is running now (a scenario, a phase); in plain mode, one
    /// line.
    pub fn set_message(&self, message: impl Into<String>) {
        let message = message.into();
        match &self.mode {
            Mode::Bar(bar) => bar.set_message(message),
            Mode::Lines(lines) => {
                if let Ok(lines) = lines.lock() {
                    lines.line(&message);
                }
            }
            Mode::Hidden => {}
        }
    }

    /// Starts a new count of `total` (a further phase of the same command,
    /// e.g. the robustness runs after the comparison's batches).
    pub fn set_length(&self, total: u64) {
        match &self.mode {
            Mode::Bar(bar) => bar.set_length(total),
            Mode::Lines(lines) => {
                if let Ok(mut lines) = lines.lock() {
                    lines.total = total;
                    lines.position = 0;
                    lines.tenth = 0;
                }
            }
            Mode::Hidden => {}
        }
    }

    /// Sets how many are done; in plain mode a line at each further 10 %.
    pub fn set_position(&self, position: u64) {
        match &self.mode {
            Mode::Bar(bar) => bar.set_position(position),
            Mode::Lines(lines) => Self::advance(lines, |_| position),
            Mode::Hidden => {}
        }
    }

    /// `n` more done.
    pub fn inc(&self, n: u64) {
        match &self.mode {
            Mode::Bar(bar) => bar.inc(n),
            Mode::Lines(lines) => Self::advance(lines, |p| p + n),
            Mode::Hidden => {}
        }
    }

    /// Moves the position (under one lock, as workers may report at once)
    /// and prints a line when it enters a further tenth of the total.
    fn advance(lines: &Mutex<Lines>, to: impl FnOnce(u64) -> u64) {
        let Ok(mut lines) = lines.lock() else {
            return;
        };
        lines.position = to(lines.position).min(lines.total);
        let tenth = (lines.position * 10).checked_div(lines.total).unwrap_or(10);
        if tenth > lines.tenth {
            lines.tenth = tenth;
            lines.line(&format!("{} % done", tenth * 10));
        }
    }

    /// Runs `f` with the bar out of the way (for printing a table).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.mode {
            Mode::Bar(bar) => bar.suspend(f),
            _ => f(),
        }
    }

    /// Removes the bar.
    pub fn finish_and_clear(&self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_come_at_each_tenth_once() {
        let lines = Lines {
            start: Instant::now(),
            total: 20,
            position: 0,
            tenth: 0,
        };
        let p = Progress {
            mode: Mode::Lines(Mutex::new(lines)),
        };
        for i in 1..=20 {
            p.set_position(i);
        }
        let Mode::Lines(l) = &p.mode else {
            unreachable!()
        };
        let l = l.lock().unwrap();
        assert_eq!((l.position, l.tenth), (20, 10));
    }
}
