//! The rules of an order's time as a made order: the fields a made order has (and one not made
//! lacks), its period and expiry, its management and its service.

use crate::diagnostic::Code;
use crate::model::date::Month;
use crate::model::enums::{OrderStatus, OrderType};
use crate::model::raw::{RawManagement, RawOrderRecord};
use crate::model::validate::Ctx;
use crate::model::vocab::VocabName;

use super::{Event, Management};

/// The fields whose rules depend on whether the order was made, validated together.
pub(super) struct MadeFields {
    pub(super) made: Option<Month>,
    pub(super) decided: Option<Month>,
    pub(super) expires: Option<Month>,
}

pub(super) fn made_fields(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    order_type: Option<OrderType>,
    applied: Option<Month>,
) -> MadeFields {
    let out = MadeFields {
        made: ctx.past_month("made", &raw.made),
        decided: ctx.past_month("decided", &raw.decided),
        expires: ctx.month("expires", &raw.expires),
    };
    let Some(status) = status else { return out };
    if !status.is_made() {
        not_made(ctx, raw, status, applied, out.decided);
        return out;
    }
    if raw.decided.is_some() {
        let message =
            format!("`decided` must not be given on a made order (`order_status` is `{status}`)");
        let hint = "a made order is dated by `made`".to_owned();
        ctx.report_hint(Code::MadeOrderFields, "decided", message, hint);
    }
    let interim = order_type.is_some_and(OrderType::is_interim);
    required_when_made(ctx, raw, status, interim);
    if let (Some(a), Some(m)) = (applied, out.made)
        && m < a
    {
        let message = format!("`made` ({m}) is before `applied` ({a})");
        ctx.report(Code::DateOrder, "made", message);
    }
    if interim {
        interim_period(ctx, raw, out.made, out.expires);
    } else {
        duration(ctx, raw, order_type, out.made, out.expires);
    }
    out
}

/// What was sought (prohibitions, notification) may be recorded on an order that was not
/// made; nothing of a made order.
fn not_made(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: OrderStatus,
    applied: Option<Month>,
    decided: Option<Month>,
) {
    let why = format!("when the order was not made (`order_status` is `{status}`)");
    for (field, present) in [
        ("made", raw.made.is_some()),
        ("until_further_order", raw.until_further_order.is_some()),
        ("duration_years", raw.duration_years.is_some()),
        ("expires", raw.expires.is_some()),
        ("served", raw.served.is_some()),
    ] {
        if present {
            let hint = match field {
                "made" => "record when it was refused, withdrawn or considered as `decided`",
                "served" => "only a made order is served",
                _ => "an order that was not made has no duration or expiry",
            };
            ctx.report_hint(
                Code::MadeOrderFields,
                field,
                format!("`{field}` must not be given {why}"),
                hint.to_owned(),
            );
        }
    }
    if let (Some(a), Some(d)) = (applied, decided)
        && d < a
    {
        let message = format!("`decided` ({d}) is before `applied` ({a})");
        ctx.report(Code::DateOrder, "decided", message);
    }
}

fn required_when_made(ctx: &mut Ctx<'_>, raw: &RawOrderRecord, status: OrderStatus, interim: bool) {
    let mut required = vec![
        ("made", raw.made.is_some()),
        ("prohibitions", raw.prohibitions.is_some()),
        (
            "notification_requirement",
            raw.notification_requirement.is_some(),
        ),
    ];
    if interim {
        required.push(("expires", raw.expires.is_some()));
    } else {
        required.push(("until_further_order", raw.until_further_order.is_some()));
    }
    for (field, present) in required {
        if present {
            continue;
        }
        let message =
            format!("`{field}` is required for a made order (`order_status` is `{status}`)");
        let hint = match field {
            "expires" => {
                "an interim order runs for a fixed period (s21(7), s28(7)): give the month it ends, e.g. `expires: 2025-03`"
            }
            "until_further_order" => {
                "say whether it runs until further order: `until_further_order: false` with `duration_years`, or `true`"
            }
            "made" => "the month the court made it, e.g. `made: 2024-10`",
            "notification_requirement" => {
                "whether it requires the subject to notify name and address (s19, s26): `true` or `false`"
            }
            _ => "the prohibition categories, e.g. `prohibitions: [contact-named-persons]`",
        };
        ctx.report_hint(Code::MadeOrderFields, field, message, hint.to_owned());
    }
}

/// An interim order has effect only for a fixed period specified in the order (s21(7)(a),
/// s28(7)(a)): never until further order; its end is `expires`, after `made`; a whole number
/// of years, when given, must agree with it.
fn interim_period(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    made: Option<Month>,
    expires: Option<Month>,
) {
    if raw.until_further_order == Some(true) {
        let message = "`until_further_order` is true, but an interim order has effect only for a fixed period (s21(7)(a), s28(7)(a))";
        let hint = "remove `until_further_order` and give the month the period ends as `expires`";
        ctx.report_hint(
            Code::MadeOrderFields,
            "until_further_order",
            message.into(),
            hint.into(),
        );
    }
    if let (Some(m), Some(e)) = (made, expires)
        && e <= m
    {
        let message = format!("`expires` ({e}) is not after `made` ({m})");
        ctx.report(Code::DateOrder, "expires", message);
    }
    if let (Some(years), Some(m), Some(e)) = (raw.duration_years, made, expires) {
        let expected = m.plus_years(years);
        if e != expected {
            let message = format!(
                "`expires` is {e} but `made` ({m}) + `duration_years` ({years}) is {expected}"
            );
            let hint = "an interim period need not be whole years: remove `duration_years` and keep `expires`".to_owned();
            ctx.report_hint(Code::ExpiryMismatch, "expires", message, hint);
        }
    }
}

fn duration(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    order_type: Option<OrderType>,
    made: Option<Month>,
    expires: Option<Month>,
) {
    let until_further = raw.until_further_order == Some(true);
    match (raw.duration_years, until_further) {
        (None, false) if raw.until_further_order.is_some() => {
            let message = "`duration_years` is required unless `until_further_order` is true";
            ctx.report(Code::MadeOrderFields, "until_further_order", message);
        }
        (Some(_), true) => {
            let message = "`duration_years` must not be given when `until_further_order` is true";
            ctx.report(Code::MadeOrderFields, "duration_years", message);
        }
        _ => {}
    }
    if let (Some(years), Some(t)) = (raw.duration_years, order_type)
        && let Some(min) = t.minimum_years()
        && years < min
    {
        let (what, section) = t.period_section();
        let message =
            format!("`duration_years` is {years}; {what} lasts at least {min} years ({section})");
        let hint = format!("set `duration_years: {min}` or more, or `until_further_order: true`");
        ctx.report_hint(Code::DurationTooShort, "duration_years", message, hint);
    }
    match (raw.duration_years, raw.expires.is_some()) {
        (Some(_), false) => ctx.report(
            Code::MadeOrderFields,
            "duration_years",
            "`expires` is required when `duration_years` is given",
        ),
        (None, true) => ctx.report(
            Code::MadeOrderFields,
            "expires",
            "`expires` must not be given without `duration_years`",
        ),
        _ => {}
    }
    let renewed = raw.events.iter().flatten().any(|e| e.expires.is_some());
    if let (Some(years), Some(m), Some(e), false) = (raw.duration_years, made, expires, renewed) {
        let expected = m.plus_years(years);
        if e != expected {
            let message = format!(
                "`expires` is {e} but `made` ({m}) + `duration_years` ({years}) is {expected}"
            );
            let hint = format!("set `expires: {expected}`");
            ctx.report_hint(Code::ExpiryMismatch, "expires", message, hint);
        }
    }
}

/// After a renewal or variation that set a new expiry, `expires` is that expiry.
pub(super) fn expiry_follows_events(ctx: &mut Ctx<'_>, events: &[Event], expires: Option<Month>) {
    let latest = events
        .iter()
        .rev()
        .filter(|e| e.event.sets_expiry())
        .find_map(|e| e.expires.map(|x| (e, x)));
    if let (Some((event, new)), Some(expires)) = (latest, expires)
        && expires != new
    {
        let message = format!(
            "`expires` is {expires}, but the order was {} in {} with a new expiry of {new}",
            event.event, event.month
        );
        let hint = format!("set `expires: {new}`: expiry follows the latest renewal or variation");
        ctx.report_hint(Code::ExpiryMismatch, "expires", message, hint);
    }
}

pub(super) fn management(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    made: Option<Month>,
) -> Option<Management> {
    let current = status.is_some_and(OrderStatus::is_current);
    let Some(m) = raw.management.as_ref() else {
        if let (true, Some(s)) = (current, status) {
            let message =
                format!("`management` is required for a current order (`order_status` is `{s}`)");
            let hint = "give `management: {lead_role, review_frequency, partners, last_review}`"
                .to_owned();
            ctx.report_hint(Code::ManagementMissing, "order_status", message, hint);
        }
        return None;
    };
    management_fields(ctx, m, made)
}

fn management_fields(
    ctx: &mut Ctx<'_>,
    m: &RawManagement,
    made: Option<Month>,
) -> Option<Management> {
    let lead_role = ctx.text("management.lead_role", &m.lead_role);
    let review_frequency = ctx.required_closed("management.review_frequency", &m.review_frequency);
    let partners = ctx.terms(
        VocabName::Agencies,
        "management.partners",
        &m.partners,
        false,
    );
    let last_review = ctx.past_month("management.last_review", &m.last_review);
    if let (Some(last), Some(made)) = (last_review, made)
        && last < made
    {
        let message =
            format!("`management.last_review` ({last}) is before the order was made ({made})");
        ctx.report(Code::DateOrder, "management.last_review", message);
    }
    Some(Management {
        lead_role: lead_role?,
        review_frequency: review_frequency?,
        partners,
        last_review,
    })
}

/// `served`: when the made order was served on the subject, not before it was made.
pub(super) fn served(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    made: Option<Month>,
) -> Option<Month> {
    let served = ctx.past_month("served", &raw.served);
    if let (Some(s), Some(m)) = (served, made)
        && s < m
        && status.is_some_and(OrderStatus::is_made)
    {
        let message = format!("`served` ({s}) is before the order was made ({m})");
        ctx.report(Code::DateOrder, "served", message);
    }
    served
}
