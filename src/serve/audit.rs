//! The audit trail: one JSON line per search and per document view, saying who (the identity
//! header, when the server requires one), when (UTC), what was asked and which documents were
//! returned or viewed, with their markings. Nothing of a document's text is logged.
//!
//! Every value is escaped by the JSON encoder (a newline or an ANSI escape in a query cannot
//! start a line of its own or drive a terminal); the controls and separators JSON leaves alone
//! (DEL, C1, U+2028/9) and invisible direction and width characters are replaced; long values
//! are cut to `MAX_VALUE` characters.

use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::{Current, Identity};
use crate::index::{SearchRequest, SearchResponse};

/// Characters kept of any one logged value.
const MAX_VALUE: usize = 200;

/// Where audit lines go.
#[derive(Clone, Debug, Default)]
pub enum AuditLog {
    /// The server's log (`tracing`, target `casebook::audit`: standard error by default).
    #[default]
    Stderr,
    /// Kept in memory, for a caller that ships the lines itself (and for tests).
    Memory(Arc<Mutex<Vec<String>>>),
}

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    event: &'a str,
    user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    filters: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<usize>,
    ids: Vec<String>,
    markings: Vec<String>,
    commit: &'a str,
}

/// A logged value: invisible formatting characters replaced, cut to `MAX_VALUE` characters.
fn clean(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| match c {
            // Left to the JSON encoder, which escapes them: `\n`, `\u001b`…
            '\u{0}'..='\u{1F}' => c,
            // Not escaped by JSON, but line breaks or terminal controls to some readers: DEL
            // and the C1 controls, the Unicode line and paragraph separators, and invisible
            // direction and width marks.
            '\u{7F}'..='\u{9F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c => c,
        })
        .take(MAX_VALUE)
        .collect();
    if value.chars().nth(MAX_VALUE).is_some() {
        out.push('…');
    }
    out
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl AuditLog {
    fn write(&self, line: &Line<'_>) {
        let Ok(json) = serde_json::to_string(line) else {
            return;
        };
        match self {
            AuditLog::Stderr => tracing::info!(target: super::log::AUDIT, "{json}"),
            AuditLog::Memory(lines) => lines.lock().unwrap_or_else(|e| e.into_inner()).push(json),
        }
    }

    /// Logs a search and every document the response shows (hits, partial matches, the
    /// documents replacing a superseded hit, the answer box's agency notes), each with its
    /// marking.
    pub(super) fn search(
        &self,
        user: Option<&Identity>,
        route: &str,
        request: &SearchRequest,
        response: &SearchResponse,
        current: &Current,
    ) {
        let shown: Vec<(&str, String)> = response
            .shown()
            .into_iter()
            .map(|(id, marking)| {
                let marking = marking
                    .map(str::to_owned)
                    .or_else(|| current.markings.get(id).cloned())
                    .unwrap_or_default();
                (id, marking)
            })
            .collect();
        let filters = request
            .filters
            .iter()
            .flat_map(|(facet, values)| {
                values
                    .iter()
                    .map(move |v| clean(&format!("{}:{v}", facet.key())))
            })
            .chain(request.from.map(|y| format!("from:{y}")))
            .chain(request.to.map(|y| format!("to:{y}")))
            .collect();
        self.write(&Line {
            time: now(),
            event: "search",
            user: user.map(|u| clean(&u.0)),
            route: Some(route),
            query: Some(clean(&request.q)),
            filters,
            total: Some(response.total),
            ids: shown.iter().map(|(id, _)| (*id).to_owned()).collect(),
            markings: shown.iter().map(|(_, m)| m.clone()).collect(),
            commit: &current.commit,
        });
    }

    /// Logs a view of a document's page or its JSON.
    pub(super) fn view(&self, user: Option<&Identity>, id: &str, current: &Current) {
        self.write(&Line {
            time: now(),
            event: "view",
            user: user.map(|u| clean(&u.0)),
            route: None,
            query: None,
            filters: Vec::new(),
            total: None,
            ids: vec![clean(id)],
            markings: current.markings.get(id).cloned().into_iter().collect(),
            commit: &current.commit,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_and_invisible_characters_replaced() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("a\u{202E}b"), "a\u{FFFD}b");
        for c in ['\u{7F}', '\u{85}', '\u{9B}', '\u{2028}', '\u{2029}'] {
            assert_eq!(clean(&format!("a{c}b")), "a\u{FFFD}b", "{:?}", c);
        }
        assert_eq!(clean("a\nb"), "a\nb", "left for the JSON encoder to escape");
        let long = clean(&"x".repeat(10_000));
        assert_eq!(long.chars().count(), MAX_VALUE + 1);
        assert!(long.ends_with('…'));
    }
}
