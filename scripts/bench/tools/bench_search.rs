//! Query latency over a built index: runs the queries of `scripts/bench/queries.txt` (60
//! analyst-style queries: words, phrases, statute references, abbreviations, places, years,
//! misspellings, questions, facets, sorting, pages) several times and prints the median and
//! 99th percentile.
//!
//! ```text
//! cargo run --release --example bench_search -- INDEX_DIR [ROUNDS] [QUERIES_FILE]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use casebook::index::{FacetName, KbIndex, SearchRequest, Sort};

/// The queries of `scripts/bench/queries.txt` (or another file): `text | key=value&…`.
fn requests(file: &Path) -> Vec<SearchRequest> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("error: cannot read {}: {e}", file.display());
        std::process::exit(2);
    });
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (q, params) = line.split_once(" | ").unwrap_or((line, ""));
            let mut r = SearchRequest {
                q: q.trim().to_owned(),
                page: 1,
                per_page: 10,
                ..SearchRequest::default()
            };
            for pair in params.split('&').filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                match key {
                    "sort" if value == "newest" => r.sort = Sort::Newest,
                    "page" => r.page = value.parse().unwrap_or(1),
                    "from" => r.from = value.parse().ok(),
                    "to" => r.to = value.parse().ok(),
                    _ => match FacetName::from_key(key) {
                        Some(f) => r.filters.entry(f).or_default().push(value.to_owned()),
                        None => {
                            eprintln!("error: unknown filter `{key}` in: {line}");
                            std::process::exit(2);
                        }
                    },
                }
            }
            r
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_search INDEX_DIR [ROUNDS] [QUERIES_FILE]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let file = args.next().map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench/queries.txt"),
        PathBuf::from,
    );
    let index = match KbIndex::open(&dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let requests = requests(&file);
    let mut all = Vec::new();
    let mut per_query: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for _ in 0..rounds {
        for (i, r) in requests.iter().enumerate() {
            let started = Instant::now();
            let response = index.search(r);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(response.total);
            all.push(ms);
            per_query.entry(i).or_default().push(ms);
        }
    }
    all.sort_by(|a, b| a.total_cmp(b));
    println!("documents: {}", index.num_docs());
    println!("queries: {} x {rounds} rounds", requests.len());
    println!(
        "p50: {:.2} ms  p90: {:.2} ms  p99: {:.2} ms  max: {:.2} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    for (i, times) in per_query.iter_mut() {
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "  {:>2} {:<40} median {:.2} ms",
            i + 1,
            format!("{:?}", requests[*i].q),
            percentile(times, 0.5)
        );
    }
}
