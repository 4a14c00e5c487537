//! One student through the tree → a [`Decision`]; and, for `explain` and
//! reasons, the same walk with every test recorded.
//!
//! First match wins. A branch whose test is missing (it needs a value the
//! student does not have) is skipped unless it says `if_missing: match`; the
//! trace keeps the difference between "false" and "missing".

use crate::condition::compile::format_number;
use crate::condition::eval::{Cond, Env, NoTrace, Operand, Recorder, Seen, Tri};
use crate::rules::program::{self, Program};
use crate::rules::{self, IfMissing, Located, Rules};

/// Where a student ends up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The leaf reached, in document order.
    pub leaf: usize,
    pub plan: usize,
    /// The focus skill, by skill index.
    pub focus: Option<usize>,
    pub focus_score: Option<f64>,
    /// Decided on missing data: a default reached after a test was skipped
    /// because it needed a value the student does not have (or a table had
    /// no row for them), or a branch taken by `if_missing: match`. Every
    /// output shows such a decision (issue 10).
    pub on_missing: bool,
    /// The tables the tests on the path read ([`crate::rules::program::table_bit`]),
    /// so that a table with no row for the student is caught.
    pub tables_read: u64,
}

/// One test on the path, as `explain` shows it.
#[derive(Debug, Clone)]
pub struct Step<'r> {
    /// Nesting level (0 for the top list).
    pub depth: usize,
    /// The test as written in the rules.
    pub when: &'r Located,
    pub result: Tri,
    pub taken: bool,
    pub if_missing: IfMissing,
    /// What each name in the test read, as (text of the name, value).
    pub seen: Vec<(&'r str, Seen)>,
}

fn taken(result: Tri, if_missing: IfMissing) -> bool {
    match result {
        Tri::True => true,
        Tri::False => false,
        Tri::Missing => if_missing == IfMissing::Match,
    }
}

impl Program {
    /// Run one student through the tree.
    pub fn decide(&self, env: &Env<'_>) -> Decision {
        let mut tree = &self.tree;
        let mut walk = Walk::default();
        'walk: loop {
            for branch in &tree.branches {
                let result = branch.cond.eval(env, &mut NoTrace);
                let missing = walk.see(branch, result, env);
                if taken(result, branch.if_missing) {
                    match &branch.outcome {
                        program::Outcome::Leaf(leaf) => return walk.end(leaf, env, missing),
                        program::Outcome::Tree(sub) => {
                            walk.skipped |= missing;
                            tree = sub;
                            continue 'walk;
                        }
                    }
                }
                walk.skipped |= missing;
            }
            return walk.end(&tree.default, env, walk.skipped);
        }
    }

    /// Run one student through the tree, recording every test on the way.
    pub fn explain<'r>(&self, rules: &'r Rules, env: &Env<'_>) -> (Vec<Step<'r>>, Decision) {
        let mut steps = Vec::new();
        let (mut tree, mut source): (&program::Tree, &rules::Tree) = (&self.tree, &rules.tree);
        let mut depth = 0;
        let mut walk = Walk::default();
        'walk: loop {
            for (branch, written) in tree.branches.iter().zip(&source.branches) {
                let mut recorder = Recorder::default();
                let result = branch.cond.eval(env, &mut recorder);
                let is_taken = taken(result, branch.if_missing);
                steps.push(Step {
                    depth,
                    when: &written.when,
                    result,
                    taken: is_taken,
                    if_missing: branch.if_missing,
                    seen: named(&written.when, recorder),
                });
                let missing = walk.see(branch, result, env);
                if is_taken {
                    match (&branch.outcome, &written.outcome) {
                        (program::Outcome::Tree(sub), rules::Outcome::Tree(sub_source)) => {
                            walk.skipped |= missing;
                            tree = sub;
                            source = sub_source;
                            depth += 1;
                            continue 'walk;
                        }
                        (program::Outcome::Leaf(leaf), _) => {
                            return (steps, walk.end(leaf, env, missing));
                        }
                        // Compiled from `source`, so the shapes always agree.
                        (program::Outcome::Tree(sub), rules::Outcome::Leaf(_)) => {
                            let on_missing = walk.skipped || missing;
                            return (steps, walk.end(&sub.default, env, on_missing));
                        }
                    }
                }
                walk.skipped |= missing;
            }
            return (steps, walk.end(&tree.default, env, walk.skipped));
        }
    }

    /// The reason for a decision: the leaf's `reason` with its placeholders
    /// filled, or the tests that led there.
    pub fn reason(&self, rules: &Rules, decision: &Decision, env: &Env<'_>) -> String {
        match self
            .leaf(decision.leaf)
            .and_then(|leaf| leaf.reason.as_ref())
        {
            Some(parts) => fill(parts, decision, env),
            None => {
                let (steps, _) = self.explain(rules, env);
                let taken: Vec<String> = steps
                    .iter()
                    .filter(|s| s.taken)
                    .map(|s| describe(s, env.skill_names))
                    .collect();
                if taken.is_empty() {
                    "no branch matched; the default applies".to_owned()
                } else {
                    taken.join("; ")
                }
            }
        }
    }

    /// What a decision made on missing data did without: the names each
    /// missing test read as missing, e.g. "decided without `screening`".
    pub fn missing_names(&self, rules: &Rules, env: &Env<'_>) -> Vec<String> {
        let (steps, _) = self.explain(rules, env);
        let mut names: Vec<String> = Vec::new();
        for step in steps.iter().filter(|s| s.result == Tri::Missing) {
            for (name, seen) in &step.seen {
                if matches!(seen, Seen::Num(None) | Seen::Text(None))
                    && !names.iter().any(|n| n == name)
                {
                    names.push((*name).to_owned());
                }
            }
        }
        names
    }

    fn leaf(&self, id: usize) -> Option<&program::Leaf> {
        fn find(tree: &program::Tree, id: usize) -> Option<&program::Leaf> {
            if tree.default.id == id {
                return Some(&tree.default);
            }
            tree.branches.iter().find_map(|b| match &b.outcome {
                program::Outcome::Leaf(leaf) => (leaf.id == id).then_some(leaf),
                program::Outcome::Tree(sub) => find(sub, id),
            })
        }
        find(&self.tree, id)
    }
}

/// Whether `result` is missing for this student rather than for the whole
/// file: a test that reads a column the file does not have (an optional
/// field) is missing for everyone, which is the file's shape, not a gap in
/// this student's data.
fn missing_here(branch: &program::Branch, result: Tri, env: &Env<'_>) -> bool {
    result == Tri::Missing
        && branch
            .reads
            .iter()
            .all(|&slot| env.field_columns.get(slot).is_some_and(Option::is_some))
}

/// What a walk down the tree has seen so far.
#[derive(Default)]
struct Walk {
    /// A test was skipped for a value this student lacks.
    skipped: bool,
    /// The tables the tests read.
    read: u64,
}

impl Walk {
    /// Note a test's result; whether it was missing for this student.
    fn see(&mut self, branch: &program::Branch, result: Tri, env: &Env<'_>) -> bool {
        self.read |= branch.tables;
        missing_here(branch, result, env)
    }

    fn end(&self, leaf: &program::Leaf, env: &Env<'_>, on_missing: bool) -> Decision {
        decision(leaf, env, on_missing, self.read)
    }
}

fn decision(leaf: &program::Leaf, env: &Env<'_>, on_missing: bool, tables_read: u64) -> Decision {
    let (focus, focus_score) = match &leaf.focus {
        program::Focus::None => (None, None),
        program::Focus::Weakest(test) => weakest(test.as_ref(), env),
    };
    Decision {
        leaf: leaf.id,
        plan: leaf.plan,
        focus,
        focus_score,
        on_missing,
        tables_read,
    }
}

/// The lowest-scoring skill (first in column order on a tie), among those
/// where `test` holds.
fn weakest(test: Option<&Cond>, env: &Env<'_>) -> (Option<usize>, Option<f64>) {
    let mut best: Option<(usize, f64)> = None;
    let mut each = *env;
    for (skill, score) in env.scores.iter().enumerate() {
        let Some(score) = *score else { continue };
        if best.is_some_and(|(_, b)| score >= b) {
            continue;
        }
        each.skill = skill;
        if test.is_none_or(|t| t.eval(&each, &mut NoTrace) == Tri::True) {
            best = Some((skill, score));
        }
    }
    (best.map(|b| b.0), best.map(|b| b.1))
}

fn fill(parts: &[program::Part], decision: &Decision, env: &Env<'_>) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            program::Part::Text(s) => out.push_str(s),
            program::Part::Focus => match decision.focus {
                Some(skill) => out.push_str(&env.skill_names[skill]),
                None => out.push_str("no skill"),
            },
            program::Part::FocusScore => match decision.focus_score {
                Some(score) => out.push_str(&format_number(score)),
                None => out.push_str("no score"),
            },
            program::Part::Value(Operand::Num(n)) => match n.eval(env, &mut NoTrace) {
                Some(v) => out.push_str(&format_number(v)),
                None => out.push_str("missing"),
            },
            program::Part::Value(Operand::Text(t)) => match t.eval(env, &mut NoTrace) {
                Some(v) => out.push_str(&String::from_utf8_lossy(v)),
                None => out.push_str("missing"),
            },
        }
    }
    out
}

/// The recorded values under the names they were read by.
fn named(when: &Located, recorder: Recorder) -> Vec<(&str, Seen)> {
    let mut out: Vec<(&str, Seen)> = Vec::new();
    for (span, seen) in recorder.seen {
        if matches!(seen, Seen::Test(_)) {
            continue;
        }
        let start = when.base + span.start;
        let end = when.base + span.end;
        let text = when.text.get(start..end).unwrap_or("?");
        if !out.iter().any(|(t, _)| *t == text) {
            out.push((text, seen));
        }
    }
    out
}

/// `screening <= tier3_cut (screening 8, tier3_cut 10)`.
pub(crate) fn describe(step: &Step<'_>, skill_names: &[Box<str>]) -> String {
    let text = crate::condition::one_line(&step.when.text);
    if step.seen.is_empty() {
        return text;
    }
    let values: Vec<String> = step
        .seen
        .iter()
        .map(|(name, seen)| format!("{name} {}", show(seen, skill_names)))
        .collect();
    format!("{text} ({})", values.join(", "))
}

/// A traced value for people: `8`, `missing`, `'K'`, or skill names.
pub(crate) fn show(seen: &Seen, skill_names: &[Box<str>]) -> String {
    match seen {
        Seen::Num(Some(v)) => format_number(*v),
        Seen::Text(Some(t)) => format!("'{t}'"),
        Seen::Num(None) | Seen::Text(None) => "missing".to_owned(),
        Seen::Test(t) => t.as_str().to_owned(),
        Seen::Skills(skills) if skills.is_empty() => "no skill".to_owned(),
        Seen::Skills(skills) => {
            let names: Vec<&str> = skills
                .iter()
                .map(|&s| skill_names.get(s).map_or("?", |n| &**n))
                .collect();
            names.join(", ")
        }
    }
}
