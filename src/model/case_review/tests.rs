use super::*;
use crate::model::date::Date;
use crate::model::raw::{
    RawAgencyRole, RawInvestigation, RawNrm, RawOffence, RawPerpetrators, RawVictims,
};
use crate::model::source::Spans;
use crate::model::vocab::{Term, Vocabulary};

fn vocab() -> Vocabulary {
    let mut v = Vocabulary::default();
    v.add(
        VocabName::Agencies,
        Term {
            from: Some("2021-04".into()),
            succeeds: vec!["HFRS".into()],
            ..Term::new("HIWFRS", "Fire and rescue")
        },
    );
    v.add(
        VocabName::Agencies,
        Term {
            until: Some("2021-03".into()),
            ..Term::new("HFRS", "Hampshire fire (until March 2021)")
        },
    );
    let add = |v: &mut Vocabulary, name, codes: &[&str]| {
        for c in codes {
            v.add(name, Term::new(c, c));
        }
    };
    add(&mut v, VocabName::Agencies, &["HIOWC"]);
    add(&mut v, VocabName::Areas, &["portsmouth"]);
    add(&mut v, VocabName::Exploitation, &["sexual"]);
    add(&mut v, VocabName::Offences, &["MSA2015-s2"]);
    add(&mut v, VocabName::Offences, EARLIER_OFFENCES);
    add(&mut v, VocabName::Outcomes, &["convicted"]);
    add(&mut v, VocabName::ReferralSources, &["ngo"]);
    add(&mut v, VocabName::Themes, &["nrm-use"]);
    v
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn review() -> RawCaseReview {
    RawCaseReview {
        operation: s("Operation Test"),
        review_type: s("deep-dive"),
        lead_agency: s("HIOWC"),
        investigation: Some(RawInvestigation {
            start: s("2019-01"),
            end: s("2020-01"),
        }),
        review_date: s("2020-06-01"),
        areas: Some(vec!["portsmouth".into()]),
        exploitation: Some(vec!["sexual".into()]),
        offences: Some(vec![RawOffence {
            code: s("MSA2015-s2"),
            outcome: s("convicted"),
        }]),
        victims: Some(RawVictims {
            total: Some(5),
            adults: Some(3),
            children: Some(2),
            ..RawVictims::default()
        }),
        perpetrators: Some(RawPerpetrators {
            total: Some(1),
            ..RawPerpetrators::default()
        }),
        referral_source: s("ngo"),
        outcome: s("convicted"),
        agencies: Some(vec![RawAgencyRole {
            code: s("HIOWC"),
            role: s("lead"),
        }]),
        themes: Some(vec!["nrm-use".into()]),
        ..RawCaseReview::default()
    }
}

fn errors(raw: &RawCaseReview) -> Vec<(&'static str, String)> {
    let (vocab, spans) = (vocab(), Spans::default());
    let today = Date::parse("2026-11-29").expect("date");
    let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
    validate(&mut ctx, raw);
    ctx.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.field.clone().unwrap_or_default()))
        .collect()
}

fn hints(raw: &RawCaseReview) -> Vec<String> {
    let (vocab, spans) = (vocab(), Spans::default());
    let today = Date::parse("2026-11-29").expect("date");
    let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
    validate(&mut ctx, raw);
    ctx.diagnostics.into_iter().filter_map(|d| d.hint).collect()
}

#[test]
fn a_valid_review_passes() {
    assert_eq!(errors(&review()), vec![]);
}

#[test]
fn children_cannot_decline_and_ms1_is_for_adults() {
    let with = |declined, dtn| RawCaseReview {
        nrm: Some(RawNrm {
            referrals: Some(2),
            declined: Some(declined),
            dtn_ms1: Some(dtn),
            ..RawNrm::default()
        }),
        ..review()
    };
    assert_eq!(errors(&with(3, 3)), vec![]);
    assert_eq!(
        errors(&with(4, 0)),
        vec![("E033", "nrm.declined".to_owned())]
    );
    assert_eq!(
        errors(&with(0, 5)),
        vec![("E033", "nrm.dtn_ms1".to_owned())]
    );
}

/// Every diagnostic, warnings included, with its field and hint.
fn findings(raw: &RawCaseReview) -> Vec<(&'static str, String, String)> {
    let (vocab, spans) = (vocab(), Spans::default());
    let today = Date::parse("2026-11-29").expect("date");
    let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
    validate(&mut ctx, raw);
    ctx.diagnostics
        .iter()
        .map(|d| {
            let field = d.field.clone().unwrap_or_default();
            (d.code, field, d.hint.clone().unwrap_or_default())
        })
        .collect()
}

#[test]
fn an_agency_named_outside_its_years_is_a_warning_naming_the_other_body() {
    let with = |code: &str, start: &str, end: &str| RawCaseReview {
        investigation: Some(RawInvestigation {
            start: s(start),
            end: s(end),
        }),
        agencies: Some(vec![
            RawAgencyRole {
                code: s("HIOWC"),
                role: s("lead"),
            },
            RawAgencyRole {
                code: s(code),
                role: s("support"),
            },
        ]),
        ..review()
    };
    let early = with("HIWFRS", "2019-01", "2020-01");
    assert_eq!(errors(&early), vec![], "a warning never blocks a commit");
    assert_eq!(
        findings(&early),
        vec![(
            "W111",
            "agencies[1].code".to_owned(),
            "at the time this was `HFRS` (Hampshire fire (until March 2021))".to_owned()
        )]
    );
    assert_eq!(findings(&with("HFRS", "2019-01", "2020-01")), vec![]);
    assert_eq!(
        findings(&with("HIWFRS", "2020-06", "2021-08")),
        vec![],
        "ended after it was formed"
    );
    let later = RawCaseReview {
        review_date: s("2023-06-01"),
        ..with("HFRS", "2022-01", "2023-01")
    };
    assert_eq!(
        findings(&later),
        vec![(
            "W111",
            "agencies[1].code".to_owned(),
            "by then it was `HIWFRS` (Fire and rescue)".to_owned()
        )]
    );
}

#[test]
fn msa_offences_cover_conduct_from_31_july_2015() {
    let earlier = || RawCaseReview {
        investigation: Some(RawInvestigation {
            start: s("2013-02"),
            end: s("2014-11"),
        }),
        review_date: s("2015-03-01"),
        ..review()
    };
    assert_eq!(
        errors(&earlier()),
        vec![("E053", "offences[0].code".to_owned())]
    );
    let hint = hints(&earlier()).join("\n");
    for code in [
        "NIAA2002-s145",
        "SOA2003-s58A",
        "SOA2003-s62",
        "CJA2009-s71",
    ] {
        assert!(hint.contains(code), "{code} missing from {hint:?}");
    }
    let charged_then = RawCaseReview {
        offences: Some(
            EARLIER_OFFENCES
                .iter()
                .map(|code| RawOffence {
                    code: s(code),
                    outcome: s("convicted"),
                })
                .collect(),
        ),
        ..earlier()
    };
    assert_eq!(errors(&charged_then), vec![]);
    // An investigation running past the commencement may include later conduct.
    let spanning = RawCaseReview {
        investigation: Some(RawInvestigation {
            start: s("2014-02"),
            end: s("2016-01"),
        }),
        ..review()
    };
    assert_eq!(errors(&spanning), vec![]);
}
