//! The groups of `tierplan plan --format markdown`, to compare with the
//! query's `group_number`: per section, group (its label, `, group 2 of 3`
//! when a plan's students make several) and focus, the members as the
//! Markdown lists them (`Name (score)`), in sorted order.

use std::collections::{BTreeMap, HashMap};

use super::format_number;
use crate::util::markdown_group_rows;

/// (section, group label, focus) → the members' entries, sorted.
pub(crate) type Groups = BTreeMap<(String, String, String), Vec<String>>;

/// A Markdown cell back to its text (`render::markdown::cell` undone for
/// the characters the test files use).
fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The groups of a Markdown plan.
pub(crate) fn from_markdown(markdown: &str) -> Groups {
    let mut groups = Groups::new();
    for (heading, cells) in markdown_group_rows(markdown) {
        assert_eq!(cells.len(), 5, "a group row of five cells: {cells:?}");
        let mut members: Vec<String> = if cells[4].is_empty() {
            Vec::new()
        } else {
            unescape(cells[4]).split("; ").map(String::from).collect()
        };
        members.sort();
        let section = heading.expect("a section before its groups");
        let key = (
            unescape(section.rsplit_once(" (").expect("a count").0),
            unescape(cells[0]),
            unescape(cells[1]),
        );
        assert!(groups.insert(key, members).is_none(), "one row a group");
    }
    groups
}

/// The groups the query's rows make: `rows` are the engine's plan rows
/// (student_id, name, section, plan, kind, tier, focus, focus_score, ...)
/// with their group numbers; `labels` each plan's label.
pub(crate) fn from_rows(
    rows: &[Vec<String>],
    numbers: &[String],
    labels: &HashMap<String, String>,
) -> Groups {
    let number = |n: &String| -> usize { n.parse::<f64>().expect("a group number") as usize };
    let mut of: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (row, n) in rows.iter().zip(numbers) {
        let key = (row[2].as_str(), row[3].as_str(), row[6].as_str());
        let seen = of.entry(key).or_default();
        *seen = (*seen).max(number(n));
    }
    let mut groups = Groups::new();
    for (row, n) in rows.iter().zip(numbers) {
        let (section, plan, focus) = (&row[2], &row[3], &row[6]);
        let total = of[&(section.as_str(), plan.as_str(), focus.as_str())];
        let label = &labels[plan];
        let label = if total > 1 {
            format!("{label}, group {} of {total}", number(n))
        } else {
            label.clone()
        };
        let entry = match row[7].parse::<f64>() {
            Ok(score) if !focus.is_empty() => format!("{} ({})", row[1], format_number(score)),
            _ => row[1].clone(),
        };
        let section = if section.is_empty() {
            "(no section)".to_owned()
        } else {
            section.clone()
        };
        groups
            .entry((section, label, focus.clone()))
            .or_default()
            .push(entry);
    }
    for members in groups.values_mut() {
        members.sort();
    }
    groups
}
