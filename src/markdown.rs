//! Markdown: the only home of pulldown-cmark and its options (CommonMark plus tables,
//! footnotes, strikethrough and task lists; metadata blocks stay off).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The one place the parser's options are chosen.
fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    Parser::new_ext(text, options)
}

/// A link or image in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target as written (after markdown unescaping).
    pub target: String,
    /// Byte range of the whole link in the body.
    pub range: (usize, usize),
    /// True for images.
    pub image: bool,
}

/// A heading in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// The headings and links of a markdown body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings.
    pub headings: Vec<Heading>,
    /// Links and images.
    pub links: Vec<Link>,
}

/// Reads the headings and links of `body`.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    let mut heading: Option<Heading> = None;
    for (event, range) in parser(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level_number(level),
                    text: String::new(),
                    offset: range.start,
                });
            }
            Event::End(TagEnd::Heading(_)) => out.headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push(Link {
                target: dest_url.into_string(),
                range: (range.start, range.end),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => out.links.push(Link {
                target: dest_url.into_string(),
                range: (range.start, range.end),
                image: true,
            }),
            _ => {}
        }
    }
    out
}

/// The plain text of a markdown body: text and code, one space between blocks; raw HTML is
/// dropped.
pub fn plain_text(body: &str) -> String {
    let mut out = String::new();
    for event in parser(body) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Heading(_)) => out.push_str(". "),
            Event::End(_) if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plain text of the level-2 section titled `heading` (case-insensitive), if present.
pub fn section_text(body: &str, heading: &str) -> Option<String> {
    let outline = outline(body);
    let h2: Vec<&Heading> = outline.headings.iter().filter(|h| h.level <= 2).collect();
    let i = h2
        .iter()
        .position(|h| h.level == 2 && h.text.trim().eq_ignore_ascii_case(heading))?;
    let start = body[h2[i].offset..]
        .find('\n')
        .map_or(body.len(), |n| h2[i].offset + n);
    let end = h2.get(i + 1).map_or(body.len(), |h| h.offset);
    Some(plain_text(&body[start..end.max(start)]))
}

/// The lower-case URL scheme of a link target, if it has one. Whitespace and control
/// characters are ignored first, as browsers do (`java\tscript:`).
pub fn link_scheme(target: &str) -> Option<String> {
    let cleaned: String = target
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// True for the schemes a rendered link may keep.
pub fn is_safe_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "mailto")
}

/// Renders a markdown body to HTML that is safe to insert into a page:
/// raw HTML is shown as text, never passed through; links keep only `http`, `https` and
/// `mailto` targets or targets `resolve` turns into a page URL (document ids, `.md` paths);
/// any other link or image becomes its text; headings get stable, unique `id` anchors.
pub fn to_html(body: &str, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    let events: Vec<Event<'_>> = parser(body).collect();
    let anchors = heading_anchors(&events);
    let mut anchor = anchors.into_iter();
    let mut skip_ends: Vec<bool> = Vec::new();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw)),
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = anchor.next().map(CowStr::from);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match safe_target(&dest_url, resolve) {
                Some(url) => {
                    skip_ends.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    }));
                }
                None => skip_ends.push(true),
            },
            Event::End(TagEnd::Link) => {
                if !skip_ends.pop().unwrap_or(true) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let external = link_scheme(&dest_url).is_some_and(|s| s == "https" || s == "http");
                skip_ends.push(!external);
                if external {
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if !skip_ends.pop().unwrap_or(true) {
                    out.push(Event::End(TagEnd::Image));
                }
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// The URL a link may point at, or none when it must be shown as plain text.
fn safe_target(dest: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    match link_scheme(dest) {
        Some(scheme) if is_safe_scheme(&scheme) => Some(dest.to_owned()),
        Some(_) => None,
        None if dest.starts_with('#') => Some(dest.to_owned()),
        None => {
            let (target, fragment) = dest
                .split_once('#')
                .map_or((dest, None), |(t, f)| (t, Some(f)));
            let url = resolve(target)?;
            Some(match fragment {
                Some(f) => format!("{url}#{f}"),
                None => url,
            })
        }
    }
}

/// A unique anchor for every heading, from its text (`## What worked` → `what-worked`).
fn heading_anchors(events: &[Event<'_>]) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for event in events {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = current.take().unwrap_or_default();
                let base = slug(&text);
                let mut candidate = base.clone();
                let mut n = 1;
                while anchors.contains(&candidate) {
                    n += 1;
                    candidate = format!("{base}-{n}");
                }
                anchors.push(candidate);
            }
            _ => {}
        }
    }
    anchors
}

/// Lower-case ASCII letters and digits joined by single hyphens (`section` when empty).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headings_and_links_with_offsets() {
        let body = "## Summary\n\nSee [the note](AG-GLAA) and ![x](data:image/png,AA).\n\n## What `worked`\n";
        let o = outline(body);
        let texts: Vec<_> = o
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(texts, vec![(2, "Summary"), (2, "What worked")]);
        assert_eq!(o.links[0].target, "AG-GLAA");
        assert_eq!(
            &body[o.links[0].range.0..o.links[0].range.1],
            "[the note](AG-GLAA)"
        );
        assert!(o.links[1].image);
    }

    fn no_documents(_: &str) -> Option<String> {
        None
    }

    fn render(body: &str) -> String {
        to_html(body, &|t| {
            (t == "AG-GLAA").then(|| "/agencies/AG-GLAA/".to_owned())
        })
    }

    #[test]
    fn document_links_resolve_and_others_become_text() {
        let html = render(
            "See [the note](AG-GLAA#powers), [x](https://example.org/a?b=1&c=2) and [old](CR-2019-001).",
        );
        assert!(
            html.contains(r#"<a href="/agencies/AG-GLAA/#powers">the note</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://example.org/a?b=1&amp;c=2">x</a>"#),
            "{html}"
        );
        assert!(html.contains(" and old.</p>"), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = to_html(
            "## What worked\n\n## What worked\n\n### Émigré `code`!\n",
            &no_documents,
        );
        assert!(html.contains(r#"<h2 id="what-worked">"#), "{html}");
        assert!(html.contains(r#"<h2 id="what-worked-2">"#), "{html}");
        assert!(html.contains(r#"<h3 id="migr-code">"#), "{html}");
    }

    /// RELIABILITY.md 3.A items 17–23: everything hostile renders inert.
    #[test]
    fn hostile_markdown_renders_inert() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) <javascript:alert(1)> [z](java&#x09;script:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=) ![i](data:image/svg+xml,<svg onload=alert(1)>) [v](vbscript:msgbox)",
            "<iframe src=x></iframe><object data=x></object><embed src=x><form action=x></form><base href=x><meta http-equiv=refresh content=0><style>*{}</style>",
            "![a](\"onerror=\"alert(1)) [t](https://example.org \"\\\"><script>alert(1)</script>\")",
            "<a href=\"javascript:alert(1)\">raw</a>",
            "{{ 7*7 }} {% include 'x' %}",
        ];
        let handler = regex::Regex::new(r"<[a-z][^>]*\son[a-z]+\s*=").unwrap();
        for case in cases {
            let html = render(case).to_lowercase();
            for bad in [
                "<script",
                "<img src=x",
                "<svg",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<base",
                "<meta",
                "<style",
                "<a href=\"javascript",
                "href=\"data:",
                "href=\"vbscript",
                "src=\"data:",
            ] {
                assert!(!html.contains(bad), "{case:?} rendered {bad}: {html}");
            }
            assert!(
                !handler.is_match(&html),
                "{case:?}: an on* attribute in {html}"
            );
        }
        assert!(render("{{ 7*7 }}").contains("{{ 7*7 }}"));
    }

    /// RELIABILITY.md 3.A item 24: pathological inputs stay small (time is measured in
    /// benchmarks, not asserted here).
    #[test]
    fn pathological_markdown_output_stays_bounded() {
        let inputs = [
            "[a](<b".repeat(50_000),
            "[ (](".repeat(40_000),
            "a***".repeat(80_000),
            format!("{}a", "* ".repeat(80_000)),
            "!-- <".repeat(20_000),
            format!("[x]: {}\n{}", "x".repeat(3000), "[x]".repeat(3000)),
            "[^a\n".repeat(20_000),
            "> ".repeat(50_000),
        ];
        for input in inputs {
            let html = to_html(&input, &no_documents);
            assert!(
                html.len() < input.len() * 20,
                "{} bytes in, {} out",
                input.len(),
                html.len()
            );
        }
    }

    #[test]
    fn plain_text_and_sections() {
        let body = "*Note.*\n\n## Summary\n\nV1 was **moved** to <b>x</b> `code`.\n\n## Learning\n\n- Plan early.\n";
        assert_eq!(
            section_text(body, "summary").as_deref(),
            Some("V1 was moved to x code.")
        );
        assert_eq!(
            section_text(body, "Learning").as_deref(),
            Some("Plan early.")
        );
        assert_eq!(section_text(body, "Missing"), None);
        assert!(plain_text(body).starts_with("Note. Summary. V1 was moved"));
    }
}
