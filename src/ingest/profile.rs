//! Column profiles: how a known export maps to tierplan's fields and skills.
//!
//! A profile is data (`profiles/*.yaml`, built into the binary): the headers
//! that recognise the export, the headers that hold each field, where the
//! skill scores are and how their words read as numbers, and which row to
//! keep when a student has several. This module owns the profile format and
//! detection; `reshape` applies a profile to a file.

use std::sync::OnceLock;

use serde::Deserialize;

use super::columns::normalize;
use crate::diagnostic::{Diagnostic, did_you_mean, list};
use crate::error::{Error, Result};
use crate::rules::yaml::{OrderedMap, Source};

/// The built-in profiles, most specific first (detection takes the first
/// whose headers are all present).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "map-growth.yaml",
        include_str!("../../profiles/map-growth.yaml"),
    ),
    ("iready.yaml", include_str!("../../profiles/iready.yaml")),
    (
        "star-standards.yaml",
        include_str!("../../profiles/star-standards.yaml"),
    ),
    (
        "star-skill-areas.yaml",
        include_str!("../../profiles/star-skill-areas.yaml"),
    ),
    ("star.yaml", include_str!("../../profiles/star.yaml")),
    ("dibels8.yaml", include_str!("../../profiles/dibels8.yaml")),
    (
        "fastbridge.yaml",
        include_str!("../../profiles/fastbridge.yaml"),
    ),
    (
        "canvas-quiz.yaml",
        include_str!("../../profiles/canvas-quiz.yaml"),
    ),
    (
        "google-forms.yaml",
        include_str!("../../profiles/google-forms.yaml"),
    ),
    ("kahoot.yaml", include_str!("../../profiles/kahoot.yaml")),
    ("long.yaml", include_str!("../../profiles/long.yaml")),
    (
        "progress.yaml",
        include_str!("../../profiles/progress.yaml"),
    ),
];

/// One profile, as its YAML says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    /// The name for `--profile`.
    pub name: String,
    /// What it reads, for people.
    pub label: String,
    /// The matching rules file in `rules/`, if one ships.
    pub rules: Option<String>,
    /// The sheet of a workbook this export's results are on (Kahoot!'s
    /// `Final Scores`): read when the workbook has it and `--sheet` names
    /// no other.
    pub sheet: Option<String>,
    /// Headers that must all be present; an entry that is a list is
    /// satisfied by any one of its headers.
    pub detect: Vec<Alternatives>,
    /// tierplan's field name → the headers that may hold it.
    pub fields: OrderedMap<FieldSource>,
    /// Per field, cell values to replace (`Two` → `2`).
    #[serde(default)]
    pub recode: OrderedMap<OrderedMap<String>>,
    #[serde(default)]
    pub skills: SkillSource,
    #[serde(default)]
    pub rows: RowRule,
}

/// Headers that each satisfy a requirement.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Alternatives {
    One(String),
    Any(Vec<String>),
}

impl Alternatives {
    pub(crate) fn names(&self) -> Vec<&str> {
        match self {
            Alternatives::One(s) => vec![s.as_str()],
            Alternatives::Any(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Where a field's value is: the first of several headers present in the
/// file (a header that is a list joins its columns with a space, for first
/// and last names), or, row by row, the first non-empty of several columns
/// (`first_of`, for the latest season of an export that is wide by season).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum FieldSource {
    One(String),
    Alternatives(Vec<Alt>),
    FirstOf { first_of: Vec<String> },
}

/// One header, or headers whose cells are joined with a space.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Alt {
    Column(String),
    Join(Vec<String>),
}

/// Where the skill scores are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SkillSource {
    /// These headers, each a skill.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Headers matching a pattern such as `{skill} - National Norm
    /// Percentile`; the part in braces names the skill.
    pub pattern: Option<String>,
    /// Skill names the pattern must not take (`Composite`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Numbered pairs of columns: the skill's name in one, its score in the
    /// other, e.g. `{name: "Goal{n}Name", score: "Goal{n}Adjective"}`.
    pub pairs: Option<Pairs>,
    /// Long rows: one row per student and skill.
    pub long: Option<Long>,
    /// Item responses: question columns scored by a blueprint.
    pub items: Option<Items>,
    /// Progress-monitoring probes: one row per probe, a score and a date.
    pub probes: Option<Probes>,
    /// One skill scored from counts of correct and incorrect answers.
    pub tally: Option<Tally>,
    /// Words in score cells and the percent each stands for.
    #[serde(default)]
    pub values: OrderedMap<f64>,
    /// Words in score cells that mean "no score".
    #[serde(default)]
    pub missing: Vec<String>,
}

/// A skill whose score is the share of answers that were correct, from a
/// column counting the correct answers and one counting the incorrect.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tally {
    pub skill: String,
    pub correct: Vec<String>,
    pub incorrect: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pairs {
    pub name: String,
    pub score: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Long {
    /// Headers that may hold the skill's name.
    pub skill: Vec<String>,
    /// Headers that may hold its score.
    pub score: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Probes {
    /// Headers that may hold the probe's score (words correct per minute,
    /// digits correct...: any number, not a percent).
    pub score: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Items {
    /// `rest`: every column that is not a field is a question (Google
    /// Forms); `canvas`: a column `<id>: <question>` followed by a column
    /// whose header is the points possible and whose cells are points earned.
    pub layout: ItemLayout,
    /// Without a blueprint, the column whose score stands for the whole quiz
    /// (`Score`, as `7 / 10`), read as one skill.
    pub total: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ItemLayout {
    Rest,
    Canvas,
}

/// Which rows make the students.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowRule {
    /// When a student has several rows: `last` in the file, `first`, or
    /// `latest` by the `date` field.
    #[serde(default)]
    pub keep: Keep,
    /// A column that marks the row to keep, e.g. `Most Recent Diagnostic
    /// (Y/N)` = `Y`, tried before `keep`.
    pub prefer: Option<Prefer>,
    /// A field whose different values are different plans (a subject): a
    /// file holding several must be narrowed with `--only`.
    pub split: Option<String>,
    /// Rows whose first cell starts with one of these are not students
    /// (Canvas's `Points Possible`).
    #[serde(default)]
    pub skip: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Keep {
    #[default]
    Last,
    First,
    Latest,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Prefer {
    pub column: Vec<String>,
    pub value: String,
}

/// Every built-in profile, in detection order; parsed once per process.
pub(crate) fn built_in() -> Result<Vec<Profile>> {
    static PARSED: OnceLock<std::result::Result<Vec<Profile>, Diagnostic>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        BUILT_IN
            .iter()
            .map(|(file, text)| {
                let source = Source {
                    name: format!("<built-in profile {file}>"),
                    text: (*text).to_owned(),
                };
                source.parse::<Profile>()
            })
            .collect()
    });
    parsed.clone().map_err(Error::problem)
}

/// The profile called `name`, or a usage error listing them.
/// The sheets the built-in profiles' results are on, in their order.
pub(crate) fn sheets() -> Vec<String> {
    built_in()
        .map(|all| all.into_iter().filter_map(|p| p.sheet).collect())
        .unwrap_or_default()
}

pub(crate) fn by_name(name: &str) -> Result<Profile> {
    let profiles = built_in()?;
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    match profiles.iter().find(|p| p.name.eq_ignore_ascii_case(name)) {
        Some(profile) => Ok(profile.clone()),
        None => {
            let hint = did_you_mean(name, names.iter().copied())
                .unwrap_or_else(|| format!("the profiles are {}", list(&names)));
            Err(Error::usage(format!(
                "no profile `{name}`; {hint} (`tierplan profiles` lists them)"
            )))
        }
    }
}

impl Profile {
    /// Whether every `detect` requirement is met by `header`.
    pub(crate) fn matches(&self, header: &[String]) -> bool {
        let present: Vec<String> = header.iter().map(|h| normalize(h)).collect();
        self.detect.iter().all(|alt| {
            alt.names()
                .iter()
                .any(|name| present.contains(&normalize(name)))
        })
    }

    /// The headers this profile looks for, for `tierplan profiles`.
    pub(crate) fn headers(&self) -> Vec<String> {
        self.detect
            .iter()
            .map(|alt| alt.names().join(" or "))
            .collect()
    }
}

/// The first built-in profile whose headers `header` has.
pub(crate) fn detect(header: &[String]) -> Result<Option<Profile>> {
    Ok(built_in()?.into_iter().find(|p| p.matches(header)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_s_rules_ship() {
        for p in built_in().unwrap() {
            if let Some(rules) = &p.rules {
                assert!(
                    crate::rules::shipped::find(rules).is_some(),
                    "{}: {rules}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn every_built_in_profile_loads_and_names_a_student_id() {
        let profiles = built_in().unwrap();
        assert_eq!(profiles.len(), BUILT_IN.len());
        for p in &profiles {
            assert!(
                p.fields
                    .0
                    .iter()
                    .any(|(name, _)| name.value == "student_id"),
                "profile {} has no student_id",
                p.name
            );
            assert!(!p.detect.is_empty(), "profile {} detects nothing", p.name);
        }
    }

    #[test]
    fn unknown_profiles_suggest_the_closest() {
        let e = by_name("map-grwth").unwrap_err().to_string();
        assert!(e.contains("did you mean `map-growth`?"), "{e}");
    }
}
