//! The rules loader and validator: any text as a rules file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok((Some(rules), problems)) = tierplan::rules::from_text("fuzz.yaml", text) {
            // Valid rules compile against a header of two skills.
            if !problems.iter().any(|d| d.is_error()) {
                let _ = rules.compile(&["A".into(), "B".into()]);
            }
        }
    }
});
