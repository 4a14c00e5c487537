//! `tierplan codes` and the one list of diagnostic codes: every code listed
//! is emitted somewhere, every code the docs show is listed, and
//! `docs/codes.md` is the list as it is today.

use std::fs;
use std::path::Path;

use tierplan::diagnostic::Code;

use crate::util::{Test, repo};

/// Every `.rs` and `.md` file under `dir`, as (path, text).
fn files(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("target") && !path.ends_with(".git") {
                files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn docs_codes_md_is_the_list_of_today() {
    let out = Test::new().args(&["codes", "--markdown"]).run();
    let page = fs::read_to_string(repo("docs/codes.md")).unwrap();
    assert!(
        out.stdout == page,
        "docs/codes.md is out of date: run `cargo run -- codes --markdown > docs/codes.md`"
    );
}

#[test]
fn every_listed_code_is_emitted_by_the_source() {
    let mut sources = Vec::new();
    files(&repo("src"), &mut sources);
    let unused: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| {
            let used = format!("Code::{code:?}");
            !sources
                .iter()
                .any(|(path, text)| !path.ends_with("code.rs") && text.contains(&used))
        })
        .map(|code| code.as_str())
        .collect();
    assert!(unused.is_empty(), "listed but never reported: {unused:?}");
}

#[test]
fn every_code_the_docs_and_tests_show_is_listed() {
    let mut texts = Vec::new();
    for dir in ["src", "tests", "rules", "docs"] {
        files(&repo(dir), &mut texts);
    }
    texts.push((
        "README.md".into(),
        fs::read_to_string(repo("README.md")).unwrap(),
    ));
    let mut unknown = Vec::new();
    let mut seen = 0;
    for (path, text) in &texts {
        for label in ["error[", "warning["] {
            for (at, _) in text.match_indices(label) {
                let rest = &text[at + label.len()..];
                let Some(end) = rest.find(']') else { continue };
                let name = &rest[..end];
                // `error[{}]` and the like are format strings, not codes.
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    continue;
                }
                seen += 1;
                if Code::named(name).is_none() {
                    unknown.push(format!("{path}: {name}"));
                }
            }
        }
    }
    assert!(seen > 100, "only {seen} codes found in the docs and tests");
    assert!(
        unknown.is_empty(),
        "codes shown but not listed: {unknown:#?}"
    );
}

#[test]
fn each_code_has_a_kebab_name_and_a_one_line_meaning() {
    let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for code in Code::ALL {
        let (name, meaning) = (code.as_str(), code.meaning());
        assert!(
            name.split('-').all(|w| !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{name}"
        );
        assert!(
            !meaning.is_empty() && !meaning.contains(['\n', '|']) && meaning.len() <= 120,
            "{name}: {meaning}"
        );
        assert!(!meaning.ends_with('.'), "{name}: {meaning}");
        assert_eq!(Code::named(name), Some(*code));
    }
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "a name is listed twice");
}

#[test]
fn codes_explains_one_code() {
    let out = Test::new().args(&["codes", "bad-score"]).run();
    assert_eq!(
        out.stdout,
        format!("bad-score  {}\n", Code::BadScore.meaning())
    );
}

#[test]
fn codes_lists_every_code() {
    let out = Test::new().args(&["codes"]).run();
    for code in Code::ALL {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{code} "))),
            "{code}"
        );
    }
}

#[test]
fn an_unknown_code_is_a_usage_error_with_a_suggestion() {
    Test::new()
        .args(&["codes", "bad-scor"])
        .status(2)
        .run()
        .assert_stderr(
            "error: there is no diagnostic code `bad-scor`; did you mean `bad-score`?\n",
        );
}
