//! `agency_powers`: what a partner agency can do, on what legal basis, and how to engage it.

use serde::Serialize;

use crate::diagnostic::{Code, one_line};

use super::date::Date;
use super::enums::Jurisdiction;
use super::raw::RawAgencyPowers;
use super::validate::Ctx;
use super::vocab::VocabName;

/// A validated agency powers note.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyPowers {
    /// Agency code; the id is `AG-` + this.
    pub agency: String,
    /// Full name.
    pub name: String,
    /// Sponsoring department.
    pub parent_body: Option<String>,
    /// Where its powers run.
    pub jurisdiction: Jurisdiction,
    /// One paragraph on what it does.
    pub remit: String,
    /// Acts and sections its powers come from.
    pub legal_bases: Vec<LegalBasis>,
    /// Its powers.
    pub powers: Vec<Power>,
    /// NRM first responder.
    pub first_responder: bool,
    /// Under the s52 duty to notify.
    pub duty_to_notify: bool,
    /// May apply for STPO/STRO.
    pub order_applicant: bool,
    /// How to engage it.
    pub engagement: Engagement,
    /// What it cannot do.
    pub limits: Vec<String>,
    /// When the note was last checked against the law and practice.
    pub last_verified: Date,
}

/// One legal basis.
#[derive(Debug, Clone, Serialize)]
pub struct LegalBasis {
    /// The Act or instrument.
    pub act: String,
    /// Section(s).
    pub section: String,
    /// What it provides.
    pub summary: String,
}

/// One power.
#[derive(Debug, Clone, Serialize)]
pub struct Power {
    /// Power-type code.
    #[serde(rename = "type")]
    pub power_type: String,
    /// Where it comes from.
    pub basis: String,
    /// Whether a warrant is needed.
    pub warrant_required: bool,
    /// The role that exercises it ("Labour abuse prevention officer"), when not simply the
    /// agency's officers.
    pub exercised_by: Option<String>,
    /// Conditions and practice.
    pub notes: Option<String>,
}

/// `engagement`.
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    /// How to reach the agency.
    pub route: String,
    /// The single point of contact's role (never a name).
    pub spoc_role: String,
}

/// A powers note not verified for this many months is flagged as stale.
pub(crate) const STALE_AFTER_MONTHS: i64 = 12;

/// Acts whose powers run in England and Wales only, whatever the agency's own reach: a power
/// runs no wider than the Act that gives it (an STPO or STRO application, under Part 2 of the
/// Modern Slavery Act 2015, is an England and Wales power even for a UK-wide agency).
const ENGLAND_AND_WALES_ACTS: &[&str] = &[
    "Modern Slavery Act 2015",
    "Anti-social Behaviour, Crime and Policing Act 2014",
    "Housing Act 2004",
    "Licensing Act 2003",
    "Police and Criminal Evidence Act 1984",
    "Regulatory Reform (Fire Safety) Order 2005",
    "Children Act 1989",
    "Local Government (Miscellaneous Provisions) Act 1976",
];

impl Power {
    /// Where this power runs: the agency's jurisdiction, narrowed to England and Wales when
    /// the Act named in its basis extends no further.
    pub fn extent(&self, agency: Jurisdiction) -> Jurisdiction {
        let england_wales = ENGLAND_AND_WALES_ACTS
            .iter()
            .any(|act| self.basis.starts_with(act));
        match agency {
            Jurisdiction::GreatBritain | Jurisdiction::UnitedKingdom if england_wales => {
                Jurisdiction::EnglandWales
            }
            other => other,
        }
    }
}

impl AgencyPowers {
    /// Whole months since the note was last verified, when that is long enough for it to be
    /// flagged ("not verified for 14 months").
    pub fn stale_months(&self, today: Date) -> Option<i64> {
        let months = self.last_verified.months_until(today);
        (months >= STALE_AFTER_MONTHS).then_some(months)
    }

    /// The power types the agency holds, each once, in the order first recorded.
    pub fn power_types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in &self.powers {
            if !out.contains(&p.power_type.as_str()) {
                out.push(&p.power_type);
            }
        }
        out
    }

    /// The legal basis entry a power's basis falls under: same Act, and the power's first
    /// section number inside the entry's sections (`s52` in `ss51-53`); or the Act's only
    /// entry.
    pub fn basis_entry(&self, basis: &str) -> Option<&LegalBasis> {
        let lower = basis.to_lowercase();
        let same_act: Vec<&LegalBasis> = self
            .legal_bases
            .iter()
            .filter(|b| lower.starts_with(&b.act.to_lowercase()))
            .collect();
        let number = first_number(&lower[same_act.first()?.act.len()..]);
        let by_section = number.and_then(|n| {
            same_act
                .iter()
                .find(|b| section_ranges(&b.section).iter().any(|r| r.contains(&n)))
        });
        match (by_section, same_act.as_slice()) {
            (Some(b), _) => Some(b),
            (None, [only]) => Some(only),
            _ => None,
        }
    }
}

/// The first whole number in `text`.
fn first_number(text: &str) -> Option<u32> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The section numbers a section list covers: `ss6-9, 12-17` → 6..=9, 12..=17.
fn section_ranges(section: &str) -> Vec<std::ops::RangeInclusive<u32>> {
    section
        .split([',', ';'])
        .filter_map(|part| {
            let (a, b) = part.split_once(['-', '–']).unwrap_or((part, part));
            let (a, b) = (first_number(a)?, first_number(b)?);
            Some(a.min(b)..=a.max(b))
        })
        .collect()
}

/// Validates an agency powers note's own fields.
pub(crate) fn validate(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Option<AgencyPowers> {
    let agency = ctx.req_term(VocabName::Agencies, "agency", &raw.agency);
    if let (Some(agency), Some(id)) = (&agency, &raw.id) {
        let expected = format!("AG-{agency}");
        if *id != expected {
            let field = ctx.later("id", "agency");
            let message = format!("`id` is `{}` but `agency` is `{agency}`", one_line(id));
            ctx.report_hint(
                Code::AgencyIdMismatch,
                field,
                message,
                format!("the id of this note is `{expected}`"),
            );
        }
    }
    let name = ctx.text("name", &raw.name);
    let jurisdiction = ctx.required_closed("jurisdiction", &raw.jurisdiction);
    let remit = ctx.text("remit", &raw.remit);
    let legal_bases = legal_bases(ctx, raw);
    let powers = powers(ctx, raw);
    let first_responder = ctx.required("first_responder", raw.first_responder);
    let duty_to_notify = ctx.required("duty_to_notify", raw.duty_to_notify);
    let order_applicant = ctx.required("order_applicant", raw.order_applicant);
    let engagement = ctx
        .required("engagement", raw.engagement.as_ref())
        .and_then(|e| {
            let route = ctx.text("engagement.route", &e.route);
            let spoc_role = ctx.text("engagement.spoc_role", &e.spoc_role);
            Some(Engagement {
                route: route?,
                spoc_role: spoc_role?,
            })
        });
    let last_verified = ctx.past_date("last_verified", &raw.last_verified);
    if let Some(date) = last_verified {
        let months = date.months_until(ctx.today);
        if months >= STALE_AFTER_MONTHS {
            let message = format!(
                "powers note not verified for {} (`last_verified` is {date})",
                super::words::count(months as u64, "month", "months")
            );
            let hint =
                "check the note against current law and practice, then update `last_verified`"
                    .to_owned();
            ctx.report_hint(Code::StalePowersNote, "last_verified", message, hint);
        }
    }
    Some(AgencyPowers {
        agency: agency?,
        name: name?,
        parent_body: raw.parent_body.clone(),
        jurisdiction: jurisdiction?,
        remit: remit?,
        legal_bases,
        powers,
        first_responder: first_responder?,
        duty_to_notify: duty_to_notify?,
        order_applicant: order_applicant?,
        engagement: engagement?,
        limits: raw.limits.clone().unwrap_or_default(),
        last_verified: last_verified?,
    })
}

fn legal_bases(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Vec<LegalBasis> {
    let Some(list) = ctx.required("legal_bases", raw.legal_bases.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "legal_bases",
            "`legal_bases` needs at least one legal basis",
        );
    }
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let act = ctx.text(&format!("legal_bases[{i}].act"), &b.act);
        let section = ctx.text(&format!("legal_bases[{i}].section"), &b.section);
        let summary = ctx.text(&format!("legal_bases[{i}].summary"), &b.summary);
        if let (Some(act), Some(section), Some(summary)) = (act, section, summary) {
            out.push(LegalBasis {
                act,
                section,
                summary,
            });
        }
    }
    out
}

fn powers(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Vec<Power> {
    let Some(list) = ctx.required("powers", raw.powers.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "powers",
            "`powers` needs at least one power",
        );
    }
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let power_type = ctx.req_term(
            VocabName::PowerTypes,
            &format!("powers[{i}].type"),
            &p.power_type,
        );
        let basis = ctx.text(&format!("powers[{i}].basis"), &p.basis);
        let warrant = ctx.required(&format!("powers[{i}].warrant_required"), p.warrant_required);
        if let (Some(power_type), Some(basis), Some(warrant_required)) =
            (power_type, basis, warrant)
        {
            out.push(Power {
                power_type,
                basis,
                warrant_required,
                exercised_by: p.exercised_by.clone(),
                notes: p.notes.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(act: &str, section: &str, summary: &str) -> LegalBasis {
        LegalBasis {
            act: act.into(),
            section: section.into(),
            summary: summary.into(),
        }
    }

    #[test]
    fn a_power_finds_the_legal_basis_it_falls_under() {
        let note = AgencyPowers {
            agency: "LA-LIC".into(),
            name: "Licensing".into(),
            parent_body: None,
            jurisdiction: super::super::enums::Jurisdiction::Local,
            remit: "r".into(),
            legal_bases: vec![
                basis("Licensing Act 2003", "ss51-53", "review"),
                basis("Licensing Act 2003", "s179", "entry"),
                basis(
                    "Local Government (Miscellaneous Provisions) Act 1976",
                    "s61",
                    "taxis",
                ),
            ],
            powers: Vec::new(),
            first_responder: true,
            duty_to_notify: true,
            order_applicant: false,
            engagement: Engagement {
                route: "r".into(),
                spoc_role: "s".into(),
            },
            limits: Vec::new(),
            last_verified: Date::parse("2025-01-31").unwrap(),
        };
        let summary = |b: &str| note.basis_entry(b).map(|e| e.summary.as_str());
        assert_eq!(summary("Licensing Act 2003 s52"), Some("review"));
        assert_eq!(summary("Licensing Act 2003 s179"), Some("entry"));
        assert_eq!(
            summary("Local Government (Miscellaneous Provisions) Act 1976 s61"),
            Some("taxis")
        );
        assert_eq!(summary("Licensing Act 2003 s200"), None);
        assert_eq!(summary("Housing Act 2004 s20"), None);
        assert_eq!(note.stale_months(Date::parse("2026-01-30").unwrap()), None);
        assert_eq!(
            note.stale_months(Date::parse("2026-03-31").unwrap()),
            Some(14)
        );
    }

    #[test]
    fn a_power_runs_no_wider_than_the_act_that_gives_it() {
        let power = |basis: &str| Power {
            power_type: "order-applicant".into(),
            basis: basis.into(),
            warrant_required: false,
            exercised_by: None,
            notes: None,
        };
        let msa = power("Modern Slavery Act 2015 ss15 and 23");
        assert_eq!(
            msa.extent(Jurisdiction::UnitedKingdom),
            Jurisdiction::EnglandWales
        );
        assert_eq!(
            msa.extent(Jurisdiction::GreatBritain),
            Jurisdiction::EnglandWales
        );
        assert_eq!(msa.extent(Jurisdiction::Local), Jurisdiction::Local);
        let immigration = power("Immigration Act 1971 Sch 2");
        assert_eq!(
            immigration.extent(Jurisdiction::UnitedKingdom),
            Jurisdiction::UnitedKingdom
        );
    }
}
