//! Letters home (`--letters FILE`): one plain, editable letter per student
//! whose support changes, from the rules' template (`template`), written as
//! each student is decided, so a district's letters are never held in
//! memory. `FILE.html` has one letter a printed page, each editable in the
//! browser before printing; any other name gets plain text, the letters
//! apart by a form feed (a page break to a printer).
//!
//! A letter says only what the plan says: the student's name, section,
//! plan, its description, the focus skill, how and when progress is
//! checked, and the rules' fields the template names.

pub(crate) mod template;

use std::io::{self, Write};

use maud::html;

pub(crate) use self::template::Template;
use self::template::{BuiltIn, Part, Slot};
use super::{Placed, Report, Sink};
use crate::condition::format_number;
use crate::rules::{PlanKind, Rules};

const STYLE: &str = "
body { font: 12pt/1.5 Georgia, 'Times New Roman', serif; margin: 0; background: #eee; }
.how { font: 11pt/1.4 system-ui, sans-serif; max-width: 40rem; margin: 1rem auto; }
.letter { background: #fff; max-width: 40rem; margin: 1rem auto; padding: 2.5rem 3rem;
  box-shadow: 0 0 0.3rem #999; }
.letter:focus { outline: 2px solid #36c; }
.letter p { white-space: pre-line; margin: 0 0 1em; }
@page { margin: 2cm; }
@media print {
  body { background: none; }
  .how { display: none; }
  .letter { box-shadow: none; margin: 0; padding: 0; max-width: none; break-after: page; }
}
";

/// Writes a letter for every student whose plan changes their support.
pub(crate) struct LetterSink<'w> {
    out: &'w mut dyn Write,
    rules: &'w Rules,
    template: Template,
    html: bool,
    /// Letters written.
    pub(crate) written: u64,
    /// Students whose support changes but whose plan was decided without
    /// some of their data: no letter goes home on a guess. The first
    /// [`HELD_SHOWN`] ids, and how many.
    pub(crate) held: Vec<String>,
    pub(crate) held_count: u64,
}

/// How many held-back students' ids are named.
const HELD_SHOWN: usize = 20;

impl<'w> LetterSink<'w> {
    /// Letters from `template` into `out`, as HTML or as text.
    pub(crate) fn new(
        out: &'w mut dyn Write,
        rules: &'w Rules,
        template: Template,
        html: bool,
    ) -> io::Result<Self> {
        if html {
            // The language is a validated tag: letters, digits and hyphens.
            super::html::open_page(out, &rules.letters.language, "Letters home", STYLE)?;
            let how = html! {
                p.how {
                    "One letter a page when printed. Click into a letter to edit it before \
                     printing; the edits are not saved in this file."
                }
            };
            out.write_all(how.into_string().as_bytes())?;
        }
        Ok(LetterSink {
            out,
            rules,
            template,
            html,
            written: 0,
            held: Vec::new(),
            held_count: 0,
        })
    }

    /// Whether `student`'s support changes: their plan is one the letters
    /// are for, unless the data says they are already in the plan's tier
    /// and it is an intervention they stay in; or the plan moves them to
    /// another tier than the data says they are in.
    fn wanted(&self, student: &Placed<'_>) -> bool {
        let plan = student.plan;
        let letters = &self.rules.letters;
        let listed = letters
            .plans
            .iter()
            .any(|&i| self.rules.plans[i].id == plan.id);
        let current = crate::progress::current_tier(self.rules, student.fields.env);
        match (current, plan.tier) {
            (Some(now), Some(next)) if now != next => true,
            (Some(_), Some(_)) => {
                listed
                    && !matches!(
                        plan.kind,
                        PlanKind::Tier2Intervention | PlanKind::Tier3Intervention
                    )
            }
            _ => listed,
        }
    }

    /// The letter's paragraphs for `student`, each a list of lines.
    fn fill(&self, student: &Placed<'_>) -> Vec<Vec<String>> {
        let value = |slot: &Slot| -> String {
            let text = match slot {
                Slot::BuiltIn(b) => self.built_in(*b, student),
                Slot::Field(name) => student.field(name).map(str::to_owned),
            };
            // A cell's control characters (a form feed would split the
            // letters) are spaces here.
            text.unwrap_or_default()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_owned()
        };
        self.template
            .paragraphs
            .iter()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|parts| {
                        let mut line = String::new();
                        for part in parts {
                            match part {
                                Part::Text(text) => line.push_str(text),
                                Part::Slot(slot) => {
                                    let value = value(slot);
                                    if value.is_empty() {
                                        return None;
                                    }
                                    line.push_str(&value);
                                }
                            }
                        }
                        Some(line)
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|lines| !lines.is_empty())
            .collect()
    }

    fn built_in(&self, value: BuiltIn, student: &Placed<'_>) -> Option<String> {
        let plan = student.plan;
        let cadence = || crate::progress::cadence(self.rules, student.fields.env, plan);
        Some(match value {
            BuiltIn::Name if student.name.is_empty() => student.id.to_owned(),
            BuiltIn::Name => student.name.to_owned(),
            BuiltIn::Id => student.id.to_owned(),
            BuiltIn::Section => student.section.to_owned(),
            BuiltIn::Plan => plan.label.clone(),
            BuiltIn::Description => plan.description.clone(),
            // Progress monitoring decides on a measure, not a skill.
            BuiltIn::Skill => student
                .focus
                .or_else(|| student.field("measure"))?
                .to_owned(),
            BuiltIn::Score => format_number(student.focus_score?),
            BuiltIn::Tier => plan.tier?.to_string(),
            BuiltIn::Monitor => cadence()?.text,
            BuiltIn::MonitorDays => cadence()?.days.to_string(),
            BuiltIn::NextProbe => student.next_probe.clone()?,
        })
    }
}

impl LetterSink<'_> {
    /// What says that some letters were held back, and whose, if any were.
    pub(crate) fn held_note(&self) -> Option<String> {
        if self.held_count == 0 {
            return None;
        }
        let more = self.held_count - self.held.len() as u64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Some(format!(
            "{} held back: their plan was decided without some of their data ({}{more}). \
             Check their data, then plan again.",
            crate::diagnostic::count(self.held_count as usize, "letter"),
            self.held.join(", ")
        ))
    }
}

impl Sink for LetterSink<'_> {
    fn wants_reason(&self) -> bool {
        false
    }

    fn student(&mut self, student: &Placed<'_>) -> io::Result<()> {
        if !self.wanted(student) {
            return Ok(());
        }
        if student.caveat.is_some() {
            if self.held.len() < HELD_SHOWN {
                self.held.push(student.id.to_owned());
            }
            self.held_count += 1;
            return Ok(());
        }
        let letter = self.fill(student);
        if self.html {
            let markup = html! {
                article.letter contenteditable="true" data-id=(student.id) {
                    @for lines in &letter { p { (lines.join("\n")) } }
                }
            };
            self.out.write_all(markup.into_string().as_bytes())?;
        } else {
            if self.written > 0 {
                self.out.write_all(b"\x0c\n")?;
            }
            for (i, lines) in letter.iter().enumerate() {
                if i > 0 {
                    self.out.write_all(b"\n")?;
                }
                for line in lines {
                    writeln!(self.out, "{line}")?;
                }
            }
        }
        self.written += 1;
        Ok(())
    }

    fn finish(&mut self, _: &Report<'_>) -> io::Result<()> {
        if self.html {
            if self.written == 0 {
                let none =
                    html! { p.how { "No letters: no student's support changes in this plan." } };
                self.out.write_all(none.into_string().as_bytes())?;
            }
            if let Some(held) = self.held_note() {
                self.out
                    .write_all(html! { p.how { (held) } }.into_string().as_bytes())?;
            }
            self.out.write_all(b"</body></html>\n")?;
        }
        self.out.flush()
    }
}
