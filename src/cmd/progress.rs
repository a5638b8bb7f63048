//! Showing a check or build as it goes: on a terminal, a bar for any phase that takes over a
//! second (indicatif) and each file's diagnostics as soon as it is checked; otherwise (a log, a
//! pipe) for a large knowledge base (`BIG` files or more) a plain line when a phase takes over a
//! second and its count every ten seconds, and the diagnostics at the end in order (a small
//! one's output stays exactly the diagnostics and the summary, whatever the machine's speed);
//! with `--quiet`, nothing but the diagnostics.

use crate::pipeline::findings;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use annotate_snippets::Renderer;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SourceFile;
use crate::pipeline::check::Checked;
use crate::pipeline::progress::Progress;

/// How long a phase runs before it is shown.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often a plain line repeats the count of a long phase.
const EVERY: Duration = Duration::from_secs(10);
/// Files from which a knowledge base is large enough for plain progress lines.
const BIG: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bars,
    Lines,
    Quiet,
}

/// The command line's `Progress`.
pub(super) struct Reporter {
    mode: Mode,
    errors_only: bool,
    styled: bool,
    /// Stream each file's diagnostics (human output on a terminal).
    stream: bool,
    phase: Mutex<Option<Phase>>,
    streamed: Mutex<HashSet<Key>>,
    big: std::sync::atomic::AtomicBool,
    /// Each phase's time, for `--timings`.
    timings: Mutex<Timings>,
}

/// The phases that ran and their times, in order, and the phase going on with when it began.
#[derive(Default)]
struct Timings {
    done: Vec<(&'static str, Duration)>,
    current: Option<(&'static str, Instant)>,
}

/// One diagnostic, as identity for "already printed".
type Key = (String, usize, usize, &'static str, String);

fn key(d: &Diagnostic) -> Key {
    (d.path.clone(), d.line, d.column, d.code, d.message.clone())
}

struct Phase {
    done: Arc<AtomicU64>,
    bar: ProgressBar,
    stop: Sender<()>,
    watcher: JoinHandle<()>,
}

impl Reporter {
    /// A reporter for stderr: bars on a terminal, lines otherwise, nothing when `quiet`;
    /// diagnostics streamed only for human output on a terminal.
    pub(super) fn new(quiet: bool, errors_only: bool, human: bool) -> Reporter {
        let terminal = std::io::stderr().is_terminal();
        let mode = match (quiet, terminal) {
            (true, _) => Mode::Quiet,
            (false, true) => Mode::Bars,
            (false, false) => Mode::Lines,
        };
        Reporter {
            mode,
            errors_only,
            styled: terminal && std::env::var_os("NO_COLOR").is_none(),
            stream: human && mode == Mode::Bars,
            phase: Mutex::new(None),
            streamed: Mutex::new(HashSet::new()),
            big: std::sync::atomic::AtomicBool::new(false),
            timings: Mutex::new(Timings::default()),
        }
    }

    /// Each phase that ran and the time it took, in order (`build --timings`).
    pub(super) fn timings(&self) -> Vec<(&'static str, Duration)> {
        self.timings
            .lock()
            .map(|t| t.done.clone())
            .unwrap_or_default()
    }

    /// Whether summary lines (counts, reports) are printed.
    pub(super) fn chatty(&self) -> bool {
        self.mode != Mode::Quiet
    }

    fn shown(&self, d: &Diagnostic) -> bool {
        !self.errors_only || d.severity == Severity::Error
    }

    /// The diagnostics not printed yet (and not filtered out), rendered with code frames.
    pub(super) fn remaining(&self, checked: &Checked) -> String {
        let streamed = self.streamed.lock().map(|s| s.clone()).unwrap_or_default();
        let left: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .filter(|d| self.shown(d) && !streamed.contains(&key(d)))
            .collect();
        findings::render_list(&left, checked, self.styled)
    }

    fn println(&self, line: &str) {
        let phase = self.phase.lock().ok();
        match phase.as_ref().and_then(|p| p.as_ref()) {
            Some(p) if self.mode == Mode::Bars => p.bar.suspend(|| eprint!("{line}")),
            _ => eprint!("{line}"),
        }
    }
}

impl Progress for Reporter {
    fn start(&self, what: &'static str, total: u64) {
        self.finish();
        if let Ok(mut t) = self.timings.lock() {
            t.current = Some((what, Instant::now()));
        }
        if total >= BIG {
            self.big.store(true, Ordering::Relaxed);
        }
        let lines = self.mode == Mode::Lines && self.big.load(Ordering::Relaxed);
        if self.mode == Mode::Quiet || (self.mode == Mode::Lines && !lines) {
            return;
        }
        let done = Arc::new(AtomicU64::new(0));
        let bar = if total > 0 {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()).with_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            )
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            )
        };
        bar.set_message(what);
        let (stop, stopped) = mpsc::channel::<()>();
        let mode = self.mode;
        let watched = bar.clone();
        let count = Arc::clone(&done);
        let started = Instant::now();
        let watcher = std::thread::spawn(move || {
            if !matches!(
                stopped.recv_timeout(SHOW_AFTER),
                Err(RecvTimeoutError::Timeout)
            ) {
                return;
            }
            if mode == Mode::Bars {
                watched.set_draw_target(ProgressDrawTarget::stderr());
                watched.enable_steady_tick(Duration::from_millis(120));
                return;
            }
            let of = if total > 0 {
                format!(" of {total}")
            } else {
                String::new()
            };
            eprintln!("{what}…");
            while matches!(stopped.recv_timeout(EVERY), Err(RecvTimeoutError::Timeout)) {
                let n = count.load(Ordering::Relaxed);
                if total > 0 || n > 0 {
                    eprintln!("{what}: {n}{of} after {} s", started.elapsed().as_secs());
                } else {
                    eprintln!(
                        "{what}: still going after {} s",
                        started.elapsed().as_secs()
                    );
                }
            }
            eprintln!("{what}: done in {:.1} s", started.elapsed().as_secs_f64());
        });
        if let Ok(mut phase) = self.phase.lock() {
            *phase = Some(Phase {
                done,
                bar,
                stop,
                watcher,
            });
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(phase) = self.phase.lock()
            && let Some(p) = phase.as_ref()
        {
            p.done.fetch_add(n, Ordering::Relaxed);
            p.bar.inc(n);
        }
    }

    fn finish(&self) {
        if let Ok(mut t) = self.timings.lock()
            && let Some((what, began)) = t.current.take()
        {
            t.done.push((what, began.elapsed()));
        }
        let taken = self.phase.lock().ok().and_then(|mut p| p.take());
        if let Some(p) = taken {
            let _ = p.stop.send(());
            let _ = p.watcher.join();
            p.bar.finish_and_clear();
        }
    }

    fn checked(&self, file: &SourceFile, diagnostics: &[Diagnostic]) {
        if !self.stream {
            return;
        }
        let shown: Vec<&Diagnostic> = diagnostics.iter().filter(|d| self.shown(d)).collect();
        if shown.is_empty() {
            return;
        }
        let renderer = if self.styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut text = String::new();
        for d in &shown {
            text.push_str(&findings::render(d, Some(file), &renderer));
            text.push_str("\n\n");
        }
        if let Ok(mut streamed) = self.streamed.lock() {
            streamed.extend(shown.iter().map(|d| key(d)));
        }
        self.println(&text);
    }
}
