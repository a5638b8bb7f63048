//! The yaml-test-suite (`tests/data/yaml-test-suite`, its data release) through the front
//! matter's YAML reading: no case crashes; YAML the suite calls invalid is always refused (a
//! syntax error, E009, or a deliberate refusal of what front matter never holds); valid YAML is
//! never a syntax error; every finding is on a line of the file, and given once.

use std::path::{Path, PathBuf};

/// What front matter refuses on purpose, whatever the YAML spec allows: a root that is not a
/// mapping, duplicate keys, tags, anchors and aliases, more than one document, keys that are
/// not plain words.
const REFUSALS: &[&str] = &["E010", "E011", "E012", "E013", "E014", "E019"];

/// Every case folder (a folder holding `in.yaml`), variants included.
fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the suite") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "in.yaml") {
                out.push(dir.clone());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_yaml_test_suite_is_read_as_the_spec_says_or_refused_on_purpose() {
    let cases = cases();
    assert_eq!(cases.len(), 402, "the data release has 402 cases");
    let (mut valid_read, mut valid_refused, mut invalid_refused) = (0, 0, 0);
    let mut wrong = Vec::new();
    for dir in &cases {
        let name = dir
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite"))
            .expect("inside")
            .display()
            .to_string();
        let yaml = std::fs::read(dir.join("in.yaml")).expect("read in.yaml");
        let Ok(yaml) = String::from_utf8(yaml) else {
            continue;
        };
        let invalid = dir.join("error").exists();
        let found = std::panic::catch_unwind(|| {
            casebook::load::yaml_syntax("knowledge/reviews/CR-2024-001.md", &yaml)
        });
        let Ok(found) = found else {
            wrong.push(format!("{name}: the reading panicked"));
            continue;
        };
        let lines = yaml.lines().count() + 2;
        for d in &found {
            if d.line < 1 || d.line > lines {
                wrong.push(format!(
                    "{name}: {} at line {}, not in the file",
                    d.code, d.line
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for d in &found {
            if !seen.insert((d.code, d.line, d.column, d.message.clone())) {
                wrong.push(format!("{name}: {} given twice: {}", d.code, d.message));
            }
        }
        let syntax = found.iter().any(|d| d.code == "E009");
        let refused = found.iter().any(|d| REFUSALS.contains(&d.code));
        match (invalid, syntax, refused) {
            (true, false, false) => wrong.push(format!("{name}: invalid YAML accepted")),
            (true, _, _) => invalid_refused += 1,
            (false, true, _) => wrong.push(format!(
                "{name} ({}): valid YAML read as a syntax error: {}",
                std::fs::read_to_string(dir.join("==="))
                    .unwrap_or_default()
                    .trim(),
                found
                    .iter()
                    .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            (false, false, true) => valid_refused += 1,
            (false, false, false) => valid_read += 1,
        }
    }
    eprintln!(
        "yaml-test-suite: {valid_read} valid cases read, {valid_refused} valid cases refused on purpose, {invalid_refused} invalid cases refused"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(valid_read >= 90, "{valid_read}");
}
