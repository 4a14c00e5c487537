//! The section-level pass: per section and skill, how many students were
//! assessed, how many are below mastery, and whether the whole section is
//! retaught the skill.
//!
//! Memory is one small record per section and skill, whatever the number of
//! students.

use std::collections::HashMap;

use crate::hash::FxBuild;

use csv::ByteRecord;

use crate::condition::eval::{Cond, Env, NoTrace, Quantities, SkillStat, Tri};
use crate::condition::lookup::Lookup;

/// One section's numbers.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: Box<[u8]>,
    pub students: u32,
    /// One per skill of the run.
    pub stats: Vec<SkillStat>,
}

impl Section {
    pub fn display_name(&self) -> String {
        if self.name.is_empty() {
            "(no section)".to_owned()
        } else {
            String::from_utf8_lossy(&self.name).into_owned()
        }
    }
}

/// Every section seen, in order of first appearance, with a lookup by name.
#[derive(Debug, Default)]
pub struct Sections {
    index: HashMap<Box<[u8]>, usize, FxBuild>,
    pub list: Vec<Section>,
    skills: usize,
    mastery: f64,
}

impl Sections {
    pub fn new(skills: usize, mastery: f64) -> Self {
        Sections {
            skills,
            mastery,
            ..Sections::default()
        }
    }

    /// The index of section `name`, added if new.
    pub fn index_of(&mut self, name: &[u8]) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.list.len();
        self.index.insert(name.into(), i);
        self.list.push(Section {
            name: name.into(),
            students: 0,
            stats: vec![SkillStat::default(); self.skills],
        });
        i
    }

    /// The index of a section already seen.
    pub fn get(&self, name: &[u8]) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Count one student of section `section` with these scores.
    pub fn add(&mut self, section: usize, scores: &[Option<f64>]) {
        let mastery = self.mastery;
        let s = &mut self.list[section];
        s.students += 1;
        for (stat, score) in s.stats.iter_mut().zip(scores) {
            if let Some(score) = *score {
                stat.assessed += 1;
                stat.sum += score;
                if score < mastery {
                    stat.below += 1;
                }
            }
        }
    }

    /// Decide, for every section and every skill someone was assessed on,
    /// whether the whole section is retaught it.
    pub fn decide_whole_class(&mut self, rule: &Cond, skill_names: &[Box<str>], tables: &[Lookup]) {
        let record = ByteRecord::new();
        for s in &mut self.list {
            let flags: Vec<bool> = (0..s.stats.len())
                .map(|skill| {
                    if s.stats[skill].assessed == 0 {
                        return false;
                    }
                    let quantities = Quantities::default();
                    let env = Env {
                        quantities: &quantities,
                        record: &record,
                        field_columns: &[],
                        numbers: &[],
                        scores: &[],
                        skill_names,
                        section_name: &s.name,
                        section_students: s.students,
                        section: &s.stats,
                        tables,
                        skill,
                    };
                    rule.eval(&env, &mut NoTrace) == Tri::True
                })
                .collect();
            for (stat, flag) in s.stats.iter_mut().zip(flags) {
                stat.whole_class = flag;
            }
        }
    }

    /// Add another part's sections (in order): the same name is the same
    /// section. Returns where each of `other`'s sections went.
    pub fn absorb(&mut self, other: Sections) -> Vec<usize> {
        if self.list.is_empty() {
            // The first part's sections are the merged ones so far.
            let to = (0..other.list.len()).collect();
            *self = other;
            return to;
        }
        self.index.reserve(other.list.len());
        other
            .list
            .into_iter()
            .map(|section| {
                let i = self.index_of(&section.name);
                let mine = &mut self.list[i];
                mine.students += section.students;
                for (a, b) in mine.stats.iter_mut().zip(&section.stats) {
                    a.assessed += b.assessed;
                    a.below += b.below;
                    a.sum += b.sum;
                }
                i
            })
            .collect()
    }

    /// Section indexes sorted by name (byte order), for stable output.
    pub fn sorted(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        order.sort_by(|&a, &b| self.list[a].name.cmp(&self.list[b].name));
        order
    }
}
