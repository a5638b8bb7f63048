//! Files to send: the seven-minute briefing and the periodic report typeset as A4 PDFs from
//! the same data as their pages (the briefing's `briefing.json`, the report's `Report`), by the
//! PDF engine (`crate::pdf`). The layouts are Typst files compiled into the binary; the data
//! reaches them only as `data.json`, so no document's text is ever read as markup.

use crate::error::{Error, Result};

/// The layout of the briefing.
#[cfg(feature = "pdf")]
const BRIEFING: &str = include_str!("briefing.typ");

/// The layout of the periodic report.
#[cfg(feature = "pdf")]
const REPORT: &str = include_str!("report.typ");

/// The briefing whose data is `data` (a theme's `briefing.json`) as a PDF dated `today`.
pub(crate) fn briefing_pdf(data: &serde_json::Value, today: crate::model::Date) -> Result<Vec<u8>> {
    typeset("briefing", data, today)
}

/// The periodic report as a PDF dated `today`.
pub(crate) fn report_pdf(
    report: &crate::report::Report,
    today: crate::model::Date,
) -> Result<Vec<u8>> {
    let data = serde_json::to_value(report).map_err(|e| Error::Typeset {
        what: "report",
        message: e.to_string(),
    })?;
    typeset("report", &data, today)
}

#[cfg(feature = "pdf")]
fn typeset(
    what: &'static str,
    data: &serde_json::Value,
    today: crate::model::Date,
) -> Result<Vec<u8>> {
    let layout = if what == "briefing" { BRIEFING } else { REPORT };
    let date = chrono::NaiveDate::from_ymd_opt(today.year(), today.month().month, today.day())
        .unwrap_or_default();
    crate::pdf::render_dated(layout, data, date).map_err(|e| Error::Typeset {
        what,
        message: e.to_string(),
    })
}

#[cfg(not(feature = "pdf"))]
fn typeset(what: &'static str, _: &serde_json::Value, _: crate::model::Date) -> Result<Vec<u8>> {
    Err(Error::NoPdfEngine(what))
}
