//! What several targets share: the default rules, loaded once, and the
//! check that a run decides every student it read exactly once. Each
//! target is its own crate and uses a part of this.
#![allow(dead_code)]

use std::sync::OnceLock;

use tierplan::engine::Run;
use tierplan::rules::{self, BuiltIn, Rules};

/// The default rules, loaded once.
pub fn default_rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        rules::load(None, BuiltIn::named(rules::shipped::DEFAULT), &[])
            .expect("the default rules load")
    })
}

/// Decide every student of `run`; when that succeeds, each was decided once.
pub fn decide_each_once(run: &Run<'_>) {
    let mut students = 0u64;
    if run
        .for_each(|_| {
            students += 1;
            Ok(())
        })
        .is_ok()
    {
        assert_eq!(students, run.students, "every student decided exactly once");
    }
}
