//! Where rules come from, and the entry points that read them: a rules
//! file (refused when too large or not UTF-8 text), a shipped set named by
//! `--rules NAME` or chosen for a recognised export, or text in memory;
//! each validated by `validate` into [`Rules`] or every problem found.

use std::path::Path;

use super::yaml::{self, Source};
use super::{BuiltIn, Rules, validate};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

fn source(path: Option<&Path>, built_in: &BuiltIn) -> Result<Source> {
    let Some(path) = path else {
        return Ok(built_in.source());
    };
    // Refuse a huge file before reading it into memory.
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.extension().is_none() => {
            // `--rules stra`: a shipped set's name, misspelt.
            let names = super::shipped::names();
            let wanted = path.display().to_string();
            let hint = crate::diagnostic::did_you_mean(&wanted, names.iter().copied())
                .map_or(String::new(), |h| format!("{h} "));
            return Err(Error::usage(format!(
                "no rules file `{wanted}` and no shipped rules of that name; {hint}the shipped rules are {}",
                crate::diagnostic::list(&names)
            )));
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    if size > yaml::MAX_RULES_BYTES as u64 {
        return Err(Error::problem(yaml::too_large(
            &path.display().to_string(),
            size,
        )));
    }
    let bytes = yaml::read_bounded(path)?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::problem(
            Diagnostic::error(Code::RulesNotText, format!("`{name}` is not UTF-8 text"))
                .at(crate::diagnostic::Location::file(&name))
                .help(format!(
                    "the first byte that is not is at offset {}; save the rules as UTF-8 text (YAML)",
                    e.utf8_error().valid_up_to()
                )),
        )
    })?;
    Ok(Source { name, text })
}

/// Load rules from a file, or built-in ones when `path` is `None`.
/// `overrides` replace parameter values (`--set name=value`).
pub fn load(
    path: Option<&Path>,
    built_in: BuiltIn,
    overrides: &[(String, String)],
) -> Result<Rules> {
    let source = source(path, &built_in)?;
    let (rules, problems) = validate::validate(source, overrides)?;
    match rules {
        Some(mut rules) if !problems.iter().any(Diagnostic::is_error) => {
            if path.is_none() {
                rules.chosen_for = built_in.chosen_for;
            }
            Ok(rules)
        }
        _ => Err(Error::Problems(problems)),
    }
}

/// Load and validate, returning warnings too (for `check`).
pub fn check(
    path: Option<&Path>,
    built_in: BuiltIn,
    overrides: &[(String, String)],
) -> Result<(Option<Rules>, Vec<Diagnostic>)> {
    validate::validate(source(path, &built_in)?, overrides)
}

/// Validate rules given as text, named `name` in messages (for fuzzing and
/// for tools that hold the rules in memory).
pub fn from_text(name: &str, text: &str) -> Result<(Option<Rules>, Vec<Diagnostic>)> {
    if text.len() > yaml::MAX_RULES_BYTES {
        return Err(Error::problem(yaml::too_large(name, text.len() as u64)));
    }
    let source = Source {
        name: name.to_owned(),
        text: text.to_owned(),
    };
    validate::validate(source, &[])
}
