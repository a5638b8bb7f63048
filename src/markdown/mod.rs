//! Markdown: the only home of pulldown-cmark and its options (CommonMark plus tables,
//! footnotes, strikethrough and task lists; metadata blocks stay off).

use std::collections::VecDeque;

use pulldown_cmark::utils::TextMergeStream;
use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// The one place the parser's options are chosen.
fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    Parser::new_ext(text, options)
}

/// The most table cells a body may make: far above any real table (ten columns of a thousand
/// rows is 10,000), far below what hurts. A table's rows are padded to its header's width, and
/// every non-blank line after its delimiter row is a row, so about 3 KB of markdown can ask
/// pulldown-cmark for 262,144 cells (its own cap, per table): a 1 MiB body of such tables would
/// make 95 million cells, gigabytes of memory, before the first event. A body over this budget
/// is refused by `check` (E091) and never parsed.
pub const MAX_TABLE_CELLS: usize = 50_000;

/// An upper bound on the table cells `body` can make, found in one pass over its lines without
/// parsing it: for each line that could be a table's delimiter row (`|---|:--:|`, also inside
/// block quotes), its number of columns, for it, the header and every line up to the next blank
/// one. A delimiter-like line inside a table widens it to the larger count. Linear in the body;
/// never less than what the parser makes (it also counts tables that do not form).
pub fn table_cells(body: &str) -> TableCells {
    let starts: Vec<usize> = crate::model::source::line_starts(body).collect();
    let mut out = TableCells::default();
    // The open table: its columns and where its delimiter row starts.
    let mut open: Option<(usize, usize)> = None;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(body.len());
        let line = body[start..end].trim_end_matches(['\n', '\r']);
        let content = without_quote_markers(line);
        // Blank as CommonMark means it: spaces and tabs only (no other white space).
        if content.is_empty() {
            open = None;
            continue;
        }
        let added = match (delimiter_columns(content), open) {
            (Some(c), Some((columns, at))) => {
                let wider = c.max(columns);
                open = Some((wider, at));
                wider
            }
            // The header above it and the delimiter row itself.
            (Some(c), None) => {
                open = Some((c, start));
                c.saturating_mul(2)
            }
            (None, Some((columns, _))) => columns,
            (None, None) => 0,
        };
        out.cells = out.cells.saturating_add(added);
        if out.over_budget_at.is_none() && out.cells > MAX_TABLE_CELLS {
            out.over_budget_at = open.map(|(_, at)| at);
        }
    }
    out
}

/// What [`table_cells`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableCells {
    /// At most this many table cells.
    pub cells: usize,
    /// Where the delimiter row of the table that took the count over `MAX_TABLE_CELLS` starts
    /// (a byte offset in the body), if it went over.
    pub over_budget_at: Option<usize>,
}

/// A line without the block-quote markers (`>`, with any spaces) that start it.
fn without_quote_markers(line: &str) -> &str {
    let blank = [' ', '\t'];
    let mut rest = line.trim_matches(blank);
    while let Some(inner) = rest.strip_prefix('>') {
        rest = inner.trim_matches(blank);
    }
    rest
}

/// The number of columns of a line that could be a table's delimiter row: only `|`, `-`, `:`,
/// spaces and tabs, with at least one `-`. Counted generously (every `|`-separated part).
fn delimiter_columns(line: &str) -> Option<usize> {
    let shaped = line.contains('-')
        && line
            .bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
    if !shaped {
        return None;
    }
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').count().max(1))
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
    /// True for an e-mail autolink (`<name@example.org>`): its target is an address, linked
    /// with `mailto:`.
    pub email: bool,
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
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => out.links.push(Link {
                target: dest_url.into_string(),
                range: (range.start, range.end),
                image: false,
                email: link_type == LinkType::Email,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => out.links.push(Link {
                target: dest_url.into_string(),
                range: (range.start, range.end),
                image: true,
                email: false,
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
            // Inline spans end inside a sentence: `[adult social care](AG-LA-ASC), a …`.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(_) if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body without a leading notice that it is fictional (an emphasised first paragraph such
/// as `*Fictional example for the … knowledge base …*`): what search indexes, so no snippet
/// shows the notice instead of the matching sentence. Pages still show it.
pub fn without_fictional_notice(body: &str) -> &str {
    let trimmed = body.trim_start();
    let first = trimmed.split("\n\n").next().unwrap_or_default().trim();
    let notice = (first.starts_with("*Fictional") || first.starts_with("_Fictional"))
        && (first.ends_with('*') || first.ends_with('_'))
        && !first.contains('\n');
    if notice {
        &trimmed[first.len()..]
    } else {
        body
    }
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

/// The list items of a body's `## heading` section, as plain text, in order (none when it
/// has no such section or no list).
pub fn section_items(body: &str, heading: &str) -> Vec<String> {
    let outline = outline(body);
    let h2: Vec<&Heading> = outline.headings.iter().filter(|h| h.level <= 2).collect();
    let Some(i) = h2
        .iter()
        .position(|h| h.level == 2 && h.text.trim().eq_ignore_ascii_case(heading))
    else {
        return Vec::new();
    };
    let start = body[h2[i].offset..]
        .find('\n')
        .map_or(body.len(), |n| h2[i].offset + n);
    let end = h2.get(i + 1).map_or(body.len(), |h| h.offset).max(start);
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    for event in parser(&body[start..end]) {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 1 {
                    current = Some(String::new());
                }
            }
            Event::End(TagEnd::Item) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(text) = current.take()
                {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.is_empty() {
                        items.push(text);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = current.as_mut() {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    items
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

/// The repository path a relative `.md` link target points at, resolved against the linking
/// file's folder (`../orders/ORD-2020-001.md` from `knowledge/reviews/x.md` →
/// `knowledge/orders/ORD-2020-001.md`). None for anything else: an absolute path, a target
/// that is not a `.md` file, or one that climbs out of the repository.
pub fn resolve_relative(from: &str, target: &str) -> Option<String> {
    if !target.ends_with(".md") || target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// True for a target that names a page of the site by path (`/powers/`), as opposed to one
/// on another site (`//host/…`).
pub fn is_site_path(target: &str) -> bool {
    // It starts with `/`, and holds no tab, line break or other control character (browsers
    // drop some of them from addresses, so `/\t/host` is `//host`, another site) nor a `\`
    // second (`/\host` is another site too).
    target.starts_with('/')
        && !matches!(target[1..].chars().next(), Some('/' | '\\'))
        && !target
            .chars()
            .any(|c| c.is_control() || c.is_ascii_whitespace())
}

/// Renders a markdown body to HTML that is safe to insert into a page:
/// raw HTML is shown as text, never passed through; links keep only `http`, `https` and
/// `mailto` targets (e-mail autolinks too), `#` fragments, paths on the site (`/powers/`) and
/// targets `resolve` turns into a page URL (document ids, `.md` paths); any other link becomes
/// its text. Images are never loaded: one on another site becomes a link to it, any other its
/// text. Links never nest: inside a link, an image or link is its text. Headings get stable,
/// unique `id` anchors that never take an id the page templates use. Every piece of text
/// (raw HTML and code included, adjacent pieces joined first) passes through `redact` before
/// anything is made of it, anchors included.
pub fn to_html(body: &str, resolve: &dyn Fn(&str) -> Option<String>, redact: &Redact<'_>) -> Html {
    let events = TextMergeStream::new(parser(body)).map(|e| redacted(e, redact));
    let safe = Safe {
        inner: events,
        resolve,
        ends: Vec::new(),
        open_links: 0,
        anchors: Anchors::default(),
        ready: VecDeque::new(),
        table: None,
        tables: 0,
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, safe);
    Html(html)
}

/// What `to_html` does to each piece of a body's text: returns it as it is, or what replaces
/// it (`model::Withheld::redact`: the ids of documents an edition leaves out).
pub type Redact<'r> = dyn for<'t> Fn(&'t str) -> std::borrow::Cow<'t, str> + Sync + 'r;

/// Leaves a piece of text as it is.
pub fn keep(text: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(text)
}

/// An event with its text passed through `redact`.
fn redacted<'a>(event: Event<'a>, redact: &Redact<'_>) -> Event<'a> {
    let replace = |t: &CowStr<'a>| match redact(t) {
        std::borrow::Cow::Owned(s) => Some(CowStr::from(s)),
        std::borrow::Cow::Borrowed(_) => None,
    };
    match event {
        Event::Text(t) => Event::Text(replace(&t).unwrap_or(t)),
        Event::Code(t) => Event::Code(replace(&t).unwrap_or(t)),
        Event::Html(t) => Event::Html(replace(&t).unwrap_or(t)),
        Event::InlineHtml(t) => Event::InlineHtml(replace(&t).unwrap_or(t)),
        other => other,
    }
}

/// HTML made from markdown by [`to_html`], and only by it: the one kind of value templates
/// insert unescaped (`render::safe`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The HTML text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// The event stream made safe, one event at a time (only a heading is held back, until its
/// text gives its anchor).
struct Safe<'a, 'r, I> {
    inner: I,
    resolve: &'r dyn Fn(&str) -> Option<String>,
    /// For each open link or image, the end event to give for it (none: dropped).
    ends: Vec<Option<TagEnd>>,
    /// Links given and not yet closed: inside one, no other link is given.
    open_links: usize,
    anchors: Anchors,
    ready: VecDeque<Event<'a>>,
    /// The table being written, if any.
    table: Option<TableState>,
    /// Tables written so far (each scrolling region is named by its number).
    tables: usize,
}

/// Where the writer is in a table: tables are written here rather than by pulldown-cmark,
/// whose column alignment is an inline `style` that the site's Content-Security-Policy
/// forbids (a class instead), and so that each sits in its own scrolling container.
struct TableState {
    alignments: Vec<Alignment>,
    column: usize,
    in_head: bool,
    body_open: bool,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Safe<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            let event = self.inner.next()?;
            if let Some(e) = self.transform(event) {
                return Some(e);
            }
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Safe<'a, '_, I> {
    /// The safe form of one event (none when it is dropped).
    fn transform(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Table(_))
            | Event::End(TagEnd::Table)
            | Event::Start(Tag::TableHead)
            | Event::End(TagEnd::TableHead)
            | Event::Start(Tag::TableRow)
            | Event::End(TagEnd::TableRow)
            | Event::Start(Tag::TableCell)
            | Event::End(TagEnd::TableCell) => {
                self.table_markup(event).map(|m| Event::Html(m.into()))
            }
            Event::Start(Tag::Heading { .. }) => {
                self.heading(event);
                None
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = if self.open_links > 0 {
                    None
                } else if link_type == LinkType::Email {
                    // The HTML writer puts `mailto:` before the address.
                    Some(dest_url.to_string())
                } else {
                    safe_target(&dest_url, self.resolve)
                };
                self.open_links += usize::from(url.is_some());
                self.ends.push(url.is_some().then_some(TagEnd::Link));
                url.map(|u| {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: u.into(),
                        title,
                        id,
                    })
                })
            }
            // An image on another site becomes a link to it: loading it with the page would tell
            // that site who is reading, and when. Any other image is its text.
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let external = self.open_links == 0
                    && link_scheme(&dest_url).is_some_and(|s| s == "https" || s == "http");
                self.open_links += usize::from(external);
                self.ends.push(external.then_some(TagEnd::Link));
                external.then(|| {
                    let title = if title.is_empty() {
                        CowStr::from("image on another site, not loaded")
                    } else {
                        title
                    };
                    Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url,
                        title,
                        id: CowStr::from(""),
                    })
                })
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let end = self.ends.pop().flatten();
                self.open_links -= usize::from(end.is_some());
                end.map(Event::End)
            }
            other => Some(other),
        }
    }

    /// The markup of a table event: the table in a focusable scrolling region named by its
    /// number, header cells with `scope`, alignment as a class.
    fn table_markup(&mut self, event: Event<'a>) -> Option<String> {
        if let Event::Start(Tag::Table(alignments)) = event {
            self.tables += 1;
            self.table = Some(TableState {
                alignments,
                column: 0,
                in_head: false,
                body_open: false,
            });
            return Some(format!(
                "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table {}\" tabindex=\"0\">\n<table class=\"table\">\n",
                self.tables
            ));
        }
        let t = self.table.as_mut()?;
        Some(match event {
            Event::End(TagEnd::Table) => {
                let body = if t.body_open { "</tbody>\n" } else { "" };
                self.table = None;
                format!("{body}</table>\n</div>\n")
            }
            Event::Start(Tag::TableHead) => {
                t.in_head = true;
                t.column = 0;
                "<thead><tr>".to_owned()
            }
            Event::End(TagEnd::TableHead) => {
                t.in_head = false;
                "</tr></thead>\n".to_owned()
            }
            Event::Start(Tag::TableRow) => {
                t.column = 0;
                let open = if t.body_open { "" } else { "<tbody>\n" };
                t.body_open = true;
                format!("{open}<tr>")
            }
            Event::End(TagEnd::TableRow) => "</tr>\n".to_owned(),
            Event::Start(Tag::TableCell) => {
                let class = match t.alignments.get(t.column) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                let cell = if t.in_head { "th scope=\"col\"" } else { "td" };
                format!("<{cell}{class}>")
            }
            Event::End(TagEnd::TableCell) => {
                t.column += 1;
                if t.in_head { "</th>" } else { "</td>" }.to_owned()
            }
            _ => return None,
        })
    }

    /// Reads a whole heading, gives its start event a unique anchor, and queues it.
    fn heading(&mut self, start: Event<'a>) {
        let mut held = vec![start];
        let mut text = String::new();
        while let Some(event) = self.inner.next() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            held.extend(self.transform(event));
            if end {
                break;
            }
        }
        let anchor = self.anchors.unique(slug(&text));
        if let Some(Event::Start(Tag::Heading { id, .. })) = held.first_mut() {
            *id = Some(CowStr::from(anchor));
        }
        self.ready.extend(held);
    }
}

/// Ids the page templates give their own elements; a body heading never takes one (nor a
/// `power-…` id, which agency pages give each power), so anchors and the skip link stay unique.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "q",
    "meta-heading",
    "links-heading",
    "history-heading",
    "recommendations",
    "good-practice",
    "learning-points",
    "related-reviews",
    "case-in-figures",
    "order-terms",
    "order-prohibitions",
    "order-foreign-travel",
    "order-management",
    "order-breaches",
    "limits",
    "limits-heading",
    "powers",
    "powers-heading",
    "orders",
    "orders-heading",
    "engage",
    "engage-heading",
    "legal-bases",
    "legal-bases-heading",
];

/// The heading anchors of one body: unique, never reserved, each found in constant time.
#[derive(Default)]
struct Anchors {
    used: std::collections::HashSet<String>,
    /// The last suffix tried for a base, so repeated headings do not retry from `-2`.
    next: std::collections::HashMap<String, usize>,
}

impl Anchors {
    fn taken(&self, id: &str) -> bool {
        self.used.contains(id) || RESERVED_IDS.contains(&id)
    }

    /// `base`, or `base-2`, `base-3`… when already taken; records the one returned. A base in
    /// the agency pages' `power-…` space becomes `section-power-…`.
    fn unique(&mut self, base: String) -> String {
        let base = if base.starts_with("power-") {
            format!("section-{base}")
        } else {
            base
        };
        if !self.taken(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let candidate = loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.taken(&candidate) {
                break candidate;
            }
        };
        self.next.insert(base, n);
        self.used.insert(candidate.clone());
        candidate
    }
}

/// The URL a link may point at, or none when it must be shown as plain text.
fn safe_target(dest: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    match link_scheme(dest) {
        Some(scheme) if is_safe_scheme(&scheme) => Some(dest.to_owned()),
        Some(_) => None,
        None if dest.starts_with('#') => Some(dest.to_owned()),
        None if is_site_path(dest) => Some(dest.to_owned()),
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
mod tests;
