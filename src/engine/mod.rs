//! Running the rules over the data: the section pass, then each student.
//!
//! [`Run::prepare`] reads every file's header, maps columns, compiles the
//! conditions and makes the first pass (section numbers and whole-class
//! decisions). [`Run::for_each`] makes the second pass and hands each student
//! and their [`Decision`] to the caller, in input order, one at a time.

pub mod aggregate;
pub mod decide;

pub use aggregate::{Section, Sections};
pub use decide::{Decision, Step};

use csv::ByteRecord;

use crate::condition::eval::Env;
use crate::diagnostic::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::columns::{same_header, skill_headers};
use crate::ingest::{ColumnMap, CsvFile, Input, Row, Skills};
use crate::rules::{Program, Rules};

/// The rules bound to the data, after the section pass.
pub struct Run<'r> {
    pub rules: &'r Rules,
    pub inputs: &'r [Input],
    pub skills: Skills,
    pub maps: Vec<ColumnMap>,
    pub program: Program,
    pub sections: Sections,
    pub students: u64,
}

/// One student, as the second pass sees them.
pub struct Student<'a> {
    pub env: Env<'a>,
    pub decision: Decision,
    /// Index into [`Sections::list`].
    pub section: usize,
    pub id: &'a [u8],
    /// The `name` column, or the id when the rules map no name.
    pub name: &'a [u8],
    pub record: &'a ByteRecord,
    pub file: &'a str,
    pub line: u64,
}

/// Open every input and map its columns; the skills of the run are the union
/// of every file's skill columns, in order of first appearance.
pub fn open(rules: &Rules, inputs: &[Input]) -> Result<(Vec<CsvFile>, Skills, Vec<ColumnMap>)> {
    let files = inputs.iter().map(Input::csv).collect::<Result<Vec<_>>>()?;
    let mut skills = Skills::default();
    for file in &files {
        // A problem here is found again, and reported, by `ColumnMap::resolve`.
        for (_, header) in skill_headers(rules, &file.header, &file.name).unwrap_or_default() {
            if !skills.names.iter().any(|n| same_header(n, &header)) {
                skills.names.push(header.into());
            }
        }
    }
    let mut problems = Vec::new();
    let mut maps = Vec::new();
    for file in &files {
        match ColumnMap::resolve(rules, &file.header, &file.name, &skills) {
            // A `;`-separated file comes from a spreadsheet whose locale
            // writes decimals with a comma.
            Ok(map) => maps.push(ColumnMap {
                decimal_comma: file.delimiter == b';',
                ..map
            }),
            Err(more) => problems.extend(more),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    Ok((files, skills, maps))
}

impl<'r> Run<'r> {
    pub fn prepare(rules: &'r Rules, inputs: &'r [Input]) -> Result<Self> {
        let (mut files, skills, maps) = open(rules, inputs)?;
        let program = rules.compile(&skills.names).map_err(Error::Problems)?;
        let mut sections = Sections::new(skills.names.len(), rules.mastery);
        let mut row = Row::default();
        let mut students = 0;
        for (file, map) in files.iter_mut().zip(&maps) {
            while file.read_row()? {
                map.load(
                    &file.record,
                    file.line(),
                    &program.numeric_fields,
                    rules.scale,
                    &mut row,
                )
                .map_err(Error::problem)?;
                let section = sections.index_of(map.text(&file.record, map.section));
                sections.add(section, &row.scores);
            }
            if file.rows() == 0 {
                return Err(Error::problem(
                    Diagnostic::error(
                        "no-students",
                        format!("`{}` has a header but no students", file.name),
                    )
                    .at(Location::file(&file.name))
                    .help("export the results again, with one row per student"),
                ));
            }
            students += file.rows();
        }
        if let Some(rule) = &program.whole_class {
            sections.decide_whole_class(rule, &skills.names, &program.tables);
        }
        Ok(Run {
            rules,
            inputs,
            skills,
            maps,
            program,
            sections,
            students,
        })
    }

    /// Decide every student, in input order, and hand each to `f`.
    pub fn for_each(&self, mut f: impl FnMut(&Student<'_>) -> Result<()>) -> Result<()> {
        let mut row = Row::default();
        for (input, map) in self.inputs.iter().zip(&self.maps) {
            let mut file = input.csv()?;
            while file.read_row()? {
                let line = file.line();
                map.load(
                    &file.record,
                    line,
                    &self.program.numeric_fields,
                    self.rules.scale,
                    &mut row,
                )
                .map_err(Error::problem)?;
                let section_name = map.text(&file.record, map.section);
                let Some(section) = self.sections.get(section_name) else {
                    return Err(changed(&file.name));
                };
                let stats = &self.sections.list[section];
                let env = Env {
                    record: &file.record,
                    field_columns: &map.field_columns,
                    numbers: &row.numbers,
                    scores: &row.scores,
                    skill_names: &self.skills.names,
                    section_name: &stats.name,
                    section_students: stats.students,
                    section: &stats.stats,
                    tables: &self.program.tables,
                    skill: 0,
                };
                let id = map.text(&file.record, Some(map.id));
                let name = map.text(&file.record, map.name);
                let student = Student {
                    decision: self.program.decide(&env),
                    env,
                    section,
                    id,
                    name: if name.is_empty() { id } else { name },
                    record: &file.record,
                    file: &file.name,
                    line,
                };
                f(&student)?;
            }
        }
        Ok(())
    }
}

fn changed(file: &str) -> Error {
    Error::problem(
        Diagnostic::error(
            "file-changed",
            format!("`{file}` changed while tierplan was reading it"),
        )
        .at(Location::file(file))
        .help("run tierplan again once the file is saved"),
    )
}
