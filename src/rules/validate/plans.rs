//! The plans, checked (a kind, a tier of 1 to 3, a cadence that parses),
//! and what names them: a branch's plan, the whole-class rule.

use super::Validator;
use crate::diagnostic::{Code, Diagnostic, did_you_mean, list};
use crate::rules::model::{LettersSpec, PlanSpec, WholeClassSpec};
use crate::rules::yaml::{OrderedMap, Sp};
use crate::rules::{Cadence, Letters, Plan, PlanKind, WholeClassRule};

impl Validator {
    pub(super) fn plans(&mut self, plans: Sp<OrderedMap<PlanSpec>>) -> Vec<Plan> {
        if plans.value.0.is_empty() {
            self.error(
                Code::NoPlans,
                "`plans` is empty".into(),
                plans.pos,
                Some("declare at least the plans the tree names".into()),
            );
        }
        let mut out = Vec::new();
        for (id, spec) in plans.value.0 {
            let kind = self
                .required(spec.kind, "kind", &format!("plan `{}`", id.value), id.pos)
                .map_or(PlanKind::Core, |k| k.value);
            let tier = match spec.tier {
                Some(t) if !(1..=3).contains(&t.value) => {
                    self.error(
                        Code::BadTier,
                        format!("plan `{}`: tier {} is not 1, 2 or 3", id.value, t.value),
                        t.pos,
                        None,
                    );
                    None
                }
                Some(t) => Some(t.value),
                None => kind.default_tier(),
            };
            if kind == PlanKind::NoData && tier.is_some() {
                self.error(
                    Code::BadTier,
                    format!("plan `{}` is `no_data` and cannot have a tier", id.value),
                    id.pos,
                    Some("remove `tier`".into()),
                );
            }
            let group_size = match spec.group_size {
                Some(size) if size.value == 0 => {
                    self.error(
                        Code::BadGroupSize,
                        format!("plan `{}`: a group needs at least 1 student", id.value),
                        size.pos,
                        None,
                    );
                    None
                }
                other => other.map(|s| s.value),
            };
            let monitor = spec.monitor.and_then(|m| self.cadence(&m));
            out.push(Plan {
                label: spec.label.map_or_else(|| id.value.clone(), |l| l.value),
                id: id.value,
                kind,
                tier,
                group_size,
                monitor,
                description: spec.description.unwrap_or_default().trim().to_owned(),
            });
        }
        out
    }

    /// Letters home: the template beside the rules, its language, and the
    /// plans named (by default, every plan whose kind changes a student's
    /// support: an intervention, a referral review, a changed intervention
    /// or a raised goal).
    pub(super) fn letters(&mut self, spec: Option<LettersSpec>, plans: &[Plan]) -> Letters {
        let spec = spec.unwrap_or(LettersSpec {
            template: None,
            language: None,
            plans: None,
        });
        let language = match spec.language {
            Some(l) if !is_language_tag(&l.value) => {
                self.error(
                    Code::BadLanguage,
                    format!("`{}` is not a language tag", l.value),
                    l.pos,
                    Some("write the template's language as `en`, `es` or `pt-BR`".into()),
                );
                "en".to_owned()
            }
            Some(l) => l.value,
            None => "en".to_owned(),
        };
        let chosen = match spec.plans {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.plan_ref(plans, id))
                .collect(),
            None => (0..plans.len())
                .filter(|&i| plans[i].kind.changes_support())
                .collect(),
        };
        Letters {
            template: spec.template.map(|t| self.source.beside(&t.value)),
            language,
            plans: chosen,
        }
    }

    /// A cadence, or an error at its place.
    pub(super) fn cadence(&mut self, text: &Sp<String>) -> Option<Cadence> {
        match cadence(&text.value) {
            Ok(c) => c,
            Err(message) => {
                self.error(
                    Code::BadCadence,
                    message,
                    text.pos,
                    Some(
                        "write `weekly`, `every 2 weeks`, `monthly`, `every 10 days` or `none`"
                            .into(),
                    ),
                );
                None
            }
        }
    }

    pub(super) fn plan_ref(&mut self, plans: &[Plan], id: &Sp<String>) -> Option<usize> {
        let found = plans.iter().position(|p| p.id == id.value);
        if found.is_none() {
            let help = did_you_mean(&id.value, plans.iter().map(|p| p.id.as_str())).or_else(|| {
                Some(format!(
                    "declare it under `plans:`; the plans are {}",
                    list(&plans.iter().map(|p| &p.id).collect::<Vec<_>>())
                ))
            });
            let location = self.source.location(id.pos, 0, id.value.chars().count());
            self.problems.push(
                Diagnostic::error(Code::UnknownPlan, format!("unknown plan `{}`", id.value))
                    .at(location)
                    .help_opt(help),
            );
        }
        found
    }

    /// The `whole_class` rule, checked against the plans.
    pub(super) fn whole_class(
        &mut self,
        spec: Sp<WholeClassSpec>,
        plans: &[Plan],
    ) -> Option<WholeClassRule> {
        let at = spec.pos;
        let spec = spec.value;
        let when = self.required(spec.when, "when", "`whole_class`", at);
        let plan = self.required(spec.plan, "plan", "`whole_class`", at);
        let (when, plan_id) = (when?, plan?);
        let plan = self.plan_ref(plans, &plan_id)?;
        if plans[plan].kind != PlanKind::WholeClassReteach {
            self.error(
                Code::WrongPlanKind,
                format!(
                    "the whole-class rule names plan `{}`, which is not a whole-class reteach",
                    plan_id.value
                ),
                plan_id.pos,
                Some("give it a plan of `kind: whole_class_reteach`".into()),
            );
        }
        let when = self.located(&when)?;
        Some(WholeClassRule { when, plan })
    }
}

/// A cadence such as `weekly` or `every 2 weeks`, in days; `none` is no
/// cadence.
pub(super) fn cadence(text: &str) -> Result<Option<Cadence>, String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let days = match words.as_slice() {
        ["none" | "never"] => return Ok(None),
        ["daily"] | ["every", "day"] => 1,
        ["weekly"] | ["every", "week"] => 7,
        ["biweekly"] | ["fortnightly"] | ["every", "other", "week"] => 14,
        ["monthly"] | ["every", "month"] => 28,
        ["every", n, unit] => {
            let n: u32 = n
                .parse()
                .map_err(|_| format!("`{text}`: `{n}` is not a whole number"))?;
            let per = match unit.trim_end_matches('s') {
                "day" => 1,
                "week" => 7,
                "month" => 28,
                _ => return Err(format!("`{text}`: `{unit}` is not days, weeks or months")),
            };
            if n == 0 {
                return Err(format!("`{text}`: the interval must be at least 1"));
            }
            n.saturating_mul(per)
        }
        _ => return Err(format!("cadence `{text}` is not understood")),
    };
    Ok(Some(Cadence {
        text: text.trim().to_owned(),
        days,
    }))
}

/// `en`, `es`, `pt-BR`, `zh-Hant`: letters, digits and hyphens, starting
/// with 2 or 3 letters.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}
