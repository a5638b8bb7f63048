//! Integration tests: the `casebook` binary run against throwaway git repositories.

mod build;
mod check_invalid;
mod check_valid;
mod commonmark;
mod contributors;
mod fuzz_regressions;
mod relevance;
mod repo_states;
mod report;
mod safe_html;
mod search;
mod serve;
mod serve_live;
mod site;
mod stats;
mod support;
mod yaml_suite;
