//! Every input opened and its columns mapped against the rules, once
//! before either pass; the skills of the run are the union of every file's.
//! It reads headers only, no rows.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::ingest::columns::{normalize, skill_headers};
use crate::ingest::unknown;
use crate::ingest::{ColumnMap, CsvFile, Input, Skills};
use crate::rules::Rules;

/// Open every input and map its columns; the skills of the run are the union
/// of every file's skill columns, in order of first appearance.
pub fn open(rules: &Rules, inputs: &[Input]) -> Result<(Vec<CsvFile>, Skills, Vec<ColumnMap>)> {
    let files = inputs.iter().map(Input::csv).collect::<Result<Vec<_>>>()?;
    let mut skills = Skills::default();
    let mut seen = HashSet::new();
    for file in &files {
        // A problem here is found again, and reported, by `ColumnMap::resolve`.
        for (_, header) in
            skill_headers(rules, &file.header, &file.name, file.fixed_columns()).unwrap_or_default()
        {
            if seen.insert(normalize(&header)) {
                skills.names.push(header.into());
            }
        }
    }
    let mut problems = Vec::new();
    let mut maps = Vec::new();
    for (file, input) in files.iter().zip(inputs) {
        match ColumnMap::resolve(
            rules,
            &file.header,
            &file.name,
            &skills,
            file.fixed_columns(),
        ) {
            // A `;`-separated file comes from a spreadsheet whose locale
            // writes decimals with a comma.
            Ok(map) => maps.push(ColumnMap {
                decimal_comma: file.delimiter == b';'
                    || file.origin.as_ref().is_some_and(|o| o.decimal_comma),
                origin: file.origin.clone(),
                ..map
            }),
            Err(more) => {
                problems.extend(more.into_iter().map(|d| unknown::advise(rules, input, d)))
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    Ok((files, skills, maps))
}
