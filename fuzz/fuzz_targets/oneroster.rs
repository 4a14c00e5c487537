//! OneRoster bundles: any bytes as a bundle, read and planned under the
//! default rules. Bytes that start like a zip (`PK`) are written as
//! `bundle.zip`; any others are split at NUL bytes into the files of a
//! bundle folder (`manifest.csv`, `users.csv`, ... in that order; a file
//! past the last part is absent). Every student read must be decided
//! exactly once; an error is fine; a panic or a hang is a bug.
#![no_main]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tierplan::engine::{ReadOptions, Run};
use tierplan::ingest::Input;

/// The files of a bundle folder, in the order the parts of an input fill them.
const FILES: [&str; 7] = [
    "manifest.csv",
    "users.csv",
    "classes.csv",
    "enrollments.csv",
    "categories.csv",
    "lineItems.csv",
    "results.csv",
];

/// This process's scratch folder, made once.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("tierplan-fuzz-oneroster-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("bundle")).expect("a scratch folder");
        dir
    })
}

/// `data` written as a bundle: the path to read.
fn write(data: &[u8]) -> PathBuf {
    let dir = scratch();
    if data.starts_with(b"PK") {
        let zip = dir.join("bundle.zip");
        std::fs::write(&zip, data).expect("written");
        return zip;
    }
    let folder = dir.join("bundle");
    let mut parts = data.split(|&b| b == 0);
    for name in FILES {
        let path = folder.join(name);
        match parts.next() {
            Some(part) => std::fs::write(&path, part).expect("written"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    folder
}

fuzz_target!(|data: &[u8]| {
    let rules = common::default_rules();
    let input = Input::file(write(data));
    let Ok(run) = Run::prepare(rules, std::slice::from_ref(&input), &ReadOptions::default()) else {
        return;
    };
    common::decide_each_once(&run);
});
