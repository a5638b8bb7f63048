//! The documents of a knowledge folder as JSON lines (`{"id", "title", "body"}`): the same text
//! Casebook indexes, for reference tools such as tantivy-cli (`tantivy index` reads these).
//!
//! ```text
//! cargo run --release --example corpus_json -- KNOWLEDGE_DIR > docs.jsonl
//! ```

use std::io::Write;
use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: corpus_json KNOWLEDGE_DIR");
        return std::process::ExitCode::from(2);
    };
    let mut files = Vec::new();
    walk(Path::new(&dir), &mut files);
    files.sort();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut parts = text.splitn(3, "\n---\n");
        let (front, body) = match (parts.next(), parts.next()) {
            (Some(f), Some(b)) => (f, b),
            _ => continue,
        };
        let field = |name: &str| {
            front
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().trim_matches('"').to_owned())
                .unwrap_or_default()
        };
        let line = serde_json::json!({
            "id": field("id: "),
            "title": field("title: "),
            "body": body,
        });
        if writeln!(stdout, "{line}").is_err() {
            break;
        }
    }
    std::process::ExitCode::SUCCESS
}
