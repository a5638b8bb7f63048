//! What long work reports as it goes. The library never prints: the command line implements
//! `Progress` (bars on a terminal, plain lines otherwise, nothing with `--quiet`), and the
//! server passes `Silent`.

use crate::diagnostic::Diagnostic;
use crate::model::SourceFile;

/// Receives the phases of a check or build and their steps. Called from worker threads.
pub(crate) trait Progress: Sync {
    /// A phase begins: `what` in words ("checking"), `total` steps when known (0 when not).
    fn start(&self, _what: &'static str, _total: u64) {}
    /// `n` more steps of the current phase are done.
    fn advance(&self, _n: u64) {}
    /// The current phase is over.
    fn finish(&self) {}
    /// A file has been checked on its own: its diagnostics so far (links and cross-document
    /// rules come later, with the rest).
    fn checked(&self, _file: &SourceFile, _diagnostics: &[Diagnostic]) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Silent;

impl Progress for Silent {}
