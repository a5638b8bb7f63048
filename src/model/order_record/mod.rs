//! `order_record`: one use, or considered use, of a Slavery and Trafficking Prevention Order
//! (STPO) or Risk Order (STRO) under the Modern Slavery Act 2015 Part 2.
//!
//! This file holds the typed record and what it means in time (when it ends, when it is next
//! reviewed); the rules that validate it are split by concern: `made` (basis, court, applicant,
//! the made order's period, status and dates), `terms` (prohibitions and their periods, foreign
//! travel), `events` and `breaches`.

mod breaches;
mod events;
mod made;
mod terms;
#[cfg(test)]
mod tests;
mod validate;

use serde::Serialize;

use super::date::Month;
use super::enums::{
    AgeBand, Applicant, Basis, BreachAction, BreachOutcome, Closed, Court, EventKind, OrderStatus,
    OrderType, Requirement, ReviewFrequency, Sex, TravelScope,
};
use super::raw::RawOrderRecord;
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
    /// The prohibitions that carry a period of their own (s17(5), s24(5)); the others take
    /// the order's.
    pub periods: Vec<ProhibitionPeriod>,
    /// Foreign travel prohibition.
    pub foreign_travel: Option<ForeignTravel>,
    /// s19/s26 name-and-address notification (on an order not made, whether it was sought).
    pub notification_requirement: Option<bool>,
    /// Pseudonymous key, age band and sex of the subject.
    pub subject: Option<Subject>,
    /// The record of the main application an interim order was made pending.
    pub application: Option<String>,
    /// Month the made order was served on the subject.
    pub served: Option<Month>,
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
    /// Variation, renewal, discharge, appeal and extension of the travel ban, in date order.
    pub events: Vec<Event>,
    /// Why an order that was considered was not sought.
    pub not_pursued_reason: Option<String>,
}

/// How long something runs: a number of years from when the order was made, or until
/// further order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    /// A fixed number of years.
    Years(u32),
    /// Until the court orders otherwise.
    UntilFurtherOrder,
}

/// A prohibition with a period of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProhibitionPeriod {
    /// The prohibition's code.
    pub code: String,
    /// Its period.
    pub period: Period,
}

/// When something ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// At the end of this month.
    Month(Month),
    /// Only when the court orders otherwise.
    UntilFurtherOrder,
    /// The record does not say.
    Unknown,
}

impl End {
    /// The month, when it ends at one.
    pub fn month(self) -> Option<Month> {
        match self {
            End::Month(m) => Some(m),
            _ => None,
        }
    }

    /// As a register or page shows it.
    pub fn shown(self) -> String {
        match self {
            End::Month(m) => m.to_string(),
            End::UntilFurtherOrder => "until further order".to_owned(),
            End::Unknown => String::new(),
        }
    }
}

/// `foreign_travel`.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignTravel {
    /// Which countries.
    pub scope: TravelScope,
    /// Years (at most 5 on a full order).
    pub years: u32,
    /// Passports surrendered.
    pub passport_surrender: bool,
}

/// `subject`.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// The partnership's pseudonymous subject key (`S-…`), the same on every record about one
    /// person.
    pub key: Option<String>,
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
    /// The month of the last management review actually held.
    pub last_review: Option<Month>,
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
    /// After a charge, how it ended (or that it is pending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<BreachOutcome>,
    /// Custody imposed on conviction, in months.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custody_months: Option<u32>,
    /// The court accepted a reasonable excuse (s30(1)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasonable_excuse: Option<bool>,
}

impl Breach {
    /// What followed the breach, in words: the action, and after a charge its outcome.
    pub fn what_followed(&self) -> String {
        match (self.action, self.outcome) {
            (BreachAction::Charged, Some(o)) => {
                format!("Charged (s30): {}", o.label().to_lowercase())
            }
            (a, _) => a.label().to_owned(),
        }
    }
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
    /// The new end of the foreign travel prohibition an extension set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Month>,
    /// What was decided; for a discharge within the consent period, the consent recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The next management review of a current order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextReview {
    /// The month it is due.
    pub month: Month,
    /// Due before this month and not yet recorded as held.
    pub overdue: bool,
    /// True when counted from `management.last_review`; false when the record gives no last
    /// review and the month is counted from `made` on the review frequency.
    pub from_last_review: bool,
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

    /// When the order as a whole ends: its expiry, or until further order.
    pub fn end(&self) -> End {
        match (self.expiry(), self.until_further_order) {
            (Some(m), _) => End::Month(m),
            (None, Some(true)) => End::UntilFurtherOrder,
            _ => End::Unknown,
        }
    }

    /// The month a made order stopped being in force: its discharge, or its expiry once
    /// expired; none while it is current.
    pub fn ended(&self) -> Option<Month> {
        let discharged = self
            .events
            .iter()
            .find(|e| e.event == EventKind::Discharged)
            .map(|e| e.month);
        match self.order_status {
            OrderStatus::Discharged => discharged,
            OrderStatus::Expired => self.expiry().or(discharged),
            _ => None,
        }
    }

    /// Six months before the expiry of a current full order: when to start preparing a
    /// renewal. An interim order is not renewed: it lapses when the main application is
    /// decided.
    pub fn renewal_due(&self) -> Option<Month> {
        if !self.order_status.is_current() || self.order_type.is_interim() {
            return None;
        }
        self.expiry().map(|e| e.plus_months(-6))
    }

    /// When the foreign travel prohibition ends: the latest extension's `until`, else made +
    /// its years.
    pub fn foreign_travel_ends(&self) -> Option<Month> {
        let extended = self
            .events
            .iter()
            .rev()
            .filter(|e| e.event == EventKind::ForeignTravelExtended)
            .find_map(|e| e.until);
        let years = self.foreign_travel.as_ref()?.years;
        extended.or_else(|| Some(self.made?.plus_years(years)))
    }

    /// When one prohibition of a made order ends: foreign travel by its own rule (s18/s25), a
    /// prohibition with its own period by that period, any other with the order.
    pub fn prohibition_end(&self, code: &str) -> End {
        if code == terms::FOREIGN_TRAVEL
            && let Some(m) = self.foreign_travel_ends()
        {
            return End::Month(m);
        }
        match self
            .periods
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.period)
        {
            Some(Period::Years(y)) => self
                .made
                .map_or(End::Unknown, |m| End::Month(m.plus_years(y))),
            Some(Period::UntilFurtherOrder) => End::UntilFurtherOrder,
            None => self.end(),
        }
    }

    /// The next management review of a current order: `last_review` plus the review
    /// frequency, overdue when that month is before `today`'s (a review due this month is
    /// due, not overdue). Without a recorded last review it is the first month on the
    /// frequency from `made` that is not before this month.
    pub fn next_review(&self, today: Month) -> Option<NextReview> {
        if !self.order_status.is_current() {
            return None;
        }
        let management = self.management.as_ref()?;
        let step = management.review_frequency.months();
        if let Some(last) = management.last_review {
            let month = last.plus_months(step);
            return Some(NextReview {
                month,
                overdue: month < today,
                from_last_review: true,
            });
        }
        let mut month = self.made?.plus_months(step);
        while month < today {
            month = month.plus_months(step);
        }
        Some(NextReview {
            month,
            overdue: false,
            from_last_review: false,
        })
    }

    /// The subject's pseudonymous key, when the record gives one.
    pub fn subject_key(&self) -> Option<&str> {
        self.subject.as_ref()?.key.as_deref()
    }
}

/// Validates an order record's own fields.
pub(crate) fn validate(ctx: &mut Ctx<'_>, raw: &RawOrderRecord) -> Option<OrderRecord> {
    let head = validate::head(ctx, raw);
    let made = made::made_fields(ctx, raw, head.status, head.order_type, head.applied);
    let prohibitions = terms::prohibitions(ctx, raw, head.order_type, head.status);
    let foreign_travel = terms::foreign_travel(ctx, raw, head.order_type, &prohibitions.codes);
    let exploitation = ctx.terms(
        VocabName::Exploitation,
        "exploitation",
        &raw.exploitation,
        true,
    );
    let areas = ctx.terms(VocabName::Areas, "areas", &raw.areas, true);
    let management = made::management(ctx, raw, head.status, made.made);
    let events = events::events(ctx, raw, &head, made.made, &prohibitions);
    made::expiry_follows_events(ctx, &events, made.expires);
    let served = made::served(ctx, raw, head.status, made.made);
    let application = validate::application(ctx, raw, head.order_type);
    let not_pursued_reason = validate::not_pursued_reason(ctx, raw, head.status);
    let codes = prohibitions.codes.clone();
    let record = (|| {
        Some(OrderRecord {
            order_type: head.order_type?,
            basis: head.basis?,
            applicant: head.applicant,
            court: head.court?,
            order_status: head.status?,
            applied: head.applied,
            decided: made.decided,
            made: made.made,
            until_further_order: raw.until_further_order,
            duration_years: raw.duration_years,
            expires: made.expires,
            prohibitions: prohibitions.codes,
            periods: prohibitions.periods,
            foreign_travel: foreign_travel.clone(),
            notification_requirement: raw.notification_requirement,
            subject: head.subject,
            application,
            served,
            exploitation,
            areas,
            case_review: raw.case_review.clone(),
            management,
            breaches: Vec::new(),
            events,
            not_pursued_reason,
        })
    })();
    let facts = breaches::Facts {
        status: head.status,
        made: made.made,
        prohibitions: raw.prohibitions.as_ref().map(|_| codes.as_slice()),
        foreign_travel: foreign_travel.as_ref(),
        record: record.as_ref(),
    };
    let breaches = breaches::breaches(ctx, raw, &facts);
    let mut record = record?;
    record.breaches = breaches;
    validate::status_agrees_with_dates(ctx, &record);
    Some(record)
}
