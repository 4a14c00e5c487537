//! Running the rules over the data: the section pass, then each student.
//!
//! [`Run::prepare`] reads every file's header, maps columns, compiles the
//! conditions and makes the first pass (section numbers and whole-class
//! decisions). [`Run::for_each`] makes the second pass and hands each student
//! and their [`Decision`] to the caller, in input order, one at a time.

pub mod aggregate;
pub mod decide;
pub mod select;

pub use aggregate::{Section, Sections};
pub use decide::{Decision, Step};
pub use select::{Duplicates, SetAside};

use std::collections::HashSet;

use csv::ByteRecord;

use crate::condition::eval::{Env, Quantities};
use crate::diagnostic::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::columns::Problems;
use crate::ingest::columns::{normalize, skill_headers};
use crate::ingest::input::Range;
use crate::ingest::only::Only;
use crate::ingest::reader::Layout;
use crate::ingest::unknown;
use crate::ingest::{self, ColumnMap, CsvFile, Input, Reading, Recognition, Row, Skills};
use crate::rules::{NoMatch, Program, Rules, table_bit};
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
    /// Students in the plan.
    pub students: u64,
    /// Rows and cells left out, and why.
    pub set_aside: SetAside,
    selector: Selector,
    lenient: bool,
    redact: bool,
    layouts: Vec<Layout>,
    /// The parts the rows are read in, in order.
    parts: Vec<Part>,
    /// `--only` for each input the engine narrows (a plain file, standard
    /// input, a roster bundle); `None` for one a profile already narrowed.
    only: Vec<Option<Only>>,
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
    /// The headers of the cells `--lenient` set aside (read as missing).
    pub unread: Vec<String>,
    /// The tables the decision read that have no row for the student, as
    /// (table, the student's keys): (`cuts`, "grade `7`, season `BOY`").
    pub no_row: Vec<(String, String)>,
}

impl Student<'_> {
    /// Whether the decision rests on missing or unreadable data.
    pub fn has_caveat(&self) -> bool {
        self.decision.on_missing || !self.unread.is_empty() || !self.no_row.is_empty()
    }

    /// What the decision did without, for every output (issue 10): e.g.
    /// "decided without `screening`", "`NF.1` could not be read
    /// (--lenient): read as missing". `None` when nothing was missing.
    pub fn caveat(&self, rules: &Rules, program: &Program) -> Option<String> {
        if !self.has_caveat() {
            return None;
        }
        let mut parts = Vec::new();
        if !self.unread.is_empty() {
            parts.push(format!(
                "{} could not be read (--lenient): read as missing",
                crate::diagnostic::list(&self.unread)
            ));
        }
        for (table, keys) in &self.no_row {
            parts.push(format!("table `{table}` has no row for {keys}"));
        }
        if self.decision.on_missing {
            let mut names = program.missing_names(rules, &self.env);
            // A table with no row is said above.
            names.retain(|n| {
                !rules.tables.iter().any(|t| {
                    &t.name == n && self.no_row.iter().any(|(table, _)| *table == t.table_name)
                })
            });
            if !names.is_empty() {
                parts.push(format!(
                    "decided without {}",
                    crate::diagnostic::list(&names)
                ));
            } else if self.no_row.is_empty() {
                parts.push("decided with a test that had no value".to_owned());
            }
        }
        Some(parts.join("; "))
    }
}

/// Open every input and map its columns; the skills of the run are the union
/// of every file's skill columns, in order of first appearance.
pub fn open(rules: &Rules, inputs: &[Input]) -> Result<(Vec<CsvFile>, Skills, Vec<ColumnMap>)> {
    let files = inputs.iter().map(Input::csv).collect::<Result<Vec<_>>>()?;
    let mut skills = Skills::default();
    let mut seen = HashSet::new();
    for file in &files {
        // A problem here is found again, and reported, by `ColumnMap::resolve`.
        for (_, header) in
            skill_headers(rules, &file.header, &file.name, file.fixed_columns()).unwrap_or_default()
        {
            if seen.insert(normalize(&header)) {
                skills.names.push(header.into());
            }
        }
    }
    let mut problems = Vec::new();
    let mut maps = Vec::new();
    for (file, input) in files.iter().zip(inputs) {
        match ColumnMap::resolve(
            rules,
            &file.header,
            &file.name,
            &skills,
            file.fixed_columns(),
        ) {
            // A `;`-separated file comes from a spreadsheet whose locale
            // writes decimals with a comma.
            Ok(map) => maps.push(ColumnMap {
                decimal_comma: file.delimiter == b';'
                    || file.origin.as_ref().is_some_and(|o| o.decimal_comma),
                origin: file.origin.clone(),
                ..map
            }),
            Err(more) => {
                problems.extend(more.into_iter().map(|d| unknown::advise(rules, input, d)))
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    Ok((files, skills, maps))
}

/// How to read the rows.
#[derive(Debug, Clone, Default)]
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
}

/// A part of an input that one thread reads: the whole input, or a range of
/// its rows.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub input: usize,
    pub range: Range,
}

/// What the section pass found in some parts.
struct Scan {
    sections: Sections,
    selector: Selector,
    set_aside: SetAside,
    students: u64,
    /// Rows read in each part.
    rows: Vec<u64>,
    /// For each input part with a byte that is not UTF-8: the input and
    /// where the first such byte is.
    foreign: Vec<(usize, u64)>,
    /// For each input, the rows each `--only` test left out.
    left: Vec<Vec<u64>>,
}

/// Most threads used: the work is reading, and a third thread does not pay
/// on the two-core machines schools have.
const MAX_THREADS: usize = 4;

/// `f(0)`, …, `f(count - 1)` on at most [`MAX_THREADS`] threads at once (a
/// thread per input would fail to start with hundreds of files), each
/// thread taking the next index when it is done. The results are in index
/// order, so what runs on which thread never shows; `None` for a call whose
/// thread panicked.
pub(crate) fn bounded<R: Send>(count: usize, f: impl Fn(usize) -> R + Sync) -> Vec<Option<R>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..count.min(MAX_THREADS))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            break done;
                        }
                        done.push((i, f(i)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, result) in worker.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    results
}

/// Everything the section pass reads, shared by its threads.
struct Pass<'a> {
    rules: &'a Rules,
    inputs: &'a [Input],
    layouts: &'a [Layout],
    maps: &'a [ColumnMap],
    program: &'a Program,
    names: &'a [String],
    skills: usize,
    options: &'a ReadOptions,
    only: &'a [Option<Only>],
}

impl Pass<'_> {
    fn open(&self, part: Part) -> Result<CsvFile> {
        open_part(self.inputs, self.layouts, part)
    }

    /// The section pass over `parts`, in order, with one selector whose row
    /// numbers run on from part to part (`selector` may already hold the rows
    /// `--duplicates last` replaced).
    fn scan(&self, parts: &[Part], mut selector: Selector) -> Result<Scan> {
        let options = self.options;
        let mut sections = Sections::new(self.skills, self.rules.mastery);
        let mut set_aside = SetAside::default();
        let mut row = Row::default();
        let (mut students, mut index) = (0, 0u64);
        let mut rows = Vec::with_capacity(parts.len());
        let mut foreign = Vec::new();
        let mut left = no_rows_left(self.only);
        for part in parts {
            let mut file = self.open(*part)?;
            let map = &self.maps[part.input];
            let only = self.only[part.input].as_ref();
            let file_index = u32::try_from(part.input).unwrap_or(u32::MAX);
            while file.read_row()? {
                let this = index;
                index += 1;
                if let Some(test) = only.and_then(|o| o.first_failing(&file.record)) {
                    left[part.input][test] += 1;
                    continue;
                }
                if selector.is_skipped(this) {
                    continue;
                }
                let line = file.line();
                let problems_before = set_aside.problems.len();
                let mode = if options.lenient {
                    Problems::Collect(&mut set_aside.problems)
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
                if !readable {
                    selector.skip(this);
                    set_aside.rows += 1;
                    continue;
                }
                set_aside.cells += (set_aside.problems.len() - problems_before) as u64;
                let id = map.text(&file.record, Some(map.id));
                let section_name = map.text(&file.record, map.section);
                let at = (file_index, this, line);
                let section = if options.duplicates == Duplicates::Last {
                    sections.index_of(section_name)
                } else {
                    match selector.first_sight(id, at, section_name, &mut sections, self.names) {
                        Ok(section) => section,
                        Err(d) if options.lenient || options.duplicates == Duplicates::First => {
                            set_aside.problems.push(d);
                            set_aside.rows += 1;
                            set_aside.replaced += 1;
                            selector.skip(this);
                            continue;
                        }
                        Err(d) => return Err(Error::problem(d)),
                    }
                };
                sections.add(section, &row.scores);
                students += 1;
            }
            rows.push(file.rows());
            foreign.extend(file.first_foreign_byte().map(|offset| (part.input, offset)));
        }
        Ok(Scan {
            sections,
            selector,
            set_aside,
            students,
            rows,
            foreign,
            left,
        })
    }
}

/// A count of rows left out for each `--only` test of each input, all zero.
fn no_rows_left(only: &[Option<Only>]) -> Vec<Vec<u64>> {
    only.iter()
        .map(|o| vec![0; o.as_ref().map_or(0, Only::len)])
        .collect()
}

/// Open a part for reading: the first part of a file reads its header, a
/// later one starts at its first row.
fn open_part(inputs: &[Input], layouts: &[Layout], part: Part) -> Result<CsvFile> {
    let input = &inputs[part.input];
    if part.range.start == 0 {
        input.csv_until(part.range.end)
    } else {
        input.csv_range(part.range, &layouts[part.input])
    }
}

/// The parts to read: each input cut into ranges of rows for `threads`
/// threads (a small file, standard input or a built table stays whole).
fn plan_parts(inputs: &[Input], threads: usize) -> Result<Vec<Part>> {
    let mut parts = Vec::new();
    for (input, source) in inputs.iter().enumerate() {
        for range in source.ranges(threads)? {
            parts.push(Part { input, range });
        }
    }
    Ok(parts)
}

/// The parts on a few threads (see [`bounded`]); `None` when a student appears in two parts,
/// which only a pass over the parts in order can report as the rules say.
fn scan_in_parallel(pass: &Pass<'_>, parts: &[Part]) -> Result<Option<Scan>> {
    let scans: Vec<Result<Scan>> = bounded(parts.len(), |i| {
        pass.scan(std::slice::from_ref(&parts[i]), Selector::default())
    })
    .into_iter()
    .map(|scan| {
        scan.unwrap_or_else(|| {
            Err(Error::usage(
                "a reading thread failed (a bug in tierplan; please report it)",
            ))
        })
    })
    .collect();
    // The first problem in file order is the run's problem.
    let scans = scans.into_iter().collect::<Result<Vec<_>>>()?;
    let mut merged = Scan {
        sections: Sections::new(pass.skills, pass.rules.mastery),
        selector: Selector::default(),
        set_aside: SetAside::default(),
        students: 0,
        rows: Vec::new(),
        foreign: Vec::new(),
        left: no_rows_left(pass.only),
    };
    let mut selectors = Vec::with_capacity(scans.len());
    for scan in scans {
        merged.sections.absorb(scan.sections);
        merged.set_aside.absorb(scan.set_aside);
        merged.students += scan.students;
        merged.rows.extend(scan.rows);
        merged.foreign.extend(scan.foreign);
        for (sum, part) in merged.left.iter_mut().zip(scan.left) {
            for (sum, n) in sum.iter_mut().zip(part) {
                *sum += n;
            }
        }
        selectors.push(scan.selector);
    }
    if !Selector::disjoint(&selectors) {
        return Ok(None);
    }
    merged.selector = Selector::of_parts(selectors);
    Ok(Some(merged))
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
                    .map(crate::plan::redact_message)
                    .collect();
                Ok(run)
            }
            Err(Error::Problems(list)) => Err(Error::Problems(
                list.into_iter().map(crate::plan::redact_message).collect(),
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
        let pass = Pass {
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
        // `--duplicates last` needs a first pass over every row in order.
        let threads = match options.duplicates {
            Duplicates::Last => 1,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS)),
        };
        let mut parts = plan_parts(&inputs, threads)?;
        let mut scan = if parts.len() > inputs.len() {
            scan_in_parallel(&pass, &parts).map_err(|e| advised(rules, &inputs, e))?
        } else {
            None
        };
        if scan.is_none() {
            parts = plan_parts(&inputs, 1)?;
            let mut selector = Selector::default();
            let mut replaced = SetAside::default();
            if options.duplicates == Duplicates::Last {
                replace_earlier_rows(&inputs, &maps, &only, &names, &mut selector, &mut replaced)?;
            }
            let mut sequential = pass
                .scan(&parts, selector)
                .map_err(|e| advised(rules, &inputs, e))?;
            replaced.absorb(sequential.set_aside);
            sequential.set_aside = replaced;
            sequential.selector.number_parts(&sequential.rows);
            scan = Some(sequential);
        }
        let Some(mut scan) = scan else {
            unreachable!("the sequential pass always gives a scan");
        };
        let mut rows_per_input = vec![0u64; inputs.len()];
        for (part, rows) in parts.iter().zip(&scan.rows) {
            rows_per_input[part.input] += rows;
        }
        if let Some(input) = rows_per_input.iter().position(|&rows| rows == 0) {
            let name = &names[input];
            return Err(Error::problem(
                Diagnostic::error(
                    "no-students",
                    format!("`{name}` has a header but no students"),
                )
                .at(Location::file(name))
                .help("export the results again, with one row per student"),
            ));
        }
        for (input, test) in only.iter().enumerate() {
            let Some(test) = test else { continue };
            let left: u64 = scan.left[input].iter().sum();
            if left > 0 && left == rows_per_input[input] {
                return Err(nothing_selected(&inputs[input], test, &names[input]));
            }
            recognised[input]
                .notes
                .extend(test.notes(&scan.left[input]));
        }
        for (input, source) in inputs.iter().enumerate() {
            let first = scan
                .foreign
                .iter()
                .filter(|f| f.0 == input)
                .map(|f| f.1)
                .min();
            if let Some(offset) = first {
                let line = source.line_at(offset)?;
                scan.set_aside.problems.push(not_utf8(&names[input], line));
            }
        }
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
            set_aside: scan.set_aside,
            selector: scan.selector,
            lenient: options.lenient,
            redact: options.redact,
            layouts,
            parts,
            only,
        })
    }

    /// How many parts the rows are read in; [`Run::for_each_in`] decides
    /// the students of one.
    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    /// Decide every student, in input order, and hand each to `f`.
    pub fn for_each(&self, mut f: impl FnMut(&Student<'_>) -> Result<()>) -> Result<()> {
        for part in 0..self.parts.len() {
            self.for_each_in(part, &mut f)?;
        }
        Ok(())
    }

    /// Decide every student of part `part`, in order, and hand each to `f`.
    pub fn for_each_in(
        &self,
        part: usize,
        mut f: impl FnMut(&Student<'_>) -> Result<()>,
    ) -> Result<()> {
        let p = self.parts[part];
        let map = &self.maps[p.input];
        let only = self.only[p.input].as_ref();
        let mut file = open_part(&self.inputs, &self.layouts, p)?;
        let mut row = Row::default();
        let mut redacted = ByteRecord::new();
        let mut index = 0u64;
        while file.read_row()? {
            let this = index;
            index += 1;
            // The same test as the section pass: the same rows are left out.
            if only.is_some_and(|o| o.first_failing(&file.record).is_some())
                || self.selector.is_skipped_in(part, this)
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
            let redact_column = self.redact.then_some(map.name);
            let recodes = map.recode.iter().any(|(c, _)| {
                map.recoded(*c, file.record.get(*c).unwrap_or_default())
                    .is_some()
            });
            let record = if redact_column.is_some() || !row.unread.is_empty() || recodes {
                rewrite(&file.record, map, redact_column, &row.unread, &mut redacted);
                &redacted
            } else {
                &file.record
            };
            let unread: Vec<String> = row
                .unread
                .iter()
                .map(|&c| map.header.get(c).cloned().unwrap_or_default())
                .collect();
            let section_name = map.text(record, map.section);
            let (true, Some(section)) = (readable, self.sections.get(section_name)) else {
                return Err(changed(&file.name));
            };
            let stats = &self.sections.list[section];
            let quantities = Quantities::default();
            let env = Env {
                quantities: &quantities,
                record,
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
            let id = map.text(record, Some(map.id));
            let name = map.text(record, map.name);
            let decision = self.program.decide(&env);
            let no_row = self.unmatched(&decision, &env, id, &file.name, line)?;
            let student = Student {
                decision,
                env,
                section,
                id,
                name: if name.is_empty() { id } else { name },
                record,
                file: &file.name,
                line,
                unread,
                no_row,
            };
            f(&student)?;
        }
        Ok(())
    }
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
                        "no-table-row",
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

/// `record` into `out`, with the name in `redact` reduced to initials and
/// an id that is an e-mail address redacted ([`crate::plan::redact_id`]),
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
            out.push_field(crate::plan::initials(&String::from_utf8_lossy(field)).as_bytes());
        } else if redact.is_some() && i == map.id {
            out.push_field(crate::plan::redact_id(&String::from_utf8_lossy(field)).as_bytes());
        } else {
            out.push_field(field);
        }
    }
    out.set_position(record.position().cloned());
}

/// The `--duplicates last` pass: mark every row replaced by a later row for
/// the same student, and report each.
fn replace_earlier_rows(
    inputs: &[Input],
    maps: &[ColumnMap],
    only: &[Option<Only>],
    names: &[String],
    selector: &mut Selector,
    set_aside: &mut SetAside,
) -> Result<()> {
    let mut index = 0u64;
    for (file_index, ((input, map), only)) in inputs.iter().zip(maps).zip(only).enumerate() {
        let file_index = u32::try_from(file_index).unwrap_or(u32::MAX);
        let mut file = input.csv()?;
        while file.read_row()? {
            // A row `--only` leaves out replaces no other.
            if only
                .as_ref()
                .is_some_and(|o| o.first_failing(&file.record).is_some())
            {
                index += 1;
                continue;
            }
            let id = map.text(&file.record, Some(map.id));
            if !id.is_empty()
                && let Some((earlier_file, earlier_line)) =
                    selector.keep_last(id, index, file_index, file.line())
            {
                let id = String::from_utf8_lossy(id);
                let at = if earlier_file == file_index {
                    format!("line {}", file.line())
                } else {
                    format!("{} line {}", file.name, file.line())
                };
                set_aside.problems.push(
                    Diagnostic::warning(
                        "replaced-row",
                        format!(
                            "student `{id}` has a later row (on {at}), which replaces this one"
                        ),
                    )
                    .at(Location::line(&names[earlier_file as usize], earlier_line)),
                );
                set_aside.rows += 1;
                set_aside.replaced += 1;
            }
            index += 1;
        }
    }
    selector.forget_ids();
    Ok(())
}

/// `error`, with advice on each problem that shows its file is not an
/// export tierplan knows.
fn advised(rules: &Rules, inputs: &[Input], error: Error) -> Error {
    let Error::Problems(problems) = error else {
        return error;
    };
    let advise = |d: Diagnostic| {
        let file = d.location.as_ref().map(|l| l.file.clone());
        match inputs.iter().find(|i| Some(&i.name) == file.as_ref()) {
            Some(input) => unknown::advise(rules, input, d),
            None => d,
        }
    };
    Error::Problems(problems.into_iter().map(advise).collect())
}

/// The error when `--only` left out every row of `input`: the test that
/// left out the last rows, and the values its column had in them (read
/// again, since the passes keep no rows).
fn nothing_selected(input: &Input, only: &Only, name: &str) -> Error {
    let mut file = match input.csv() {
        Ok(file) => file,
        Err(e) => return e,
    };
    // Tests apply in order, so the one that emptied the file is the last
    // any row reached: the highest first-failing test. A few of each test's
    // values are enough for the message.
    let mut values: Vec<Vec<String>> = vec![Vec::new(); only.len()];
    let mut last = 0;
    loop {
        match file.read_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return e,
        }
        if let Some(test) = only.first_failing(&file.record) {
            last = last.max(test);
            let value = only.cell(test, &file.record);
            let seen = &mut values[test];
            if !value.is_empty() && seen.len() < 20 && !seen.contains(&value) {
                seen.push(value);
            }
        }
    }
    let values = std::mem::take(&mut values[last]);
    only.nothing_selected(last, name, &values)
}

/// The warning for a UTF-8 file with a byte that is not UTF-8 on `line`.
fn not_utf8(file: &str, line: u64) -> Diagnostic {
    Diagnostic::warning(
        "not-utf8",
        "this line has a byte that is not UTF-8; it was read as Windows-1252, as was any later one",
    )
    .at(Location::line(file, line))
    .help("check the names on this line; save the file as UTF-8 (Excel: \"CSV UTF-8\") to be sure")
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
