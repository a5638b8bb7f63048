//! `case_review`: a deep-dive audit or debrief of a modern slavery investigation.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Code, one_line};

use super::countries;
use super::date::{Date, Month};
use super::enums::{
    AgencyRole, Closed, LearningGrade, PerpetratorRole, RecommendationStatus, RelatedReviewType,
    ReviewType,
};
use super::raw::{
    RawCaseReview, RawLearning, RawNrm, RawPerpetrators, RawRecommendation, RawRelatedReview,
    RawVictims,
};
use super::validate::Ctx;
use super::vocab::VocabName;

mod investigation;
mod learning;
mod people;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use investigation::EARLIER_OFFENCES;
use investigation::*;
use learning::*;
use people::*;

/// A validated case review.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReview {
    /// Partnership pseudonym for the operation.
    pub operation: String,
    /// What kind of review.
    pub review_type: ReviewType,
    /// Agency that led the investigation.
    pub lead_agency: String,
    /// When the investigation ran.
    pub investigation: Investigation,
    /// When the review was done.
    pub review_date: Date,
    /// Area codes.
    pub areas: Vec<String>,
    /// Exploitation codes.
    pub exploitation: Vec<String>,
    /// Offences investigated and their outcomes.
    pub offences: Vec<Offence>,
    /// Victim counts.
    pub victims: Counts,
    /// Perpetrator counts.
    pub perpetrators: Perpetrators,
    /// Where the case came from.
    pub referral_source: String,
    /// National Referral Mechanism figures.
    pub nrm: Option<Nrm>,
    /// Overall result.
    pub outcome: String,
    /// Custodial sentences.
    pub sentences: Vec<Sentence>,
    /// Linked order records.
    pub orders: Vec<String>,
    /// Agencies involved.
    pub agencies: Vec<Involvement>,
    /// Learning themes.
    pub themes: Vec<String>,
    /// The learning points, graded: those of `learning`, then any `good_practice` of the earlier
    /// form, read as `untested` points of the review's themes.
    pub learning: Vec<LearningPoint>,
    /// Other statutory reviews the case connects to.
    pub related_reviews: Vec<RelatedReview>,
    /// Recommendations with owners.
    pub recommendations: Vec<Recommendation>,
}

/// One learning point of a review, graded by what shows it works.
#[derive(Debug, Clone, Serialize)]
pub struct LearningPoint {
    /// `L1`, `L2`… (`G1`, `G2`… for points read from `good_practice`).
    pub id: String,
    /// The point.
    pub text: String,
    /// The learning themes it belongs to (each also one of the review's themes).
    pub themes: Vec<String>,
    /// How strongly it is shown to work.
    pub grade: LearningGrade,
    /// What shows it (required for `effective` and `ineffective`).
    pub evidence: Option<String>,
}

/// Another statutory review the case connects to.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedReview {
    /// What kind of review.
    #[serde(rename = "type")]
    pub kind: RelatedReviewType,
    /// Its title.
    pub title: String,
    /// The partnership or board that published it.
    pub board: String,
    /// The year it was published.
    pub year: u32,
    /// Where it is published (https only).
    pub url: Option<String>,
}

/// `investigation`: start and (unless ongoing) end month.
#[derive(Debug, Clone, Serialize)]
pub struct Investigation {
    /// First month.
    pub start: Month,
    /// Last month; none while ongoing.
    pub end: Option<Month>,
}

/// One offence and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Offence {
    /// Offence code.
    pub code: String,
    /// Outcome code.
    pub outcome: String,
}

/// Victim counts.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// How many.
    pub total: u32,
    /// Adults, if known.
    pub adults: Option<u32>,
    /// Children, if known.
    pub children: Option<u32>,
    /// Female, if known.
    pub female: Option<u32>,
    /// Male, if known.
    pub male: Option<u32>,
    /// By ISO 3166 alpha-2 nationality.
    pub nationalities: BTreeMap<String, u32>,
}

/// Perpetrator counts.
#[derive(Debug, Clone, Serialize)]
pub struct Perpetrators {
    /// How many.
    pub total: u32,
    /// By nationality.
    pub nationalities: BTreeMap<String, u32>,
    /// Roles played.
    pub roles: Vec<PerpetratorRole>,
    /// Organised crime group involved.
    pub ocg: Option<bool>,
}

/// NRM figures.
#[derive(Debug, Clone, Serialize)]
pub struct Nrm {
    /// Referrals made.
    pub referrals: Option<u32>,
    /// Positive reasonable-grounds decisions.
    pub positive_rg: Option<u32>,
    /// Positive conclusive-grounds decisions.
    pub positive_cg: Option<u32>,
    /// Duty-to-notify (MS1) reports.
    pub dtn_ms1: Option<u32>,
    /// Adults who declined a referral.
    pub declined: Option<u32>,
}

/// One custodial sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// Offence code (one of the review's offences).
    pub offence: String,
    /// Months in custody.
    pub custody_months: u32,
}

/// One agency's part in the investigation.
#[derive(Debug, Clone, Serialize)]
pub struct Involvement {
    /// Agency code.
    pub code: String,
    /// Its role.
    pub role: AgencyRole,
}

/// One recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// `R1`, `R2`…
    pub id: String,
    /// What should be done.
    pub text: String,
    /// Agency that owns it.
    pub owner: String,
    /// Month it is due.
    pub due: Month,
    /// Progress.
    pub status: RecommendationStatus,
    /// Open or in progress, and due before the current month.
    pub overdue: bool,
}

/// Validates a case review's own fields.
pub(crate) fn validate(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Option<CaseReview> {
    let operation = ctx.text("operation", &raw.operation);
    let review_type = ctx.required_closed("review_type", &raw.review_type);
    let lead_agency = ctx.req_term(VocabName::Agencies, "lead_agency", &raw.lead_agency);
    let investigation = investigation(ctx, raw);
    let review_date = review_date(ctx, raw, investigation.as_ref());
    let areas = ctx.terms(VocabName::Areas, "areas", &raw.areas, true);
    let exploitation = ctx.terms(
        VocabName::Exploitation,
        "exploitation",
        &raw.exploitation,
        true,
    );
    let offences = offences(ctx, raw);
    if let Some(i) = &investigation {
        before_commencement(ctx, raw, i, &offences);
        agencies_in_existence(ctx, raw, i);
    }
    let victims = ctx
        .required("victims", raw.victims.as_ref())
        .and_then(|v| victims(ctx, v));
    let perpetrators = ctx
        .required("perpetrators", raw.perpetrators.as_ref())
        .and_then(|p| perpetrators(ctx, p));
    let referral_source = ctx.req_term(
        VocabName::ReferralSources,
        "referral_source",
        &raw.referral_source,
    );
    let nrm = raw.nrm.as_ref().map(|n| nrm(ctx, n, victims.as_ref()));
    let outcome = ctx.req_term(VocabName::Outcomes, "outcome", &raw.outcome);
    let sentences = sentences(ctx, raw, &offences);
    let orders = raw.orders.clone().unwrap_or_default();
    let agencies = agencies(ctx, raw, lead_agency.as_deref());
    let themes = ctx.terms(VocabName::Themes, "themes", &raw.themes, true);
    let recommendations = recommendations(ctx, raw.recommendations.as_deref().unwrap_or(&[]));
    let learning = learning(ctx, raw, &themes);
    let related_reviews = related_reviews(ctx, raw.related_reviews.as_deref().unwrap_or(&[]));
    Some(CaseReview {
        operation: operation?,
        review_type: review_type?,
        lead_agency: lead_agency?,
        investigation: investigation?,
        review_date: review_date?,
        areas,
        exploitation,
        offences,
        victims: victims?,
        perpetrators: perpetrators?,
        referral_source: referral_source?,
        nrm,
        outcome: outcome?,
        sentences,
        orders,
        agencies,
        themes,
        learning,
        related_reviews,
        recommendations,
    })
}
