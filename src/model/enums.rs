//! The closed vocabularies: values fixed by law or policy (marking, status, order type, basis…),
//! as Rust enums. Open vocabularies (areas, agencies, themes…) are data: see `vocab`.

use serde::Serialize;

/// A closed set of codes that front matter spells as strings.
pub trait Closed: Sized + Copy + 'static {
    /// The vocabulary's name in messages, e.g. "status".
    const WHAT: &'static str;
    /// Every code, in schema order.
    const CODES: &'static [&'static str];
    /// The value for a code, if it is one.
    fn from_code(code: &str) -> Option<Self>;
    /// The value's code.
    fn code(self) -> &'static str;
}

macro_rules! closed {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $(
            #[doc = concat!("`", $code, "`")]
            $variant,
        )* }

        impl Closed for $name {
            const WHAT: &'static str = $what;
            const CODES: &'static [&'static str] = &[$($code),*];
            fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

closed!(
    /// The three document kinds.
    Kind, "kind" { CaseReview = "case_review", OrderRecord = "order_record", AgencyPowers = "agency_powers" }
);
closed!(
    /// Protective marking. Ordered: a build's ceiling admits everything at or below it.
    Marking, "marking" { Official = "OFFICIAL", OfficialSensitive = "OFFICIAL-SENSITIVE" }
);
closed!(
    /// Editorial status of a document.
    Status, "status" {
        Draft = "draft", InReview = "in-review", Approved = "approved",
        Superseded = "superseded", Withdrawn = "withdrawn",
    }
);
closed!(
    /// What kind of review a case review is.
    ReviewType, "review_type" {
        DeepDive = "deep-dive", Debrief = "debrief", Thematic = "thematic",
        PeerReview = "peer-review", FileAudit = "file-audit",
    }
);
closed!(
    /// A perpetrator's role.
    PerpetratorRole, "perpetrator role" {
        Controller = "controller", Recruiter = "recruiter", Transporter = "transporter",
        Enforcer = "enforcer", Landlord = "landlord", Employer = "employer",
        MoneyLaunderer = "money-launderer", Other = "other",
    }
);
closed!(
    /// An agency's role in an investigation.
    AgencyRole, "agency role" {
        Lead = "lead", Support = "support", Safeguarding = "safeguarding",
        Enforcement = "enforcement", Intelligence = "intelligence",
    }
);
closed!(
    /// Progress of a recommendation.
    RecommendationStatus, "recommendation status" {
        Open = "open", InProgress = "in-progress", Done = "done", Rejected = "rejected",
    }
);
closed!(
    /// The four kinds of order under the Modern Slavery Act 2015 Part 2.
    OrderType, "order_type" {
        Stpo = "STPO", Stro = "STRO", InterimStpo = "interim-STPO", InterimStro = "interim-STRO",
    }
);
closed!(
    /// The section an order was made or sought under.
    Basis, "basis" {
        S14 = "MSA2015-s14", S15 = "MSA2015-s15", S21 = "MSA2015-s21",
        S23 = "MSA2015-s23", S28 = "MSA2015-s28",
    }
);
closed!(
    /// Who applied for an order.
    Applicant, "applicant" {
        ChiefOfficerPolice = "chief-officer-police", ImmigrationOfficer = "immigration-officer",
        NcaDirectorGeneral = "nca-director-general", Glaa = "glaa",
    }
);
closed!(
    /// The court that made or heard the order.
    Court, "court" {
        Magistrates = "magistrates", Crown = "crown", Youth = "youth", CourtOfAppeal = "court-of-appeal",
    }
);
closed!(
    /// Where an order stands.
    OrderStatus, "order_status" {
        ConsideredNotPursued = "considered-not-pursued", Applied = "applied", Refused = "refused",
        Withdrawn = "withdrawn", InterimGranted = "interim-granted", Granted = "granted",
        Varied = "varied", Renewed = "renewed", Discharged = "discharged", Expired = "expired",
    }
);
closed!(
    /// How far a foreign travel prohibition reaches.
    TravelScope, "foreign_travel.scope" { NamedCountries = "named-countries", AllExcept = "all-except", All = "all" }
);
closed!(
    /// Age band of an order's subject.
    AgeBand, "age_band" {
        Under18 = "under-18", A18to24 = "18-24", A25to34 = "25-34", A35to44 = "35-44",
        A45to54 = "45-54", A55Plus = "55+",
    }
);
closed!(
    /// Sex of an order's subject.
    Sex, "sex" { Female = "female", Male = "male", Unknown = "unknown" }
);
closed!(
    /// How often a current order is reviewed.
    ReviewFrequency, "review_frequency" {
        Monthly = "monthly", Quarterly = "quarterly", SixMonthly = "six-monthly", Annual = "annual",
    }
);
closed!(
    /// What followed a breach of an order.
    BreachAction, "breach action" { S30Charged = "s30-charged", Convicted = "convicted", Nfa = "nfa", Warning = "warning" }
);
closed!(
    /// Where an agency's powers run.
    Jurisdiction, "jurisdiction" {
        EnglandWales = "england-wales", GreatBritain = "great-britain",
        UnitedKingdom = "united-kingdom", Local = "local",
    }
);

impl Kind {
    /// The folder under `knowledge/` that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::CaseReview => "reviews",
            Kind::OrderRecord => "orders",
            Kind::AgencyPowers => "agencies",
        }
    }

    /// The kind whose folder is `folder`.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        [Kind::CaseReview, Kind::OrderRecord, Kind::AgencyPowers]
            .into_iter()
            .find(|k| k.folder() == folder)
    }

    /// The prefix of this kind's ids.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::CaseReview => "CR-",
            Kind::OrderRecord => "ORD-",
            Kind::AgencyPowers => "AG-",
        }
    }
}

impl Status {
    /// True when a normal build publishes documents with this status.
    pub fn is_published(self) -> bool {
        matches!(self, Status::Approved | Status::Superseded)
    }
}

impl OrderType {
    /// The statutory minimum duration in years (s17 STPO 5, s24 STRO 2); none for interim orders.
    pub fn minimum_years(self) -> Option<u32> {
        match self {
            OrderType::Stpo => Some(5),
            OrderType::Stro => Some(2),
            OrderType::InterimStpo | OrderType::InterimStro => None,
        }
    }

    /// The bases an order of this type may be made under.
    pub fn bases(self) -> &'static [Basis] {
        match self {
            OrderType::Stpo => &[Basis::S14, Basis::S15],
            OrderType::Stro => &[Basis::S23],
            OrderType::InterimStpo => &[Basis::S21],
            OrderType::InterimStro => &[Basis::S28],
        }
    }
}

impl OrderStatus {
    /// True when the order was made (interim-granted, granted, varied, renewed, discharged, expired).
    pub fn is_made(self) -> bool {
        !matches!(
            self,
            OrderStatus::ConsideredNotPursued
                | OrderStatus::Applied
                | OrderStatus::Refused
                | OrderStatus::Withdrawn
        )
    }

    /// True while the order is in force (interim-granted, granted, varied, renewed).
    pub fn is_current(self) -> bool {
        matches!(
            self,
            OrderStatus::InterimGranted
                | OrderStatus::Granted
                | OrderStatus::Varied
                | OrderStatus::Renewed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in OrderStatus::CODES {
            assert_eq!(OrderStatus::from_code(code).unwrap().code(), *code);
        }
        assert_eq!(Marking::from_code("official"), None);
        assert!(Marking::Official < Marking::OfficialSensitive);
    }

    #[test]
    fn every_basis_belongs_to_exactly_one_order_type() {
        for code in Basis::CODES {
            let basis = Basis::from_code(code).unwrap();
            let owners = OrderType::CODES
                .iter()
                .filter(|t| OrderType::from_code(t).unwrap().bases().contains(&basis))
                .count();
            assert_eq!(owners, 1, "{code}");
        }
    }
}
