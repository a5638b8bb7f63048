//! Renders the example layout and reads the PDFs back with poppler's `pdftotext`, `pdfinfo`
//! and `pdftoppm` where they are installed (Debian's poppler-utils; scripts/test.sh installs
//! it); without them the checks on the bytes alone run.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::*;

const MARKING: &str = "OFFICIAL";
/// How the XMP metadata claims PDF/UA-1.
const UA_1: &str = "<pdfuaid:part>1</pdfuaid:part>";

fn example_data(points: usize) -> Value {
    let points: Vec<String> = (1..=points)
        .map(|i| format!("Point {i}: check the worker's passport is in their own hands."))
        .collect();
    json!({
        "marking": MARKING,
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

/// What poppler reads back from a PDF.
struct Read {
    text: String,
    info: String,
    /// The XMP metadata: the language and the PDF/UA claim.
    meta: String,
    pages: usize,
}

fn poppler_installed() -> bool {
    ["pdftotext", "pdfinfo", "pdftoppm"].iter().all(|tool| {
        Command::new(tool)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect("runs");
    assert!(out.status.success(), "{tool} {args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Reads the PDF back with poppler, or `None` (saying so) where poppler is not installed.
fn read_back(pdf: &[u8], dir: &Path) -> Option<Read> {
    if !poppler_installed() {
        eprintln!("poppler-utils not installed: the PDF's text is not checked");
        return None;
    }
    let file = dir.join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let file = file.to_str().unwrap();
    let text = run("pdftotext", &["-layout", file, "-"]);
    let info = run("pdfinfo", &[file]);
    let meta = run("pdfinfo", &["-meta", file]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    Some(Read {
        text,
        info,
        meta,
        pages,
    })
}

fn render_example(data: &Value) -> Vec<u8> {
    render(EXAMPLE_TEMPLATE, data).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_example_renders_as_pdf() {
    let pdf = render_example(&example_data(3));
    assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..16]);
    let dir = tempfile::tempdir().unwrap();
    let Some(read) = read_back(&pdf, dir.path()) else {
        return;
    };
    assert_eq!(read.pages, 1);
    for expected in [
        "Seven-minute briefing: debt bondage",
        "What a partner should look for",
        "1. Point 1: check the worker's passport",
        "3. Point 3:",
        "Agency",
        "Power",
        "Slavery and Trafficking Prevention Order",
        "Licensing review of the premises",
        "Read more: the partnership's guidance",
        "Page 1 of 1",
    ] {
        assert!(
            read.text.contains(expected),
            "{expected:?} in\n{}",
            read.text
        );
    }
    assert_eq!(read.text.matches(MARKING).count(), 2, "{}", read.text);
    assert!(
        read.info
            .contains("Title:           Seven-minute briefing: debt bondage")
    );
    assert!(read.info.contains("Tagged:          yes"), "{}", read.info);
    assert!(
        read.info.contains("Creator:         Casebook"),
        "{}",
        read.info
    );
    assert!(
        read.meta.contains("<rdf:li>en-GB</rdf:li>"),
        "{}",
        read.meta
    );
    assert!(read.meta.contains(UA_1), "{}", read.meta);
}

#[test]
fn the_marking_is_on_every_page() {
    let pdf = render_example(&example_data(80));
    let dir = tempfile::tempdir().unwrap();
    let Some(read) = read_back(&pdf, dir.path()) else {
        return;
    };
    assert!(read.pages >= 2, "{} pages", read.pages);
    let pages: Vec<&str> = read
        .text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), read.pages);
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.matches(MARKING).count(), 2, "page {}:\n{page}", i + 1);
        let footer = format!("Page {} of {}", i + 1, read.pages);
        assert!(page.contains(&footer), "{footer:?} in\n{page}");
    }
    assert!(read.text.contains("80. Point 80:"));
}

#[test]
fn the_first_page_renders_as_an_image() {
    let pdf = render_example(&example_data(3));
    let dir = tempfile::tempdir().unwrap();
    if read_back(&pdf, dir.path()).is_none() {
        return;
    }
    let file = dir.path().join("out.pdf");
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &["-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile"]
            .into_iter()
            .chain([file.to_str().unwrap(), prefix.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    let png = std::fs::read(dir.path().join("page.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // An A4 page at 50 dpi is 413 × 585 pixels; text on it makes the file more than a blank
    // page's few hundred bytes.
    assert!(png.len() > 5_000, "{} bytes", png.len());
}

#[test]
fn hostile_text_in_the_data_is_printed_as_it_is() {
    let hostile = [
        r#"#import "/etc/passwd""#,
        "]#{panic()}",
        "= Heading",
        r#"#read("/etc/hostname")"#,
        "*not bold* _not emphasised_ $x^2$ <label> @ref",
        r#"#import "@preview/cetz:0.3.0""#,
    ];
    let mut data = example_data(0);
    data["title"] = json!(hostile[1]);
    data["summary"] = json!(hostile[0]);
    data["points"] = json!(hostile);
    data["table"]["rows"] = json!([[hostile[2], hostile[3]]]);
    let pdf = render_example(&data);
    let dir = tempfile::tempdir().unwrap();
    let Some(read) = read_back(&pdf, dir.path()) else {
        return;
    };
    for text in hostile {
        assert!(read.text.contains(text), "{text:?} in\n{}", read.text);
    }
    assert!(
        read.info.contains("Title:           ]#{panic()}"),
        "{}",
        read.info
    );
}

#[test]
fn a_layout_error_names_the_line() {
    let template = "#let data = json(\"data.json\")\n#set document(title: \"x\")\n\n#data.titel\n";
    let error = render(template, &json!({ "title": "A" })).unwrap_err();
    let PdfError::Layout(problems) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(problems[0].position, Some((4, 7)));
    assert_eq!(problems[0].source_line.as_deref(), Some("#data.titel"));
    let message = error.to_string();
    assert!(
        message.contains("template.typ:4:7: dictionary does not contain key \"titel\""),
        "{message}"
    );
    assert!(message.contains("    4 | #data.titel"), "{message}");
}

#[test]
fn a_syntax_error_is_an_error_not_a_panic() {
    let error = render("#let x = (", &json!({})).unwrap_err();
    assert!(matches!(error, PdfError::Layout(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("the layout failed:\ntemplate.typ:1:"),
        "{error}"
    );
}

#[test]
fn a_layout_reads_no_file_but_its_data() {
    for (line, expected) in [
        (
            r#"#read("/etc/passwd")"#,
            "etc/passwd is not available: a layout reads only data.json",
        ),
        (r#"#include "other.typ""#, "other.typ is not available"),
        (r#"#image("logo.png")"#, "logo.png is not available"),
        (
            r#"#import "@preview/cetz:0.3.0""#,
            "packages are not available (@preview/cetz:0.3.0)",
        ),
    ] {
        let template = format!("#set document(title: \"x\")\n{line}\n");
        let error = render(&template, &json!({})).unwrap_err();
        assert!(error.to_string().contains(expected), "{line}: {error}");
    }
}

#[test]
fn a_pdf_ua_requirement_missed_is_an_export_error() {
    let error = render("Hello", &json!({})).unwrap_err();
    assert!(matches!(error, PdfError::Export(_)), "{error:?}");
    assert!(
        error.to_string().contains("missing document title"),
        "{error}"
    );
}

#[test]
fn the_date_is_the_callers() {
    let template = "#set document(title: \"Dated\")\nToday is #datetime.today().display().";
    let error = render(template, &json!({})).unwrap_err();
    assert!(matches!(error, PdfError::Layout(_)), "{error:?}");
    let today = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    let pdf = render_dated(template, &json!({}), today).unwrap();
    assert_eq!(pdf, render_dated(template, &json!({}), today).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let Some(read) = read_back(&pdf, dir.path()) else {
        return;
    };
    assert!(read.text.contains("Today is 2025-03-14."), "{}", read.text);
    assert!(
        read.info
            .contains("CreationDate:    Fri Mar 14 00:00:00 2025"),
        "{}",
        read.info
    );
}

#[test]
fn two_renders_give_the_same_bytes() {
    let data = example_data(20);
    assert_eq!(render_example(&data), render_example(&data));
}

#[test]
fn characters_the_fonts_lack_still_give_a_tagged_pdf() {
    let mut data = example_data(1);
    data["summary"] = json!("Names: Łukasz, Nguyễn, Ștefan, Αθηνά, Дмитрий, 王芳, محمد 🙂");
    let pdf = render_example(&data);
    let dir = tempfile::tempdir().unwrap();
    let Some(read) = read_back(&pdf, dir.path()) else {
        return;
    };
    assert!(
        read.text.contains("Łukasz, Nguyễn, Ștefan, Αθηνά, Дмитрий"),
        "{}",
        read.text
    );
    assert!(read.info.contains("Tagged:          yes"), "{}", read.info);
    assert!(
        read.meta.contains("<rdf:li>en-GB</rdf:li>"),
        "{}",
        read.meta
    );
    assert!(!read.meta.contains(UA_1), "{}", read.meta);
}

#[test]
fn runaway_layouts_stop_with_an_error() {
    for (body, expected) in [
        (
            "#let f(n) = f(n + 1)\n#f(0)",
            "maximum function call depth exceeded",
        ),
        (
            "#let n = 0\n#while n >= 0 { n += 1 }",
            "loop seems to be infinite",
        ),
        (
            "#show heading: it => heading(it.body)\n= A",
            "maximum show rule depth exceeded",
        ),
    ] {
        let template = format!("#set document(title: \"x\")\n{body}\n");
        let error = render(&template, &json!({})).unwrap_err();
        assert!(matches!(error, PdfError::Layout(_)), "{body}: {error:?}");
        assert!(error.to_string().contains(expected), "{body}: {error}");
    }
}
