//! CSV ingestion, the reader alone: any bytes as a results file (encoding
//! and delimiter detection, quoting, line ends, the header mapped to the
//! default rules' fields and skills, every row's cells parsed). It builds
//! one reader per input and no engine, so it runs many times faster than
//! the whole plan (the `plan` target covers that). An error is fine; a
//! panic or a hang is a bug.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tierplan::ingest::columns::{ColumnMap, Problems, Skills, skill_headers};
use tierplan::ingest::{Input, Row};

fuzz_target!(|data: &[u8]| {
    let rules = common::default_rules();
    let input = Input::memory("fuzz.csv", data.to_vec());
    let Ok(mut file) = input.csv() else { return };
    let Ok(found) = skill_headers(rules, &file.header, "fuzz.csv", 0) else {
        return;
    };
    let skills = Skills {
        names: found.into_iter().map(|(_, h)| h.into()).collect(),
    };
    let Ok(map) = ColumnMap::resolve(rules, &file.header, "fuzz.csv", &skills, 0) else {
        return;
    };
    let Ok(program) = rules.compile(&skills.names) else {
        return;
    };
    let mut row = Row::default();
    let mut problems = Vec::new();
    while let Ok(true) = file.read_row() {
        let readable = map.load(
            &file.record,
            file.line(),
            &program.numeric_fields,
            rules.scale,
            &mut row,
            Problems::Collect(&mut problems),
        );
        if readable == Ok(true) {
            assert_eq!(
                row.scores.len(),
                skills.names.len(),
                "a score slot per skill"
            );
        }
        problems.clear();
    }
});
