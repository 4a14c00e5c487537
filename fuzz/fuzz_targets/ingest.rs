//! CSV ingestion: any bytes as a results file under the default rules
//! (encoding and delimiter detection, profiles, header mapping, score
//! parsing, both passes). An error is fine; a panic or a hang is a bug.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tierplan::engine::{ReadOptions, Run};
use tierplan::ingest::Input;
use tierplan::rules::{self, BuiltIn};

/// The default rules, loaded once.
fn rules() -> &'static rules::Rules {
    static RULES: OnceLock<rules::Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        rules::load(None, BuiltIn::named(rules::shipped::DEFAULT), &[])
            .expect("the default rules load")
    })
}

fuzz_target!(|data: &[u8]| {
    let rules = rules();
    let input = Input::memory("fuzz.csv", data.to_vec());
    for lenient in [false, true] {
        let options = ReadOptions {
            lenient,
            ..ReadOptions::default()
        };
        if let Ok(run) = Run::prepare(rules, std::slice::from_ref(&input), &options) {
            let mut students = 0u64;
            let _ = run.for_each(|_| {
                students += 1;
                Ok(())
            });
            assert_eq!(students, run.students, "every student decided exactly once");
        }
    }
});
