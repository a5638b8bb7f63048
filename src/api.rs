//! The JSON Casebook answers searches with, the same from `/api/search` and from
//! `casebook search --format json`: the index's response, with each hit's snippet also given as
//! `snippet_html` (HTML-escaped text, the matches in `<mark>`).

use serde_json::Value;

use crate::index::{Hit, SearchResponse};
use crate::render::snippet_html;

/// The search response as JSON.
pub(crate) fn search_json(response: &SearchResponse) -> Value {
    let mut value = serde_json::to_value(response).unwrap_or(Value::Null);
    for (key, hits) in [
        ("hits", &response.hits),
        ("partial_hits", &response.partial_hits),
    ] {
        if let Some(list) = value.get_mut(key).and_then(Value::as_array_mut) {
            for (json, hit) in list.iter_mut().zip(hits) {
                if let Some(obj) = json.as_object_mut() {
                    obj.insert("snippet_html".to_owned(), Value::String(hit_html(hit)));
                }
            }
        }
    }
    value
}

/// A hit's snippet as HTML.
pub(crate) fn hit_html(hit: &Hit) -> String {
    snippet_html(&hit.snippet.text, &hit.snippet.highlights)
}
