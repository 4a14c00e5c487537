//! The only module that names the YAML library.
//!
//! tierplan reads rules with `serde-saphyr` because it keeps the position of
//! every value (`Spanned`), so a problem found after parsing (an unknown
//! plan, a condition that does not compile) can still name its line and
//! column; `serde_yaml` was archived in March 2024 and cannot. Swapping the
//! library means rewriting this file: [`Sp`] and [`from_str`] are the whole
//! interface.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::diagnostic::{Code, Diagnostic, Location, Snippet};

/// Largest rules file accepted, in bytes.
pub(crate) const MAX_RULES_BYTES: usize = 1 << 20;
/// Deepest YAML nesting accepted (the tree nests two levels per branch).
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// The problem of a rules file over [`MAX_RULES_BYTES`].
pub(crate) fn too_large(name: &str, size: u64) -> Diagnostic {
    Diagnostic::error(
        Code::RulesTooLarge,
        format!("rules file is {size} bytes; the limit is {MAX_RULES_BYTES} bytes (1 MiB)"),
    )
    .at(Location::file(name))
    .help("rules files are small; is this the data file passed as `--rules`?")
}

/// Read a rules (or tests) file of at most [`MAX_RULES_BYTES`], reading no
/// more than one byte past the limit, so a pipe, a device (`/dev/zero`) or
/// `/dev/stdin`, whose size is unknown beforehand, is refused as soon as it
/// passes the limit instead of read whole.
pub(crate) fn read_bounded(path: &std::path::Path) -> crate::error::Result<Vec<u8>> {
    use std::io::Read;
    let io = |e| crate::error::Error::io("read", path, e);
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_RULES_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_RULES_BYTES {
        let name = path.display().to_string();
        return Err(crate::error::Error::problem(
            Diagnostic::error(
                Code::RulesTooLarge,
                format!(
                    "rules file is over {MAX_RULES_BYTES} bytes; the limit is {MAX_RULES_BYTES} bytes (1 MiB)"
                ),
            )
            .at(Location::file(&name))
            .help("rules files are small; is this the data file passed as `--rules`?"),
        ));
    }
    Ok(bytes)
}

/// A position in the rules file: 1-based line and character column, and the
/// byte offset when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
    pub offset: Option<usize>,
}

/// A value with the position it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sp<T> {
    pub value: T,
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let at = spanned.referenced;
        Ok(Sp {
            value: spanned.value,
            pos: Pos {
                line: at.line(),
                column: at.column(),
                offset: at
                    .span()
                    .byte_offset()
                    .and_then(|o| usize::try_from(o).ok()),
            },
        })
    }
}

/// A YAML mapping that keeps its keys' order and positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrderedMap<V>(pub Vec<(Sp<String>, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

/// The source of a rules file, for locating problems in it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as the user named it, or `<built-in default rules>`.
    pub name: String,
    pub text: String,
}

impl Source {
    /// `path` as written in the rules: relative to the rules file's folder
    /// (to the working folder for built-in rules or standard input).
    pub fn beside(&self, path: &str) -> std::path::PathBuf {
        let base = if self.name.starts_with('<') {
            std::path::Path::new(".")
        } else {
            std::path::Path::new(&self.name)
                .parent()
                .unwrap_or(std::path::Path::new("."))
        };
        base.join(path)
    }

    /// The location of `pos`, underlining `len` characters from `extra`
    /// characters after it (a name inside a condition).
    pub fn location(&self, pos: Pos, extra: usize, len: usize) -> Location {
        let mut location = Location::file(&self.name);
        if pos.line == 0 {
            return location;
        }
        location.line = Some(pos.line);
        location.column = Some(pos.column + extra as u64);
        let line_index = usize::try_from(pos.line - 1).unwrap_or(usize::MAX);
        if let Some(text) = self.text.lines().nth(line_index) {
            let start = usize::try_from(pos.column.saturating_sub(1)).unwrap_or(0) + extra;
            location.snippet = Some(Snippet {
                text: text.to_owned(),
                start,
                len,
            });
        }
        location
    }

    /// Parse the whole document into `T`.
    pub fn parse<T: for<'de> Deserialize<'de>>(&self) -> Result<T, Diagnostic> {
        if self.text.len() > MAX_RULES_BYTES {
            return Err(too_large(&self.name, self.text.len() as u64));
        }

        let options = serde_saphyr::options! {
            budget: serde_saphyr::budget! { max_depth: MAX_YAML_DEPTH },
            with_snippet: false,
        };
        serde_saphyr::from_str_with_options::<T>(&self.text, options).map_err(|e| {
            let pos = e.location().map_or(Pos::default(), |at| Pos {
                line: at.line(),
                column: at.column(),
                offset: None,
            });
            let raw = e.to_string();
            // `budget breached: Nodes { nodes: 250001 } at line …` is the
            // parser's debugging text: say it in the user's terms.
            let (code, message, help) = match raw.strip_prefix("budget breached: ") {
                Some(breach) => {
                    let message = if breach.starts_with("Depth") {
                        format!("the rules nest deeper than {MAX_YAML_DEPTH} levels")
                    } else {
                        "the rules' aliases expand to too much YAML".to_owned()
                    };
                    (TOO_COMPLEX, message, Some(too_complex_help()))
                }
                None => {
                    let message = raw
                        .rsplit_once(" at line ")
                        .map_or(raw.as_str(), |(m, _)| m)
                        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
                        .replace(
                            "data did not match any variant of untagged enum ParamSpec",
                            "a parameter is a number, a word, or a number with its range: \
                             `{value: 80, min: 0, max: 100}`",
                        );
                    let (code, help) = classify(&message);
                    (code, message, help)
                }
            };
            Diagnostic::error(code, message)
                .at(self.location(pos, 0, 1))
                .help_opt(help)
        })
    }
}

/// Rules past the YAML nesting or alias-expansion budget.
const TOO_COMPLEX: Code = Code::RulesTooComplex;

fn too_complex_help() -> String {
    format!(
        "rules may nest at most {MAX_YAML_DEPTH} levels and may not expand aliases without bound"
    )
}

/// The code and help for a parser's message.
fn classify(message: &str) -> (Code, Option<String>) {
    let unknown = [
        ("unknown field `", Code::UnknownKey),
        ("unknown variant `", Code::UnknownValue),
    ]
    .into_iter()
    .find_map(|(prefix, code)| message.strip_prefix(prefix).map(|rest| (rest, code)));
    if let Some((rest, code)) = unknown {
        // "unknown field `whn`, expected one of when, plan, then, default"
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = expected
            .split_once("expected")
            .map_or("", |(_, list)| list)
            .trim_start_matches(" one of")
            .split(',')
            .map(|k| k.trim().trim_matches('`'))
            .filter(|k| !k.is_empty())
            .collect();
        let help =
            crate::diagnostic::did_you_mean(key, expected.iter().copied()).unwrap_or_else(|| {
                "check the spelling; rules/README.md lists every key and value".into()
            });
        (code, Some(help))
    } else if message.starts_with("duplicate mapping key") {
        (
            Code::DuplicateKey,
            Some("each name may be declared once; remove or rename one".into()),
        )
    } else if message.contains("missing field") {
        (Code::MissingKey, None)
    } else if message.contains("depth") {
        (TOO_COMPLEX, Some(too_complex_help()))
    } else {
        (Code::YamlSyntax, None)
    }
}
