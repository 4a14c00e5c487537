//! The students the section pass read, kept for the decide pass so that no
//! row is parsed twice: for each student, only the cells the rules' fields
//! read (as the decide pass would see them: recoded, redacted, with the
//! cells `--lenient` set aside empty), their numbers and scores, their line
//! and their section. A score that is a whole number up to 65,533 takes two
//! bytes; any other value is kept exactly, in eight.
//!
//! Memory is bounded by a [`Budget`] shared by the reading threads: once the
//! kept students would pass it, every thread drops what it kept and the
//! decide pass reads the file again, as it does with `--memory 0`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use csv::ByteRecord;

use crate::ingest::{ColumnMap, Row};

/// The memory the kept students may take when `--memory` is not given.
pub(crate) const DEFAULT_MEMORY: u64 = 2 << 30;

/// No value: the cell was empty or missing.
const MISSING: u16 = u16::MAX;
/// The value is the next one in [`Records::exact`].
const EXACT: u16 = u16::MAX - 1;

/// Bytes of kept students a thread adds up before it tells the others.
const REPORT_EVERY: u64 = 1 << 16;

/// The cells of a record the rules read, and where each field is among them.
#[derive(Debug, Clone)]
pub(crate) struct Projection {
    /// The record's columns kept, in order.
    columns: Vec<usize>,
    /// For each field slot of the rules, its cell among the kept ones.
    pub(crate) field_columns: Vec<Option<usize>>,
    /// The kept cells of the id and the name.
    pub(crate) id: usize,
    pub(crate) name: Option<usize>,
}

impl Projection {
    /// The cells of `map`'s fields (the id, name and section among them).
    pub(crate) fn of(map: &ColumnMap) -> Projection {
        let mut columns: Vec<usize> = map.field_columns.iter().flatten().copied().collect();
        columns.extend([Some(map.id), map.name, map.section].into_iter().flatten());
        columns.sort_unstable();
        columns.dedup();
        let kept = |c: usize| columns.binary_search(&c).ok();
        Projection {
            field_columns: map.field_columns.iter().map(|c| c.and_then(kept)).collect(),
            id: kept(map.id).unwrap_or(0),
            name: map.name.and_then(kept),
            columns,
        }
    }
}

/// The memory every thread's kept students share.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: AtomicU64,
    over: AtomicBool,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: AtomicU64::new(0),
            over: AtomicBool::new(limit == 0),
        }
    }

    /// Whether the kept students passed the budget: then none are kept.
    pub(crate) fn is_over(&self) -> bool {
        self.over.load(Ordering::Relaxed)
    }

    fn take(&self, bytes: u64) {
        let used = self.used.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if used > self.limit {
            self.over.store(true, Ordering::Relaxed);
        }
    }
}

/// Where one kept student was and which section they are in.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// The row's number in its chunk, counting every row read.
    row: u32,
    /// The line the section pass saw it on.
    line: u32,
    section: u32,
}

/// The students one chunk's section pass kept, in input order.
#[derive(Debug, Default)]
pub(crate) struct Records {
    width: usize,
    numbers: usize,
    scores: usize,
    cells: Vec<u8>,
    /// Where each kept cell ends in `cells`, `width` a student.
    ends: Vec<u32>,
    /// `numbers + scores` values a student, coded (see [`code`]).
    codes: Vec<u16>,
    /// The values no code holds, in order.
    exact: Vec<f64>,
    places: Vec<Place>,
    /// The students with cells `--lenient` set aside: (student, columns).
    unread: Vec<(u32, Vec<usize>)>,
    /// Bytes already taken from the budget.
    taken: u64,
}

impl Records {
    /// Keep one student: `record` as the decide pass reads it, `row` as
    /// loaded, `at` their (row in the chunk, line). False when the student
    /// does not fit (the budget is spent, or a count passes what the compact
    /// form holds): then these records are incomplete, to be dropped.
    pub(crate) fn keep(
        &mut self,
        projection: &Projection,
        record: &ByteRecord,
        row: &Row,
        at: (u64, u64),
        section: usize,
        budget: &Budget,
    ) -> bool {
        if self.places.is_empty() {
            self.width = projection.columns.len();
            self.numbers = row.numbers.len();
            self.scores = row.scores.len();
        }
        let (Ok(index), Ok(line), Ok(section)) = (
            u32::try_from(at.0),
            u32::try_from(at.1),
            u32::try_from(section),
        ) else {
            return false;
        };
        let fits = row.numbers.len() == self.numbers
            && row.scores.len() == self.scores
            && u32::try_from(self.places.len()).is_ok();
        if !fits || budget.is_over() {
            return false;
        }
        for &c in &projection.columns {
            self.cells
                .extend_from_slice(record.get(c).unwrap_or_default());
            let Ok(end) = u32::try_from(self.cells.len()) else {
                return false;
            };
            self.ends.push(end);
        }
        for value in row.numbers.iter().chain(&row.scores) {
            self.codes.push(code(*value, &mut self.exact));
        }
        if !row.unread.is_empty() {
            let student = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
            self.unread.push((student, row.unread.clone()));
        }
        self.places.push(Place {
            row: index,
            line,
            section,
        });
        let bytes = self.bytes();
        if bytes - self.taken >= REPORT_EVERY {
            budget.take(bytes - self.taken);
            self.taken = bytes;
        }
        true
    }

    fn bytes(&self) -> u64 {
        (self.cells.len()
            + self.ends.len() * 4
            + self.codes.len() * 2
            + self.exact.len() * 8
            + self.places.len() * std::mem::size_of::<Place>()) as u64
    }

    /// Section numbers after the parts' sections were merged (`to`, from
    /// [`crate::engine::Sections::absorb`]).
    pub(crate) fn renumber_sections(&mut self, to: &[usize]) {
        for place in &mut self.places {
            let merged = to.get(place.section as usize).copied().unwrap_or(0);
            place.section = u32::try_from(merged).unwrap_or(u32::MAX);
        }
    }

    /// Each kept student in order, read into `record` and `row`.
    pub(crate) fn each(&self) -> Kept<'_> {
        Kept {
            records: self,
            next: 0,
            exact: 0,
            unread: 0,
        }
    }
}

/// One kept student's row number in its chunk, line and section.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    pub(crate) row: u64,
    pub(crate) line: u64,
    pub(crate) section: usize,
}

/// A walk over the kept students (see [`Records::each`]).
pub(crate) struct Kept<'a> {
    records: &'a Records,
    next: usize,
    exact: usize,
    unread: usize,
}

impl Kept<'_> {
    /// The next student into `record` and `row`; `None` after the last.
    pub(crate) fn next_into(&mut self, record: &mut ByteRecord, row: &mut Row) -> Option<Seen> {
        let r = self.records;
        let place = r.places.get(self.next)?;
        let student = self.next;
        self.next += 1;
        record.clear();
        let ends = &r.ends[student * r.width..(student + 1) * r.width];
        let mut start = if student == 0 {
            0
        } else {
            r.ends[student * r.width - 1] as usize
        };
        for &end in ends {
            record.push_field(&r.cells[start..end as usize]);
            start = end as usize;
        }
        let values = r.numbers + r.scores;
        let codes = &r.codes[student * values..(student + 1) * values];
        let mut value = |c: u16| match c {
            MISSING => None,
            EXACT => {
                self.exact += 1;
                r.exact.get(self.exact - 1).copied()
            }
            k => Some(f64::from(k)),
        };
        row.numbers.clear();
        row.numbers
            .extend(codes[..r.numbers].iter().map(|&c| value(c)));
        row.scores.clear();
        row.scores
            .extend(codes[r.numbers..].iter().map(|&c| value(c)));
        row.unread.clear();
        if let Some((s, columns)) = r.unread.get(self.unread)
            && *s as usize == student
        {
            row.unread.extend_from_slice(columns);
            self.unread += 1;
        }
        Some(Seen {
            row: u64::from(place.row),
            line: u64::from(place.line),
            section: place.section as usize,
        })
    }
}

/// `value` in two bytes when it is a whole number that fits, else
/// [`EXACT`] with the value pushed onto `exact`.
fn code(value: Option<f64>, exact: &mut Vec<f64>) -> u16 {
    let Some(v) = value else {
        return MISSING;
    };
    // `as` saturates; the bits tell whether the value came back whole
    // (so -0.0 and 0.5 are kept exactly).
    let k = v as u16;
    if k < EXACT && f64::from(k).to_bits() == v.to_bits() {
        k
    } else {
        exact.push(v);
        EXACT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_comes_back_exactly() {
        let values = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(80.0),
            Some(92.5),
            Some(65_533.0),
            Some(65_534.0),
            Some(1e300),
            Some(-3.0),
            Some(f64::NAN),
        ];
        let mut exact = Vec::new();
        let codes: Vec<u16> = values.iter().map(|v| code(*v, &mut exact)).collect();
        let mut next = exact.iter();
        for (value, c) in values.iter().zip(codes) {
            let back = match c {
                MISSING => None,
                EXACT => next.next().copied(),
                k => Some(f64::from(k)),
            };
            assert_eq!(back.map(f64::to_bits), value.map(f64::to_bits), "{value:?}");
        }
        assert_eq!(
            exact.len(),
            6,
            "-0, 92.5, 65534, 1e300, -3 and NaN need eight bytes"
        );
    }
}
