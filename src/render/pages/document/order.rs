//! What an order record's page shows: its terms, prohibitions, events, management and breaches.

use super::*;

#[derive(Serialize)]
pub(super) struct BreachRow {
    month: String,
    what: String,
    action: String,
    /// Custody on conviction, and a reasonable excuse the court accepted.
    detail: Option<String>,
}

#[derive(Serialize)]
pub(super) struct EventRow {
    month: String,
    event: &'static str,
    /// The new expiry, or the new end of the travel ban.
    sets: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ProhibitionRow {
    label: String,
    /// When it ends (or ended), when the order is made.
    ends: Option<String>,
}

#[derive(Serialize)]
pub(super) struct OrderCtx {
    made: bool,
    events: Vec<EventRow>,
    prohibitions: Vec<ProhibitionRow>,
    foreign_travel: Vec<Fact>,
    management: Vec<Fact>,
    breaches: Vec<BreachRow>,
    not_pursued_reason: Option<String>,
}

pub(super) fn order_ctx(ctx: &Ctx<'_>, o: &crate::model::order_record::OrderRecord) -> OrderCtx {
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
pub(super) fn ends_in_words(
    end: crate::model::order_record::End,
    today: crate::model::Month,
) -> String {
    use crate::model::order_record::End;
    match end {
        End::Month(m) if m < today => format!("ended {}", m.long()),
        End::Month(m) => format!("until {}", m.long()),
        End::UntilFurtherOrder => "until further order".to_owned(),
        End::Unknown => String::new(),
    }
}

pub(super) fn event_row(e: &crate::model::order_record::Event) -> EventRow {
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

pub(super) fn management_facts(
    ctx: &Ctx<'_>,
    o: &crate::model::order_record::OrderRecord,
) -> Vec<Fact> {
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

pub(super) fn breach_row(ctx: &Ctx<'_>, b: &crate::model::order_record::Breach) -> BreachRow {
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
