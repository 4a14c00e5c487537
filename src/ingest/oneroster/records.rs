//! The record files of a bundle, each read by its column names: the users
//! (and which of them are the students), their enrollments, the classes,
//! the grading categories and the line items with their score ranges.

use std::collections::{HashMap, HashSet};

use super::container::Bundle;
use super::manifest::{Manifest, Need};
use super::sheet::{Sheet, cell_error, stop_if};
use super::{MAX_PROBLEMS, SkillsFrom};
use crate::condition::format_number;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::Result;
use crate::ingest::score::cell_number;

pub(super) struct User {
    pub(super) sourced_id: String,
    /// The school's student number, else the sourced id.
    pub(super) id: String,
    /// The column the id came from.
    pub(super) id_column: usize,
    pub(super) id_header: String,
    pub(super) name: String,
    pub(super) grade: String,
    pub(super) line: u64,
    /// `None` when `users.csv` has no `role` column (OneRoster 1.2).
    pub(super) student: Option<bool>,
    pub(super) deleted: bool,
}

pub(super) struct Users {
    pub(super) display: String,
    pub(super) list: Vec<User>,
}

pub(super) fn read_users(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
) -> Result<Users> {
    let mut users = Users {
        display: bundle.display("users.csv"),
        list: Vec::new(),
    };
    let Some(mut sheet) = Sheet::from_bundle(
        bundle,
        manifest,
        notes,
        "users.csv",
        Need::Required("the students"),
    )?
    else {
        return Ok(users);
    };
    let sourced = sheet.need("sourcedId")?;
    let status = sheet.column("status")?;
    let role = sheet.column("role")?;
    let identifier = sheet.column("identifier")?;
    let given = sheet.column("givenName")?;
    let family = sheet.column("familyName")?;
    let grades = sheet.column("grades")?;
    let mut problems = Vec::new();
    while sheet.next()? && problems.len() < MAX_PROBLEMS {
        let deleted = sheet.deleted(status);
        let sourced_id = sheet.text(Some(sourced));
        if sourced_id.is_empty() {
            if !deleted {
                problems.push(cell_error(
                    &sheet,
                    sourced,
                    Code::MissingId,
                    "this user has no `sourcedId`".into(),
                    "every OneRoster user has a `sourcedId`; check the export",
                ));
            }
            continue;
        }
        let number = sheet.text(identifier);
        let (id, id_column) = match identifier {
            Some(column) if !number.is_empty() => (number, column),
            _ => (sourced_id.clone(), sourced),
        };
        let id_header = sheet.csv.header.get(id_column).cloned().unwrap_or_default();
        let name = [sheet.text(given), sheet.text(family)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let grade = sheet
            .text(grades)
            .split(',')
            .map(str::trim)
            .find(|g| !g.is_empty())
            .unwrap_or_default()
            .to_owned();
        users.list.push(User {
            sourced_id,
            id,
            id_column,
            id_header,
            name,
            grade,
            line: sheet.line(),
            student: role.map(|_| sheet.text(role).eq_ignore_ascii_case("student")),
            deleted,
        });
    }
    stop_if(problems)?;
    sheet.note_if_empty(notes);
    if role.is_none() && !users.list.is_empty() {
        notes.push(
            Diagnostic::warning(
                Code::NoRoleColumn,
                format!(
                    "`{}` has no `role` column; the students are the users enrolled as students \
                     in `enrollments.csv`",
                    users.display
                ),
            )
            .at(Location::line(&users.display, 1)),
        );
    }
    Ok(users)
}

/// A student enrollment: user and class sourced ids, in file order.
pub(super) struct Enrollment {
    pub(super) user: String,
    pub(super) class: String,
}

pub(super) fn read_enrollments(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
) -> Result<Vec<Enrollment>> {
    let mut out = Vec::new();
    let Some(mut sheet) = Sheet::from_bundle(
        bundle,
        manifest,
        notes,
        "enrollments.csv",
        Need::Required("each student's class"),
    )?
    else {
        return Ok(out);
    };
    let class = sheet.need("classSourcedId")?;
    let user = sheet.need("userSourcedId")?;
    let role = sheet.need("role")?;
    let status = sheet.column("status")?;
    while sheet.next()? {
        if sheet.deleted(status) || !sheet.text(Some(role)).eq_ignore_ascii_case("student") {
            continue;
        }
        let (user, class) = (sheet.text(Some(user)), sheet.text(Some(class)));
        if !user.is_empty() && !class.is_empty() {
            out.push(Enrollment { user, class });
        }
    }
    sheet.note_if_empty(notes);
    Ok(out)
}

/// Class sourced id → the section name (title, else class code, else id).
pub(super) fn read_classes(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    let Some(mut sheet) =
        Sheet::from_bundle(bundle, manifest, notes, "classes.csv", Need::Optional)?
    else {
        return Ok(out);
    };
    let sourced = sheet.need("sourcedId")?;
    let title = sheet.column("title")?;
    let code = sheet.column("classCode")?;
    while sheet.next()? {
        let id = sheet.text(Some(sourced));
        let name = Some(sheet.text(title))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| sheet.text(code));
        if !id.is_empty() && !name.is_empty() {
            out.entry(id).or_insert(name);
        }
    }
    sheet.note_if_empty(notes);
    Ok(out)
}

/// The students of the table, in `users.csv` order, and who the other
/// users are.
pub(super) struct Students {
    pub(super) list: Vec<User>,
    /// Sourced id → index in `list`.
    pub(super) index: HashMap<String, usize>,
    /// Users who are not students, or are to be deleted.
    pub(super) others: HashSet<String>,
    pub(super) users_display: String,
}

pub(super) fn choose_students(
    users: Users,
    enrollments: &[Enrollment],
    notes: &mut Vec<Diagnostic>,
) -> Result<Students> {
    let enrolled: HashSet<&str> = enrollments.iter().map(|e| e.user.as_str()).collect();
    let mut students = Students {
        list: Vec::new(),
        index: HashMap::new(),
        others: HashSet::new(),
        users_display: users.display,
    };
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut problems = Vec::new();
    let display = students.users_display.clone();
    for user in users.list {
        if user.deleted {
            students.others.insert(user.sourced_id);
            continue;
        }
        if let Some(first) = lines.insert(user.sourced_id.clone(), user.line) {
            problems.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "user `{}` is on lines {first} and {} of `{display}`",
                        user.sourced_id, user.line
                    ),
                )
                .at(Location::line(&display, user.line))
                .help("each user has one row in `users.csv`; remove the repeated row"),
            );
            continue;
        }
        let student = user
            .student
            .unwrap_or_else(|| enrolled.contains(user.sourced_id.as_str()));
        if !student {
            students.others.insert(user.sourced_id);
            continue;
        }
        if let Some(first) = ids.insert(user.id.clone(), user.line) {
            problems.push(
                Diagnostic::error(
                    Code::DuplicateStudent,
                    format!(
                        "students on lines {first} and {} of `{display}` have the same id `{}`",
                        user.line, user.id
                    ),
                )
                .at(Location::cell(
                    &display,
                    user.line,
                    user.id_column + 1,
                    &user.id_header,
                ))
                .help("give each student their own `identifier` (student number)"),
            );
            continue;
        }
        students
            .index
            .insert(user.sourced_id.clone(), students.list.len());
        students.list.push(user);
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    stop_if(problems)?;
    if students.list.is_empty() {
        notes.push(
            Diagnostic::warning(
                Code::NoStudents,
                format!("`{display}` has no users with the role `student`"),
            )
            .at(Location::file(&display)),
        );
    }
    Ok(students)
}

/// Categories in file order: sourced id and title.
pub(super) fn read_categories(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
    group_by: SkillsFrom,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if group_by != SkillsFrom::Category {
        return Ok(out);
    }
    let Some(mut sheet) =
        Sheet::from_bundle(bundle, manifest, notes, "categories.csv", Need::Optional)?
    else {
        return Ok(out);
    };
    let sourced = sheet.need("sourcedId")?;
    let title = sheet.column("title")?;
    while sheet.next()? {
        let id = sheet.text(Some(sourced));
        if !id.is_empty() {
            let title = sheet.text(title);
            out.push((id, title));
        }
    }
    sheet.note_if_empty(notes);
    Ok(out)
}

pub(super) struct LineItem {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) class: String,
    pub(super) category: String,
    /// `resultValueMin` and `resultValueMax`, or why they cannot be used.
    pub(super) range: std::result::Result<(f64, f64), Diagnostic>,
}

pub(super) struct LineItems {
    pub(super) list: Vec<LineItem>,
    pub(super) index: HashMap<String, usize>,
    /// Line items marked `tobedeleted`: their results are left out.
    pub(super) deleted: HashSet<String>,
}

pub(super) fn read_line_items(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
) -> Result<LineItems> {
    let mut items = LineItems {
        list: Vec::new(),
        index: HashMap::new(),
        deleted: HashSet::new(),
    };
    let Some(mut sheet) = Sheet::from_bundle(
        bundle,
        manifest,
        notes,
        "lineItems.csv",
        Need::Required("the assignments and their maximum scores"),
    )?
    else {
        return Ok(items);
    };
    let sourced = sheet.need("sourcedId")?;
    let status = sheet.column("status")?;
    let title = sheet.column("title")?;
    let class = sheet.column("classSourcedId")?;
    let category = sheet.column("categorySourcedId")?;
    let min = sheet.column("resultValueMin")?;
    let max = sheet.column("resultValueMax")?;
    let mut problems = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    while sheet.next()? && problems.len() < MAX_PROBLEMS {
        let id = sheet.text(Some(sourced));
        if sheet.deleted(status) {
            items.deleted.insert(id);
            continue;
        }
        if id.is_empty() {
            problems.push(cell_error(
                &sheet,
                sourced,
                Code::MissingId,
                "this line item has no `sourcedId`".into(),
                "every OneRoster line item has a `sourcedId`; check the export",
            ));
            continue;
        }
        if let Some(first) = lines.insert(id.clone(), sheet.line()) {
            problems.push(cell_error(
                &sheet,
                sourced,
                Code::DuplicateId,
                format!(
                    "line item `{id}` is on lines {first} and {} of `{}`",
                    sheet.line(),
                    sheet.name()
                ),
                "each line item has one row in `lineItems.csv`; remove the repeated row",
            ));
            continue;
        }
        let range = item_range(&sheet, min, max);
        items.index.insert(id.clone(), items.list.len());
        items.list.push(LineItem {
            title: sheet.text(title),
            class: sheet.text(class),
            category: sheet.text(category),
            range,
            id,
        });
    }
    stop_if(problems)?;
    sheet.note_if_empty(notes);
    Ok(items)
}

/// A line item's score range, or the error a score on it will report.
pub(super) fn item_range(
    sheet: &Sheet,
    min: Option<usize>,
    max: Option<usize>,
) -> std::result::Result<(f64, f64), Diagnostic> {
    const HELP: &str = "give the line item a `resultValueMax` above its `resultValueMin` \
                        (the points possible; the minimum defaults to 0)";
    let Some(max) = max else {
        return Err(Diagnostic::error(
            Code::MissingColumn,
            format!(
                "`{}` has no `resultValueMax` column, so scores cannot be read as percents",
                sheet.name()
            ),
        )
        .at(Location::line(sheet.name(), 1))
        .help(HELP));
    };
    let low = match min {
        Some(column) => {
            let text = sheet.text(Some(column));
            if text.is_empty() {
                0.0
            } else {
                cell_number(text.as_bytes(), false).ok_or_else(|| {
                    cell_error(
                        sheet,
                        column,
                        Code::BadNumber,
                        format!("`resultValueMin` `{text}` is not a number"),
                        HELP,
                    )
                })?
            }
        }
        None => 0.0,
    };
    let text = sheet.text(Some(max));
    if text.is_empty() {
        return Err(cell_error(
            sheet,
            max,
            Code::MissingMaximum,
            "this line item has no `resultValueMax`".into(),
            HELP,
        ));
    }
    let high = cell_number(text.as_bytes(), false).ok_or_else(|| {
        cell_error(
            sheet,
            max,
            Code::BadNumber,
            format!("`resultValueMax` `{text}` is not a number"),
            HELP,
        )
    })?;
    if high <= low {
        return Err(cell_error(
            sheet,
            max,
            Code::EmptyRange,
            format!(
                "this line item's scores run from {} to {}, an empty range",
                format_number(low),
                format_number(high)
            ),
            HELP,
        ));
    }
    Ok((low, high))
}
