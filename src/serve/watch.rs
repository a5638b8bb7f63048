//! The rebuild loop: waits for something new to serve, builds it in the background while the
//! last good build is served, and swaps the new one in whole. A build that fails keeps the
//! last good one and says why in `/healthz`; a failure the owner marks as passing (the index
//! busy with another build, a full disk) is tried again next time. What "new" means and how it
//! is built are the owner's: `serve` polls the repository's HEAD, `preview` waits for saves.

use super::{AppState, Current};

/// Why a build could not be served: in full for the log (`log`), as `/healthz` may show it
/// (`health`: no file system paths or internal detail), and whether building the same version
/// again may succeed (`is_transient`), decided by the cause.
#[derive(Debug)]
pub enum Failure {
    /// The commit has content errors: every diagnostic for the log, and for `/healthz` the
    /// counts (and the first errors, on a server at the highest marking).
    Content {
        /// The diagnostics, rendered.
        log: String,
        /// What `/healthz` says.
        health: String,
    },
    /// The build stopped on an error.
    Build(crate::error::Error),
    /// What was built could not be opened to serve (the index, a template, a snapshot).
    Open(anyhow::Error),
    /// The build panicked (reported above it in the log).
    Fault,
}

impl Failure {
    /// The failure in full, for the server's log.
    pub fn log(&self) -> String {
        match self {
            Failure::Content { log, .. } => log.clone(),
            Failure::Build(e) => e.chain(),
            Failure::Open(e) => format!("{e:#}"),
            Failure::Fault => "the build stopped on an internal fault (reported above)".to_owned(),
        }
    }

    /// What `/healthz` says of it.
    pub fn health(&self) -> String {
        use crate::error::Error;
        match self {
            Failure::Content { health, .. } => health.clone(),
            // Reasons in the commit itself: its content, templates or configuration.
            Failure::Build(Error::Render(e)) => format!("the rebuild failed: {e}"),
            Failure::Build(Error::Config(crate::config::ConfigError::Invalid { .. })) => {
                "the rebuild failed: the configuration is wrong (details in the server log)"
                    .to_owned()
            }
            Failure::Build(e) if e.is_transient() => {
                "the rebuild failed; retrying (details in the server log)".to_owned()
            }
            Failure::Build(e) => format!("the rebuild failed: {e}"),
            Failure::Open(_) => {
                "the rebuild failed; retrying (details in the server log)".to_owned()
            }
            Failure::Fault => {
                "the rebuild stopped on an internal fault (details in the server log)".to_owned()
            }
        }
    }

    /// Whether building the same version again may succeed: an error whose cause may pass, or
    /// a build that could not be opened (a snapshot or the index busy); not content errors, a
    /// fault in the commit, or a panic.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Build(e) => e.is_transient(),
            Failure::Open(_) => true,
            Failure::Content { .. } | Failure::Fault => false,
        }
    }
}

impl From<crate::error::Error> for Failure {
    fn from(e: crate::error::Error) -> Failure {
        Failure::Build(e)
    }
}

/// What the rebuild loop asks of its owner.
pub trait Rebuild: Send + 'static {
    /// Waits until it is time to look again (a poll interval, a file saved), then names the
    /// version that should be served now (a commit id, a count of saves), or says why it
    /// cannot be read.
    fn next(&mut self) -> Result<String, crate::load::LoadError>;
    /// Builds `version`, ready to serve.
    fn build(&mut self, version: &str) -> Result<Current, Failure>;
    /// How `version` is named in the log (`commit 1a2b3c4`).
    fn name(&self, version: &str) -> String {
        version.to_owned()
    }
    /// Called once a build of `version` has been swapped in or has failed.
    fn settled(&mut self, _state: &AppState, _version: &str) {}
}

/// Runs the loop for ever (call it on a thread of its own); `served` is the version being
/// served at the start.
pub fn watch(mut owner: impl Rebuild, state: AppState, mut served: String) {
    // Why the build of `served` failed, if it did (a server may start so, serving an earlier
    // build): health returns to this once the source can be read again.
    let mut failure: Option<String> = state.error();
    let mut unreadable = false;
    let mut last_logged = String::new();
    loop {
        let version = match owner.next() {
            Ok(v) => v,
            Err(e) => {
                if !unreadable {
                    tracing::error!(
                        "cannot read the repository's HEAD: {e}; still serving the last good build"
                    );
                }
                unreadable = true;
                state.failed("cannot read the repository (details in the server log)".to_owned());
                continue;
            }
        };
        if unreadable {
            unreadable = false;
            tracing::info!("the repository can be read again");
            state.set_error(failure.clone());
        }
        if version == served {
            continue;
        }
        let name = owner.name(&version);
        if let Ok(mut r) = state.0.rebuilding.lock() {
            *r = Some((name.clone(), std::time::Instant::now()));
        }
        // A fault in the build must not end the watching: catch it and report it like a failure.
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| owner.build(&version)))
                .unwrap_or(Err(Failure::Fault));
        if let Ok(mut r) = state.0.rebuilding.lock() {
            *r = None;
        }
        match outcome {
            Ok(current) => {
                tracing::info!("rebuilt at {name}");
                state.swap(current);
                crate::alloc::release_memory();
                failure = None;
                owner.settled(&state, &version);
                served = version;
            }
            Err(f) => {
                let (log, health, retry) = (f.log(), f.health(), f.is_transient());
                if log != last_logged {
                    tracing::error!(
                        "rebuild of {name} failed; still serving the last good build: {log}{}",
                        if retry {
                            " (retrying at the next poll)"
                        } else {
                            ""
                        }
                    );
                    last_logged = log;
                }
                state.failed(health.clone());
                failure = Some(health);
                owner.settled(&state, &version);
                if !retry {
                    served = version;
                }
            }
        }
    }
}
