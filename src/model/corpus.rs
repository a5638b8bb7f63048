//! The knowledge base as a whole: the validated documents and the rules that relate documents
//! to each other (unique ids, cross-references, reciprocal order links).

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Code, Diagnostic, one_line};

use super::document::{Document, kind_of_id};
use super::enums::Kind;
use super::raw::RawDocument;
use super::source::ParsedFile;
use super::vocab::Vocabulary;

/// Every validated document and the vocabularies they were checked against.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Documents without errors, sorted by id.
    pub documents: Vec<Document>,
    /// Built-in plus repository vocabularies.
    pub vocabulary: Vocabulary,
}

impl Corpus {
    /// The document with this id.
    pub fn get(&self, id: &str) -> Option<&Document> {
        self.documents
            .binary_search_by(|d| d.common.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.documents[i])
    }
}

/// What cross-checking needs from one file, taken from its front matter as written (so a
/// document with a field error still counts as existing and does not cause a cascade).
struct Links<'f> {
    file: &'f ParsedFile,
    id: Option<&'f str>,
    related: &'f [String],
    orders: &'f [String],
    case_review: Option<&'f str>,
    /// An order's type, main application and subject key, as written.
    order: Option<(Option<&'f str>, Option<&'f str>, Option<&'f str>)>,
}

fn links(file: &ParsedFile) -> Links<'_> {
    let (id, related) = match &file.raw {
        RawDocument::CaseReview(r) => (&r.id, &r.related),
        RawDocument::OrderRecord(r) => (&r.id, &r.related),
        RawDocument::AgencyPowers(r) => (&r.id, &r.related),
    };
    let (orders, case_review) = match &file.raw {
        RawDocument::CaseReview(r) => (r.orders.as_deref().unwrap_or(&[]), None),
        RawDocument::OrderRecord(r) => (&[][..], r.case_review.as_deref()),
        RawDocument::AgencyPowers(_) => (&[][..], None),
    };
    let order = match &file.raw {
        RawDocument::OrderRecord(r) => Some((
            r.order_type.as_deref(),
            r.application.as_deref(),
            r.subject.as_ref().and_then(|s| s.key.as_deref()),
        )),
        _ => None,
    };
    Links {
        file,
        id: id.as_deref(),
        related: related.as_deref().unwrap_or(&[]),
        orders,
        case_review,
        order,
    }
}

/// Checks the rules between documents. `files` is every file that parsed, in path order;
/// `unreadable` holds the ids (taken from file names) of documents whose front matter could
/// not be read, so that references to them are not reported as well.
pub(crate) fn cross_check(files: &[ParsedFile], unreadable: &[(String, Kind)]) -> Vec<Diagnostic> {
    let all: Vec<Links<'_>> = files.iter().map(links).collect();
    let mut diags = Vec::new();
    let mut by_id: BTreeMap<&str, &Links<'_>> = BTreeMap::new();
    for l in &all {
        let Some(id) = l.id else { continue };
        if let Some(first) = by_id.get(id) {
            let message = format!(
                "id `{}` is already used by `{}`",
                one_line(id),
                first.file.path
            );
            let hint = "every document needs its own id: take the next free number".to_owned();
            diags.push(at(l.file, "id", Code::DuplicateId, message).hint(hint));
        } else {
            by_id.insert(id, l);
        }
    }
    let mut ids: HashMap<&str, Kind> = by_id
        .iter()
        .map(|(id, l)| (*id, l.file.folder_kind))
        .collect();
    for (id, kind) in unreadable {
        ids.entry(id.as_str()).or_insert(*kind);
    }
    for l in &all {
        for (i, target) in l.related.iter().enumerate() {
            check_ref(
                &mut diags,
                &ids,
                l.file,
                &format!("related[{i}]"),
                target,
                None,
            );
        }
        for (i, target) in l.orders.iter().enumerate() {
            let field = format!("orders[{i}]");
            if check_ref(
                &mut diags,
                &ids,
                l.file,
                &field,
                target,
                Some(Kind::OrderRecord),
            ) {
                let back = by_id.get(target.as_str()).map(|o| o.case_review);
                if back.is_some_and(|b| b != l.id) {
                    let target = one_line(target);
                    let message = format!(
                        "order `{target}` does not name this review back in its `case_review`"
                    );
                    let hint = format!(
                        "set `case_review: {}` in `{target}`",
                        l.id.map_or("this review".to_owned(), one_line)
                    );
                    diags.push(at(l.file, &field, Code::NonReciprocalOrder, message).hint(hint));
                }
            }
        }
        if let Some(review) = l.case_review
            && check_ref(
                &mut diags,
                &ids,
                l.file,
                "case_review",
                review,
                Some(Kind::CaseReview),
            )
        {
            let listed = by_id
                .get(review)
                .is_none_or(|r| l.id.is_some_and(|id| r.orders.iter().any(|o| o == id)));
            if !listed {
                let review = one_line(review);
                let message = format!("review `{review}` does not list this order in its `orders`");
                let hint = format!(
                    "add `{}` to `orders` in `{review}`",
                    l.id.map_or("this order".to_owned(), one_line)
                );
                diags.push(at(l.file, "case_review", Code::NonReciprocalOrder, message).hint(hint));
            }
        }
        if let Some((_, Some(main), _)) = l.order
            && check_ref(
                &mut diags,
                &ids,
                l.file,
                "application",
                main,
                Some(Kind::OrderRecord),
            )
        {
            diags.extend(main_application(l, by_id.get(main).copied()));
        }
    }
    diags
}

/// The main application an interim order names is a full order of the same family (an
/// interim STPO is made pending an STPO application, s21; an interim STRO pending an STRO
/// application, s28), about the same subject when both records give a key.
fn main_application(interim: &Links<'_>, main: Option<&Links<'_>>) -> Option<Diagnostic> {
    use super::enums::{Closed, OrderType};
    let (Some((own_type, Some(id), own_key)), Some(main)) = (interim.order, main) else {
        return None;
    };
    let (main_type, _, main_key) = main.order?;
    let own = own_type.and_then(OrderType::from_code)?;
    let theirs = main_type.and_then(OrderType::from_code)?;
    let words = |t: OrderType| t.label().replace("Interim", "interim");
    let id = one_line(id);
    let problem = if theirs.is_interim() || theirs.family() != own.family() {
        format!(
            "`application` is `{id}`, an {} record; an {} is made pending an application for an {}",
            words(theirs),
            words(own),
            words(own.family())
        )
    } else if let (Some(a), Some(b)) = (own_key, main_key)
        && a != b
    {
        format!(
            "`application` is `{id}`, about subject `{}`, but this order is about `{}`",
            one_line(b),
            one_line(a)
        )
    } else {
        return None;
    };
    let hint =
        "name the record of the main application this interim order was made pending (s21, s28)";
    Some(
        at(
            interim.file,
            "application",
            Code::InterimApplication,
            problem,
        )
        .hint(hint),
    )
}

/// Checks one reference; true when it names an existing document of the expected kind.
fn check_ref(
    diags: &mut Vec<Diagnostic>,
    ids: &HashMap<&str, Kind>,
    file: &ParsedFile,
    field: &str,
    target: &str,
    expected: Option<Kind>,
) -> bool {
    match (ids.get(target), expected) {
        (Some(kind), Some(want)) if *kind != want => {
            let message = format!(
                "`{field}` is `{}`, which is a {kind} document, not a {want} document",
                one_line(target)
            );
            diags.push(at(file, field, Code::UnknownReference, message));
            false
        }
        (Some(_), _) => true,
        (None, _) => {
            let message = format!(
                "`{field}` is `{}`, which is not a document in the knowledge base",
                one_line(target)
            );
            let candidates = ids
                .iter()
                .filter(|(_, k)| expected.is_none_or(|w| **k == w))
                .map(|(id, _)| *id);
            let hint = match crate::model::vocab::nearest_within(target, candidates, 1) {
                Some(n) => format!("did you mean `{n}`?"),
                None if kind_of_id(target).is_none() => {
                    "references are document ids such as CR-2024-007, ORD-2020-001 or AG-GLAA"
                        .to_owned()
                }
                None => "check the id, or add the document it refers to".to_owned(),
            };
            diags.push(at(file, field, Code::UnknownReference, message).hint(hint));
            false
        }
    }
}

fn at(file: &ParsedFile, field: &str, code: Code, message: String) -> Diagnostic {
    let span = file.spans.locate(field);
    Diagnostic::at_file(code, &file.path, message)
        .at(span.line, span.column, span.len)
        .field(field)
}
