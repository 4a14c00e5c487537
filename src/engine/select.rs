//! Which rows are students: one row per student id, and no row dropped
//! without a word.
//!
//! A second row with an id already seen is a duplicate. By default that is an
//! error (naming both lines, and both sections when they differ); with
//! `--duplicates last` the last row wins (a resubmitted form), with `first`
//! the first. Rows set aside, by the duplicate rule or by `--lenient`, are
//! marked in a bitset so that both passes skip exactly the same rows, and
//! are counted and reported.
//!
//! Ids are kept as 64-bit hashes (16 bytes a student rather than the id
//! itself), so memory stays small at millions of rows. Two different ids
//! share a hash with a probability of about 3 in 100 million for a million
//! students; the message then names both lines, so it can be checked.

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use super::Sections;
use crate::diagnostic::{Code, Diagnostic, Location, count};
use crate::hash::hash_bytes;

/// What to do with a second row for a student id already seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Duplicates {
    /// Stop with an error naming both rows.
    #[default]
    Error,
    /// Keep the first row, set the others aside and report them.
    First,
    /// Keep the last row (a form submitted again), and report the others.
    Last,
}

/// Rows left out of the plan, and why.
#[derive(Debug, Default)]
pub struct SetAside {
    /// Rows that are not in the plan: unreadable (with `--lenient`) or
    /// replaced by another row for the same student.
    pub rows: u64,
    /// Cells left empty because they could not be read (`--lenient`).
    pub cells: u64,
    /// Rows replaced by a later (or earlier) row for the same student.
    pub replaced: u64,
    /// Every problem, with its place.
    pub problems: Vec<Diagnostic>,
}

impl SetAside {
    /// Add what another part set aside, after this one's.
    pub fn absorb(&mut self, other: SetAside) {
        self.rows += other.rows;
        self.cells += other.cells;
        self.replaced += other.replaced;
        self.problems.extend(other.problems);
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0 && self.cells == 0
    }

    /// One sentence for the plan: what was set aside.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.replaced > 0 {
            parts.push(format!(
                "{} replaced by another row for the same student",
                count(self.replaced as usize, "row")
            ));
        }
        let unreadable = self.rows - self.replaced;
        if unreadable > 0 {
            parts.push(format!(
                "{} that could not be read left out",
                count(unreadable as usize, "row")
            ));
        }
        if self.cells > 0 {
            parts.push(format!(
                "{} that could not be read left empty",
                count(self.cells as usize, "cell")
            ));
        }
        format!("Set aside: {}.", parts.join("; "))
    }
}

/// Where a student's row was first seen: 16 bytes, as there is one per
/// student (rows and lines past 4 billion are clamped, in messages only).
#[derive(Debug, Clone, Copy)]
struct Seen {
    row: u32,
    line: u32,
    section: u32,
    file: u16,
}

/// One id in [`Ids`]: where its bytes are, and where it was seen.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u64,
    len: u32,
    seen: Seen,
}

/// The ids seen so far, each kept whole: 32 bytes a student plus the id.
#[derive(Default)]
struct Ids {
    table: HashTable<Slot>,
    bytes: Vec<u8>,
}

fn id_of<'b>(bytes: &'b [u8], slot: &Slot) -> &'b [u8] {
    let start = usize::try_from(slot.start).unwrap_or(usize::MAX);
    &bytes[start..start + slot.len as usize]
}

impl Ids {
    fn get(&self, id: &[u8]) -> Option<Seen> {
        let bytes = &self.bytes;
        self.table
            .find(hash_bytes(id), |slot| id_of(bytes, slot) == id)
            .map(|slot| slot.seen)
    }

    /// Record `id` as seen where `new` says, unless it already was: then the
    /// earlier record, which `new` replaces when `replace` is set.
    fn insert(&mut self, id: &[u8], new: impl FnOnce() -> Seen, replace: bool) -> Option<Seen> {
        let Ids { table, bytes } = self;
        let entry = table.entry(
            hash_bytes(id),
            |slot| id_of(bytes, slot) == id,
            |slot| hash_bytes(id_of(bytes, slot)),
        );
        match entry {
            Entry::Occupied(mut first) => {
                let earlier = first.get().seen;
                if replace {
                    first.get_mut().seen = new();
                }
                Some(earlier)
            }
            Entry::Vacant(vacant) => {
                // An id is one cell of a row, and rows are bounded (1 MiB).
                let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
                let start = bytes.len() as u64;
                bytes.extend_from_slice(id);
                vacant.insert(Slot {
                    start,
                    len,
                    seen: new(),
                });
                None
            }
        }
    }

    fn ids(&self) -> impl Iterator<Item = &[u8]> {
        self.table.iter().map(|slot| id_of(&self.bytes, slot))
    }
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The ids seen so far and the rows to skip.
#[derive(Default)]
pub(crate) struct Selector {
    seen: Ids,
    /// Bit `i` set: data row `i` (counted from the first row the selector
    /// saw) is not a student.
    skip: Vec<u64>,
    /// How the parts of the run find their rows in `skip`.
    numbering: Numbering,
}

/// Where a part's rows are in the skipped rows.
#[derive(Default)]
enum Numbering {
    /// One pass over every part: part `p`'s rows start at `offsets[p]`.
    #[default]
    Running,
    Offsets(Vec<u64>),
    /// Each part read on its own thread, with its own rows.
    PerPart(Vec<Vec<u64>>),
}

fn set(bits: &mut Vec<u64>, row: u64) {
    let word = usize::try_from(row / 64).unwrap_or(usize::MAX);
    if bits.len() <= word {
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1 << (row % 64);
}

fn get(bits: &[u64], row: u64) -> bool {
    let word = usize::try_from(row / 64).unwrap_or(usize::MAX);
    bits.get(word).is_some_and(|w| w & (1 << (row % 64)) != 0)
}

impl Selector {
    pub(crate) fn skip(&mut self, row: u64) {
        set(&mut self.skip, row);
    }

    pub(crate) fn is_skipped(&self, row: u64) -> bool {
        get(&self.skip, row)
    }

    /// Whether row `row` of part `part` is not a student.
    pub(crate) fn is_skipped_in(&self, part: usize, row: u64) -> bool {
        match &self.numbering {
            Numbering::Running => self.is_skipped(row),
            Numbering::Offsets(offsets) => {
                self.is_skipped(offsets.get(part).copied().unwrap_or(0) + row)
            }
            Numbering::PerPart(bits) => bits.get(part).is_some_and(|b| get(b, row)),
        }
    }

    /// After one pass over parts of `rows` rows each: where each starts.
    pub(crate) fn number_parts(&mut self, rows: &[u64]) {
        let offsets = rows
            .iter()
            .scan(0u64, |total, &n| {
                let start = *total;
                *total += n;
                Some(start)
            })
            .collect();
        self.numbering = Numbering::Offsets(offsets);
    }

    /// A selector for parts read on their own threads, from theirs (their
    /// ids are no longer needed).
    pub(crate) fn of_parts(parts: Vec<Selector>) -> Selector {
        Selector {
            numbering: Numbering::PerPart(parts.into_iter().map(|s| s.skip).collect()),
            ..Selector::default()
        }
    }

    /// Whether no id was seen by two of `parts` (a student in two parts of
    /// a file): each part's ids are looked up in the parts before it, so no
    /// map of every id is built.
    pub(crate) fn disjoint(parts: &[Selector]) -> bool {
        parts.iter().enumerate().all(|(i, later)| {
            later.seen.ids().all(|id| {
                parts[..i]
                    .iter()
                    .all(|earlier| earlier.seen.get(id).is_none())
            })
        })
    }

    /// Record the row of `id` for `--duplicates last`: a later row replaces an
    /// earlier one, which is skipped. Returns the replaced row's file and line.
    pub(crate) fn keep_last(
        &mut self,
        id: &[u8],
        row: u64,
        file: u32,
        line: u64,
    ) -> Option<(u32, u64)> {
        let entry = Seen {
            row: small(row),
            file: u16::try_from(file).unwrap_or(u16::MAX),
            line: small(line),
            section: 0,
        };
        let earlier = self.seen.insert(id, || entry, true)?;
        self.skip(u64::from(earlier.row));
        Some((u32::from(earlier.file), u64::from(earlier.line)))
    }

    /// Forget the ids (after the `keep_last` pass), keeping the skipped rows.
    pub(crate) fn forget_ids(&mut self) {
        self.seen = Ids::default();
    }

    /// The section of a row whose id is new; `Err` describes a duplicate
    /// (the same section, or two sections).
    pub(crate) fn first_sight(
        &mut self,
        id: &[u8],
        at: (u32, u64, u64),
        section_name: &[u8],
        sections: &mut Sections,
        files: &[String],
    ) -> Result<usize, Diagnostic> {
        let (file, row, line) = at;
        let mut section = 0;
        let new = || {
            section = sections.index_of(section_name);
            Seen {
                row: small(row),
                file: u16::try_from(file).unwrap_or(u16::MAX),
                line: small(line),
                section: u32::try_from(section).unwrap_or(u32::MAX),
            }
        };
        let Some(first) = self.seen.insert(id, new, false) else {
            return Ok(section);
        };
        let id = String::from_utf8_lossy(id);
        let first_at = if u32::from(first.file) == file {
            format!("line {}", first.line)
        } else {
            format!("{} line {}", files[usize::from(first.file)], first.line)
        };
        let first_section = &sections.list[first.section as usize];
        let message = if *first_section.name == *section_name {
            format!("student `{id}` appears twice (also on {first_at})")
        } else {
            format!(
                "student `{id}` is in two sections, `{}` (on {first_at}) and `{}`",
                first_section.display_name(),
                String::from_utf8_lossy(section_name)
            )
        };
        Err(Diagnostic::error(Code::DuplicateStudent, message)
            .at(Location::line(&files[file as usize], line))
            .help("each student needs one row: remove or merge the extra row, or use `--duplicates last` (or `first`) to keep one"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_rows_are_remembered_across_words() {
        let mut s = Selector::default();
        for row in [0, 63, 64, 1000] {
            s.skip(row);
        }
        for row in [0, 63, 64, 1000] {
            assert!(s.is_skipped(row));
        }
        assert!(!s.is_skipped(1) && !s.is_skipped(65) && !s.is_skipped(5000));
    }

    #[test]
    fn the_last_row_of_an_id_is_kept() {
        let mut s = Selector::default();
        assert_eq!(s.keep_last(b"S1", 0, 0, 2), None);
        assert_eq!(s.keep_last(b"S2", 1, 0, 3), None);
        assert_eq!(s.keep_last(b"S1", 2, 0, 4), Some((0, 2)));
        assert!(s.is_skipped(0) && !s.is_skipped(1) && !s.is_skipped(2));
    }

    /// Districts' id shapes: zero-padded school ids, 9- and 10-digit SIS
    /// numbers counted up from a start, e-mail addresses, and any bytes.
    fn ids() -> impl proptest::strategy::Strategy<Value = Vec<Vec<u8>>> {
        use proptest::prelude::*;
        let counted = |shape: fn(u64) -> String| {
            (0u64..9_000_000_000, 1usize..3_000).prop_map(move |(start, n)| {
                (start..start + n as u64)
                    .map(|i| shape(i).into_bytes())
                    .collect()
            })
        };
        prop_oneof![
            counted(|i| format!("S{:08}", i % 100_000_000)),
            counted(|i| format!("{}", 100_000_000 + i % 900_000_000)),
            counted(|i| format!("{}", 1_000_000_000 + i)),
            counted(|i| format!("student{i}@district.k12.example.us")),
            proptest::collection::hash_set(proptest::collection::vec(any::<u8>(), 0..24), 1..500)
                .prop_map(|set| set.into_iter().collect()),
        ]
    }

    fn sight(s: &mut Selector, sections: &mut Sections, id: &[u8], row: u64) -> bool {
        let files = ["class.csv".to_owned()];
        s.first_sight(id, (0, row, row + 2), b"5A", sections, &files)
            .is_ok()
    }

    proptest::proptest! {
        /// See: issue 10 (`100000019` and `100000094` were one student).
        #[test]
        fn different_ids_are_never_one_student(ids in ids(), again in 0usize..3_000) {
            let mut s = Selector::default();
            let mut sections = Sections::new(0, 80.0);
            for (row, id) in ids.iter().enumerate() {
                proptest::prop_assert!(sight(&mut s, &mut sections, id, row as u64));
            }
            let repeated = &ids[again % ids.len()];
            proptest::prop_assert!(!sight(&mut s, &mut sections, repeated, ids.len() as u64));

            // The same ids split into parts read on their own threads.
            let parts: Vec<Selector> = ids
                .chunks(ids.len().div_ceil(3))
                .map(|chunk| {
                    let mut part = Selector::default();
                    for (row, id) in chunk.iter().enumerate() {
                        sight(&mut part, &mut Sections::new(0, 80.0), id, row as u64);
                    }
                    part
                })
                .collect();
            proptest::prop_assert!(Selector::disjoint(&parts));
            let mut last = Selector::default();
            for (row, id) in ids.iter().enumerate() {
                proptest::prop_assert_eq!(last.keep_last(id, row as u64, 0, row as u64 + 2), None);
            }
        }
    }

    #[test]
    fn ids_whose_hashes_once_met_stay_two_students() {
        let mut s = Selector::default();
        let mut sections = Sections::new(0, 80.0);
        assert!(sight(&mut s, &mut sections, b"100000019", 0));
        assert!(sight(&mut s, &mut sections, b"100000094", 1));
        assert!(!sight(&mut s, &mut sections, b"100000019", 2));
    }
}
