//! The order's terms: its prohibitions, each with the order's period or one of its own
//! (s17(4)–(5), s24(4)–(5)), and the foreign travel prohibition's own rules (s18, s25).

use crate::diagnostic::Code;
use crate::model::enums::{OrderStatus, OrderType, TravelScope};
use crate::model::raw::{RawForeignTravel, RawOrderRecord, RawProhibition};
use crate::model::validate::Ctx;
use crate::model::vocab::VocabName;

use super::{ForeignTravel, Period, ProhibitionPeriod};

/// The code of the foreign travel prohibition, whose period `foreign_travel` sets.
pub(super) const FOREIGN_TRAVEL: &str = "foreign-travel";

/// The prohibitions as validated: every code once, and the periods of those that have one.
pub(super) struct Prohibitions {
    pub(super) codes: Vec<String>,
    pub(super) periods: Vec<ProhibitionPeriod>,
}

pub(super) fn prohibitions(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    order_type: Option<OrderType>,
    status: Option<OrderStatus>,
) -> Prohibitions {
    let mut out = Prohibitions {
        codes: Vec::new(),
        periods: Vec::new(),
    };
    let Some(list) = raw.prohibitions.as_deref() else {
        return out;
    };
    if list.is_empty() && status.is_some_and(OrderStatus::is_made) {
        let message = "`prohibitions` needs at least one prohibition";
        ctx.report(Code::EmptyList, "prohibitions", message);
    }
    for (i, item) in list.iter().enumerate() {
        let field = if item.item {
            format!("prohibitions[{i}].code")
        } else {
            format!("prohibitions[{i}]")
        };
        let Some(code) = ctx.required(&field, item.code.as_ref()) else {
            continue;
        };
        if !ctx.term(VocabName::Prohibitions, &field, code) || out.codes.contains(code) {
            continue;
        }
        out.codes.push(code.clone());
        if item.item
            && let Some(period) = own_period(ctx, i, item, code, order_type)
        {
            out.periods.push(ProhibitionPeriod {
                code: code.clone(),
                period,
            });
        }
    }
    out
}

/// The period of a prohibition written as `{code, years}` or `{code, until_further_order:
/// true}`: exactly one of the two; a fixed period at least the order's statutory minimum;
/// none for foreign travel, whose period is `foreign_travel`'s (s18, s25).
fn own_period(
    ctx: &mut Ctx<'_>,
    i: usize,
    item: &RawProhibition,
    code: &str,
    order_type: Option<OrderType>,
) -> Option<Period> {
    let field = format!("prohibitions[{i}]");
    if code == FOREIGN_TRAVEL && (item.years.is_some() || item.until_further_order.is_some()) {
        let message = format!("`{field}` gives the foreign travel prohibition a period of its own");
        let hint = "its period is `foreign_travel.years` (at most 5 years, s18(1), s25(1)), extended by a `foreign-travel-extended` event: write `foreign-travel` as a plain code";
        ctx.report_hint(Code::ForeignTravel, &field, message, hint.into());
        return None;
    }
    let period = match (item.years, item.until_further_order) {
        (Some(y), None | Some(false)) => Period::Years(y),
        (None, Some(true)) => Period::UntilFurtherOrder,
        (Some(_), Some(true)) => {
            let message = format!("`{field}` gives both `years` and `until_further_order: true`");
            let hint =
                "a prohibition runs for a fixed number of years or until further order, not both";
            ctx.report_hint(Code::InvalidValue, &field, message, hint.into());
            return None;
        }
        (None, _) => {
            let message = format!("`{field}` is written as a mapping but gives no period");
            let hint = format!(
                "give `{{code: {code}, years: N}}` or `{{code: {code}, until_further_order: true}}`, or write the plain code to take the order's period"
            );
            ctx.report_hint(Code::InvalidValue, &field, message, hint);
            return None;
        }
    };
    if let (Period::Years(y), Some(t)) = (period, order_type)
        && let Some(min) = t.minimum_years()
        && y < min
    {
        let (what, section) = t.period_section();
        let message = format!(
            "`{field}.years` is {y}; a prohibition of {what} with a fixed period runs at least {min} years ({section})"
        );
        let hint = format!("set `years: {min}` or more, or `until_further_order: true`");
        ctx.report_hint(
            Code::DurationTooShort,
            &format!("{field}.years"),
            message,
            hint,
        );
    }
    Some(period)
}

/// `foreign_travel`: on a full order at most 5 years (s18(1), s25(1)), and a ban on all
/// travel requires passport surrender (s18(4), s25(4)). Interim orders are not governed by
/// s18 or s25, so neither limit applies to them. On every order it needs the `foreign-travel`
/// prohibition.
pub(super) fn foreign_travel(
    ctx: &mut Ctx<'_>,
    raw: &RawOrderRecord,
    order_type: Option<OrderType>,
    codes: &[String],
) -> Option<ForeignTravel> {
    let f = raw.foreign_travel.as_ref()?;
    if raw.prohibitions.is_some() && !codes.iter().any(|p| p == FOREIGN_TRAVEL) {
        let message = "`foreign_travel` is given but `prohibitions` has no `foreign-travel`";
        let hint = "add `foreign-travel` to `prohibitions`, or remove `foreign_travel`";
        let field = ctx.later("prohibitions", "foreign_travel");
        ctx.report_hint(Code::ForeignTravel, field, message.into(), hint.into());
    }
    let full = order_type.is_none_or(|t| !t.is_interim());
    travel_fields(ctx, f, full)
}

fn travel_fields(ctx: &mut Ctx<'_>, f: &RawForeignTravel, full: bool) -> Option<ForeignTravel> {
    let scope = ctx.required_closed("foreign_travel.scope", &f.scope);
    let years = ctx.required("foreign_travel.years", f.years);
    let surrender = ctx.required("foreign_travel.passport_surrender", f.passport_surrender);
    if let Some(y) = years.filter(|y| *y > 5 && full) {
        let message = format!(
            "`foreign_travel.years` is {y}; a foreign travel prohibition lasts at most 5 years (s18(1), s25(1))"
        );
        let hint = "it can be extended by up to 5 years at a time (s18(3), s25(3)): record each extension as a `foreign-travel-extended` event".to_owned();
        ctx.report_hint(Code::ForeignTravel, "foreign_travel.years", message, hint);
    }
    if scope == Some(TravelScope::All) && surrender == Some(false) && full {
        let message =
            "`foreign_travel.scope` is `all` but `foreign_travel.passport_surrender` is false";
        let hint =
            "a ban on all foreign travel must require surrender of all passports (s18(4), s25(4))";
        let field = ctx.later("foreign_travel.scope", "foreign_travel.passport_surrender");
        ctx.report_hint(Code::ForeignTravel, field, message.into(), hint.into());
    }
    Some(ForeignTravel {
        scope: scope?,
        years: years?,
        passport_surrender: surrender?,
    })
}
