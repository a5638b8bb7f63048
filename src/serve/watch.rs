//! The rebuild loop: waits for something new to serve, builds it in the background while the
//! last good build is served, and swaps the new one in whole. A build that fails keeps the
//! last good one and says why in `/healthz`; a failure the owner marks as passing (the index
//! busy with another build, a full disk) is tried again next time. What "new" means and how it
//! is built are the owner's: `serve` polls the repository's HEAD, `preview` waits for saves.

use super::{AppState, Current};

/// Why a build failed: in full for the log, and as `/healthz` may show it (no file system
/// paths or internal detail there).
#[derive(Debug, Clone)]
pub struct Failure {
    /// For the log.
    pub log: String,
    /// For `/healthz`.
    pub health: String,
    /// The failure may pass: build the same version again next time.
    pub retry: bool,
}

impl From<crate::error::Error> for Failure {
    fn from(e: crate::error::Error) -> Failure {
        use crate::error::Error;
        let health = match &e {
            // Reasons in the commit itself: its content, templates or configuration.
            Error::Render(e) => format!("the rebuild failed: {e}"),
            Error::Config(crate::config::ConfigError::Invalid { .. }) => {
                "the rebuild failed: the configuration is wrong (details in the server log)"
                    .to_owned()
            }
            _ if e.is_transient() => {
                "the rebuild failed; retrying (details in the server log)".to_owned()
            }
            other => format!("the rebuild failed: {other}"),
        };
        let retry = e.is_transient();
        Failure {
            log: e.chain(),
            health,
            retry,
        }
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
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            owner.build(&version)
        }))
        .unwrap_or_else(|_| {
            Err(Failure {
                log: "the build stopped on an internal fault (reported above)".to_owned(),
                health: format!(
                    "the rebuild of {name} stopped on an internal fault (details in the server log)"
                ),
                retry: false,
            })
        });
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
                if f.log != last_logged {
                    tracing::error!(
                        "rebuild of {name} failed; still serving the last good build: {}{}",
                        f.log,
                        if f.retry {
                            " (retrying at the next poll)"
                        } else {
                            ""
                        }
                    );
                    last_logged.clone_from(&f.log);
                }
                state.failed(f.health.clone());
                failure = Some(f.health);
                owner.settled(&state, &version);
                if !f.retry {
                    served = version;
                }
            }
        }
    }
}
