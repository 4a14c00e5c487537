//! Diagnostics: one problem, where it is, and what to do about it.
//!
//! Every problem tierplan reports, in the rules or in the data, is a
//! [`Diagnostic`]: a stable code, a lowercase message with names in
//! backticks, a [`Location`] (file, line, column, and for YAML the source
//! line with a caret under the offending text) and an optional help line
//! ("did you mean `NBT.1`?"). This module owns their shape and rendering; it
//! must not know about rules or CSV beyond the coordinates they report.

use std::borrow::Cow;
use std::fmt;
use std::sync::RwLock;

use crate::printable::printable;

mod code;

pub use code::Code;

/// How bad a diagnostic is. Only errors fail a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (`<stdin>` for standard input).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column: a character column in a rules file, a field number in
    /// a CSV file.
    pub column: Option<u64>,
    /// The CSV header of that column, for data problems.
    pub column_name: Option<String>,
    /// The source line and the span to underline, for rules problems.
    pub snippet: Option<Snippet>,
}

/// A source line with a span to underline (character offsets in the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub start: usize,
    pub len: usize,
}

impl Location {
    /// `rules.yaml, line 30` (or just the file), for a message that points
    /// at a second place.
    pub fn file_and_line(&self) -> String {
        match self.line {
            Some(line) => format!("{}, line {line}", self.file),
            None => self.file.clone(),
        }
    }

    /// A whole file, no position.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
            column_name: None,
            snippet: None,
        }
    }

    /// A CSV cell: line in the file, 1-based field number and header name.
    pub fn cell(file: &str, line: u64, column: usize, name: &str) -> Self {
        Location {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column as u64),
            column_name: Some(clip(name).into_owned()),
            snippet: None,
        }
    }

    /// A line of a CSV file.
    pub fn line(file: &str, line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::file(file)
        }
    }
}

/// The data files that are a sheet of a workbook: the name they are read
/// under, the sheet's name and the sheet row of the header. A location in
/// such a file is shown as the spreadsheet shows it: sheet, row and column
/// letters. Set once per input as it is read (by `ingest::workbook`), read
/// when a location is shown.
static SHEETS: RwLock<Vec<(String, String, u64)>> = RwLock::new(Vec::new());

/// Show locations in `file` as cells of `sheet`, whose header is on
/// `header_row`.
pub(crate) fn register_sheet(file: &str, sheet: &str, header_row: u64) {
    let mut sheets = SHEETS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    sheets.retain(|(f, _, _)| f != file);
    sheets.push((file.to_owned(), sheet.to_owned(), header_row));
}

/// A location in a sheet of a workbook, as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlace {
    pub sheet: String,
    /// The sheet's row (the CSV read from it starts at the header).
    pub row: Option<u64>,
    /// The column's letters (`C`), when the column is known.
    pub column: Option<String>,
}

impl SheetPlace {
    /// `C5`, when the row and the column are known.
    pub fn cell(&self) -> Option<String> {
        Some(format!("{}{}", self.column.as_ref()?, self.row?))
    }
}

impl Location {
    /// Where this is in a sheet, when its file is a sheet of a workbook.
    pub fn sheet_place(&self) -> Option<SheetPlace> {
        let sheets = SHEETS
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (_, sheet, header_row) = sheets.iter().find(|(f, _, _)| *f == self.file)?;
        // Line 1 of the CSV is the header; every other line is given as the
        // sheet's row already.
        let row = self.line.map(|l| if l == 1 { *header_row } else { l });
        Some(SheetPlace {
            sheet: sheet.clone(),
            row,
            column: self.column.map(|c| column_letters(c.saturating_sub(1))),
        })
    }
}

/// A spreadsheet column's letters: 0 is `A`, 26 is `AA`.
pub(crate) fn column_letters(column: u64) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(place) = self.sheet_place() {
            write!(f, ", sheet `{}`", printable(&place.sheet))?;
            if let Some(row) = place.row {
                write!(f, ", row {row}")?;
            }
            if let (Some(letters), Some(cell)) = (&place.column, place.cell()) {
                write!(f, ", column {letters} (cell {cell}")?;
                match &self.column_name {
                    Some(name) => write!(f, ", `{name}`)")?,
                    None => f.write_str(")")?,
                }
            } else if let Some(name) = &self.column_name {
                write!(f, " (`{name}`)")?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(name) = &self.column_name {
            write!(f, " (`{name}`)")?;
        }
        Ok(())
    }
}

/// One problem, with its code, place and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case identifier (`unknown-plan`), for scripts and docs.
    pub code: Code,
    pub message: String,
    pub location: Option<Box<Location>>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// Its line `by` lines further on: a problem found in a part of a file
    /// read before the lines before the part were counted.
    pub fn move_lines(&mut self, by: u64) {
        if let Some(line) = self.location.as_mut().and_then(|l| l.line.as_mut()) {
            *line += by;
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names, headers and source lines come from the user's files: no
        // control character reaches the terminal.
        f.write_str(&printable(&self.render()))
    }
}

impl Diagnostic {
    fn render(&self) -> String {
        use std::fmt::Write as _;
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}[{}]: {}", self.code, self.message);
        if let Some(location) = &self.location {
            let _ = write!(out, "\n  --> {location}");
            if let (Some(snippet), Some(line)) = (&location.snippet, location.line) {
                let number = line.to_string();
                let pad = " ".repeat(number.len());
                let (text, start) = snippet.window();
                let lead: String = text
                    .chars()
                    .take(start)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = write!(
                    out,
                    "\n {pad} |\n {number} | {text}\n {pad} | {lead}{}",
                    "^".repeat(snippet.len.clamp(1, SNIPPET_WIDTH))
                );
            }
        }
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  = help: {help}");
        }
        out
    }
}

/// The most characters of a source line a snippet shows.
const SNIPPET_WIDTH: usize = 100;

impl Snippet {
    /// The line, cut to [`SNIPPET_WIDTH`] characters around the span when
    /// longer (a flow-style rules line may be thousands), and where the span
    /// starts in what is shown.
    fn window(&self) -> (String, usize) {
        let text = self.text.trim_end();
        let length = text.chars().count();
        if length <= SNIPPET_WIDTH {
            return (text.to_owned(), self.start);
        }
        let first = self
            .start
            .saturating_sub(SNIPPET_WIDTH / 3)
            .min(length - SNIPPET_WIDTH);
        let shown: String = text.chars().skip(first).take(SNIPPET_WIDTH).collect();
        let before = if first > 0 { "…" } else { "" };
        let after = if first + SNIPPET_WIDTH < length {
            "…"
        } else {
            ""
        };
        (
            format!("{before}{shown}{after}"),
            self.start - first + before.chars().count(),
        )
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a
/// likely typo (edit distance at most a third of the name, case-insensitive).
pub fn suggest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for [`suggest`].
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    suggest(name, candidates).map(|s| format!("did you mean `{}`?", clip(s)))
}

/// Edit distance over characters, counting a swap of two neighbours as one
/// edit (`cuont` is one edit from `count`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The most characters of a value from the user's data (a cell, a header)
/// that a message quotes: a file read with the wrong encoding or without
/// its line breaks is one enormous cell, and a message shows a clue to it,
/// never the file.
pub const QUOTE_WIDTH: usize = 40;

/// `text` cut to [`QUOTE_WIDTH`] characters, with `…` when it was longer.
/// Every cell or header a message quotes goes through this.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE_WIDTH) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// `a`, `a and b`, `a, b and c`, each in backticks and cut to
/// [`QUOTE_WIDTH`] characters.
pub fn list(items: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("`{}`", clip(s.as_ref())))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `1 student`, `2 students`, `3 branches`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else if noun.ends_with("ch") || noun.ends_with('s') {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_letters_them() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["screening", "section", "student_id"];
        assert_eq!(suggest("screnning", names), Some("screening"));
        assert_eq!(suggest("Section", names), Some("section"));
        assert_eq!(suggest("mastery", names), None);
        assert_eq!(suggest("cuont", ["count", "any", "all"]), Some("count"));
    }

    #[test]
    fn quoted_values_are_cut() {
        let long = "é".repeat(QUOTE_WIDTH + 5);
        let cut = clip(&long);
        assert_eq!(cut.chars().count(), QUOTE_WIDTH + 1);
        assert!(cut.ends_with('…'));
        assert!(matches!(clip("NBT.1"), Cow::Borrowed("NBT.1")));
        assert_eq!(list(&[long.as_str()]), format!("`{cut}`"));
        let at = Location::cell("f.csv", 1, 1, &long);
        assert_eq!(at.column_name.as_deref(), Some(&*cut));
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(count(1, "student"), "1 student");
        assert_eq!(count(3, "student"), "3 students");
    }

    #[test]
    fn renders_a_caret_under_the_span() {
        let mut location = Location::line("rules.yaml", 7);
        location.column = Some(11);
        location.snippet = Some(Snippet {
            text: "  - when: screnning <= 10".into(),
            start: 10,
            len: 9,
        });
        let d = Diagnostic::error(Code::UnknownName, "unknown name `screnning`")
            .at(location)
            .help("did you mean `screening`?");
        assert_eq!(
            d.to_string(),
            "error[unknown-name]: unknown name `screnning`\n  \
             --> rules.yaml, line 7, column 11\n   |\n 7 |   - when: screnning <= 10\n   \
             |           ^^^^^^^^^\n  = help: did you mean `screening`?"
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_span() {
        let mut location = Location::line("rules.yaml", 2);
        location.snippet = Some(Snippet {
            text: format!("tree: {}screnning{}", "[".repeat(500), "]".repeat(500)),
            start: 506,
            len: 9,
        });
        let shown = Diagnostic::error(Code::UnknownName, "unknown name `screnning`")
            .at(location)
            .to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let (text, caret) = (lines[3], lines[4]);
        assert_eq!(
            text,
            format!(" 2 | …{}screnning{}…", "[".repeat(33), "]".repeat(58))
        );
        assert_eq!(
            caret.chars().position(|c| c == '^'),
            text.chars().position(|c| c == 's'),
            "the caret is under the span"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::error(Code::MissingColumn, "no column `\u{1b}]0;owned\u{7}`")
            .at(Location::cell("f.csv", 1, 2, "\u{1b}[2J"));
        assert_eq!(
            d.to_string(),
            "error[missing-column]: no column `�]0;owned�`\n  --> f.csv, line 1, column 2 (`�[2J`)"
        );
    }
}
