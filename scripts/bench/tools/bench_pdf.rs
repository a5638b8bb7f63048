//! Time to render the example PDF layout (`src/pdf/example.typ`): the first render (which
//! also parses the fonts and builds Typst's library), then the median of 9 renders of new data
//! each time (a document not rendered before) and of 9 of the same data (which Typst's
//! memoisation mostly answers), for a one-page and a three-page document. Writes the one-page
//! PDF to the path given, if any.
//!
//! ```text
//! cargo run --release --example bench_pdf [-- out.pdf]
//! ```

use std::time::Instant;

use serde_json::{Value, json};

fn data(points: usize, edition: usize) -> Value {
    let points: Vec<String> = (1..=points)
        .map(|i| {
            format!("Point {i}: check the worker's passport is in their own hands ({edition}).")
        })
        .collect();
    json!({
        "marking": "OFFICIAL",
        "title": "Seven-minute briefing: debt bondage",
        "summary": "What a partner should look for when a worker owes a debt to the person who found them work.",
        "points": points,
        "table": {
            "columns": ["Agency", "Power"],
            "rows": [
                ["Police", "Slavery and Trafficking Prevention Order"],
                ["Local authority", "Licensing review of the premises"],
            ],
        },
        "link": { "text": "the partnership's guidance", "url": "https://example.org/guidance" },
    })
}

fn seconds(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

fn render(data: &Value) -> (Vec<u8>, f64) {
    let start = Instant::now();
    let pdf = casebook::pdf::render(casebook::pdf::EXAMPLE_TEMPLATE, data).expect("renders");
    (pdf, seconds(start))
}

/// Median, min and max in milliseconds.
fn summary(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    let ms = |s: f64| s * 1e3;
    format!(
        "median {:.1} ms [{:.1}–{:.1}]",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    )
}

fn main() {
    for (name, points) in [("one page", 5), ("three pages", 120)] {
        let (pdf, first) = render(&data(points, 0));
        let fresh: Vec<f64> = (1..=9).map(|i| render(&data(points, i)).1).collect();
        let same: Vec<f64> = (0..9).map(|_| render(&data(points, 0)).1).collect();
        println!(
            "{name}: {} bytes; first render {:.1} ms; new data each time: {}; same data: {}",
            pdf.len(),
            first * 1e3,
            summary(fresh),
            summary(same),
        );
        if points == 5
            && let Some(path) = std::env::args().nth(1)
        {
            std::fs::write(&path, &pdf).expect("the PDF is written");
        }
    }
}
