//! The table's columns and sections from what the records say: a skill per
//! line item or per category (with names made unique), each student's
//! sections from the classes they are enrolled in (a row in each class they
//! have results in), and the rows.

use std::collections::{HashMap, HashSet};

use super::records::{Enrollment, LineItems, Students};
use super::results::{Score, Scores, skill_percent};
use super::{FIELDS, MAX_NOTES, SkillsFrom};
use crate::condition::format_number;
use crate::diagnostic::{Code, Diagnostic, Location, list};
use crate::ingest::columns::normalize;
use crate::ingest::table::StudentTable;

/// What to do about a student in several classes.
const SEVERAL_CLASSES_HELP: &str = "the section groups the plan; to plan the student in another \
                                    class, give a bundle exported for that class";

pub(super) struct Skill {
    pub(super) name: String,
    /// Indexes of the line items it is made of.
    pub(super) items: Vec<usize>,
}

pub(super) fn skills(
    items: &LineItems,
    categories: &[(String, String)],
    group_by: SkillsFrom,
    notes: &mut Vec<Diagnostic>,
) -> Vec<Skill> {
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    match group_by {
        SkillsFrom::LineItem => {
            for (i, item) in items.list.iter().enumerate() {
                groups.push((item.title.clone(), item.id.clone(), vec![i]));
            }
        }
        SkillsFrom::Category => {
            // Categories in `categories.csv` order, then those it lacks in
            // `lineItems.csv` order; line items with no category last.
            let order: HashMap<&str, usize> = categories
                .iter()
                .enumerate()
                .rev()
                .map(|(i, (id, _))| (id.as_str(), i))
                .collect();
            let mut by_id: Vec<(&str, Vec<usize>)> = Vec::new();
            for (i, item) in items.list.iter().enumerate() {
                match by_id.iter_mut().find(|(id, _)| *id == item.category) {
                    Some((_, list)) => list.push(i),
                    None => by_id.push((&item.category, vec![i])),
                }
            }
            by_id.sort_by_key(|(id, _)| {
                (id.is_empty(), order.get(id).copied().unwrap_or(usize::MAX))
            });
            for (id, list) in by_id {
                if id.is_empty() {
                    notes.push(Diagnostic::warning(
                        Code::NoCategory,
                        format!(
                            "{} of `lineItems.csv` have no `categorySourcedId`; they make the \
                             skill `uncategorized`",
                            crate::diagnostic::count(list.len(), "line item")
                        ),
                    ));
                    groups.push(("uncategorized".into(), "uncategorized".into(), list));
                    continue;
                }
                let title = categories
                    .iter()
                    .find(|(c, _)| c == id)
                    .map(|(_, t)| t.clone())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| id.to_owned());
                groups.push((title, id.to_owned(), list));
            }
        }
    }
    let names = unique_names(groups.iter().map(|(t, id, _)| (t.as_str(), id.as_str())));
    names
        .into_iter()
        .zip(groups)
        .map(|(name, (_, _, items))| Skill { name, items })
        .collect()
}

/// Column names from titles: a title shared by several (or taken by a
/// student field, or empty) gets its sourced id appended.
pub(super) fn unique_names<'a>(groups: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let groups: Vec<(&str, &str)> = groups.collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (title, _) in &groups {
        *counts.entry(normalize(title)).or_default() += 1;
    }
    let reserved: Vec<String> = FIELDS.iter().map(|f| normalize(f)).collect();
    let mut seen: HashSet<String> = reserved.iter().cloned().collect();
    let mut out = Vec::with_capacity(groups.len());
    for (title, id) in groups {
        let key = normalize(title);
        let mut name = if key.is_empty() {
            id.to_owned()
        } else if counts.get(&key).copied().unwrap_or(0) > 1 || reserved.contains(&key) {
            format!("{title} ({id})")
        } else {
            title.to_owned()
        };
        let base = name.clone();
        let mut n = 2;
        while !seen.insert(normalize(&name)) {
            name = format!("{base} {n}");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// One of a student's rows: the section (a class's title, empty for none)
/// and the classes whose line items' results it holds (empty: every result
/// of the student).
pub(super) struct Place {
    pub(super) section: String,
    classes: Vec<String>,
}

/// Each student's rows: one per class they are enrolled in and have results
/// in (a student in two courses is planned in each, as a gradebook with a
/// row per course is), classes of one title being one section; enrolled
/// but with results in none, the first enrollment, said in a note.
pub(super) fn sections(
    students: &Students,
    enrollments: &[Enrollment],
    classes: &HashMap<String, String>,
    items: &LineItems,
    scores: &Scores,
    notes: &mut Vec<Diagnostic>,
) -> Vec<Vec<Place>> {
    let mut enrolled: Vec<Vec<&str>> = vec![Vec::new(); students.list.len()];
    for e in enrollments {
        if let Some(&i) = students.index.get(&e.user)
            && !enrolled[i].contains(&e.class.as_str())
        {
            enrolled[i].push(&e.class);
        }
    }
    let title = |class: &str| {
        classes
            .get(class)
            .cloned()
            .unwrap_or_else(|| class.to_owned())
    };
    let display = &students.users_display;
    let mut ambiguous = 0;
    let mut unenrolled = Vec::new();
    let mut out = Vec::with_capacity(students.list.len());
    for (i, student) in students.list.iter().enumerate() {
        let with_results: HashSet<&str> = scores[i]
            .keys()
            .map(|&item| items.list[item].class.as_str())
            .collect();
        let scored: Vec<&str> = enrolled[i]
            .iter()
            .copied()
            .filter(|c| with_results.contains(c))
            .collect();
        let mut places: Vec<Place> = Vec::new();
        for class in &scored {
            let section = title(class);
            match places.iter_mut().find(|p| p.section == section) {
                Some(place) => place.classes.push((*class).to_owned()),
                None => places.push(Place {
                    section,
                    classes: vec![(*class).to_owned()],
                }),
            }
        }
        if let [one] = places.as_mut_slice() {
            // One section: every result of the student, as before.
            one.classes.clear();
        }
        if places.is_empty() {
            let section = match enrolled[i].as_slice() {
                [] => {
                    unenrolled.push(student.id.as_str());
                    String::new()
                }
                [one] => title(one),
                [first, ..] => {
                    ambiguous += 1;
                    if ambiguous <= MAX_NOTES {
                        let names: Vec<String> = enrolled[i].iter().map(|c| title(c)).collect();
                        notes.push(
                            Diagnostic::warning(
                                Code::SeveralClasses,
                                format!(
                                    "student `{}` is in {} and has results in none; their \
                                     section is `{}`, their first enrollment",
                                    student.id,
                                    list(&names),
                                    title(first)
                                ),
                            )
                            .at(Location::line(display, student.line))
                            .help(SEVERAL_CLASSES_HELP),
                        );
                    }
                    title(first)
                }
            };
            places.push(Place {
                section,
                classes: Vec::new(),
            });
        }
        out.push(places);
    }
    if ambiguous > MAX_NOTES {
        notes.push(Diagnostic::warning(
            Code::SeveralClasses,
            format!(
                "{} more are in several classes and have results in none; each one's section is \
                 their first enrollment",
                crate::diagnostic::count(ambiguous - MAX_NOTES, "student")
            ),
        ));
    }
    if !unenrolled.is_empty() {
        let shown: Vec<&str> = unenrolled.iter().copied().take(MAX_NOTES).collect();
        let more = unenrolled.len() - shown.len();
        notes.push(
            Diagnostic::warning(
                Code::NoEnrollment,
                format!(
                    "{} enrolled in no class, so {} no section: {}{}",
                    crate::diagnostic::count(unenrolled.len(), "student"),
                    if unenrolled.len() == 1 { "has" } else { "have" },
                    list(&shown),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
            )
            .at(Location::file(display)),
        );
    }
    out
}

/// Rows in `table`, one for each of a student's places: their fields, then
/// each skill they have results in there, a skill's score summed from the
/// student's own results (never by looking at every skill of the bundle:
/// issue 12). A student in several sections has in each the results of
/// that section's classes; results in a class they are not enrolled in go
/// to their first row.
pub(super) fn student_rows(
    table: &mut StudentTable,
    students: &Students,
    places: &[Vec<Place>],
    items: &LineItems,
    skills: &[Skill],
    scores: &Scores,
) {
    // Each line item's skill, so that a student's scores are summed from
    // their own results, never from every skill of the bundle.
    let mut skill_of = vec![0; items.list.len()];
    for (s, skill) in skills.iter().enumerate() {
        for &item in &skill.items {
            skill_of[item] = s;
        }
    }
    let mut results: Vec<(usize, usize, Score)> = Vec::new();
    for (i, student) in students.list.iter().enumerate() {
        let in_a_row = |class: &str| {
            places[i]
                .iter()
                .any(|p| p.classes.iter().any(|c| c == class))
        };
        for (k, place) in places[i].iter().enumerate() {
            let fields = [&student.id, &student.name, &place.section, &student.grade];
            let row = table.push_row(fields, student.line);
            results.clear();
            results.extend(
                scores[i]
                    .iter()
                    .filter(|(item, _)| {
                        let class = items.list[**item].class.as_str();
                        place.classes.is_empty()
                            || place.classes.iter().any(|c| c == class)
                            || (k == 0 && !in_a_row(class))
                    })
                    .map(|(&item, &score)| (skill_of[item], item, score)),
            );
            // By skill, then line item: the order `skill_score` sums them in.
            results.sort_unstable_by_key(|&(skill, item, _)| (skill, item));
            for same in results.chunk_by(|a, b| a.0 == b.0) {
                let (mut points, mut range) = (0.0, 0.0);
                for (_, _, score) in same {
                    points += score.points;
                    range += score.range;
                }
                if let Some(percent) = skill_percent(points, range) {
                    table.set(row, FIELDS.len() + same[0].0, &format_number(percent));
                }
            }
        }
    }
}
