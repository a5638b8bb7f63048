//! The typed knowledge base: documents, vocabularies and every validation rule of SCHEMA.md.
//!
//! Pure: no file, git or terminal I/O. Validation takes what the loader parsed (`ParsedFile`)
//! and returns typed `Document`s plus `Diagnostic`s; it never panics on any input.

pub(crate) mod agency_powers;
pub(crate) mod case_review;
pub(crate) mod corpus;
pub(crate) mod countries;
pub(crate) mod date;
pub(crate) mod document;
pub mod enums;
pub(crate) mod facet;
pub(crate) mod lint;
pub(crate) mod order_record;
pub(crate) mod raw;
pub(crate) mod similar;
pub(crate) mod source;
pub(crate) mod stats;
pub(crate) mod validate;
pub(crate) mod vocab;
pub(crate) mod withheld;
pub(crate) mod words;

pub use corpus::Corpus;
pub use date::{Date, Month};
pub use document::{Document, KindData};
pub use enums::{Kind, Marking, Status};
pub use facet::FacetName;
pub use source::{ParsedFile, SourceFile, Span, Spans, declared_id, is_placeholder};
pub use vocab::{VocabName, Vocabulary};
pub use withheld::Withheld;

use crate::diagnostic::Diagnostic;
use document::RawCommon;
use raw::RawDocument;
use validate::Ctx;

macro_rules! common_of {
    ($r:expr) => {
        RawCommon {
            id: &$r.id,
            kind: &$r.kind,
            title: &$r.title,
            marking: &$r.marking,
            handling: &$r.handling,
            status: &$r.status,
            owner: &$r.owner,
            last_reviewed: &$r.last_reviewed,
            review_due: &$r.review_due,
            tags: &$r.tags,
            related: &$r.related,
            fictional: &$r.fictional,
            lint_allow: &$r.lint_allow,
        }
    };
}

/// Validates one parsed file's front matter. Returns the typed document when it has no
/// errors, and every diagnostic found (warnings included).
pub fn validate(
    file: &ParsedFile,
    vocab: &Vocabulary,
    today: Date,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(&file.path, &file.spans, vocab, today);
    let (common, data) = match &file.raw {
        RawDocument::CaseReview(r) => {
            let common = document::validate_common(&mut ctx, &common_of!(r), file.folder_kind);
            let data =
                case_review::validate(&mut ctx, r).map(|d| KindData::CaseReview(Box::new(d)));
            (common, data)
        }
        RawDocument::OrderRecord(r) => {
            let common = document::validate_common(&mut ctx, &common_of!(r), file.folder_kind);
            let data =
                order_record::validate(&mut ctx, r).map(|d| KindData::OrderRecord(Box::new(d)));
            (common, data)
        }
        RawDocument::AgencyPowers(r) => {
            let common = document::validate_common(&mut ctx, &common_of!(r), file.folder_kind);
            let data =
                agency_powers::validate(&mut ctx, r).map(|d| KindData::AgencyPowers(Box::new(d)));
            (common, data)
        }
    };
    let has_errors = ctx.diagnostics.iter().any(Diagnostic::is_error);
    let document = match (common, data, has_errors) {
        (Some(common), Some(data), false) => Some(Document {
            path: file.path.clone(),
            common,
            data,
            body_offset: file.body_offset,
            body_line: file.body_line,
        }),
        _ => None,
    };
    (document, ctx.diagnostics)
}
