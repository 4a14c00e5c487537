//! Two plans side by side: which students changed plan, focus or tier.
//!
//! Each side is the list of students one run decided (a rules file over some
//! data), in input order, with what was decided for each ([`Outcome`]).
//! [`compare`] matches the students of the two sides by section and id,
//! compared as bytes, exactly, and puts every student in exactly one
//! [`Change`]: none is dropped, none counted twice. A student in several
//! sections (a gradebook with a row per course) is a row in each. A student
//! gone from one section and new in another, on no other row, moved: both
//! rows say where to or from ([`Row::moved`]), and are counted as they are.
//! When one side has no section column at all, students are matched by id
//! alone; an id in several sections on the other side then cannot be
//! matched, and is refused ((section, id) pairs are unique within a side:
//! reading rejects, or with `--duplicates` sets aside, a second row).
//!
//! This module only compares; `render::diff` writes the result and
//! `cmd::diff` runs the two sides. It does not read files or print.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

/// What one side decided for one student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The plan's id in the rules.
    pub plan: String,
    /// The plan's label, for people.
    pub label: String,
    pub tier: Option<u8>,
    pub focus: Option<String>,
}

impl Outcome {
    /// Whether the plan is tier support: a Tier 2 or Tier 3 intervention.
    fn supported(&self) -> bool {
        self.tier.is_some_and(|t| t >= 2)
    }
}

/// One student of one side.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The section as in the data; empty when there is none.
    pub section: Vec<u8>,
    pub id: Vec<u8>,
    /// The name (the id when the rules map no name column).
    pub name: String,
    pub outcome: Outcome,
}

/// Every student one run decided, in input order.
#[derive(Debug, Default)]
pub(crate) struct Side {
    /// What the side is, for messages: a rules file or a data file.
    pub name: String,
    pub entries: Vec<Entry>,
}

/// How a student's plan changed, from the old side to the new. One per
/// student; the first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// Only in the new side.
    NewStudent,
    /// Only in the old side.
    Gone,
    /// From no tier support (Tier 1, or a plan without a tier) to Tier 2 or 3.
    Entered,
    /// From Tier 2 or 3 to no tier support.
    Left,
    /// Tier support, more intensive (Tier 2 to Tier 3).
    TierUp,
    /// Tier support, less intensive (Tier 3 to Tier 2).
    TierDown,
    /// Another plan, with the same tier support.
    Plan,
    /// The same plan, another focus skill.
    Focus,
    Unchanged,
}

impl Change {
    /// Every change, in the order counts are shown.
    pub(crate) const ALL: [Change; 9] = [
        Change::Entered,
        Change::Left,
        Change::TierUp,
        Change::TierDown,
        Change::Plan,
        Change::Focus,
        Change::NewStudent,
        Change::Gone,
        Change::Unchanged,
    ];

    /// The name in the CSV `change` column and the JSON counts.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Change::NewStudent => "new_student",
            Change::Gone => "gone",
            Change::Entered => "entered",
            Change::Left => "left",
            Change::TierUp => "tier_up",
            Change::TierDown => "tier_down",
            Change::Plan => "plan",
            Change::Focus => "focus",
            Change::Unchanged => "unchanged",
        }
    }

    /// The change between two outcomes of one student; `None` for the side
    /// the student is not in.
    pub(crate) fn between(old: Option<&Outcome>, new: Option<&Outcome>) -> Change {
        let (old, new) = match (old, new) {
            (None, _) => return Change::NewStudent,
            (Some(_), None) => return Change::Gone,
            (Some(old), Some(new)) => (old, new),
        };
        match (old.supported(), new.supported()) {
            (false, true) => return Change::Entered,
            (true, false) => return Change::Left,
            _ => {}
        }
        if old.supported() && old.tier != new.tier {
            return if new.tier > old.tier {
                Change::TierUp
            } else {
                Change::TierDown
            };
        }
        if old.plan != new.plan {
            Change::Plan
        } else if old.focus != new.focus {
            Change::Focus
        } else {
            Change::Unchanged
        }
    }
}

/// One student in the comparison.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub section: Vec<u8>,
    pub id: Vec<u8>,
    pub name: String,
    pub old: Option<Outcome>,
    pub new: Option<Outcome>,
    pub change: Change,
    /// A student who moved section: for the row `gone`, the section they
    /// are in now; for the row `new_student`, the one they were in.
    pub moved: Option<Vec<u8>>,
}

/// How many students of a section (or of all) fall in each change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Indexed like [`Change::ALL`].
    by_change: [u64; Change::ALL.len()],
}

impl Counts {
    fn add(&mut self, change: Change) {
        self.by_change[index(change)] += 1;
    }

    pub(crate) fn get(&self, change: Change) -> u64 {
        self.by_change[index(change)]
    }

    /// Every student counted.
    pub(crate) fn students(&self) -> u64 {
        self.by_change.iter().sum()
    }

    /// The students whose plan, focus or tier changed, or who are in one
    /// side only.
    pub(crate) fn changed(&self) -> u64 {
        self.students() - self.get(Change::Unchanged)
    }
}

fn index(change: Change) -> usize {
    Change::ALL
        .iter()
        .position(|c| *c == change)
        .unwrap_or_else(|| unreachable!("Change::ALL lists every change"))
}

/// The comparison of two sides.
#[derive(Debug)]
pub(crate) struct Diff {
    /// Every student, by section (in order of first appearance, old side
    /// first), then the old side's students in input order, then the
    /// students only in the new side in its input order.
    pub rows: Vec<Row>,
    /// One per section, in the order of `rows`: the section and its counts.
    pub sections: Vec<(Vec<u8>, Counts)>,
    pub total: Counts,
    /// Whether students were matched by section and id (false: by id alone,
    /// because a side has no section column).
    pub by_section: bool,
    /// Students who moved section (each a `gone` and a `new_student` row).
    pub moved: u64,
}

impl Diff {
    /// Whether any student changed, or is in one side only.
    pub(crate) fn has_changes(&self) -> bool {
        self.total.changed() > 0
    }
}

/// Match the students of `old` and `new` and say how each changed.
pub(crate) fn compare(old: &Side, new: &Side) -> Result<Diff> {
    let has_sections = |side: &Side| side.entries.iter().any(|e| !e.section.is_empty());
    let by_section = has_sections(old) && has_sections(new);
    let key = |e: &Entry| {
        let section = if by_section { &e.section[..] } else { &[][..] };
        (section.to_vec(), e.id.clone())
    };
    let mut in_new: BTreeMap<(Vec<u8>, Vec<u8>), usize> = BTreeMap::new();
    for (i, entry) in new.entries.iter().enumerate() {
        if let Some(first) = in_new.insert(key(entry), i) {
            return Err(duplicate(new, &new.entries[first], entry, old));
        }
    }
    let mut seen_old = BTreeMap::new();
    let mut matched = vec![false; new.entries.len()];
    let mut rows = Vec::with_capacity(old.entries.len().max(new.entries.len()));
    for entry in &old.entries {
        let k = key(entry);
        let partner = in_new.get(&k).copied();
        if let Some(first) = seen_old.insert(k, entry) {
            return Err(duplicate(old, first, entry, new));
        }
        let new_entry = partner.map(|i| {
            matched[i] = true;
            &new.entries[i]
        });
        // Matched by id alone, a student keeps the section the side with
        // sections gives.
        let section = match new_entry {
            Some(n) if entry.section.is_empty() => n.section.clone(),
            _ => entry.section.clone(),
        };
        let old_outcome = Some(entry.outcome.clone());
        let new_outcome = new_entry.map(|n| n.outcome.clone());
        rows.push(Row {
            section,
            id: entry.id.clone(),
            name: new_entry.map_or_else(|| entry.name.clone(), |n| n.name.clone()),
            change: Change::between(old_outcome.as_ref(), new_outcome.as_ref()),
            old: old_outcome,
            new: new_outcome,
            moved: None,
        });
    }
    for (entry, _) in new.entries.iter().zip(&matched).filter(|(_, m)| !**m) {
        rows.push(Row {
            section: entry.section.clone(),
            id: entry.id.clone(),
            name: entry.name.clone(),
            old: None,
            new: Some(entry.outcome.clone()),
            change: Change::NewStudent,
            moved: None,
        });
    }
    let moved = if by_section { mark_moves(&mut rows) } else { 0 };
    // Sections in order of first appearance; rows stably by section.
    let mut order: Vec<Vec<u8>> = Vec::new();
    let mut position: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    for row in &rows {
        if !position.contains_key(&row.section) {
            position.insert(row.section.clone(), order.len());
            order.push(row.section.clone());
        }
    }
    rows.sort_by_key(|r| position[&r.section]);
    let mut sections: Vec<(Vec<u8>, Counts)> =
        order.into_iter().map(|s| (s, Counts::default())).collect();
    let mut total = Counts::default();
    for row in &rows {
        sections[position[&row.section]].1.add(row.change);
        total.add(row.change);
    }
    Ok(Diff {
        rows,
        sections,
        total,
        by_section,
        moved,
    })
}

/// Mark as moved each student with exactly one `gone` row and one
/// `new_student` row, in two sections (a student in several sections who
/// moved one of them too); returns how many.
fn mark_moves(rows: &mut [Row]) -> u64 {
    let mut by_id: BTreeMap<&[u8], (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        match row.change {
            Change::Gone => by_id.entry(&row.id).or_default().0.push(i),
            Change::NewStudent => by_id.entry(&row.id).or_default().1.push(i),
            _ => {}
        }
    }
    let pairs: Vec<(usize, usize)> = by_id
        .into_values()
        .filter_map(|(gone, new)| match (gone.as_slice(), new.as_slice()) {
            ([g], [n]) => Some((*g, *n)),
            _ => None,
        })
        .collect();
    for &(gone, new) in &pairs {
        rows[gone].moved = Some(rows[new].section.clone());
        rows[new].moved = Some(rows[gone].section.clone());
    }
    pairs.len() as u64
}

/// Two rows of one side with one key: a student in two sections when the
/// other side has no section column to tell them apart (reading keeps one
/// row per student and section, so anything else is a bug).
fn duplicate(side: &Side, first: &Entry, entry: &Entry, other: &Side) -> Error {
    let id = String::from_utf8_lossy(&entry.id);
    if first.section != entry.section {
        return Error::problem(
            Diagnostic::error(
                Code::DuplicateStudent,
                format!(
                    "student `{id}` is in two sections of `{}`, `{}` and `{}`, and `{}` has no section column to match them by",
                    side.name,
                    section_name(&first.section),
                    section_name(&entry.section),
                    other.name
                ),
            )
            .help("give both sides a section column (`columns: section:` in the rules) so students are matched by section and id"),
        );
    }
    Error::problem(
        Diagnostic::error(
            Code::DuplicateStudent,
            format!("student `{id}` appears twice in `{}`", side.name),
        )
        .help("this is a bug in tierplan (reading keeps one row per student and section); please report it"),
    )
}

/// A section as people read it: `(no section)` for none.
pub(crate) fn section_name(section: &[u8]) -> String {
    if section.is_empty() {
        "(no section)".to_owned()
    } else {
        String::from_utf8_lossy(section).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(plan: &str, tier: Option<u8>, focus: Option<&str>) -> Outcome {
        Outcome {
            plan: plan.to_owned(),
            label: plan.to_owned(),
            tier,
            focus: focus.map(str::to_owned),
        }
    }

    fn entry(section: &str, id: &str, plan: &str, tier: Option<u8>) -> Entry {
        Entry {
            section: section.into(),
            id: id.into(),
            name: format!("Name {id}"),
            outcome: outcome(plan, tier, None),
        }
    }

    fn side(entries: Vec<Entry>) -> Side {
        Side {
            name: "side".into(),
            entries,
        }
    }

    #[test]
    fn each_pair_of_outcomes_has_one_change() {
        let core = outcome("core", Some(1), None);
        let reteach = outcome("small_group_reteach", Some(1), Some("NF.1"));
        let reteach_other = outcome("small_group_reteach", Some(1), Some("NF.2"));
        let tier2 = outcome("tier2", Some(2), Some("NF.1"));
        let tier3 = outcome("tier3", Some(3), Some("NF.1"));
        let no_data = outcome("no_data", None, None);
        let cases = [
            (None, Some(&core), Change::NewStudent),
            (Some(&core), None, Change::Gone),
            (Some(&core), Some(&tier2), Change::Entered),
            (Some(&no_data), Some(&tier3), Change::Entered),
            (Some(&tier3), Some(&reteach), Change::Left),
            (Some(&tier2), Some(&no_data), Change::Left),
            (Some(&tier2), Some(&tier3), Change::TierUp),
            (Some(&tier3), Some(&tier2), Change::TierDown),
            (Some(&core), Some(&reteach), Change::Plan),
            (Some(&no_data), Some(&core), Change::Plan),
            (Some(&reteach), Some(&reteach_other), Change::Focus),
            (Some(&tier2), Some(&tier2), Change::Unchanged),
        ];
        for (old, new, expected) in cases {
            assert_eq!(Change::between(old, new), expected, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn every_student_is_in_exactly_one_row_by_section_and_id() {
        let old = side(vec![
            entry("5A", "S1", "core", Some(1)),
            entry("5A", "S2", "tier2", Some(2)),
            entry("5B", "S3", "core", Some(1)),
            // The same id in another section is another student.
            entry("5B", "S1", "core", Some(1)),
        ]);
        let new = side(vec![
            entry("5B", "S4", "core", Some(1)),
            entry("5A", "S2", "core", Some(1)),
            entry("5A", "S1", "tier3", Some(3)),
            entry("5B", "S1", "core", Some(1)),
        ]);
        let diff = compare(&old, &new).unwrap();
        let rows: Vec<(String, String, &str)> = diff
            .rows
            .iter()
            .map(|r| {
                (
                    section_name(&r.section),
                    section_name(&r.id),
                    r.change.code(),
                )
            })
            .collect();
        let expected = [
            ("5A", "S1", "entered"),
            ("5A", "S2", "left"),
            ("5B", "S3", "gone"),
            ("5B", "S1", "unchanged"),
            ("5B", "S4", "new_student"),
        ];
        let expected: Vec<(String, String, &str)> = expected
            .iter()
            .map(|(s, i, c)| ((*s).to_owned(), (*i).to_owned(), *c))
            .collect();
        assert_eq!(rows, expected);
        assert!(diff.by_section);
        assert_eq!(diff.total.students(), 5);
        assert_eq!(diff.total.changed(), 4);
        assert_eq!(diff.sections.len(), 2);
        assert_eq!(diff.sections[1].1.get(Change::Unchanged), 1);
        assert_eq!(diff.sections[1].1.students(), 3);
    }

    #[test]
    fn without_sections_on_one_side_students_match_by_id() {
        let old = side(vec![entry("5A", "S1", "core", Some(1))]);
        let new = side(vec![entry("", "S1", "core", Some(1))]);
        let diff = compare(&old, &new).unwrap();
        assert!(!diff.by_section);
        assert_eq!(diff.rows.len(), 1);
        assert_eq!(diff.rows[0].change, Change::Unchanged);
        assert_eq!(diff.rows[0].section, b"5A");
        assert!(!diff.has_changes());
    }

    #[test]
    fn ids_are_compared_exactly() {
        let old = side(vec![entry("5A", "S01", "core", Some(1))]);
        let new = side(vec![entry("5A", "s01", "core", Some(1))]);
        let diff = compare(&old, &new).unwrap();
        let changes: Vec<Change> = diff.rows.iter().map(|r| r.change).collect();
        assert_eq!(changes, [Change::Gone, Change::NewStudent]);
    }

    #[test]
    fn a_student_gone_from_one_section_and_new_in_another_moved() {
        let old = side(vec![
            entry("Math 7", "S1", "core", Some(1)),
            entry("ELA 7", "S1", "core", Some(1)),
            entry("Math 7", "S2", "core", Some(1)),
            entry("Math 7", "S3", "core", Some(1)),
        ]);
        let new = side(vec![
            entry("Math 8", "S1", "core", Some(1)),
            entry("ELA 7", "S1", "core", Some(1)),
            // S2 leaves one section for two: which row is the move is not
            // known, so none is said to be.
            entry("Math 8", "S2", "core", Some(1)),
            entry("ELA 8", "S2", "core", Some(1)),
        ]);
        let diff = compare(&old, &new).unwrap();
        let moves: Vec<(String, &str, Option<String>)> = diff
            .rows
            .iter()
            .filter(|r| r.change != Change::Unchanged)
            .map(|r| {
                (
                    String::from_utf8_lossy(&r.id).into_owned(),
                    r.change.code(),
                    r.moved.as_deref().map(section_name),
                )
            })
            .collect();
        let expected = [
            ("S1", "gone", Some("Math 8")),
            ("S2", "gone", None),
            ("S3", "gone", None),
            ("S1", "new_student", Some("Math 7")),
            ("S2", "new_student", None),
            ("S2", "new_student", None),
        ];
        let expected: Vec<(String, &str, Option<String>)> = expected
            .iter()
            .map(|(i, c, m)| ((*i).to_owned(), *c, m.map(str::to_owned)))
            .collect();
        assert_eq!(moves, expected);
        assert_eq!(diff.moved, 1);
        assert_eq!(diff.total.students(), 7);
    }
}
