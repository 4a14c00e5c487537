//! The YAML model → validated [`Rules`], or every problem found.
//!
//! Checks what can be checked without data: every plan a branch names
//! exists, every list of branches ends with a `default` and has no branch
//! that can never be reached, every condition parses and names something the
//! rules define, tables are well formed. Problems are collected, not
//! returned at the first, so a teacher fixes them in one pass.
//!
//! This file holds the [`Validator`], the assembly of [`Rules`] and the
//! checks across them (names in conditions, unused plans); `columns` checks
//! what the rules read (fields, skills, parameters, recodings), `plans` the
//! plans and what names them, `tree` the branches, leaves and conditions.

mod columns;
mod params;
mod plans;
mod tree;

use super::model::RulesFile;
use super::names::RuleNames;
use super::yaml::{Pos, Source};
use super::{
    Focus, Guideline, Located, Outcome, Param, ParamValue, Part, Rules, SkillColumns, Tree,
    offset_in_scalar,
};
use crate::condition::compile::{Compiler, Names, Scope, builtins};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::error::Error;

/// The start of the file, where a missing top-level key is reported.
const TOP: Pos = Pos {
    line: 1,
    column: 1,
    offset: Some(0),
};

struct Validator {
    source: Source,
    problems: Vec<Diagnostic>,
    leaves: usize,
    /// A problem with the command line (`--set`), not the file.
    usage: Option<String>,
}

/// The validated rules (when they could be built) and every problem found.
/// A `--set` of an unknown parameter is a usage error.
pub(super) fn validate(
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
                Code::MissingKey,
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

    fn error(
        &mut self,
        code: crate::diagnostic::Code,
        message: String,
        pos: Pos,
        help: Option<String>,
    ) {
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
                Code::UnsupportedVersion,
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
        let letters = self.letters(file.letters, &plans);
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
            letters,
            chosen_for: None,
            config: None,
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
                    Code::BadParameter,
                    "parameter `mastery` must be a number".into(),
                    pos,
                    None,
                );
                0.0
            }
            (None, SkillColumns::None) => 0.0,
            (None, _) => {
                self.error(
                    Code::MissingMastery,
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
                           code: Code| {
            let result = match scope {
                Scope::Student if code == Code::BadReason => {
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
                            Code::UnknownName,
                            format!("`{name}` is not a column, parameter or table of the rules; it will be read as a skill column"),
                        )
                        .at(rules.source.location(located.pos, extra, len))
                        .help(help),
                    );
                }
            }
        };
        if let Some(rule) = &rules.whole_class {
            compile(
                &mut compiler,
                &rule.when,
                Scope::Section,
                Code::BadCondition,
            );
        }
        fn walk(
            tree: &Tree,
            compiler: &mut Compiler<'_>,
            compile: &mut dyn FnMut(&mut Compiler<'_>, &Located, Scope, Code),
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
                compile(compiler, &branch.when, Scope::Student, Code::BadCondition);
                if let Outcome::Tree(sub) = &branch.outcome {
                    walk(sub, compiler, compile);
                }
            }
            for leaf in leaves {
                if let Focus::Weakest(Some(test)) = &leaf.focus {
                    compile(compiler, test, Scope::Skill, Code::BadFocus);
                }
                for part in leaf.reason.iter().flat_map(|t| &t.parts) {
                    if let Part::Value(located) = part {
                        compile(compiler, located, Scope::Student, Code::BadReason);
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
                    Code::UnusedPlan,
                    format!("plan `{}` is declared but no branch leads to it", plan.id),
                ));
            }
        }
    }
}
