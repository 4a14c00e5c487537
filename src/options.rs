//! Raw flags → resolved options: everything decided from several flags or
//! from the environment (standard input or files, a terminal or not), for
//! every command, before it runs. The input, reading and rules options the
//! commands share are resolved once here ([`inputs`], [`ReadOptions`] from
//! [`InputArgs`], [`RulesChoice`]); `cmd/*` sees only the resolved options.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{
    CheckArgs, DenyArg, DiffArgs, DiffFormatArg, DuplicatesArg, ExplainArgs, FormatArg, InitArgs,
    InputArgs, PlanArgs, RulesArgs, TestArgs,
};
use crate::diagnostic::{did_you_mean, list};
use crate::engine::{Duplicates, ReadOptions};
use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::ingest::{Narrowing, Reading, profile};
use crate::output::Protected;
use crate::render::diff::DiffFormat;
use crate::render::{Column, Format, Style};
use crate::rules::{self, BuiltIn, Rules, Shipped, shipped};

/// Which rules to load.
#[derive(Debug, Clone)]
pub struct RulesChoice {
    /// The rules file; `None` for shipped rules.
    pub path: Option<PathBuf>,
    /// Shipped rules named by `--rules NAME`.
    pub shipped: Option<&'static Shipped>,
    /// `--set name=value` overrides of parameters.
    pub overrides: Vec<(String, String)>,
}

impl From<&InputArgs> for ReadOptions {
    fn from(args: &InputArgs) -> Self {
        ReadOptions {
            reading: Reading {
                profile: args.profile.clone(),
                narrowing: Narrowing {
                    only: args.only.clone(),
                    lenient: args.lenient,
                },
                blueprint: args.blueprint.clone(),
            },
            lenient: args.lenient,
            duplicates: match args.duplicates {
                DuplicatesArg::Error => Duplicates::Error,
                DuplicatesArg::First => Duplicates::First,
                DuplicatesArg::Last => Duplicates::Last,
            },
            redact: false,
        }
    }
}

/// `plan`, resolved.
#[derive(Debug)]
pub struct PlanOptions {
    pub inputs: Vec<Input>,
    pub read: ReadOptions,
    pub rules: RulesChoice,
    pub format: Format,
    /// A file to write atomically, or standard output.
    pub output: Option<PathBuf>,
    /// Columns of the CSV format; empty for the default set.
    pub columns: Vec<Column>,
    /// Where to write the section summary CSV, if asked.
    pub summary: Option<PathBuf>,
    pub style: Style,
    /// Draw no progress line.
    pub quiet: bool,
}

impl From<RulesArgs> for RulesChoice {
    /// `--rules star` names a shipped set; anything with a `/` or an
    /// extension, or that no set is called, is a file (`./star` for a file
    /// called `star`).
    fn from(args: RulesArgs) -> Self {
        let shipped = args.rules.as_deref().and_then(|path| {
            let bare = path.components().count() == 1 && path.extension().is_none();
            bare.then(|| path.to_str().and_then(shipped::find))
                .flatten()
        });
        RulesChoice {
            path: if shipped.is_some() { None } else { args.rules },
            shipped,
            overrides: args.set,
        }
    }
}

impl RulesChoice {
    /// The rules to run on `inputs`: the file named, or the shipped rules
    /// [`RulesChoice::built_in`] chooses, with the `--set` overrides.
    pub fn load(&self, inputs: &[Input], reading: &Reading) -> Result<Rules> {
        let built_in = self.built_in(inputs, reading)?;
        rules::load(self.path.as_deref(), built_in, &self.overrides)
    }

    /// The shipped rules to use unless a file is named: those named by
    /// `--rules NAME`, else those for the export a profile recognises in
    /// the inputs (`--profile` or the headers), else the default.
    pub fn built_in(&self, inputs: &[Input], reading: &Reading) -> Result<BuiltIn> {
        if let Some(set) = self.shipped {
            return Ok(BuiltIn::named(set));
        }
        let mut found: Vec<(String, Option<profile::Profile>)> = Vec::new();
        match reading.profile.as_deref() {
            Some(name) if name.eq_ignore_ascii_case("none") => {}
            Some(name) => found.push(("--profile".to_owned(), Some(profile::by_name(name)?))),
            None if self.path.is_none() => {
                for input in inputs {
                    // A file that cannot be read here is reported when it is
                    // read for the plan.
                    let header = input.csv().map(|f| f.header).unwrap_or_default();
                    found.push((input.name.clone(), profile::detect(&header)?));
                }
            }
            None => {}
        }
        let set_of = |p: &Option<profile::Profile>| {
            p.as_ref()
                .and_then(|p| p.rules.as_deref())
                .and_then(shipped::find)
                .unwrap_or(shipped::DEFAULT)
        };
        let Some((_, first)) = found.first() else {
            return Ok(BuiltIn::named(shipped::DEFAULT));
        };
        let set = set_of(first);
        if found.iter().any(|(_, p)| set_of(p) != set) {
            let each: Vec<String> = found
                .iter()
                .map(|(name, p)| {
                    let what = p
                        .as_ref()
                        .map_or("plain results".to_owned(), |p| p.label.clone());
                    format!("`{name}` is {what} (rules `{}`)", set_of(p).name)
                })
                .collect();
            return Err(Error::usage(format!(
                "the files need different rules: {}; plan them one at a time, or name the rules with `--rules`",
                each.join(", ")
            )));
        }
        Ok(BuiltIn {
            set,
            chosen_for: (set != shipped::DEFAULT)
                .then(|| first.as_ref().map(|p| p.label.clone()))
                .flatten(),
        })
    }
}

/// Add every file a run of `rules` on `inputs` reads to `protected`: the
/// data (each file of a roster folder), the rules file, the blueprint and
/// the tables' CSV files.
pub fn protect(
    protected: &mut Protected,
    inputs: &[Input],
    choice: &RulesChoice,
    read: &ReadOptions,
    rules: &Rules,
) {
    let files = inputs.iter().filter_map(Input::path);
    let files = files.chain(choice.path.as_deref());
    let files = files.chain(read.reading.blueprint.as_deref());
    let files = files.chain(rules.blueprint.as_deref());
    for file in files.chain(rules.table_files.iter().map(|p| p.as_path())) {
        protected.add(file);
    }
}

/// The inputs named on the command line; `-` is standard input, allowed
/// once, and no input at all means standard input when it is not a terminal.
pub fn inputs(data: Vec<PathBuf>, args: &InputArgs) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut stdin_seen = false;
    let data = if data.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(Error::usage(
                "no data file given: name a CSV of results, e.g. `tierplan plan quiz.csv`, or `-` for standard input",
            ));
        }
        vec![PathBuf::from("-")]
    } else {
        data
    };
    for path in data {
        if path.as_os_str() == "-" {
            if stdin_seen {
                return Err(Error::usage("`-` (standard input) can be read only once"));
            }
            stdin_seen = true;
            inputs.push(Input::stdin()?);
        } else {
            inputs.push(Input::file(path));
        }
    }
    for input in &mut inputs {
        input.encoding = args.encoding;
    }
    Ok(inputs)
}

impl PlanOptions {
    pub fn resolve(args: PlanArgs) -> Result<Self> {
        let format = match args.format {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        };
        if !args.columns.is_empty() && format != Format::Csv {
            return Err(Error::usage("`--columns` applies to `--format csv` only"));
        }
        let terminal = args.output.is_none() && std::io::stdout().is_terminal();
        Ok(PlanOptions {
            inputs: inputs(args.data, &args.input)?,
            read: ReadOptions {
                redact: args.redact,
                ..ReadOptions::from(&args.input)
            },
            rules: args.rules.into(),
            format,
            output: args.output,
            columns: args.columns,
            summary: args.summary,
            style: Style { terminal },
            quiet: args.quiet,
        })
    }
}

impl PlanOptions {
    /// `--columns` names built-in columns or the rules' fields.
    pub fn check_columns(&self, rules: &Rules) -> Result<()> {
        for column in &self.columns {
            if let Column::Field(name) = column
                && !rules.fields.iter().any(|f| &f.name == name)
            {
                let mut known: Vec<&str> = Column::ALL.iter().map(Column::name).collect();
                for field in &rules.fields {
                    if !known.contains(&field.name.as_str()) {
                        known.push(&field.name);
                    }
                }
                let hint = crate::diagnostic::did_you_mean(name, known.iter().copied())
                    .map_or(String::new(), |h| format!("{h} "));
                return Err(Error::usage(format!(
                    "unknown column `{name}`; {hint}the columns are {}",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// One side of `diff`: a rules file over some data.
#[derive(Debug)]
pub struct DiffSide {
    pub rules: RulesChoice,
    pub inputs: Vec<Input>,
}

/// `diff`, resolved: two rules files over the same data, or one rules file
/// over two windows' data, both as two sides.
#[derive(Debug)]
pub struct DiffOptions {
    pub old: DiffSide,
    pub new: DiffSide,
    pub read: ReadOptions,
    pub format: DiffFormat,
    /// A file to write atomically, or standard output.
    pub output: Option<PathBuf>,
    /// List unchanged students too.
    pub all: bool,
    /// Exit 1 when any student changed.
    pub exit_code: bool,
    /// Write nothing.
    pub quiet: bool,
    pub style: Style,
}

impl DiffOptions {
    /// With DATA, OLD and NEW are rules files; without, data files.
    pub fn resolve(args: DiffArgs) -> Result<Self> {
        let format = match args.format {
            DiffFormatArg::Table => DiffFormat::Table,
            DiffFormatArg::Csv => DiffFormat::Csv,
            DiffFormatArg::Json => DiffFormat::Json,
        };
        let looks_like = |path: &PathBuf, extensions: &[&str]| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
        };
        let yaml = ["yaml", "yml"];
        let (old, new) = if args.data.is_empty() {
            if looks_like(&args.old, &yaml) && looks_like(&args.new, &yaml) {
                return Err(Error::usage(format!(
                    "`{}` and `{}` look like rules files, and no data follows; name the data after them, e.g. `tierplan diff {} {} quiz.csv`",
                    args.old.display(),
                    args.new.display(),
                    args.old.display(),
                    args.new.display()
                )));
            }
            if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
                return Err(Error::usage("`-` (standard input) can be read only once"));
            }
            let rules = RulesChoice::from(args.rules);
            (
                DiffSide {
                    rules: rules.clone(),
                    inputs: inputs(vec![args.old], &args.input)?,
                },
                DiffSide {
                    rules,
                    inputs: inputs(vec![args.new], &args.input)?,
                },
            )
        } else {
            if let Some(rules) = &args.rules.rules {
                return Err(Error::usage(format!(
                    "`--rules {}` with two rules files: OLD and NEW are the rules compared; give `--rules` only to compare two data files, e.g. `tierplan diff --rules {} fall.csv winter.csv`",
                    rules.display(),
                    rules.display()
                )));
            }
            for path in [&args.old, &args.new] {
                if looks_like(path, &["csv", "tsv", "txt", "xlsx"]) {
                    return Err(Error::usage(format!(
                        "`{}` looks like a data file, but with DATA after them OLD and NEW are rules files; to compare two data files give just the two, e.g. `tierplan diff fall.csv winter.csv`",
                        path.display()
                    )));
                }
            }
            let data = inputs(args.data, &args.input)?;
            // Either side may name a shipped set: `diff default mine.yaml quiz.csv`.
            let side = |path: PathBuf| DiffSide {
                rules: RulesChoice::from(RulesArgs {
                    rules: Some(path),
                    set: args.rules.set.clone(),
                }),
                inputs: data.clone(),
            };
            (side(args.old), side(args.new))
        };
        let terminal = args.output.is_none() && std::io::stdout().is_terminal();
        Ok(DiffOptions {
            old,
            new,
            read: ReadOptions {
                redact: args.redact,
                ..ReadOptions::from(&args.input)
            },
            format,
            output: args.output,
            all: args.all,
            exit_code: args.exit_code,
            quiet: args.quiet,
            style: Style { terminal },
        })
    }
}

/// `explain`, resolved.
#[derive(Debug)]
pub struct ExplainOptions {
    pub inputs: Vec<Input>,
    pub read: ReadOptions,
    pub rules: RulesChoice,
    /// The id to look for, trimmed; under `--redact`, redacted as the ids
    /// are read (an e-mail id is looked for so).
    pub student: String,
}

impl ExplainOptions {
    pub fn resolve(args: ExplainArgs) -> Result<Self> {
        let rules = RulesChoice::from(args.rules);
        let inputs = inputs(args.data, &args.input)?;
        let student = if args.redact {
            crate::redact::redact_id(args.student.trim()).into_owned()
        } else {
            args.student.trim().to_owned()
        };
        Ok(ExplainOptions {
            inputs,
            read: ReadOptions {
                redact: args.redact,
                ..ReadOptions::from(&args.input)
            },
            rules,
            student,
        })
    }
}

/// `check`, resolved.
#[derive(Debug)]
pub struct CheckOptions {
    /// The data to check the rules against; none to check the rules alone.
    pub inputs: Vec<Input>,
    /// Leniently, to report every problem in the data, not only the first.
    pub read: ReadOptions,
    pub rules: RulesChoice,
    /// `--deny warnings`: warnings fail the check too.
    pub deny_warnings: bool,
}

impl CheckOptions {
    pub fn resolve(args: CheckArgs) -> Result<Self> {
        let rules = RulesChoice::from(args.rules);
        let inputs = if args.data.is_empty() {
            Vec::new()
        } else {
            inputs(args.data, &args.input)?
        };
        Ok(CheckOptions {
            inputs,
            read: ReadOptions {
                lenient: true,
                ..ReadOptions::from(&args.input)
            },
            rules,
            deny_warnings: args.deny == Some(DenyArg::Warnings),
        })
    }
}

/// What `test` tests: a rules file (with its cases beside it), or a shipped
/// set and its own cases.
#[derive(Debug, Clone)]
pub enum TestTarget {
    File(PathBuf),
    Shipped(&'static Shipped),
}

/// `test`, resolved.
#[derive(Debug)]
pub struct TestOptions {
    /// In order: `--rules`, then each file named; the default rules when
    /// none is.
    pub targets: Vec<TestTarget>,
    /// `--set name=value` overrides, for every target.
    pub overrides: Vec<(String, String)>,
    /// Print cases at every table cut instead of running the cases.
    pub boundaries: bool,
}

impl TestOptions {
    pub fn resolve(args: TestArgs) -> Self {
        let choice = RulesChoice::from(args.rules);
        // Each file named, or a shipped set by name (`tierplan test star`).
        let mut targets: Vec<TestTarget> = Vec::new();
        targets.extend(choice.shipped.map(TestTarget::Shipped));
        targets.extend(choice.path.map(TestTarget::File));
        for file in args.files {
            let named = RulesChoice::from(RulesArgs {
                rules: Some(file),
                set: Vec::new(),
            });
            targets.push(match (named.shipped, named.path) {
                (Some(set), _) => TestTarget::Shipped(set),
                (None, path) => TestTarget::File(path.unwrap_or_default()),
            });
        }
        if targets.is_empty() {
            targets.push(TestTarget::Shipped(shipped::DEFAULT));
        }
        TestOptions {
            targets,
            overrides: choice.overrides,
            boundaries: args.boundaries,
        }
    }
}

/// `init`, resolved.
#[derive(Debug)]
pub struct InitOptions {
    /// The folder to write into.
    pub dir: PathBuf,
    /// The shipped set to copy.
    pub set: &'static Shipped,
}

impl InitOptions {
    pub fn resolve(args: InitArgs) -> Result<Self> {
        let from = args.from.as_deref().unwrap_or(shipped::DEFAULT.name);
        let Some(set) = shipped::find(from) else {
            let names = shipped::names();
            let hint = did_you_mean(from, names.iter().copied())
                .unwrap_or_else(|| format!("the shipped rules are {}", list(&names)));
            return Err(Error::usage(format!("no shipped rules `{from}`; {hint}")));
        };
        Ok(InitOptions { dir: args.dir, set })
    }
}
