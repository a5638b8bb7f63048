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
    /// What pages show for the value: words a practitioner uses, never the code.
    fn label(self) -> &'static str;
    /// The label of a code, if it is one.
    fn label_of(code: &str) -> Option<&'static str> {
        Self::from_code(code).map(Self::label)
    }
}

macro_rules! closed {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $code:literal => $label:literal),* $(,)? }) => {
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
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
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
    Kind, "kind" {
        CaseReview = "case_review" => "Case review",
        OrderRecord = "order_record" => "Order record",
        AgencyPowers = "agency_powers" => "Agency powers",
    }
);
closed!(
    /// Protective marking. Ordered: a build's ceiling admits everything at or below it.
    Marking, "marking" {
        Official = "OFFICIAL" => "OFFICIAL",
        OfficialSensitive = "OFFICIAL-SENSITIVE" => "OFFICIAL-SENSITIVE",
    }
);
closed!(
    /// Editorial status of a document.
    Status, "status" {
        Draft = "draft" => "Draft", InReview = "in-review" => "In review",
        Approved = "approved" => "Approved", Superseded = "superseded" => "Superseded",
        Withdrawn = "withdrawn" => "Withdrawn",
    }
);
closed!(
    /// What kind of review a case review is.
    ReviewType, "review_type" {
        DeepDive = "deep-dive" => "Deep dive", Debrief = "debrief" => "Debrief",
        Thematic = "thematic" => "Thematic review", PeerReview = "peer-review" => "Peer review",
        FileAudit = "file-audit" => "File audit",
    }
);
closed!(
    /// A perpetrator's role.
    PerpetratorRole, "perpetrator role" {
        Controller = "controller" => "Controller", Recruiter = "recruiter" => "Recruiter",
        Transporter = "transporter" => "Transporter", Enforcer = "enforcer" => "Enforcer",
        Landlord = "landlord" => "Landlord", Employer = "employer" => "Employer",
        MoneyLaunderer = "money-launderer" => "Money launderer", Other = "other" => "Other role",
    }
);
closed!(
    /// An agency's role in an investigation.
    AgencyRole, "agency role" {
        Lead = "lead" => "Lead", Support = "support" => "Support",
        Safeguarding = "safeguarding" => "Safeguarding", Enforcement = "enforcement" => "Enforcement",
        Intelligence = "intelligence" => "Intelligence",
    }
);
closed!(
    /// Progress of a recommendation.
    RecommendationStatus, "recommendation status" {
        Open = "open" => "Open", InProgress = "in-progress" => "In progress",
        Done = "done" => "Done", Rejected = "rejected" => "Rejected",
    }
);
closed!(
    /// The four kinds of order under the Modern Slavery Act 2015 Part 2.
    OrderType, "order_type" {
        Stpo = "STPO" => "STPO", Stro = "STRO" => "STRO",
        InterimStpo = "interim-STPO" => "Interim STPO", InterimStro = "interim-STRO" => "Interim STRO",
    }
);
closed!(
    /// The section an order was made or sought under.
    Basis, "basis" {
        S14 = "MSA2015-s14" => "Modern Slavery Act 2015 s14 (on conviction)",
        S15 = "MSA2015-s15" => "Modern Slavery Act 2015 s15 (on application)",
        S21 = "MSA2015-s21" => "Modern Slavery Act 2015 s21 (interim prevention order)",
        S23 = "MSA2015-s23" => "Modern Slavery Act 2015 s23 (risk order)",
        S28 = "MSA2015-s28" => "Modern Slavery Act 2015 s28 (interim risk order)",
    }
);
closed!(
    /// Who applied for an order.
    Applicant, "applicant" {
        ChiefOfficerPolice = "chief-officer-police" => "Chief officer of police",
        ImmigrationOfficer = "immigration-officer" => "Immigration officer",
        NcaDirectorGeneral = "nca-director-general" => "Director General of the NCA",
        Glaa = "glaa" => "Gangmasters and Labour Abuse Authority",
    }
);
closed!(
    /// The court that made or heard the order.
    Court, "court" {
        Magistrates = "magistrates" => "Magistrates' court", Crown = "crown" => "Crown Court",
        Youth = "youth" => "Youth court", CourtOfAppeal = "court-of-appeal" => "Court of Appeal",
    }
);
closed!(
    /// Where an order stands.
    OrderStatus, "order_status" {
        ConsideredNotPursued = "considered-not-pursued" => "Considered, not pursued",
        Applied = "applied" => "Applied for", Refused = "refused" => "Refused",
        Withdrawn = "withdrawn" => "Application withdrawn",
        InterimGranted = "interim-granted" => "Interim order granted", Granted = "granted" => "Granted",
        Varied = "varied" => "Varied", Renewed = "renewed" => "Renewed",
        Discharged = "discharged" => "Discharged", Expired = "expired" => "Expired",
    }
);
closed!(
    /// How far a foreign travel prohibition reaches.
    TravelScope, "foreign_travel.scope" {
        NamedCountries = "named-countries" => "Named countries",
        AllExcept = "all-except" => "All countries except those named",
        All = "all" => "All countries",
    }
);
closed!(
    /// Age band of an order's subject.
    AgeBand, "age_band" {
        Under18 = "under-18" => "Under 18", A18to24 = "18-24" => "18 to 24",
        A25to34 = "25-34" => "25 to 34", A35to44 = "35-44" => "35 to 44",
        A45to54 = "45-54" => "45 to 54", A55Plus = "55+" => "55 and over",
    }
);
closed!(
    /// Sex of an order's subject.
    Sex, "sex" { Female = "female" => "Female", Male = "male" => "Male", Unknown = "unknown" => "Not known" }
);
closed!(
    /// How often a current order is reviewed.
    ReviewFrequency, "review_frequency" {
        Monthly = "monthly" => "Monthly", Quarterly = "quarterly" => "Quarterly",
        SixMonthly = "six-monthly" => "Every six months", Annual = "annual" => "Annually",
    }
);
closed!(
    /// What followed a breach of an order.
    BreachAction, "breach action" {
        Warning = "warning" => "Warning", Nfa = "nfa" => "No further action",
        Cautioned = "cautioned" => "Cautioned", Charged = "charged" => "Charged with breach (s30)",
    }
);
closed!(
    /// The outcome of a charge of breaching an order (s30).
    BreachOutcome, "breach outcome" {
        Pending = "pending" => "Awaiting trial", Convicted = "convicted" => "Convicted",
        Acquitted = "acquitted" => "Acquitted", LeftOnFile = "left-on-file" => "Left on file",
        Discontinued = "discontinued" => "Discontinued",
    }
);
closed!(
    /// A requirement of an order whose breach is an offence under s30(2), besides its
    /// prohibitions.
    Requirement, "breach requirement" {
        Notification = "notification" => "Notifying name and address (s19, s21(6), s26, s28(6))",
        PassportSurrender = "passport-surrender" => "Surrendering passports (s18(4), s25(4))",
    }
);
closed!(
    /// A dated event in an order's life after it was made.
    EventKind, "order event" {
        Varied = "varied" => "Varied", Renewed = "renewed" => "Renewed",
        Discharged = "discharged" => "Discharged", AppealAllowed = "appeal-allowed" => "Appeal allowed",
        AppealDismissed = "appeal-dismissed" => "Appeal dismissed",
        ForeignTravelExtended = "foreign-travel-extended" => "Foreign travel prohibition extended",
    }
);
closed!(
    /// Where an agency's powers run.
    Jurisdiction, "jurisdiction" {
        EnglandWales = "england-wales" => "England and Wales", GreatBritain = "great-britain" => "Great Britain",
        UnitedKingdom = "united-kingdom" => "United Kingdom", Local = "local" => "Its own area only",
    }
);
closed!(
    /// How strongly a learning point is shown to work: the College of Policing practice bank's
    /// idea, applied to one point of one review.
    LearningGrade, "learning grade" {
        Effective = "effective" => "Effective", Promising = "promising" => "Promising",
        Untested = "untested" => "Untested", Ineffective = "ineffective" => "Did not work",
    }
);
closed!(
    /// Another statutory review a case connects to.
    RelatedReviewType, "related review type" {
        Cspr = "cspr" => "Child safeguarding practice review",
        Lcspr = "lcspr" => "Local child safeguarding practice review",
        Sar = "sar" => "Safeguarding adults review",
        Dhr = "dhr" => "Domestic homicide review",
        Scr = "scr" => "Serious case review",
        Iopc = "iopc" => "IOPC investigation report",
        Other = "other" => "Other review",
    }
);

impl LearningGrade {
    /// Whether the grade needs a sentence of evidence: what shows it worked, or did not.
    pub fn needs_evidence(self) -> bool {
        matches!(self, LearningGrade::Effective | LearningGrade::Ineffective)
    }

    /// The order a reader wants them in: what works first.
    pub fn rank(self) -> u8 {
        match self {
            LearningGrade::Effective => 0,
            LearningGrade::Promising => 1,
            LearningGrade::Untested => 2,
            LearningGrade::Ineffective => 3,
        }
    }
}

impl Kind {
    /// The folder under `knowledge/` that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::CaseReview => "reviews",
            Kind::OrderRecord => "orders",
            Kind::AgencyPowers => "agencies",
        }
    }

    /// The kind in the plural, heading its list: `Case reviews`. (The agency notes' list keeps
    /// the kind's own label, "Agency powers".)
    pub fn plural(self) -> &'static str {
        match self {
            Kind::CaseReview => "Case reviews",
            Kind::OrderRecord => "Order records",
            Kind::AgencyPowers => "Agency powers",
        }
    }

    /// The site URL of the document of this kind with `id`: `/reviews/CR-2024-007/`.
    pub fn url(self, id: &str) -> String {
        format!("/{}/{id}/", self.folder())
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

impl BreachAction {
    /// The form an earlier schema wrote, read as its new equivalent: `s30-charged` is a charge
    /// awaiting its outcome, `convicted` a charge that ended in conviction.
    pub fn from_earlier(code: &str) -> Option<(BreachAction, BreachOutcome)> {
        match code {
            "s30-charged" => Some((BreachAction::Charged, BreachOutcome::Pending)),
            "convicted" => Some((BreachAction::Charged, BreachOutcome::Convicted)),
            _ => None,
        }
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

    /// True for the interim orders (s21, s28), which run for a fixed period until the main
    /// application is decided.
    pub fn is_interim(self) -> bool {
        matches!(self, OrderType::InterimStpo | OrderType::InterimStro)
    }

    /// How long after it was made an order may be discharged only with consent: 5 years for
    /// an STPO (s20(6)), 2 years for an STRO (s27(6)); interim orders have no such period.
    pub fn consent_years(self) -> Option<u32> {
        self.minimum_years()
    }

    /// The sections of the consent rule for discharge and of its exception for an order
    /// whose only prohibition is on foreign travel.
    pub fn consent_sections(self) -> (&'static str, &'static str) {
        match self.family() {
            OrderType::Stro => ("s27(6)", "s27(7)"),
            _ => ("s20(6)", "s20(7)"),
        }
    }

    /// The order in words and the section that sets its minimum period: an STPO s17(4), an
    /// STRO s24(4).
    pub fn period_section(self) -> (&'static str, &'static str) {
        match self.family() {
            OrderType::Stro => ("an STRO", "s24(4)"),
            _ => ("an STPO", "s17(4)"),
        }
    }

    /// The full order an interim order is made pending (s21: STPO, s28: STRO), or the type
    /// itself for a full order.
    pub fn family(self) -> OrderType {
        match self {
            OrderType::Stpo | OrderType::InterimStpo => OrderType::Stpo,
            OrderType::Stro | OrderType::InterimStro => OrderType::Stro,
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

impl EventKind {
    /// True for the events that may set a new expiry: a renewal or a variation.
    pub fn sets_expiry(self) -> bool {
        matches!(self, EventKind::Renewed | EventKind::Varied)
    }
}

impl Jurisdiction {
    /// How far it reaches, for comparing: its own area, England and Wales, Great Britain,
    /// the United Kingdom.
    pub fn reach(self) -> u8 {
        match self {
            Jurisdiction::Local => 0,
            Jurisdiction::EnglandWales => 1,
            Jurisdiction::GreatBritain => 2,
            Jurisdiction::UnitedKingdom => 3,
        }
    }
}

impl ReviewFrequency {
    /// Months between two reviews.
    pub fn months(self) -> i64 {
        match self {
            ReviewFrequency::Monthly => 1,
            ReviewFrequency::Quarterly => 3,
            ReviewFrequency::SixMonthly => 6,
            ReviewFrequency::Annual => 12,
        }
    }
}

impl Basis {
    /// True when the order is made on application to a magistrates' court (youth court for a
    /// subject under 18): s15 and s23, and the interim orders heard with them (s21, s28). An
    /// s14 order is made by whichever court deals with the offender.
    pub fn on_application(self) -> bool {
        self != Basis::S14
    }

    /// The provision that sends an application about a subject under 18 to a youth court:
    /// s15(6) for an STPO (and the interim STPO heard with it), s23(5) for an STRO (and the
    /// interim STRO).
    pub fn youth_court_section(self) -> &'static str {
        match self {
            Basis::S23 | Basis::S28 => "s23(5)",
            _ => "s15(6)",
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
    fn labels_are_words_not_codes() {
        assert_eq!(Court::Magistrates.label(), "Magistrates' court");
        assert_eq!(
            OrderStatus::label_of("considered-not-pursued"),
            Some("Considered, not pursued")
        );
        assert_eq!(ReviewType::DeepDive.label(), "Deep dive");
        assert_eq!(Jurisdiction::EnglandWales.label(), "England and Wales");
        assert_eq!(
            Applicant::label_of("chief-officer-police"),
            Some("Chief officer of police")
        );
        // Every label of a kebab-case code reads as words.
        for code in OrderStatus::CODES.iter().chain(Applicant::CODES) {
            let label = OrderStatus::label_of(code)
                .or_else(|| Applicant::label_of(code))
                .unwrap_or_default();
            assert!(!label.contains('-'), "{code}: {label}");
        }
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
