//! Rendering time of the pathological markdown inputs of RELIABILITY.md 3.A item 24 (known
//! quadratic patterns of markdown parsers), through Casebook's safe renderer.
//!
//! ```text
//! cargo run --release --example bench_markdown
//! ```

use std::time::Instant;

fn main() {
    let inputs: Vec<(&str, String)> = vec![
        ("[a](<b ×50 000", "[a](<b".repeat(50_000)),
        ("[ (]( ×40 000", "[ (](".repeat(40_000)),
        ("a*** ×80 000", "a***".repeat(80_000)),
        ("* ×80 000 + a", format!("{}a", "* ".repeat(80_000))),
        ("!-- < ×20 000", "!-- <".repeat(20_000)),
        (
            "link ref defs ×3 000",
            format!("[x]: {}\n{}", "x".repeat(3000), "[x]".repeat(3000)),
        ),
        ("[^a\\n ×20 000", "[^a\n".repeat(20_000)),
        ("> ×50 000", "> ".repeat(50_000)),
    ];
    println!(
        "| input | bytes in | bytes out | Casebook (median of 5) | pulldown-cmark alone (baseline) | ratio |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, input) in inputs {
        let mut times = Vec::new();
        let mut out_len = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let html = casebook::markdown::to_html(&input, &|_| None, &casebook::markdown::keep);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            out_len = html.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let mut base = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let mut html = String::new();
            let parser = pulldown_cmark::Parser::new_ext(&input, pulldown_cmark::Options::all());
            pulldown_cmark::html::push_html(&mut html, parser);
            base.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        base.sort_by(|a, b| a.total_cmp(b));
        println!(
            "| `{name}` | {} | {out_len} | {:.1} ms | {:.1} ms | {:.2} |",
            input.len(),
            times[2],
            base[2],
            times[2] / base[2].max(0.001)
        );
    }
}
