//! One safe-HTML rule (issue 14): minijinja escapes every value a template shows, and the one
//! value marked safe is markdown rendered by `markdown::to_html`. Both halves are tested: the
//! source holds no other way to mark a value safe, and a build whose front matter is hostile
//! in every free-text field gives pages, feed and sitemap with no markup from it.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::search::sample_repo;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn only_rendered_markdown_is_marked_safe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    files(&root.join("src"), &mut sources);
    let mut marked = Vec::new();
    for path in sources
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(path).expect("read source");
        for (n, line) in text.lines().enumerate() {
            for needle in [
                "from_safe_string",
                "AutoEscape::None",
                "set_auto_escape_callback",
                "set_formatter",
            ] {
                if line.contains(needle) {
                    marked.push(format!(
                        "{}:{}: {}",
                        path.strip_prefix(root).unwrap_or(path).display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    // The one place: `render::safe`, which takes only `markdown::Html` (made only by
    // `markdown::to_html`).
    assert_eq!(
        marked,
        ["src/render/mod.rs:".to_owned()
            + &line_of(&root.join("src/render/mod.rs"), "from_safe_string").to_string()
            + ": minijinja::Value::from_safe_string(html.into_string())"],
    );
    let safe_fn = std::fs::read_to_string(root.join("src/render/mod.rs")).expect("read");
    assert!(
        safe_fn.contains("pub(crate) fn safe(html: crate::markdown::Html) -> minijinja::Value")
    );
    let markdown = std::fs::read_to_string(root.join("src/markdown/mod.rs")).expect("read");
    assert_eq!(
        markdown.matches("Html(html)").count(),
        1,
        "Html is made in one place"
    );
    assert!(
        markdown.contains("pub struct Html(String);"),
        "its field stays private"
    );

    let mut templates = Vec::new();
    files(&root.join("templates"), &mut templates);
    // The search API's snippet template is built in only (not overridable), beside its code.
    templates.push(root.join("src/render/snippet.html"));
    for path in templates
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "xml"))
    {
        let text = std::fs::read_to_string(path).expect("read template");
        for needle in [
            "|safe",
            "| safe",
            "autoescape false",
            "|escape(false",
            "safe(",
        ] {
            assert!(!text.contains(needle), "{}: {needle}", path.display());
        }
    }
    // What is marked safe reaches only `body`: the document templates show it, nothing else.
    for path in &templates {
        let text = std::fs::read_to_string(path).expect("read template");
        if text.contains("{{ body }}") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            assert!(
                ["document.html", "review.html", "order.html", "agency.html"].contains(&name),
                "{name} shows body"
            );
        }
    }
}

fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .position(|l| l.contains(needle))
        .map_or(0, |n| n + 1)
}

const HOSTILE: &str =
    "<script>alert(1)</script>\\\"><img src=x onerror=alert(2)>&amp;<![CDATA[x]]>";

#[test]
fn hostile_front_matter_reaches_pages_feed_and_sitemap_as_text() {
    let repo = sample_repo();
    let path = repo
        .path()
        .join("knowledge/reviews/CR-2019-004-industrial-units.md");
    let text = std::fs::read_to_string(&path).expect("read review");
    let text = text
        .replacen(
            "title: \"Operation Zannik: trafficked cannabis gardeners in industrial units — debrief\"",
            &format!("title: \"Zannik {HOSTILE}\""),
            1,
        )
        .replacen(
            "operation: \"Operation Zannik\"",
            &format!("operation: \"Operation {HOSTILE}\""),
            1,
        );
    assert!(text.contains("alert(2)"), "the review was changed");
    std::fs::write(&path, text).expect("write review");
    repo.commit("hostile title");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let mut out = Vec::new();
    files(&repo.path().join("public"), &mut out);
    let any = Selector::parse("*").expect("selector");
    let mut shown = 0;
    for file in &out {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let ext = file
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if text.contains("alert(") {
            shown += 1;
        }
        match ext {
            "html" => {
                let html = Html::parse_document(&text);
                for el in html.select(&any) {
                    let e = el.value();
                    assert!(
                        e.name() != "img",
                        "{}: an <img> from a title",
                        file.display()
                    );
                    assert!(
                        e.name() != "script" || e.attr("src").is_some(),
                        "{}: an inline script",
                        file.display()
                    );
                    for (name, _) in e.attrs() {
                        assert!(!name.starts_with("on"), "{}: {name}=", file.display());
                    }
                }
            }
            "xml" => {
                for needle in ["<script", "<img", "<![CDATA["] {
                    assert!(!text.contains(needle), "{}: {needle}", file.display());
                }
            }
            _ => {}
        }
    }
    // The hostile title was published (as text) on the review, lists, feed and more.
    assert!(shown >= 5, "the title reached {shown} files");
    let feed = std::fs::read_to_string(repo.path().join("public/feed.xml")).expect("feed");
    assert!(feed.contains("Zannik &lt;script&gt;alert(1)"), "{feed}");
}
