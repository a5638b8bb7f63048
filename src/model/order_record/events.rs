//! The life of a made order after it was made: variation, renewal, discharge, appeal and the
//! extension of a foreign travel prohibition (s20, s27; s18(3), s25(3)).

use crate::diagnostic::Code;
use crate::model::date::Month;
use crate::model::enums::{EventKind, OrderType};
use crate::model::raw::{RawEvent, RawOrderRecord};
use crate::model::validate::Ctx;

use super::Event;
use super::terms::{FOREIGN_TRAVEL, Prohibitions};
use super::validate::Head;

/// What every event is checked against.
struct Order {
    order_type: Option<OrderType>,
    made: Option<Month>,
    /// Only a foreign travel prohibition: discharge within the consent period needs no
    /// consent (s20(7), s27(7)).
    travel_only: bool,
    /// Where the foreign travel prohibition ends before the next extension, if it has one.
    travel_ends: Option<Month>,
    has_travel_ban: bool,
}

/// Events are only on made orders, in date order from `made`, none in the future; a new expiry
/// only on a renewal or variation; an extension of the travel ban gives `until`, at most 5
/// years after the ban's previous end; a discharge within the consent period (5 years for an
/// STPO, s20(6); 2 for an STRO, s27(6)) records the consent in `note`, unless the order's only
/// prohibition is on foreign travel (s20(7), s27(7)).
pub(super) fn events(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    head: &Head,
    made: Option<Month>,
    prohibitions: &Prohibitions,
) -> Vec<Event> {
    let list = raw.events.as_deref().unwrap_or(&[]);
    if let Some(s) = head.status.filter(|s| !s.is_made() && !list.is_empty()) {
        let message =
            format!("`events` recorded on an order that was not made (`order_status` is `{s}`)");
        ctx.report(Code::OrderEventRule, "events", message);
        return Vec::new();
    }
    let travel_years = raw.foreign_travel.as_ref().and_then(|f| f.years);
    let mut order = Order {
        order_type: head.order_type,
        made,
        travel_only: prohibitions.codes.len() == 1 && prohibitions.codes[0] == FOREIGN_TRAVEL,
        travel_ends: made.zip(travel_years).map(|(m, y)| m.plus_years(y)),
        has_travel_ban: prohibitions.codes.iter().any(|c| c == FOREIGN_TRAVEL)
            && raw.foreign_travel.is_some(),
    };
    let mut out: Vec<Event> = Vec::new();
    let mut previous = made;
    for (i, e) in list.iter().enumerate() {
        out.extend(event(ctx, i, e, &mut order, &mut previous));
    }
    out
}

fn event(
    ctx: &mut Ctx<'_>,
    i: usize,
    e: &RawEvent,
    order: &mut Order,
    previous: &mut Option<Month>,
) -> Option<Event> {
    let field = format!("events[{i}]");
    let month = ctx.required(&format!("{field}.month"), e.month.as_ref());
    let month = month.and(ctx.past_month(&format!("{field}.month"), &e.month));
    let kind: Option<EventKind> = ctx.required_closed(&format!("{field}.event"), &e.event);
    let expires = ctx.month(&format!("{field}.expires"), &e.expires);
    let until = ctx.month(&format!("{field}.until"), &e.until);
    let note = e.note.clone().filter(|n| !n.trim().is_empty());
    in_date_order(ctx, &field, month, order.made, i, previous);
    if let Some(k) = kind {
        expiry_rules(ctx, &field, k, e, expires, month);
        if k == EventKind::ForeignTravelExtended {
            extension(ctx, &field, order, month, until);
        } else if e.until.is_some() {
            let message = format!("`{field}.until` is given on a `{k}` event");
            let hint = "`until` is the new end of the foreign travel prohibition, given on a `foreign-travel-extended` event".to_owned();
            ctx.report_hint(
                Code::OrderEventRule,
                &format!("{field}.until"),
                message,
                hint,
            );
        }
        if k == EventKind::Discharged {
            discharge(ctx, &field, order, month, note.as_deref());
        }
    }
    Some(Event {
        month: month?,
        event: kind?,
        expires,
        until,
        note,
    })
}

fn in_date_order(
    ctx: &mut Ctx<'_>,
    field: &str,
    month: Option<Month>,
    made: Option<Month>,
    i: usize,
    previous: &mut Option<Month>,
) {
    if let (Some(m), Some(p)) = (month, *previous)
        && m < p
    {
        let what = if Some(p) == made && i == 0 {
            format!("before the order was made ({p})")
        } else {
            format!("before the event above it ({p})")
        };
        let message = format!("`{field}.month` ({m}) is {what}");
        let hint = "list events in date order, from the month the order was made".to_owned();
        ctx.report_hint(
            Code::OrderEventRule,
            &format!("{field}.month"),
            message,
            hint,
        );
    }
    if month.is_some() {
        *previous = month;
    }
}

fn expiry_rules(
    ctx: &mut Ctx<'_>,
    field: &str,
    k: EventKind,
    e: &RawEvent,
    expires: Option<Month>,
    month: Option<Month>,
) {
    if e.expires.is_some() && !k.sets_expiry() {
        let message = format!("`{field}.expires` is given on a `{k}` event");
        let hint = "only a renewal or variation sets a new expiry".to_owned();
        ctx.report_hint(
            Code::OrderEventRule,
            &format!("{field}.expires"),
            message,
            hint,
        );
    }
    if let (Some(x), Some(m)) = (expires, month)
        && x <= m
    {
        let message = format!("`{field}.expires` ({x}) is not after the event ({m})");
        ctx.report(Code::DateOrder, &format!("{field}.expires"), message);
    }
}

/// A foreign travel prohibition extended by a further period of at most 5 years (s18(3),
/// s25(3)): the order must have one; `until` is after its previous end and at most 5 years
/// later.
fn extension(
    ctx: &mut Ctx<'_>,
    field: &str,
    order: &mut Order,
    month: Option<Month>,
    until: Option<Month>,
) {
    if !order.has_travel_ban {
        let message =
            format!("`{field}` extends a foreign travel prohibition the order does not have");
        let hint =
            "an extension needs `foreign-travel` in `prohibitions` and the `foreign_travel` block"
                .to_owned();
        ctx.report_hint(Code::OrderEventRule, field, message, hint);
        return;
    }
    let Some(until) = ctx.required(&format!("{field}.until"), until) else {
        return;
    };
    let full = order.order_type.is_none_or(|t| !t.is_interim());
    if let Some(end) = order.travel_ends {
        if until <= end {
            let message = format!(
                "`{field}.until` ({until}) is not after the prohibition's previous end ({end})"
            );
            ctx.report(Code::DateOrder, &format!("{field}.until"), message);
        } else if full && until > end.plus_years(5) {
            let message = format!(
                "`{field}.until` ({until}) is more than 5 years after the prohibition's previous end ({end})"
            );
            let hint = format!(
                "a foreign travel prohibition is extended by at most 5 years at a time (s18(3), s25(3)): at most {}",
                end.plus_years(5)
            );
            ctx.report_hint(
                Code::ForeignTravel,
                &format!("{field}.until"),
                message,
                hint,
            );
        }
        if let Some(m) = month.filter(|m| *m > end) {
            let message =
                format!("`{field}` extends the prohibition in {m}, after it ended ({end})");
            let hint = "a prohibition that has ended cannot be extended: record a new order, or correct the months".to_owned();
            ctx.report_hint(
                Code::OrderEventRule,
                &format!("{field}.month"),
                message,
                hint,
            );
        }
    }
    order.travel_ends = Some(until);
}

fn discharge(
    ctx: &mut Ctx<'_>,
    field: &str,
    order: &Order,
    month: Option<Month>,
    note: Option<&str>,
) {
    let Some(t) = order.order_type else { return };
    let (Some(years), Some(made), Some(m), None) = (t.consent_years(), order.made, month, note)
    else {
        return;
    };
    if m >= made.plus_years(years) || order.travel_only {
        return;
    }
    let (section, exception) = t.consent_sections();
    let message = format!(
        "`{field}` discharges the order in {m}, within {years} years of it being made ({made}), with no consent recorded"
    );
    let hint = format!(
        "a discharge within {years} years needs the consent of the subject and the chief officer ({section}; not for an order whose only prohibition is on foreign travel, {exception}): record it in `{field}.note`"
    );
    ctx.report_hint(Code::OrderEventRule, field, message, hint);
}
