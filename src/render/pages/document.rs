//! The page of each document and its history page: metadata, safe body, references,
//! backlinks, similar documents and git history.

use std::collections::{BTreeSet, HashMap};

use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::markdown;
use crate::model::enums::Closed;
use crate::model::words::count;
use crate::model::{Document, Kind, KindData, Status, VocabName};

use super::*;
use crate::render::{Link, PageDoc, RenderError};

#[derive(Serialize)]
struct Item {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct Row {
    label: &'static str,
    items: Vec<Item>,
    /// Shown one item a line (items that contain commas themselves).
    list: bool,
}

fn text(label: &'static str, value: impl ToString) -> Row {
    Row {
        label,
        items: vec![Item {
            text: value.to_string(),
            url: None,
        }],
        list: false,
    }
}

fn terms(
    ctx: &Ctx<'_>,
    label: &'static str,
    name: VocabName,
    browse: &str,
    codes: &[String],
) -> Row {
    let items = codes
        .iter()
        .map(|c| Item {
            text: ctx.label(name, c),
            url: Some(format!("/browse/{browse}/{c}/")),
        })
        .collect();
    Row {
        label,
        items,
        list: false,
    }
}

/// References as links; a document the edition leaves out is shown by the words that stand
/// for it (`a review at a higher marking`, once per row), never by its id.
fn linked(ctx: &Ctx<'_>, label: &'static str, ids: &[String]) -> Row {
    let mut items: Vec<Item> = Vec::new();
    for id in ids {
        let item = match ctx.link(id) {
            Some(l) => Item {
                text: format!("{} {}", l.id, l.title),
                url: Some(l.url),
            },
            None => Item {
                text: ctx
                    .input
                    .withheld
                    .words_for(id)
                    .unwrap_or_default()
                    .to_owned(),
                url: None,
            },
        };
        if !items.iter().any(|i| i.url.is_none() && i.text == item.text) {
            items.push(item);
        }
    }
    Row {
        label,
        items,
        list: true,
    }
}

fn lines(label: &'static str, items: Vec<String>) -> Row {
    Row {
        label,
        items: items
            .into_iter()
            .map(|t| Item { text: t, url: None })
            .collect(),
        list: true,
    }
}

fn metadata(ctx: &Ctx<'_>, d: &Document) -> Vec<Row> {
    let c = &d.common;
    let mut rows = vec![
        text("Marking", c.marking.label()),
        text("Status", c.status.label()),
    ];
    match &d.data {
        KindData::CaseReview(r) => {
            rows.push(text("Operation", &r.operation));
            rows.push(text("Review type", r.review_type.label()));
            rows.push(text("Review date", r.review_date));
            let end = r
                .investigation
                .end
                .map_or("ongoing".to_owned(), |e| e.long());
            rows.push(text(
                "Investigation",
                format!("{} to {end}", r.investigation.start.long()),
            ));
            rows.push(text(
                "Lead agency",
                ctx.label(VocabName::Agencies, &r.lead_agency),
            ));
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &r.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &r.exploitation,
            ));
            rows.push(text(
                "Referred by",
                ctx.label(VocabName::ReferralSources, &r.referral_source),
            ));
            rows.push(text("Outcome", ctx.label(VocabName::Outcomes, &r.outcome)));
            rows.push(terms(
                ctx,
                "Learning themes",
                VocabName::Themes,
                "theme",
                &r.themes,
            ));
            rows.push(linked(ctx, "Orders", &r.orders));
        }
        KindData::OrderRecord(o) => {
            rows.push(text("Order", o.order_type.label()));
            rows.push(text("Legal basis", o.basis.label()));
            rows.push(text("Where it stands", o.order_status.label()));
            rows.push(text("Court", o.court.label()));
            rows.push(text(
                "Applicant",
                o.applicant
                    .map_or("None: made by the court on sentencing", |a| a.label()),
            ));
            if let Some(m) = o.applied {
                rows.push(text("Applied", m.long()));
            }
            if let Some(m) = o.made {
                rows.push(text("Made", m.long()));
            }
            if let Some(m) = o.served {
                rows.push(text("Served", m.long()));
            }
            if let Some(d) = o.decided {
                rows.push(text(decided_label(o.order_status), d.long()));
            }
            if o.date().is_none() {
                rows.push(text("Date", "Not recorded"));
            }
            match (o.until_further_order, o.duration_years) {
                (Some(true), _) => rows.push(text("Duration", "Until further order")),
                (_, Some(y)) => rows.push(text("Duration", count(y.into(), "year", "years"))),
                _ if o.order_type.is_interim() && o.made.is_some() => {
                    rows.push(text(
                        "Duration",
                        "Fixed period, until the application is decided",
                    ));
                }
                _ => {}
            }
            if let Some(e) = o.expiry() {
                rows.push(text("Expires", e.long()));
            }
            if let Some(r) = o.renewal_due() {
                rows.push(text("Prepare any renewal from", r.long()));
            }
            if let Some(n) = o.notification_requirement {
                let label = if o.order_status.is_made() {
                    "Notification requirement"
                } else {
                    "Notification requirement sought"
                };
                rows.push(text(label, yes_no(n)));
            }
            if let Some(s) = &o.subject {
                let parts: Vec<&str> = [s.age_band.map(|a| a.label()), s.sex.map(|x| x.label())]
                    .into_iter()
                    .flatten()
                    .collect();
                if !parts.is_empty() {
                    rows.push(text("Subject", parts.join(", ")));
                }
            }
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &o.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &o.exploitation,
            ));
            let review: Vec<String> = o.case_review.iter().cloned().collect();
            rows.push(linked(ctx, "Case review", &review));
            let main: Vec<String> = o.application.iter().cloned().collect();
            rows.push(linked(ctx, "Main application", &main));
        }
        KindData::AgencyPowers(a) => {
            rows.push(text("Agency", &a.name));
            if let Some(p) = &a.parent_body {
                rows.push(text("Part of", p));
            }
            rows.push(text("Where its powers run", a.jurisdiction.label()));
            rows.push(text("NRM first responder", yes_no(a.first_responder)));
            rows.push(text("Under the duty to notify", yes_no(a.duty_to_notify)));
            rows.push(text(
                "Can apply for an STPO or STRO",
                yes_no(a.order_applicant),
            ));
            rows.push(text("Last verified", a.last_verified));
        }
    }
    rows.push(text("Owner", ctx.label(VocabName::Agencies, &c.owner)));
    rows.push(text("Last reviewed", c.last_reviewed));
    if !c.tags.is_empty() {
        rows.push(lines(
            "Tags",
            c.tags
                .iter()
                .map(|t| ctx.input.withheld.redact(t).replace('-', " "))
                .collect(),
        ));
    }
    rows.retain(|r| !r.items.is_empty());
    rows
}

/// What the `decided` month of an order that was not made records.
fn decided_label(status: crate::model::enums::OrderStatus) -> &'static str {
    use crate::model::enums::OrderStatus;
    match status {
        OrderStatus::Refused => "Refused",
        OrderStatus::Withdrawn => "Withdrawn",
        OrderStatus::ConsideredNotPursued => "Considered",
        _ => "Decided",
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// The documents a document refers to (related, orders, its review), published ones only.
fn references(ctx: &Ctx<'_>, d: &Document) -> Vec<Link> {
    let mut ids: Vec<&str> = d.common.related.iter().map(String::as_str).collect();
    match &d.data {
        KindData::CaseReview(r) => ids.extend(r.orders.iter().map(String::as_str)),
        KindData::OrderRecord(o) => ids.extend(o.case_review.as_deref()),
        KindData::AgencyPowers(_) => {}
    }
    let mut seen = BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| ctx.link(id))
        .collect()
}

/// For every published document, the published documents that refer to it (front matter
/// references and body links).
pub(super) fn backlinks<'a>(ctx: &Ctx<'a>) -> HashMap<&'a str, Vec<Link>> {
    let mut out: HashMap<&str, Vec<Link>> = HashMap::new();
    for p in &ctx.input.docs {
        let mut targets: BTreeSet<String> =
            references(ctx, p.doc).into_iter().map(|l| l.id).collect();
        for link in markdown::outline(p.body).links {
            if let Some(id) = resolve_id(ctx, p.doc, &link.target) {
                targets.insert(id);
            }
        }
        targets.remove(&p.doc.common.id);
        let Some(me) = ctx.link(&p.doc.common.id) else {
            continue;
        };
        for t in targets {
            if let Some((key, _)) = ctx.by_id.get_key_value(t.as_str()) {
                out.entry(*key).or_default().push(me.clone());
            }
        }
    }
    out
}

/// The published document a body link points at (by id or relative `.md` path).
fn resolve_id(ctx: &Ctx<'_>, from: &Document, target: &str) -> Option<String> {
    let target = target.split('#').next()?;
    if ctx.by_id.contains_key(target) {
        return Some(target.to_owned());
    }
    let path = crate::markdown::resolve_relative(&from.path, target)?;
    ctx.input
        .docs
        .iter()
        .find(|p| p.doc.path == path)
        .map(|p| p.doc.common.id.clone())
}

/// A labelled figure or fact in a section of a document page.
#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
}

fn fact(label: impl Into<String>, value: impl ToString) -> Fact {
    Fact {
        label: label.into(),
        value: value.to_string(),
    }
}

/// A country's name for a nationality count.
fn countries(map: &std::collections::BTreeMap<String, u32>) -> String {
    map.iter()
        .map(|(code, n)| format!("{} {n}", crate::model::countries::name(code)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The case in figures: victims, perpetrators, NRM, offences and sentences, agencies' roles.
fn review_facts(
    ctx: &Ctx<'_>,
    r: &crate::model::case_review::CaseReview,
) -> Vec<(&'static str, Vec<Fact>)> {
    let v = &r.victims;
    let mut victims = vec![fact("Victims", v.total)];
    for (label, n) in [
        ("Adults", v.adults),
        ("Children", v.children),
        ("Female", v.female),
        ("Male", v.male),
    ] {
        if let Some(n) = n {
            victims.push(fact(label, n));
        }
    }
    if !v.nationalities.is_empty() {
        victims.push(fact("Nationalities", countries(&v.nationalities)));
    }
    let p = &r.perpetrators;
    let mut perpetrators = vec![fact("Perpetrators", p.total)];
    if !p.roles.is_empty() {
        let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
        perpetrators.push(fact("Roles", roles.join(", ")));
    }
    if let Some(ocg) = p.ocg {
        perpetrators.push(fact("Organised crime group", yes_no(ocg)));
    }
    if !p.nationalities.is_empty() {
        perpetrators.push(fact("Nationalities", countries(&p.nationalities)));
    }
    let mut nrm = Vec::new();
    if let Some(n) = &r.nrm {
        for (label, value) in [
            ("NRM referrals", n.referrals),
            ("Positive reasonable grounds decisions", n.positive_rg),
            ("Positive conclusive grounds decisions", n.positive_cg),
            ("Duty to notify (MS1) reports", n.dtn_ms1),
            ("Adults who declined a referral", n.declined),
        ] {
            if let Some(value) = value {
                nrm.push(fact(label, value));
            }
        }
    }
    let offences = r
        .offences
        .iter()
        .map(|o| {
            fact(
                ctx.label(VocabName::Offences, &o.code),
                ctx.label(VocabName::Outcomes, &o.outcome),
            )
        })
        .collect();
    let sentences = r
        .sentences
        .iter()
        .map(|s| {
            fact(
                ctx.label(VocabName::Offences, &s.offence),
                custody(s.custody_months),
            )
        })
        .collect();
    let agencies = r
        .agencies
        .iter()
        .map(|a| fact(ctx.label(VocabName::Agencies, &a.code), a.role.label()))
        .collect();
    vec![
        ("Victims", victims),
        ("Perpetrators", perpetrators),
        ("National Referral Mechanism", nrm),
        ("Offences and outcomes", offences),
        ("Sentences", sentences),
        ("Agencies and their roles", agencies),
    ]
    .into_iter()
    .filter(|(_, facts)| !facts.is_empty())
    .collect()
}

/// A custodial term in words: `5 years 6 months`, `18 months`.
fn custody(months: u32) -> String {
    let (years, rest) = (months / 12, months % 12);
    let plural = |n: u32, unit: &str| count(n.into(), unit, &format!("{unit}s"));
    match (years, rest) {
        (0, m) => format!("{} custody", plural(m, "month")),
        (y, 0) => format!("{} custody", plural(y, "year")),
        (y, m) => format!("{} {} custody", plural(y, "year"), plural(m, "month")),
    }
}

#[derive(Serialize)]
struct BreachRow {
    month: String,
    what: String,
    action: String,
    /// Custody on conviction, and a reasonable excuse the court accepted.
    detail: Option<String>,
}

#[derive(Serialize)]
struct EventRow {
    month: String,
    event: &'static str,
    /// The new expiry, or the new end of the travel ban.
    sets: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct ProhibitionRow {
    label: String,
    /// When it ends (or ended), when the order is made.
    ends: Option<String>,
}

#[derive(Serialize)]
struct OrderCtx {
    made: bool,
    events: Vec<EventRow>,
    prohibitions: Vec<ProhibitionRow>,
    foreign_travel: Vec<Fact>,
    management: Vec<Fact>,
    breaches: Vec<BreachRow>,
    not_pursued_reason: Option<String>,
}

fn order_ctx(ctx: &Ctx<'_>, o: &crate::model::order_record::OrderRecord) -> OrderCtx {
    let foreign_travel = o
        .foreign_travel
        .as_ref()
        .map(|f| {
            let mut facts = vec![
                fact("Countries", f.scope.label()),
                fact("For", count(f.years.into(), "year", "years")),
                fact("Passports surrendered", yes_no(f.passport_surrender)),
            ];
            if let Some(end) = o.foreign_travel_ends().filter(|_| o.order_status.is_made()) {
                facts.push(fact("Ends", end.long()));
            }
            facts
        })
        .unwrap_or_default();
    OrderCtx {
        made: o.order_status.is_made(),
        events: o.events.iter().map(event_row).collect(),
        prohibitions: o
            .prohibitions
            .iter()
            .map(|p| ProhibitionRow {
                label: ctx.label(VocabName::Prohibitions, p),
                ends: o
                    .order_status
                    .is_made()
                    .then(|| ends_in_words(o.prohibition_end(p), ctx.input.today.month())),
            })
            .collect(),
        foreign_travel,
        management: management_facts(ctx, o),
        breaches: o.breaches.iter().map(|b| breach_row(ctx, b)).collect(),
        not_pursued_reason: o.not_pursued_reason.clone(),
    }
}

/// When something ends, as a sentence fragment: "until October 2030", "ended October 2025".
fn ends_in_words(end: crate::model::order_record::End, today: crate::model::Month) -> String {
    use crate::model::order_record::End;
    match end {
        End::Month(m) if m < today => format!("ended {}", m.long()),
        End::Month(m) => format!("until {}", m.long()),
        End::UntilFurtherOrder => "until further order".to_owned(),
        End::Unknown => String::new(),
    }
}

fn event_row(e: &crate::model::order_record::Event) -> EventRow {
    EventRow {
        month: e.month.long(),
        event: e.event.label(),
        sets: e
            .expires
            .map(|x| format!("Expires {}", x.long()))
            .or_else(|| e.until.map(|u| format!("Travel ban until {}", u.long()))),
        note: e.note.clone(),
    }
}

fn management_facts(ctx: &Ctx<'_>, o: &crate::model::order_record::OrderRecord) -> Vec<Fact> {
    let Some(m) = o.management.as_ref() else {
        return Vec::new();
    };
    let partners: Vec<String> = m
        .partners
        .iter()
        .map(|p| ctx.label(VocabName::Agencies, p))
        .collect();
    let mut facts = vec![
        fact("Led by", &m.lead_role),
        fact("Reviewed", m.review_frequency.label()),
    ];
    if o.order_status.is_current() {
        let last = m
            .last_review
            .map_or("Not recorded".to_owned(), |l| l.long());
        facts.push(fact("Last review held", last));
    }
    if let Some(next) = o.next_review(ctx.input.today.month()) {
        let due = if next.overdue {
            format!("{} (overdue)", next.month.long())
        } else {
            next.month.long()
        };
        facts.push(fact("Next review due", due));
    }
    if !partners.is_empty() {
        facts.push(fact("Partners", partners.join(", ")));
    }
    facts
}

fn breach_row(ctx: &Ctx<'_>, b: &crate::model::order_record::Breach) -> BreachRow {
    let mut detail = Vec::new();
    if let Some(months) = b.custody_months {
        detail.push(format!(
            "{} custody",
            count(months.into(), "month's", "months'")
        ));
    }
    if b.reasonable_excuse == Some(true) {
        detail.push("reasonable excuse accepted (s30(1))".to_owned());
    }
    BreachRow {
        month: b.month.long(),
        what: match (&b.prohibition, b.requirement) {
            (Some(p), _) => ctx.label(VocabName::Prohibitions, p),
            (None, Some(r)) => r.label().to_owned(),
            (None, None) => String::new(),
        },
        action: b.what_followed(),
        detail: (!detail.is_empty()).then(|| detail.join("; ")),
    }
}

#[derive(Serialize)]
struct AgencyPowerGroup {
    code: String,
    label: String,
    anchor: String,
    /// The page listing every agency with this power.
    url: String,
    /// Whether a warrant can apply to this power at all (not to applying for an order).
    warrant: bool,
    powers: Vec<super::powers::PowerBasis>,
}

#[derive(Serialize)]
struct AgencyCtx {
    name: String,
    powers: Vec<AgencyPowerGroup>,
    legal_bases: Vec<Fact>,
    limits: Vec<String>,
    order_applicant: bool,
    /// What an officer needs to know about applying for an STPO or STRO through this agency.
    applicant_text: String,
    route: String,
    spoc_role: String,
    last_verified: String,
    stale_months: Option<i64>,
}

fn agency_ctx(ctx: &Ctx<'_>, a: &crate::model::agency_powers::AgencyPowers) -> AgencyCtx {
    let powers = a
        .power_types()
        .into_iter()
        .map(|code| AgencyPowerGroup {
            code: code.to_owned(),
            label: ctx.label(VocabName::PowerTypes, code),
            anchor: super::powers::anchor(code),
            url: crate::model::vocab::power_url(code),
            warrant: ctx
                .input
                .vocab
                .get(VocabName::PowerTypes, code)
                .is_none_or(|t| t.warrant != Some(false)),
            powers: a
                .powers
                .iter()
                .filter(|p| p.power_type == code)
                .map(|p| super::powers::PowerBasis::of(a, p))
                .collect(),
        })
        .collect();
    let applicant_notes: Vec<&str> = a
        .powers
        .iter()
        .filter(|p| p.power_type == "order-applicant")
        .filter_map(|p| p.notes.as_deref())
        .collect();
    let applicant_text = if a.order_applicant {
        let mut t = format!(
            "{} can apply to a magistrates' court for a Slavery and Trafficking Prevention Order (Modern Slavery Act 2015 s15) or Risk Order (s23), and for interim orders (ss21, 28).",
            a.name
        );
        for n in applicant_notes {
            t.push(' ');
            t.push_str(n);
        }
        t
    } else {
        format!(
            "{} cannot apply for an STPO or STRO itself. Only a chief officer of police, an immigration officer, the Director General of the National Crime Agency or the Gangmasters and Labour Abuse Authority may apply (Modern Slavery Act 2015 ss15, 23); bring the evidence to the police or one of them. A court can also make an STPO on sentencing (s14).",
            a.name
        )
    };
    AgencyCtx {
        name: a.name.clone(),
        powers,
        legal_bases: a
            .legal_bases
            .iter()
            .map(|b| fact(format!("{} {}", b.act, b.section), &b.summary))
            .collect(),
        limits: a.limits.clone(),
        order_applicant: a.order_applicant,
        applicant_text,
        route: a.engagement.route.clone(),
        spoc_role: a.engagement.spoc_role.clone(),
        last_verified: a.last_verified.to_string(),
        stale_months: a.stale_months(ctx.input.today),
    }
}

#[derive(Serialize)]
struct RecRow {
    id: String,
    text: String,
    owner: String,
    due: String,
    status: String,
    overdue: bool,
}

/// Every code the document uses, by vocabulary, with its label: what `/api/documents/{id}`
/// gives beside the front matter, so a client shows words, not codes.
fn document_labels(
    ctx: &Ctx<'_>,
    d: &Document,
) -> std::collections::BTreeMap<&'static str, std::collections::BTreeMap<String, String>> {
    let mut out: std::collections::BTreeMap<
        &'static str,
        std::collections::BTreeMap<String, String>,
    > = Default::default();
    let mut closed = |name: &'static str, code: &str, label: &str| {
        out.entry(name)
            .or_default()
            .insert(code.to_owned(), label.to_owned());
    };
    let c = &d.common;
    closed("kind", c.kind.code(), c.kind.label());
    closed("marking", c.marking.code(), c.marking.label());
    closed("status", c.status.code(), c.status.label());
    let mut open: Vec<(VocabName, String)> = vec![(VocabName::Agencies, c.owner.clone())];
    let mut countries: Vec<&String> = Vec::new();
    match &d.data {
        KindData::CaseReview(r) => {
            closed("review_type", r.review_type.code(), r.review_type.label());
            open.push((VocabName::Agencies, r.lead_agency.clone()));
            open.extend(r.areas.iter().map(|a| (VocabName::Areas, a.clone())));
            open.extend(
                r.exploitation
                    .iter()
                    .map(|e| (VocabName::Exploitation, e.clone())),
            );
            for o in &r.offences {
                open.push((VocabName::Offences, o.code.clone()));
                open.push((VocabName::Outcomes, o.outcome.clone()));
            }
            open.push((VocabName::ReferralSources, r.referral_source.clone()));
            open.push((VocabName::Outcomes, r.outcome.clone()));
            for a in &r.agencies {
                open.push((VocabName::Agencies, a.code.clone()));
                closed("agency_role", a.role.code(), a.role.label());
            }
            for role in &r.perpetrators.roles {
                closed("perpetrator_role", role.code(), role.label());
            }
            open.extend(r.themes.iter().map(|t| (VocabName::Themes, t.clone())));
            for rec in &r.recommendations {
                open.push((VocabName::Agencies, rec.owner.clone()));
                closed(
                    "recommendation_status",
                    rec.status.code(),
                    rec.status.label(),
                );
            }
            open.extend(
                r.sentences
                    .iter()
                    .map(|s| (VocabName::Offences, s.offence.clone())),
            );
            countries.extend(r.victims.nationalities.keys());
            countries.extend(r.perpetrators.nationalities.keys());
        }
        KindData::OrderRecord(o) => {
            closed("order_type", o.order_type.code(), o.order_type.label());
            closed("basis", o.basis.code(), o.basis.label());
            closed("court", o.court.code(), o.court.label());
            closed(
                "order_status",
                o.order_status.code(),
                o.order_status.label(),
            );
            if let Some(a) = o.applicant {
                closed("applicant", a.code(), a.label());
            }
            open.extend(
                o.prohibitions
                    .iter()
                    .map(|p| (VocabName::Prohibitions, p.clone())),
            );
            open.extend(o.areas.iter().map(|a| (VocabName::Areas, a.clone())));
            open.extend(
                o.exploitation
                    .iter()
                    .map(|e| (VocabName::Exploitation, e.clone())),
            );
            if let Some(f) = &o.foreign_travel {
                closed("travel_scope", f.scope.code(), f.scope.label());
            }
            if let Some(s) = &o.subject {
                if let Some(a) = s.age_band {
                    closed("age_band", a.code(), a.label());
                }
                if let Some(x) = s.sex {
                    closed("sex", x.code(), x.label());
                }
            }
            if let Some(m) = &o.management {
                closed(
                    "review_frequency",
                    m.review_frequency.code(),
                    m.review_frequency.label(),
                );
                open.extend(m.partners.iter().map(|p| (VocabName::Agencies, p.clone())));
            }
            for b in &o.breaches {
                open.extend(
                    b.prohibition
                        .iter()
                        .map(|p| (VocabName::Prohibitions, p.clone())),
                );
                if let Some(r) = b.requirement {
                    closed("requirement", r.code(), r.label());
                }
                closed("breach_action", b.action.code(), b.action.label());
            }
            for e in &o.events {
                closed("event", e.event.code(), e.event.label());
            }
        }
        KindData::AgencyPowers(a) => {
            open.push((VocabName::Agencies, a.agency.clone()));
            closed(
                "jurisdiction",
                a.jurisdiction.code(),
                a.jurisdiction.label(),
            );
            open.extend(
                a.powers
                    .iter()
                    .map(|p| (VocabName::PowerTypes, p.power_type.clone())),
            );
        }
    }
    for (name, code) in open {
        let label = ctx.label(name, &code);
        out.entry(vocab_key(name)).or_default().insert(code, label);
    }
    for code in countries {
        out.entry("countries")
            .or_default()
            .insert(code.clone(), crate::model::countries::name(code));
    }
    out
}

/// The name of a vocabulary as `vocabulary.yaml` spells it.
fn vocab_key(name: VocabName) -> &'static str {
    match name {
        VocabName::Exploitation => "exploitation",
        VocabName::Areas => "areas",
        VocabName::Agencies => "agencies",
        VocabName::Offences => "offences",
        VocabName::Outcomes => "outcomes",
        VocabName::ReferralSources => "referral_sources",
        VocabName::Themes => "themes",
        VocabName::Prohibitions => "prohibitions",
        VocabName::PowerTypes => "power_types",
        VocabName::Synonyms => "synonyms",
    }
}

/// The front matter as JSON, without the references to documents the edition leaves out:
/// they are dropped from `related` and `orders`, and `case_review` and `application` are left
/// out when they name one.
fn front_matter(ctx: &Ctx<'_>, d: &Document) -> serde_json::Value {
    let mut value = serde_json::to_value(d).unwrap_or_default();
    let Some(fields) = value.as_object_mut() else {
        return value;
    };
    let shown = |v: &serde_json::Value| {
        v.as_str()
            .is_some_and(|id| ctx.input.withheld.is_published(id))
    };
    for list in ["related", "orders"] {
        if let Some(serde_json::Value::Array(ids)) = fields.get_mut(list) {
            ids.retain(shown);
        }
    }
    for one in ["case_review", "application"] {
        if fields.get(one).is_some_and(|v| !v.is_null() && !shown(v)) {
            fields.remove(one);
        }
    }
    value
}

/// The document as JSON (front matter, rendered HTML, history), for `/api/documents/{id}`.
pub(super) fn document_json(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Vec<u8> {
    let d = p.doc;
    let resolve = |target: &str| {
        resolve_id(ctx, d, target)
            .and_then(|id| ctx.link(&id))
            .map(|l| l.url)
    };
    let redact: &markdown::Redact<'_> = &|t| ctx.input.withheld.redact(t);
    let value = serde_json::json!({
        "front_matter": front_matter(ctx, d),
        "labels": document_labels(ctx, d),
        "html": markdown::to_html(p.body, &resolve, redact).into_string(),
        "history": ctx.input.history.get(&d.common.id),
        "url": d.url(),
    });
    crate::render::escape_json_for_html(&value.to_string()).into_bytes()
}

pub(super) fn document_page(
    ctx: &Ctx<'_>,
    p: &PageDoc<'_>,
    backlinks: Option<&Vec<Link>>,
) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let resolve = |target: &str| {
        resolve_id(ctx, d, target)
            .and_then(|id| ctx.link(&id))
            .map(|l| l.url)
    };
    let redact: &markdown::Redact<'_> = &|t| ctx.input.withheld.redact(t);
    let body = markdown::to_html(p.body, &resolve, redact);
    let template = match d.common.kind {
        Kind::CaseReview => "review.html",
        Kind::OrderRecord => "order.html",
        Kind::AgencyPowers => "agency.html",
    };
    let kind_label = d.common.kind.label();
    let (learning, related_reviews) = match &d.data {
        KindData::CaseReview(r) => super::learning::of_review(ctx, d, r),
        _ => (Vec::new(), Vec::new()),
    };
    let recommendations = match &d.data {
        KindData::CaseReview(r) => r
            .recommendations
            .iter()
            .map(|x| RecRow {
                id: x.id.clone(),
                text: x.text.clone(),
                owner: ctx.label(VocabName::Agencies, &x.owner),
                due: x.due.long(),
                status: x.status.label().to_owned(),
                overdue: x.overdue,
            })
            .collect(),
        _ => Vec::new(),
    };
    let superseded_by = if d.common.status == Status::Superseded {
        successors(ctx, d)
    } else {
        Vec::new()
    };
    let (review, order, agency) = match &d.data {
        KindData::CaseReview(r) => (review_facts(ctx, r), None, None),
        KindData::OrderRecord(o) => (Vec::new(), Some(order_ctx(ctx, o)), None),
        KindData::AgencyPowers(a) => (Vec::new(), None, Some(agency_ctx(ctx, a))),
    };
    let figures: Vec<Value> = review
        .into_iter()
        .map(|(heading, facts)| context! { heading, facts => Serde(&facts) })
        .collect();
    let page = context! {
        doc => Serde(&d.common),
        status_label => d.common.status.label(),
        figures,
        order => Serde(&order),
        agency => Serde(&agency),
        kind_label,
        handling => Serde(&d.common.handling),
        metadata => Serde(&metadata(ctx, d)),
        body => crate::render::safe(body),
        recommendations => Serde(&recommendations),
        learning => Serde(&learning),
        related_reviews => Serde(&related_reviews),
        references => Serde(&references(ctx, d)),
        backlinks => Serde(&backlinks.cloned().unwrap_or_default()),
        superseded_by => Serde(&superseded_by),
        similar => Serde(&ctx.input.similar.get(&d.common.id).cloned().unwrap_or_default()),
        history => Serde(&ctx.input.history.get(&d.common.id)),
        history_url => format!("{}history/", d.url()),
    };
    ctx.render(template, d.common.marking, page)
}

/// The published documents of the same kind that name `d` in `related` and are not superseded
/// themselves: what replaced a superseded document (the same rule as the search hits').
fn successors(ctx: &Ctx<'_>, d: &Document) -> Vec<Link> {
    let mut out: Vec<Link> = ctx
        .input
        .docs
        .iter()
        .filter(|p| {
            let c = &p.doc.common;
            c.kind == d.common.kind
                && c.status != Status::Superseded
                && c.related.contains(&d.common.id)
        })
        .filter_map(|p| ctx.link(&p.doc.common.id))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

pub(super) fn history_page(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let page = context! {
        doc => Serde(&d.common),
        doc_url => d.url(),
        history => Serde(&ctx.input.history.get(&d.common.id)),
    };
    ctx.render("history.html", d.common.marking, page)
}
