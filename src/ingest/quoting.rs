//! Where rows end in CSV bytes, without parsing them: a newline ends a row
//! unless it is inside a quoted field. Used to cut a file into parts for
//! parallel reading and to bound the length of a row.
//!
//! The rules are the csv crate's: a quote opens a quoted field only at the
//! start of a field (after a delimiter or a newline, or at the start);
//! inside one, `""` is a quote and any other quote closes it. A quote
//! anywhere else (`5"`, `O"Neil`) is text.

/// The quoting state carried from one chunk of bytes to the next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quoting {
    delimiter: u8,
    state: State,
    /// The last byte of the previous chunk (a newline before the first).
    last: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside any quoted field.
    Out,
    /// Inside a quoted field.
    In,
    /// Just after a quote inside a quoted field, which closes it unless the
    /// byte at `next` (an index into the chunk) is a second quote.
    Closing { next: usize },
}

impl Quoting {
    pub(crate) fn new(delimiter: u8) -> Quoting {
        Quoting {
            delimiter,
            state: State::Out,
            last: b'\n',
        }
    }

    /// Read `chunk`, the bytes after the previous chunk, and call `newline`
    /// with the index of each newline in it and whether it ends a row;
    /// stop early when `newline` returns false.
    pub(crate) fn feed(&mut self, chunk: &[u8], mut newline: impl FnMut(usize, bool) -> bool) {
        let Some(&last) = chunk.last() else {
            return;
        };
        for i in memchr::memchr2_iter(b'"', b'\n', chunk) {
            let quote = chunk[i] == b'"';
            if let State::Closing { next } = self.state {
                if quote && i == next {
                    self.state = State::In;
                    continue;
                }
                self.state = State::Out;
            }
            match (self.state, quote) {
                (State::Out, true) => {
                    let before = if i == 0 { self.last } else { chunk[i - 1] };
                    if before == self.delimiter || before == b'\n' {
                        self.state = State::In;
                    }
                }
                (State::In, true) => self.state = State::Closing { next: i + 1 },
                (state, false) => {
                    if !newline(i, state == State::Out) {
                        break;
                    }
                }
                (State::Closing { .. }, true) => unreachable!("resolved above"),
            }
        }
        // A closing quote that is the chunk's last byte may be the first of
        // `""` with the next chunk; one before it was not.
        if let State::Closing { next } = self.state {
            self.state = if next == chunk.len() {
                State::Closing { next: 0 }
            } else {
                State::Out
            };
        }
        self.last = last;
    }

    /// Whether the bytes so far end outside any quoted field.
    pub(crate) fn is_outside(&self) -> bool {
        self.state == State::Out
    }

    /// Read `chunk` and give the index of its last newline that ends a row.
    pub(crate) fn last_row_end(&mut self, chunk: &[u8]) -> Option<usize> {
        // Most chunks hold no quote at all: the last newline ends a row.
        if self.state == State::Out && memchr::memchr(b'"', chunk).is_none() {
            if let Some(&last) = chunk.last() {
                self.last = last;
            }
            return memchr::memrchr(b'\n', chunk);
        }
        let mut end = None;
        self.feed(chunk, |i, ends_row| {
            if ends_row {
                end = Some(i);
            }
            true
        });
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rows of `bytes` as the csv crate reads them.
    fn rows(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        reader
            .byte_records()
            .map(|r| r.expect("reads").iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    /// The row ends `Quoting` finds in `bytes` fed `size` bytes at a time.
    fn row_ends(bytes: &[u8], size: usize) -> Vec<usize> {
        let mut quoting = Quoting::new(b',');
        let mut ends = Vec::new();
        for (n, chunk) in bytes.chunks(size).enumerate() {
            quoting.feed(chunk, |i, ends_row| {
                if ends_row {
                    ends.push(n * size + i + 1);
                }
                true
            });
        }
        ends
    }

    #[test]
    fn quotes_open_only_at_the_start_of_a_field() {
        let text = b"id,name\n1,O\"Neil\n2,\"a\nb\"\n3,\"x\"\"\ny\"\n";
        assert_eq!(row_ends(text, 64), [8, 17, 25, 35]);
        for size in 1..8 {
            assert_eq!(row_ends(text, size), [8, 17, 25, 35], "{size}-byte chunks");
        }
    }

    proptest! {
        /// Cutting at any row end found, in chunks of any size, gives the
        /// rows the csv crate reads from the whole.
        #[test]
        fn cuts_fall_between_the_csv_crates_rows(
            text in proptest::collection::vec(
                prop::sample::select(&b"a,\"\n"[..]), 0..60),
            size in 1usize..9,
        ) {
            let whole = rows(&text);
            for end in row_ends(&text, size) {
                let mut parts = rows(&text[..end]);
                parts.extend(rows(&text[end..]));
                prop_assert_eq!(&parts, &whole, "cut at {}", end);
            }
        }

        /// The last row end of each chunk is the last of the ends `feed`
        /// reports.
        #[test]
        fn last_row_end_agrees_with_feed(
            text in proptest::collection::vec(
                prop::sample::select(&b"a,\"\n"[..]), 0..60),
            size in 1usize..9,
        ) {
            let ends = row_ends(&text, size);
            let mut quoting = Quoting::new(b',');
            let mut found = Vec::new();
            for (n, chunk) in text.chunks(size).enumerate() {
                if let Some(i) = quoting.last_row_end(chunk) {
                    found.push(n * size + i + 1);
                }
            }
            let expected: Vec<usize> = text
                .chunks(size)
                .enumerate()
                .filter_map(|(n, _)| {
                    ends.iter()
                        .copied()
                        .filter(|&e| e > n * size && e <= (n + 1) * size)
                        .max()
                })
                .collect();
            prop_assert_eq!(found, expected);
        }
    }
}
