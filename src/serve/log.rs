//! The server's log, through `tracing`: one line per event on standard error, as operators
//! read it — `error: …` and `warning: …` for problems, plain text for news ("rebuilt at commit
//! …") — and the audit trail as its own target (`casebook::audit`), each event one JSON line
//! written as it is. A deployment can route the audit target elsewhere with its own subscriber.

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::FmtContext;
use tracing_subscriber::fmt::format::{FormatEvent, FormatFields, Writer};
use tracing_subscriber::registry::LookupSpan;

/// The audit trail's target.
pub(crate) const AUDIT: &str = "casebook::audit";

/// Formats events as the server's log lines.
struct Lines;

impl<S, N> FormatEvent<S, N> for Lines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        if meta.target() != AUDIT {
            match *meta.level() {
                Level::ERROR => write!(writer, "error: ")?,
                Level::WARN => write!(writer, "warning: ")?,
                _ => {}
            }
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// Sends the log to standard error. Harmless when a subscriber is already set (a test, or a
/// program embedding the server with its own).
pub(crate) fn init() {
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(Level::INFO)
        .event_format(Lines)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}
