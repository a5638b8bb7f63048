//! Front matter exactly as written: every field optional and every code a string, so that one
//! pass of validation can report every missing field and every bad value at once.
//!
//! These types are filled by the YAML loader and consumed only by validation; nothing else
//! sees them. Unknown keys are refused (`deny_unknown_fields`): they are usually typos.

use std::collections::BTreeMap;

use serde::Deserialize;

macro_rules! raw_document {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// `id`
            pub id: Option<String>,
            /// `kind`
            pub kind: Option<String>,
            /// `title`
            pub title: Option<String>,
            /// `marking`
            pub marking: Option<String>,
            /// `handling`
            pub handling: Option<Vec<String>>,
            /// `status`
            pub status: Option<String>,
            /// `owner`
            pub owner: Option<String>,
            /// `last_reviewed`
            pub last_reviewed: Option<String>,
            /// `review_due`
            pub review_due: Option<String>,
            /// `tags`
            pub tags: Option<Vec<String>>,
            /// `related`
            pub related: Option<Vec<String>>,
            /// `fictional`
            pub fictional: Option<bool>,
            /// `lint_allow`
            pub lint_allow: Option<Vec<RawLintAllow>>,
            $($(#[$fdoc])* pub $field: $ty,)*
        }
    };
}

raw_document!(
    /// A `case_review` as written.
    RawCaseReview {
        /// `operation`
        operation: Option<String>,
        /// `review_type`
        review_type: Option<String>,
        /// `lead_agency`
        lead_agency: Option<String>,
        /// `investigation`
        investigation: Option<RawInvestigation>,
        /// `review_date`
        review_date: Option<String>,
        /// `areas`
        areas: Option<Vec<String>>,
        /// `exploitation`
        exploitation: Option<Vec<String>>,
        /// `offences`
        offences: Option<Vec<RawOffence>>,
        /// `victims`
        victims: Option<RawVictims>,
        /// `perpetrators`
        perpetrators: Option<RawPerpetrators>,
        /// `referral_source`
        referral_source: Option<String>,
        /// `nrm`
        nrm: Option<RawNrm>,
        /// `outcome`
        outcome: Option<String>,
        /// `sentences`
        sentences: Option<Vec<RawSentence>>,
        /// `orders`
        orders: Option<Vec<String>>,
        /// `agencies`
        agencies: Option<Vec<RawAgencyRole>>,
        /// `themes`
        themes: Option<Vec<String>>,
        /// `good_practice` (the form before `learning`)
        good_practice: Option<Vec<String>>,
        /// `learning`
        learning: Option<Vec<RawLearning>>,
        /// `related_reviews`
        related_reviews: Option<Vec<RawRelatedReview>>,
        /// `recommendations`
        recommendations: Option<Vec<RawRecommendation>>,
    }
);

raw_document!(
    /// An `order_record` as written.
    RawOrderRecord {
        /// `order_type`
        order_type: Option<String>,
        /// `basis`
        basis: Option<String>,
        /// `applicant`
        applicant: Option<String>,
        /// `court`
        court: Option<String>,
        /// `order_status`
        order_status: Option<String>,
        /// `applied`
        applied: Option<String>,
        /// `decided`
        decided: Option<String>,
        /// `made`
        made: Option<String>,
        /// `until_further_order`
        until_further_order: Option<bool>,
        /// `duration_years`
        duration_years: Option<u32>,
        /// `expires`
        expires: Option<String>,
        /// `prohibitions`: codes, or items with their own period.
        prohibitions: Option<Vec<RawProhibition>>,
        /// `foreign_travel`
        foreign_travel: Option<RawForeignTravel>,
        /// `notification_requirement`
        notification_requirement: Option<bool>,
        /// `subject`
        subject: Option<RawSubject>,
        /// `application`
        application: Option<String>,
        /// `served`
        served: Option<String>,
        /// `exploitation`
        exploitation: Option<Vec<String>>,
        /// `areas`
        areas: Option<Vec<String>>,
        /// `case_review`
        case_review: Option<String>,
        /// `management`
        management: Option<RawManagement>,
        /// `breaches`
        breaches: Option<Vec<RawBreach>>,
        /// `events`
        events: Option<Vec<RawEvent>>,
        /// `not_pursued_reason`
        not_pursued_reason: Option<String>,
    }
);

raw_document!(
    /// An `agency_powers` note as written.
    RawAgencyPowers {
        /// `agency`
        agency: Option<String>,
        /// `name`
        name: Option<String>,
        /// `parent_body`
        parent_body: Option<String>,
        /// `jurisdiction`
        jurisdiction: Option<String>,
        /// `remit`
        remit: Option<String>,
        /// `legal_bases`
        legal_bases: Option<Vec<RawLegalBasis>>,
        /// `powers`
        powers: Option<Vec<RawPower>>,
        /// `first_responder`
        first_responder: Option<bool>,
        /// `duty_to_notify`
        duty_to_notify: Option<bool>,
        /// `order_applicant`
        order_applicant: Option<bool>,
        /// `engagement`
        engagement: Option<RawEngagement>,
        /// `limits`
        limits: Option<Vec<String>>,
        /// `last_verified`
        last_verified: Option<String>,
    }
);

macro_rules! raw_struct {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $(@rename $rename:literal)? $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name { $($(#[$fdoc])* $(#[serde(rename = $rename)])? pub $field: $ty,)* }
    };
}

raw_struct!(
    /// One `lint_allow` entry.
    RawLintAllow {
        /// `match`: the exact text to allow.
        @rename "match" text: Option<String>,
        /// `reason`: why it is not personal data.
        reason: Option<String>,
    }
);
raw_struct!(
    /// `investigation`
    RawInvestigation {
        /// `start`
        start: Option<String>,
        /// `end`
        end: Option<String>,
    }
);
raw_struct!(
    /// One `offences` entry.
    RawOffence {
        /// `code`
        code: Option<String>,
        /// `outcome`
        outcome: Option<String>,
    }
);
raw_struct!(
    /// `victims`
    RawVictims {
        /// `total`
        total: Option<u32>,
        /// `adults`
        adults: Option<u32>,
        /// `children`
        children: Option<u32>,
        /// `female`
        female: Option<u32>,
        /// `male`
        male: Option<u32>,
        /// `nationalities`
        nationalities: Option<BTreeMap<String, u32>>,
    }
);
raw_struct!(
    /// `perpetrators`
    RawPerpetrators {
        /// `total`
        total: Option<u32>,
        /// `nationalities`
        nationalities: Option<BTreeMap<String, u32>>,
        /// `roles`
        roles: Option<Vec<String>>,
        /// `ocg`
        ocg: Option<bool>,
    }
);
raw_struct!(
    /// `nrm`
    RawNrm {
        /// `referrals`
        referrals: Option<u32>,
        /// `positive_rg`
        positive_rg: Option<u32>,
        /// `positive_cg`
        positive_cg: Option<u32>,
        /// `dtn_ms1`
        dtn_ms1: Option<u32>,
        /// `declined`
        declined: Option<u32>,
    }
);
raw_struct!(
    /// One `sentences` entry.
    RawSentence {
        /// `offence`
        offence: Option<String>,
        /// `custody_months`
        custody_months: Option<u32>,
    }
);
raw_struct!(
    /// One `agencies` entry.
    RawAgencyRole {
        /// `code`
        code: Option<String>,
        /// `role`
        role: Option<String>,
    }
);
raw_struct!(
    /// One `learning` entry.
    RawLearning {
        /// `id`
        id: Option<String>,
        /// `text`
        text: Option<String>,
        /// `themes`
        themes: Option<Vec<String>>,
        /// `grade`
        grade: Option<String>,
        /// `evidence`
        evidence: Option<String>,
    }
);
raw_struct!(
    /// One `related_reviews` entry.
    RawRelatedReview {
        /// `type`
        @rename "type" kind: Option<String>,
        /// `title`
        title: Option<String>,
        /// `board`
        board: Option<String>,
        /// `year`
        year: Option<u32>,
        /// `url`
        url: Option<String>,
    }
);
raw_struct!(
    /// One `recommendations` entry.
    RawRecommendation {
        /// `id`
        id: Option<String>,
        /// `text`
        text: Option<String>,
        /// `owner`
        owner: Option<String>,
        /// `due`
        due: Option<String>,
        /// `status`
        status: Option<String>,
    }
);
raw_struct!(
    /// `foreign_travel`
    RawForeignTravel {
        /// `scope`
        scope: Option<String>,
        /// `years`
        years: Option<u32>,
        /// `passport_surrender`
        passport_surrender: Option<bool>,
    }
);
raw_struct!(
    /// `subject`
    RawSubject {
        /// `key`
        key: Option<String>,
        /// `age_band`
        age_band: Option<String>,
        /// `sex`
        sex: Option<String>,
    }
);
raw_struct!(
    /// `management`
    RawManagement {
        /// `lead_role`
        lead_role: Option<String>,
        /// `review_frequency`
        review_frequency: Option<String>,
        /// `partners`
        partners: Option<Vec<String>>,
        /// `last_review`
        last_review: Option<String>,
    }
);
raw_struct!(
    /// One `breaches` entry.
    RawBreach {
        /// `month`
        month: Option<String>,
        /// `prohibition`
        prohibition: Option<String>,
        /// `requirement`
        requirement: Option<String>,
        /// `action`
        action: Option<String>,
        /// `outcome`
        outcome: Option<String>,
        /// `custody_months`
        custody_months: Option<u32>,
        /// `reasonable_excuse`
        reasonable_excuse: Option<bool>,
    }
);
raw_struct!(
    /// One `events` entry.
    RawEvent {
        /// `month`
        month: Option<String>,
        /// `event`
        event: Option<String>,
        /// `expires`
        expires: Option<String>,
        /// `until`
        until: Option<String>,
        /// `note`
        note: Option<String>,
    }
);
raw_struct!(
    /// One `legal_bases` entry.
    RawLegalBasis {
        /// `act`
        act: Option<String>,
        /// `section`
        section: Option<String>,
        /// `summary`
        summary: Option<String>,
    }
);
raw_struct!(
    /// One `powers` entry.
    RawPower {
        /// `type`
        @rename "type" power_type: Option<String>,
        /// `basis`
        basis: Option<String>,
        /// `warrant_required`
        warrant_required: Option<bool>,
        /// `exercised_by`
        exercised_by: Option<String>,
        /// `notes`
        notes: Option<String>,
    }
);
raw_struct!(
    /// `engagement`
    RawEngagement {
        /// `route`
        route: Option<String>,
        /// `spoc_role`
        spoc_role: Option<String>,
    }
);

/// One `prohibitions` entry: a code, or `{code, years}` / `{code, until_further_order: true}`
/// for a prohibition with its own period (s17(5), s24(5)).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RawProhibition {
    /// `code`
    pub code: Option<String>,
    /// `years`
    pub years: Option<u32>,
    /// `until_further_order`
    pub until_further_order: Option<bool>,
    /// True when written as a mapping rather than a plain code.
    pub item: bool,
}

impl RawProhibition {
    /// A plain code.
    pub fn code(code: &str) -> RawProhibition {
        RawProhibition {
            code: Some(code.to_owned()),
            ..RawProhibition::default()
        }
    }
}

impl<'de> Deserialize<'de> for RawProhibition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProhibitionVisitor)
    }
}

struct ProhibitionVisitor;

impl<'de> serde::de::Visitor<'de> for ProhibitionVisitor {
    type Value = RawProhibition;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a prohibition code, or {code, years} or {code, until_further_order: true}")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawProhibition, E> {
        Ok(RawProhibition::code(v))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<RawProhibition, A::Error> {
        const FIELDS: &[&str] = &["code", "years", "until_further_order"];
        let mut out = RawProhibition {
            item: true,
            ..RawProhibition::default()
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => out.code = Some(map.next_value()?),
                "years" => out.years = Some(map.next_value()?),
                "until_further_order" => out.until_further_order = Some(map.next_value()?),
                other => return Err(serde::de::Error::unknown_field(other, FIELDS)),
            }
        }
        Ok(out)
    }
}

/// Front matter of any kind, as written.
#[derive(Debug)]
pub enum RawDocument {
    /// A case review.
    CaseReview(Box<RawCaseReview>),
    /// An order record.
    OrderRecord(Box<RawOrderRecord>),
    /// An agency powers note.
    AgencyPowers(Box<RawAgencyPowers>),
}
