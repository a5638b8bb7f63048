//! Query latency over a built index: runs a fixed set of 20 queries (words, phrases,
//! exclusions, aliases, facets, sorting, a prefix and a misspelling) several times and prints
//! the median and 99th percentile.
//!
//! ```text
//! cargo run --release --example bench_search -- INDEX_DIR [ROUNDS]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use casebook::index::{FacetName, KbIndex, SearchRequest, Sort};

fn requests() -> Vec<SearchRequest> {
    let plain = |q: &str| SearchRequest {
        q: q.to_owned(),
        page: 1,
        per_page: 10,
        ..SearchRequest::default()
    };
    let mut out: Vec<SearchRequest> = [
        "interpreters",
        "labour exploitation interpreters",
        "financial investigation",
        "\"victim care\"",
        "closure notice",
        "interpreters -labour",
        "agency:GLAA theme:interpreters",
        "type:county-lines",
        "year:[2018 TO 2021]",
        "inter*",
        "intrepreters",
        "risk order",
        "duty to notify",
        "phone downloads money",
        "safeguarding referral school",
    ]
    .iter()
    .map(|q| plain(q))
    .collect();
    let mut area = plain("interpreters");
    area.filters.insert(
        FacetName::Area,
        vec!["portsmouth".into(), "southampton".into()],
    );
    out.push(area);
    let mut two = plain("");
    two.filters
        .insert(FacetName::Theme, vec!["interpreters".into()]);
    two.filters
        .insert(FacetName::Exploitation, vec!["labour".into()]);
    out.push(two);
    let mut newest = plain("order");
    newest.sort = Sort::Newest;
    out.push(newest);
    let mut deep = plain("victims");
    deep.page = 5;
    out.push(deep);
    out.push(plain(""));
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_search INDEX_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let index = match KbIndex::open(&dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let requests = requests();
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
    let started = Instant::now();
    let similar = index.similar("CR-2017-0001", 5).len();
    println!(
        "similar documents (5): {:.2} ms, {similar} found",
        started.elapsed().as_secs_f64() * 1000.0
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
