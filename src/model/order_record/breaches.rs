//! Breaches of a made order and what followed them (s30): a breach of a prohibition or of a
//! requirement, dated while the order (or that prohibition) was in force, then the action
//! taken and, after a charge, its outcome.

use crate::diagnostic::{Code, one_line};
use crate::model::date::Month;
use crate::model::enums::{BreachAction, BreachOutcome, Closed, OrderStatus, Requirement};
use crate::model::raw::{RawBreach, RawOrderRecord};
use crate::model::validate::Ctx;

use super::{Breach, ForeignTravel, OrderRecord};

/// The most custody s30(3)(a) allows on indictment: 5 years.
const MAX_CUSTODY_MONTHS: u32 = 60;

/// What the breaches are checked against.
pub(super) struct Facts<'a> {
    pub(super) status: Option<OrderStatus>,
    pub(super) made: Option<Month>,
    /// The order's prohibitions, when it lists any.
    pub(super) prohibitions: Option<&'a [String]>,
    pub(super) foreign_travel: Option<&'a ForeignTravel>,
    /// The whole record, when every field it needs is valid: for the months each
    /// prohibition was in force.
    pub(super) record: Option<&'a OrderRecord>,
}

pub(super) fn breaches(ctx: &mut Ctx<'_>, raw: &RawOrderRecord, facts: &Facts<'_>) -> Vec<Breach> {
    let list = raw.breaches.as_deref().unwrap_or(&[]);
    if let Some(s) = facts.status.filter(|s| !s.is_made() && !list.is_empty()) {
        let message =
            format!("`breaches` recorded on an order that was not made (`order_status` is `{s}`)");
        ctx.report(Code::BreachRule, "breaches", message);
        return Vec::new();
    }
    let notification = raw.notification_requirement == Some(true);
    list.iter()
        .enumerate()
        .filter_map(|(i, b)| breach(ctx, &format!("breaches[{i}]"), b, facts, notification))
        .collect()
}

fn breach(
    ctx: &mut Ctx<'_>,
    field: &str,
    b: &RawBreach,
    facts: &Facts<'_>,
    notification: bool,
) -> Option<Breach> {
    let month = ctx.required(&format!("{field}.month"), b.month.as_ref());
    let month = month.and(ctx.past_month(&format!("{field}.month"), &b.month));
    let requirement: Option<Requirement> =
        ctx.closed(&format!("{field}.requirement"), &b.requirement);
    let named = what_was_breached(ctx, field, b, facts, requirement, notification);
    let (action, earlier_outcome) = action(ctx, field, b)?;
    let outcome = outcome(ctx, field, b, action, earlier_outcome);
    if let Some(m) = month {
        in_force(ctx, field, m, b.prohibition.as_deref(), facts);
    }
    Some(Breach {
        month: month?,
        prohibition: b.prohibition.clone(),
        requirement,
        action,
        outcome,
        custody_months: b.custody_months,
        reasonable_excuse: b.reasonable_excuse,
    })
    .filter(|_| named)
}

/// Exactly one of a prohibition of the order or a requirement it imposes.
fn what_was_breached(
    ctx: &mut Ctx<'_>,
    field: &str,
    b: &RawBreach,
    facts: &Facts<'_>,
    requirement: Option<Requirement>,
    notification: bool,
) -> bool {
    let requirement_field = format!("{field}.requirement");
    match (&b.prohibition, &b.requirement) {
        (Some(_), Some(_)) => {
            let message = format!(
                "`{field}` names both a `prohibition` and a `requirement`; a breach is of one"
            );
            ctx.report(Code::BreachRule, &requirement_field, message);
            return false;
        }
        (None, None) => {
            let message = format!("`{field}` names neither a `prohibition` nor a `requirement`");
            let hint = format!(
                "give the prohibition breached, or `requirement:` {}",
                Requirement::CODES.join(" or ")
            );
            ctx.report_hint(Code::BreachRule, field, message, hint);
            return false;
        }
        _ => {}
    }
    if let (Some(p), Some(listed)) = (b.prohibition.as_ref(), facts.prohibitions)
        && !listed.contains(p)
    {
        let message = format!(
            "`{field}.prohibition` is `{}`, which is not one of the order's `prohibitions`",
            one_line(p)
        );
        let listed: Vec<String> = listed.iter().map(|l| one_line(l)).collect();
        let hint = format!("the order prohibits: {}", listed.join(", "));
        ctx.report_hint(
            Code::BreachRule,
            &format!("{field}.prohibition"),
            message,
            hint,
        );
    }
    match requirement {
        Some(Requirement::Notification) if !notification => {
            let message = format!(
                "`{field}.requirement` is `notification`, but the order has no `notification_requirement`"
            );
            ctx.report(Code::BreachRule, &requirement_field, message);
        }
        Some(Requirement::PassportSurrender)
            if !facts.foreign_travel.is_some_and(|f| f.passport_surrender) =>
        {
            let message = format!(
                "`{field}.requirement` is `passport-surrender`, but the order does not require passports to be surrendered"
            );
            let hint =
                "passport surrender is part of `foreign_travel` (`passport_surrender: true`)";
            ctx.report_hint(Code::BreachRule, &requirement_field, message, hint.into());
        }
        _ => {}
    }
    true
}

/// `action`, reading the earlier forms `s30-charged` and `convicted` as a charge with its
/// outcome, with a warning that shows the new form.
fn action(
    ctx: &mut Ctx<'_>,
    field: &str,
    b: &RawBreach,
) -> Option<(BreachAction, Option<BreachOutcome>)> {
    let action_field = format!("{field}.action");
    let code = ctx.required(&action_field, b.action.as_ref())?;
    if let Some((action, outcome)) = BreachAction::from_earlier(code) {
        let message = format!(
            "`{action_field}` `{code}` is an earlier form: read as `action: charged, outcome: {outcome}`"
        );
        let hint = format!("write `action: charged, outcome: {outcome}`");
        ctx.report_hint(Code::EarlierForm, &action_field, message, hint);
        return Some((action, Some(outcome)));
    }
    ctx.closed(&action_field, &b.action).map(|a| (a, None))
}

/// `outcome` only after a charge; `custody_months` only on conviction, at most 60 months
/// (s30(3)(a)); a reasonable excuse the court accepted (s30(1)) ends in acquittal.
fn outcome(
    ctx: &mut Ctx<'_>,
    field: &str,
    b: &RawBreach,
    action: BreachAction,
    earlier: Option<BreachOutcome>,
) -> Option<BreachOutcome> {
    let outcome_field = format!("{field}.outcome");
    let written: Option<BreachOutcome> = ctx.closed(&outcome_field, &b.outcome);
    if b.outcome.is_some() && action != BreachAction::Charged {
        let message = format!(
            "`{outcome_field}` is given, but the breach was not charged (`action` is `{action}`)"
        );
        let hint =
            "an outcome follows a charge under s30: set `action: charged`, or remove `outcome`";
        ctx.report_hint(Code::BreachRule, &outcome_field, message, hint.into());
    }
    let outcome = written.or(earlier);
    if let Some(months) = b.custody_months {
        let custody_field = format!("{field}.custody_months");
        if outcome != Some(BreachOutcome::Convicted) {
            let message =
                format!("`{custody_field}` is given, but the breach did not end in conviction");
            let hint = "custody follows a conviction: set `outcome: convicted`, or remove `custody_months`";
            ctx.report_hint(Code::BreachRule, &custody_field, message, hint.into());
        } else if months > MAX_CUSTODY_MONTHS {
            let message = format!(
                "`{custody_field}` is {months}; breach of an order carries at most 5 years (60 months) on indictment (s30(3)(a))"
            );
            ctx.report(Code::BreachRule, &custody_field, message);
        }
    }
    if b.reasonable_excuse == Some(true) && outcome != Some(BreachOutcome::Acquitted) {
        let excuse_field = format!("{field}.reasonable_excuse");
        let message = format!("`{excuse_field}` is true, but the breach did not end in acquittal");
        let hint = "a breach is an offence only without reasonable excuse (s30(1)): where the court accepted one, the outcome is `acquitted`";
        ctx.report_hint(Code::BreachRule, &excuse_field, message, hint.into());
    }
    outcome.or((action == BreachAction::Charged).then_some(BreachOutcome::Pending))
}

/// A breach is dated while the order, or the prohibition breached, was in force.
fn in_force(
    ctx: &mut Ctx<'_>,
    field: &str,
    m: Month,
    prohibition: Option<&str>,
    facts: &Facts<'_>,
) {
    let month_field = format!("{field}.month");
    if let Some(made) = facts.made.filter(|made| m < *made) {
        let message = format!("`{month_field}` ({m}) is before the order was made ({made})");
        ctx.report(Code::DateOrder, &month_field, message);
        return;
    }
    let Some(record) = facts.record else { return };
    let order_end = record.ended().or(record.end().month());
    let own_end = prohibition.and_then(|p| record.prohibition_end(p).month());
    let (end, what) = match (order_end, own_end) {
        (Some(o), Some(p)) if p < o => (p, "that prohibition"),
        (Some(o), _) => (o, "the order"),
        (None, Some(p)) => (p, "that prohibition"),
        (None, None) => return,
    };
    if m > end {
        let message = format!("`{month_field}` ({m}) is after {what} ended ({end})");
        let hint =
            "a breach is of an order in force: check the month, and the order's expiry and events";
        ctx.report_hint(Code::BreachRule, &month_field, message, hint.into());
    }
}
