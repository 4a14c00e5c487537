//! OneRoster 1.1 CSV bundles: a folder or a `.zip` holding `manifest.csv`,
//! `users.csv`, `enrollments.csv`, `lineItems.csv`, `results.csv` and, when
//! the system exports them, `classes.csv` and `categories.csv`.
//!
//! The bundle becomes one wide [`Table`]: a row per student of `users.csv`
//! (role `student`), the section from the class the student is enrolled in,
//! and a column per line item or per grading category holding the student's
//! result as a percent of the line item's `resultValueMin`..`resultValueMax`.
//! Every column is read by its header name, never by position; every problem
//! names the file inside the bundle (`bundle/results.csv`,
//! `bundle.zip:bundle/results.csv`), its line and column.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::columns::normalize;
use super::reader::{CsvFile, Input};
use super::score::cell_number;
use super::table::{Table, TableRow};
use crate::condition::format_number;
use crate::diagnostic::{Diagnostic, Location, did_you_mean, list, suggest};
use crate::error::{Error, Result};

/// How results become skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// One skill per line item (an assignment or a test), named by its
    /// title.
    #[default]
    LineItem,
    /// One skill per grading category; the score is the points-weighted
    /// percent over the category's line items.
    Category,
}

/// The most a file of a zipped bundle may hold once decompressed.
const MEMBER_LIMIT: u64 = 256 * 1024 * 1024;

/// Errors gathered from one file before stopping.
const MAX_PROBLEMS: usize = 20;

/// Notes of one kind (students in several classes, …) before a summary.
const MAX_NOTES: usize = 10;

/// What to do about a student in several classes.
const SEVERAL_CLASSES_HELP: &str = "the section groups the plan; to plan the student in another \
                                    class, give a bundle exported for that class";

/// The header of the table, before the skills.
const FIELDS: [&str; 4] = ["student_id", "name", "section", "grade"];

/// Whether `path` is a OneRoster bundle: a folder holding `manifest.csv`,
/// or a `.zip` file holding it (at its top or inside one top-level folder).
pub fn is_bundle(path: &Path) -> bool {
    if path.is_dir() {
        return std::fs::read_dir(path).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().eq_ignore_ascii_case("manifest.csv") && e.path().is_file())
        });
    }
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if !is_zip || !path.is_file() {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let Ok(archive) = zip::ZipArchive::new(file) else {
        return false;
    };
    zip_entries(&archive)
        .iter()
        .any(|e| e.base.eq_ignore_ascii_case("manifest.csv"))
}

/// Read a bundle (folder or .zip) into one wide table: one row per student.
pub fn read_bundle(path: &Path, group_by: GroupBy) -> Result<Table> {
    let mut bundle = Bundle::open(path)?;
    let mut notes = Vec::new();
    let manifest = read_manifest(&mut bundle, &mut notes)?;
    let users = read_users(&mut bundle, &manifest, &mut notes)?;
    let enrollments = read_enrollments(&mut bundle, &manifest, &mut notes)?;
    let classes = read_classes(&mut bundle, &manifest, &mut notes)?;
    let categories = read_categories(&mut bundle, &manifest, &mut notes, group_by)?;
    let items = read_line_items(&mut bundle, &manifest, &mut notes)?;
    let students = choose_students(users, &enrollments, &mut notes)?;
    let scores = read_results(&mut bundle, &manifest, &mut notes, &students, &items)?;
    let skills = skills(&items, &categories, group_by, &mut notes);
    let sections = sections(
        &students,
        &enrollments,
        &classes,
        &items,
        &scores,
        &mut notes,
    );

    let mut table = Table {
        file: bundle.given.clone(),
        path: Some(path.to_owned()),
        profile: Some(
            match group_by {
                GroupBy::LineItem => "OneRoster 1.1 CSV bundle, a skill per line item",
                GroupBy::Category => "OneRoster 1.1 CSV bundle, a skill per category",
            }
            .to_owned(),
        ),
        recognised: [
            ("student_id", "users.csv identifier, else sourcedId"),
            ("name", "users.csv givenName + familyName"),
            ("section", "classes.csv title of the enrollments.csv class"),
            ("grade", "users.csv grades"),
        ]
        .into_iter()
        .map(|(field, from)| (field.to_owned(), from.to_owned()))
        .collect(),
        fields: FIELDS.len(),
        ..Table::default()
    };
    for field in FIELDS {
        table.column(field, None);
    }
    for skill in &skills {
        table.column(&skill.name, None);
    }
    for (i, student) in students.list.iter().enumerate() {
        let mut cells = Vec::with_capacity(FIELDS.len() + skills.len());
        cells.push(student.id.clone());
        cells.push(student.name.clone());
        cells.push(sections[i].clone());
        cells.push(student.grade.clone());
        for skill in &skills {
            cells.push(
                skill_score(&scores[i], &skill.items)
                    .map(format_number)
                    .unwrap_or_default(),
            );
        }
        table.rows.push(TableRow {
            cells,
            line: student.line,
        });
    }
    table.notes = notes;
    Ok(table)
}

/// The percent a student scored over `items`: the points above each line
/// item's minimum over the range, summed over the results the student has.
fn skill_score(scores: &HashMap<usize, Score>, items: &[usize]) -> Option<f64> {
    let (mut points, mut range) = (0.0, 0.0);
    for item in items {
        if let Some(score) = scores.get(item) {
            points += score.points;
            range += score.range;
        }
    }
    (range > 0.0).then(|| percent(points, 0.0, range).clamp(0.0, 100.0))
}

/// One result: points above the line item's minimum, out of its range.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Score {
    points: f64,
    range: f64,
}

/// The percent of a score on a line item from `min` to `max`.
fn percent(score: f64, min: f64, max: f64) -> f64 {
    (score - min) / (max - min) * 100.0 + 0.0
}

// ---------------------------------------------------------------------------
// The bundle: its files by name, in a folder or a zip.

struct Bundle {
    /// The path as the user gave it.
    given: String,
    base: Base,
    /// Files by lowercased name.
    files: HashMap<String, Vec<Member>>,
    archive: Option<zip::ZipArchive<File>>,
    /// The most a file of the zip may hold once decompressed.
    limit: u64,
}

enum Base {
    Folder(PathBuf),
    /// The folder inside the zip holding the files (`""` or `bundle/`).
    Zip(String),
}

#[derive(Clone)]
struct Member {
    /// The file's name, as found.
    name: String,
    /// How messages name it.
    display: String,
    place: Place,
}

#[derive(Clone)]
enum Place {
    Path(PathBuf),
    Zip(usize),
}

/// A file entry of a zip, split into folder and name.
struct ZipEntry {
    index: usize,
    full: String,
    /// The top-level folder (`""` at the top).
    folder: String,
    base: String,
}

/// The file entries of a zip at its top or one folder deep, leaving out
/// macOS resource forks.
fn zip_entries(archive: &zip::ZipArchive<File>) -> Vec<ZipEntry> {
    let mut out = Vec::new();
    for (index, name) in archive.file_names().enumerate() {
        let Ok(full) = name else { continue };
        if full.ends_with('/') || full.ends_with('\\') {
            continue;
        }
        let parts: Vec<&str> = full
            .split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let (folder, base) = match parts.as_slice() {
            [base] => (String::new(), *base),
            [folder, base] => (format!("{folder}/"), *base),
            _ => continue,
        };
        if folder.starts_with("__MACOSX") || base.starts_with("._") {
            continue;
        }
        out.push(ZipEntry {
            index,
            full: full.to_string(),
            folder,
            base: base.to_owned(),
        });
    }
    out
}

impl Bundle {
    fn open(path: &Path) -> Result<Bundle> {
        let given = path.display().to_string();
        if path.is_dir() {
            let mut files: HashMap<String, Vec<Member>> = HashMap::new();
            let entries = std::fs::read_dir(path).map_err(|e| Error::io("read", path, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("read", path, e))?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                let full = entry.path();
                if !full.is_file() {
                    continue;
                }
                files
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(Member {
                        display: full.display().to_string(),
                        name,
                        place: Place::Path(full),
                    });
            }
            for members in files.values_mut() {
                members.sort_by(|a, b| a.name.cmp(&b.name));
            }
            return Ok(Bundle {
                given,
                base: Base::Folder(path.to_owned()),
                files,
                archive: None,
                limit: MEMBER_LIMIT,
            });
        }
        let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| {
            Error::problem(
                Diagnostic::error(
                    "bad-zip",
                    format!("`{given}` is not a zip file tierplan can read: {e}"),
                )
                .at(Location::file(&given))
                .help("give the OneRoster bundle as a .zip file or as the folder it unzips to"),
            )
        })?;
        let entries = zip_entries(&archive);
        let mut folders: Vec<&str> = Vec::new();
        for e in &entries {
            if e.base.eq_ignore_ascii_case("manifest.csv") && !folders.contains(&e.folder.as_str())
            {
                folders.push(&e.folder);
            }
        }
        // A manifest at the top wins; otherwise the one folder holding one.
        let folder = if folders.contains(&"") {
            String::new()
        } else {
            match folders.as_slice() {
                [] => String::new(),
                [one] => (*one).to_owned(),
                several => {
                    let names: Vec<String> =
                        several.iter().map(|f| format!("{f}manifest.csv")).collect();
                    return Err(Error::problem(
                        Diagnostic::error(
                            "several-bundles",
                            format!(
                                "`{given}` holds {} OneRoster bundles: {}",
                                several.len(),
                                list(&names)
                            ),
                        )
                        .at(Location::file(&given))
                        .help("zip one bundle at a time, or unzip it and give the bundle's folder"),
                    ));
                }
            }
        };
        let mut files: HashMap<String, Vec<Member>> = HashMap::new();
        for e in entries.into_iter().filter(|e| e.folder == folder) {
            files
                .entry(e.base.to_ascii_lowercase())
                .or_default()
                .push(Member {
                    display: format!("{given}:{}", e.full),
                    name: e.base,
                    place: Place::Zip(e.index),
                });
        }
        Ok(Bundle {
            given,
            base: Base::Zip(folder),
            files,
            archive: Some(archive),
            limit: MEMBER_LIMIT,
        })
    }

    /// The file named `name` (case-insensitive; an exact match first).
    fn member(&self, name: &str) -> Option<&Member> {
        let members = self.files.get(&name.to_ascii_lowercase())?;
        members
            .iter()
            .find(|m| m.name == name)
            .or_else(|| members.first())
    }

    fn has(&self, name: &str) -> bool {
        self.member(name).is_some()
    }

    /// How messages name `name`, present or not.
    fn display(&self, name: &str) -> String {
        if let Some(member) = self.member(name) {
            return member.display.clone();
        }
        match &self.base {
            Base::Folder(dir) => dir.join(name).display().to_string(),
            Base::Zip(folder) => format!("{}:{folder}{name}", self.given),
        }
    }

    /// The file as an input, `None` when the bundle lacks it.
    fn input(&mut self, name: &str) -> Result<Option<Input>> {
        let Some(member) = self.member(name).cloned() else {
            return Ok(None);
        };
        match member.place {
            Place::Path(path) => Ok(Some(Input::file(path))),
            Place::Zip(index) => {
                let bytes = self.unzip(index, &member.display)?;
                Ok(Some(Input::memory(&member.display, bytes)))
            }
        }
    }

    /// A file of the zip, decompressed, at most `self.limit` bytes (a
    /// guard against zip bombs).
    fn unzip(&mut self, index: usize, display: &str) -> Result<Vec<u8>> {
        let limit = self.limit;
        let size = if limit.is_multiple_of(1 << 20) {
            format!("{} MiB", limit >> 20)
        } else {
            format!("{limit} bytes")
        };
        let bad = |e: &dyn std::fmt::Display| {
            Error::problem(
                Diagnostic::error("bad-zip", format!("cannot unzip `{display}`: {e}"))
                    .at(Location::file(display))
                    .help(
                        "zip the bundle again with ordinary (deflate) compression and no password, \
                         or unzip it and give the folder",
                    ),
            )
        };
        let too_large = || {
            Error::problem(
                Diagnostic::error(
                    "file-too-large",
                    format!("`{display}` is larger than {size} once unzipped"),
                )
                .at(Location::file(display))
                .help(format!(
                    "tierplan reads bundle files of up to {size} each; export one school or one \
                     class at a time"
                )),
            )
        };
        let Some(archive) = self.archive.as_mut() else {
            return Err(bad(&"the zip is not open"));
        };
        let mut file = archive.by_index(index).map_err(|e| bad(&e))?;
        if file.size() > limit {
            return Err(too_large());
        }
        let capacity = usize::try_from(file.size().min(1 << 24)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(capacity);
        (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| bad(&e))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    }
}

// ---------------------------------------------------------------------------
// The manifest.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    Bulk,
    Delta,
    Absent,
}

/// What `manifest.csv` says of each file: lowercased file name → how it is
/// declared and the manifest's line.
#[derive(Default)]
struct Manifest {
    display: String,
    files: HashMap<String, (Declared, u64)>,
}

impl Manifest {
    fn declared(&self, name: &str) -> Option<(Declared, u64)> {
        self.files.get(&name.to_ascii_lowercase()).copied()
    }
}

fn read_manifest(bundle: &mut Bundle, notes: &mut Vec<Diagnostic>) -> Result<Manifest> {
    let display = bundle.display("manifest.csv");
    let mut manifest = Manifest {
        display: display.clone(),
        ..Manifest::default()
    };
    let Some(input) = bundle.input("manifest.csv")? else {
        return Err(Error::problem(
            Diagnostic::error(
                "missing-file",
                format!("the OneRoster bundle has no `manifest.csv` (looked for `{display}`)"),
            )
            .at(Location::file(&display))
            .help(
                "a OneRoster bundle holds `manifest.csv` beside `users.csv` and the other files; \
                 give the folder the export unzips to, or the .zip itself",
            ),
        ));
    };
    let Some(mut sheet) = Sheet::open(&input, notes)? else {
        return Ok(manifest);
    };
    let key = sheet.need("propertyName")?;
    let value = sheet.need("value")?;
    while sheet.next()? {
        let property = sheet.text(Some(key));
        let declared = sheet.text(Some(value)).to_ascii_lowercase();
        let Some((prefix, file)) = property.split_once('.') else {
            continue;
        };
        if !prefix.eq_ignore_ascii_case("file") {
            if suggest(prefix, ["file"]).is_none() || file.is_empty() {
                continue;
            }
            notes.push(
                Diagnostic::warning(
                    "manifest-key",
                    format!("read `{property}` as `file.{file}`"),
                )
                .at(Location::cell(
                    &display,
                    sheet.line(),
                    key + 1,
                    "propertyName",
                )),
            );
        }
        let declared = match declared.as_str() {
            "" => continue,
            "bulk" => Declared::Bulk,
            "delta" => Declared::Delta,
            "absent" => Declared::Absent,
            other => {
                notes.push(
                    Diagnostic::warning(
                        "manifest-value",
                        format!("`{property}` is `{other}`, not `bulk`, `delta` or `absent`"),
                    )
                    .at(Location::cell(
                        &display,
                        sheet.line(),
                        value + 1,
                        "value",
                    )),
                );
                continue;
            }
        };
        let name = format!("{}.csv", file.to_ascii_lowercase());
        manifest.files.insert(name, (declared, sheet.line()));
    }
    let mut absent: Vec<(&String, u64)> = manifest
        .files
        .iter()
        .filter(|(name, (d, _))| *d == Declared::Absent && bundle.has(name))
        .map(|(name, (_, line))| (name, *line))
        .collect();
    absent.sort_by_key(|&(_, line)| line);
    for (name, line) in absent {
        let found = bundle
            .member(name)
            .map_or(name.as_str(), |m| m.name.as_str());
        notes.push(
            Diagnostic::warning(
                "manifest-absent",
                format!("the manifest declares `{found}` absent, and the bundle has it"),
            )
            .at(Location::line(&display, line))
            .help("tierplan reads the file anyway; check that the export is complete"),
        );
    }
    Ok(manifest)
}

// ---------------------------------------------------------------------------
// Reading one CSV file of the bundle by column names.

/// A CSV file of the bundle, read row by row.
struct Sheet {
    csv: CsvFile,
    keys: Vec<String>,
}

/// Whether a file must be in the bundle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Required(&'static str),
    Optional,
}

impl Sheet {
    /// Open an input; `None` (and a note) when it is empty.
    fn open(input: &Input, notes: &mut Vec<Diagnostic>) -> Result<Option<Sheet>> {
        match input.csv() {
            Ok(csv) => {
                let keys = csv.header.iter().map(|h| normalize(h)).collect();
                Ok(Some(Sheet { csv, keys }))
            }
            Err(Error::Problems(ds)) if ds.len() == 1 && ds[0].code == "empty-file" => {
                notes.push(
                    Diagnostic::warning("empty-file", format!("`{}` is empty", input.name))
                        .at(Location::file(&input.name)),
                );
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Open a file of the bundle by name.
    fn from_bundle(
        bundle: &mut Bundle,
        manifest: &Manifest,
        notes: &mut Vec<Diagnostic>,
        name: &str,
        need: Need,
    ) -> Result<Option<Sheet>> {
        let declared = manifest.declared(name);
        let Some(input) = bundle.input(name)? else {
            let display = bundle.display(name);
            if let Need::Required(what) = need {
                let manifest_says = match declared {
                    Some((Declared::Absent, line)) => format!(
                        "; the manifest declares it absent (`{}`, line {line})",
                        manifest.display
                    ),
                    _ => String::new(),
                };
                return Err(Error::problem(
                    Diagnostic::error(
                        "missing-file",
                        format!("the OneRoster bundle has no `{name}`{manifest_says}"),
                    )
                    .at(Location::file(&display))
                    .help(format!(
                        "tierplan reads {what} from `{name}`: export it with the bundle"
                    )),
                ));
            }
            if let Some((Declared::Bulk | Declared::Delta, line)) = declared {
                notes.push(
                    Diagnostic::warning(
                        "missing-file",
                        format!("the manifest lists `{name}`, and the bundle does not have it"),
                    )
                    .at(Location::line(&manifest.display, line)),
                );
            }
            return Ok(None);
        };
        if let Some((Declared::Delta, line)) = declared {
            notes.push(
                Diagnostic::warning(
                    "delta-file",
                    format!(
                        "`{name}` is declared `delta` (changes only); tierplan reads it as if it \
                         were complete"
                    ),
                )
                .at(Location::line(&manifest.display, line))
                .help("export a bulk bundle for a complete roster and gradebook"),
            );
        }
        Sheet::open(&input, notes)
    }

    fn name(&self) -> &str {
        &self.csv.name
    }

    /// The column headed `header` (ignoring case, spaces, `_` and `-`);
    /// an error when two columns are.
    fn column(&self, header: &str) -> Result<Option<usize>> {
        let key = normalize(header);
        let mut found = self.keys.iter().enumerate().filter(|(_, k)| **k == key);
        let Some((first, _)) = found.next() else {
            return Ok(None);
        };
        if let Some((second, _)) = found.next() {
            let h = &self.csv.header[second];
            return Err(Error::problem(
                Diagnostic::error(
                    "duplicate-column",
                    format!(
                        "columns {} and {} of `{}` are both headed `{h}`",
                        first + 1,
                        second + 1,
                        self.name()
                    ),
                )
                .at(Location::cell(self.name(), 1, second + 1, h))
                .help("remove or rename one of them"),
            ));
        }
        Ok(Some(first))
    }

    /// The column headed `header`; an error when there is none.
    fn need(&self, header: &str) -> Result<usize> {
        self.column(header)?.ok_or_else(|| {
            Error::problem(
                Diagnostic::error(
                    "missing-column",
                    format!("`{}` has no `{header}` column", self.name()),
                )
                .at(Location::line(self.name(), 1))
                .help(
                    did_you_mean(header, self.csv.header.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!(
                                "OneRoster 1.1 names its columns in the header row; this file's are {}",
                                list(&self.csv.header)
                            )
                        }),
                ),
            )
        })
    }

    /// Read the next row, passing over rows whose cells are all empty
    /// (what a spreadsheet leaves below the data).
    fn next(&mut self) -> Result<bool> {
        while self.csv.read_row()? {
            if self.csv.record.iter().any(|c| !c.trim_ascii().is_empty()) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn line(&self) -> u64 {
        self.csv.line()
    }

    /// A cell of the current row, trimmed; empty when the column is
    /// missing or the row short.
    fn text(&self, column: Option<usize>) -> String {
        column
            .and_then(|c| self.csv.record.get(c))
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default()
    }

    /// Where a cell of the current row is.
    fn at(&self, column: usize) -> Location {
        let header = self.csv.header.get(column).map_or("", String::as_str);
        Location::cell(self.name(), self.line(), column + 1, header)
    }

    /// Whether the current row is marked `tobedeleted`.
    fn deleted(&self, status: Option<usize>) -> bool {
        self.text(status).eq_ignore_ascii_case("tobedeleted")
    }

    /// A note when the file had a header and no rows.
    fn note_if_empty(&self, notes: &mut Vec<Diagnostic>) {
        if self.csv.rows() == 0 {
            notes.push(
                Diagnostic::warning("empty-file", format!("`{}` has no rows", self.name()))
                    .at(Location::file(self.name())),
            );
        }
    }
}

/// An error at a cell.
fn cell_error(
    sheet: &Sheet,
    column: usize,
    code: &'static str,
    message: String,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(code, message)
        .at(sheet.at(column))
        .help(help)
}

/// Stop with the problems gathered, if any.
fn stop_if(problems: Vec<Diagnostic>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Problems(problems))
    }
}

// ---------------------------------------------------------------------------
// users.csv, enrollments.csv, classes.csv

struct User {
    sourced_id: String,
    /// The school's student number, else the sourced id.
    id: String,
    /// The column the id came from.
    id_column: usize,
    id_header: String,
    name: String,
    grade: String,
    line: u64,
    /// `None` when `users.csv` has no `role` column (OneRoster 1.2).
    student: Option<bool>,
    deleted: bool,
}

struct Users {
    display: String,
    list: Vec<User>,
}

fn read_users(
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
                    "missing-id",
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
                "no-role-column",
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
struct Enrollment {
    user: String,
    class: String,
}

fn read_enrollments(
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
fn read_classes(
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
struct Students {
    list: Vec<User>,
    /// Sourced id → index in `list`.
    index: HashMap<String, usize>,
    /// Users who are not students, or are to be deleted.
    others: HashSet<String>,
    users_display: String,
}

fn choose_students(
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
                    "duplicate-id",
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
                    "duplicate-student",
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
                "no-students",
                format!("`{display}` has no users with the role `student`"),
            )
            .at(Location::file(&display)),
        );
    }
    Ok(students)
}

// ---------------------------------------------------------------------------
// categories.csv, lineItems.csv, results.csv

/// Categories in file order: sourced id and title.
fn read_categories(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
    group_by: GroupBy,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if group_by != GroupBy::Category {
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

struct LineItem {
    id: String,
    title: String,
    class: String,
    category: String,
    /// `resultValueMin` and `resultValueMax`, or why they cannot be used.
    range: std::result::Result<(f64, f64), Diagnostic>,
}

struct LineItems {
    list: Vec<LineItem>,
    index: HashMap<String, usize>,
    /// Line items marked `tobedeleted`: their results are left out.
    deleted: HashSet<String>,
}

fn read_line_items(
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
                "missing-id",
                "this line item has no `sourcedId`".into(),
                "every OneRoster line item has a `sourcedId`; check the export",
            ));
            continue;
        }
        if let Some(first) = lines.insert(id.clone(), sheet.line()) {
            problems.push(cell_error(
                &sheet,
                sourced,
                "duplicate-id",
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
fn item_range(
    sheet: &Sheet,
    min: Option<usize>,
    max: Option<usize>,
) -> std::result::Result<(f64, f64), Diagnostic> {
    const HELP: &str = "give the line item a `resultValueMax` above its `resultValueMin` \
                        (the points possible; the minimum defaults to 0)";
    let Some(max) = max else {
        return Err(Diagnostic::error(
            "missing-column",
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
                        "bad-number",
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
            "missing-maximum",
            "this line item has no `resultValueMax`".into(),
            HELP,
        ));
    }
    let high = cell_number(text.as_bytes(), false).ok_or_else(|| {
        cell_error(
            sheet,
            max,
            "bad-number",
            format!("`resultValueMax` `{text}` is not a number"),
            HELP,
        )
    })?;
    if high <= low {
        return Err(cell_error(
            sheet,
            max,
            "empty-range",
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

/// Each student's scores: line item index → score.
type Scores = Vec<HashMap<usize, Score>>;

fn read_results(
    bundle: &mut Bundle,
    manifest: &Manifest,
    notes: &mut Vec<Diagnostic>,
    students: &Students,
    items: &LineItems,
) -> Result<Scores> {
    let mut scores: Scores = vec![HashMap::new(); students.list.len()];
    let Some(mut sheet) = Sheet::from_bundle(
        bundle,
        manifest,
        notes,
        "results.csv",
        Need::Required("the scores"),
    )?
    else {
        return Ok(scores);
    };
    let item_column = sheet.need("lineItemSourcedId")?;
    let student_column = sheet.need("studentSourcedId")?;
    let score_column = sheet.need("score")?;
    let status = sheet.column("status")?;
    let score_status = sheet.column("scoreStatus")?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut reported_items: HashSet<usize> = HashSet::new();
    // Ids reported unknown, reported once each.
    let mut unknown: HashSet<(usize, String)> = HashSet::new();
    let mut not_scored: Vec<u64> = Vec::new();
    let mut blank: Vec<u64> = Vec::new();
    let mut not_students: Vec<u64> = Vec::new();
    let mut repeated: Vec<u64> = Vec::new();
    while sheet.next()? && problems.len() < MAX_PROBLEMS {
        if sheet.deleted(status) {
            continue;
        }
        let state = sheet.text(score_status);
        if state.eq_ignore_ascii_case("exempt") || state.eq_ignore_ascii_case("not submitted") {
            not_scored.push(sheet.line());
            continue;
        }
        let student_id = sheet.text(Some(student_column));
        let student = match students.index.get(&student_id) {
            Some(&i) => i,
            None if students.others.contains(&student_id) => {
                not_students.push(sheet.line());
                continue;
            }
            None => {
                if !unknown.insert((student_column, student_id.clone())) {
                    continue;
                }
                problems.push(cell_error(
                    &sheet,
                    student_column,
                    "unknown-student",
                    if student_id.is_empty() {
                        "this result names no student".into()
                    } else {
                        format!(
                            "student `{student_id}` is not in `{}`",
                            students.users_display
                        )
                    },
                    "every result's `studentSourcedId` is the `sourcedId` of a user in \
                     `users.csv`; export the roster and the gradebook together",
                ));
                continue;
            }
        };
        let item_id = sheet.text(Some(item_column));
        let item = match items.index.get(&item_id) {
            Some(&i) => i,
            None if items.deleted.contains(&item_id) => continue,
            None => {
                if !unknown.insert((item_column, item_id.clone())) {
                    continue;
                }
                problems.push(cell_error(
                    &sheet,
                    item_column,
                    "unknown-line-item",
                    if item_id.is_empty() {
                        "this result names no line item".into()
                    } else {
                        format!("line item `{item_id}` is not in `lineItems.csv`")
                    },
                    "every result's `lineItemSourcedId` is the `sourcedId` of a row of \
                     `lineItems.csv`; export the whole gradebook",
                ));
                continue;
            }
        };
        let text = sheet.text(Some(score_column));
        if text.is_empty() {
            blank.push(sheet.line());
            continue;
        }
        let Some(value) = cell_number(text.as_bytes(), false) else {
            problems.push(cell_error(
                &sheet,
                score_column,
                "bad-score",
                format!("`{}` is not a score", crate::diagnostic::clip(&text)),
                "a OneRoster score is a number of points, such as 8 or 8.5",
            ));
            continue;
        };
        let (min, max) = match &items.list[item].range {
            Ok(range) => *range,
            Err(d) => {
                if reported_items.insert(item) {
                    problems.push(d.clone());
                }
                continue;
            }
        };
        if value < min || value > max {
            problems.push(cell_error(
                &sheet,
                score_column,
                "score-out-of-range",
                format!(
                    "score {} is outside {} to {}, the range of line item `{item_id}`",
                    text,
                    format_number(min),
                    format_number(max)
                ),
                "check the score, or the line item's `resultValueMin` and `resultValueMax` in \
                 `lineItems.csv`",
            ));
            continue;
        }
        let score = Score {
            points: value - min,
            range: max - min,
        };
        if scores[student].insert(item, score).is_some() {
            repeated.push(sheet.line());
        }
    }
    stop_if(problems)?;
    sheet.note_if_empty(notes);
    let name = sheet.name().to_owned();
    let mut note = |lines: &[u64], code: &'static str, what: &str, help: &str| {
        if let Some(&first) = lines.first() {
            notes.push(
                Diagnostic::warning(
                    code,
                    format!(
                        "{} {what} (first on line {first})",
                        crate::diagnostic::count(lines.len(), "result")
                    ),
                )
                .at(Location::line(&name, first))
                .help(help),
            );
        }
    };
    note(
        &not_scored,
        "not-scored",
        "marked `exempt` or `not submitted` are left empty",
        "a skill with no score is not assessed, which is not a score of 0",
    );
    note(
        &blank,
        "no-score",
        "with an empty `score` are left empty",
        "a skill with no score is not assessed, which is not a score of 0",
    );
    note(
        &not_students,
        "not-a-student",
        "for users who are not students, or are to be deleted, are left out",
        "tierplan plans for the users with the role `student` in `users.csv`",
    );
    note(
        &repeated,
        "repeated-result",
        "repeat a student's line item; the last one in the file is used",
        "keep one result per student and line item",
    );
    Ok(scores)
}

// ---------------------------------------------------------------------------
// Skills and sections.

struct Skill {
    name: String,
    /// Indexes of the line items it is made of.
    items: Vec<usize>,
}

fn skills(
    items: &LineItems,
    categories: &[(String, String)],
    group_by: GroupBy,
    notes: &mut Vec<Diagnostic>,
) -> Vec<Skill> {
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    match group_by {
        GroupBy::LineItem => {
            for (i, item) in items.list.iter().enumerate() {
                groups.push((item.title.clone(), item.id.clone(), vec![i]));
            }
        }
        GroupBy::Category => {
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
                        "no-category",
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
fn unique_names<'a>(groups: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
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

/// Each student's section: the class they are enrolled in; of several,
/// the one whose line items they have results in, then the first.
fn sections(
    students: &Students,
    enrollments: &[Enrollment],
    classes: &HashMap<String, String>,
    items: &LineItems,
    scores: &Scores,
    notes: &mut Vec<Diagnostic>,
) -> Vec<String> {
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
        let mut candidates: Vec<&str> = enrolled[i]
            .iter()
            .copied()
            .filter(|c| with_results.contains(c))
            .collect();
        if candidates.is_empty() {
            candidates.clone_from(&enrolled[i]);
        }
        match candidates.as_slice() {
            [] => {
                unenrolled.push(student.id.as_str());
                out.push(String::new());
            }
            [one] => out.push(title(one)),
            [first, ..] => {
                ambiguous += 1;
                if ambiguous <= MAX_NOTES {
                    let names: Vec<String> = candidates.iter().map(|c| title(c)).collect();
                    notes.push(
                        Diagnostic::warning(
                            "several-classes",
                            format!(
                                "student `{}` is in {}; their section is `{}`, their first \
                                 enrollment",
                                student.id,
                                list(&names),
                                title(first)
                            ),
                        )
                        .at(Location::line(display, student.line))
                        .help(SEVERAL_CLASSES_HELP),
                    );
                }
                out.push(title(first));
            }
        }
    }
    if ambiguous > MAX_NOTES {
        notes.push(Diagnostic::warning(
            "several-classes",
            format!(
                "{} more are in several classes; each one's section is their first enrollment",
                crate::diagnostic::count(ambiguous - MAX_NOTES, "student")
            ),
        ));
    }
    if !unenrolled.is_empty() {
        let shown: Vec<&str> = unenrolled.iter().copied().take(MAX_NOTES).collect();
        let more = unenrolled.len() - shown.len();
        notes.push(
            Diagnostic::warning(
                "no-enrollment",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/oneroster")
            .join(name)
    }

    /// A copy of the fixture folder, with files replaced (`Some`) or
    /// removed (`None`).
    fn bundle_with(changes: &[(&str, Option<&str>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(fixture("bundle")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        for (name, content) in changes {
            let path = dir.path().join(name);
            match content {
                Some(text) => std::fs::write(path, text).unwrap(),
                None => std::fs::remove_file(path).unwrap(),
            }
        }
        dir
    }

    fn problem(result: Result<Table>) -> Diagnostic {
        match result {
            Err(Error::Problems(ds)) => ds.into_iter().next().unwrap(),
            Err(e) => panic!("not a problem: {e}"),
            Ok(_) => panic!("read without an error"),
        }
    }

    /// The cell of `student` under `column`.
    fn cell<'a>(table: &'a Table, student: &str, column: &str) -> &'a str {
        let c = table.header.iter().position(|h| h == column).unwrap();
        let row = table.rows.iter().find(|r| r.cells[0] == student).unwrap();
        &row.cells[c]
    }

    const LINE_ITEMS: &str = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax\n";
    const RESULTS: &str = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\n";

    #[test]
    fn percents_are_of_the_range_and_written_briefly() {
        assert_eq!(percent(8.5, 0.0, 10.0), 85.0);
        assert_eq!(percent(15.0, 0.0, 20.0), 75.0);
        assert!((percent(3.0, 1.0, 4.0) - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(format_number(percent(3.0, 1.0, 4.0)), "66.6667");
        assert_eq!(format_number(percent(0.0, 0.0, 3.0)), "0");
        let scores = HashMap::from([
            (
                0,
                Score {
                    points: 8.0,
                    range: 10.0,
                },
            ),
            (
                2,
                Score {
                    points: 12.0,
                    range: 20.0,
                },
            ),
        ]);
        // Points-weighted: 20 of 30, not the mean of 80% and 60%.
        let weighted = skill_score(&scores, &[0, 1, 2]).unwrap();
        assert!((weighted - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(skill_score(&scores, &[1]), None);
    }

    #[test]
    fn reads_the_folder_one_skill_per_line_item() {
        let table = read_bundle(&fixture("bundle"), GroupBy::LineItem).unwrap();
        assert_eq!(
            table.header,
            [
                "student_id",
                "name",
                "section",
                "grade",
                "Fractions Quiz 1 (li-001)",
                "Fractions Quiz 2",
                "Measurement Check",
                "Measurement Unit Test",
                "Fractions Quiz 1 (li-005)",
                "Measurement Project",
            ]
        );
        assert_eq!(table.file, fixture("bundle").display().to_string());
        assert_eq!(table.sources.len(), table.header.len());
        // Eight students, in users.csv order; teachers and the user to be
        // deleted are not students.
        let ids: Vec<&str> = table.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(
            ids,
            [
                "100231", "100232", "100233", "100234", "100235", "100236", "100237", "usr-s08"
            ]
        );
        let first = &table.rows[0];
        assert_eq!(first.cells[1], "Ava Martinez");
        assert_eq!(first.cells[2], "Grade 4 Math - Room 12");
        assert_eq!(first.cells[3], "04");
        assert_eq!(first.line, 4);
        assert_eq!(cell(&table, "100231", "Fractions Quiz 1 (li-001)"), "85");
        assert_eq!(cell(&table, "100231", "Measurement Unit Test"), "75");
        // Exempt and not submitted are empty, not 0.
        assert_eq!(cell(&table, "100233", "Fractions Quiz 2"), "");
        assert_eq!(cell(&table, "100237", "Measurement Project"), "");
        // A rubric from 1 to 4: 3 is two thirds of the way.
        assert_eq!(cell(&table, "100236", "Measurement Project"), "66.6667");
        // A list of grades gives the first.
        assert_eq!(cell(&table, "100236", "grade"), "04");
        // Enrolled in both classes, with results in the first.
        assert_eq!(cell(&table, "100235", "section"), "Grade 4 Math - Room 12");
        // No results: still there, every skill empty.
        let last = table.rows.last().unwrap();
        assert_eq!(last.cells[1], "Noah Kim");
        assert_eq!(last.cells[2], "Grade 4/5 Math - Room 14");
        assert!(last.cells[4..].iter().all(String::is_empty));
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code).collect();
        assert_eq!(codes, ["not-scored"], "{:?}", table.notes);
        assert!(table.notes[0].message.starts_with("2 results"));
    }

    #[test]
    fn the_zip_reads_like_the_folder() {
        for group_by in [GroupBy::LineItem, GroupBy::Category] {
            let folder = read_bundle(&fixture("bundle"), group_by).unwrap();
            let zipped = read_bundle(&fixture("bundle.zip"), group_by).unwrap();
            assert_eq!(folder.header, zipped.header);
            let cells = |t: &Table| t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
            assert_eq!(cells(&folder), cells(&zipped));
            let lines = |t: &Table| t.rows.iter().map(|r| r.line).collect::<Vec<_>>();
            assert_eq!(lines(&folder), lines(&zipped));
        }
        assert!(is_bundle(&fixture("bundle")));
        assert!(is_bundle(&fixture("bundle.zip")));
        assert!(!is_bundle(&fixture("README.md")));
        assert!(!is_bundle(&fixture("")));
        assert!(!is_bundle(&fixture("missing.zip")));
    }

    #[test]
    fn groups_by_category_weighting_by_points() {
        let table = read_bundle(&fixture("bundle"), GroupBy::Category).unwrap();
        assert_eq!(
            table.header,
            [
                "student_id",
                "name",
                "section",
                "grade",
                "Fractions",
                "Measurement"
            ]
        );
        // Ava: fractions 8.5/10 and 9/10; measurement 7/10 and 15/20.
        assert_eq!(cell(&table, "100231", "Fractions"), "87.5");
        assert_eq!(cell(&table, "100231", "Measurement"), "73.3333");
        // Exempt leaves the item out of the sum: 6/10 only.
        assert_eq!(cell(&table, "100233", "Fractions"), "60");
        assert_eq!(cell(&table, "100233", "Measurement"), "86.6667");
        assert_eq!(cell(&table, "100236", "Measurement"), "66.6667");
        assert_eq!(cell(&table, "100237", "Fractions"), "40");
        // Class B: its own line items land in the same categories.
        assert_eq!(cell(&table, "100236", "Fractions"), "70");
        assert_eq!(cell(&table, "100237", "Measurement"), "");
        assert_eq!(cell(&table, "usr-s08", "Fractions"), "");
    }

    #[test]
    fn status_and_score_status_leave_rows_out() {
        let dir = bundle_with(&[
            (
                "lineItems.csv",
                Some(&format!(
                    "{LINE_ITEMS}li-1,active,,Quiz,,,,cls-001,cat-frac,,0,10\n\
                     li-2,tobedeleted,,Old,,,,cls-001,cat-frac,,0,10\n"
                )),
            ),
            (
                "results.csv",
                Some(&format!(
                    "{RESULTS}r1,,,li-1,usr-s01,fully graded,9,,\n\
                     r2,tobedeleted,,li-1,usr-s02,fully graded,99,,\n\
                     r3,,,li-1,usr-s03,EXEMPT,,,\n\
                     r4,,,li-1,usr-s04,Not Submitted,0,,\n\
                     r5,,,li-2,usr-s05,fully graded,5,,\n\
                     r6,,,li-1,usr-s09,fully graded,5,,\n\
                     r7,,,li-1,usr-t01,fully graded,5,,\n"
                )),
            ),
        ]);
        let table = read_bundle(dir.path(), GroupBy::LineItem).unwrap();
        assert_eq!(table.header[4..], ["Quiz"]);
        let quiz: Vec<&str> = table.rows.iter().map(|r| r.cells[4].as_str()).collect();
        assert_eq!(quiz, ["90", "", "", "", "", "", "", ""]);
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code).collect();
        // Mia, in both classes, now has no results to choose by.
        assert_eq!(codes, ["not-scored", "not-a-student", "several-classes"]);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!(
                "{RESULTS}r1,,,li-001,usr-s01,fully graded,9,,\nr2,,,li-004,usr-s01,fully graded,21,,\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "score-out-of-range");
        let at = d.location.unwrap();
        assert_eq!(
            at.file,
            dir.path().join("results.csv").display().to_string()
        );
        assert_eq!((at.line, at.column), (Some(3), Some(7)));
        assert_eq!(at.column_name.as_deref(), Some("score"));
        assert!(d.help.is_some());

        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!("{RESULTS}r1,,,li-001,usr-s99,fully graded,9,,\n")),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "unknown-student");
        let at = d.location.unwrap();
        assert_eq!((at.line, at.column), (Some(2), Some(5)));

        let dir = bundle_with(&[(
            "lineItems.csv",
            Some(&format!(
                "{LINE_ITEMS}li-001,,,Quiz,,,,cls-001,cat-frac,,10,10\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "empty-range");
        let at = d.location.unwrap();
        assert_eq!(
            at.file,
            dir.path().join("lineItems.csv").display().to_string()
        );
        assert_eq!((at.line, at.column), (Some(2), Some(12)));

        let dir = bundle_with(&[(
            "lineItems.csv",
            Some(&format!(
                "{LINE_ITEMS}li-001,,,Quiz,,,,cls-001,cat-frac,,,\n"
            )),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "missing-maximum");

        let dir = bundle_with(&[(
            "users.csv",
            Some("sourcedId,role,identifier\nusr-s01,student,7\n,,\nusr-s02,student,7\n"),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "duplicate-student");
        let at = d.location.unwrap();
        assert_eq!((at.line, at.column), (Some(4), Some(3)));
        assert_eq!(at.column_name.as_deref(), Some("identifier"));

        let dir = bundle_with(&[("results.csv", None)]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "missing-file");
        assert_eq!(
            d.location.unwrap().file,
            dir.path().join("results.csv").display().to_string()
        );

        let dir = bundle_with(&[("manifest.csv", None)]);
        assert!(!is_bundle(dir.path()));
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "missing-file");
        assert!(d.message.contains("manifest.csv"));

        let dir = bundle_with(&[(
            "results.csv",
            Some("sourcedId,lineItemSourcedId,studentSourcedId,points\n"),
        )]);
        let d = problem(read_bundle(dir.path(), GroupBy::LineItem));
        assert_eq!(d.code, "missing-column");
        assert_eq!(d.location.unwrap().line, Some(1));
    }

    #[test]
    fn zip_errors_name_the_member() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.zip");
        {
            let file = File::create(&path).unwrap();
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for entry in std::fs::read_dir(fixture("bundle")).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                if name == "results.csv" {
                    continue;
                }
                zip.start_file(format!("export/{name}"), options).unwrap();
                std::io::Write::write_all(&mut zip, &std::fs::read(entry.path()).unwrap()).unwrap();
            }
            zip.start_file("export/results.csv", options).unwrap();
            std::io::Write::write_all(
                &mut zip,
                format!("{RESULTS}r1,,,li-001,usr-s01,fully graded,x,,\n").as_bytes(),
            )
            .unwrap();
            zip.finish().unwrap();
        }
        assert!(is_bundle(&path));
        let d = problem(read_bundle(&path, GroupBy::LineItem));
        assert_eq!(d.code, "bad-score");
        let at = d.location.unwrap();
        assert_eq!(at.file, format!("{}:export/results.csv", path.display()));
        assert_eq!((at.line, at.column), (Some(2), Some(7)));

        std::fs::write(&path, b"PK\x03\x04 not really a zip").unwrap();
        assert!(!is_bundle(&path));
        assert_eq!(
            problem(read_bundle(&path, GroupBy::LineItem)).code,
            "bad-zip"
        );
    }

    #[test]
    fn a_zipped_file_over_the_limit_is_an_error() {
        let mut bundle = Bundle::open(&fixture("bundle.zip")).unwrap();
        assert_eq!(bundle.limit, 256 << 20);
        bundle.limit = 100;
        let Err(Error::Problems(ds)) = bundle.input("results.csv") else {
            panic!("read past the limit");
        };
        assert_eq!(ds[0].code, "file-too-large");
        assert!(ds[0].message.contains("100 bytes"), "{}", ds[0].message);
        assert!(ds[0].to_string().contains("bundle.zip:bundle/results.csv"));
        bundle.limit = 4096;
        assert!(bundle.input("results.csv").unwrap().is_some());
    }

    #[test]
    fn the_manifest_is_read_leniently() {
        let dir = bundle_with(&[
            (
                "manifest.csv",
                Some(
                    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n\
                     fiel.demographics,absent\nfile.scoreScales,\nfile.classes,absent\n\
                     file.users,bulk\nfile.results,delta\nfile.orgs,sometimes\n",
                ),
            ),
            ("categories.csv", Some("")),
        ]);
        let table = read_bundle(dir.path(), GroupBy::Category).unwrap();
        let codes: Vec<&str> = table.notes.iter().map(|n| n.code).collect();
        assert_eq!(
            codes,
            [
                "manifest-key",
                "manifest-value",
                "manifest-absent",
                "empty-file",
                "delta-file",
                "not-scored"
            ]
        );
        // Without categories.csv, categories are named by their ids.
        assert_eq!(table.header[4..], ["cat-frac", "cat-meas"]);
    }

    #[test]
    fn a_student_in_several_classes_with_results_in_both_gets_a_note() {
        let dir = bundle_with(&[(
            "results.csv",
            Some(&format!(
                "{RESULTS}r1,,,li-001,usr-s05,fully graded,9,,\nr2,,,li-005,usr-s05,fully graded,9,,\n"
            )),
        )]);
        let table = read_bundle(dir.path(), GroupBy::LineItem).unwrap();
        // Results in both classes: the first enrollment.
        assert_eq!(
            cell(&table, "100235", "section"),
            "Grade 4/5 Math - Room 14"
        );
        let note = table
            .notes
            .iter()
            .find(|n| n.code == "several-classes")
            .unwrap();
        assert!(note.message.contains("`100235`"), "{}", note.message);
        assert!(
            note.message
                .contains("`Grade 4/5 Math - Room 14` and `Grade 4 Math - Room 12`")
        );
    }

    #[test]
    fn names_are_unique_and_never_a_student_field() {
        let names = unique_names(
            [
                ("Quiz", "a"),
                ("quiz", "b"),
                ("Name", "c"),
                ("", "d"),
                ("Test", "e"),
            ]
            .into_iter(),
        );
        assert_eq!(names, ["Quiz (a)", "quiz (b)", "Name (c)", "d", "Test"]);
    }
}
