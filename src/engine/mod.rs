//! Running the rules over the data: the section pass, then each student.
//!
//! [`Run::prepare`] reads every file's header, maps columns ([`files`]),
//! compiles the conditions and makes the first pass (section numbers and
//! whole-class decisions, in `scan`). [`Run::for_each`] makes the second
//! pass and hands each [`Student`] and their [`Decision`] to the caller, in
//! input order, one at a time; [`Run::fan_out`] ([`threads`]) makes it on
//! several threads, a chunk of the input each.

pub(crate) mod aggregate;
pub(crate) mod coverage;
pub(crate) mod decide;
pub(crate) mod files;
pub(crate) mod problems;
pub(crate) mod records;
pub(crate) mod scan;
pub(crate) mod select;
pub(crate) mod student;
pub(crate) mod threads;

pub use aggregate::{Section, Sections};
pub use decide::{Decision, Step};
pub use files::open;
pub use select::{Duplicates, SetAside};
pub use student::Student;

use csv::ByteRecord;

use crate::condition::eval::{Env, Quantities};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::columns::Problems;
use crate::ingest::input::Range;
use crate::ingest::only::Only;
use crate::ingest::reader::Layout;
use crate::ingest::{self, ColumnMap, CsvFile, Input, Reading, Recognition, Row, Skills};
use crate::rules::program::{Program, table_bit};
use crate::rules::{NoMatch, Rules};
use problems::changed;
use records::{Projection, Records};
use scan::Pass;
use select::Selector;

/// The rules bound to the data, after the section pass.
pub struct Run<'r> {
    pub rules: &'r Rules,
    /// The inputs as read: a reshaped export is a table in memory.
    pub inputs: Vec<Input>,
    /// What was recognised in each input.
    pub recognised: Vec<Recognition>,
    pub skills: Skills,
    pub maps: Vec<ColumnMap>,
    pub program: Program,
    pub sections: Sections,
    /// Students in the plan: one for each section a student is in.
    pub students: u64,
    /// Students (ids) in more than one section, each planned once per
    /// section; every output says how many.
    pub in_several_sections: u64,
    /// Rows and cells left out, and why.
    pub set_aside: SetAside,
    selector: Selector,
    lenient: bool,
    redact: bool,
    layouts: Vec<Layout>,
    /// The chunks the rows are read in, in order.
    chunks: Vec<Chunk>,
    /// `--only` for each input the engine narrows (a plain file, standard
    /// input, a roster bundle); `None` for one a profile already narrowed.
    only: Vec<Option<Only>>,
    /// The students the section pass kept of each chunk, when they fit in
    /// `--memory`; `None` for a chunk the decide pass reads again.
    records: Vec<Option<Records>>,
    /// The cells kept of each input's rows.
    projections: Vec<Projection>,
}

/// How to read the rows.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Profiles, `--only` and blueprints.
    pub reading: Reading,
    /// Report every problem, leave unreadable cells empty and unreadable rows
    /// out, instead of stopping at the first.
    pub lenient: bool,
    pub duplicates: Duplicates,
    /// Every student's name reduced to initials as it is read (`--redact`),
    /// so no output, reason or explanation can show it whole.
    pub redact: bool,
    /// The memory, in bytes, the section pass may keep students in for the
    /// decide pass (`--memory`); above it, or at 0, the decide pass reads
    /// the input again.
    pub memory: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            reading: Reading::default(),
            lenient: false,
            duplicates: Duplicates::default(),
            redact: false,
            memory: records::DEFAULT_MEMORY,
        }
    }
}

/// A chunk of an input that one thread reads: the whole input, or a range of
/// its rows.
#[derive(Debug, Clone, Copy)]
pub struct Chunk {
    pub input: usize,
    pub range: Range,
}

/// Open a chunk for reading: the first chunk of a file reads its header, a
/// later one starts at its first row.
fn open_chunk(inputs: &[Input], layouts: &[Layout], chunk: Chunk) -> Result<CsvFile> {
    let input = &inputs[chunk.input];
    if chunk.range.start == 0 {
        input.csv_until(chunk.range.end)
    } else {
        input.csv_range(chunk.range, &layouts[chunk.input])
    }
}

/// The chunks to read: each input cut into ranges of rows for `threads`
/// threads (a small file, standard input or a built table stays whole).
fn plan_chunks(inputs: &[Input], threads: usize) -> Result<Vec<Chunk>> {
    let mut chunks = Vec::new();
    for (input, source) in inputs.iter().enumerate() {
        for range in source.ranges(threads)? {
            chunks.push(Chunk { input, range });
        }
    }
    Ok(chunks)
}

impl<'r> Run<'r> {
    pub fn prepare(rules: &'r Rules, inputs: &[Input], options: &ReadOptions) -> Result<Self> {
        if !options.redact {
            return Self::read(rules, inputs, options);
        }
        // `--redact`: the first pass's messages name students by their raw
        // id; the decide pass reads it redacted.
        match Self::read(rules, inputs, options) {
            Ok(mut run) => {
                let problems = std::mem::take(&mut run.set_aside.problems);
                run.set_aside.problems = problems
                    .into_iter()
                    .map(crate::redact::redact_message)
                    .collect();
                Ok(run)
            }
            Err(Error::Problems(list)) => Err(Error::Problems(
                list.into_iter()
                    .map(crate::redact::redact_message)
                    .collect(),
            )),
            Err(e) => Err(e),
        }
    }

    fn read(rules: &'r Rules, inputs: &[Input], options: &ReadOptions) -> Result<Self> {
        let (inputs, mut recognised) = ingest::prepare(rules, inputs, &options.reading)?;
        let (files, skills, mut maps) = open(rules, &inputs)?;
        maps.iter_mut().for_each(|m| m.redact = options.redact);
        let asked = &options.reading.narrowing.only;
        let only = maps
            .iter()
            .zip(&recognised)
            .map(|(map, seen)| {
                if asked.is_empty() || seen.narrowed {
                    Ok(None)
                } else {
                    Only::resolve(asked, rules, map).map(Some)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let program = rules.compile(&skills.names).map_err(Error::Problems)?;
        let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        let layouts: Vec<Layout> = files.iter().map(CsvFile::layout).collect();
        drop(files);
        let projections: Vec<Projection> = maps.iter().map(Projection::of).collect();
        let pass = Pass {
            projections: &projections,
            rules,
            inputs: &inputs,
            layouts: &layouts,
            maps: &maps,
            program: &program,
            names: &names,
            skills: skills.names.len(),
            options,
            only: &only,
        };
        let (chunks, mut scan) = pass.sections()?;
        pass.check(&chunks, &mut scan, &mut recognised)?;
        if let Some(rule) = &program.whole_class {
            scan.sections
                .decide_whole_class(rule, &skills.names, &program.tables);
        }
        Ok(Run {
            rules,
            inputs,
            recognised,
            skills,
            maps,
            program,
            sections: scan.sections,
            students: scan.students,
            in_several_sections: scan.selector.in_several_sections(),
            set_aside: scan.set_aside,
            selector: scan.selector,
            lenient: options.lenient,
            redact: options.redact,
            layouts,
            chunks,
            only,
            records: scan.records,
            projections,
        })
    }

    /// How many chunks the rows are read in; [`Run::for_each_in`] decides
    /// the students of one.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Decide every student, in input order, and hand each to `f`.
    pub fn for_each(&self, mut f: impl FnMut(&Student<'_>) -> Result<()>) -> Result<()> {
        for chunk in 0..self.chunks.len() {
            self.for_each_in(chunk, &mut f)?;
        }
        Ok(())
    }

    /// Decide every student of chunk `chunk`, in order, and hand each to `f`:
    /// from the students the section pass kept, else read again.
    pub fn for_each_in(
        &self,
        chunk: usize,
        f: impl FnMut(&Student<'_>) -> Result<()>,
    ) -> Result<()> {
        match &self.records[chunk] {
            Some(records) => self.each_kept(chunk, records, f),
            None => self.each_read(chunk, f),
        }
    }

    /// [`Run::for_each_in`] over the students the section pass kept.
    fn each_kept(
        &self,
        chunk: usize,
        records: &Records,
        mut f: impl FnMut(&Student<'_>) -> Result<()>,
    ) -> Result<()> {
        let p = self.chunks[chunk];
        let projection = &self.projections[p.input];
        let name = &self.inputs[p.input].name;
        // The section pass of a later chunk counted its lines from 0.
        let lines_before = if p.range.start == 0 {
            0
        } else {
            p.range.first_line.saturating_sub(1)
        };
        let (mut record, mut row) = (ByteRecord::new(), Row::default());
        let mut kept = records.each();
        while let Some(seen) = kept.next_into(&mut record, &mut row) {
            if self.selector.is_skipped_in(chunk, seen.row) {
                continue;
            }
            let view = View {
                input: p.input,
                record: &record,
                field_columns: &projection.field_columns,
                id: projection.id,
                name: projection.name,
                row: &row,
                section: seen.section,
                file: name,
                line: seen.line + lines_before,
            };
            self.hand(&view, &mut f)?;
        }
        Ok(())
    }

    /// [`Run::for_each_in`] over the rows of the chunk, read again.
    fn each_read(&self, chunk: usize, mut f: impl FnMut(&Student<'_>) -> Result<()>) -> Result<()> {
        let p = self.chunks[chunk];
        let map = &self.maps[p.input];
        let only = self.only[p.input].as_ref();
        let mut file = open_chunk(&self.inputs, &self.layouts, p)?;
        let mut row = Row::default();
        let mut scratch = ByteRecord::new();
        let mut index = 0u64;
        while file.read_row()? {
            let this = index;
            index += 1;
            // The same test as the section pass: the same rows are left out.
            if only.is_some_and(|o| o.first_failing(&file.record).is_some())
                || self.selector.is_skipped_in(chunk, this)
            {
                continue;
            }
            let line = file.line();
            let mode = if self.lenient {
                Problems::Quiet
            } else {
                Problems::Stop
            };
            let readable = map
                .load(
                    &file.record,
                    line,
                    &self.program.numeric_fields,
                    self.rules.scale,
                    &mut row,
                    mode,
                )
                .map_err(Error::problem)?;
            let record = as_decided(&file.record, map, self.redact, &row.unread, &mut scratch);
            let section = self.sections.get(map.text(record, map.section));
            let (true, Some(section)) = (readable, section) else {
                return Err(changed(&file.name));
            };
            let view = View {
                input: p.input,
                record,
                field_columns: &map.field_columns,
                id: map.id,
                name: map.name,
                row: &row,
                section,
                file: &file.name,
                line,
            };
            self.hand(&view, &mut f)?;
        }
        Ok(())
    }

    /// Decide one student and hand them to `f`.
    fn hand(&self, v: &View<'_>, f: &mut impl FnMut(&Student<'_>) -> Result<()>) -> Result<()> {
        let header = &self.maps[v.input].header;
        let unread: Vec<String> = v
            .row
            .unread
            .iter()
            .map(|&c| header.get(c).cloned().unwrap_or_default())
            .collect();
        let stats = &self.sections.list[v.section];
        let quantities = Quantities::default();
        let env = Env {
            quantities: &quantities,
            record: v.record,
            field_columns: v.field_columns,
            numbers: &v.row.numbers,
            scores: &v.row.scores,
            skill_names: &self.skills.names,
            section_name: &stats.name,
            section_students: stats.students,
            section: &stats.stats,
            tables: &self.program.tables,
            skill: 0,
        };
        let text = |c: Option<usize>| {
            c.and_then(|c| v.record.get(c))
                .unwrap_or_default()
                .trim_ascii()
        };
        let id = text(Some(v.id));
        let name = text(v.name);
        let decision = self.program.decide(&env);
        let no_row = self.unmatched(&decision, &env, id, v.file, v.line)?;
        let student = Student {
            decision,
            env,
            section: v.section,
            id,
            name: if name.is_empty() { id } else { name },
            file: v.file,
            line: v.line,
            unread,
            no_row,
        };
        f(&student)
    }
}

/// One student's row as the decide pass reads it, from the file or kept.
struct View<'a> {
    input: usize,
    record: &'a ByteRecord,
    field_columns: &'a [Option<usize>],
    /// The cells of the id and name in `record`.
    id: usize,
    name: Option<usize>,
    row: &'a Row,
    section: usize,
    file: &'a str,
    line: u64,
}

impl Run<'_> {
    /// The tables `decision` read that have no row for this student's keys,
    /// once per table, as (table, keys): a grade or window the table does
    /// not list. A table with `no_match: error` (the default) stops the run
    /// instead, unless `--lenient`.
    fn unmatched(
        &self,
        decision: &Decision,
        env: &Env<'_>,
        id: &[u8],
        file: &str,
        line: u64,
    ) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = Vec::new();
        if decision.tables_read == 0 {
            return Ok(out);
        }
        for (t, table) in self.program.tables.iter().enumerate() {
            let def = &self.rules.tables[t];
            if decision.tables_read & table_bit(t) == 0
                || out.iter().any(|(name, _)| *name == def.table_name)
            {
                continue;
            }
            let Some(values) = table.unmatched_keys(env) else {
                continue;
            };
            let keys: Vec<String> = def
                .keys
                .iter()
                .zip(&values)
                .filter(|(_, v)| !v.is_empty())
                .map(|((key, _), v)| format!("{key} `{}`", String::from_utf8_lossy(v)))
                .collect();
            let keys = keys.join(", ");
            if def.no_match == NoMatch::Error && !self.lenient {
                let at = self.rules.source.location(def.pos, 0, 0);
                return Err(Error::problem(
                    Diagnostic::error(
                        Code::NoTableRow,
                        format!(
                            "student `{}`: table `{}` has no row for {keys} ({})",
                            String::from_utf8_lossy(id),
                            def.table_name,
                            at.file_and_line(),
                        ),
                    )
                    .at(Location::line(file, line))
                    .help(format!(
                        "add a row for these values, recode the file's spelling with `recode:`, or give the table `no_match: missing` to plan such students without it (each is flagged in the plan); `tierplan check --rules ... {file}` lists every student the table misses"
                    )),
                ));
            }
            out.push((def.table_name.clone(), keys));
        }
        Ok(out)
    }
}

/// `record` as the decide pass reads it: rewritten into `scratch` (see
/// [`rewrite`]) when `--redact`, `--lenient` or the rules' `recode:` change
/// a cell of it.
fn as_decided<'a>(
    record: &'a ByteRecord,
    map: &ColumnMap,
    redact: bool,
    unread: &[usize],
    scratch: &'a mut ByteRecord,
) -> &'a ByteRecord {
    let recodes = map.recode.iter().any(|(c, _)| {
        map.recoded(*c, record.get(*c).unwrap_or_default())
            .is_some()
    });
    if redact || !unread.is_empty() || recodes {
        rewrite(record, map, redact.then_some(map.name), unread, scratch);
        scratch
    } else {
        record
    }
}

/// `record` into `out`, with the name in `redact` reduced to initials and
/// an id that is an e-mail address redacted ([`crate::redact::redact_id`]),
/// the cells of `unread` (set aside by `--lenient`) empty, so that no test
/// reads them as text either, and the rules' `recode:` applied.
fn rewrite(
    record: &ByteRecord,
    map: &ColumnMap,
    redact: Option<Option<usize>>,
    unread: &[usize],
    out: &mut ByteRecord,
) {
    out.clear();
    for (i, field) in record.iter().enumerate() {
        if unread.contains(&i) {
            out.push_field(b"");
        } else if let Some(meaning) = map.recoded(i, field) {
            out.push_field(meaning.as_bytes());
        } else if redact.is_some_and(|name| name == Some(i)) {
            out.push_field(crate::redact::initials(&String::from_utf8_lossy(field)).as_bytes());
        } else if redact.is_some() && i == map.id {
            out.push_field(crate::redact::redact_id(&String::from_utf8_lossy(field)).as_bytes());
        } else {
            out.push_field(field);
        }
    }
    out.set_position(record.position().cloned());
}
