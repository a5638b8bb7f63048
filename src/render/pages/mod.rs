//! Every page of the site, as template contexts: the shared context here, the pages by
//! family in the submodules.

mod collections;
mod document;
mod learning;
mod overview;
mod powers;
mod registers;

use collections::{browse, lists};
use document::{
    Targets, backlinks, body_targets, document_json, document_page, history_page, named_ids,
    successors,
};
use overview::{home, sitemap, statistics, whats_new};
use powers::{matrix, power_pages};
use registers::{register, tracker};

use std::collections::HashMap;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;

use crate::markdown;
use crate::model::{Document, Marking, VocabName};

use super::templates::template_error;
use super::{Link, PageDoc, RenderError, Sink, Site, SiteInput};

#[derive(Serialize)]
struct SiteCtx {
    title: String,
    /// The header's short name, and the title's words before it (`super::short_title`).
    short_title: String,
    title_lead: String,
    root: &'static str,
    commit_short: String,
    ceiling: String,
    /// Set on a preview: the check's findings by file.
    preview: Option<PreviewCtx>,
}

/// The check's findings as a preview's pages list them: counts, then by file.
#[derive(Serialize)]
struct PreviewCtx {
    errors: usize,
    warnings: usize,
    files: Vec<ProblemFile>,
}

#[derive(Serialize)]
struct ProblemFile {
    path: String,
    errors: usize,
    warnings: usize,
    problems: Vec<crate::render::Problem>,
}

impl PreviewCtx {
    fn new(problems: &[crate::render::Problem]) -> PreviewCtx {
        let mut files: Vec<ProblemFile> = Vec::new();
        for p in problems {
            let at = match files.iter().position(|f| f.path == p.path) {
                Some(i) => i,
                None => {
                    files.push(ProblemFile {
                        path: p.path.clone(),
                        errors: 0,
                        warnings: 0,
                        problems: Vec::new(),
                    });
                    files.len() - 1
                }
            };
            let file = &mut files[at];
            if p.severity == "error" {
                file.errors += 1;
            } else {
                file.warnings += 1;
            }
            file.problems.push(p.clone());
        }
        // Files with errors first, then by path.
        files.sort_by(|a, b| (a.errors == 0, &a.path).cmp(&(b.errors == 0, &b.path)));
        PreviewCtx {
            errors: files.iter().map(|f| f.errors).sum(),
            warnings: files.iter().map(|f| f.warnings).sum(),
            files,
        }
    }
}

/// What every page needs, and the published documents by id.
struct Ctx<'a> {
    env: &'a Environment<'static>,
    input: &'a SiteInput<'a>,
    site: SiteCtx,
    by_id: HashMap<&'a str, PageDoc<'a>>,
    /// Each document as lists show it, made once (its summary is read from its body).
    items: HashMap<&'a str, ListItem>,
    /// What every page shows whatever the documents (`global_key`).
    global: String,
    /// The key of each page the build in place holds, by path (`render_at`).
    known: HashMap<String, String>,
    /// Pages `render_at` did not render again, and pages it rendered: (path, key).
    kept: std::sync::Mutex<Vec<(String, String)>>,
    rendered: std::sync::Mutex<Vec<(String, String)>>,
}

impl<'a> Ctx<'a> {
    fn link(&self, id: &str) -> Option<Link> {
        let d = self.by_id.get(id)?.doc;
        Some(Link {
            id: d.common.id.clone(),
            title: d.common.title.clone(),
            url: d.url(),
        })
    }

    fn render(&self, name: &str, marking: Marking, page: Value) -> Result<Vec<u8>, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        let ctx =
            context! { site => Serde(&self.site), page_marking => marking.to_string(), ..page };
        template
            .render(ctx)
            .map(String::into_bytes)
            .map_err(|e| template_error(name, &e))
    }

    /// `render` for a page that lists or counts documents, at `path`: none when the build in
    /// place holds that page rendered under the same key (the template, the marking, the
    /// whole context `page`, and what every page shows), which `render_all` then keeps.
    fn render_at(
        &self,
        path: &str,
        name: &str,
        marking: Marking,
        page: Value,
    ) -> Result<Option<Vec<u8>>, RenderError> {
        let context = serde_json::to_string(&page).unwrap_or_default();
        let verdicts = self.input.withheld.verdicts([context.as_str()]);
        let key =
            key_of(format!("{}\n{name}\n{marking}\n{verdicts}\n{context}", self.global).as_bytes());
        let record = |m: &std::sync::Mutex<Vec<(String, String)>>| {
            if let Ok(mut v) = m.lock() {
                v.push((path.to_owned(), key.clone()));
            }
        };
        if self.known.get(path) == Some(&key) {
            record(&self.kept);
            return Ok(None);
        }
        let bytes = self.render(name, marking, page)?;
        record(&self.rendered);
        Ok(Some(bytes))
    }

    /// A page with no site frame (feed, sitemap): the template and `page` alone.
    fn render_plain(&self, name: &str, page: Value) -> Result<Vec<u8>, RenderError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(page))
            .map(String::into_bytes)
            .map_err(|e| template_error(name, &e))
    }

    fn label(&self, name: VocabName, code: &str) -> String {
        self.input.vocab.label(name, code).to_owned()
    }

    /// The build's statistics as this edition publishes them: exact, since every reader of
    /// the edition can open every record they count.
    fn published_statistics(&self) -> crate::model::stats::Published {
        self.input
            .statistics
            .disclose(crate::model::stats::Audience::edition(self.input.ceiling))
    }

    /// The highest marking among the documents a page shows (OFFICIAL when none).
    fn marking_of<'d>(&self, docs: impl Iterator<Item = &'d Document>) -> Marking {
        docs.map(|d| d.common.marking)
            .max()
            .unwrap_or(Marking::Official)
    }
}

/// Renders every page into `sink`: each document's pages a part at a time (those the sink
/// already holds under the same key are not rendered again), then the pages that list or
/// count documents.
pub(super) fn render_all<S: Sink>(
    env: &Environment<'static>,
    input: &SiteInput<'_>,
    sink: &mut S,
) -> Result<(), S::Error> {
    let by_id = input
        .docs
        .iter()
        .map(|p| (p.doc.common.id.as_str(), *p))
        .collect();
    let (short_title, title_lead) = super::short_title(input.title);
    let site = SiteCtx {
        title: input.title.to_owned(),
        short_title: short_title.to_owned(),
        title_lead: title_lead.to_owned(),
        root: "/",
        commit_short: input.commit.chars().take(7).collect(),
        ceiling: input.ceiling.to_string(),
        preview: input.preview.as_deref().map(PreviewCtx::new),
    };
    let mut ctx = Ctx {
        env,
        input,
        site,
        by_id,
        items: HashMap::new(),
        global: String::new(),
        known: sink.known(),
        kept: std::sync::Mutex::new(Vec::new()),
        rendered: std::sync::Mutex::new(Vec::new()),
    };
    ctx.global = global_key(&ctx);
    ctx.items = {
        use rayon::prelude::*;
        input
            .docs
            .par_iter()
            .map(|p| (p.doc.common.id.as_str(), make_list_item(&ctx, p)))
            .collect()
    };
    let targets: Vec<Targets> = {
        use rayon::prelude::*;
        input
            .docs
            .par_iter()
            .map(|p| body_targets(&ctx, p))
            .collect()
    };
    let backlinks = backlinks(&ctx, &targets);
    let mut paths = std::collections::BTreeSet::new();
    document_pages(&ctx, &targets, &backlinks, sink, &mut paths)?;
    let mut out = others(&ctx)?;
    // A page kept must still be on disk as the build in place wrote it; should one not be
    // (removed by hand), every such page is rendered again.
    let kept = std::mem::take(&mut *ctx.kept.lock().map_err(|_| poisoned())?);
    if !kept
        .iter()
        .all(|(path, key)| sink.keep(path, key, std::slice::from_ref(path)))
    {
        ctx.known.clear();
        ctx.rendered.lock().map_err(|_| poisoned())?.clear();
        out = others(&ctx)?;
    }
    paths.extend(kept.into_iter().map(|(path, _)| path));
    paths.extend(out.keys().cloned());
    let map = sitemap(&ctx, &paths)?;
    out.insert("sitemap.xml".into(), map);
    redact_site(&mut out, input.withheld);
    let keys = std::mem::take(&mut *ctx.rendered.lock().map_err(|_| poisoned())?);
    sink.put(&out, &keys)
}

fn poisoned() -> RenderError {
    RenderError::Template {
        name: "(pages)".into(),
        line: 0,
        message: "a rendering thread failed".into(),
    }
}

/// The pages that list or count documents, and the site's fixed pages.
fn others(ctx: &Ctx<'_>) -> Result<Site, RenderError> {
    let mut out = Site::new();
    lists(ctx, &mut out)?;
    browse(ctx, &mut out)?;
    out.insert("powers/index.html".into(), matrix(ctx)?);
    power_pages(ctx, &mut out)?;
    register(ctx, &mut out)?;
    out.insert("recommendations/index.html".into(), tracker(ctx)?);
    statistics(ctx, &mut out)?;
    whats_new(ctx, &mut out)?;
    learning::briefings(ctx, &mut out)?;
    out.insert("index.html".into(), home(ctx)?);
    out.insert(
        "404.html".into(),
        ctx.render("404.html", Marking::Official, context! {})?,
    );
    out.insert(
        "search.html".into(),
        ctx.render("search.html", Marking::Official, context! {})?,
    );
    if let Some(problems) = &ctx.input.preview {
        left_out_pages(ctx, problems, &mut out)?;
    }
    Ok(out)
}

/// Documents whose pages are rendered together: enough to use every core, few enough that
/// the pages held at once stay small whatever the size of the knowledge base.
const PART: usize = 512;

/// Each document's three files (its page, its history page, its JSON), rendered on every core
/// a part at a time and handed to `sink`, unless the sink holds them under the same key;
/// every path is added to `paths`.
fn document_pages<S: Sink>(
    ctx: &Ctx<'_>,
    targets: &[Targets],
    backlinks: &HashMap<&str, Vec<Link>>,
    sink: &mut S,
    paths: &mut std::collections::BTreeSet<String>,
) -> Result<(), S::Error> {
    use rayon::prelude::*;
    let global = &ctx.global;
    let docs = &ctx.input.docs;
    let keys: Vec<String> = docs
        .par_iter()
        .zip(targets)
        .map(|(p, body)| {
            page_key(
                ctx,
                global,
                p,
                body,
                backlinks.get(p.doc.common.id.as_str()),
            )
        })
        .collect();
    let mut todo = Vec::new();
    for (i, p) in docs.iter().enumerate() {
        let files = document_files(p.doc);
        if !sink.keep(&p.doc.common.id, &keys[i], &files) {
            todo.push(i);
        }
        paths.extend(files);
    }
    for part in todo.chunks(PART) {
        let pages: Vec<[(String, Vec<u8>); 3]> = part
            .par_iter()
            .map(|&i| {
                let p = &docs[i];
                let [page, history, json] = document_files(p.doc);
                let backlinks = backlinks.get(p.doc.common.id.as_str());
                Ok([
                    (page, document_page(ctx, p, backlinks)?),
                    (history, history_page(ctx, p)?),
                    (json, document_json(ctx, p)),
                ])
            })
            .collect::<Result<_, RenderError>>()?;
        let mut site: Site = pages.into_iter().flatten().collect();
        redact_site(&mut site, ctx.input.withheld);
        let part_keys: Vec<(String, String)> = part
            .iter()
            .map(|&i| (docs[i].doc.common.id.clone(), keys[i].clone()))
            .collect();
        sink.put(&site, &part_keys)?;
    }
    Ok(())
}

/// The three files of a document: its page, its history page and its JSON.
fn document_files(d: &Document) -> [String; 3] {
    let base = format!("{}/{}/", d.common.kind.folder(), d.common.id);
    [
        format!("{base}index.html"),
        format!("{base}history/index.html"),
        format!("{base}document.json"),
    ]
}

/// What every document's pages show whatever the document: the templates, the vocabulary,
/// the documents the edition leaves out and Casebook's version (`SiteInput::fingerprint`),
/// the site's frame (title, ceiling, a preview's findings), its address and the build date.
fn global_key(ctx: &Ctx<'_>) -> String {
    #[derive(Serialize)]
    struct Frame<'a> {
        fingerprint: &'a str,
        title: &'a str,
        ceiling: &'a str,
        preview: Option<&'a PreviewCtx>,
        base_url: &'a str,
        today: String,
        /// The commit, only for templates of the content repository that may show it (the
        /// built-in ones do not, so a commit need not render every page again).
        commit: Option<&'a str>,
    }
    let frame = Frame {
        fingerprint: &ctx.input.fingerprint,
        title: &ctx.site.title,
        ceiling: &ctx.site.ceiling,
        preview: ctx.site.preview.as_ref(),
        base_url: ctx.input.base_url,
        today: ctx.input.today.to_string(),
        commit: ctx
            .input
            .overrides
            .iter()
            .any(|(_, source)| source.contains("commit"))
            .then_some(ctx.input.commit),
    };
    serde_json::to_string(&frame).unwrap_or_default()
}

/// The key of everything a document's pages show: the global part, the document as the
/// edition shows it (`PageDoc::key`), the titles of the documents it names, where its body's
/// links lead, its backlinks, successors, similar documents and history. Pages rendered under
/// an equal key are equal.
fn page_key(
    ctx: &Ctx<'_>,
    global: &str,
    p: &PageDoc<'_>,
    targets: &Targets,
    backlinks: Option<&Vec<Link>>,
) -> String {
    #[derive(Serialize)]
    struct Shown<'a> {
        global: &'a str,
        doc: &'a str,
        named: Vec<(&'a str, Option<Link>)>,
        targets: &'a Targets,
        backlinks: Option<&'a Vec<Link>>,
        successors: Vec<Link>,
        similar: Option<&'a Vec<Link>>,
        history: Option<&'a crate::render::DocHistory>,
        /// How the edition shows the documents named in the other documents' texts the
        /// pages carry (titles, commit messages): what the last guard redacts.
        withheld: String,
    }
    let d = p.doc;
    let mut shown = Shown {
        global,
        doc: p.key,
        named: named_ids(d)
            .into_iter()
            .map(|id| (id, ctx.link(id)))
            .collect(),
        targets,
        backlinks,
        successors: if d.common.status == crate::model::Status::Superseded {
            successors(ctx, d)
        } else {
            Vec::new()
        },
        similar: ctx.input.similar.get(&d.common.id),
        history: ctx.input.history.get(&d.common.id),
        withheld: String::new(),
    };
    let titles = shown
        .named
        .iter()
        .filter_map(|(_, l)| l.as_ref())
        .chain(shown.backlinks.into_iter().flatten())
        .chain(&shown.successors)
        .chain(shown.similar.into_iter().flatten())
        .map(|l| l.title.as_str());
    let history = shown
        .history
        .into_iter()
        .flat_map(|h| &h.commits)
        .flat_map(|c| [c.author.as_str(), c.message.as_str()]);
    shown.withheld = ctx.input.withheld.verdicts(titles.chain(history));
    key_of(&serde_json::to_vec(&shown).unwrap_or_default())
}

/// A 128-bit hash of `bytes` as hex (two SipHash lanes), for page keys: equal inputs give equal
/// keys within one build of Casebook, whose identity is part of every key.
fn key_of(bytes: &[u8]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let lane = |seed: u8| {
        let mut h = DefaultHasher::new();
        seed.hash(&mut h);
        bytes.hash(&mut h);
        h.finish()
    };
    format!("{:016x}{:016x}", lane(1), lane(2))
}

/// A preview's answer at the address of a document its errors leave out: the document's
/// problems, rather than "Page not found" (the contributor opened the page to see it).
fn left_out_pages(
    ctx: &Ctx<'_>,
    problems: &[crate::render::Problem],
    out: &mut Site,
) -> Result<(), RenderError> {
    let mut by_doc: std::collections::BTreeMap<(&str, &str), Vec<&crate::render::Problem>> =
        std::collections::BTreeMap::new();
    for p in problems {
        if let Some(id) = p.doc_id.as_deref() {
            by_doc.entry((id, p.path.as_str())).or_default().push(p);
        }
    }
    for ((id, path), found) in by_doc {
        let errors = found.iter().filter(|p| p.severity == "error").count();
        let Some(kind) = crate::model::document::kind_of_id(id) else {
            continue;
        };
        if errors == 0 || ctx.by_id.contains_key(id) {
            continue;
        }
        let page = ctx.render(
            "left-out.html",
            Marking::Official,
            context! {
                id, path, errors,
                warnings => found.len() - errors,
                problems => Serde(&found),
            },
        )?;
        out.insert(format!("{}/{id}/index.html", kind.folder()), page);
    }
    Ok(())
}

/// The last guard of an edition: an id of a document it leaves out that reached a file in
/// text the documents carry (a title, a recommendation, a commit message, a CSV cell) is
/// replaced there by the words that stand for it, as references and bodies already are.
fn redact_site(site: &mut Site, withheld: &crate::model::Withheld) {
    use rayon::prelude::*;
    site.par_iter_mut().for_each(|(_, bytes)| {
        if let Ok(text) = std::str::from_utf8(bytes)
            && let std::borrow::Cow::Owned(redacted) = withheld.redact(text)
        {
            *bytes = redacted.into_bytes();
        }
    });
}

#[derive(Clone, Serialize)]
struct ListItem {
    id: String,
    title: String,
    url: String,
    date: String,
    marking: String,
    summary: String,
}

/// The date a document is listed under, as shown.
fn date_of(d: &Document) -> String {
    d.date_text()
}

fn list_item(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> ListItem {
    match ctx.items.get(p.doc.common.id.as_str()) {
        Some(item) => item.clone(),
        None => make_list_item(ctx, p),
    }
}

fn make_list_item(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> ListItem {
    let d = p.doc;
    let mut summary = markdown::section_text(p.body, "Summary").unwrap_or_default();
    // Before it is cut: a cut may leave part of an id no later pass would recognise.
    summary = ctx.input.withheld.redact(&summary).into_owned();
    if summary.chars().count() > 240 {
        summary = summary.chars().take(240).collect::<String>() + "…";
    }
    ListItem {
        id: d.common.id.clone(),
        title: d.common.title.clone(),
        url: d.url(),
        date: date_of(d),
        marking: d.common.marking.to_string(),
        summary,
    }
}

/// How a list of documents is ordered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListOrder {
    /// Newest first, then by id.
    Newest,
    /// By the title shown, A to Z (`words::by_name`).
    ByName,
}

fn list_page<'a>(
    ctx: &Ctx<'_>,
    path: &str,
    heading: &str,
    intro: &str,
    docs: impl Iterator<Item = &'a PageDoc<'a>>,
    order: ListOrder,
) -> Result<Option<Vec<u8>>, RenderError> {
    list_page_as(
        ctx,
        path,
        "list.html",
        (heading, intro),
        docs,
        order,
        context! {},
    )
}

/// A list of documents rendered with `template` (which extends `list.html`) and `extra`.
fn list_page_as<'a>(
    ctx: &Ctx<'_>,
    path: &str,
    template: &str,
    (heading, intro): (&str, &str),
    docs: impl Iterator<Item = &'a PageDoc<'a>>,
    order: ListOrder,
    extra: Value,
) -> Result<Option<Vec<u8>>, RenderError> {
    let mut docs: Vec<&PageDoc<'_>> = docs.collect();
    match order {
        ListOrder::Newest => docs.sort_by(|a, b| {
            b.doc
                .date()
                .cmp(&a.doc.date())
                .then(a.doc.common.id.cmp(&b.doc.common.id))
        }),
        ListOrder::ByName => docs
            .sort_by(|a, b| crate::model::words::by_name(&a.doc.common.title, &b.doc.common.title)),
    }
    let marking = ctx.marking_of(docs.iter().map(|p| p.doc));
    let items: Vec<ListItem> = docs.iter().map(|p| list_item(ctx, p)).collect();
    ctx.render_at(
        path,
        template,
        marking,
        context! { heading, intro, items => Serde(&items), ..extra },
    )
}

#[derive(Serialize)]
struct Figure {
    value: String,
    label: String,
}
