//! The rules of an order's identity: basis and type, court, applicant, status and subject,
//! validated first since every later rule depends on them; the main application of an interim
//! order, why an order was not pursued, and that the status agrees with the dates.

use crate::diagnostic::{Code, one_line};
use crate::model::date::Month;
use crate::model::enums::{
    AgeBand, Applicant, Basis, Closed, Court, EventKind, OrderStatus, OrderType,
};
use crate::model::raw::{RawOrderRecord, RawSubject};
use crate::model::validate::Ctx;

use super::{OrderRecord, Subject};

/// The fields that say what the order is, validated first: every later rule depends on them.
pub(super) struct Head {
    pub(super) order_type: Option<OrderType>,
    pub(super) basis: Option<Basis>,
    pub(super) applicant: Option<Applicant>,
    pub(super) court: Option<Court>,
    pub(super) status: Option<OrderStatus>,
    pub(super) applied: Option<Month>,
    pub(super) subject: Option<Subject>,
}

pub(super) fn head(ctx: &mut Ctx<'_>, raw: &RawOrderRecord) -> Head {
    let order_type: Option<OrderType> = ctx.required_closed("order_type", &raw.order_type);
    let basis: Option<Basis> = ctx.required_closed("basis", &raw.basis);
    if let (Some(t), Some(b)) = (order_type, basis) {
        check_basis(ctx, t, b);
    }
    let applicant = applicant(ctx, raw, basis);
    let court = ctx.required_closed("court", &raw.court);
    let status = status(ctx, raw, order_type);
    let applied = ctx.past_month("applied", &raw.applied);
    let subject = raw.subject.as_ref().map(|s| subject(ctx, s));
    if let (Some(basis), Some(court)) = (basis, court) {
        check_court(ctx, basis, court, subject.as_ref().and_then(|s| s.age_band));
    }
    Head {
        order_type,
        basis,
        applicant,
        court,
        status,
        applied,
        subject,
    }
}

/// `order_status`, read for the order's type: `interim-granted` only on an interim order; on
/// an interim order, `granted` (an earlier way of writing it) reads as `interim-granted`.
fn status(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    order_type: Option<OrderType>,
) -> Option<OrderStatus> {
    let status: OrderStatus = ctx.required_closed("order_status", &raw.order_status)?;
    let interim = order_type.map(OrderType::is_interim);
    match (status, interim) {
        (OrderStatus::Granted, Some(true)) => {
            let message =
                "`order_status` is `granted` on an interim order: read as `interim-granted`";
            let hint = "write `order_status: interim-granted`";
            ctx.report_hint(
                Code::EarlierForm,
                "order_status",
                message.into(),
                hint.into(),
            );
            Some(OrderStatus::InterimGranted)
        }
        (OrderStatus::InterimGranted, Some(false)) => {
            let message = "`order_status` is `interim-granted`, but this is a full order, not an interim one (s21, s28)";
            let hint = "a made full order is `granted` (or `varied`, `renewed`); an interim order is recorded with `order_type: interim-STPO` or `interim-STRO`";
            ctx.report_hint(
                Code::StatusDates,
                "order_status",
                message.into(),
                hint.into(),
            );
            Some(status)
        }
        _ => Some(status),
    }
}

fn subject(ctx: &mut Ctx<'_>, s: &RawSubject) -> Subject {
    let key = s.key.clone().filter(|k| {
        let ok = k
            .strip_prefix("S-")
            .is_some_and(|rest| (4..=8).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok {
            let message = format!("`subject.key` is `{}`, which is not a subject key", one_line(k));
            let hint = "`S-` and 4 to 8 letters or digits, e.g. `S-7Q2K`: the partnership's pseudonymous key, never derived from a name or date of birth";
            ctx.report_hint(Code::InvalidValue, "subject.key", message, hint.into());
        }
        ok
    });
    Subject {
        key,
        age_band: ctx.closed("subject.age_band", &s.age_band),
        sex: ctx.closed("subject.sex", &s.sex),
    }
}

fn check_basis(ctx: &mut Ctx<'_>, order_type: OrderType, basis: Basis) {
    if order_type.bases().contains(&basis) {
        return;
    }
    let allowed: Vec<&str> = order_type.bases().iter().map(|b| b.code()).collect();
    let message = format!("`basis` `{basis}` does not fit `order_type` `{order_type}`");
    let hint = format!("an {order_type} is made under {}", allowed.join(" or "));
    let field = ctx.later("order_type", "basis");
    ctx.report_hint(Code::BasisMismatch, field, message, hint);
}

/// The court that can make an order on this basis: any court dealing with the offender for
/// s14; otherwise a magistrates' court (s15(1), s23(1)), or a youth court where the subject is
/// under 18 (s15(6) for an STPO, s23(5) for an STRO); an interim order is made by the court
/// hearing the main application (s21(2), s28(2)).
fn check_court(ctx: &mut Ctx<'_>, basis: Basis, court: Court, age: Option<AgeBand>) {
    if !basis.on_application() {
        return;
    }
    let youth = basis.youth_court_section();
    let under_18 = age == Some(AgeBand::Under18);
    let hint = match (court, under_18) {
        (Court::Magistrates, false) | (Court::Youth, true) => return,
        (Court::Magistrates, true) => format!(
            "where the subject is under 18 the application is made to a youth court ({youth}): `court: youth`"
        ),
        (Court::Youth, false) => format!(
            "a youth court hears the application only where the subject is under 18 ({youth}): set `subject.age_band: under-18` or `court: magistrates`"
        ),
        _ => "an order on application is made by a magistrates' court (s15(1), s23(1)); an interim order by the court hearing the main application (s21(2), s28(2)): `court: magistrates`".to_owned(),
    };
    let message = format!("`court` is `{court}`, which cannot make an order under {basis}");
    ctx.report_hint(Code::CourtRule, "court", message, hint);
}

fn applicant(ctx: &mut Ctx<'_>, raw: &RawOrderRecord, basis: Option<Basis>) -> Option<Applicant> {
    let applicant = ctx.closed("applicant", &raw.applicant);
    match basis {
        Some(Basis::S14) if raw.applicant.is_some() => {
            let message = "`applicant` must not be given for an order under MSA2015-s14";
            let hint = "an s14 order is made by the court on sentencing: remove `applicant`";
            ctx.report_hint(
                Code::ApplicantRule,
                "applicant",
                message.into(),
                hint.into(),
            );
        }
        Some(b) if b != Basis::S14 && raw.applicant.is_none() => {
            let message = format!("`applicant` is required for an order under {b}");
            let hint = format!("allowed: {}", Applicant::CODES.join(", "));
            ctx.report_hint(Code::ApplicantRule, "basis", message, hint);
        }
        _ => {}
    }
    applicant
}

/// `application`: only on an interim order, naming the record of its main application (the
/// corpus checks that it exists and fits).
pub(super) fn application(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    order_type: Option<OrderType>,
) -> Option<String> {
    let id = raw.application.as_ref()?;
    if order_type.is_some_and(|t| !t.is_interim()) {
        let message = "`application` is given on a full order";
        let hint = "`application` names, on an interim order, the record of the main application it was made pending (s21, s28): remove it here";
        ctx.report_hint(
            Code::InterimApplication,
            "application",
            message.into(),
            hint.into(),
        );
        return None;
    }
    Some(id.clone())
}

pub(super) fn not_pursued_reason(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
) -> Option<String> {
    let reason = raw
        .not_pursued_reason
        .clone()
        .filter(|r| !r.trim().is_empty());
    if status == Some(OrderStatus::ConsideredNotPursued) && reason.is_none() {
        let message =
            "`not_pursued_reason` is required when `order_status` is `considered-not-pursued`";
        let hint = "say why the order was not sought: this is the learning that raises uptake";
        ctx.report_hint(
            Code::NotPursuedReason,
            "order_status",
            message.into(),
            hint.into(),
        );
    }
    reason
}

/// The status agrees with the events and the dates: `varied`, `renewed` and `discharged`
/// need their event; a current order has not passed its expiry, and an expired one has.
pub(super) fn status_agrees_with_dates(ctx: &mut Ctx<'_>, o: &OrderRecord) {
    let status = o.order_status;
    let has = |kind: EventKind| o.events.iter().any(|e| e.event == kind);
    let needed = match status {
        OrderStatus::Varied => Some(EventKind::Varied),
        OrderStatus::Renewed => Some(EventKind::Renewed),
        OrderStatus::Discharged => Some(EventKind::Discharged),
        _ => None,
    };
    if let Some(kind) = needed.filter(|k| !has(*k)) {
        let message =
            format!("`order_status` is `{status}`, but `events` records no `{kind}` event");
        let hint =
            format!("add the `{kind}` event with its month to `events`, or correct `order_status`");
        ctx.report_hint(Code::StatusDates, "order_status", message, hint);
    }
    let today = ctx.today.month();
    if status.is_current() && has(EventKind::Discharged) {
        let message = format!("`order_status` is `{status}`, but `events` records its discharge");
        let hint = "set `order_status: discharged`".to_owned();
        ctx.report_hint(Code::StatusDates, "order_status", message, hint);
    } else if status.is_current()
        && let Some(expiry) = o.expiry().filter(|e| *e < today)
    {
        let message = format!("`order_status` is `{status}`, but the order expired in {expiry}");
        let hint =
            "it has expired: set `order_status: expired` (or record the renewal in `events`)"
                .to_owned();
        ctx.report_hint(Code::StatusDates, "order_status", message, hint);
    }
    if status == OrderStatus::Expired {
        match o.expiry() {
            Some(expiry) if expiry > today => {
                let message = format!(
                    "`order_status` is `expired`, but the order runs until {expiry}, after this month ({today})"
                );
                let hint = "an order in force is `granted` (or `varied`, `renewed`); one ended early is `discharged`".to_owned();
                ctx.report_hint(Code::StatusDates, "order_status", message, hint);
            }
            None if o.until_further_order == Some(true) => {
                let message = "`order_status` is `expired`, but the order was made until further order and cannot expire";
                let hint = "an order until further order ends only when it is discharged: `order_status: discharged` with the event";
                ctx.report_hint(
                    Code::StatusDates,
                    "order_status",
                    message.into(),
                    hint.into(),
                );
            }
            _ => {}
        }
    }
}
