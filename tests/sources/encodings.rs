//! Files that are not UTF-8: Windows-1252 and UTF-16 with a byte-order mark,
//! and a Windows-1252 character after the first 64 KiB.

use std::fmt::Write as _;

use super::{
    assert_each_once, assert_name, assert_plan, fixture, fixture_bytes, plan_rows, rows_of, run,
};
use crate::util::Test;

#[test]
fn windows_1252_google_forms_names_come_out_right() {
    let bytes = fixture_bytes("google-forms-windows-1252.csv");
    assert!(String::from_utf8(bytes.clone()).is_err(), "not UTF-8");
    assert!(bytes.contains(&0xE9), "é is one byte, 0xE9");
    let out = run(&[
        "plan",
        &fixture("google-forms-windows-1252.csv"),
        "--blueprint",
        &fixture("google-forms-windows-1252-blueprint.csv"),
        "--format",
        "csv",
    ]);
    let rows = rows_of(&out);
    assert_each_once(
        &rows,
        &[
            "jose@school.example",
            "zoe@school.example",
            "renee@school.example",
        ]
        .map(str::to_owned),
    );
    assert_name(&rows, "jose@school.example", "José Núñez");
    assert_name(&rows, "zoe@school.example", "Zoë Brontë");
    assert_name(&rows, "renee@school.example", "Renée Faÿ");
    // The blueprint (UTF-8) names the questions `Cuánto es 3/4 de 12?` and
    // `Redondea 4.56 a décimas`: the headers were decoded too.
    assert_plan(
        &rows,
        "jose@school.example",
        "small_group_reteach | small_group_reteach | 1 | Decimales | 0 | Decimales is 0, below mastery (80), and not retaught to the whole class",
    );
}

#[test]
fn utf16_long_results_names_come_out_right() {
    let bytes = fixture_bytes("long-utf16le.csv");
    assert_eq!(
        &bytes[..4],
        b"\xFF\xFEs\x00",
        "UTF-16LE with a byte-order mark"
    );
    let data = fixture("long-utf16le.csv");
    let rows = plan_rows(&[&data]);
    assert_each_once(&rows, &["U01", "U02", "U03"].map(str::to_owned));
    assert_name(&rows, "U01", "Nguyễn Văn An");
    assert_name(&rows, "U02", "José Núñez");
    assert_name(&rows, "U03", "Trần Thị Bình");
    // 45 on 2026-09-01, 65 on 9/20/2026: the most recent.
    assert_plan(
        &rows,
        "U01",
        "small_group_reteach | small_group_reteach | 1 | Fractions | 65 | Fractions is 65, below mastery (80), and not retaught to the whole class",
    );
    // The same from standard input.
    let t = Test::new().stdin(&bytes);
    let stdin = t.run_with(&["plan", "-", "--format", "csv"]);
    assert_eq!(rows_of(&stdin), rows);
}

#[test]
fn windows_1252_after_the_first_64_kib() {
    let mut text = String::from("student_id,name,section,skill,score,date\n");
    let mut i = 0;
    while text.len() < 70_000 {
        let _ = writeln!(
            text,
            "S{i:05},Student Number {i},5A,Fractions,90,2026-09-01"
        );
        i += 1;
    }
    text.push_str("Z001,José Núñez,5A,Fractions,50,2026-09-01\n");
    // Windows-1252: every character here but é and ñ is ASCII.
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'ñ' => 0xF1,
            c => u8::try_from(c).expect("ASCII"),
        })
        .collect();
    let out = Test::new()
        .file("late.csv", bytes)
        .args(&["plan", "late.csv", "--format", "csv"])
        .run();
    assert!(
        !out.stdout.contains('\u{FFFD}'),
        "no replacement characters in the plan"
    );
    let rows = rows_of(&out);
    assert_eq!(rows.len(), i + 1);
    assert_name(&rows, "Z001", "José Núñez");
}
