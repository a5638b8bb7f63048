//! `order_record`: one use, or considered use, of a Slavery and Trafficking Prevention Order
//! (STPO) or Risk Order (STRO) under the Modern Slavery Act 2015 Part 2.

use serde::Serialize;

use crate::diagnostic::{Code, one_line};

use super::date::Month;
use super::enums::{
    AgeBand, Applicant, Basis, BreachAction, Closed, Court, EventKind, OrderStatus, OrderType,
    Requirement, ReviewFrequency, Sex, TravelScope,
};
use super::raw::{RawEvent, RawForeignTravel, RawManagement, RawOrderRecord};
use super::validate::Ctx;
use super::vocab::VocabName;

/// A validated order record.
#[derive(Debug, Clone, Serialize)]
pub struct OrderRecord {
    /// STPO, STRO or an interim order.
    pub order_type: OrderType,
    /// The section it was made or sought under.
    pub basis: Basis,
    /// Who applied (none for s14, made on sentencing).
    pub applicant: Option<Applicant>,
    /// Which court.
    pub court: Court,
    /// Where it stands.
    pub order_status: OrderStatus,
    /// Month applied for.
    pub applied: Option<Month>,
    /// Month an order that was not made was refused, withdrawn or considered.
    pub decided: Option<Month>,
    /// Month made (made orders only).
    pub made: Option<Month>,
    /// Made until further order.
    pub until_further_order: Option<bool>,
    /// Fixed duration in years.
    pub duration_years: Option<u32>,
    /// Month it expires.
    pub expires: Option<Month>,
    /// Prohibition categories (on an order not made, those sought).
    pub prohibitions: Vec<String>,
    /// Foreign travel prohibition.
    pub foreign_travel: Option<ForeignTravel>,
    /// s19/s26 name-and-address notification (on an order not made, whether it was sought).
    pub notification_requirement: Option<bool>,
    /// Age band and sex of the subject.
    pub subject: Option<Subject>,
    /// Exploitation codes.
    pub exploitation: Vec<String>,
    /// Area codes.
    pub areas: Vec<String>,
    /// The linked case review.
    pub case_review: Option<String>,
    /// How a current order is managed.
    pub management: Option<Management>,
    /// Recorded breaches.
    pub breaches: Vec<Breach>,
    /// Variation, renewal, discharge and appeal, in date order.
    pub events: Vec<Event>,
    /// Why an order that was considered was not sought.
    pub not_pursued_reason: Option<String>,
}

/// `foreign_travel`.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignTravel {
    /// Which countries.
    pub scope: TravelScope,
    /// Years (at most 5).
    pub years: u32,
    /// Passports surrendered.
    pub passport_surrender: bool,
}

/// `subject`.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Sex.
    pub sex: Option<Sex>,
}

/// `management`.
#[derive(Debug, Clone, Serialize)]
pub struct Management {
    /// Role that leads management (never a person's name).
    pub lead_role: String,
    /// How often it is reviewed.
    pub review_frequency: ReviewFrequency,
    /// Partner agencies.
    pub partners: Vec<String>,
}

/// One breach: of a prohibition of the order, or of a requirement whose breach s30(2) also
/// makes an offence.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    /// Month of the breach.
    pub month: Month,
    /// Which prohibition, when a prohibition was breached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prohibition: Option<String>,
    /// Which requirement, when a requirement was breached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<Requirement>,
    /// What followed.
    pub action: BreachAction,
}

/// One dated event in the life of a made order.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Month of the event.
    pub month: Month,
    /// What happened.
    pub event: EventKind,
    /// The new expiry a renewal or variation set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Month>,
    /// What was decided; for a discharge within the consent period, the consent recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl OrderRecord {
    /// The month the order is dated by: made, else decided, else applied. Never the
    /// document's `last_reviewed`.
    pub fn date(&self) -> Option<Month> {
        self.made.or(self.decided).or(self.applied)
    }

    /// When the order ends: the new expiry of the latest renewal or variation that set one,
    /// else `expires`.
    pub fn expiry(&self) -> Option<Month> {
        self.events
            .iter()
            .rev()
            .filter(|e| e.event.sets_expiry())
            .find_map(|e| e.expires)
            .or(self.expires)
    }

    /// Six months before the expiry of a current order: when to start preparing a renewal.
    pub fn renewal_due(&self) -> Option<Month> {
        self.order_status
            .is_current()
            .then(|| self.expiry())
            .flatten()
            .map(|e| e.plus_months(-6))
    }

    /// When the foreign travel prohibition ends (made + its years).
    pub fn foreign_travel_ends(&self) -> Option<Month> {
        let years = self.foreign_travel.as_ref()?.years;
        Some(self.made?.plus_years(years))
    }

    /// The next management review of a current order after `today`'s month, stepping from
    /// the month it was made by its review frequency.
    pub fn next_review(&self, today: Month) -> Option<Month> {
        if !self.order_status.is_current() {
            return None;
        }
        let step = self.management.as_ref()?.review_frequency.months();
        let mut next = self.made?.plus_months(step);
        while next <= today {
            next = next.plus_months(step);
        }
        Some(next)
    }
}

/// Validates an order record's own fields.
pub fn validate(ctx: &mut Ctx<'_>, raw: &RawOrderRecord) -> Option<OrderRecord> {
    let order_type: Option<OrderType> = ctx.required_closed("order_type", &raw.order_type);
    let basis: Option<Basis> = ctx.required_closed("basis", &raw.basis);
    if let (Some(t), Some(b)) = (order_type, basis) {
        check_basis(ctx, t, b);
    }
    let applicant = applicant(ctx, raw, basis);
    let court = ctx.required_closed("court", &raw.court);
    let status: Option<OrderStatus> = ctx.required_closed("order_status", &raw.order_status);
    let applied = ctx.month("applied", &raw.applied);
    let subject = raw.subject.as_ref().map(|s| Subject {
        age_band: ctx.closed("subject.age_band", &s.age_band),
        sex: ctx.closed("subject.sex", &s.sex),
    });
    if let (Some(basis), Some(court)) = (basis, court) {
        check_court(ctx, basis, court, subject.as_ref().and_then(|s| s.age_band));
    }
    let made = made_fields(ctx, raw, status, order_type, applied);
    let foreign_travel = raw
        .foreign_travel
        .as_ref()
        .and_then(|f| foreign_travel(ctx, f));
    if foreign_travel.is_some()
        && raw.prohibitions.is_some()
        && !made.prohibitions.iter().any(|p| p == "foreign-travel")
    {
        let message = "`foreign_travel` is given but `prohibitions` has no `foreign-travel`";
        let hint = "add `foreign-travel` to `prohibitions`, or remove `foreign_travel`";
        let field = ctx.later("prohibitions", "foreign_travel");
        ctx.report_hint(Code::ForeignTravel, field, message.into(), hint.into());
    }
    let exploitation = ctx.terms(
        VocabName::Exploitation,
        "exploitation",
        &raw.exploitation,
        true,
    );
    let areas = ctx.terms(VocabName::Areas, "areas", &raw.areas, true);
    let management = management(ctx, raw, status);
    let events = events(ctx, raw, status, order_type, made.made);
    // After a renewal or variation that set a new expiry, `expires` is that expiry.
    if let (Some((event, new)), Some(expires)) = (
        events
            .iter()
            .rev()
            .filter(|e| e.event.sets_expiry())
            .find_map(|e| e.expires.map(|x| (e, x))),
        made.expires,
    ) && expires != new
    {
        let message = format!(
            "`expires` is {expires}, but the order was {} in {} with a new expiry of {new}",
            event.event, event.month
        );
        ctx.report_hint(
            Code::ExpiryMismatch,
            "expires",
            message,
            format!("set `expires: {new}`: expiry follows the latest renewal or variation"),
        );
    }
    let breaches = breaches(ctx, raw, status, made.made, foreign_travel.as_ref());
    let not_pursued_reason = raw
        .not_pursued_reason
        .clone()
        .filter(|r| !r.trim().is_empty());
    if status == Some(OrderStatus::ConsideredNotPursued) && not_pursued_reason.is_none() {
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
    Some(OrderRecord {
        order_type: order_type?,
        basis: basis?,
        applicant,
        court: court?,
        order_status: status?,
        applied,
        decided: made.decided,
        made: made.made,
        until_further_order: raw.until_further_order,
        duration_years: raw.duration_years,
        expires: made.expires,
        prohibitions: made.prohibitions,
        foreign_travel,
        notification_requirement: raw.notification_requirement,
        subject,
        exploitation,
        areas,
        case_review: raw.case_review.clone(),
        management,
        breaches,
        events,
        not_pursued_reason,
    })
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
/// under 18 (s15(6)); an interim order is made by the court hearing the main application
/// (s21(2), s28(2)).
fn check_court(ctx: &mut Ctx<'_>, basis: Basis, court: Court, age: Option<AgeBand>) {
    if !basis.on_application() {
        return;
    }
    let under_18 = age == Some(AgeBand::Under18);
    let (ok, hint) = match (court, under_18) {
        (Court::Magistrates, false) | (Court::Youth, true) => (true, ""),
        (Court::Magistrates, true) => (
            false,
            "where the subject is under 18 the application is made to a youth court (s15(6)): `court: youth`",
        ),
        (Court::Youth, false) => (
            false,
            "a youth court hears the application only where the subject is under 18: set `subject.age_band: under-18` or `court: magistrates`",
        ),
        _ => (
            false,
            "an order on application is made by a magistrates' court (s15(1), s23(1)); an interim order by the court hearing the main application (s21(2), s28(2)): `court: magistrates`",
        ),
    };
    if !ok {
        let message = format!("`court` is `{court}`, which cannot make an order under {basis}");
        ctx.report_hint(Code::CourtRule, "court", message, hint.to_owned());
    }
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

/// The fields whose rules depend on whether the order was made, validated together.
struct MadeFields {
    made: Option<Month>,
    decided: Option<Month>,
    expires: Option<Month>,
    prohibitions: Vec<String>,
}

fn made_fields(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    order_type: Option<OrderType>,
    applied: Option<Month>,
) -> MadeFields {
    let made = ctx.month("made", &raw.made);
    let decided = ctx.month("decided", &raw.decided);
    let expires = ctx.month("expires", &raw.expires);
    let prohibitions = ctx.terms(
        VocabName::Prohibitions,
        "prohibitions",
        &raw.prohibitions,
        false,
    );
    let out = MadeFields {
        made,
        decided,
        expires,
        prohibitions,
    };
    let Some(status) = status else { return out };
    if !status.is_made() {
        // What was sought (prohibitions, notification) may be recorded; nothing of a made order.
        let why = format!("when the order was not made (`order_status` is `{status}`)");
        for (field, present) in [
            ("made", raw.made.is_some()),
            ("until_further_order", raw.until_further_order.is_some()),
            ("duration_years", raw.duration_years.is_some()),
            ("expires", raw.expires.is_some()),
        ] {
            if present {
                let hint = if field == "made" {
                    "record when it was refused, withdrawn or considered as `decided`"
                } else {
                    "an order that was not made has no duration or expiry"
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
        return out;
    }
    if raw.decided.is_some() {
        let message =
            format!("`decided` must not be given on a made order (`order_status` is `{status}`)");
        let hint = "a made order is dated by `made`".to_owned();
        ctx.report_hint(Code::MadeOrderFields, "decided", message, hint);
    }
    let interim = order_type.is_some_and(OrderType::is_interim);
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
        if !present {
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
    if raw.prohibitions.as_ref().is_some_and(Vec::is_empty) {
        ctx.report(
            Code::EmptyList,
            "prohibitions",
            "`prohibitions` needs at least one prohibition",
        );
    }
    if let (Some(a), Some(m)) = (applied, made)
        && m < a
    {
        ctx.report(
            Code::DateOrder,
            "made",
            format!("`made` ({m}) is before `applied` ({a})"),
        );
    }
    if interim {
        interim_period(ctx, raw, made, expires);
    } else {
        duration(ctx, raw, order_type, made, expires);
    }
    out
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
    if let (Some(years), Some(min)) = (
        raw.duration_years,
        order_type.and_then(OrderType::minimum_years),
    ) && years < min
    {
        let (t, section) = match order_type {
            Some(OrderType::Stpo) => ("an STPO", "s17"),
            _ => ("an STRO", "s24"),
        };
        let message =
            format!("`duration_years` is {years}; {t} lasts at least {min} years ({section})");
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
            ctx.report_hint(
                Code::ExpiryMismatch,
                "expires",
                message,
                format!("set `expires: {expected}`"),
            );
        }
    }
}

fn foreign_travel(ctx: &mut Ctx<'_>, f: &RawForeignTravel) -> Option<ForeignTravel> {
    let scope = ctx.required_closed("foreign_travel.scope", &f.scope);
    let years = ctx.required("foreign_travel.years", f.years);
    let surrender = ctx.required("foreign_travel.passport_surrender", f.passport_surrender);
    if let Some(y) = years.filter(|y| *y > 5) {
        let message = format!(
            "`foreign_travel.years` is {y}; a foreign travel prohibition lasts at most 5 years (s18/s25)"
        );
        let hint =
            "it can be extended by up to 5 years at a time: record the current period".to_owned();
        ctx.report_hint(Code::ForeignTravel, "foreign_travel.years", message, hint);
    }
    if scope == Some(TravelScope::All) && surrender == Some(false) {
        let message =
            "`foreign_travel.scope` is `all` but `foreign_travel.passport_surrender` is false";
        let hint =
            "a ban on all foreign travel must require surrender of all passports (s18(4)/s25(4))";
        let field = ctx.later("foreign_travel.scope", "foreign_travel.passport_surrender");
        ctx.report_hint(Code::ForeignTravel, field, message.into(), hint.into());
    }
    Some(ForeignTravel {
        scope: scope?,
        years: years?,
        passport_surrender: surrender?,
    })
}

fn management(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
) -> Option<Management> {
    let current = status.is_some_and(OrderStatus::is_current);
    let Some(m) = raw.management.as_ref() else {
        if let (true, Some(s)) = (current, status) {
            let message =
                format!("`management` is required for a current order (`order_status` is `{s}`)");
            let hint = "give `management: {lead_role, review_frequency, partners}`".to_owned();
            ctx.report_hint(Code::ManagementMissing, "order_status", message, hint);
        }
        return None;
    };
    management_fields(ctx, m)
}

fn management_fields(ctx: &mut Ctx<'_>, m: &RawManagement) -> Option<Management> {
    let lead_role = ctx.text("management.lead_role", &m.lead_role);
    let review_frequency = ctx.required_closed("management.review_frequency", &m.review_frequency);
    let partners = ctx.terms(
        VocabName::Agencies,
        "management.partners",
        &m.partners,
        false,
    );
    Some(Management {
        lead_role: lead_role?,
        review_frequency: review_frequency?,
        partners,
    })
}

/// Variation, renewal, discharge and appeal: only on made orders, in date order from `made`;
/// a new expiry only on a renewal or variation; a discharge within the consent period (5 years
/// for an STPO, s20(6); 2 for an STRO, s27) records the consent in `note`.
fn events(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    order_type: Option<OrderType>,
    made: Option<Month>,
) -> Vec<Event> {
    let list = raw.events.as_deref().unwrap_or(&[]);
    if let Some(s) = status.filter(|s| !s.is_made() && !list.is_empty()) {
        let message =
            format!("`events` recorded on an order that was not made (`order_status` is `{s}`)");
        ctx.report(Code::OrderEventRule, "events", message);
        return Vec::new();
    }
    let mut out: Vec<Event> = Vec::new();
    let mut previous = made;
    for (i, e) in list.iter().enumerate() {
        out.extend(event(ctx, i, e, order_type, made, &mut previous));
    }
    out
}

fn event(
    ctx: &mut Ctx<'_>,
    i: usize,
    e: &RawEvent,
    order_type: Option<OrderType>,
    made: Option<Month>,
    previous: &mut Option<Month>,
) -> Option<Event> {
    let field = format!("events[{i}]");
    let month = ctx.required(&format!("{field}.month"), e.month.as_ref());
    let month = month.and(ctx.month(&format!("{field}.month"), &e.month));
    let kind: Option<EventKind> = ctx.required_closed(&format!("{field}.event"), &e.event);
    let expires = ctx.month(&format!("{field}.expires"), &e.expires);
    let note = e.note.clone().filter(|n| !n.trim().is_empty());
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
    if let Some(k) = kind {
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
        let consent = order_type.and_then(OrderType::consent_years);
        if let (EventKind::Discharged, Some(years), Some(made), Some(m), None) =
            (k, consent, made, month, &note)
            && m < made.plus_years(years)
        {
            let section = if order_type == Some(OrderType::Stpo) {
                "s20(6)"
            } else {
                "s27"
            };
            let message = format!(
                "`{field}` discharges the order in {m}, within {years} years of it being made ({made}), with no consent recorded"
            );
            let hint = format!(
                "a discharge within {years} years needs the consent of the subject and the chief officer ({section}): record it in `{field}.note`"
            );
            ctx.report_hint(Code::OrderEventRule, &field, message, hint);
        }
    }
    Some(Event {
        month: month?,
        event: kind?,
        expires,
        note,
    })
}

fn breaches(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    made: Option<Month>,
    foreign_travel: Option<&ForeignTravel>,
) -> Vec<Breach> {
    let list = raw.breaches.as_deref().unwrap_or(&[]);
    if let Some(s) = status.filter(|s| !s.is_made() && !list.is_empty()) {
        let message =
            format!("`breaches` recorded on an order that was not made (`order_status` is `{s}`)");
        ctx.report(Code::BreachRule, "breaches", message);
        return Vec::new();
    }
    let prohibitions = raw.prohibitions.as_deref();
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let field = format!("breaches[{i}]");
        let month = ctx.required(&format!("{field}.month"), b.month.as_ref());
        let month = month.and(ctx.month(&format!("{field}.month"), &b.month));
        let requirement: Option<Requirement> =
            ctx.closed(&format!("{field}.requirement"), &b.requirement);
        let action = ctx.required_closed(&format!("{field}.action"), &b.action);
        let named = match (&b.prohibition, &b.requirement) {
            (Some(_), Some(_)) => {
                let message = format!(
                    "`{field}` names both a `prohibition` and a `requirement`; a breach is of one"
                );
                ctx.report(Code::BreachRule, &format!("{field}.requirement"), message);
                false
            }
            (None, None) => {
                let message =
                    format!("`{field}` names neither a `prohibition` nor a `requirement`");
                let hint = format!(
                    "give the prohibition breached, or `requirement:` {}",
                    Requirement::CODES.join(" or ")
                );
                ctx.report_hint(Code::BreachRule, &field, message, hint);
                false
            }
            _ => true,
        };
        if let (Some(p), Some(listed)) = (b.prohibition.as_ref(), prohibitions)
            && !listed.contains(p)
        {
            let message = format!(
                "`{field}.prohibition` is `{}`, which is not one of the order's `prohibitions`",
                one_line(p)
            );
            let listed: Vec<String> = listed.iter().map(|l| one_line(l)).collect();
            let hint = format!("the order prohibits: {}", listed.join(", "));
            ctx.report_hint(
                Code::BreachRule,
                &format!("{field}.prohibition"),
                message,
                hint,
            );
        }
        match requirement {
            Some(Requirement::Notification) if raw.notification_requirement != Some(true) => {
                let message = format!(
                    "`{field}.requirement` is `notification`, but the order has no `notification_requirement`"
                );
                ctx.report(Code::BreachRule, &format!("{field}.requirement"), message);
            }
            Some(Requirement::PassportSurrender)
                if !foreign_travel.is_some_and(|f| f.passport_surrender) =>
            {
                let message = format!(
                    "`{field}.requirement` is `passport-surrender`, but the order does not require passports to be surrendered"
                );
                let hint =
                    "passport surrender is part of `foreign_travel` (`passport_surrender: true`)"
                        .to_owned();
                ctx.report_hint(
                    Code::BreachRule,
                    &format!("{field}.requirement"),
                    message,
                    hint,
                );
            }
            _ => {}
        }
        if let (Some(m), Some(made)) = (month, made)
            && m < made
        {
            let message = format!("`{field}.month` ({m}) is before the order was made ({made})");
            ctx.report(Code::DateOrder, &format!("{field}.month"), message);
        }
        if let (Some(month), Some(action), true) = (month, action, named) {
            out.push(Breach {
                month,
                prohibition: b.prohibition.clone(),
                requirement,
                action,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::raw::{RawBreach, RawSubject};
    use crate::model::source::Spans;
    use crate::model::vocab::{Term, Vocabulary};

    fn vocab() -> Vocabulary {
        let mut v = Vocabulary::default();
        for code in ["contact-named-persons", "foreign-travel", "vehicle-use"] {
            v.add(VocabName::Prohibitions, Term::new(code, code));
        }
        v.add(VocabName::Exploitation, Term::new("labour", "Labour"));
        v.add(VocabName::Areas, Term::new("portsmouth", "Portsmouth"));
        v.add(VocabName::Agencies, Term::new("HIOWC", "Police"));
        v
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    /// A made STPO on application that passes every rule.
    fn made_stpo() -> RawOrderRecord {
        RawOrderRecord {
            order_type: s("STPO"),
            basis: s("MSA2015-s15"),
            applicant: s("chief-officer-police"),
            court: s("magistrates"),
            order_status: s("granted"),
            applied: s("2020-07"),
            made: s("2020-10"),
            until_further_order: Some(false),
            duration_years: Some(5),
            expires: s("2025-10"),
            prohibitions: Some(vec!["contact-named-persons".into()]),
            notification_requirement: Some(true),
            exploitation: Some(vec!["labour".into()]),
            areas: Some(vec!["portsmouth".into()]),
            management: Some(RawManagement {
                lead_role: s("Order manager"),
                review_frequency: s("quarterly"),
                partners: None,
            }),
            ..RawOrderRecord::default()
        }
    }

    /// The codes of the errors `raw` gets, with the field each points at.
    fn errors(raw: &RawOrderRecord) -> Vec<(&'static str, String)> {
        let (vocab, spans) = (vocab(), Spans::default());
        let today = Date::parse("2026-11-29").expect("date");
        let mut ctx = Ctx::new("knowledge/orders/ORD-2020-001.md", &spans, &vocab, today);
        validate(&mut ctx, raw);
        ctx.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code, d.field.clone().unwrap_or_default()))
            .collect()
    }

    fn codes(raw: &RawOrderRecord) -> Vec<&'static str> {
        errors(raw).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn a_valid_order_passes() {
        assert_eq!(errors(&made_stpo()), vec![]);
    }

    #[test]
    fn an_interim_order_runs_for_a_fixed_period() {
        let interim = RawOrderRecord {
            order_type: s("interim-STPO"),
            basis: s("MSA2015-s21"),
            order_status: s("interim-granted"),
            until_further_order: None,
            duration_years: None,
            expires: s("2021-03"),
            ..made_stpo()
        };
        assert_eq!(
            errors(&interim),
            vec![],
            "an end month, no years, no minimum"
        );
        let until_further = RawOrderRecord {
            until_further_order: Some(true),
            ..interim
        };
        assert_eq!(
            errors(&until_further),
            vec![("E042", "until_further_order".to_owned())]
        );
        let no_end = RawOrderRecord {
            expires: None,
            ..made_stpo_interim()
        };
        assert_eq!(errors(&no_end), vec![("E042", "expires".to_owned())]);
        let short = RawOrderRecord {
            duration_years: Some(1),
            expires: s("2021-10"),
            ..made_stpo_interim()
        };
        assert_eq!(
            errors(&short),
            vec![],
            "no statutory minimum for an interim order"
        );
    }

    fn made_stpo_interim() -> RawOrderRecord {
        RawOrderRecord {
            order_type: s("interim-STPO"),
            basis: s("MSA2015-s21"),
            order_status: s("interim-granted"),
            until_further_order: None,
            duration_years: None,
            expires: s("2021-03"),
            ..made_stpo()
        }
    }

    #[test]
    fn orders_on_application_are_made_by_magistrates_or_a_youth_court() {
        let crown = RawOrderRecord {
            court: s("crown"),
            ..made_stpo()
        };
        assert_eq!(errors(&crown), vec![("E051", "court".to_owned())]);
        let stro = RawOrderRecord {
            order_type: s("STRO"),
            basis: s("MSA2015-s23"),
            court: s("crown"),
            duration_years: Some(2),
            expires: s("2022-10"),
            ..made_stpo()
        };
        assert_eq!(codes(&stro), vec!["E051"]);
        let youth_adult = RawOrderRecord {
            court: s("youth"),
            ..made_stpo()
        };
        assert_eq!(codes(&youth_adult), vec!["E051"]);
        let under_18 = |court: &str| RawOrderRecord {
            court: s(court),
            subject: Some(RawSubject {
                age_band: s("under-18"),
                sex: None,
            }),
            ..made_stpo()
        };
        assert_eq!(codes(&under_18("youth")), Vec::<&str>::new());
        assert_eq!(codes(&under_18("magistrates")), vec!["E051"]);
        let on_sentencing = RawOrderRecord {
            basis: s("MSA2015-s14"),
            applicant: None,
            court: s("crown"),
            ..made_stpo()
        };
        assert_eq!(codes(&on_sentencing), Vec::<&str>::new());
    }

    fn breach(prohibition: Option<&str>, requirement: Option<&str>) -> RawBreach {
        RawBreach {
            month: s("2021-05"),
            prohibition: prohibition.map(str::to_owned),
            requirement: requirement.map(str::to_owned),
            action: s("s30-charged"),
        }
    }

    #[test]
    fn a_breach_names_a_prohibition_or_a_statutory_requirement() {
        let with = |b: RawBreach, notify: bool| RawOrderRecord {
            breaches: Some(vec![b]),
            notification_requirement: Some(notify),
            ..made_stpo()
        };
        assert_eq!(
            codes(&with(breach(Some("contact-named-persons"), None), true)),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(&with(breach(None, Some("notification")), true)),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(&with(breach(None, Some("notification")), false)),
            vec!["E046"]
        );
        assert_eq!(codes(&with(breach(None, None), true)), vec!["E046"]);
        assert_eq!(
            codes(&with(
                breach(Some("contact-named-persons"), Some("notification")),
                true
            )),
            vec!["E046"]
        );
        assert_eq!(
            codes(&with(breach(Some("vehicle-use"), None), true)),
            vec!["E046"]
        );
        // Passport surrender: only where the order requires it.
        assert_eq!(
            codes(&with(breach(None, Some("passport-surrender")), true)),
            vec!["E046"]
        );
        let travel = RawOrderRecord {
            prohibitions: Some(vec![
                "foreign-travel".into(),
                "contact-named-persons".into(),
            ]),
            foreign_travel: Some(RawForeignTravel {
                scope: s("all"),
                years: Some(5),
                passport_surrender: Some(true),
            }),
            breaches: Some(vec![breach(None, Some("passport-surrender"))]),
            ..made_stpo()
        };
        assert_eq!(codes(&travel), Vec::<&str>::new());
    }

    #[test]
    fn foreign_travel_needs_the_foreign_travel_prohibition() {
        let raw = RawOrderRecord {
            foreign_travel: Some(RawForeignTravel {
                scope: s("named-countries"),
                years: Some(3),
                passport_surrender: Some(false),
            }),
            ..made_stpo()
        };
        assert_eq!(codes(&raw), vec!["E045"]);
    }

    #[test]
    fn an_order_not_made_records_what_was_sought_and_when_it_was_decided() {
        let refused = RawOrderRecord {
            order_status: s("refused"),
            made: None,
            until_further_order: None,
            duration_years: None,
            expires: None,
            management: None,
            decided: s("2020-12"),
            ..made_stpo()
        };
        assert_eq!(
            codes(&refused),
            Vec::<&str>::new(),
            "prohibitions and notification sought"
        );
        let considered = RawOrderRecord {
            order_status: s("considered-not-pursued"),
            applied: None,
            notification_requirement: Some(false),
            not_pursued_reason: s("No evidence of risk."),
            ..refused
        };
        assert_eq!(codes(&considered), Vec::<&str>::new());
        let with_made = RawOrderRecord {
            made: s("2020-12"),
            expires: s("2025-12"),
            ..considered
        };
        let found = errors(&with_made);
        assert_eq!(
            found,
            vec![("E042", "made".to_owned()), ("E042", "expires".to_owned())]
        );
        let decided_on_made = RawOrderRecord {
            decided: s("2020-10"),
            ..made_stpo()
        };
        assert_eq!(codes(&decided_on_made), vec!["E042"]);
    }

    #[test]
    fn orders_are_dated_by_made_then_decided_then_applied() {
        let (vocab, spans) = (vocab(), Spans::default());
        let today = Date::parse("2026-11-29").expect("date");
        let mut ctx = Ctx::new("x", &spans, &vocab, today);
        let order = validate(&mut ctx, &made_stpo()).expect("valid");
        assert_eq!(order.date(), Month::parse("2020-10"));
        let mut ctx = Ctx::new("x", &spans, &vocab, today);
        let refused = RawOrderRecord {
            order_status: s("refused"),
            made: None,
            until_further_order: None,
            duration_years: None,
            expires: None,
            management: None,
            decided: s("2020-12"),
            ..made_stpo()
        };
        let refused = validate(&mut ctx, &refused).expect("valid");
        assert_eq!(refused.date(), Month::parse("2020-12"));
        let undated = OrderRecord {
            decided: None,
            applied: None,
            ..refused
        };
        assert_eq!(undated.date(), None);
    }

    fn event(month: &str, kind: &str, expires: Option<&str>, note: Option<&str>) -> RawEvent {
        RawEvent {
            month: s(month),
            event: s(kind),
            expires: expires.map(str::to_owned),
            note: note.map(str::to_owned),
        }
    }

    #[test]
    fn events_are_in_order_and_set_the_expiry() {
        let renewed = RawOrderRecord {
            expires: s("2030-10"),
            events: Some(vec![
                event("2022-01", "varied", None, None),
                event("2025-06", "renewed", Some("2030-10"), None),
            ]),
            ..made_stpo()
        };
        assert_eq!(codes(&renewed), Vec::<&str>::new());
        let stale = RawOrderRecord {
            expires: s("2025-10"),
            ..renewed
        };
        assert_eq!(errors(&stale), vec![("E044", "expires".to_owned())]);
        let renewed = RawOrderRecord {
            expires: s("2030-10"),
            ..stale
        };
        let (vocab, spans) = (vocab(), Spans::default());
        let mut ctx = Ctx::new("x", &spans, &vocab, Date::parse("2026-11-29").unwrap());
        let order = validate(&mut ctx, &renewed).expect("valid");
        assert_eq!(order.expiry(), Month::parse("2030-10"));
        assert_eq!(order.renewal_due(), Month::parse("2030-04"));
        let disordered = RawOrderRecord {
            expires: s("2030-10"),
            events: Some(vec![
                event("2025-06", "renewed", Some("2030-10"), None),
                event("2022-01", "varied", None, None),
            ]),
            ..made_stpo()
        };
        assert_eq!(codes(&disordered), vec!["E052"]);
        let before_made = RawOrderRecord {
            events: Some(vec![event("2019-01", "varied", None, None)]),
            ..made_stpo()
        };
        assert_eq!(codes(&before_made), vec!["E052"]);
        let expiry_on_appeal = RawOrderRecord {
            events: Some(vec![event(
                "2021-01",
                "appeal-dismissed",
                Some("2027-01"),
                None,
            )]),
            ..made_stpo()
        };
        assert_eq!(codes(&expiry_on_appeal), vec!["E052"]);
        let not_made = RawOrderRecord {
            order_status: s("applied"),
            made: None,
            until_further_order: None,
            duration_years: None,
            expires: None,
            management: None,
            events: Some(vec![event("2021-01", "varied", None, None)]),
            ..made_stpo()
        };
        assert_eq!(codes(&not_made), vec!["E052"]);
    }

    #[test]
    fn an_early_discharge_records_the_consent() {
        let early =
            |note: Option<&str>, order_type: &str, basis: &str, years: u32| RawOrderRecord {
                order_type: s(order_type),
                basis: s(basis),
                order_status: s("discharged"),
                duration_years: Some(years),
                expires: s(&format!("{}-10", 2020 + years)),
                management: None,
                events: Some(vec![event("2023-10", "discharged", None, note)]),
                ..made_stpo()
            };
        assert_eq!(codes(&early(None, "STPO", "MSA2015-s15", 5)), vec!["E052"]);
        assert_eq!(
            codes(&early(
                Some("Subject and chief officer consented."),
                "STPO",
                "MSA2015-s15",
                5
            )),
            Vec::<&str>::new()
        );
        // An STRO's consent period is 2 years: a discharge after 3 needs none.
        assert_eq!(
            codes(&early(None, "STRO", "MSA2015-s23", 4)),
            Vec::<&str>::new()
        );
    }
}
