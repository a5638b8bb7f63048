//! Casebook turns a git repository of YAML-fronted markdown — case reviews, STPO/STRO order
//! records and partner agency powers notes — into a checked, searchable knowledge base.
//!
//! ```text
//! knowledge/ (git repo) ──load──▶ Vec<SourceFile> ──parse──▶ Vec<ParsedFile> ──validate──▶ Corpus + Diagnostics
//! Corpus ──index──▶ tantivy dir        Corpus ──render──▶ public/ (static HTML)
//! serve = static site + /api/search + /search page
//! ```
//!
//! `load` is the only home of git2 and serde_yaml, `markdown` of pulldown-cmark; `model` is
//! pure (typed documents, vocabularies, every validation rule); `pipeline` checks and builds;
//! `cmd` is the only layer that prints.
//!
//! The public surface is what its three users need, and nothing else: the binary (`cli`,
//! `cmd`), the integration tests (`tests/it`: `config`, `error`, `index`, `load`, `model` (its
//! types and `enums`), `pipeline`, `render::snippet_html`, `serve`) and the fuzz targets
//! (`fuzz/`: `markdown`, `load::yaml_syntax`, `pipeline::check`, `pdf`). Everything else is
//! crate-private, and the crate warns on `unreachable_pub`, so an item nothing uses shows as
//! dead code.

pub(crate) mod alloc;
pub mod cli;
pub mod cmd;
pub mod config;
pub(crate) mod diagnostic;
pub(crate) mod documents;
pub mod error;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod pipeline;
pub mod render;
pub(crate) mod report;
pub mod serve;
