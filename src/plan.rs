//! Decisions → the grouped plan: per section, the skills retaught to the
//! whole section, the groups (plan and focus skill, split to the plan's
//! group size), and the tier counts beside the guideline.
//!
//! Order is stable and independent of the input's row order: sections by
//! name, groups by the plans' order in the rules and then by skill, members
//! by score on the focus skill (weakest first), then name, then id.

use crate::condition::eval::SkillStat;
use crate::engine::{Sections, Student};
use crate::rules::{Plan, Rules};

/// A student in a group. The table and Markdown hold one a student until
/// the plan is written, so it is kept small: boxed text (no spare
/// capacity) and the rare progress detail behind a pointer (issue 12).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: Box<str>,
    pub id: Box<str>,
    /// Score on the group's focus skill.
    pub score: Option<f64>,
    /// Progress monitoring: what the table shows beside the name.
    pub progress: Option<Box<ProgressDetail>>,
}

/// A progress-monitoring student's recent probes, aimline, rates and next
/// probe date, as text; for the report's graph, their probes, goal and the
/// decision's reason.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressDetail {
    pub tier: String,
    /// Sparkline and values.
    pub recent: String,
    pub aimline: String,
    pub slope: String,
    pub goal_roi: String,
    pub next_probe: String,
    /// The pivot's cells (`probes`, `phases`, ...), empty when unknown.
    pub probes: String,
    pub phases: String,
    pub baseline: String,
    pub goal: String,
    pub goal_date: String,
    pub run_above: String,
    pub run_below: String,
    /// Why the decision, when the renderer asked for reasons.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub plan: usize,
    pub focus: Option<usize>,
    /// 1-based number of this group among the groups of the same plan and
    /// focus, and how many there are.
    pub number: usize,
    pub of: usize,
    pub members: Vec<Member>,
}

/// Students per tier; students whose plan has no tier are counted apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tiers {
    pub counts: [u32; 3],
    pub no_tier: u32,
}

impl Tiers {
    pub fn add(&mut self, tier: Option<u8>) {
        match tier {
            Some(t @ 1..=3) => self.counts[usize::from(t) - 1] += 1,
            _ => self.no_tier += 1,
        }
    }

    /// Students placed in a tier.
    pub fn placed(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// Share of placed students in `tier` (1-based), 0 when none are placed.
    pub fn share(&self, tier: usize) -> f64 {
        let placed = self.placed();
        if placed == 0 {
            0.0
        } else {
            f64::from(self.counts[tier - 1]) / f64::from(placed)
        }
    }
}

/// One section's plan.
#[derive(Debug, Clone)]
pub struct SectionPlan {
    /// Index into [`Sections::list`].
    pub section: usize,
    pub groups: Vec<Group>,
    pub tiers: Tiers,
    /// Students decided on missing or unreadable data.
    pub caveats: u32,
    /// Those students, by name, with what was missing (when members are
    /// kept), in name order.
    pub caveated: Vec<(Box<str>, Box<str>)>,
}

/// A member's group, packed for the sort: the plan's index, and the focus
/// skill's index plus one (0 for no focus, which sorts first, as `None`
/// does).
type Key = (u32, u32);

/// Collects decisions as they stream by: tier counts always, group members
/// only when the output lists students by group.
pub struct Collector {
    members: Vec<Vec<(Key, Member)>>,
    tiers: Vec<Tiers>,
    caveats: Vec<u32>,
    caveated: Vec<Vec<(Box<str>, Box<str>)>>,
    keep_members: bool,
}

impl Collector {
    pub fn new(sections: usize, keep_members: bool) -> Self {
        Collector {
            members: vec![Vec::new(); if keep_members { sections } else { 0 }],
            tiers: vec![Tiers::default(); sections],
            caveats: vec![0; sections],
            caveated: vec![Vec::new(); if keep_members { sections } else { 0 }],
            keep_members,
        }
    }

    /// Count `student`, shown as `name`.
    pub fn add(
        &mut self,
        student: &Student<'_>,
        name: &str,
        plan: &Plan,
        progress: Option<ProgressDetail>,
        caveat: Option<&str>,
    ) {
        self.tiers[student.section].add(plan.tier);
        if let Some(caveat) = caveat {
            self.caveats[student.section] += 1;
            if self.keep_members {
                self.caveated[student.section].push((name.into(), caveat.into()));
            }
        }
        if self.keep_members {
            let d = &student.decision;
            let key = (pack(d.plan), d.focus.map_or(0, |f| pack(f + 1)));
            self.members[student.section].push((
                key,
                Member {
                    name: name.into(),
                    id: String::from_utf8_lossy(student.id).into(),
                    score: d.focus_score,
                    progress: progress.map(Box::new),
                },
            ));
        }
    }

    /// Add what another collector saw (a later part of the rows).
    pub fn absorb(&mut self, other: Collector) {
        for (mine, theirs) in self.tiers.iter_mut().zip(other.tiers) {
            for (a, b) in mine.counts.iter_mut().zip(theirs.counts) {
                *a += b;
            }
            mine.no_tier += theirs.no_tier;
        }
        for (mine, theirs) in self.caveats.iter_mut().zip(other.caveats) {
            *mine += theirs;
        }
        for (mine, theirs) in self.caveated.iter_mut().zip(other.caveated) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.members.iter_mut().zip(other.members) {
            mine.extend(theirs);
        }
    }

    /// The plan of every section, sorted by section name.
    pub fn finish(mut self, rules: &Rules, sections: &Sections) -> Vec<SectionPlan> {
        sections
            .sorted()
            .into_iter()
            .map(|section| {
                let members = if self.keep_members {
                    std::mem::take(&mut self.members[section])
                } else {
                    Vec::new()
                };
                let mut caveated = if self.keep_members {
                    std::mem::take(&mut self.caveated[section])
                } else {
                    Vec::new()
                };
                caveated.sort();
                SectionPlan {
                    section,
                    groups: groups(rules, members),
                    tiers: self.tiers[section],
                    caveats: self.caveats[section],
                    caveated,
                }
            })
            .collect()
    }
}

/// An index (a plan's, a skill's) as a [`Key`] half: there are far fewer
/// than 2^32 of either (a file has at most 16,384 columns).
fn pack(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The members of a section, sorted, moved into their groups (never
/// copied: a section's members are held once).
fn groups(rules: &Rules, mut members: Vec<(Key, Member)>) -> Vec<Group> {
    members.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| {
                let (x, y) = (
                    a.1.score.unwrap_or(f64::INFINITY),
                    b.1.score.unwrap_or(f64::INFINITY),
                );
                x.total_cmp(&y)
            })
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    let mut out = Vec::new();
    let mut rest = members.into_iter().peekable();
    while let Some(&(key, _)) = rest.peek() {
        let mut same: Vec<Member> = Vec::new();
        while let Some((_, member)) = rest.next_if(|m| m.0 == key) {
            same.push(member);
        }
        let len = same.len();
        let plan = key.0 as usize;
        let focus = key.1.checked_sub(1).map(|f| f as usize);
        let size = rules.plans[plan]
            .group_size
            .map_or(len, |s| s as usize)
            .max(1);
        let sizes = split(len, size);
        let of = sizes.len();
        let mut same = same.into_iter();
        for (number, size) in sizes.into_iter().enumerate() {
            out.push(Group {
                plan,
                focus,
                number: number + 1,
                of,
                members: same.by_ref().take(size).collect(),
            });
        }
    }
    out
}

/// Split `n` students into the fewest groups of at most `max`, as even in
/// size as possible (larger groups first).
pub fn split(n: usize, max: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let groups = n.div_ceil(max.max(1));
    (0..groups)
        .map(|i| n / groups + usize::from(i < n % groups))
        .collect()
}

/// The skills a section is retaught as a whole, with their numbers.
pub fn whole_class<'a>(
    sections: &'a Sections,
    section: usize,
    skills: &'a [Box<str>],
) -> Vec<(&'a str, SkillStat)> {
    sections.list[section]
        .stats
        .iter()
        .zip(skills)
        .filter(|(stat, _)| stat.whole_class)
        .map(|(stat, name)| (&**name, *stat))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn groups_are_as_even_as_possible() {
        assert_eq!(split(0, 5), Vec::<usize>::new());
        assert_eq!(split(5, 5), vec![5]);
        assert_eq!(split(6, 5), vec![3, 3]);
        assert_eq!(split(11, 5), vec![4, 4, 3]);
        assert_eq!(split(3, 1), vec![1, 1, 1]);
    }
}
