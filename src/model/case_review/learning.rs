//! What a review teaches: its graded learning points, the statutory reviews it connects to
//! and its recommendations.

use super::*;

/// The review's learning points: `learning` checked, then `good_practice` (the earlier form)
/// read as `untested` points of all the review's themes, with a warning showing the new form.
pub(super) fn learning(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    themes: &[String],
) -> Vec<LearningPoint> {
    let mut out: Vec<LearningPoint> = Vec::new();
    for (i, l) in raw.learning.as_deref().unwrap_or(&[]).iter().enumerate() {
        if let Some(point) = learning_point(ctx, i, l, themes, &out) {
            out.push(point);
        }
    }
    let earlier = raw.good_practice.as_deref().unwrap_or(&[]);
    if !earlier.is_empty() {
        let first = themes.first().map_or("THEME", String::as_str);
        let message = "`good_practice` is an earlier form: read as learning points graded `untested` under every theme of the review".to_owned();
        let hint = format!(
            "write `learning:` with each point graded: `- {{id: L1, text: \"…\", themes: [{first}], grade: promising}}` (`evidence` for `effective` and `ineffective`)"
        );
        ctx.report_hint(Code::EarlierForm, "good_practice", message, hint);
    }
    for (i, text) in earlier.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        out.push(LearningPoint {
            id: format!("G{}", i + 1),
            text: text.clone(),
            themes: themes.to_vec(),
            grade: LearningGrade::Untested,
            evidence: None,
        });
    }
    out
}

pub(super) fn learning_point(
    ctx: &mut Ctx<'_>,
    i: usize,
    l: &RawLearning,
    themes: &[String],
    before: &[LearningPoint],
) -> Option<LearningPoint> {
    let field = format!("learning[{i}]");
    let id = ctx.required(&format!("{field}.id"), l.id.as_deref());
    if let Some(id) = id {
        let well_formed = id
            .strip_prefix('L')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            let message = format!(
                "`{field}.id` is `{}`; learning point ids are L1, L2, …",
                one_line(id)
            );
            ctx.report(Code::InvalidValue, &format!("{field}.id"), message);
        } else if before.iter().any(|p| p.id == id) {
            let message = format!(
                "learning point id `{}` is used twice in this review",
                one_line(id)
            );
            ctx.report(Code::DuplicateEntry, &format!("{field}.id"), message);
        }
    }
    let text = ctx.text(&format!("{field}.text"), &l.text);
    let point_themes = ctx.terms(
        VocabName::Themes,
        &format!("{field}.themes"),
        &l.themes,
        true,
    );
    // Against the review's own themes, when it has any (a missing or wrong `themes` is
    // reported on its own).
    for (j, t) in point_themes.iter().enumerate() {
        if !themes.is_empty() && !themes.contains(t) {
            let at = l
                .themes
                .as_deref()
                .and_then(|all| all.iter().position(|x| x == t))
                .unwrap_or(j);
            let message = format!(
                "learning point theme `{}` is not one of the review's `themes`",
                one_line(t)
            );
            let hint = format!(
                "add `{t}` to `themes`, or choose one of: {}",
                themes.join(", ")
            );
            ctx.report_hint(
                Code::LearningTheme,
                &format!("{field}.themes[{at}]"),
                message,
                hint,
            );
        }
    }
    let grade: Option<LearningGrade> = ctx.required_closed(&format!("{field}.grade"), &l.grade);
    let evidence = l
        .evidence
        .as_ref()
        .filter(|e| !e.trim().is_empty())
        .cloned();
    if let Some(g) = grade
        && g.needs_evidence()
        && evidence.is_none()
    {
        let message = format!(
            "learning point graded `{}` needs `evidence`: one sentence on what shows it {}",
            g.code(),
            if g == LearningGrade::Effective {
                "worked"
            } else {
                "did not work"
            }
        );
        let hint = "add `evidence: \"…\"`, or grade it `promising` or `untested` until it is shown"
            .to_owned();
        ctx.report_hint(
            Code::LearningEvidence,
            &format!("{field}.grade"),
            message,
            hint,
        );
    }
    Some(LearningPoint {
        id: id?.to_owned(),
        text: text?,
        themes: point_themes,
        grade: grade?,
        evidence,
    })
}

/// The other statutory reviews: type, title, board, a year not in the future and an https
/// address.
pub(super) fn related_reviews(ctx: &mut Ctx<'_>, list: &[RawRelatedReview]) -> Vec<RelatedReview> {
    let mut out = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let field = format!("related_reviews[{i}]");
        let kind: Option<RelatedReviewType> =
            ctx.required_closed(&format!("{field}.type"), &r.kind);
        let title = ctx.text(&format!("{field}.title"), &r.title);
        let board = ctx.text(&format!("{field}.board"), &r.board);
        let year = ctx
            .required(&format!("{field}.year"), r.year.as_ref())
            .copied();
        let this_year = ctx.today.year();
        if let Some(y) = year
            && (i64::from(y) > i64::from(this_year) || y < 1990)
        {
            let message = if i64::from(y) > i64::from(this_year) {
                format!("`{field}.year` is {y}, after this year ({this_year})")
            } else {
                format!("`{field}.year` is {y}, before any of these reviews existed")
            };
            ctx.report(Code::RelatedReview, &format!("{field}.year"), message);
        }
        let url = r.url.clone();
        if let Some(u) = &url
            && !u.starts_with("https://")
        {
            let message = format!(
                "`{field}.url` is `{}`; a related review's address must be https://",
                one_line(u)
            );
            ctx.report(Code::RelatedReview, &format!("{field}.url"), message);
        }
        if let (Some(kind), Some(title), Some(board), Some(year)) = (kind, title, board, year) {
            out.push(RelatedReview {
                kind,
                title,
                board,
                year,
                url: url.filter(|u| u.starts_with("https://")),
            });
        }
    }
    out
}

pub(super) fn recommendations(
    ctx: &mut Ctx<'_>,
    list: &[RawRecommendation],
) -> Vec<Recommendation> {
    let mut out: Vec<Recommendation> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let field = format!("recommendations[{i}]");
        let id = ctx.required(&format!("{field}.id"), r.id.as_deref());
        if let Some(id) = id {
            let well_formed = id
                .strip_prefix('R')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !well_formed {
                let message = format!(
                    "`{field}.id` is `{}`; recommendation ids are R1, R2, …",
                    one_line(id)
                );
                ctx.report(Code::InvalidValue, &format!("{field}.id"), message);
            } else if seen.contains(&id) {
                let message = format!(
                    "recommendation id `{}` is used twice in this review",
                    one_line(id)
                );
                ctx.report(Code::DuplicateEntry, &format!("{field}.id"), message);
            }
            seen.push(id);
        }
        let text = ctx.text(&format!("{field}.text"), &r.text);
        let owner = ctx.req_term(VocabName::Agencies, &format!("{field}.owner"), &r.owner);
        let due = ctx.required(&format!("{field}.due"), r.due.as_ref());
        let due = due.and(ctx.month(&format!("{field}.due"), &r.due));
        let status: Option<RecommendationStatus> =
            ctx.required_closed(&format!("{field}.status"), &r.status);
        let (Some(id), Some(text), Some(owner), Some(due), Some(status)) =
            (id, text, owner, due, status)
        else {
            continue;
        };
        let open = matches!(
            status,
            RecommendationStatus::Open | RecommendationStatus::InProgress
        );
        let overdue = open && due < ctx.today.month();
        if overdue {
            let message = format!(
                "recommendation {id} (owner {owner}) is overdue: due {due}, status {}",
                status.code()
            );
            ctx.report(
                Code::RecommendationOverdue,
                &format!("{field}.due"),
                message,
            );
        }
        out.push(Recommendation {
            id: id.to_owned(),
            text,
            owner,
            due,
            status,
            overdue,
        });
    }
    out
}
