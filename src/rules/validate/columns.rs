//! What the rules read, checked: the fields under `columns` (no built-in
//! names, a `student_id`), the skill columns and how their results
//! combine, and `recode` (the parameters are in `params`).

use std::path::PathBuf;

use super::Validator;
use crate::condition::compile::format_number;
use crate::diagnostic::{Code, did_you_mean};
use crate::rules::model::{ColumnSpec, Combine, GroupBy, OneOrMany, SkillsSpec};
use crate::rules::yaml::{OrderedMap, Sp};
use crate::rules::{self, Field, ParamValue, STUDENT_ID, Scale, SkillColumns};

/// The weight of the most recent result in a decaying average, as
/// MasteryConnect's default (shared/research/domain-anchors.md 1.8).
const DEFAULT_DECAY: f64 = 0.65;

/// Names the condition language gives a meaning of its own.
pub(super) const RESERVED: &[&str] = &[
    "score",
    "skill",
    "whole_class",
    "share_below",
    "below",
    "assessed",
    "mean",
    "students",
    "min_score",
    "max_score",
    "mean_score",
    "count",
    "any",
    "all",
    "weakest",
    "focus",
    "focus_score",
    "true",
    "false",
    "and",
    "or",
    "not",
    "in",
    "is",
    "missing",
    "present",
    "none",
];

impl Validator {
    pub(super) fn fields(&mut self, columns: Sp<OrderedMap<Sp<ColumnSpec>>>) -> Vec<Field> {
        let mut fields = Vec::new();
        for (name, spec) in columns.value.0 {
            let (aliases, optional) = match spec.value {
                ColumnSpec::Names(names) => (names.into_vec(), false),
                ColumnSpec::Full(full) => (full.names.into_vec(), full.optional),
            };
            if RESERVED.contains(&name.value.as_str()) {
                self.error(
                    Code::ReservedName,
                    format!(
                        "`{}` is a built-in name and cannot name a column",
                        name.value
                    ),
                    name.pos,
                    Some("choose another name for this field".into()),
                );
            }
            if aliases.iter().all(|a| a.trim().is_empty()) {
                self.error(
                    Code::EmptyColumn,
                    format!("field `{}` lists no header names", name.value),
                    spec.pos,
                    Some(format!("write e.g. `{}: [{}]`", name.value, name.value)),
                );
            }
            if name.value == STUDENT_ID && optional {
                self.error(
                    Code::OptionalStudentId,
                    "`student_id` cannot be optional: every student needs an id".into(),
                    spec.pos,
                    None,
                );
            }
            fields.push(Field {
                name: name.value,
                aliases,
                optional,
                pos: name.pos,
            });
        }
        if !fields.iter().any(|f| f.name == STUDENT_ID) {
            self.error(
                Code::MissingStudentId,
                "`columns` has no `student_id`".into(),
                columns.pos,
                Some("add `student_id: [student_id, id]` with the headers your files use".into()),
            );
        }
        fields
    }

    /// `combine`, `decay`, `group_by` and `blueprint`, checked.
    pub(super) fn skill_settings(
        &mut self,
        spec: Option<&SkillsSpec>,
    ) -> (Combine, f64, GroupBy, Option<PathBuf>) {
        let Some(spec) = spec else {
            return (Combine::default(), DEFAULT_DECAY, GroupBy::default(), None);
        };
        let decay = match &spec.decay {
            Some(d) if !(d.value > 0.0 && d.value <= 1.0) => {
                self.error(
                    Code::BadDecay,
                    format!(
                        "`decay` is {}; it must be above 0 and at most 1",
                        format_number(d.value)
                    ),
                    d.pos,
                    Some(
                        "0.65 weighs the most recent result 65% (MasteryConnect's default)".into(),
                    ),
                );
                DEFAULT_DECAY
            }
            Some(d) => d.value,
            None => DEFAULT_DECAY,
        };
        // A blueprint path is relative to the rules file, like an include.
        let blueprint = spec
            .blueprint
            .as_ref()
            .map(|b| self.source.beside(&b.value));
        (
            spec.combine.as_ref().map(|c| c.value).unwrap_or_default(),
            decay,
            spec.group_by.unwrap_or_default(),
            blueprint,
        )
    }

    pub(super) fn skills(&mut self, spec: Option<SkillsSpec>) -> (SkillColumns, Scale) {
        let Some(spec) = spec else {
            return (SkillColumns::None, Scale::Percent);
        };
        let columns = match spec.columns.value {
            OneOrMany::One(word) if word.eq_ignore_ascii_case("rest") => SkillColumns::Rest {
                ignore: spec.ignore,
            },
            OneOrMany::One(name) => SkillColumns::Listed {
                names: vec![name],
                pos: spec.columns.pos,
            },
            OneOrMany::Many(names) => {
                if !spec.ignore.is_empty() {
                    self.error(
                        Code::IgnoreWithList,
                        "`ignore` only applies to `columns: rest`".into(),
                        spec.columns.pos,
                        Some("remove `ignore`, or use `columns: rest`".into()),
                    );
                }
                SkillColumns::Listed {
                    names,
                    pos: spec.columns.pos,
                }
            }
        };
        (columns, spec.scale)
    }

    /// `recode:` checked: each key a field of the rules' own (not the id,
    /// name or section, which identify the student and the class).
    pub(super) fn recode(
        &mut self,
        recode: OrderedMap<OrderedMap<ParamValue>>,
        fields: &[Field],
    ) -> Vec<(usize, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for (field, spellings) in recode.0 {
            let Some(slot) = fields.iter().position(|f| f.name == field.value) else {
                let names = fields.iter().map(|f| f.name.as_str());
                let help = did_you_mean(&field.value, names)
                    .or_else(|| Some("`recode` is keyed by the fields under `columns`".into()));
                self.error(
                    Code::UnknownField,
                    format!(
                        "`recode` names `{}`, which is not a field of the rules",
                        field.value
                    ),
                    field.pos,
                    help,
                );
                continue;
            };
            if [STUDENT_ID, rules::NAME, rules::SECTION].contains(&field.value.as_str()) {
                self.error(
                    Code::BadRecode,
                    format!(
                        "`{}` cannot be recoded: it identifies the student or the class",
                        field.value
                    ),
                    field.pos,
                    Some("recode the rules' own fields, such as `grade` or `season`".into()),
                );
                continue;
            }
            let pairs = spellings
                .0
                .into_iter()
                .map(|(from, to)| {
                    let to = match to {
                        ParamValue::Number(n) => format_number(n),
                        ParamValue::Text(s) => s,
                    };
                    (rules::recode_key(from.value.as_bytes()), to)
                })
                .collect();
            out.push((slot, pairs));
        }
        out
    }
}
