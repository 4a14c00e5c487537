//! The test cases of a rules file: their YAML shape, 1:1 with the keys of
//! `NAME.test.yaml` (and of the rules file's own `tests:` key), and the
//! checked [`Case`]s the runner runs.
//!
//! Everything that can be checked against the rules alone is checked here,
//! every problem at once, each naming the test file's line and column: a
//! missing or unknown key, a plan id the rules do not declare, a `branch`
//! that names no leaf (or several), a field name that looks like a typo.
//! What needs the data (a `focus` skill, `whole_class` skills) is checked by
//! the runner. This module must not run the engine.

use serde::Deserialize;

use crate::condition::{format_number, one_line};
use crate::diagnostic::{Code, Diagnostic, Location, did_you_mean, list, suggest};
use crate::ingest::columns::same_header;
use crate::rules::yaml::{OrderedMap, Pos, Source, Sp};
use crate::rules::{Outcome, Rules, SECTION, STUDENT_ID, SkillColumns, Tree};

/// `tests:` in the test file, the only top-level key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    tests: Option<Sp<Vec<Sp<CaseSpec>>>>,
}

/// `tests:` in a rules file; the rules' other keys are not read here.
#[derive(Debug, Deserialize)]
struct Embedded {
    tests: Option<Sp<Vec<Sp<CaseSpec>>>>,
}

/// One row of data: column name → cell (a number, a word, `true`/`false`
/// or empty).
type RowSpec = Sp<OrderedMap<Sp<Option<Value>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    name: Option<Sp<String>>,
    /// The student's fields and skill scores, as the rules read them.
    student: Option<RowSpec>,
    /// The student's rows as an export has them (probes: one per date).
    rows: Option<Sp<Vec<RowSpec>>>,
    /// Other students of the same section, in the same form.
    classmates: Option<Sp<Vec<RowSpec>>>,
    expect: Option<Sp<ExpectSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectSpec {
    plan: Option<Sp<String>>,
    /// A number, or `none` for a plan without a tier.
    tier: Option<Sp<Value>>,
    /// A skill's column name, or `none`.
    focus: Option<Sp<String>>,
    /// The leaf reached: its condition text, `default`, or a path.
    branch: Option<Sp<String>>,
    /// Exactly the skills the student's section relearns together.
    whole_class: Option<Sp<Vec<Sp<String>>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Value {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Value {
    fn cell(&self) -> String {
        match self {
            Value::Number(n) => format_number(*n),
            Value::Bool(b) => b.to_string(),
            Value::Text(s) => s.clone(),
        }
    }
}

/// The tests of one rules file, from one or two sources.
#[derive(Debug)]
pub(crate) struct Suite {
    /// Where the cases were read from: the rules file (its `tests:` key)
    /// and the test file beside it.
    pub sources: Vec<Source>,
    pub cases: Vec<Case>,
}

/// How a case gives its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `student:`: the fields as the rules name them, read as plain CSV.
    Fields,
    /// `rows:`: rows as an export has them, recognised like any file.
    Rows,
}

/// One checked case.
#[derive(Debug)]
pub(crate) struct Case {
    pub name: String,
    /// Index into [`Suite::sources`].
    pub source: usize,
    pub pos: Pos,
    pub mode: Mode,
    /// The student's id (given, or `student`).
    pub id: String,
    /// The student's rows, then the classmates', each a list of
    /// (column name, cell), in the order written.
    pub rows: Vec<Row>,
    pub expect: Expect,
}

#[derive(Debug)]
pub(crate) struct Row {
    pub pos: Pos,
    pub cells: Vec<(String, String)>,
}

/// What a case expects; only what it names is compared.
#[derive(Debug)]
pub(crate) struct Expect {
    /// Index into the rules' plans.
    pub plan: usize,
    /// `Some(None)`: the plan has no tier.
    pub tier: Option<Option<u8>>,
    /// `Some(None)`: no focus skill.
    pub focus: Option<Sp<Option<String>>>,
    pub branch: Option<Branch>,
    pub whole_class: Option<Vec<Sp<String>>>,
}

/// The leaf `branch:` names.
#[derive(Debug, Clone)]
pub(crate) enum Branch {
    /// A leaf of the rules, by id.
    Leaf(usize),
    /// Text that is no branch of the rules (they changed, or a typo): the
    /// case fails, saying so, rather than the test file being wrong.
    Unknown { text: String, hint: Option<String> },
}

/// A leaf of the tree as `branch:` names it and coverage lists it.
#[derive(Debug, Clone)]
pub(crate) struct LeafInfo {
    pub id: usize,
    /// The conditions of the enclosing `then:` branches, then the leaf's own
    /// condition or `default`, each with its whitespace collapsed.
    pub path: Vec<String>,
    pub line: u64,
    pub plan: usize,
}

impl LeafInfo {
    /// `placement is present > default`.
    pub(crate) fn label(&self) -> String {
        self.path.join(" > ")
    }
}

/// Every leaf, in document order.
pub(crate) fn leaves(rules: &Rules) -> Vec<LeafInfo> {
    fn walk(tree: &Tree, parents: &[String], out: &mut Vec<LeafInfo>) {
        for branch in &tree.branches {
            let mut path = parents.to_vec();
            path.push(one_line(&branch.when.text));
            match &branch.outcome {
                Outcome::Leaf(leaf) => out.push(LeafInfo {
                    id: leaf.id,
                    path,
                    line: branch.when.pos.line,
                    plan: leaf.plan,
                }),
                Outcome::Tree(sub) => walk(sub, &path, out),
            }
        }
        let mut path = parents.to_vec();
        path.push("default".to_owned());
        out.push(LeafInfo {
            id: tree.default.id,
            path,
            line: tree.default.pos.line,
            plan: tree.default.plan,
        });
    }
    let mut out = Vec::new();
    walk(&rules.tree, &[], &mut out);
    out.sort_by_key(|l| l.line);
    out
}

impl Suite {
    /// The cases of `rules`: those under its own `tests:` key, then those of
    /// `sidecar` (the test file's source), every problem found at once.
    pub(crate) fn read(rules: &Rules, sidecar: Option<Source>) -> Result<Suite, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut specs = Vec::new();
        let mut sources = Vec::new();
        // The rules parsed already; reading them again for `tests:` cannot
        // fail but for a key only this reader sees.
        match rules.source.parse::<Embedded>() {
            Ok(Embedded { tests: Some(tests) }) => {
                sources.push(rules.source.clone());
                specs.extend(tests.value.into_iter().map(|c| (0, c)));
            }
            Ok(Embedded { tests: None }) => {}
            Err(d) => problems.push(d),
        }
        if let Some(file) = sidecar {
            match file.parse::<TestFile>() {
                Ok(TestFile { tests: Some(tests) }) => {
                    if tests.value.is_empty() {
                        problems.push(
                            Diagnostic::error(Code::NoTests, "`tests` lists no case")
                                .at(file.location(tests.pos, 0, 1))
                                .help("add a case: `- name: ...`; rules/README.md, \"Testing your rules\", shows one"),
                        );
                    }
                    let index = sources.len();
                    specs.extend(tests.value.into_iter().map(|c| (index, c)));
                }
                Ok(TestFile { tests: None }) => problems.push(
                    Diagnostic::error(Code::MissingKey, "the test file has no `tests`")
                        .at(file.location(
                            Pos {
                                line: 1,
                                column: 1,
                                offset: Some(0),
                            },
                            0,
                            1,
                        ))
                        .help("write the cases under `tests:`; rules/README.md, \"Testing your rules\", shows one"),
                ),
                Err(d) => problems.push(d),
            }
            sources.push(file);
        }
        let leaves = leaves(rules);
        let mut checker = Checker {
            rules,
            leaves: &leaves,
            sources: &sources,
            problems,
        };
        let mut cases = Vec::new();
        for (source, spec) in specs {
            if let Some(case) = checker.case(source, spec) {
                cases.push(case);
            }
        }
        for (i, case) in cases.iter().enumerate() {
            if cases[..i].iter().any(|c| c.name == case.name) {
                let at = sources[case.source].location(case.pos, 0, 1);
                checker.problems.push(
                    Diagnostic::error(
                        Code::DuplicateCase,
                        format!("two cases are named `{}`", case.name),
                    )
                    .at(at)
                    .help("give each case its own name, so a failure says which one"),
                );
            }
        }
        if checker.problems.is_empty() {
            Ok(Suite { sources, cases })
        } else {
            Err(checker.problems)
        }
    }
}

struct Checker<'a> {
    rules: &'a Rules,
    leaves: &'a [LeafInfo],
    sources: &'a [Source],
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        source: usize,
        pos: Pos,
        code: crate::diagnostic::Code,
        message: String,
        help: &str,
    ) {
        let mut d = Diagnostic::error(code, message).at(self.sources[source].location(pos, 0, 1));
        if !help.is_empty() {
            d = d.help(help);
        }
        self.problems.push(d);
    }

    fn case(&mut self, source: usize, spec: Sp<CaseSpec>) -> Option<Case> {
        let pos = spec.pos;
        let spec = spec.value;
        let before = self.problems.len();
        let name = match spec.name {
            Some(name) => name.value,
            None => {
                self.error(
                    source,
                    pos,
                    Code::MissingKey,
                    "this case has no `name`".into(),
                    "add `name:`, what the case is about (it is shown when the case fails)",
                );
                String::new()
            }
        };
        let (mode, own) = match (spec.student, spec.rows) {
            (Some(student), None) => (Mode::Fields, vec![student]),
            (None, Some(rows)) if !rows.value.is_empty() => (Mode::Rows, rows.value),
            (None, Some(rows)) => {
                self.error(
                    source,
                    rows.pos,
                    Code::NoRows,
                    format!("case `{name}` lists no row"),
                    "give the student's rows, one mapping per row",
                );
                (Mode::Rows, Vec::new())
            }
            (Some(student), Some(_)) => {
                self.error(
                    source,
                    student.pos,
                    Code::StudentAndRows,
                    format!("case `{name}` has both `student` and `rows`"),
                    "give the fields the rules read in `student`, or the export's rows in `rows`, not both",
                );
                (Mode::Fields, Vec::new())
            }
            (None, None) => {
                self.error(
                    source,
                    pos,
                    Code::MissingKey,
                    format!("case `{name}` has no `student`"),
                    "add `student: {student_id: S1, ...}` with the fields and scores the rules read",
                );
                (Mode::Fields, Vec::new())
            }
        };
        let classmates = spec.classmates.map(|c| c.value).unwrap_or_default();
        let expect = match spec.expect {
            Some(expect) => self.expect(source, &name, expect.pos, expect.value),
            None => {
                self.error(
                    source,
                    pos,
                    Code::MissingKey,
                    format!("case `{name}` has no `expect`"),
                    "add `expect: {plan: ...}` with the plan the student should get",
                );
                None
            }
        };
        // The student's id, for finding them in the plan.
        let id_of = |row: &RowSpec| {
            row.value.0.iter().find_map(|(key, value)| {
                self.field(&key.value)
                    .filter(|&f| self.rules.fields[f].name == STUDENT_ID)
                    .and(value.value.as_ref().map(Value::cell))
            })
        };
        let id = own
            .iter()
            .find_map(id_of)
            .unwrap_or_else(|| "student".to_owned());
        let own_rows = own.len();
        let mut rows = Vec::new();
        let mut section = None;
        for (i, row) in own.into_iter().chain(classmates).enumerate() {
            let default_id = if i < own_rows {
                id.clone()
            } else {
                format!("classmate {}", i - own_rows + 1)
            };
            let row = self.row(source, mode, row, &default_id, &mut section);
            rows.push(row);
        }
        let expect = expect?;
        (self.problems.len() == before).then_some(Case {
            name,
            source,
            pos,
            mode,
            id,
            rows,
            expect,
        })
    }

    /// The field a column name is, by its name or one of its headers.
    fn field(&self, key: &str) -> Option<usize> {
        self.rules.fields.iter().position(|f| {
            same_header(&f.name, key) || f.aliases.iter().any(|a| same_header(a, key))
        })
    }

    /// One row's cells; the student's id is added when not given, and a
    /// classmate's section is the student's when not given.
    fn row(
        &mut self,
        source: usize,
        mode: Mode,
        row: RowSpec,
        default_id: &str,
        section: &mut Option<(String, String)>,
    ) -> Row {
        let rules = self.rules;
        let mut cells = Vec::new();
        let (mut has_id, mut has_section) = (false, false);
        for (key, value) in row.value.0 {
            let cell = value.value.as_ref().map(Value::cell).unwrap_or_default();
            let field = self.field(&key.value);
            let name = field.map(|f| rules.fields[f].name.as_str());
            has_id |= name == Some(STUDENT_ID);
            if name == Some(SECTION) {
                has_section = true;
                if section.is_none() {
                    *section = Some((key.value.clone(), cell.clone()));
                }
            }
            if mode == Mode::Fields && field.is_none() {
                self.skill_key(source, &key);
            }
            cells.push((key.value, cell));
        }
        if !has_id {
            let header = rules
                .fields
                .iter()
                .find(|f| f.name == STUDENT_ID)
                .and_then(|f| f.aliases.first())
                .map_or(STUDENT_ID, String::as_str);
            cells.insert(0, (header.to_owned(), default_id.to_owned()));
        }
        if !has_section && let Some((header, value)) = section.clone() {
            cells.push((header, value));
        }
        Row {
            pos: row.pos,
            cells,
        }
    }

    /// A key of `student:` that is not a field must be a skill the rules
    /// read; a near miss of a field name is a typo.
    fn skill_key(&mut self, source: usize, key: &Sp<String>) {
        let rules = self.rules;
        let fields = rules.fields.iter().map(|f| f.name.as_str());
        let problem = match &rules.skills {
            SkillColumns::None => Some((
                format!("`{}` is not a field of the rules", key.value),
                did_you_mean(&key.value, fields).unwrap_or_else(|| {
                    format!(
                        "the rules read no skills; their fields are {}",
                        list(&rules.fields.iter().map(|f| &f.name).collect::<Vec<_>>())
                    )
                }),
            )),
            SkillColumns::Listed { names, .. } => {
                (!names.iter().any(|n| same_header(n, &key.value))).then(|| {
                    let candidates = fields.chain(names.iter().map(String::as_str));
                    (
                        format!(
                            "`{}` is neither a field nor a skill of the rules",
                            key.value
                        ),
                        did_you_mean(&key.value, candidates)
                            .unwrap_or_else(|| format!("the skills are {}", list(names))),
                    )
                })
            }
            SkillColumns::Rest { .. } => suggest(&key.value, fields).map(|near| {
                (
                    format!(
                        "`{}` is not a field of the rules; it would be read as a skill",
                        key.value
                    ),
                    format!("did you mean `{near}`?"),
                )
            }),
        };
        if let Some((message, help)) = problem {
            self.error(source, key.pos, Code::UnknownField, message, &help);
        }
    }

    fn expect(&mut self, source: usize, name: &str, pos: Pos, spec: ExpectSpec) -> Option<Expect> {
        let rules = self.rules;
        let plan = match spec.plan {
            Some(plan) => match rules.plan(&plan.value) {
                Some(i) => Some(i),
                None => {
                    let ids = rules.plans.iter().map(|p| p.id.as_str());
                    let help = did_you_mean(&plan.value, ids.clone()).unwrap_or_else(|| {
                        format!("the plans are {}", list(&ids.collect::<Vec<_>>()))
                    });
                    self.error(
                        source,
                        plan.pos,
                        Code::UnknownPlan,
                        format!(
                            "case `{name}` expects plan `{}`, which the rules do not declare",
                            plan.value
                        ),
                        &help,
                    );
                    None
                }
            },
            None => {
                self.error(
                    source,
                    pos,
                    Code::MissingKey,
                    format!("the `expect` of case `{name}` has no `plan`"),
                    "add `plan:` with the id of the plan the student should get",
                );
                None
            }
        };
        let tier = match spec.tier {
            None => Some(None),
            Some(Sp {
                value: Value::Number(n),
                ..
            }) if [1.0, 2.0, 3.0].contains(&n) => Some(Some(Some(n as u8))),
            Some(Sp {
                value: Value::Text(t),
                ..
            }) if t == "none" => Some(Some(None)),
            Some(tier) => {
                self.error(
                    source,
                    tier.pos,
                    Code::BadTier,
                    format!("`tier` is `{}`; it is 1, 2, 3 or `none`", tier.value.cell()),
                    "",
                );
                None
            }
        };
        let branch = match spec.branch {
            None => Some(None),
            Some(branch) => self.branch(source, &branch).map(Some),
        };
        let focus = spec.focus.map(|f| Sp {
            value: (f.value != "none").then_some(f.value),
            pos: f.pos,
        });
        Some(Expect {
            plan: plan?,
            tier: tier?,
            focus,
            branch: branch?,
            whole_class: spec.whole_class.map(|w| w.value),
        })
    }

    /// The leaf `branch:` names: the one whose whole path it is, else the
    /// only one whose own condition (or `default`) it is.
    fn branch(&mut self, source: usize, branch: &Sp<String>) -> Option<Branch> {
        let wanted = one_line(&branch.value);
        if let Some(leaf) = self.leaves.iter().find(|l| l.label() == wanted) {
            return Some(Branch::Leaf(leaf.id));
        }
        let own: Vec<&LeafInfo> = self
            .leaves
            .iter()
            .filter(|l| l.path.last() == Some(&wanted))
            .collect();
        match own.as_slice() {
            [one] => return Some(Branch::Leaf(one.id)),
            [] => {
                let labels: Vec<String> = self.leaves.iter().map(LeafInfo::label).collect();
                let hint = did_you_mean(&wanted, labels.iter().map(String::as_str));
                return Some(Branch::Unknown { text: wanted, hint });
            }
            many => {
                let labels: Vec<String> = many.iter().map(|l| l.label()).collect();
                self.error(
                    source,
                    branch.pos,
                    Code::AmbiguousBranch,
                    format!("`{wanted}` is {} branches of the rules", many.len()),
                    &format!("write its whole path: {}", list(&labels)),
                );
            }
        }
        None
    }
}

/// The test file beside a rules file: `NAME.test.yaml` for `NAME.yaml`.
pub(crate) fn sidecar_path(rules: &std::path::Path) -> std::path::PathBuf {
    let name = rules
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = match name.rsplit_once('.') {
        Some((stem, ext))
            if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") =>
        {
            format!("{stem}.test.{ext}")
        }
        _ => format!("{name}.test.yaml"),
    };
    rules.with_file_name(file)
}

/// The rules file a test file is beside, when `path` is one
/// (`NAME.test.yaml`).
pub(crate) fn rules_of_test_file(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let (stem, ext) = name.rsplit_once('.')?;
    let stem = stem.strip_suffix(".test")?;
    (ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
        .then(|| path.with_file_name(format!("{stem}.{ext}")))
}

/// Where a case is, for messages.
pub(crate) fn case_location(suite: &Suite, case: &Case) -> Location {
    suite.sources[case.source].location(case.pos, 0, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_test_file_sits_beside_the_rules() {
        assert_eq!(
            sidecar_path(Path::new("rules/star.yaml")),
            Path::new("rules/star.test.yaml")
        );
        assert_eq!(
            rules_of_test_file(Path::new("rules/star.test.yaml")),
            Some(Path::new("rules/star.yaml").to_path_buf())
        );
        assert_eq!(rules_of_test_file(Path::new("rules/star.yaml")), None);
    }
}
