//! Long results (a row per student, skill and result, pivoted to a row per
//! student): any bytes after a fixed header that the `long` profile
//! recognises, planned under the default rules. Every student read must
//! be decided exactly once; an error is fine; a panic or a hang is a bug.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tierplan::engine::{ReadOptions, Run};
use tierplan::ingest::Input;

/// The header of `tests/data/sources/long.csv`: the `long` profile's.
const HEADER: &[u8] = b"student_id,name,section,grade,skill,score,date\n";

fuzz_target!(|data: &[u8]| {
    let rules = common::default_rules();
    let input = Input::memory("long.csv", [HEADER, data].concat());
    // The first byte chooses how problems are met, as `--lenient` does.
    let options = ReadOptions {
        lenient: data.first().is_some_and(|b| b & 1 == 1),
        ..ReadOptions::default()
    };
    let Ok(run) = Run::prepare(rules, std::slice::from_ref(&input), &options) else {
        return;
    };
    common::decide_each_once(&run);
});
