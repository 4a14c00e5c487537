//! Raw flags → resolved options: everything decided from several flags or
//! from the environment (standard input or files, a terminal or not), for
//! every command, before it runs. The input, reading and rules options the
//! commands share are resolved once here ([`inputs`], [`ReadOptions`] from
//! [`InputArgs`], [`RulesChoice`]); each command's own options are in a
//! file named after it, as in `cmd/`. `cmd/*` sees only the resolved
//! options.

use std::io::IsTerminal;
use std::path::PathBuf;

pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod init;
pub(crate) mod plan;
pub(crate) mod sql;
pub(crate) mod test;

pub(crate) use check::CheckOptions;
pub(crate) use diff::{DiffOptions, DiffSide};
pub(crate) use explain::ExplainOptions;
pub(crate) use init::InitOptions;
pub(crate) use plan::PlanOptions;
pub(crate) use sql::SqlOptions;
pub(crate) use test::{TestOptions, TestTarget};

use crate::cli::{ColorArg, DuplicatesArg, GlobalArgs, InputArgs, RulesArgs};
use crate::engine::{Duplicates, ReadOptions};
use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::ingest::{Narrowing, ProfileChoice, Reading, profile};
use crate::options::config::Applied;
use crate::output::Protected;
use crate::render::{Formulas, Style};
use crate::rules::{self, BuiltIn, Rules, Shipped, shipped};

/// The flags every command takes, with the defaults file they may come
/// from, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Global {
    /// The defaults file, and where it was looked for.
    pub config: config::Config,
    /// `--color`, else the file's `color`, else `auto`.
    pub color: ColorArg,
    /// `--width`.
    pub width: Option<u16>,
}

impl Global {
    /// The global flags, with the defaults file found and read.
    pub(crate) fn resolve(args: GlobalArgs) -> Result<Global> {
        let config = config::Config::find(args.config.as_deref())?;
        Ok(Global {
            color: config.color(args.color),
            config,
            width: args.width,
        })
    }

    /// How a table looks on standard output (`to_stdout`) or in a file.
    pub(crate) fn style(&self, to_stdout: bool, formulas: Formulas) -> Style {
        let terminal = to_stdout && std::io::stdout().is_terminal();
        let env = |name: &str| std::env::var(name).ok();
        Style {
            terminal,
            formulas,
            color: to_stdout && colour(self.color, terminal, env),
            width: width(self.width, terminal, env),
        }
    }
}

/// Whether to colour: `never` and `always` say; `auto` colours a terminal
/// unless `NO_COLOR` is set and not empty (no-color.org), `CLICOLOR_FORCE`
/// (set, not `0`) forces it and `CLICOLOR=0` or `TERM=dumb` turns it off
/// (bixense.com/clicolors). `env` reads a variable.
pub(crate) fn colour(
    choice: ColorArg,
    terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        ColorArg::Never => false,
        ColorArg::Always => true,
        ColorArg::Auto if set("NO_COLOR").is_some() => false,
        ColorArg::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorArg::Auto => {
            terminal
                && set("CLICOLOR").is_none_or(|v| v != "0")
                && set("TERM").is_none_or(|v| v != "dumb")
        }
    }
}

/// The tables' width: `--width`, else on a terminal its own (`None`), else
/// `COLUMNS` when it is a number of at least 20, else `None` (the
/// renderer's width for files).
pub(crate) fn width(
    flag: Option<u16>,
    terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Option<u16> {
    flag.or_else(|| {
        (!terminal)
            .then(|| env("COLUMNS")?.trim().parse::<u16>().ok())
            .flatten()
            .filter(|w| *w >= 20)
    })
}

/// Which rules to load.
#[derive(Debug, Clone)]
pub(crate) struct RulesChoice {
    /// The rules file; `None` for shipped rules.
    pub path: Option<PathBuf>,
    /// Shipped rules named by `--rules NAME`.
    pub shipped: Option<&'static Shipped>,
    /// `--set name=value` overrides of parameters.
    pub overrides: Vec<(String, String)>,
    /// What the defaults file decided, for the outputs to say
    /// (`defaults from ...: mastery=70`); `None` when it decided nothing.
    pub config: Option<rules::Defaulted>,
    /// The parameters the defaults file set, with where it sets them, for
    /// a problem with one to name the file rather than `--set`.
    pub config_set: Vec<(String, String)>,
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
                sheet: args.sheet.clone(),
            },
            lenient: args.lenient,
            duplicates: match args.duplicates {
                DuplicatesArg::Error => Duplicates::Error,
                DuplicatesArg::First => Duplicates::First,
                DuplicatesArg::Last => Duplicates::Last,
            },
            redact: false,
            memory: args.memory,
        }
    }
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
            config: None,
            config_set: Vec::new(),
        }
    }
}

impl RulesChoice {
    /// `args` after the defaults file filled them in (`applied` says what
    /// it decided), remembering what it decided for the outputs to say.
    pub(crate) fn configured(args: RulesArgs, config: &config::Config, applied: Applied) -> Self {
        RulesChoice {
            config: config.note(&applied),
            config_set: applied.set_at,
            ..RulesChoice::from(args)
        }
    }

    /// The rules to run on `inputs`: the file named, or the shipped rules
    /// [`RulesChoice::built_in`] chooses, with the `--set` overrides.
    pub(crate) fn load(&self, inputs: &[Input], reading: &Reading) -> Result<Rules> {
        let built_in = self.built_in(inputs, reading)?;
        let mut rules = rules::load(self.path.as_deref(), built_in, &self.overrides)
            .map_err(|e| self.locate(e))?;
        rules.config.clone_from(&self.config);
        Ok(rules)
    }

    /// A `--set` problem with a parameter the defaults file set names the
    /// file, line and column instead of `--set`.
    pub(crate) fn locate(&self, e: Error) -> Error {
        let Error::Usage { message } = &e else {
            return e;
        };
        let Some(rest) = message.strip_prefix("`--set ") else {
            return e;
        };
        let name = rest.split(['=', '`']).next().unwrap_or_default();
        let (Some((_, at)), Some(end)) = (
            self.config_set.iter().find(|(n, _)| n == name),
            message.find("`: "),
        ) else {
            return e;
        };
        Error::usage(format!(
            "`{name}` under `set:` in the defaults file {at}: {}",
            &message[end + 3..]
        ))
    }

    /// The shipped rules to use unless a file is named: those named by
    /// `--rules NAME`, else those for the export a profile recognises in
    /// the inputs (`--profile` or the headers), else the default.
    pub(crate) fn built_in(&self, inputs: &[Input], reading: &Reading) -> Result<BuiltIn> {
        if let Some(set) = self.shipped {
            return Ok(BuiltIn::named(set));
        }
        let mut found: Vec<(String, Option<profile::Profile>)> = Vec::new();
        match ProfileChoice::of(reading.profile.as_deref())? {
            ProfileChoice::Plain => {}
            ProfileChoice::Named(profile) => found.push(("--profile".to_owned(), Some(*profile))),
            ProfileChoice::Recognise if self.path.is_none() => {
                for input in inputs {
                    // A file that cannot be read here is reported when it is
                    // read for the plan.
                    let header = input.csv().map(|f| f.header).unwrap_or_default();
                    found.push((input.name.clone(), profile::detect(&header)?));
                }
            }
            ProfileChoice::Recognise => {}
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
/// data (each file of a roster folder), the rules file, the blueprint, the
/// tables' CSV files and the letter template.
pub(crate) fn protect(
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
    let files = files.chain(rules.letters.template.as_deref());
    for file in files.chain(rules.table_files.iter().map(|p| p.as_path())) {
        protected.add(file);
    }
}

/// The inputs named on the command line; `-` is standard input, allowed
/// once, and no input at all means standard input when it is not a terminal.
pub(crate) fn inputs(data: Vec<PathBuf>, args: &InputArgs) -> Result<Vec<Input>> {
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
            inputs.push(Input::named(path)?);
        }
    }
    for input in &mut inputs {
        input.encoding = args.encoding;
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn auto_colours_a_terminal_unless_no_color_says_not() {
        assert!(colour(ColorArg::Auto, true, env(&[])));
        assert!(!colour(ColorArg::Auto, false, env(&[])));
        assert!(!colour(ColorArg::Auto, true, env(&[("NO_COLOR", "1")])));
        // An empty NO_COLOR is no NO_COLOR (no-color.org).
        assert!(colour(ColorArg::Auto, true, env(&[("NO_COLOR", "")])));
        assert!(colour(
            ColorArg::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!colour(
            ColorArg::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!colour(ColorArg::Auto, true, env(&[("CLICOLOR", "0")])));
        assert!(!colour(ColorArg::Auto, true, env(&[("TERM", "dumb")])));
        assert!(colour(ColorArg::Always, false, env(&[("NO_COLOR", "1")])));
        assert!(!colour(
            ColorArg::Never,
            true,
            env(&[("CLICOLOR_FORCE", "1")])
        ));
    }

    #[test]
    fn the_width_is_the_flag_else_columns_off_a_terminal() {
        assert_eq!(width(Some(80), true, env(&[("COLUMNS", "60")])), Some(80));
        assert_eq!(width(None, false, env(&[("COLUMNS", "60")])), Some(60));
        // On a terminal comfy-table asks the terminal itself.
        assert_eq!(width(None, true, env(&[("COLUMNS", "60")])), None);
        assert_eq!(width(None, false, env(&[("COLUMNS", "wide")])), None);
        assert_eq!(width(None, false, env(&[("COLUMNS", "5")])), None);
    }
}
