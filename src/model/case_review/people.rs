//! The people of a review, in counts: victims, perpetrators and the NRM figures.

use super::*;

pub(super) fn victims(ctx: &mut Ctx<'_>, v: &RawVictims) -> Option<Counts> {
    let total = ctx.required("victims.total", v.total)?;
    let sum = |a: Option<u32>, b: Option<u32>| Some(a? + b?);
    if let Some(s) = sum(v.adults, v.children).filter(|s| *s != total) {
        let field = ctx.later("victims.adults", "victims.children");
        let message =
            format!("`victims.adults` + `victims.children` ({s}) is not `victims.total` ({total})");
        ctx.report(Code::CountMismatch, field, message);
    }
    let known = v.female.unwrap_or(0) + v.male.unwrap_or(0);
    if known > total {
        let field = ctx.later("victims.female", "victims.male");
        let message = format!(
            "`victims.female` + `victims.male` ({known}) is more than `victims.total` ({total})"
        );
        ctx.report(Code::CountMismatch, field, message);
    }
    let nationalities = nationalities(ctx, "victims", &v.nationalities, total);
    Some(Counts {
        total,
        adults: v.adults,
        children: v.children,
        female: v.female,
        male: v.male,
        nationalities,
    })
}

pub(super) fn nationalities(
    ctx: &mut Ctx<'_>,
    parent: &str,
    map: &Option<BTreeMap<String, u32>>,
    total: u32,
) -> BTreeMap<String, u32> {
    let map = map.clone().unwrap_or_default();
    for code in map.keys().filter(|c| !countries::is_country(c)) {
        let field = format!("{parent}.nationalities.{code}");
        let message = format!(
            "`{}` is not an ISO 3166-1 alpha-2 country code",
            one_line(code)
        );
        let hint = match crate::model::vocab::nearest(code, countries::codes()) {
            Some(n) if code.eq_ignore_ascii_case(n) => format!("did you mean `{n}`? codes are upper case"),
            _ => "use the two-letter ISO code, e.g. `AL` for Albania, `VN` for Viet Nam, `GB` for the UK".to_owned(),
        };
        ctx.report_hint(Code::InvalidValue, &field, message, hint);
    }
    let sum: u32 = map.values().sum();
    if sum > total {
        let field = format!("{parent}.nationalities");
        let message =
            format!("the `{field}` counts add up to {sum}, more than `{parent}.total` ({total})");
        ctx.report(Code::CountMismatch, &field, message);
    }
    map
}

pub(super) fn perpetrators(ctx: &mut Ctx<'_>, p: &RawPerpetrators) -> Option<Perpetrators> {
    let total = ctx.required("perpetrators.total", p.total)?;
    let nationalities = nationalities(ctx, "perpetrators", &p.nationalities, total);
    let mut roles = Vec::new();
    for (i, r) in p.roles.iter().flatten().enumerate() {
        let role: Option<PerpetratorRole> =
            ctx.closed(&format!("perpetrators.roles[{i}]"), &Some(r.clone()));
        roles.extend(role);
    }
    Some(Perpetrators {
        total,
        nationalities,
        roles,
        ocg: p.ocg,
    })
}

pub(super) fn nrm(ctx: &mut Ctx<'_>, n: &RawNrm, victims: Option<&Counts>) -> Nrm {
    let pairs = [
        (
            "nrm.positive_rg",
            n.positive_rg,
            "nrm.referrals",
            n.referrals,
        ),
        (
            "nrm.positive_cg",
            n.positive_cg,
            "nrm.positive_rg",
            n.positive_rg,
        ),
    ];
    for (field, value, bound_field, bound) in pairs {
        if let (Some(v), Some(b)) = (value, bound)
            && v > b
        {
            let message = format!("`{field}` ({v}) is greater than `{bound_field}` ({b})");
            let at = ctx.later(field, bound_field);
            ctx.report(Code::CountMismatch, at, message);
        }
    }
    // Only adults can decline a referral, and an MS1 is the adult's anonymous notification:
    // neither can exceed the adult victims.
    if let Some(adults) = victims.and_then(|v| v.adults) {
        for (field, value, what) in [
            (
                "nrm.declined",
                n.declined,
                "only adults can decline a referral",
            ),
            (
                "nrm.dtn_ms1",
                n.dtn_ms1,
                "an MS1 notification is made for adults only",
            ),
        ] {
            if let Some(v) = value.filter(|v| *v > adults) {
                let message =
                    format!("`{field}` ({v}) is greater than `victims.adults` ({adults})");
                let hint = format!("{what}: children always go into the NRM");
                let at = ctx.later("victims.adults", field);
                ctx.report_hint(Code::CountMismatch, at, message, hint);
            }
        }
    }
    Nrm {
        referrals: n.referrals,
        positive_rg: n.positive_rg,
        positive_cg: n.positive_cg,
        dtn_ms1: n.dtn_ms1,
        declined: n.declined,
    }
}
