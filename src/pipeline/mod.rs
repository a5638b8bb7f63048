//! The pipeline every command runs: `check` reads the documents of a revision (or the working
//! tree) and validates them (`findings` says what it found), `build` turns the checked corpus into the search index and the
//! rendered site, and `output` puts the site in place on disk as one unit. `progress` is what
//! long work reports as it goes.

pub mod build;
pub mod check;
pub mod findings;
pub mod output;
pub(crate) mod progress;
pub(crate) mod store;

/// What every step works on: the open repository and its configuration.
pub struct Context {
    /// The open repository.
    pub repo: crate::load::Repo,
    /// Its configuration.
    pub config: crate::config::Config,
}
