//! The whole plan: any bytes as a results file under a small fixed rules
//! file, rendered in every format. Every student read must be rendered.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tierplan::engine::{ReadOptions, Run};
use tierplan::ingest::Input;
use tierplan::plan::Collector;
use tierplan::render::{self, Fields, Format, Formulas, Placed, Report, Style};

const RULES: &str = "
columns:
  student_id: [id]
  name: {names: [name], optional: true}
  section: {names: [section], optional: true}
  screening: {names: [pct], optional: true}
skills: {columns: rest}
params: {mastery: 80, cut: 25}
whole_class: {when: share_below >= 0.5, plan: all}
plans:
  all: {kind: whole_class_reteach}
  tier2: {kind: tier2_intervention, group_size: 2}
  group: {kind: small_group_reteach, group_size: 3}
  core: {kind: core}
  none: {kind: no_data}
tree:
  - when: assessed == 0
    plan: none
  - when: pct <= cut
    plan: tier2
    focus: weakest
  - when: any(score < mastery and not whole_class)
    plan: group
    focus: weakest(score < mastery and not whole_class)
    reason: '{focus} at {focus_score}'
  - default: core
";

/// The fixed rules, loaded once.
fn rules() -> &'static tierplan::rules::Rules {
    static LOADED: OnceLock<tierplan::rules::Rules> = OnceLock::new();
    LOADED.get_or_init(|| match tierplan::rules::from_text("rules.yaml", RULES) {
        Ok((Some(rules), _)) => rules,
        _ => panic!("the fixed rules are valid"),
    })
}

fuzz_target!(|data: &[u8]| {
    let rules = rules();
    let input = Input::memory("fuzz.csv", data.to_vec());
    let Ok(run) = Run::prepare(rules, std::slice::from_ref(&input), &ReadOptions::default()) else {
        return;
    };
    for format in [Format::Table, Format::Csv, Format::Json, Format::Markdown] {
        let mut out = Vec::new();
        let mut collector = Collector::new(run.sections.list.len(), format.groups_students());
        {
            let mut sink = render::sink(
                format,
                &[],
                Style {
                    terminal: false,
                    formulas: Formulas::Escape,
                    color: true,
                    width: None,
                },
                rules,
                &mut out,
            );
            let mut placed = 0u64;
            let ok = run.for_each(|student| {
                let plan = &rules.plans[student.decision.plan];
                let name = String::from_utf8_lossy(student.name);
                let caveat = student.caveat(rules, &run.program);
                collector.add(student, &name, plan, None, caveat.as_deref());
                let reason = run.program.reason(rules, &student.decision, &student.env);
                sink.student(&Placed {
                    id: &String::from_utf8_lossy(student.id),
                    name: &name,
                    section: "s",
                    plan,
                    focus: None,
                    focus_score: student.decision.focus_score,
                    reason: Some(&reason),
                    caveat: caveat.as_deref(),
                    next_probe: None,
                    fields: Fields {
                        rules,
                        env: &student.env,
                    },
                })
                .expect("writing to memory");
                placed += 1;
                Ok(())
            });
            if ok.is_err() {
                return;
            }
            assert_eq!(placed, run.students);
            let plans = collector.finish(rules, &run.sections);
            let report = Report {
                rules,
                skills: &run.skills.names,
                sections: &run.sections,
                plans: &plans,
                students: run.students,
                in_several_sections: run.in_several_sections,
                set_aside: &run.set_aside,
            };
            sink.finish(&report).expect("writing to memory");
        }
        if format == Format::Json {
            let text = String::from_utf8(out).expect("JSON is UTF-8");
            assert!(text.starts_with('{') && text.trim_end().ends_with('}'));
        }
    }
});
