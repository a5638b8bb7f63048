//! Query-string parameters of `/search` and `/api/search`, checked before any search runs:
//! anything malformed is a 400 with a plain message, never a 5xx.

use std::collections::BTreeMap;

use crate::index::{self, FacetName, SearchRequest, Sort};

/// Hits per page unless `per_page` says otherwise.
pub(super) const PER_PAGE: usize = 20;

/// A parsed search, and the active filters as (parameter, value) for links and forms.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) request: SearchRequest,
    pub(super) active: Vec<(String, String)>,
}

fn number<T: std::str::FromStr + PartialOrd>(
    name: &str,
    value: &str,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, String> {
    value
        .parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| format!("`{name}` must be a whole number in its allowed range"))
}

/// Every parameter a search takes.
const PARAMETERS: &str = "q, kind, area, exploitation, agency, theme, grade, outcome, power, from, to, sort, page, per_page, exact";

/// Parses a raw query string.
pub(super) fn parse(raw: Option<&str>) -> Result<Parsed, String> {
    let mut request = SearchRequest {
        page: 1,
        per_page: PER_PAGE,
        ..SearchRequest::default()
    };
    let mut filters: BTreeMap<FacetName, Vec<String>> = BTreeMap::new();
    let mut active = Vec::new();
    let mut seen_q = false;
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let (name, value) = (name.into_owned(), value.into_owned());
        // An empty year, page or order is what a form sends for a box left blank: absent.
        if value.is_empty() && matches!(name.as_str(), "from" | "to" | "page" | "per_page" | "sort")
        {
            continue;
        }
        // Campaign tracking added by mail and intranet links says nothing about the search.
        if name.starts_with("utm_") {
            continue;
        }
        match name.as_str() {
            "q" => {
                if seen_q {
                    return Err("`q` is given more than once".into());
                }
                seen_q = true;
                if value.len() > index::MAX_QUERY_BYTES {
                    return Err(format!(
                        "`q` is longer than {} bytes",
                        index::MAX_QUERY_BYTES
                    ));
                }
                if index::query_depth(&value) > index::MAX_DEPTH {
                    return Err(format!(
                        "`q` nests brackets more than {} deep",
                        index::MAX_DEPTH
                    ));
                }
                request.q = value;
            }
            "from" => request.from = Some(number("from", &value, 1900..=2100)?),
            "to" => request.to = Some(number("to", &value, 1900..=2100)?),
            "page" => request.page = number("page", &value, 1..=1000)?,
            "per_page" => request.per_page = number("per_page", &value, 1..=100)?,
            "exact" => {
                request.exact = match value.as_str() {
                    "1" | "true" | "" => true,
                    "0" | "false" => false,
                    _ => return Err("`exact` must be `1` or `0`".into()),
                };
            }
            "sort" => {
                request.sort = match value.as_str() {
                    "relevance" | "" => Sort::Relevance,
                    "newest" => Sort::Newest,
                    _ => return Err("`sort` must be `relevance` or `newest`".into()),
                }
            }
            other => {
                let Some(f) = FacetName::from_key(other) else {
                    // The name is not repeated back: error bodies never echo what was sent.
                    return Err(format!(
                        "unknown parameter; the parameters are {PARAMETERS}"
                    ));
                };
                if value.len() > 64 || value.is_empty() {
                    return Err(format!("`{other}` must be a code of 1 to 64 characters"));
                }
                let values = filters.entry(f).or_default();
                if values.len() >= 30 {
                    return Err(format!("too many `{other}` values"));
                }
                if !values.contains(&value) {
                    values.push(value.clone());
                    active.push((name.clone(), value));
                }
            }
        }
    }
    request.filters = filters;
    // Years and order are kept by links and the query box, like the facets.
    for (name, value) in [("from", request.from), ("to", request.to)] {
        if let Some(y) = value {
            active.push((name.to_owned(), y.to_string()));
        }
    }
    if request.sort == Sort::Newest {
        active.push(("sort".to_owned(), "newest".to_owned()));
    }
    Ok(Parsed { request, active })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_parameters_become_a_request() {
        let p = parse(Some(
            "q=interpreters&area=portsmouth&area=southampton&from=2020&sort=newest&page=2",
        ))
        .unwrap();
        assert_eq!(p.request.q, "interpreters");
        assert_eq!(
            p.request.filters[&FacetName::Area],
            vec!["portsmouth", "southampton"]
        );
        assert_eq!(
            (p.request.from, p.request.page, p.request.sort),
            (Some(2020), 2, Sort::Newest)
        );
        assert_eq!(
            p.active,
            [
                ("area", "portsmouth"),
                ("area", "southampton"),
                ("from", "2020"),
                ("sort", "newest")
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        // What the filter form sends with its year boxes left empty.
        let blank = parse(Some("q=x&area=portsmouth&from=&to=&sort=relevance")).unwrap();
        assert_eq!((blank.request.from, blank.request.to), (None, None));
        assert_eq!(blank.active.len(), 1);
        assert_eq!(parse(None).unwrap().request.q, "");
    }

    #[test]
    fn bad_parameters_are_plain_errors() {
        for (raw, message) in [
            ("q=a&q=b", "`q` is given more than once"),
            (
                "page=-1",
                "`page` must be a whole number in its allowed range",
            ),
            (
                "limit=10000000",
                "unknown parameter; the parameters are q, kind, area, exploitation, agency, \
                 theme, grade, outcome, power, from, to, sort, page, per_page, exact",
            ),
            ("sort=best", "`sort` must be `relevance` or `newest`"),
            ("exact=maybe", "`exact` must be `1` or `0`"),
            (
                "from=abc",
                "`from` must be a whole number in its allowed range",
            ),
        ] {
            assert_eq!(parse(Some(raw)).err().as_deref(), Some(message), "{raw}");
        }
        let long = format!("q={}", "x".repeat(300));
        assert!(parse(Some(&long)).unwrap_err().contains("longer than 256"));
        let deep = format!("q={}", "(".repeat(40));
        assert!(parse(Some(&deep)).unwrap_err().contains("nests brackets"));
        assert_eq!(parse(Some("q=%ff")).unwrap().request.q, "\u{fffd}");
        assert!(parse(Some("q=traffiking&exact=1")).unwrap().request.exact);
        assert!(!parse(Some("q=traffiking")).unwrap().request.exact);
    }
}
