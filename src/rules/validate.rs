//! The YAML model → validated [`Rules`], or every problem found.
//!
//! Checks what can be checked without data: every plan a branch names
//! exists, every list of branches ends with a `default` and has no branch
//! that can never be reached, every condition parses and names something the
//! rules define, tables are well formed. Problems are collected, not
//! returned at the first, so a teacher fixes them in one pass.

use std::path::{Path, PathBuf};

use super::model::{ColumnSpec, Combine, GroupBy, NodeSpec, OneOrMany, RulesFile, SkillsSpec};
use super::names::RuleNames;
use super::yaml::{Pos, Source, Sp};
use super::{
    Branch, Cadence, Field, Focus, Guideline, IfMissing, Leaf, Located, Outcome, Param, ParamValue,
    Part, Plan, PlanKind, Rules, STUDENT_ID, SkillColumns, Template, Tree, WholeClassRule,
};
use crate::condition::compile::{Compiler, Names, Scope, builtins, format_number};
use crate::condition::number::parse_number;
use crate::condition::one_line;
use crate::condition::parse::{self, Expr, ExprKind, ParseError, Span};
use crate::diagnostic::{Diagnostic, did_you_mean, list};
use crate::error::Error;

/// The start of the file, where a missing top-level key is reported.
const TOP: Pos = Pos {
    line: 1,
    column: 1,
    offset: Some(0),
};

/// The weight of the most recent result in a decaying average, as
/// MasteryConnect's default (shared/research/domain-anchors.md 1.8).
const DEFAULT_DECAY: f64 = 0.65;

/// Deepest nesting of `then:` sub-trees accepted.
pub const MAX_TREE_DEPTH: usize = 16;

/// Names the condition language gives a meaning of its own.
const RESERVED: &[&str] = &[
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

struct Validator {
    source: Source,
    problems: Vec<Diagnostic>,
    leaves: usize,
    /// A problem with the command line (`--set`), not the file.
    usage: Option<String>,
}

/// The validated rules (when they could be built) and every problem found.
/// A `--set` of an unknown parameter is a usage error.
pub fn validate(
    source: Source,
    overrides: &[(String, String)],
) -> Result<(Option<Rules>, Vec<Diagnostic>), Error> {
    let file: RulesFile = match source.parse() {
        Ok(file) => file,
        Err(d) => return Ok((None, vec![d])),
    };
    let mut v = Validator {
        source,
        problems: Vec::new(),
        leaves: 0,
        usage: None,
    };
    let rules = v.rules(file, overrides);
    match v.usage {
        Some(message) => Err(Error::usage(message)),
        None => Ok((rules, v.problems)),
    }
}

impl Validator {
    /// `value`, or an error that `what` has no `key`.
    fn required<T>(&mut self, value: Option<T>, key: &str, what: &str, pos: Pos) -> Option<T> {
        if value.is_none() {
            self.error(
                "missing-key",
                format!("{what} has no `{key}`"),
                pos,
                Some(format!("add `{key}:`; rules/README.md describes it")),
            );
        }
        value
    }

    fn at(&self, pos: Pos) -> crate::diagnostic::Location {
        self.source.location(pos, 0, 0)
    }

    fn error(&mut self, code: &'static str, message: String, pos: Pos, help: Option<String>) {
        let d = Diagnostic::error(code, message)
            .at(self.at(pos))
            .help_opt(help);
        self.problems.push(d);
    }

    fn rules(&mut self, file: RulesFile, overrides: &[(String, String)]) -> Option<Rules> {
        if let Some(version) = &file.tierplan
            && version.value != 1
        {
            self.error(
                "unsupported-version",
                format!("rules format version {} is not supported", version.value),
                version.pos,
                Some("this tierplan reads format `tierplan: 1`".into()),
            );
        }
        let columns = self.required(file.columns, "columns", "the rules file", TOP);
        let fields = columns.map(|c| self.fields(c)).unwrap_or_default();
        let settings = self.skill_settings(file.skills.as_ref());
        let (skills, scale) = self.skills(file.skills);
        let params = self.params(file.params, overrides, &fields);
        let mastery = self.mastery(&params, &skills);
        let mut tables = Vec::new();
        let mut table_files = Vec::new();
        for (name, spec) in file.tables.0 {
            let mut cx = super::tables::Cx {
                source: &self.source,
                problems: &mut self.problems,
                files: &mut table_files,
            };
            tables.extend(super::tables::build(name, spec, &fields, &params, &mut cx));
        }
        let plans = self.required(file.plans, "plans", "the rules file", TOP);
        let plans = plans.map(|p| self.plans(p)).unwrap_or_default();
        let recode = self.recode(file.recode, &fields);
        let monitoring = file.monitoring.map_or([None, None, None], |m| {
            [m.tier1, m.tier2, m.tier3].map(|c| c.and_then(|c| self.cadence(&c)))
        });
        let guideline = file.guideline.map(|g| Guideline {
            tiers: [g.tier1, g.tier2, g.tier3],
        });
        let name = file.name.unwrap_or_else(|| {
            std::path::Path::new(&self.source.name)
                .file_stem()
                .map_or_else(
                    || self.source.name.clone(),
                    |s| s.to_string_lossy().into_owned(),
                )
        });
        let whole_class = file
            .whole_class
            .and_then(|spec| self.whole_class(spec, &plans));
        let tree = self
            .required(file.tree, "tree", "the rules file", TOP)
            .and_then(|tree| self.tree(tree.value, tree.pos, &plans, 0));
        let mut rules = Rules {
            source: self.source.clone(),
            name,
            description: file.description.unwrap_or_default().trim().to_owned(),
            fields,
            skills,
            scale,
            combine: settings.0,
            decay: settings.1,
            group_by: settings.2,
            blueprint: settings.3,
            params,
            tables,
            table_files,
            plans,
            whole_class,
            tree: tree?,
            guideline,
            monitoring,
            recode,
            mastery,
            chosen_for: None,
        };
        self.check_names(&rules);
        self.unused_plans(&rules);
        self.problems.extend(super::reach::unreachable(&rules));
        rules.source = self.source.clone();
        Some(rules)
    }

    /// The `mastery` parameter's value: required (a number) when the rules
    /// have skills.
    fn mastery(&mut self, params: &[Param], skills: &SkillColumns) -> f64 {
        let mastery = params
            .iter()
            .find(|p| p.name == "mastery")
            .map(|p| &p.value);
        match (mastery, skills) {
            (Some(ParamValue::Number(n)), _) => *n,
            (Some(ParamValue::Text(_)), _) => {
                let pos = params
                    .iter()
                    .find(|p| p.name == "mastery")
                    .map_or_else(Pos::default, |p| p.pos);
                self.error(
                    "bad-parameter",
                    "parameter `mastery` must be a number".into(),
                    pos,
                    None,
                );
                0.0
            }
            (None, SkillColumns::None) => 0.0,
            (None, _) => {
                self.error(
                    "missing-mastery",
                    "rules with skills need a parameter `mastery`".into(),
                    Pos::default(),
                    Some(
                        "add `params: {mastery: 80}`: a skill score below it is below mastery"
                            .into(),
                    ),
                );
                0.0
            }
        }
    }

    /// The `whole_class` rule, checked against the plans.
    fn whole_class(
        &mut self,
        spec: Sp<super::model::WholeClassSpec>,
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
                "wrong-plan-kind",
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

    fn fields(&mut self, columns: Sp<super::yaml::OrderedMap<Sp<ColumnSpec>>>) -> Vec<Field> {
        let mut fields = Vec::new();
        for (name, spec) in columns.value.0 {
            let (aliases, optional) = match spec.value {
                ColumnSpec::Names(names) => (names.into_vec(), false),
                ColumnSpec::Full(full) => (full.names.into_vec(), full.optional),
            };
            if RESERVED.contains(&name.value.as_str()) {
                self.error(
                    "reserved-name",
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
                    "empty-column",
                    format!("field `{}` lists no header names", name.value),
                    spec.pos,
                    Some(format!("write e.g. `{}: [{}]`", name.value, name.value)),
                );
            }
            if name.value == STUDENT_ID && optional {
                self.error(
                    "optional-student-id",
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
                "missing-student-id",
                "`columns` has no `student_id`".into(),
                columns.pos,
                Some("add `student_id: [student_id, id]` with the headers your files use".into()),
            );
        }
        fields
    }

    /// `combine`, `decay`, `group_by` and `blueprint`, checked.
    fn skill_settings(
        &mut self,
        spec: Option<&SkillsSpec>,
    ) -> (Combine, f64, GroupBy, Option<PathBuf>) {
        let Some(spec) = spec else {
            return (Combine::default(), DEFAULT_DECAY, GroupBy::default(), None);
        };
        let decay = match &spec.decay {
            Some(d) if !(d.value > 0.0 && d.value <= 1.0) => {
                self.error(
                    "bad-decay",
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
        let blueprint = spec.blueprint.as_ref().map(|b| {
            let base = Path::new(&self.source.name)
                .parent()
                .unwrap_or(Path::new("."));
            if self.source.name.starts_with("<built-in") {
                PathBuf::from(&b.value)
            } else {
                base.join(&b.value)
            }
        });
        (
            spec.combine.as_ref().map(|c| c.value).unwrap_or_default(),
            decay,
            spec.group_by.unwrap_or_default(),
            blueprint,
        )
    }

    fn skills(&mut self, spec: Option<SkillsSpec>) -> (SkillColumns, super::Scale) {
        let Some(spec) = spec else {
            return (SkillColumns::None, super::Scale::Percent);
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
                        "ignore-with-list",
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

    fn params(
        &mut self,
        params: super::yaml::OrderedMap<Sp<ParamValue>>,
        overrides: &[(String, String)],
        fields: &[Field],
    ) -> Vec<Param> {
        let mut out: Vec<Param> = params
            .0
            .into_iter()
            .map(|(name, value)| Param {
                name: name.value,
                value: value.value,
                pos: name.pos,
            })
            .collect();
        for p in &out {
            if RESERVED.contains(&p.name.as_str()) {
                self.error(
                    "reserved-name",
                    format!(
                        "`{}` is a built-in name and cannot name a parameter",
                        p.name
                    ),
                    p.pos,
                    None,
                );
            } else if fields.iter().any(|f| f.name == p.name) {
                self.error(
                    "duplicate-name",
                    format!("`{}` names both a column and a parameter", p.name),
                    p.pos,
                    Some("rename one of them".into()),
                );
            }
        }
        for (name, value) in overrides {
            let known: Vec<String> = out.iter().map(|p| p.name.clone()).collect();
            match out.iter_mut().find(|p| &p.name == name) {
                Some(p) => match (parse_number(value.as_bytes()), &p.value) {
                    (Some(n), _) => p.value = ParamValue::Number(n),
                    // A number stays a number: `NaN`, `inf` or a word is
                    // the command line's mistake, not the rules file's.
                    (None, ParamValue::Number(was)) => {
                        self.usage.get_or_insert(format!(
                            "`--set {name}={value}`: parameter `{name}` is a number, and `{value}` is not a finite number; e.g. `--set {name}={was}`"
                        ));
                    }
                    (None, ParamValue::Text(_)) => p.value = ParamValue::Text(value.clone()),
                },
                None => {
                    let hint = did_you_mean(name, known.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("the rules' parameters are {}", list(&known)));
                    self.usage.get_or_insert(format!(
                        "`--set {name}=...`: the rules have no parameter `{name}`; {hint}"
                    ));
                }
            }
        }
        out
    }

    /// `recode:` checked: each key a field of the rules' own (not the id,
    /// name or section, which identify the student and the class).
    fn recode(
        &mut self,
        recode: super::yaml::OrderedMap<super::yaml::OrderedMap<ParamValue>>,
        fields: &[Field],
    ) -> Vec<(usize, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for (field, spellings) in recode.0 {
            let Some(slot) = fields.iter().position(|f| f.name == field.value) else {
                let names = fields.iter().map(|f| f.name.as_str());
                let help = did_you_mean(&field.value, names)
                    .or_else(|| Some("`recode` is keyed by the fields under `columns`".into()));
                self.error(
                    "unknown-field",
                    format!(
                        "`recode` names `{}`, which is not a field of the rules",
                        field.value
                    ),
                    field.pos,
                    help,
                );
                continue;
            };
            if [STUDENT_ID, super::NAME, super::SECTION].contains(&field.value.as_str()) {
                self.error(
                    "bad-recode",
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
                    (super::recode_key(from.value.as_bytes()), to)
                })
                .collect();
            out.push((slot, pairs));
        }
        out
    }

    fn plans(&mut self, plans: Sp<super::yaml::OrderedMap<super::model::PlanSpec>>) -> Vec<Plan> {
        if plans.value.0.is_empty() {
            self.error(
                "no-plans",
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
                        "bad-tier",
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
                    "bad-tier",
                    format!("plan `{}` is `no_data` and cannot have a tier", id.value),
                    id.pos,
                    Some("remove `tier`".into()),
                );
            }
            let group_size = match spec.group_size {
                Some(size) if size.value == 0 => {
                    self.error(
                        "bad-group-size",
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

    /// A cadence, or an error at its place.
    fn cadence(&mut self, text: &Sp<String>) -> Option<Cadence> {
        match cadence(&text.value) {
            Ok(c) => c,
            Err(message) => {
                self.error(
                    "bad-cadence",
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

    fn plan_ref(&mut self, plans: &[Plan], id: &Sp<String>) -> Option<usize> {
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
                Diagnostic::error("unknown-plan", format!("unknown plan `{}`", id.value))
                    .at(location)
                    .help_opt(help),
            );
        }
        found
    }

    fn located(&mut self, text: &Sp<String>) -> Option<Located> {
        match parse::parse(&text.value) {
            Ok(expr) => Some(Located {
                text: text.value.clone(),
                pos: text.pos,
                base: 0,
                expr,
            }),
            Err(e) => {
                self.parse_error(text, 0, &e);
                None
            }
        }
    }

    fn parse_error(&mut self, text: &Sp<String>, base: usize, e: &ParseError) {
        let located = Located {
            text: text.value.clone(),
            pos: text.pos,
            base,
            expr: Expr {
                kind: ExprKind::Bool(false),
                span: e.span,
            },
        };
        let (extra, len) = offset_in_scalar(&self.source, &located, e.span);
        self.problems.push(
            Diagnostic::error("bad-condition", e.message.clone())
                .at(self.source.location(text.pos, extra, len))
                .help_opt(e.help.clone()),
        );
    }

    fn tree(
        &mut self,
        nodes: Vec<NodeSpec>,
        pos: Pos,
        plans: &[Plan],
        depth: usize,
    ) -> Option<Tree> {
        if depth > MAX_TREE_DEPTH {
            self.error(
                "tree-too-deep",
                format!("branches nest more than {MAX_TREE_DEPTH} levels deep"),
                pos,
                Some("flatten the tree: combine tests with `and`".into()),
            );
            return None;
        }
        let mut branches = Vec::new();
        let mut default = None;
        let mut seen: Vec<(String, Pos)> = Vec::new();
        for node in nodes {
            let node_pos = node
                .when
                .as_ref()
                .map(|w| w.pos)
                .or(node.default.as_ref().map(|d| d.pos))
                .unwrap_or(pos);
            if default.is_some() {
                self.error(
                    "unreachable-branch",
                    "this branch comes after the `default` and can never be reached".into(),
                    node_pos,
                    Some("move it above the `default`, or remove it".into()),
                );
                continue;
            }
            match (&node.when, &node.default) {
                (Some(_), Some(_)) => {
                    self.error(
                        "bad-branch",
                        "a branch has both `when` and `default`".into(),
                        node_pos,
                        Some("a branch is `when: <test>` with `plan` or `then`; the last is `default: <plan>`".into()),
                    );
                }
                (None, None) => {
                    self.error(
                        "bad-branch",
                        "a branch has neither `when` nor `default`".into(),
                        node_pos,
                        Some("start the branch with `when: <test>`, or make it the last, `default: <plan>`".into()),
                    );
                }
                (None, Some(plan)) => {
                    if node.plan.is_some() || node.then.is_some() || node.if_missing.is_some() {
                        self.error(
                            "bad-branch",
                            "a `default` names its plan itself and takes no `plan`, `then` or `if_missing`".into(),
                            node_pos,
                            Some("write `default: <plan>`, with `focus` and `reason` if needed".into()),
                        );
                    }
                    // A default with problems still ends the list, so the
                    // branches after it are reported as unreachable.
                    default = Some(
                        self.leaf(plan, node.focus.as_ref(), node.reason.as_ref(), plans)
                            .unwrap_or(Leaf {
                                id: usize::MAX,
                                plan: usize::MAX,
                                focus: Focus::None,
                                reason: None,
                                pos: plan.pos,
                            }),
                    );
                }
                (Some(_), None) => {
                    if let Some(branch) = self.branch(node, plans, depth, &mut seen) {
                        branches.push(branch);
                    }
                }
            }
        }
        let Some(default) = default else {
            self.error(
                "missing-default",
                "this list of branches has no `default`".into(),
                pos,
                Some("end it with `- default: <plan>`, the plan when no branch matches".into()),
            );
            return None;
        };
        Some(Tree { branches, default })
    }

    /// A branch with `when`, checked; `seen` holds the tests before it in
    /// its list, one line each, to find a repeated one.
    fn branch(
        &mut self,
        node: NodeSpec,
        plans: &[Plan],
        depth: usize,
        seen: &mut Vec<(String, Pos)>,
    ) -> Option<Branch> {
        let when = node.when.as_ref()?;
        let normalized = one_line(&when.value);
        if let Some((_, earlier)) = seen.iter().find(|(text, _)| *text == normalized) {
            self.error(
                "unreachable-branch",
                format!(
                    "this branch repeats the test on line {} and can never be reached",
                    earlier.line
                ),
                when.pos,
                Some("remove it, or change its test".into()),
            );
        }
        seen.push((normalized, when.pos));
        let located = self.located(when)?;
        if let ExprKind::Bool(false) = located.expr.kind {
            self.error(
                "unreachable-branch",
                "`when: false` never matches".into(),
                when.pos,
                Some("remove the branch".into()),
            );
        }
        let outcome = match (&node.plan, node.then) {
            (Some(plan), None) => {
                let leaf = self.leaf(plan, node.focus.as_ref(), node.reason.as_ref(), plans)?;
                Outcome::Leaf(Box::new(leaf))
            }
            (None, Some(then)) => {
                if node.focus.is_some() || node.reason.is_some() {
                    self.error(
                        "bad-branch",
                        "`focus` and `reason` belong to the branches inside `then`".into(),
                        when.pos,
                        None,
                    );
                }
                Outcome::Tree(Box::new(self.tree(
                    then.value,
                    then.pos,
                    plans,
                    depth + 1,
                )?))
            }
            (Some(_), Some(_)) => {
                self.error(
                    "bad-branch",
                    "a branch has both `plan` and `then`".into(),
                    when.pos,
                    Some("give it a `plan`, or a `then` list of branches, not both".into()),
                );
                return None;
            }
            (None, None) => {
                self.error(
                    "bad-branch",
                    "a branch with `when` needs a `plan` or a `then` list".into(),
                    when.pos,
                    None,
                );
                return None;
            }
        };
        if matches!(located.expr.kind, ExprKind::Bool(true)) {
            self.error(
                "always-true",
                "`when: true` always matches; write it as the `default`".into(),
                when.pos,
                None,
            );
        }
        Some(Branch {
            when: located,
            if_missing: node.if_missing.map(|m| m.value).unwrap_or(IfMissing::Skip),
            outcome,
        })
    }

    fn leaf(
        &mut self,
        plan: &Sp<String>,
        focus: Option<&Sp<String>>,
        reason: Option<&Sp<String>>,
        plans: &[Plan],
    ) -> Option<Leaf> {
        let plan_index = self.plan_ref(plans, plan)?;
        let focus = match focus {
            None => Focus::None,
            Some(text) => self.focus(text)?,
        };
        let reason = match reason {
            None => None,
            Some(text) => Some(self.template(text)?),
        };
        let id = self.leaves;
        self.leaves += 1;
        Some(Leaf {
            id,
            plan: plan_index,
            focus,
            reason,
            pos: plan.pos,
        })
    }

    fn focus(&mut self, text: &Sp<String>) -> Option<Focus> {
        if text.value.trim() == "none" {
            return Some(Focus::None);
        }
        let located = self.located(text)?;
        match &located.expr.kind {
            ExprKind::Name(name) if name == "weakest" => Some(Focus::Weakest(None)),
            ExprKind::Call(name, _, args) if name == "weakest" && args.len() == 1 => {
                Some(Focus::Weakest(Some(Located {
                    expr: args[0].clone(),
                    ..located
                })))
            }
            _ => {
                self.error(
                    "bad-focus",
                    format!("focus `{}` is not understood", text.value),
                    text.pos,
                    Some("write `weakest`, `weakest(<test about a skill>)` or `none`".into()),
                );
                None
            }
        }
    }

    fn template(&mut self, text: &Sp<String>) -> Option<Template> {
        let mut parts = Vec::new();
        let s = &text.value;
        let mut literal = String::new();
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push_str(&rest[..1]);
                i += 2;
            } else if rest.starts_with('{') {
                let Some(end) = rest.find('}') else {
                    self.error(
                        "bad-reason",
                        "`{` opens a placeholder that is never closed".into(),
                        text.pos,
                        Some("close it with `}`, or write `{{` for a literal brace".into()),
                    );
                    return None;
                };
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                let inner = &rest[1..end];
                match inner.trim() {
                    "focus" => parts.push(Part::Focus),
                    "focus_score" => parts.push(Part::FocusScore),
                    _ => match parse::parse(inner) {
                        Ok(expr) => parts.push(Part::Value(Located {
                            text: s.clone(),
                            pos: text.pos,
                            base: i + 1,
                            expr,
                        })),
                        Err(e) => {
                            self.parse_error(text, i + 1, &e);
                            return None;
                        }
                    },
                }
                i += end + 1;
            } else {
                let ch = rest.chars().next().unwrap_or(' ');
                literal.push(ch);
                i += ch.len_utf8();
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Some(Template {
            pos: text.pos,
            parts,
        })
    }

    /// Compile every condition against the rules' own names, so unknown
    /// names are found before any data is read.
    fn check_names(&mut self, rules: &Rules) {
        let skills: Option<Vec<Box<str>>> = match &rules.skills {
            SkillColumns::Listed { names, .. } => {
                Some(names.iter().map(|n| n.as_str().into()).collect())
            }
            SkillColumns::None => Some(Vec::new()),
            SkillColumns::Rest { .. } => None,
        };
        let names = RuleNames {
            rules,
            skills: skills.as_deref(),
        };
        let mut problems = Vec::new();
        let mut compiler = Compiler::new(&names);
        let candidates = names.candidates();
        // Compile one expression; a problem becomes an error, and a name left
        // for the data's skill columns becomes a warning when it looks like a
        // typo of a known name.
        let mut compile = |compiler: &mut Compiler<'_>,
                           located: &Located,
                           scope: Scope,
                           code: &'static str| {
            let result = match scope {
                Scope::Student if code == "bad-reason" => {
                    compiler.value(&located.expr, scope).map(|_| ())
                }
                _ => compiler.cond(&located.expr, scope).map(|_| ()),
            };
            if let Err(e) = result {
                problems.push(rules.condition_error(located, &e, code));
            }
            for (name, span) in compiler.deferred.drain(..) {
                let known = candidates
                    .iter()
                    .map(String::as_str)
                    .chain(builtins(scope).iter().copied());
                if let Some(help) = did_you_mean(&name, known) {
                    let (extra, len) = offset_in_scalar(&rules.source, located, span);
                    problems.push(
                        Diagnostic::warning(
                            "unknown-name",
                            format!("`{name}` is not a column, parameter or table of the rules; it will be read as a skill column"),
                        )
                        .at(rules.source.location(located.pos, extra, len))
                        .help(help),
                    );
                }
            }
        };
        if let Some(rule) = &rules.whole_class {
            compile(&mut compiler, &rule.when, Scope::Section, "bad-condition");
        }
        fn walk(
            tree: &Tree,
            compiler: &mut Compiler<'_>,
            compile: &mut dyn FnMut(&mut Compiler<'_>, &Located, Scope, &'static str),
        ) {
            let leaves = tree
                .branches
                .iter()
                .filter_map(|b| match &b.outcome {
                    Outcome::Leaf(leaf) => Some(&**leaf),
                    Outcome::Tree(_) => None,
                })
                .chain([&tree.default]);
            for branch in &tree.branches {
                compile(compiler, &branch.when, Scope::Student, "bad-condition");
                if let Outcome::Tree(sub) = &branch.outcome {
                    walk(sub, compiler, compile);
                }
            }
            for leaf in leaves {
                if let Focus::Weakest(Some(test)) = &leaf.focus {
                    compile(compiler, test, Scope::Skill, "bad-focus");
                }
                for part in leaf.reason.iter().flat_map(|t| &t.parts) {
                    if let Part::Value(located) = part {
                        compile(compiler, located, Scope::Student, "bad-reason");
                    }
                }
            }
        }
        walk(&rules.tree, &mut compiler, &mut compile);
        self.problems.extend(problems);
    }

    fn unused_plans(&mut self, rules: &Rules) {
        let mut used = vec![false; rules.plans.len()];
        let whole_class = rules.whole_class.as_ref().map(|rule| rule.plan);
        for plan in rules
            .leaves()
            .iter()
            .map(|leaf| leaf.plan)
            .chain(whole_class)
        {
            if let Some(used) = used.get_mut(plan) {
                *used = true;
            }
        }
        for (plan, used) in rules.plans.iter().zip(used) {
            if !used {
                self.problems.push(Diagnostic::warning(
                    "unused-plan",
                    format!("plan `{}` is declared but no branch leads to it", plan.id),
                ));
            }
        }
    }
}

/// A cadence such as `weekly` or `every 2 weeks`, in days; `none` is no
/// cadence.
pub fn cadence(text: &str) -> Result<Option<Cadence>, String> {
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

/// Where a span of an expression falls in the YAML source, as characters
/// after the scalar's start and a length, when the scalar maps 1:1 to the
/// source (plain or quoted on one line); otherwise the scalar's start.
pub fn offset_in_scalar(source: &Source, located: &Located, span: Span) -> (usize, usize) {
    let start = located.base + span.start;
    let end = (located.base + span.end).min(located.text.len());
    let Some(offset) = located.pos.offset else {
        return (0, 1);
    };
    let src = source.text.get(offset..).unwrap_or("");
    let quote = usize::from(src.starts_with('"') || src.starts_with('\''));
    let body = src.get(quote..).unwrap_or("");
    let Some(prefix) = located.text.get(..end) else {
        return (0, 1);
    };
    if !body.starts_with(prefix) || prefix.contains('\n') {
        return (0, 1);
    }
    let chars_before = located.text[..start.min(end)].chars().count();
    let len = located.text[start.min(end)..end].chars().count();
    (quote + chars_before, len.max(1))
}
