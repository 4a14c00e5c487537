//! The defaults file: the rules, parameters, redaction and colour a school
//! sets once (issue 13). Found by `--config FILE`, else `TIERPLAN_CONFIG`,
//! else `tierplan/config.yaml` in the platform's config folder; read as YAML
//! with the rules' parser, so an unknown key is named with its line, column
//! and a did-you-mean. Flags on the command line always win, and whatever a
//! file decided is named in the output ([`Config::note`]): a teacher must be
//! able to see why mastery is 70.
//!
//! This module decides only what the file says; it does not read data, and
//! nothing below `cmd/` sees it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::{ColorArg, RulesArgs};
use crate::diagnostic::Code;
use crate::error::{Error, Result};
use crate::rules::yaml::{OrderedMap, Source};
use crate::rules::{Defaulted, shipped};

/// The variable that names the defaults file.
pub(crate) const ENV: &str = "TIERPLAN_CONFIG";

/// The file, as YAML has it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Model {
    rules: Option<String>,
    #[serde(default)]
    set: OrderedMap<SetValue>,
    redact: Option<bool>,
    color: Option<ColorArg>,
}

/// A parameter's value: `mastery: 70` or `scale: percent`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SetValue {
    Number(f64),
    Flag(bool),
    Text(String),
}

impl SetValue {
    /// The value as `--set` would give it.
    fn text(&self) -> String {
        match self {
            SetValue::Number(n) => crate::condition::format_number(*n),
            SetValue::Flag(b) => b.to_string(),
            SetValue::Text(t) => t.clone(),
        }
    }
}

/// One place looked for the file, and what was there.
#[derive(Debug, Clone)]
pub(crate) struct Looked {
    /// `--config`, `TIERPLAN_CONFIG` or `config folder`.
    pub route: &'static str,
    /// The file, when the route names one.
    pub path: Option<PathBuf>,
    /// What was found: `used`, `not given`, `not set`, `not found`, ...
    pub outcome: &'static str,
}

/// The defaults a file sets, resolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Defaults {
    /// The rules: a file (relative to the config file's folder) or a
    /// shipped set's name.
    pub rules: Option<PathBuf>,
    /// Parameters, `--set` style, in the file's order.
    pub set: Vec<(String, String)>,
    /// Where each parameter is in the file: `` `c.yaml`, line 2, column 3 ``.
    pub set_at: Vec<String>,
    pub redact: Option<bool>,
    pub color: Option<ColorArg>,
}

/// Where the file was looked for, and the defaults of the one used.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub looked: Vec<Looked>,
    /// The file used, if any.
    pub path: Option<PathBuf>,
    pub defaults: Defaults,
}

/// What the file decided for one run (what the flags left to it).
#[derive(Debug, Default)]
pub(crate) struct Applied {
    parts: Vec<String>,
    /// The parameters it set, with where the file sets them.
    pub set_at: Vec<(String, String)>,
}

impl Config {
    /// Find and read the defaults file: `--config` (`flag`), else the file
    /// `TIERPLAN_CONFIG` names, else the platform's; a file named by either
    /// of the first two must exist.
    pub(crate) fn find(flag: Option<&Path>) -> Result<Config> {
        let env = std::env::var_os(ENV).filter(|v| !v.is_empty());
        let platform = config_dir().map(|d| d.join("tierplan").join("config.yaml"));
        let mut config = Config::default();
        let named = |route, path: Option<PathBuf>, absent| Looked {
            route,
            outcome: if path.is_some() { "used" } else { absent },
            path,
        };
        config
            .looked
            .push(named("--config", flag.map(Path::to_path_buf), "not given"));
        if let Some(path) = flag {
            config
                .looked
                .push(named(ENV, None, "not read: `--config` given"));
            return config.read(path, "`--config`");
        }
        config
            .looked
            .push(named(ENV, env.clone().map(PathBuf::from), "not set"));
        if let Some(path) = env {
            return config.read(Path::new(&path), "`TIERPLAN_CONFIG`");
        }
        match platform {
            Some(path) if path.is_file() => {
                config
                    .looked
                    .push(named("config folder", Some(path.clone()), ""));
                config.read(&path, "the config folder")
            }
            Some(path) => {
                config.looked.push(Looked {
                    route: "config folder",
                    path: Some(path),
                    outcome: "not found; none is needed",
                });
                Ok(config)
            }
            None => {
                config.looked.push(Looked {
                    route: "config folder",
                    path: None,
                    outcome: "unknown: neither XDG_CONFIG_HOME nor HOME is set",
                });
                Ok(config)
            }
        }
    }

    fn read(mut self, path: &Path, by: &str) -> Result<Config> {
        let name = path.display().to_string();
        if !path.exists() {
            return Err(Error::usage(format!(
                "no defaults file `{name}`, named by {by}; create it, or name another \
                 (`tierplan config --help` shows the format)"
            )));
        }
        let bytes = crate::rules::yaml::read_bounded(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::usage(format!("the defaults file `{name}` is not UTF-8 text")))?;
        let source = Source { name, text };
        // An empty file (or only comments) sets nothing.
        let model: Model = if source.text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#')
        }) {
            Model {
                rules: None,
                set: OrderedMap::default(),
                redact: None,
                color: None,
            }
        } else {
            source.parse().map_err(|mut d| {
                if d.code == Code::UnknownKey
                    && d.help.as_deref().is_none_or(|h| h.contains("README"))
                {
                    d.help = Some(
                        "a defaults file has the keys rules, set, redact and color \
                         (`tierplan config --help`)"
                            .into(),
                    );
                }
                Error::problem(d)
            })?
        };
        let folder = path.parent().unwrap_or(Path::new(""));
        self.defaults = Defaults {
            rules: model.rules.map(|r| rules_path(folder, &r)),
            set: model
                .set
                .0
                .iter()
                .map(|(k, v)| (k.value.clone(), v.text()))
                .collect(),
            set_at: model
                .set
                .0
                .iter()
                .map(|(k, _)| {
                    format!(
                        "`{}`, line {}, column {}",
                        source.name, k.pos.line, k.pos.column
                    )
                })
                .collect(),
            redact: model.redact,
            color: model.color,
        };
        self.path = Some(path.to_path_buf());
        Ok(self)
    }

    /// Fill in what the flags left unsaid: the rules when `--rules` is not
    /// given (and `with_rules`: `diff` of two rules files takes none), and
    /// each parameter `--set` does not set.
    pub(crate) fn rules(&self, args: &mut RulesArgs, with_rules: bool, applied: &mut Applied) {
        if with_rules
            && args.rules.is_none()
            && let Some(rules) = &self.defaults.rules
        {
            args.rules = Some(rules.clone());
            applied.parts.push(format!("rules `{}`", rules.display()));
        }
        let mut set = Vec::new();
        for (i, (name, value)) in self.defaults.set.iter().enumerate() {
            if !args.set.iter().any(|(n, _)| n == name) {
                applied.parts.push(format!("{name}={value}"));
                let at = self.defaults.set_at.get(i).cloned().unwrap_or_default();
                applied.set_at.push((name.clone(), at));
                set.push((name.clone(), value.clone()));
            }
        }
        set.append(&mut args.set);
        args.set = set;
    }

    /// Whether to redact: `--redact` or `--no-redact`, else the file.
    pub(crate) fn redact(&self, redact: bool, no_redact: bool, applied: &mut Applied) -> bool {
        if redact || no_redact {
            return redact;
        }
        let redact = self.defaults.redact.unwrap_or(false);
        if redact {
            applied.parts.push("redact".into());
        }
        redact
    }

    /// The colour choice: `--color`, else the file, else `auto`.
    pub(crate) fn color(&self, flag: Option<ColorArg>) -> ColorArg {
        flag.or(self.defaults.color).unwrap_or(ColorArg::Auto)
    }

    /// What the file decided, for the outputs to say, when it decided
    /// anything.
    pub(crate) fn note(&self, applied: &Applied) -> Option<Defaulted> {
        let path = self.path.as_ref()?;
        (!applied.parts.is_empty()).then(|| Defaulted {
            file: path.display().to_string(),
            applied: applied.parts.clone(),
        })
    }

    /// What `tierplan config` prints: where it looked, the file used, and
    /// the defaults in effect.
    pub(crate) fn describe(&self) -> String {
        let mut out = String::from("Looked for the defaults file, in order:\n");
        for looked in &self.looked {
            let path = looked
                .path
                .as_ref()
                .map_or(String::new(), |p| format!("{} ", p.display()));
            let _ = writeln!(out, "  {:<16} {path}({})", looked.route, looked.outcome);
        }
        let d = &self.defaults;
        match &self.path {
            Some(path) => {
                let _ = writeln!(out, "\nUsing: {}", path.display());
            }
            None => out.push_str("\nUsing: none (tierplan's own defaults)\n"),
        }
        out.push_str("\nDefaults (flags on the command line win):\n");
        let rules = d.rules.as_ref().map_or(
            "the set for a recognised export, else `default`".to_owned(),
            |r| format!("`{}`", r.display()),
        );
        let _ = writeln!(out, "  rules:  {rules}");
        let set = if d.set.is_empty() {
            "none (the rules' own values)".to_owned()
        } else {
            let each: Vec<String> = d.set.iter().map(|(k, v)| format!("{k}={v}")).collect();
            each.join(", ")
        };
        let _ = writeln!(out, "  set:    {set}");
        let _ = writeln!(out, "  redact: {}", d.redact.unwrap_or(false));
        let color = match d.color.unwrap_or(ColorArg::Auto) {
            ColorArg::Auto => "auto",
            ColorArg::Always => "always",
            ColorArg::Never => "never",
        };
        let _ = writeln!(out, "  color:  {color}");
        out
    }
}

/// A shipped set's name stays a name; anything else is a file, relative to
/// the config file's folder.
fn rules_path(folder: &Path, rules: &str) -> PathBuf {
    let path = Path::new(rules);
    let bare = path.components().count() == 1 && path.extension().is_none();
    if bare && shipped::find(rules).is_some() {
        path.to_path_buf()
    } else {
        folder.join(path)
    }
}

/// The platform's config folder: `XDG_CONFIG_HOME` (when absolute), else
/// `~/.config`, on Linux, the BSDs and macOS (as command-line tools there
/// commonly do); `%APPDATA%` on Windows.
fn config_dir() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("APPDATA");
    }
    var("XDG_CONFIG_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| h.join(".config")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shipped_name_stays_a_name_and_a_file_is_beside_the_config() {
        let folder = Path::new("/etc/school");
        assert_eq!(rules_path(folder, "star"), PathBuf::from("star"));
        assert_eq!(
            rules_path(folder, "rules.yaml"),
            PathBuf::from("/etc/school/rules.yaml")
        );
        assert_eq!(
            rules_path(folder, "stra"),
            PathBuf::from("/etc/school/stra")
        );
    }

    #[test]
    fn flags_win_over_the_file() {
        let config = Config {
            path: Some("c.yaml".into()),
            defaults: Defaults {
                rules: Some("star".into()),
                set: vec![("mastery".into(), "70".into()), ("cut".into(), "30".into())],
                redact: Some(true),
                color: Some(ColorArg::Never),
                ..Defaults::default()
            },
            ..Config::default()
        };
        let mut args = RulesArgs {
            rules: Some("mine.yaml".into()),
            set: vec![("mastery".into(), "60".into())],
        };
        let mut applied = Applied::default();
        config.rules(&mut args, true, &mut applied);
        assert_eq!(args.rules, Some(PathBuf::from("mine.yaml")));
        assert_eq!(
            args.set,
            vec![("cut".into(), "30".into()), ("mastery".into(), "60".into())]
        );
        assert!(!config.redact(false, true, &mut applied));
        assert!(config.redact(false, false, &mut applied));
        assert_eq!(config.color(Some(ColorArg::Always)), ColorArg::Always);
        assert_eq!(config.color(None), ColorArg::Never);
        assert_eq!(
            config.note(&applied).map(|d| d.note()).as_deref(),
            Some("defaults from `c.yaml`: cut=30, redact")
        );
    }
}
