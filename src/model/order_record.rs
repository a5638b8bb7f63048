//! `order_record`: one use, or considered use, of a Slavery and Trafficking Prevention Order
//! (STPO) or Risk Order (STRO) under the Modern Slavery Act 2015 Part 2.

use serde::Serialize;

use crate::diagnostic::Code;

use super::date::Month;
use super::enums::{
    AgeBand, Applicant, Basis, BreachAction, Closed, Court, OrderStatus, OrderType,
    ReviewFrequency, Sex, TravelScope,
};
use super::raw::{RawForeignTravel, RawManagement, RawOrderRecord};
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
    /// Month made (made orders only).
    pub made: Option<Month>,
    /// Made until further order.
    pub until_further_order: Option<bool>,
    /// Fixed duration in years.
    pub duration_years: Option<u32>,
    /// Month it expires.
    pub expires: Option<Month>,
    /// Prohibition categories.
    pub prohibitions: Vec<String>,
    /// Foreign travel prohibition.
    pub foreign_travel: Option<ForeignTravel>,
    /// s19/s26 name-and-address notification.
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

/// One breach.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    /// Month of the breach.
    pub month: Month,
    /// Which prohibition.
    pub prohibition: String,
    /// What followed.
    pub action: BreachAction,
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
    let made = made_fields(ctx, raw, status, order_type, applied);
    let foreign_travel = raw
        .foreign_travel
        .as_ref()
        .and_then(|f| foreign_travel(ctx, f));
    let subject = raw.subject.as_ref().map(|s| Subject {
        age_band: ctx.closed("subject.age_band", &s.age_band),
        sex: ctx.closed("subject.sex", &s.sex),
    });
    let exploitation = ctx.terms(
        VocabName::Exploitation,
        "exploitation",
        &raw.exploitation,
        true,
    );
    let areas = ctx.terms(VocabName::Areas, "areas", &raw.areas, true);
    let management = management(ctx, raw, status);
    let breaches = breaches(ctx, raw, status, made.made);
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

/// The fields that only made orders carry, validated together.
struct MadeFields {
    made: Option<Month>,
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
    let expires = ctx.month("expires", &raw.expires);
    let prohibitions = ctx.terms(
        VocabName::Prohibitions,
        "prohibitions",
        &raw.prohibitions,
        false,
    );
    let out = MadeFields {
        made,
        expires,
        prohibitions,
    };
    let Some(status) = status else { return out };
    if !status.is_made() {
        let why = format!("when the order was not made (`order_status` is `{status}`)");
        ctx.forbid(Code::MadeOrderFields, "made", &raw.made, &why);
        ctx.forbid(
            Code::MadeOrderFields,
            "until_further_order",
            &raw.until_further_order,
            &why,
        );
        ctx.forbid(
            Code::MadeOrderFields,
            "duration_years",
            &raw.duration_years,
            &why,
        );
        ctx.forbid(Code::MadeOrderFields, "expires", &raw.expires, &why);
        ctx.forbid(
            Code::MadeOrderFields,
            "prohibitions",
            &raw.prohibitions,
            &why,
        );
        ctx.forbid(
            Code::MadeOrderFields,
            "notification_requirement",
            &raw.notification_requirement,
            &why,
        );
        return out;
    }
    for (field, present) in [
        ("made", raw.made.is_some()),
        ("until_further_order", raw.until_further_order.is_some()),
        ("prohibitions", raw.prohibitions.is_some()),
        (
            "notification_requirement",
            raw.notification_requirement.is_some(),
        ),
    ] {
        if !present {
            let message =
                format!("`{field}` is required for a made order (`order_status` is `{status}`)");
            ctx.report(Code::MadeOrderFields, field, message);
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
    duration(ctx, raw, order_type, made, expires);
    out
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
    if let (Some(years), Some(m), Some(e)) = (raw.duration_years, made, expires) {
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

fn breaches(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    status: Option<OrderStatus>,
    made: Option<Month>,
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
        let prohibition = ctx.required(&format!("{field}.prohibition"), b.prohibition.clone());
        let action = ctx.required_closed(&format!("{field}.action"), &b.action);
        if let (Some(p), Some(listed)) = (prohibition.as_ref(), prohibitions)
            && !listed.contains(p)
        {
            let message = format!(
                "`{field}.prohibition` is `{p}`, which is not one of the order's `prohibitions`"
            );
            let hint = format!("the order prohibits: {}", listed.join(", "));
            ctx.report_hint(
                Code::BreachRule,
                &format!("{field}.prohibition"),
                message,
                hint,
            );
        }
        if let (Some(m), Some(made)) = (month, made)
            && m < made
        {
            let message = format!("`{field}.month` ({m}) is before the order was made ({made})");
            ctx.report(Code::DateOrder, &format!("{field}.month"), message);
        }
        if let (Some(month), Some(prohibition), Some(action)) = (month, prohibition, action) {
            out.push(Breach {
                month,
                prohibition,
                action,
            });
        }
    }
    out
}
