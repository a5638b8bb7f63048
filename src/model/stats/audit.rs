//! The disclosure audit: for every hidden count of a release, the smallest and largest value
//! consistent with everything the same release publishes — every figure, table, total and
//! relation between them — found by an integer linear program (`good_lp` with the pure-Rust
//! `microlp` solver). This is the audit step of τ-ARGUS and sdcTable.
//!
//! What a reader knows of a count: a published count exactly; a count shown as `1-5` that it
//! is from 1 to 5; a count shown as `hidden` only that it is not zero (a zero is never hidden,
//! and a count of 1 to 5 is shown as `hidden` rather than `1-5` when its range would give
//! others away). A hidden count is protected when its range holds at least three values.
//! `protect` hides further counts — fewest first, the smallest first — until every hidden
//! count is. Counts that must be equal by the way they are counted (a table's total and the
//! figure of the same population) are hidden together, since hiding one alone hides nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable,
    WithTimeLimit, microlp, variable,
};

use super::{Cell, Op, Relation, Statistics, Suppression};

/// The values a hidden count can take, given everything published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    /// The smallest.
    pub min: u64,
    /// The largest; none when nothing published bounds it.
    pub max: Option<u64>,
}

impl Range {
    /// At least three values: a reader cannot narrow the count to one or two.
    pub(crate) fn protected(self) -> bool {
        self.max.is_none_or(|max| max >= self.min + 2)
    }
}

/// How long one solve may take before the audit gives up on proving a range (and treats the
/// count as unprotected).
const TIME_LIMIT_SECONDS: f64 = 10.0;

/// The problem an attacker solves: the cells, what is known of each, and the relations.
struct Problem<'s> {
    stats: &'s Statistics,
    cells: Vec<Cell>,
    relations: Vec<Relation>,
}

impl<'s> Problem<'s> {
    fn new(stats: &'s Statistics) -> Problem<'s> {
        let cells = stats.cells();
        let known: BTreeSet<&Cell> = cells.iter().collect();
        let relations = stats
            .all_relations()
            .into_iter()
            .filter(|r| r.left.iter().chain(&r.right).all(|c| known.contains(c)))
            .collect();
        Problem {
            stats,
            cells,
            relations,
        }
    }

    /// The smallest (or, with `max`, largest) value of `target`; `Ok(None)` when unbounded,
    /// `Err` when the solver could not prove it.
    fn extreme(
        &self,
        hidden: &BTreeMap<Cell, Suppression>,
        target: &Cell,
        max: bool,
    ) -> Result<Option<u64>, ()> {
        let solve = || {
            let mut vars = ProblemVariables::new();
            let mut index: BTreeMap<&Cell, Variable> = BTreeMap::new();
            for cell in &self.cells {
                let v = match (hidden.get(cell), self.stats.value(cell)) {
                    (Some(Suppression::Primary), _) => variable().integer().min(1).max(5),
                    (Some(Suppression::Secondary), _) => variable().integer().min(1),
                    (None, Some(n)) => variable().integer().min(n as f64).max(n as f64),
                    (None, None) => variable().integer().min(0),
                };
                index.insert(cell, vars.add(v));
            }
            let sum = |cells: &[Cell]| -> Expression { cells.iter().map(|c| index[c]).sum() };
            let objective: Expression = index[target].into();
            let unsolved = if max {
                vars.maximise(objective)
            } else {
                vars.minimise(objective)
            };
            let mut model = unsolved.using(microlp).with_time_limit(TIME_LIMIT_SECONDS);
            for r in &self.relations {
                let (l, rr) = (sum(&r.left), sum(&r.right));
                model = model.with(match r.op {
                    Op::Eq => l.eq(rr),
                    Op::Le => l.leq(rr),
                });
            }
            match model.solve() {
                Ok(s) if matches!(s.status(), SolutionStatus::Optimal) => {
                    Ok(Some(s.value(index[target]).round().max(0.0) as u64))
                }
                Ok(_) => Err(()),
                Err(ResolutionError::Unbounded) => Ok(None),
                Err(_) => Err(()),
            }
        };
        catch_unwind(AssertUnwindSafe(solve)).unwrap_or(Err(()))
    }

    /// The range of one hidden count; `None` when the solver could not prove it.
    fn range(&self, hidden: &BTreeMap<Cell, Suppression>, target: &Cell) -> Option<Range> {
        let min = self.extreme(hidden, target, false).ok()??;
        let max = self.extreme(hidden, target, true).ok()?;
        Some(Range { min, max })
    }

    fn protected(&self, hidden: &BTreeMap<Cell, Suppression>, target: &Cell) -> bool {
        self.range(hidden, target).is_some_and(Range::protected)
    }

    /// The first hidden count (in page order) that is not protected. Hiding more only widens
    /// ranges (an exact value becomes a bound the true value meets), so a count once proven
    /// protected stays so and is not solved again.
    fn first_unprotected(
        &self,
        hidden: &BTreeMap<Cell, Suppression>,
        proven: &mut BTreeSet<Cell>,
    ) -> Option<Cell> {
        for c in self.cells.iter().filter(|c| hidden.contains_key(*c)) {
            if proven.contains(c) {
                continue;
            }
            if !self.protected(hidden, c) {
                return Some(c.clone());
            }
            proven.insert(c.clone());
        }
        None
    }

    /// What can still be hidden to protect `target`: the groups of counts that must be
    /// equal, linked to it through the relations, each not yet hidden as `hidden` and not
    /// zero; smallest first (page order breaking ties).
    fn candidates(&self, hidden: &BTreeMap<Cell, Suppression>, target: &Cell) -> Vec<Vec<Cell>> {
        let linked = linked_to(&self.relations, target);
        let open = |c: &Cell| hidden.get(c) != Some(&Suppression::Secondary);
        let mut seen: BTreeSet<Cell> = BTreeSet::new();
        let mut out: Vec<(u64, usize, Vec<Cell>)> = Vec::new();
        for (i, c) in self.cells.iter().enumerate() {
            if seen.contains(c) || !linked.contains(c) || !open(c) {
                continue;
            }
            let group: Vec<Cell> = equal_to(&self.relations, c)
                .into_iter()
                .filter(open)
                .collect();
            seen.extend(group.iter().cloned());
            match self.stats.value(c) {
                Some(n) if n > 0 => out.push((n, i, group)),
                _ => {}
            }
        }
        out.sort();
        out.into_iter().map(|(_, _, g)| g).collect()
    }

    /// The fewest groups, smallest first, whose hiding protects `target`: single groups, then
    /// pairs, then threes among the smallest; else the smallest group, to make progress.
    fn choose(&self, hidden: &BTreeMap<Cell, Suppression>, target: &Cell) -> Option<Vec<Cell>> {
        let candidates = self.candidates(hidden, target);
        let near: Vec<&Vec<Cell>> = candidates.iter().take(SEARCH_WIDTH).collect();
        let protects = |groups: &[&Vec<Cell>]| {
            let mut trial = hidden.clone();
            for c in groups.iter().flat_map(|g| g.iter()) {
                trial.insert(c.clone(), Suppression::Secondary);
            }
            self.protected(&trial, target)
        };
        for size in 1..=3 {
            let mut combos = combinations(&near, size);
            combos.sort_by_key(|combo| {
                combo
                    .iter()
                    .map(|g| g.first().and_then(|c| self.stats.value(c)).unwrap_or(0))
                    .sum::<u64>()
            });
            if let Some(found) = combos.into_iter().find(|combo| protects(combo)) {
                return Some(found.into_iter().flat_map(|g| g.iter().cloned()).collect());
            }
        }
        candidates.into_iter().next()
    }
}

/// How many of the smallest candidate groups the search for pairs and threes considers.
const SEARCH_WIDTH: usize = 10;

/// Every choice of `size` items of `items`, in order.
fn combinations<'a, T>(items: &[&'a T], size: usize) -> Vec<Vec<&'a T>> {
    if size == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for (i, first) in items.iter().enumerate() {
        for mut rest in combinations(&items[i + 1..], size - 1) {
            rest.insert(0, *first);
            out.push(rest);
        }
    }
    out
}

/// The cells that must equal `cell` by a chain of one-to-one equalities (a total and the
/// figure of its population), `cell` included.
fn equal_to(relations: &[Relation], cell: &Cell) -> Vec<Cell> {
    let mut seen: BTreeSet<Cell> = BTreeSet::from([cell.clone()]);
    loop {
        let before = seen.len();
        for r in relations.iter().filter(|r| r.op == Op::Eq) {
            if let ([a], [b]) = (r.left.as_slice(), r.right.as_slice())
                && (seen.contains(a) || seen.contains(b))
            {
                seen.insert(a.clone());
                seen.insert(b.clone());
            }
        }
        if seen.len() == before {
            return seen.into_iter().collect();
        }
    }
}

/// The cells connected to `target` by any chain of relations.
fn linked_to(relations: &[Relation], target: &Cell) -> BTreeSet<Cell> {
    let mut seen: BTreeSet<Cell> = BTreeSet::from([target.clone()]);
    loop {
        let before = seen.len();
        for r in relations {
            let cells: Vec<&Cell> = r.left.iter().chain(&r.right).collect();
            if cells.iter().any(|c| seen.contains(*c)) {
                seen.extend(cells.into_iter().cloned());
            }
        }
        if seen.len() == before {
            return seen;
        }
    }
}

/// The range of every hidden count of `stats` published with `hidden` suppressed: what a
/// reader can work out from the release. A count whose range the solver could not prove is
/// absent.
pub(crate) fn ranges(
    stats: &Statistics,
    hidden: &BTreeMap<Cell, Suppression>,
) -> BTreeMap<Cell, Range> {
    let problem = Problem::new(stats);
    hidden
        .keys()
        .filter_map(|c| Some((c.clone(), problem.range(hidden, c)?)))
        .collect()
}

/// The counts a `public` release hides: every count from 1 to 5 (primary), and the fewest,
/// smallest further counts (secondary) that leave every hidden count protected.
pub(super) fn protect(stats: &Statistics) -> BTreeMap<Cell, Suppression> {
    let problem = Problem::new(stats);
    let mut hidden: BTreeMap<Cell, Suppression> = problem
        .cells
        .iter()
        .filter(|c| stats.value(c).is_some_and(|n| (1..=5).contains(&n)))
        .map(|c| (c.clone(), Suppression::Primary))
        .collect();
    let mut proven = BTreeSet::new();
    while let Some(target) = problem.first_unprotected(&hidden, &mut proven) {
        let Some(chosen) = problem.choose(&hidden, &target) else {
            // Nothing linked is left to hide: the release fails its audit rather than loop.
            break;
        };
        for c in chosen {
            hidden.insert(c, Suppression::Secondary);
        }
    }
    hidden
}
