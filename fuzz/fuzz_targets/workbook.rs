//! Workbooks: any bytes given as a data file, read as a workbook when they
//! start like one (a zip holding `xl/workbook.xml` or an OpenDocument
//! `mimetype`, or an OLE2 file) and planned under the default rules. The
//! seeds (`fuzz/corpus/workbook`) are small `.xlsx`, `.xls` and `.ods`
//! files. Every student read must be decided exactly once; an error is
//! fine; a panic or a hang is a bug, ours or the reader's.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tierplan::engine::{ReadOptions, Run};
use tierplan::ingest::Input;

fuzz_target!(|data: &[u8]| {
    let rules = common::default_rules();
    let input = Input::memory("fuzz.xlsx", data.to_vec());
    let Ok(run) = Run::prepare(rules, std::slice::from_ref(&input), &ReadOptions::default()) else {
        return;
    };
    common::decide_each_once(&run);
});
