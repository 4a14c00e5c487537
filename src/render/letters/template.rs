//! A letter template: plain text with `{placeholders}` for what the plan
//! says of a student. Lines starting with `#` are notes to whoever edits
//! the template and are left out; a blank line starts a new paragraph; a
//! line whose placeholder has no value for a student (no skill, no next
//! probe date) is left out of that student's letter; `{{` and `}}` are
//! braces.

use crate::diagnostic::{Code, Diagnostic, did_you_mean, list};
use crate::error::{Error, Result};
use crate::rules::Rules;
use crate::rules::yaml::{Pos, Source};

/// The English template shipped with tierplan, used when the rules name
/// none.
pub(crate) const DEFAULT: &str = include_str!("../../../rules/letters/en.txt");

/// A placeholder every template may use, beside the rules' fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BuiltIn {
    Name,
    Id,
    Section,
    Plan,
    Description,
    Skill,
    Score,
    Tier,
    Monitor,
    MonitorDays,
    NextProbe,
}

/// Every built-in placeholder, by the name a template writes.
pub(crate) const BUILT_IN: [(&str, BuiltIn); 11] = [
    ("name", BuiltIn::Name),
    ("id", BuiltIn::Id),
    ("section", BuiltIn::Section),
    ("plan", BuiltIn::Plan),
    ("description", BuiltIn::Description),
    ("skill", BuiltIn::Skill),
    ("score", BuiltIn::Score),
    ("tier", BuiltIn::Tier),
    ("monitor", BuiltIn::Monitor),
    ("monitor_days", BuiltIn::MonitorDays),
    ("next_probe", BuiltIn::NextProbe),
];

/// What a placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slot {
    BuiltIn(BuiltIn),
    /// A field of the rules, by name.
    Field(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Text(String),
    Slot(Slot),
}

/// A template, parsed: paragraphs of lines of parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub paragraphs: Vec<Vec<Vec<Part>>>,
}

impl Template {
    /// The rules' template (or the shipped one), checked against the rules'
    /// fields.
    pub(crate) fn load(rules: &Rules) -> Result<Template> {
        let source = match &rules.letters.template {
            Some(path) => {
                let bytes = crate::rules::yaml::read_bounded(path)?;
                let name = path.display().to_string();
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::problem(
                        Diagnostic::error(Code::BadTemplate, "the letter template is not UTF-8")
                            .at(crate::diagnostic::Location::file(&name))
                            .help("save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"),
                    )
                })?;
                Source { name, text }
            }
            None => Source {
                name: "<built-in letter template>".into(),
                text: DEFAULT.into(),
            },
        };
        let fields: Vec<&str> = rules.fields.iter().map(|f| f.name.as_str()).collect();
        Template::parse(&source, &fields)
    }

    /// `source` parsed, its placeholders each built in or one of `fields`;
    /// every problem found, each at its line and column.
    pub(crate) fn parse(source: &Source, fields: &[&str]) -> Result<Template> {
        let mut problems = Vec::new();
        let mut paragraphs: Vec<Vec<Vec<Part>>> = vec![Vec::new()];
        for (number, line) in source.text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            if line.trim().is_empty() {
                if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                    paragraphs.push(Vec::new());
                }
                continue;
            }
            let line_number = number as u64 + 1;
            let parts = parse_line(line, fields, &mut |column, len, message, help| {
                let pos = Pos {
                    line: line_number,
                    column,
                    offset: None,
                };
                problems.push(
                    Diagnostic::error(Code::BadTemplate, message)
                        .at(source.location(pos, 0, len))
                        .help(help),
                );
            });
            paragraphs.last_mut().expect("one paragraph").push(parts);
        }
        if paragraphs.last().is_some_and(Vec::is_empty) {
            paragraphs.pop();
        }
        if !problems.is_empty() {
            return Err(Error::Problems(problems));
        }
        Ok(Template { paragraphs })
    }
}

/// One line's text and placeholders; `problem(column, length, message,
/// help)` for each that is not known or not closed.
fn parse_line(
    line: &str,
    fields: &[&str],
    problem: &mut dyn FnMut(u64, usize, String, String),
) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let doubled = chars.peek().is_some_and(|&(_, next)| next == c);
        match c {
            '{' | '}' if doubled => {
                chars.next();
                text.push(c);
            }
            '{' => {
                let column = line[..at].chars().count() as u64 + 1;
                let Some(end) = line[at..].find('}') else {
                    problem(
                        column,
                        1,
                        "`{` opens a placeholder that no `}` closes".into(),
                        "close it (`{name}`), or write `{{` for a brace".into(),
                    );
                    break;
                };
                let name = &line[at + 1..at + end];
                match slot(name.trim(), fields) {
                    Some(slot) => {
                        if !text.is_empty() {
                            parts.push(Part::Text(std::mem::take(&mut text)));
                        }
                        parts.push(Part::Slot(slot));
                    }
                    None => {
                        let names = BUILT_IN.map(|(name, _)| name);
                        let known = names.iter().copied().chain(fields.iter().copied());
                        let help = did_you_mean(name.trim(), known).unwrap_or_else(|| {
                            format!(
                                "a placeholder is one of {}, or a field of the rules",
                                list(&names)
                            )
                        });
                        problem(
                            column,
                            name.chars().count() + 2,
                            format!("unknown placeholder `{{{name}}}`"),
                            help,
                        );
                    }
                }
                // Past the placeholder's `}`.
                while chars.next_if(|&(i, _)| i <= at + end).is_some() {}
            }
            _ => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    parts
}

fn slot(name: &str, fields: &[&str]) -> Option<Slot> {
    if let Some(&(_, built_in)) = BUILT_IN.iter().find(|(b, _)| *b == name) {
        return Some(Slot::BuiltIn(built_in));
    }
    fields.contains(&name).then(|| Slot::Field(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Template> {
        let source = Source {
            name: "en.txt".into(),
            text: text.into(),
        };
        Template::parse(&source, &["measure"])
    }

    #[test]
    fn placeholders_braces_notes_and_paragraphs() {
        let t = parse("# a note\nDear {name},\n\n\n{{not}} {measure}.\nEnd\n\n").unwrap();
        assert_eq!(
            t.paragraphs,
            vec![
                vec![vec![
                    Part::Text("Dear ".into()),
                    Part::Slot(Slot::BuiltIn(BuiltIn::Name)),
                    Part::Text(",".into()),
                ]],
                vec![
                    vec![
                        Part::Text("{not} ".into()),
                        Part::Slot(Slot::Field("measure".into())),
                        Part::Text(".".into()),
                    ],
                    vec![Part::Text("End".into())],
                ],
            ]
        );
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_is_an_error_at_its_place() {
        let Err(Error::Problems(problems)) = parse("Hello {nmae}\n\nWe { will\n") else {
            panic!("accepted");
        };
        let shown: Vec<String> = problems
            .iter()
            .map(|p| {
                let at = p.location.as_ref().unwrap();
                format!(
                    "{}:{}:{} {}",
                    at.file,
                    at.line.unwrap(),
                    at.column.unwrap(),
                    p.message
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "en.txt:1:7 unknown placeholder `{nmae}`",
                "en.txt:3:4 `{` opens a placeholder that no `}` closes",
            ]
        );
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn the_shipped_templates_parse() {
        for text in [DEFAULT, include_str!("../../../rules/letters/es.txt")] {
            let source = Source {
                name: "shipped".into(),
                text: text.into(),
            };
            let template = Template::parse(&source, &[]).unwrap();
            assert!(template.paragraphs.len() >= 4, "{template:?}");
        }
    }
}
