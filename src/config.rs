//! `casebook.toml`: site configuration. Every key is optional; unknown keys are errors with
//! the file's line and column.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Marking;
use crate::model::enums::Closed;

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `casebook.toml` (or `--config`) is wrong.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file cannot be read (the cause is the error's `source`).
    #[error("{}", path.display())]
    Io {
        /// The configuration file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl ConfigError {
    /// Whether reading again may succeed: a file that could not be read may be readable next
    /// time; a wrong setting stays wrong until it is changed.
    pub fn is_transient(&self) -> bool {
        matches!(self, ConfigError::Io { .. })
    }
}

type Result<T, E = ConfigError> = std::result::Result<T, E>;

/// The configuration of one content repository.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Absolute base URL for feeds and the sitemap.
    pub base_url: String,
    /// Folder of the documents, relative to the repository root.
    pub knowledge_dir: String,
    /// Where the static site is written.
    pub output_dir: String,
    /// Where the index and build cache live.
    pub state_dir: String,
    /// The build's marking ceiling.
    pub max_marking: String,
    /// Server settings.
    pub serve: ServeConfig,
}

/// `[serve]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ServeConfig {
    /// Address to listen on.
    pub bind: String,
    /// How often to look for new commits.
    pub poll_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Modern Slavery Partnership — Investigation Learning".to_owned(),
            base_url: "http://127.0.0.1:8080".to_owned(),
            knowledge_dir: "knowledge".to_owned(),
            output_dir: "public".to_owned(),
            state_dir: ".casebook".to_owned(),
            max_marking: "OFFICIAL-SENSITIVE".to_owned(),
            serve: ServeConfig::default(),
        }
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: "127.0.0.1:8080".to_owned(),
            poll_seconds: 5,
        }
    }
}

/// The name of the configuration file at the repository root.
pub const FILE_NAME: &str = "casebook.toml";

/// An unknown key's message with the nearest known key: "unknown field `titel`, expected one
/// of `title`, … ; did you mean `title`?".
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_owned();
    };
    let Some((name, tail)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    match crate::model::vocab::nearest(name, expected.iter().copied()) {
        Some(n) => format!("{message}; did you mean `{n}`?"),
        None => message.to_owned(),
    }
}

impl Config {
    /// Parses configuration text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |s| crate::model::source::position(text, s.start));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: with_suggestion(e.message().trim()),
            }
        })?;
        config.check(text, path)?;
        Ok(config)
    }

    /// Reads `path`; a missing file means every default.
    pub fn from_file(path: &Path, required: bool) -> Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Io {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// The marking ceiling as a value.
    pub fn ceiling(&self) -> Marking {
        Marking::from_code(&self.max_marking).unwrap_or(Marking::Official)
    }

    fn check(&self, text: &str, path: &Path) -> Result<()> {
        let fail = |key: &str, message: String| {
            let offset = text.find(key).unwrap_or(0);
            let (line, column) = crate::model::source::position(text, offset);
            Err(ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message,
            })
        };
        if Marking::from_code(&self.max_marking).is_none() {
            let message = format!(
                "`max_marking` is `{}`; allowed: OFFICIAL, OFFICIAL-SENSITIVE",
                self.max_marking
            );
            return fail("max_marking", message);
        }
        for (key, value) in [
            ("knowledge_dir", &self.knowledge_dir),
            ("output_dir", &self.output_dir),
            ("state_dir", &self.state_dir),
        ] {
            if !is_relative_inside(value) {
                return fail(
                    key,
                    format!("`{key}` must be a relative path inside the repository, not `{value}`"),
                );
            }
        }
        // The output folder is served as it is: it must hold nothing but the build, so it cannot
        // be the repository itself, a hidden folder (`.git`), or overlap the content or state.
        let parts = |v: &str| -> Vec<String> {
            Path::new(v)
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        };
        let output = parts(&self.output_dir);
        if output.is_empty() || output.iter().any(|c| c.starts_with('.')) {
            return fail(
                "output_dir",
                format!(
                    "`output_dir` must name a folder of its own, not `{}` (it is served as it is)",
                    self.output_dir
                ),
            );
        }
        for (key, other) in [
            ("knowledge_dir", &self.knowledge_dir),
            ("state_dir", &self.state_dir),
        ] {
            let other = parts(other);
            if output.starts_with(&other) || other.starts_with(&output) {
                return fail(
                    "output_dir",
                    format!("`output_dir` must not overlap `{key}` (it is served as it is)"),
                );
            }
        }
        if self.serve.poll_seconds == 0 {
            return fail(
                "poll_seconds",
                "`serve.poll_seconds` must be at least 1".to_owned(),
            );
        }
        Ok(())
    }

    /// The knowledge folder relative to the repository root.
    pub fn knowledge_path(&self) -> PathBuf {
        PathBuf::from(&self.knowledge_dir)
    }
}

/// A non-empty relative path with no `..` component.
fn is_relative_inside(value: &str) -> bool {
    let p = Path::new(value);
    !value.is_empty()
        && p.is_relative()
        && p.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("casebook.toml"))
    }

    #[test]
    fn empty_file_is_all_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn every_documented_key_is_accepted() {
        let text = "title = \"T\"\nbase_url = \"https://kb.example\"\nknowledge_dir = \"knowledge\"\noutput_dir = \"public\"\nstate_dir = \".casebook\"\nmax_marking = \"OFFICIAL\"\n[serve]\nbind = \"127.0.0.1:9000\"\npoll_seconds = 10\n";
        let c = parse(text).unwrap();
        assert_eq!(c.ceiling(), Marking::Official);
        assert_eq!(c.serve.poll_seconds, 10);
    }

    #[test]
    fn unknown_keys_name_file_line_and_column() {
        let err = parse("title = \"T\"\n\n[serve]\nbnid = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("casebook.toml:4:1: unknown field `bnid`"),
            "{err}"
        );
        assert!(err.ends_with("did you mean `bind`?"), "{err}");
    }

    #[test]
    fn bad_values_are_refused() {
        let err = parse("max_marking = \"SECRET\"\n").unwrap_err().to_string();
        assert!(
            err.starts_with("casebook.toml:1:1: `max_marking` is `SECRET`"),
            "{err}"
        );
        assert!(parse("output_dir = \"../elsewhere\"\n").is_err());
        for served in [
            ".",
            "./",
            ".git",
            "site/.hidden",
            "knowledge",
            "knowledge/site",
            ".casebook/x",
        ] {
            let err = parse(&format!("output_dir = \"{served}\"\n"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("`output_dir` must"), "{served}: {err}");
        }
        assert!(parse("output_dir = \"site/public\"\n").is_ok());
        assert!(parse("[serve]\npoll_seconds = 0\n").is_err());
    }
}
