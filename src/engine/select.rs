//! Which rows are students: one row per student and section, and no row
//! dropped without a word.
//!
//! A student is a (section, id) pair. The same id in two sections (a
//! gradebook export with a row per student per course) is the student in
//! each: planned once per section, counted once in each section's shares,
//! and the students in more than one section are counted
//! ([`Selector::in_several_sections`]) so every output can say so. A second
//! row with an id already seen in the same section is a duplicate. By
//! default that is an error naming both lines; with `--duplicates last` the
//! last row wins (a resubmitted form), with `first` the first. Rows set
//! aside, by the duplicate rule or by `--lenient`, are marked in a bitset so
//! that both passes skip exactly the same rows, and are counted and
//! reported.
//!
//! Ids are kept whole and compared exactly (see issue 10: two SIS numbers
//! once met in a 64-bit hash); the hash only finds the candidates.

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

/// Where a student's row was seen in one section: 16 bytes, as there is one
/// per student and section (rows and lines past 4 billion are clamped, in
/// messages only).
#[derive(Debug, Clone, Copy)]
struct Seen {
    row: u32,
    line: u32,
    section: u32,
    file: u16,
}

/// No further section in a chain of [`Ids::more`].
const NONE: u32 = u32::MAX;

/// One id in [`Ids`]: where its bytes are, where it was seen in its first
/// section, and where its other sections' rows are (`more`, or [`NONE`]).
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u64,
    len: u32,
    more: u32,
    seen: Seen,
}

/// The (section, id) pairs seen so far, each id kept whole once: 32 bytes a
/// student plus the id, and 20 more for each section past a student's
/// first. Ids are compared exactly; the hash only finds candidates.
#[derive(Default)]
struct Ids {
    table: HashTable<Slot>,
    bytes: Vec<u8>,
    /// The rows of students in more than one section, past their first
    /// section's: each with the next of the same student, or [`NONE`].
    more: Vec<(Seen, u32)>,
    /// How many ids are in more than one section.
    several: u64,
}

fn id_of<'b>(bytes: &'b [u8], slot: &Slot) -> &'b [u8] {
    id_at(bytes, slot.start, slot.len)
}

/// The `len` bytes of an id kept at `start` of `bytes`.
fn id_at(bytes: &[u8], start: u64, len: u32) -> &[u8] {
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    &bytes[start..start + len as usize]
}

impl Ids {
    /// Record `id` as seen in section `new.section` where `new` says, unless
    /// it already was in that section: then the earlier record, which `new`
    /// replaces when `replace` is set.
    fn insert(&mut self, id: &[u8], new: Seen, replace: bool) -> Option<Seen> {
        let Ids {
            table,
            bytes,
            more,
            several,
        } = self;
        let entry = table.entry(
            hash_bytes(id),
            |slot| id_of(bytes, slot) == id,
            |slot| hash_bytes(id_of(bytes, slot)),
        );
        let mut first = match entry {
            Entry::Occupied(first) => first,
            Entry::Vacant(vacant) => {
                // An id is one cell of a row, and rows are bounded (1 MiB).
                let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
                let start = bytes.len() as u64;
                bytes.extend_from_slice(id);
                vacant.insert(Slot {
                    start,
                    len,
                    more: NONE,
                    seen: new,
                });
                return None;
            }
        };
        let slot = first.get_mut();
        if slot.seen.section == new.section {
            let earlier = slot.seen;
            if replace {
                slot.seen = new;
            }
            return Some(earlier);
        }
        // Another section: walk this student's other sections.
        let (mut next, mut last) = (slot.more, None);
        while let Some((seen, after)) = more.get_mut(next as usize) {
            if seen.section == new.section {
                let earlier = *seen;
                if replace {
                    *seen = new;
                }
                return Some(earlier);
            }
            last = Some(next as usize);
            next = *after;
        }
        let index = u32::try_from(more.len()).unwrap_or(NONE);
        more.push((new, NONE));
        match last {
            Some(last) => more[last].1 = index,
            None => {
                slot.more = index;
                *several += 1;
            }
        }
        None
    }

    /// Section numbers changed by `to` (a part's sections, merged).
    fn renumber(&mut self, to: &[usize]) {
        let map = |seen: &mut Seen| {
            let merged = to.get(seen.section as usize).copied().unwrap_or(0);
            seen.section = u32::try_from(merged).unwrap_or(u32::MAX);
        };
        self.table.iter_mut().for_each(|slot| map(&mut slot.seen));
        self.more.iter_mut().for_each(|(seen, _)| map(seen));
    }
}

/// A (section, id) noted by a part of the input read on its own thread,
/// checked against every other part's once all are read
/// ([`Selector::of_parts`]): a push per row and a sort per part, where a
/// lookup per row in a table of every id would miss the caches more often
/// the larger the file. The hash only orders them; ids are compared exactly.
#[derive(Debug, Clone, Copy)]
struct Sighting {
    hash: u64,
    start: u64,
    len: u32,
    section: u32,
}

/// A part's sightings, sorted by hash once the part is read
/// ([`Selector::settle`]), and their ids' bytes.
#[derive(Default)]
struct Sightings {
    list: Vec<Sighting>,
    bytes: Vec<u8>,
}

impl Sightings {
    fn id(&self, s: &Sighting) -> &[u8] {
        id_at(&self.bytes, s.start, s.len)
    }
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The students seen so far and the rows to skip.
#[derive(Default)]
pub(crate) struct Selector {
    seen: Ids,
    /// Set for a part read on its own thread: rows are noted in
    /// `sightings`, not looked up in `seen`.
    parted: bool,
    sightings: Sightings,
    /// Bit `i` set: data row `i` (counted from the first row the selector
    /// saw) is not a student.
    skip: Vec<u64>,
    /// How the parts of the run find their rows in `skip`.
    numbering: Numbering,
    /// Students in more than one section, when the ids were merged from
    /// parts ([`Selector::of_parts`]) and are no longer held.
    several: u64,
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
    /// Room for `more` students (their ids, at the length of those so far).
    pub(crate) fn reserve(&mut self, more: usize) {
        if self.parted {
            let sightings = &mut self.sightings;
            let per_id = sightings.bytes.len() / sightings.list.len().max(1);
            sightings.list.reserve(more);
            sightings.bytes.reserve(more.saturating_mul(per_id));
            return;
        }
        let seen = &mut self.seen;
        let bytes = &seen.bytes;
        seen.table
            .reserve(more, |slot| hash_bytes(id_of(bytes, slot)));
        let per_id = bytes.len() / seen.table.len().max(1);
        seen.bytes.reserve(more.saturating_mul(per_id));
    }

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

    /// How many students (ids) are in more than one section: each is
    /// planned once per section.
    pub(crate) fn in_several_sections(&self) -> u64 {
        self.seen.several + self.several
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

    /// A part's section numbers made the merged ones: its section `i` is
    /// `to[i]` (what [`super::Sections::absorb`] returns).
    pub(crate) fn renumber_sections(&mut self, to: &[usize]) {
        self.seen.renumber(to);
        for s in &mut self.sightings.list {
            let merged = to.get(s.section as usize).copied().unwrap_or(0);
            s.section = u32::try_from(merged).unwrap_or(u32::MAX);
        }
    }

    /// A selector for a part of the input read on its own thread: it notes
    /// every (section, id) for [`Self::of_parts`] to check, and finds no
    /// duplicate itself.
    pub(crate) fn for_part() -> Selector {
        Selector {
            parted: true,
            ..Selector::default()
        }
    }

    /// A part read: its sightings in order of hash, sorted on its own thread.
    pub(crate) fn settle(&mut self) {
        self.sightings.list.sort_unstable_by_key(|s| s.hash);
    }

    /// A selector for parts read on their own threads ([`Self::for_part`],
    /// [`Self::settle`]), from theirs, or `None` when a student is in the
    /// same section twice (a duplicate, in one part or across two), which
    /// only a pass in order can report as the rules say. The parts'
    /// sections must be numbered alike ([`Self::renumber_sections`]).
    pub(crate) fn of_parts(parts: Vec<Selector>) -> Option<Selector> {
        let several = Self::across(&parts)?;
        Some(Selector {
            numbering: Numbering::PerPart(parts.into_iter().map(|s| s.skip).collect()),
            several,
            ..Selector::default()
        })
    }

    /// The students in more than one section over all of `parts`, or `None`
    /// when one is in the same section twice: the parts' sorted sightings
    /// walked together, in order of hash, and each run of one hash (almost
    /// always a single sighting) compared by id.
    fn across(parts: &[Selector]) -> Option<u64> {
        let mut heads = vec![0usize; parts.len()];
        let mut run: Vec<(usize, Sighting)> = Vec::new();
        let mut several = 0;
        loop {
            let next = parts
                .iter()
                .zip(&heads)
                .filter_map(|(part, &head)| part.sightings.list.get(head))
                .map(|s| s.hash)
                .min();
            let Some(hash) = next else {
                return Some(several);
            };
            run.clear();
            for (p, (part, head)) in parts.iter().zip(&mut heads).enumerate() {
                while let Some(s) = part.sightings.list.get(*head).filter(|s| s.hash == hash) {
                    run.push((p, *s));
                    *head += 1;
                }
            }
            if run.len() > 1 {
                several += Self::in_run(parts, &mut run)?;
            }
        }
    }

    /// Of sightings with one hash: how many ids are in several sections,
    /// or `None` when one id is twice in a section.
    fn in_run(parts: &[Selector], run: &mut [(usize, Sighting)]) -> Option<u64> {
        let id = |(p, s): &(usize, Sighting)| parts[*p].sightings.id(s);
        run.sort_unstable_by(|a, b| id(a).cmp(id(b)).then(a.1.section.cmp(&b.1.section)));
        let mut several = 0;
        for student in run.chunk_by(|a, b| id(a) == id(b)) {
            if student.windows(2).any(|w| w[0].1.section == w[1].1.section) {
                return None;
            }
            several += u64::from(student.len() > 1);
        }
        Some(several)
    }

    /// Record the row of `id` in section `section` for `--duplicates last`:
    /// a later row in the same section replaces an earlier one, which is
    /// skipped. Returns the replaced row's file and line.
    pub(crate) fn keep_last(
        &mut self,
        id: &[u8],
        section: usize,
        row: u64,
        file: u32,
        line: u64,
    ) -> Option<(u32, u64)> {
        let entry = Seen {
            row: small(row),
            file: u16::try_from(file).unwrap_or(u16::MAX),
            line: small(line),
            section: u32::try_from(section).unwrap_or(u32::MAX),
        };
        let earlier = self.seen.insert(id, entry, true)?;
        self.skip(u64::from(earlier.row));
        Some((u32::from(earlier.file), u64::from(earlier.line)))
    }

    /// Forget the ids (after the `keep_last` pass), keeping the skipped rows.
    pub(crate) fn forget_ids(&mut self) {
        self.seen = Ids::default();
    }

    /// The section of a row whose (section, id) is new; `Err` describes a
    /// duplicate: the same id twice in one section. The same id in another
    /// section is the student in that section too, planned there. A part's
    /// selector ([`Self::for_part`]) notes the row and leaves the check to
    /// [`Self::of_parts`].
    pub(crate) fn first_sight(
        &mut self,
        id: &[u8],
        at: (u32, u64, u64),
        section_name: &[u8],
        sections: &mut Sections,
        files: &[String],
    ) -> Result<usize, Diagnostic> {
        let (file, row, line) = at;
        let section = sections.index_of(section_name);
        if self.parted {
            let sightings = &mut self.sightings;
            sightings.list.push(Sighting {
                hash: hash_bytes(id),
                start: sightings.bytes.len() as u64,
                len: small(id.len() as u64),
                section: u32::try_from(section).unwrap_or(u32::MAX),
            });
            sightings.bytes.extend_from_slice(id);
            return Ok(section);
        }
        let new = Seen {
            row: small(row),
            file: u16::try_from(file).unwrap_or(u16::MAX),
            line: small(line),
            section: u32::try_from(section).unwrap_or(u32::MAX),
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
        let message = if section_name.is_empty() {
            format!("student `{id}` appears twice (also on {first_at})")
        } else {
            format!(
                "student `{id}` appears twice in section `{}` (also on {first_at})",
                sections.list[section].display_name()
            )
        };
        Err(Diagnostic::error(Code::DuplicateStudent, message)
            .at(Location::line(&files[file as usize], line))
            .help("each student needs one row in each section: remove or merge the extra row, or use `--duplicates last` (or `first`) to keep one"))
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
        assert_eq!(s.keep_last(b"S1", 0, 0, 0, 2), None);
        assert_eq!(s.keep_last(b"S2", 0, 1, 0, 3), None);
        // The same id in another section is another row kept.
        assert_eq!(s.keep_last(b"S1", 1, 2, 0, 4), None);
        assert_eq!(s.keep_last(b"S1", 0, 3, 0, 5), Some((0, 2)));
        assert_eq!(s.keep_last(b"S1", 1, 4, 0, 6), Some((0, 4)));
        assert!(s.is_skipped(0) && !s.is_skipped(1) && s.is_skipped(2));
        assert!(!s.is_skipped(3) && !s.is_skipped(4));
        assert_eq!(s.in_several_sections(), 1);
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
        sight_in(s, sections, b"5A", id, row)
    }

    fn sight_in(
        s: &mut Selector,
        sections: &mut Sections,
        section: &[u8],
        id: &[u8],
        row: u64,
    ) -> bool {
        let files = ["gradebook.csv".to_owned()];
        s.first_sight(id, (0, row, row + 2), section, sections, &files)
            .is_ok()
    }

    const COURSES: [&[u8]; 3] = [b"Math 7", b"ELA 7", b"Science 7"];

    /// A gradebook's rows: each id in the courses its mask says (at least
    /// one), grouped by course as an export lists them, or by student.
    fn gradebook(ids: &[Vec<u8>], masks: &[u8], by_course: bool) -> Vec<(&'static [u8], Vec<u8>)> {
        let courses = |i: usize| {
            let mask = masks[i % masks.len()] % 7 + 1;
            (0..COURSES.len()).filter(move |c| mask & (1 << c) != 0)
        };
        let mut rows = Vec::new();
        if by_course {
            for (c, course) in COURSES.iter().enumerate() {
                for (i, id) in ids.iter().enumerate() {
                    if courses(i).any(|k| k == c) {
                        rows.push((*course, id.clone()));
                    }
                }
            }
        } else {
            for (i, id) in ids.iter().enumerate() {
                rows.extend(courses(i).map(|c| (COURSES[c], id.clone())));
            }
        }
        rows
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
            let mut last = Selector::default();
            for (row, id) in ids.iter().enumerate() {
                proptest::prop_assert_eq!(last.keep_last(id, 0, row as u64, 0, row as u64 + 2), None);
            }
        }

        /// A student is a (section, id): an id in several courses is a
        /// student in each, counted once as in several sections; the same
        /// pair again is a duplicate. Parts read on their own threads find
        /// the same, wherever the file is cut.
        #[test]
        fn a_student_is_one_per_section_in_one_pass_or_in_parts(
            ids in ids(),
            masks in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..64),
            by_course in proptest::prelude::any::<bool>(),
            cuts in 1usize..5,
            again in 0usize..10_000,
        ) {
            let rows = gradebook(&ids, &masks, by_course);
            let several = ids
                .iter()
                .enumerate()
                .filter(|(i, _)| (masks[i % masks.len()] % 7 + 1).count_ones() > 1)
                .count() as u64;
            let mut s = Selector::default();
            let mut sections = Sections::new(0, 80.0);
            for (row, (section, id)) in rows.iter().enumerate() {
                proptest::prop_assert!(sight_in(&mut s, &mut sections, section, id, row as u64));
            }
            proptest::prop_assert_eq!(s.in_several_sections(), several);
            let (section, id) = &rows[again % rows.len()];
            proptest::prop_assert!(!sight_in(&mut s, &mut sections, section, id, rows.len() as u64));
            proptest::prop_assert_eq!(s.in_several_sections(), several);

            // The same rows cut into parts, each with its own sections.
            let read = |extra: Option<&(&'static [u8], Vec<u8>)>| -> Result<Option<u64>, proptest::test_runner::TestCaseError> {
                let mut merged = Sections::new(0, 80.0);
                let mut chunks: Vec<Vec<(&'static [u8], Vec<u8>)>> =
                    rows.chunks(rows.len().div_ceil(cuts)).map(<[_]>::to_vec).collect();
                if let (Some(extra), Some(last)) = (extra, chunks.last_mut()) {
                    last.push(extra.clone());
                }
                let mut parts = Vec::new();
                for chunk in chunks {
                    let mut part = Selector::for_part();
                    let mut own = Sections::new(0, 80.0);
                    for (row, (section, id)) in chunk.iter().enumerate() {
                        // A part finds no duplicate: it notes every row.
                        proptest::prop_assert!(sight_in(&mut part, &mut own, section, id, row as u64));
                    }
                    part.settle();
                    part.renumber_sections(&merged.absorb(own));
                    parts.push(part);
                }
                Ok(Selector::of_parts(parts).map(|s| s.in_several_sections()))
            };
            proptest::prop_assert_eq!(read(None)?, Some(several));
            // A row again in its section, in its own part or another: the
            // parts are not taken as they are.
            proptest::prop_assert_eq!(read(Some(&rows[again % rows.len()]))?, None);

            // `--duplicates last` keys rows alike: nothing is replaced.
            let mut last = Selector::default();
            let mut numbers = Sections::new(0, 0.0);
            for (row, (section, id)) in rows.iter().enumerate() {
                let section = numbers.index_of(section);
                proptest::prop_assert_eq!(last.keep_last(id, section, row as u64, 0, row as u64), None);
            }
            let section = numbers.index_of(section);
            proptest::prop_assert!(last.keep_last(id, section, rows.len() as u64, 0, 0).is_some());
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

    /// Parts compare their ids exactly too, also when two have one hash.
    #[test]
    fn parts_tell_ids_apart_when_their_hashes_meet() {
        let part = |ids: &[&[u8]], sections: &mut Sections| {
            let mut s = Selector::for_part();
            for (row, id) in ids.iter().enumerate() {
                assert!(sight(&mut s, sections, id, row as u64));
            }
            // One hash for every id: only the bytes can tell them apart.
            s.sightings.list.iter_mut().for_each(|s| s.hash = 7);
            s.settle();
            s
        };
        let mut sections = Sections::new(0, 80.0);
        let parts = vec![
            part(&[b"100000019", b"100000094"], &mut sections),
            part(&[b"100000095"], &mut sections),
        ];
        assert_eq!(
            Selector::of_parts(parts).map(|s| s.in_several_sections()),
            Some(0)
        );
        let parts = vec![
            part(&[b"100000019", b"100000094"], &mut sections),
            part(&[b"100000094"], &mut sections),
        ];
        assert!(Selector::of_parts(parts).is_none());
        let mut two = part(&[b"100000019"], &mut sections);
        assert!(sight_in(&mut two, &mut sections, b"6B", b"100000019", 1));
        two.sightings.list.iter_mut().for_each(|s| s.hash = 7);
        two.settle();
        assert_eq!(
            Selector::of_parts(vec![two]).map(|s| s.in_several_sections()),
            Some(1)
        );
    }
}
