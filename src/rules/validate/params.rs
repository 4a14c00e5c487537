//! `params:` checked, with `--set` applied: no built-in or field names, and
//! every number within its range. A range is what the rules declare
//! (`whole_class_share: {value: 0.5, min: 0, max: 1}`) or, for `mastery`,
//! which is compared with skill scores, the scores' own: 0 to 100 (a
//! percent). The file's value and a `--set` value are held to the same
//! range; a `--set` out of it is the command line's mistake and says
//! `--set` (issue 12).

use super::Validator;
use super::columns::RESERVED;
use crate::condition::compile::format_number;
use crate::condition::number::parse_number;
use crate::diagnostic::{Code, did_you_mean, list};
use crate::rules::model::ParamSpec;
use crate::rules::yaml::{OrderedMap, Pos, Sp};
use crate::rules::{Bounds, Field, Param, ParamValue};

/// The range of `mastery`: skill scores are read as percents, 0 to 100.
const MASTERY: Bounds = Bounds {
    min: 0.0,
    max: 100.0,
    declared: false,
};

impl Validator {
    pub(super) fn params(
        &mut self,
        params: OrderedMap<Sp<ParamSpec>>,
        overrides: &[(String, String)],
        fields: &[Field],
    ) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::with_capacity(params.0.len());
        for (name, spec) in params.0 {
            let (value, bounds) = match spec.value {
                ParamSpec::Value(value) => (value, None),
                ParamSpec::Bounded(b) => (ParamValue::Number(b.value), self.bounds(&b, spec.pos)),
            };
            let bounds = bounds.or((name.value == "mastery").then_some(MASTERY));
            out.push(Param {
                name: name.value,
                value,
                pos: name.pos,
                bounds,
            });
        }
        for p in &out {
            if RESERVED.contains(&p.name.as_str()) {
                self.error(
                    Code::ReservedName,
                    format!(
                        "`{}` is a built-in name and cannot name a parameter",
                        p.name
                    ),
                    p.pos,
                    None,
                );
            } else if fields.iter().any(|f| f.name == p.name) {
                self.error(
                    Code::DuplicateName,
                    format!("`{}` names both a column and a parameter", p.name),
                    p.pos,
                    Some("rename one of them".into()),
                );
            } else if let (ParamValue::Number(n), Some(b)) = (&p.value, p.bounds)
                && !b.holds(*n)
            {
                self.error(
                    Code::BadParameter,
                    format!(
                        "parameter `{}` is {}, and must be a number {} ({})",
                        p.name,
                        shown(*n),
                        b.range(),
                        b.why()
                    ),
                    p.pos,
                    None,
                );
            }
        }
        for (name, value) in overrides {
            self.set(&mut out, name, value);
        }
        out
    }

    /// `{value, min, max}` checked: a range with at least one bound, the
    /// lower not above the upper.
    fn bounds(&mut self, spec: &crate::rules::model::BoundedParam, pos: Pos) -> Option<Bounds> {
        let bounds = Bounds {
            min: spec.min.unwrap_or(f64::NEG_INFINITY),
            max: spec.max.unwrap_or(f64::INFINITY),
            declared: true,
        };
        if spec.min.is_none() && spec.max.is_none() {
            self.error(
                Code::BadParameter,
                "a parameter written as `{value: ...}` needs `min`, `max` or both".into(),
                pos,
                Some("write `name: 80` for a parameter with no range".into()),
            );
            return None;
        }
        if bounds.min > bounds.max {
            self.error(
                Code::BadParameter,
                format!(
                    "the parameter's `min` ({}) is above its `max` ({})",
                    shown(bounds.min),
                    shown(bounds.max)
                ),
                pos,
                None,
            );
            return None;
        }
        Some(bounds)
    }

    /// `--set name=value` applied to the parameter it names, held to the
    /// same kind and range as the file's value; a problem is a usage error
    /// naming `--set`.
    fn set(&mut self, out: &mut [Param], name: &str, value: &str) {
        let known: Vec<String> = out.iter().map(|p| p.name.clone()).collect();
        let Some(p) = out.iter_mut().find(|p| p.name == name) else {
            let hint = did_you_mean(name, known.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the rules' parameters are {}", list(&known)));
            self.usage.get_or_insert(format!(
                "`--set {name}=...`: the rules have no parameter `{name}`; {hint}"
            ));
            return;
        };
        match (parse_number(value.as_bytes()), &p.value) {
            (Some(n), was) => {
                if let Some(b) = p.bounds
                    && !b.holds(n)
                {
                    let example = match was {
                        ParamValue::Number(was) if b.holds(*was) => shown(*was),
                        _ => shown(b.example()),
                    };
                    self.usage.get_or_insert(format!(
                        "`--set {name}={value}`: parameter `{name}` must be a number {} ({}); e.g. `--set {name}={example}`",
                        b.range(),
                        b.why()
                    ));
                    return;
                }
                p.value = ParamValue::Number(n);
            }
            // A number stays a number: `NaN`, `inf` or a word is the
            // command line's mistake, not the rules file's.
            (None, ParamValue::Number(was)) => {
                self.usage.get_or_insert(format!(
                    "`--set {name}={value}`: parameter `{name}` is a number, and `{value}` is not a finite number; e.g. `--set {name}={}`",
                    format_number(*was)
                ));
            }
            (None, ParamValue::Text(_)) => p.value = ParamValue::Text(value.to_owned()),
        }
    }
}

impl Bounds {
    fn holds(self, n: f64) -> bool {
        (self.min..=self.max).contains(&n)
    }

    /// `from 0 to 100`, `of at least 0`, `of at most 1`.
    fn range(self) -> String {
        match (self.min.is_finite(), self.max.is_finite()) {
            (true, true) => format!("from {} to {}", shown(self.min), shown(self.max)),
            (true, false) => format!("of at least {}", shown(self.min)),
            _ => format!("of at most {}", shown(self.max)),
        }
    }

    /// Where the range comes from.
    fn why(self) -> &'static str {
        if self.declared {
            "the range the rules give it with `min` and `max`"
        } else {
            "it is compared with skill scores, which are percents"
        }
    }

    /// A value in the range, for an example.
    fn example(self) -> f64 {
        match (self.min.is_finite(), self.max.is_finite()) {
            (true, _) => self.min,
            (false, true) => self.max,
            _ => 0.0,
        }
    }
}

/// A number as a message shows it: `80`, `0.5`, and `-1e308` rather than
/// its 309 digits.
fn shown(n: f64) -> String {
    if n.abs() >= 1e15 {
        format!("{n:e}")
    } else {
        format_number(n)
    }
}
