//! Unit tests of the order model: one per rule, no git and no files.

use super::*;
use crate::model::date::Date;
use crate::model::raw::{
    RawBreach, RawEvent, RawForeignTravel, RawManagement, RawProhibition, RawSubject,
};
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
        duration_years: Some(10),
        expires: s("2030-10"),
        prohibitions: Some(vec![RawProhibition::code("contact-named-persons")]),
        notification_requirement: Some(true),
        exploitation: Some(vec!["labour".into()]),
        areas: Some(vec!["portsmouth".into()]),
        management: Some(RawManagement {
            lead_role: s("Order manager"),
            review_frequency: s("quarterly"),
            partners: None,
            last_review: None,
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
        applied: s("2026-08"),
        made: s("2026-09"),
        until_further_order: None,
        duration_years: None,
        expires: s("2027-03"),
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
        expires: s("2027-09"),
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
        applied: s("2026-08"),
        made: s("2026-09"),
        until_further_order: None,
        duration_years: None,
        expires: s("2027-03"),
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
        duration_years: Some(7),
        expires: s("2027-10"),
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
            key: None,
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
        action: s("charged"),
        ..RawBreach::default()
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
            RawProhibition::code("foreign-travel"),
            RawProhibition::code("contact-named-persons"),
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
        until: None,
        note: note.map(str::to_owned),
    }
}

#[test]
fn events_are_in_order_and_set_the_expiry() {
    let renewed = RawOrderRecord {
        order_status: s("renewed"),
        duration_years: Some(5),
        expires: s("2030-10"),
        events: Some(vec![
            event("2022-01", "varied", None, None),
            event("2025-06", "renewed", Some("2030-10"), None),
        ]),
        ..made_stpo()
    };
    assert_eq!(codes(&renewed), Vec::<&str>::new());
    let stale = RawOrderRecord {
        expires: s("2030-04"),
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
        order_status: s("renewed"),
        duration_years: Some(5),
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
    let early = |note: Option<&str>, order_type: &str, basis: &str, years: u32| RawOrderRecord {
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

/// Every diagnostic `raw` gets, warnings included, with the field each points at.
fn findings(raw: &RawOrderRecord) -> Vec<(&'static str, String)> {
    let (vocab, spans) = (vocab(), Spans::default());
    let today = Date::parse("2026-12-07").expect("date");
    let mut ctx = Ctx::new("knowledge/orders/ORD-2020-001.md", &spans, &vocab, today);
    validate(&mut ctx, raw);
    ctx.diagnostics
        .iter()
        .map(|d| (d.code, d.field.clone().unwrap_or_default()))
        .collect()
}

/// The record `raw` validates to, on 7 December 2026.
fn record(raw: &RawOrderRecord) -> OrderRecord {
    let (vocab, spans) = (vocab(), Spans::default());
    let today = Date::parse("2026-12-07").expect("date");
    let mut ctx = Ctx::new("x", &spans, &vocab, today);
    let order = validate(&mut ctx, raw).expect("valid");
    assert!(
        ctx.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        ctx.diagnostics
    );
    order
}

fn item(code: &str, years: Option<u32>, until_further_order: Option<bool>) -> RawProhibition {
    RawProhibition {
        code: s(code),
        years,
        until_further_order,
        item: true,
    }
}

fn travel(years: u32, scope: &str, surrender: bool) -> Option<RawForeignTravel> {
    Some(RawForeignTravel {
        scope: s(scope),
        years: Some(years),
        passport_surrender: Some(surrender),
    })
}

#[test]
fn each_prohibition_may_carry_its_own_period_of_at_least_the_minimum() {
    let with = |list: Vec<RawProhibition>| RawOrderRecord {
        prohibitions: Some(list),
        ..made_stpo()
    };
    let mixed = with(vec![
        RawProhibition::code("contact-named-persons"),
        item("vehicle-use", Some(5), None),
    ]);
    let order = record(&mixed);
    assert_eq!(
        order.prohibitions,
        vec!["contact-named-persons", "vehicle-use"]
    );
    assert_eq!(
        order.prohibition_end("vehicle-use"),
        End::Month(Month::parse("2025-10").unwrap())
    );
    assert_eq!(
        order.prohibition_end("contact-named-persons"),
        End::Month(Month::parse("2030-10").unwrap()),
        "a plain code takes the order's period"
    );
    let open = with(vec![item("vehicle-use", None, Some(true))]);
    assert_eq!(
        record(&open).prohibition_end("vehicle-use"),
        End::UntilFurtherOrder
    );
    // s17(4): a fixed period of an STPO's prohibition is at least 5 years.
    let short = with(vec![item("vehicle-use", Some(3), None)]);
    assert_eq!(
        errors(&short),
        vec![("E043", "prohibitions[0].years".to_owned())]
    );
    let both = with(vec![item("vehicle-use", Some(6), Some(true))]);
    assert_eq!(codes(&both), vec!["E030"]);
    let neither = with(vec![item("vehicle-use", None, None)]);
    assert_eq!(codes(&neither), vec!["E030"]);
    let unknown = with(vec![item("vehicle-hire", Some(6), None)]);
    assert_eq!(
        errors(&unknown),
        vec![("E029", "prohibitions[0].code".to_owned())]
    );
    // Foreign travel's period is `foreign_travel`'s, never its own.
    let travel_item = RawOrderRecord {
        foreign_travel: travel(5, "named-countries", false),
        ..with(vec![item("foreign-travel", Some(5), None)])
    };
    assert_eq!(codes(&travel_item), vec!["E045"]);
    // s24(4): an STRO's minimum is 2 years.
    let stro = RawOrderRecord {
        order_type: s("STRO"),
        basis: s("MSA2015-s23"),
        ..with(vec![item("vehicle-use", Some(2), None)])
    };
    assert_eq!(codes(&stro), Vec::<&str>::new());
}

#[test]
fn a_travel_ban_is_extended_by_at_most_five_years_at_a_time() {
    let extended = |until: &str| RawOrderRecord {
        prohibitions: Some(vec![
            RawProhibition::code("foreign-travel"),
            RawProhibition::code("contact-named-persons"),
        ]),
        foreign_travel: travel(5, "named-countries", false),
        events: Some(vec![RawEvent {
            until: s(until),
            ..event("2025-06", "foreign-travel-extended", None, None)
        }]),
        ..made_stpo()
    };
    // Made 2020-10 with 5 years: the ban ended 2025-10; extended in 2025-06 to 2029-06.
    let order = record(&extended("2029-06"));
    assert_eq!(order.foreign_travel_ends(), Month::parse("2029-06"));
    assert_eq!(
        order.prohibition_end("foreign-travel"),
        End::Month(Month::parse("2029-06").unwrap())
    );
    assert_eq!(
        errors(&extended("2030-11")),
        vec![("E045", "events[0].until".to_owned())],
        "more than 5 years after the previous end (2025-10)"
    );
    assert_eq!(
        codes(&extended("2030-10")),
        Vec::<&str>::new(),
        "exactly 5 years"
    );
    assert_eq!(
        codes(&extended("2025-08")),
        vec!["E034"],
        "not after the previous end"
    );
    let no_until = RawOrderRecord {
        events: Some(vec![event(
            "2025-06",
            "foreign-travel-extended",
            None,
            None,
        )]),
        ..extended("2029-06")
    };
    assert_eq!(
        errors(&no_until),
        vec![("E017", "events[0].until".to_owned())]
    );
    let no_ban = RawOrderRecord {
        events: Some(vec![RawEvent {
            until: s("2029-06"),
            ..event("2025-06", "foreign-travel-extended", None, None)
        }]),
        ..made_stpo()
    };
    assert_eq!(codes(&no_ban), vec!["E052"]);
}

#[test]
fn interim_orders_are_not_bound_by_the_travel_limits_of_s18_and_s25() {
    let interim = RawOrderRecord {
        prohibitions: Some(vec![RawProhibition::code("foreign-travel")]),
        foreign_travel: travel(7, "all", false),
        ..made_stpo_interim()
    };
    assert_eq!(codes(&interim), Vec::<&str>::new());
    let full = RawOrderRecord {
        prohibitions: Some(vec![RawProhibition::code("foreign-travel")]),
        foreign_travel: travel(7, "all", false),
        ..made_stpo()
    };
    assert_eq!(codes(&full), vec!["E045", "E045"]);
}

#[test]
fn an_order_only_on_foreign_travel_is_discharged_without_consent() {
    let discharged = |prohibitions: Vec<RawProhibition>| RawOrderRecord {
        order_status: s("discharged"),
        prohibitions: Some(prohibitions),
        foreign_travel: travel(5, "named-countries", false),
        management: None,
        events: Some(vec![event("2023-10", "discharged", None, None)]),
        ..made_stpo()
    };
    // s20(7): the consent rule of s20(6) does not apply.
    assert_eq!(
        codes(&discharged(vec![RawProhibition::code("foreign-travel")])),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(&discharged(vec![
            RawProhibition::code("foreign-travel"),
            RawProhibition::code("contact-named-persons"),
        ])),
        vec!["E052"]
    );
}

#[test]
fn the_status_agrees_with_the_events_and_the_dates() {
    let expired_long_ago = RawOrderRecord {
        made: s("2017-10"),
        applied: s("2017-07"),
        duration_years: Some(5),
        expires: s("2022-10"),
        ..made_stpo()
    };
    assert_eq!(
        errors(&expired_long_ago),
        vec![("E055", "order_status".to_owned())]
    );
    let expired_in_future = RawOrderRecord {
        order_status: s("expired"),
        management: None,
        ..made_stpo()
    };
    assert_eq!(
        errors(&expired_in_future),
        vec![("E055", "order_status".to_owned())]
    );
    let interim_on_full = RawOrderRecord {
        order_status: s("interim-granted"),
        ..made_stpo()
    };
    assert_eq!(
        errors(&interim_on_full),
        vec![("E055", "order_status".to_owned())]
    );
    let renewed_without_event = RawOrderRecord {
        order_status: s("renewed"),
        ..made_stpo()
    };
    assert_eq!(codes(&renewed_without_event), vec!["E055"]);
    let made_next_year = RawOrderRecord {
        applied: s("2026-10"),
        made: s("2027-01"),
        expires: s("2037-01"),
        ..made_stpo()
    };
    assert_eq!(errors(&made_next_year), vec![("E028", "made".to_owned())]);
    // This month is not the future.
    let made_this_month = RawOrderRecord {
        applied: s("2026-10"),
        made: s("2026-12"),
        expires: s("2036-12"),
        ..made_stpo()
    };
    assert_eq!(findings(&made_this_month), vec![]);
    // `granted` on an interim order reads as `interim-granted`, with a warning.
    let granted_interim = RawOrderRecord {
        order_status: s("granted"),
        ..made_stpo_interim()
    };
    assert_eq!(
        findings(&granted_interim),
        vec![("W110", "order_status".to_owned())]
    );
    assert_eq!(
        record(&granted_interim).order_status,
        OrderStatus::InterimGranted
    );
}

#[test]
fn a_breach_is_dated_while_the_order_was_in_force() {
    let breached = |month: &str| RawOrderRecord {
        breaches: Some(vec![RawBreach {
            month: s(month),
            ..breach(Some("contact-named-persons"), None)
        }]),
        ..made_stpo()
    };
    assert_eq!(codes(&breached("2024-02")), Vec::<&str>::new());
    assert_eq!(
        errors(&breached("2027-02")),
        vec![("E028", "breaches[0].month".to_owned())]
    );
    let after_discharge = RawOrderRecord {
        order_status: s("discharged"),
        management: None,
        events: Some(vec![event(
            "2025-11",
            "discharged",
            None,
            Some("Consent of both."),
        )]),
        ..breached("2026-02")
    };
    assert_eq!(
        errors(&after_discharge),
        vec![("E046", "breaches[0].month".to_owned())]
    );
    // A prohibition with its own period ends before the order does.
    let own_period = RawOrderRecord {
        prohibitions: Some(vec![item("contact-named-persons", Some(5), None)]),
        ..breached("2026-02")
    };
    assert_eq!(
        errors(&own_period),
        vec![("E046", "breaches[0].month".to_owned())]
    );
}

#[test]
fn a_breach_records_what_followed_and_how_a_charge_ended() {
    let followed = |b: RawBreach| RawOrderRecord {
        breaches: Some(vec![b]),
        ..made_stpo()
    };
    let base = breach(Some("contact-named-persons"), None);
    let convicted = RawBreach {
        outcome: s("convicted"),
        custody_months: Some(18),
        ..base.clone()
    };
    let order = record(&followed(convicted.clone()));
    assert_eq!(order.breaches[0].outcome, Some(BreachOutcome::Convicted));
    assert_eq!(
        order.breaches[0].what_followed(),
        "Charged (s30): convicted"
    );
    // A charge with no outcome yet is pending.
    assert_eq!(
        record(&followed(base.clone())).breaches[0].outcome,
        Some(BreachOutcome::Pending)
    );
    let over_max = RawBreach {
        custody_months: Some(61),
        ..convicted.clone()
    };
    assert_eq!(
        errors(&followed(over_max)),
        vec![("E046", "breaches[0].custody_months".to_owned())]
    );
    let custody_on_acquittal = RawBreach {
        outcome: s("acquitted"),
        ..convicted
    };
    assert_eq!(codes(&followed(custody_on_acquittal)), vec!["E046"]);
    let outcome_on_warning = RawBreach {
        action: s("warning"),
        outcome: s("convicted"),
        ..base.clone()
    };
    assert_eq!(
        errors(&followed(outcome_on_warning)),
        vec![("E046", "breaches[0].outcome".to_owned())]
    );
    let excuse_but_convicted = RawBreach {
        outcome: s("convicted"),
        reasonable_excuse: Some(true),
        ..base.clone()
    };
    assert_eq!(codes(&followed(excuse_but_convicted)), vec!["E046"]);
    let excuse_accepted = RawBreach {
        outcome: s("acquitted"),
        reasonable_excuse: Some(true),
        ..base.clone()
    };
    assert_eq!(codes(&followed(excuse_accepted)), Vec::<&str>::new());
    let left_on_file = RawBreach {
        outcome: s("left-on-file"),
        ..base
    };
    assert_eq!(
        record(&followed(left_on_file)).breaches[0].outcome,
        Some(BreachOutcome::LeftOnFile)
    );
}

#[test]
fn the_earlier_breach_actions_still_check_with_a_warning() {
    let earlier = |action: &str| RawOrderRecord {
        breaches: Some(vec![RawBreach {
            action: s(action),
            ..breach(Some("contact-named-persons"), None)
        }]),
        ..made_stpo()
    };
    for (written, outcome) in [
        ("s30-charged", BreachOutcome::Pending),
        ("convicted", BreachOutcome::Convicted),
    ] {
        let raw = earlier(written);
        assert_eq!(
            findings(&raw),
            vec![("W110", "breaches[0].action".to_owned())]
        );
        let b = &record(&raw).breaches[0];
        assert_eq!(
            (b.action, b.outcome),
            (BreachAction::Charged, Some(outcome))
        );
    }
}

#[test]
fn service_the_subject_key_and_the_main_application() {
    let served = |month: &str| RawOrderRecord {
        served: s(month),
        ..made_stpo()
    };
    assert_eq!(record(&served("2020-11")).served, Month::parse("2020-11"));
    assert_eq!(
        errors(&served("2020-09")),
        vec![("E034", "served".to_owned())]
    );
    let served_not_made = RawOrderRecord {
        order_status: s("refused"),
        made: None,
        until_further_order: None,
        duration_years: None,
        expires: None,
        management: None,
        decided: s("2020-12"),
        served: s("2021-01"),
        ..made_stpo()
    };
    assert_eq!(
        errors(&served_not_made),
        vec![("E042", "served".to_owned())]
    );
    let keyed = |key: &str| RawOrderRecord {
        subject: Some(RawSubject {
            key: s(key),
            age_band: None,
            sex: None,
        }),
        ..made_stpo()
    };
    assert_eq!(record(&keyed("S-7Q2K")).subject_key(), Some("S-7Q2K"));
    for bad in ["S-12", "S-123456789", "7Q2K", "S-7Q 2K"] {
        assert_eq!(
            errors(&keyed(bad)),
            vec![("E030", "subject.key".to_owned())],
            "{bad}"
        );
    }
    let interim = RawOrderRecord {
        application: s("ORD-2026-003"),
        ..made_stpo_interim()
    };
    assert_eq!(
        record(&interim).application.as_deref(),
        Some("ORD-2026-003")
    );
    let on_full = RawOrderRecord {
        application: s("ORD-2026-003"),
        ..made_stpo()
    };
    assert_eq!(errors(&on_full), vec![("E056", "application".to_owned())]);
}

#[test]
fn a_management_review_due_this_month_is_due_and_one_before_it_overdue() {
    let today = Month::parse("2026-12").unwrap();
    let managed = |last: Option<&str>| RawOrderRecord {
        made: s("2023-09"),
        applied: s("2023-06"),
        expires: s("2033-09"),
        management: Some(RawManagement {
            lead_role: s("Order manager"),
            review_frequency: s("quarterly"),
            partners: None,
            last_review: last.map(str::to_owned),
        }),
        ..made_stpo()
    };
    // Made 2023-09, quarterly, no review recorded: the schedule falls due this month.
    let next = record(&managed(None)).next_review(today).unwrap();
    assert_eq!(
        (next.month, next.overdue, next.from_last_review),
        (today, false, false)
    );
    let held = record(&managed(Some("2026-09")))
        .next_review(today)
        .unwrap();
    assert_eq!(
        (held.month, held.overdue, held.from_last_review),
        (today, false, true)
    );
    let late = record(&managed(Some("2026-06")))
        .next_review(today)
        .unwrap();
    assert_eq!(
        (late.month.to_string(), late.overdue),
        ("2026-09".to_owned(), true)
    );
    let early = record(&managed(Some("2026-10")))
        .next_review(today)
        .unwrap();
    assert_eq!(
        (early.month.to_string(), early.overdue),
        ("2027-01".to_owned(), false)
    );
    assert_eq!(
        errors(&managed(Some("2027-01"))),
        vec![("E028", "management.last_review".to_owned())]
    );
    assert_eq!(
        errors(&managed(Some("2023-08"))),
        vec![("E034", "management.last_review".to_owned())]
    );
}

#[test]
fn an_interim_order_is_not_renewed() {
    let interim = record(&made_stpo_interim());
    assert_eq!(interim.renewal_due(), None);
    assert_eq!(record(&made_stpo()).renewal_due(), Month::parse("2030-04"));
}
