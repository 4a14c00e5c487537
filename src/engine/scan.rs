//! The section pass: every row read once, on a few threads when the input
//! is cut into chunks, for the sections and their statistics, the rows
//! `--only` and `--duplicates` leave out and the count of rows; then the
//! checks on what it found (an input with no students, `--only` that kept
//! none, a byte that is not UTF-8). Nothing is decided here.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::engine::problems::{advised, not_utf8, nothing_selected};
use crate::engine::records::{Budget, Projection, Records};
use crate::engine::select::Selector;
use crate::engine::threads::{MAX_THREADS, bounded};
use crate::engine::{
    Chunk, Duplicates, ReadOptions, Sections, SetAside, as_decided, open_chunk, plan_chunks,
};
use crate::error::{Error, Result};
use crate::ingest::columns::Problems;
use crate::ingest::only::Only;
use crate::ingest::reader::Layout;
use crate::ingest::{ColumnMap, CsvFile, Input, Recognition, Row};
use crate::rules::Rules;
use crate::rules::program::Program;

/// What the section pass found in some chunks.
pub(super) struct Scan {
    pub(super) sections: Sections,
    pub(super) selector: Selector,
    pub(super) set_aside: SetAside,
    pub(super) students: u64,
    /// Rows read in each chunk.
    pub(super) rows: Vec<u64>,
    /// Lines read in each chunk (the header's too, in a file's first).
    pub(super) lines: Vec<u64>,
    /// For each input chunk with a byte that is not UTF-8: the input and
    /// where the first such byte is.
    pub(super) foreign: Vec<(usize, u64)>,
    /// For each input, the rows each `--only` test left out.
    pub(super) left: Vec<Vec<u64>>,
    /// A chunk ended inside a quoted field: the cut after it was not
    /// between rows ([`Input::ranges`]).
    pub(super) miscut: bool,
    /// The students of each chunk kept for the decide pass, while they fit.
    pub(super) records: Vec<Option<Records>>,
}

/// Everything the section pass reads, shared by its threads.
pub(super) struct Pass<'a> {
    pub(super) rules: &'a Rules,
    pub(super) inputs: &'a [Input],
    pub(super) layouts: &'a [Layout],
    pub(super) maps: &'a [ColumnMap],
    pub(super) program: &'a Program,
    pub(super) names: &'a [String],
    pub(super) skills: usize,
    pub(super) options: &'a ReadOptions,
    pub(super) only: &'a [Option<Only>],
    pub(super) projections: &'a [Projection],
}

impl Pass<'_> {
    fn open(&self, chunk: Chunk) -> Result<CsvFile> {
        open_chunk(self.inputs, self.layouts, chunk)
    }

    /// The section pass over `chunks`, in order, with one selector whose row
    /// numbers run on from chunk to chunk (`selector` may already hold the rows
    /// `--duplicates last` replaced). It keeps each chunk's students while
    /// they fit in `budget`.
    fn scan(&self, chunks: &[Chunk], mut selector: Selector, budget: &Budget) -> Result<Scan> {
        let options = self.options;
        let mut sections = Sections::new(self.skills, self.rules.mastery);
        let mut set_aside = SetAside::default();
        let mut row = Row::default();
        let (mut students, mut index) = (0, 0u64);
        let mut rows = Vec::with_capacity(chunks.len());
        let mut lines = Vec::with_capacity(chunks.len());
        let mut foreign = Vec::new();
        let mut left = no_rows_left(self.only);
        let mut miscut = false;
        let mut records = Vec::with_capacity(chunks.len());
        let mut scratch = csv::ByteRecord::new();
        for chunk in chunks {
            let mut file = self.open(*chunk)?;
            let first = index;
            let mut kept = (!budget.is_over()).then(Records::default);
            let map = &self.maps[chunk.input];
            let only = self.only[chunk.input].as_ref();
            let file_index = u32::try_from(chunk.input).unwrap_or(u32::MAX);
            let span = (chunk.range.end.min(self.inputs[chunk.input].size()))
                .saturating_sub(chunk.range.start);
            while file.read_row()? {
                let this = index;
                index += 1;
                if file.rows() == SAMPLE {
                    selector.reserve(expected_rows(span, file.bytes(), SAMPLE));
                }
                if let Some(test) = only.and_then(|o| o.first_failing(&file.record)) {
                    left[chunk.input][test] += 1;
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
                // Under `--duplicates last` the rows replaced are skipped
                // already, so no duplicate is left to find.
                let section =
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
                    };
                sections.add(section, &row.scores);
                students += 1;
                if let Some(records) = &mut kept {
                    let redact = options.redact;
                    let record = as_decided(&file.record, map, redact, &row.unread, &mut scratch);
                    let projection = &self.projections[chunk.input];
                    let at = (this - first, line);
                    if !records.keep(projection, record, &row, at, section, budget) {
                        kept = None;
                    }
                }
            }
            records.push(kept);
            rows.push(file.rows());
            lines.push(file.lines_read());
            miscut |= chunk.range.end != u64::MAX && !file.ends_on_row_end();
            foreign.extend(
                file.first_foreign_byte()
                    .map(|offset| (chunk.input, offset)),
            );
        }
        Ok(Scan {
            sections,
            selector,
            set_aside,
            students,
            rows,
            lines,
            foreign,
            left,
            miscut,
            records,
        })
    }
}

/// Rows read before the rest of a chunk's rows are estimated.
const SAMPLE: u64 = 4096;

/// The rows still to come in a chunk of `span` bytes whose first `rows`
/// took `read` bytes (a tenth more, for rows longer than the first), so
/// the table of ids grows once instead of doubling as it fills.
fn expected_rows(span: u64, read: u64, rows: u64) -> usize {
    let left = span.saturating_sub(read);
    let per_row = (read / rows.max(1)).max(1);
    usize::try_from(left / per_row + left / per_row / 10).unwrap_or(0)
}

/// A count of rows left out for each `--only` test of each input, all zero.
fn no_rows_left(only: &[Option<Only>]) -> Vec<Vec<u64>> {
    only.iter()
        .map(|o| vec![0; o.as_ref().map_or(0, Only::len)])
        .collect()
}

/// The chunks on a few threads (see [`bounded`]); `None` when a student appears twice in
/// the same section, which only a pass over the chunks in order can report as the rules say
/// (and set aside as `--duplicates first` and `--lenient` say), when a chunk has a
/// problem (a duplicate before it, which the chunks do not look for, would be the run's),
/// or when a cut fell inside a quoted field. A chunk after a file's first is read before
/// its first line is known: the lines of the chunks before it place it, in its messages
/// and in `chunks` for the decide pass.
fn scan_in_parallel(pass: &Pass<'_>, chunks: &mut [Chunk], budget: &Budget) -> Option<Scan> {
    let scans: Vec<Result<Scan>> = bounded(chunks.len(), |i| {
        let mut scan = pass.scan(
            std::slice::from_ref(&chunks[i]),
            Selector::for_part(),
            budget,
        )?;
        scan.selector.settle();
        Ok(scan)
    })
    .into_iter()
    .map(|scan| scan.unwrap_or_else(|| Err(Error::internal("a reading thread failed"))))
    .collect();
    let mut scans = scans.into_iter().collect::<Result<Vec<_>>>().ok()?;
    if scans.iter().any(|scan| scan.miscut) {
        return None;
    }
    let mut before = 0;
    for (chunk, scan) in chunks.iter_mut().zip(&mut scans) {
        if chunk.range.start == 0 {
            before = 0;
        } else {
            chunk.range.first_line = before + 1;
            for problem in &mut scan.set_aside.problems {
                problem.move_lines(before);
            }
        }
        before += scan.lines.iter().sum::<u64>();
    }
    let mut merged = Scan {
        sections: Sections::new(pass.skills, pass.rules.mastery),
        selector: Selector::default(),
        set_aside: SetAside::default(),
        students: 0,
        rows: Vec::new(),
        lines: Vec::new(),
        foreign: Vec::new(),
        left: no_rows_left(pass.only),
        miscut: false,
        records: Vec::new(),
    };
    let mut selectors = Vec::with_capacity(scans.len());
    for mut scan in scans {
        let to = merged.sections.absorb(scan.sections);
        scan.selector.renumber_sections(&to);
        for records in scan.records.iter_mut().flatten() {
            records.renumber_sections(&to);
        }
        merged.records.extend(scan.records);
        merged.set_aside.absorb(scan.set_aside);
        merged.students += scan.students;
        merged.rows.extend(scan.rows);
        merged.lines.extend(scan.lines);
        merged.foreign.extend(scan.foreign);
        for (sum, chunk) in merged.left.iter_mut().zip(scan.left) {
            for (sum, n) in sum.iter_mut().zip(chunk) {
                *sum += n;
            }
        }
        selectors.push(scan.selector);
    }
    merged.selector = Selector::of_parts(selectors)?;
    Some(merged)
}

/// `scan`, with no students kept if those of every chunk did not fit in
/// `budget` (the decide pass reads them all again, in bounded memory).
fn kept_if_all_fit(mut scan: Scan, budget: &Budget) -> Scan {
    if budget.is_over() {
        scan.records.iter_mut().for_each(|r| *r = None);
    }
    scan
}

/// The `--duplicates last` pass: mark every row replaced by a later row for
/// the same student in the same section, and report each.
fn replace_earlier_rows(
    inputs: &[Input],
    maps: &[ColumnMap],
    only: &[Option<Only>],
    names: &[String],
    selector: &mut Selector,
    set_aside: &mut SetAside,
) -> Result<()> {
    let mut index = 0u64;
    // Section numbers for the keys only: the section pass counts them.
    let mut sections = Sections::new(0, 0.0);
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
            let section = sections.index_of(map.text(&file.record, map.section));
            if !id.is_empty()
                && let Some((earlier_file, earlier_line)) =
                    selector.keep_last(id, section, index, file_index, file.line())
            {
                let id = String::from_utf8_lossy(id);
                let section = &sections.list[section];
                let within = if section.name.is_empty() {
                    String::new()
                } else {
                    format!(" in section `{}`", section.display_name())
                };
                let at = if earlier_file == file_index {
                    format!("line {}", file.line())
                } else {
                    format!("{} line {}", file.name, file.line())
                };
                set_aside.problems.push(
                    Diagnostic::warning(
                        Code::ReplacedRow,
                        format!(
                            "student `{id}` has a later row{within} (on {at}), which replaces this one"
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

impl Pass<'_> {
    /// The section pass: on a few threads when the inputs cut into more
    /// chunks than there are inputs; else, or when a student appears twice
    /// in a section, a chunk has a problem, a cut fell inside a quoted
    /// field, or under `--duplicates last`, in order, a chunk per input.
    pub(super) fn sections(&self) -> Result<(Vec<Chunk>, Scan)> {
        let (rules, inputs, options) = (self.rules, self.inputs, self.options);
        // `--duplicates last` needs a first pass over every row in order.
        let threads = match options.duplicates {
            Duplicates::Last => 1,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS)),
        };
        let mut chunks = plan_chunks(inputs, threads)?;
        let budget = Budget::new(options.memory);
        if chunks.len() > inputs.len()
            && let Some(scan) = scan_in_parallel(self, &mut chunks, &budget)
        {
            return Ok((chunks, kept_if_all_fit(scan, &budget)));
        }
        let chunks = plan_chunks(inputs, 1)?;
        let mut selector = Selector::default();
        let mut replaced = SetAside::default();
        if options.duplicates == Duplicates::Last {
            replace_earlier_rows(
                inputs,
                self.maps,
                self.only,
                self.names,
                &mut selector,
                &mut replaced,
            )?;
        }
        // What the parallel pass kept, if it ran, is dropped: a new budget.
        let budget = Budget::new(options.memory);
        let mut sequential = self
            .scan(&chunks, selector, &budget)
            .map_err(|e| advised(rules, inputs, e))?;
        replaced.absorb(sequential.set_aside);
        sequential.set_aside = replaced;
        sequential.selector.number_parts(&sequential.rows);
        Ok((chunks, kept_if_all_fit(sequential, &budget)))
    }

    /// What the section pass over `chunks` found, checked: every input has
    /// students, and `--only` kept some of each (its notes go to the
    /// input's `recognised`); a byte that is not UTF-8 is a warning.
    pub(super) fn check(
        &self,
        chunks: &[Chunk],
        scan: &mut Scan,
        recognised: &mut [Recognition],
    ) -> Result<()> {
        let (inputs, names) = (self.inputs, self.names);
        let mut rows_per_input = vec![0u64; inputs.len()];
        for (chunk, rows) in chunks.iter().zip(&scan.rows) {
            rows_per_input[chunk.input] += rows;
        }
        if let Some(input) = rows_per_input.iter().position(|&rows| rows == 0) {
            let name = &names[input];
            return Err(Error::problem(
                Diagnostic::error(
                    Code::NoStudents,
                    format!("`{name}` has a header but no students"),
                )
                .at(Location::file(name))
                .help("export the results again, with one row per student"),
            ));
        }
        for (input, test) in self.only.iter().enumerate() {
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
        Ok(())
    }
}
