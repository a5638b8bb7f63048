//! The officer's pages: the agency powers matrix (every agency × every power type), one page
//! per power type ("Who can close premises?") and the questions on the home page. All of them
//! read the structured `powers` of the published agency notes.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use crate::model::agency_powers::{AgencyPowers, Power};
use crate::model::enums::Closed;
use crate::model::{Document, Kind, KindData, VocabName};

use super::*;
use crate::render::{RenderError, Site};

/// One power type, with the published agencies that hold it.
pub(super) struct PowerType<'a> {
    pub(super) code: String,
    pub(super) label: String,
    pub(super) question: String,
    pub(super) see_also: Vec<String>,
    /// Whether a warrant can apply at all (not to applying for an order).
    pub(super) warrant: bool,
    pub(super) holders: Vec<(&'a Document, &'a AgencyPowers)>,
}

impl PowerType<'_> {
    pub(super) fn url(&self) -> String {
        crate::model::vocab::power_url(&self.code)
    }
}

/// The published agency notes, by the name shown (then id).
fn notes<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Document, &'a AgencyPowers)> {
    let mut notes: Vec<(&Document, &AgencyPowers)> = ctx
        .input
        .docs
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::AgencyPowers(a) => Some((p.doc, a.as_ref())),
            _ => None,
        })
        .collect();
    notes.sort_by(|a, b| {
        crate::model::words::by_name(&a.1.name, &b.1.name)
            .then_with(|| a.0.common.id.cmp(&b.0.common.id))
    });
    notes
}

/// Every power type of the vocabulary, in its order, with its holders.
pub(super) fn power_types<'a>(ctx: &Ctx<'a>) -> Vec<PowerType<'a>> {
    let notes = notes(ctx);
    ctx.input
        .vocab
        .terms(VocabName::PowerTypes)
        .iter()
        .map(|t| PowerType {
            code: t.code.clone(),
            label: t.label.clone(),
            question: t.power_question(),
            see_also: t.see_also.clone(),
            warrant: t.warrant != Some(false),
            holders: notes
                .iter()
                .filter(|(_, a)| a.powers.iter().any(|p| p.power_type == t.code))
                .copied()
                .collect(),
        })
        .collect()
}

/// The anchor of a power type on an agency's page.
pub(super) fn anchor(power_type: &str) -> String {
    format!("power-{power_type}")
}

/// A label that can wrap inside a narrow column: a break allowed after `/`, and a soft hyphen
/// before the `-tion`, `-sion` or `-ment` ending of a long word (`Informa-tion`), which shows
/// only where the word is broken.
fn breakable(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            let word = word.replace('/', "/\u{200b}");
            let long = word.chars().count() >= 10;
            match ["tion", "sion", "ment"].iter().find(|s| word.ends_with(*s)) {
                Some(suffix) if long => {
                    let cut = word.len() - suffix.len();
                    format!("{}\u{ad}{}", &word[..cut], &word[cut..])
                }
                _ => word,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a warrant applies to an agency's powers of one type.
fn warrant(powers: &[&Power]) -> &'static str {
    match (
        powers.iter().all(|p| p.warrant_required),
        powers.iter().any(|p| p.warrant_required),
    ) {
        (true, _) => "always",
        (false, true) => "some",
        (false, false) => "never",
    }
}

#[derive(Serialize)]
struct Column {
    code: String,
    label: String,
    /// The label with break opportunities for a narrow column heading.
    heading: String,
    url: String,
    holders: usize,
}

#[derive(Serialize)]
struct Cell {
    label: String,
    url: String,
    bases: Vec<String>,
    /// `always`, `some` or `never`.
    warrant: &'static str,
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    url: String,
    stale_months: Option<i64>,
    /// One per column: none when the agency does not hold the power.
    cells: Vec<Option<Cell>>,
}

pub(super) fn matrix(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let types = power_types(ctx);
    let notes = notes(ctx);
    let columns: Vec<Column> = types
        .iter()
        .map(|t| Column {
            code: t.code.clone(),
            heading: breakable(&t.label),
            label: t.label.clone(),
            url: t.url(),
            holders: t.holders.len(),
        })
        .collect();
    let rows: Vec<Row> = notes
        .iter()
        .map(|(d, a)| {
            let page = Kind::AgencyPowers.url(&d.common.id);
            Row {
                id: d.common.id.clone(),
                name: a.name.clone(),
                url: page.clone(),
                stale_months: a.stale_months(ctx.input.today),
                cells: types
                    .iter()
                    .map(|t| {
                        let held: Vec<&Power> =
                            a.powers.iter().filter(|p| p.power_type == t.code).collect();
                        (!held.is_empty()).then(|| Cell {
                            label: t.label.clone(),
                            url: format!("{page}#{}", anchor(&t.code)),
                            bases: held.iter().map(|p| p.basis.clone()).collect(),
                            warrant: warrant(&held),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    let marking = ctx.marking_of(notes.iter().map(|(d, _)| *d));
    ctx.render(
        "matrix.html",
        marking,
        context! { columns => Serde(&columns), rows => Serde(&rows) },
    )
}

/// One legal basis of a power an agency holds, as its agency page and the power's page show it.
#[derive(Serialize)]
pub(super) struct PowerBasis {
    basis: String,
    /// What the agency's `legal_bases` entry for it says.
    basis_summary: Option<String>,
    warrant_required: bool,
    exercised_by: Option<String>,
    notes: Option<String>,
    /// Where the power runs, when narrower than the agency's reach.
    runs: Option<&'static str>,
}

impl PowerBasis {
    pub(super) fn of(agency: &AgencyPowers, power: &Power) -> PowerBasis {
        PowerBasis {
            basis: power.basis.clone(),
            basis_summary: agency.basis_entry(&power.basis).map(|b| b.summary.clone()),
            warrant_required: power.warrant_required,
            exercised_by: power.exercised_by.clone(),
            notes: power.notes.clone(),
            runs: Some(power.extent(agency.jurisdiction))
                .filter(|j| *j != agency.jurisdiction)
                .map(|j| j.label()),
        }
    }
}

#[derive(Serialize)]
struct Holder {
    id: String,
    name: String,
    url: String,
    /// The power on the agency's page.
    power_url: String,
    jurisdiction: &'static str,
    powers: Vec<PowerBasis>,
    limits: Vec<String>,
    route: String,
    spoc_role: String,
    stale_months: Option<i64>,
}

#[derive(Serialize)]
struct Group {
    code: String,
    label: String,
    question: String,
    url: String,
    /// Whether a warrant can apply to this power at all.
    warrant: bool,
    holders: Vec<Holder>,
}

fn group(ctx: &Ctx<'_>, t: &PowerType<'_>) -> Group {
    use crate::model::enums::Closed;
    let holders = t
        .holders
        .iter()
        .map(|(d, a)| {
            let page = Kind::AgencyPowers.url(&d.common.id);
            Holder {
                id: d.common.id.clone(),
                name: a.name.clone(),
                power_url: format!("{page}#{}", anchor(&t.code)),
                url: page,
                jurisdiction: a
                    .powers
                    .iter()
                    .filter(|p| p.power_type == t.code)
                    .map(|p| p.extent(a.jurisdiction))
                    .max_by_key(|j| j.reach())
                    .unwrap_or(a.jurisdiction)
                    .label(),
                powers: a
                    .powers
                    .iter()
                    .filter(|p| p.power_type == t.code)
                    .map(|p| PowerBasis::of(a, p))
                    .collect(),
                limits: a.limits.clone(),
                route: a.engagement.route.clone(),
                spoc_role: a.engagement.spoc_role.clone(),
                stale_months: a.stale_months(ctx.input.today),
            }
        })
        .collect();
    Group {
        code: t.code.clone(),
        label: t.label.clone(),
        question: t.question.clone(),
        url: t.url(),
        warrant: t.warrant,
        holders,
    }
}

/// One page per power type: every agency that holds it, then the power types it points
/// readers to.
pub(super) fn power_pages(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let types = power_types(ctx);
    for t in &types {
        let main = group(ctx, t);
        let related: Vec<Group> = t
            .see_also
            .iter()
            .filter_map(|code| types.iter().find(|x| &x.code == code))
            .map(|x| group(ctx, x))
            .collect();
        let others: Vec<Question> = questions(&types)
            .into_iter()
            .filter(|q| q.code != t.code)
            .collect();
        let shown = t
            .holders
            .iter()
            .chain(
                t.see_also
                    .iter()
                    .filter_map(|c| types.iter().find(|x| &x.code == c))
                    .flat_map(|x| x.holders.iter()),
            )
            .map(|(d, _)| *d);
        let marking = ctx.marking_of(shown);
        let page = context! {
            power => Serde(&main),
            related => Serde(&related),
            others => Serde(&others),
        };
        out.insert(
            format!("powers/{}/index.html", t.code),
            ctx.render("power.html", marking, page)?,
        );
    }
    Ok(())
}

/// A question an officer asks, with the number of agencies that answer it.
#[derive(Serialize)]
pub(super) struct Question {
    pub(super) code: String,
    pub(super) question: String,
    pub(super) url: String,
    pub(super) holders: usize,
}

/// The questions of the power types, in vocabulary order.
pub(super) fn questions(types: &[PowerType<'_>]) -> Vec<Question> {
    types
        .iter()
        .map(|t| Question {
            code: t.code.clone(),
            question: t.question.clone(),
            url: t.url(),
            holders: t.holders.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_headings_can_break_where_a_reader_expects() {
        assert_eq!(
            breakable("Information request"),
            "Informa\u{ad}tion request"
        );
        assert_eq!(
            breakable("STPO/STRO applicant"),
            "STPO/\u{200b}STRO applicant"
        );
        assert_eq!(breakable("Entry"), "Entry");
        assert_eq!(breakable("Detention"), "Detention");
    }
}
