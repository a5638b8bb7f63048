//! Markdown: the only home of pulldown-cmark and its options (CommonMark plus tables,
//! footnotes, strikethrough and task lists; metadata blocks stay off).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
