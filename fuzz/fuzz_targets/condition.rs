//! The condition language: any text parsed, compiled against a fixed set of
//! names in every scope, and evaluated on a fixed student.
#![no_main]

use csv::ByteRecord;
use libfuzzer_sys::fuzz_target;
use tierplan::condition::compile::{Compiler, Names, Resolved, Scope};
use tierplan::condition::eval::{Env, NoTrace, Recorder, SkillStat};
use tierplan::condition::parse;

struct Fixed;

impl Names for Fixed {
    fn resolve(&self, name: &str) -> Option<Resolved> {
        Some(match name {
            "mastery" => Resolved::Number(80.0),
            "season" => Resolved::Text("fall".into()),
            "screening" => Resolved::Field(0),
            "grade" => Resolved::Field(1),
            "A" => Resolved::Skill(0),
            "B" => Resolved::Skill(1),
            _ => return None,
        })
    }
    fn candidates(&self) -> Vec<String> {
        vec!["mastery".into(), "screening".into()]
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = parse(text) else { return };
    let record = ByteRecord::from(vec!["12", "K"]);
    let names: Vec<Box<str>> = vec!["A".into(), "B".into()];
    let stats = [
        SkillStat {
            assessed: 3,
            below: 2,
            sum: 150.0,
            whole_class: true,
        },
        SkillStat::default(),
    ];
    let quantities = tierplan::condition::eval::Quantities::default();
    let env = Env {
        quantities: &quantities,
        record: &record,
        field_columns: &[Some(0), Some(1)],
        numbers: &[Some(12.0), None],
        scores: &[Some(70.0), None],
        skill_names: &names,
        section_name: b"5A",
        section_students: 3,
        section: &stats,
        tables: &[],
        skill: 0,
    };
    for scope in [Scope::Student, Scope::Skill, Scope::Section] {
        let mut compiler = Compiler::new(&Fixed);
        if let Ok(cond) = compiler.cond(&expr, scope) {
            let plain = cond.eval(&env, &mut NoTrace);
            let traced = cond.eval(&env, &mut Recorder::default());
            assert_eq!(plain, traced, "tracing does not change an outcome");
        }
        let _ = Compiler::new(&Fixed).value(&expr, scope);
    }
});
