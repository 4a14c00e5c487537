//! Micro-benchmarks of the per-row hot path: reading a score, evaluating a
//! compiled condition, and one student through the default rules; of
//! mapping the widest header tierplan reads; and both passes of the engine
//! over a B1-shaped file of 200,000 students, cut into a range per core.
//!
//! `cargo bench --bench hot`. Whole-run speed against DuckDB and pandas is
//! measured by `../shared/bench/peers.sh` (README, "Performance").

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use csv::ByteRecord;
use tierplan::condition::compile::{Compiler, Names, Resolved, Scope};
use tierplan::condition::eval::{Env, NoTrace, Quantities, SkillStat};
use tierplan::condition::parse;
use tierplan::ingest::columns::{ColumnMap, Skills, skill_headers};
use tierplan::ingest::score::parse_score;
use tierplan::rules::{self, BuiltIn, Scale};

fn scores(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    for cell in ["85", "7 / 10", "85%", "  92.5 ", ""] {
        group.bench_function(format!("{cell:?}"), |b| {
            b.iter(|| parse_score(black_box(cell.as_bytes()), Scale::Percent, false))
        });
    }
    group.finish();
}

/// The names of a quiz with eight skills and a screening column.
struct Quiz;

impl Names for Quiz {
    fn resolve(&self, name: &str) -> Option<Resolved> {
        Some(match name {
            "mastery" => Resolved::Number(80.0),
            "tier3_cut" => Resolved::Number(10.0),
            "screening" => Resolved::Field(0),
            _ => return None,
        })
    }
    fn candidates(&self) -> Vec<String> {
        Vec::new()
    }
}

const SKILLS: [&str; 8] = [
    "NBT.1", "NBT.2", "NF.1", "NF.2", "OA.1", "OA.2", "MD.1", "G.1",
];

fn conditions(c: &mut Criterion) {
    let record = ByteRecord::from(vec!["42"]);
    let scores = [
        Some(90.0),
        Some(85.0),
        Some(60.0),
        Some(95.0),
        Some(70.0),
        None,
        Some(88.0),
        Some(81.0),
    ];
    let names: Vec<Box<str>> = SKILLS.iter().map(|s| (*s).into()).collect();
    let mut section = vec![SkillStat::default(); 8];
    section[2].whole_class = true;
    let quantities = Quantities::default();
    let env = Env {
        quantities: &quantities,
        record: &record,
        field_columns: &[Some(0)],
        numbers: &[Some(42.0)],
        scores: &scores,
        skill_names: &names,
        section_name: b"5A",
        section_students: 28,
        section: &section,
        tables: &[],
        skill: 0,
    };
    let mut group = c.benchmark_group("condition");
    for text in [
        "screening <= tier3_cut",
        "any(score < mastery and not whole_class)",
    ] {
        let cond = Compiler::new(&Quiz)
            .cond(&parse(text).expect("parses"), Scope::Student)
            .expect("compiles");
        group.bench_function(text, |b| {
            b.iter(|| {
                // A student's quantities are worked out once per student.
                let fresh = Quantities::default();
                let env = Env {
                    quantities: &fresh,
                    ..env
                };
                black_box(&cond).eval(black_box(&env), &mut NoTrace)
            })
        });
    }
    group.finish();
}

fn one_student(c: &mut Criterion) {
    let rules = rules::load(None, BuiltIn::named(tierplan::rules::shipped::DEFAULT), &[])
        .expect("the default rules load");
    let names: Vec<Box<str>> = SKILLS.iter().map(|s| (*s).into()).collect();
    let program = rules.compile(&names).expect("compiles");
    // student_id, name, section, grade, screening: the default rules' fields.
    let record = ByteRecord::from(vec!["S0001", "Ana Lima", "5A", "5", "42"]);
    let columns: Vec<Option<usize>> = (0..rules.fields.len()).map(Some).collect();
    let numbers: Vec<Option<f64>> = (0..rules.fields.len())
        .map(|i| (i == 4).then_some(42.0))
        .collect();
    let scores = [
        Some(90.0),
        Some(85.0),
        Some(60.0),
        Some(95.0),
        Some(70.0),
        None,
        Some(88.0),
        Some(81.0),
    ];
    let mut section = vec![SkillStat::default(); 8];
    section[2].whole_class = true;
    let quantities = Quantities::default();
    let env = Env {
        quantities: &quantities,
        record: &record,
        field_columns: &columns,
        numbers: &numbers,
        scores: &scores,
        skill_names: &names,
        section_name: b"5A",
        section_students: 28,
        section: &section,
        tables: &program.tables,
        skill: 0,
    };
    c.bench_function("one student through the default rules", |b| {
        b.iter(|| {
            let fresh = Quantities::default();
            let env = Env {
                quantities: &fresh,
                ..env
            };
            program.decide(black_box(&env))
        })
    });
}

/// An id and 16,383 skills: every header is matched once, not against
/// every other.
fn wide_header(c: &mut Criterion) {
    let rules = rules::load(None, BuiltIn::named(tierplan::rules::shipped::DEFAULT), &[])
        .expect("the default rules load");
    let header: Vec<String> = std::iter::once("student_id".to_owned())
        .chain((1..16_384).map(|i| format!("s{i}")))
        .collect();
    c.bench_function("wide header", |b| {
        b.iter(|| {
            let names = skill_headers(&rules, black_box(&header), "wide.csv", 0)
                .expect("no duplicates")
                .into_iter()
                .map(|(_, h)| h.into())
                .collect();
            let skills = Skills { names };
            ColumnMap::resolve(&rules, &header, "wide.csv", &skills, 0).is_ok()
        })
    });
}

/// A test over 16,000 skills that reads the student's own quantities in
/// each: linear since they are worked out once per student (issue 12; it
/// rescanned every score for every skill, over 60 s for 60 students).
fn quantities_in_a_count(c: &mut Criterion) {
    let n = 16_000;
    let names: Vec<Box<str>> = (0..n).map(|i| format!("S{i}").into()).collect();
    let scores: Vec<Option<f64>> = (0..n).map(|i| Some((i % 100) as f64)).collect();
    let section = vec![SkillStat::default(); n];
    let record = ByteRecord::from(vec!["42"]);
    let cond = Compiler::new(&Quiz)
        .cond(
            &parse("count(score < min_score + max_score) > 0").expect("parses"),
            Scope::Student,
        )
        .expect("compiles");
    c.bench_function(
        "count(score < min_score + max_score) over 16,000 skills",
        |b| {
            b.iter(|| {
                let quantities = Quantities::default();
                let env = Env {
                    quantities: &quantities,
                    record: &record,
                    field_columns: &[Some(0)],
                    numbers: &[Some(42.0)],
                    scores: &scores,
                    skill_names: &names,
                    section_name: b"5A",
                    section_students: 1,
                    section: &section,
                    tables: &[],
                    skill: 0,
                };
                black_box(&cond).eval(&env, &mut NoTrace)
            })
        },
    );
}

/// Both passes over 200,000 made-up students in B1's shape (written to a
/// temporary file, over the 4 MiB past which a file is cut into ranges): the section pass with its duplicate check, then every
/// student decided, with no output.
fn both_passes(c: &mut Criterion) {
    use std::fmt::Write as _;
    use tierplan::engine::{ReadOptions, Run};
    use tierplan::ingest::Input;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = rules::load(
        Some(&root.join("examples/bench/rules.yaml")),
        BuiltIn::named(tierplan::rules::shipped::DEFAULT),
        &[],
    )
    .expect("the B1 rules load");
    let mut text = String::from(
        "student_id,name,school,section,grade,screening_pctl,score,NBT.1,NBT.2,NF.1,NF.2,OA.1,OA.2,MD.1,G.1\n",
    );
    for i in 0..200_000u64 {
        let school = i / 2_000;
        let _ = write!(
            text,
            "S{i:07},\"Kim, Ana\",SCH{school:04},SCH{school:04}-{}A,3,{},30 / 40",
            i % 8,
            (i * 37) % 100
        );
        for skill in 0..8 {
            let _ = write!(text, ",{}", (i * 13 + skill * 29) % 101);
        }
        text.push('\n');
    }
    // Removed when dropped, also when a step fails.
    let file = tempfile::Builder::new()
        .suffix(".csv")
        .tempfile()
        .expect("a temporary file");
    std::fs::write(file.path(), &text).expect("the input is written");
    let inputs = [Input::file(file.path().to_path_buf())];
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    group.bench_function("both passes over 200,000 students", |b| {
        b.iter(|| {
            let run = Run::prepare(&rules, &inputs, &ReadOptions::default()).expect("prepares");
            let mut plans = 0usize;
            run.for_each(|student| {
                plans += student.decision.plan;
                Ok(())
            })
            .expect("decides");
            black_box(plans)
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    scores,
    conditions,
    one_student,
    wide_header,
    both_passes,
    quantities_in_a_count
);
criterion_main!(benches);
