//! Every input that once failed a fuzz target (`fuzz/regressions/`) and every seed the
//! targets start from (`fuzz/seeds/`, at most 200 per target, chosen by coverage), run again
//! through the same properties as the fuzzers (`fuzz/src/props.rs`). `scripts/fuzz.sh` grows
//! each target's corpus in `fuzz/corpus/`, which git does not keep and this test does not read;
//! a failure found there is fixed and its input copied into `fuzz/regressions/<target>/`.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/props.rs"]
#[allow(dead_code, unreachable_pub)]
mod props;

/// The kept inputs of `target`: its regressions, then its seeds, each in name order. A target
/// may have no regressions folder (git keeps no empty folder), but its seeds must be there.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for (folder, required) in [("regressions", false), ("seeds", true)] {
        let dir = root.join(folder).join(target);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{target}: cannot read {}: {e}", dir.display()),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("read a kept input");
            out.push((path, bytes));
        }
    }
    out
}

/// Runs `check` on each input of `target`, naming the input that fails.
fn replay(target: &str, at_least: usize, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(
        inputs.len() >= at_least,
        "{target}: {} kept inputs, expected at least {at_least}",
        inputs.len()
    );
    for (path, bytes) in &inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(bytes)));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", 100, props::front_matter);
}

#[test]
fn markdown_inputs() {
    replay("markdown", 100, props::markdown);
}

#[test]
fn markdown_property_rejects_what_it_must() {
    // The markdown property is itself tested: each of these is a failure it must report.
    for bad in [
        "<p><a href=\"/a\"><a href=\"/b\">x</a></a></p>",
        "<p><script>alert(1)</script></p>",
        "<p><img src=\"x\" onerror=\"alert(1)\"></p>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<p><a href=\"//evil.example\">x</a></p>",
        "<p><em>x</p></em>",
        "<p>x",
    ] {
        assert!(props::valid_html(bad).is_err(), "{bad}");
    }
    assert!(props::valid_html("<p><a href=\"https:/x\">x</a> <code>&lt;b&gt;</code></p>").is_ok());
}

#[test]
fn query_inputs() {
    let index = casebook::index::KbIndex::open(&crate::search::sample().1).expect("open");
    replay("query", 100, |data| props::query(&index, data));
}

#[test]
fn request_inputs() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let state = crate::serve::state(None);
    replay("request", 50, |data| {
        runtime.block_on(props::request(&state, data))
    });
}
