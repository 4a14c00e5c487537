//! How the table looks in the shell (issue 13): `--color`, `NO_COLOR` and
//! `CLICOLOR_FORCE` colour the tiers of the table and nothing else, never
//! in a pipe unless asked, never in CSV, JSON, Markdown or a file; the
//! data's own control bytes stay neutralised when colouring. `--width` and
//! `COLUMNS` set the table's width off a terminal.

use crate::util::{QUIZ, Test};

const ESC: char = '\u{1b}';
/// Tier 3's row in the tiers table, red and bold.
const RED_BOLD: &str = "\u{1b}[38;5;9m\u{1b}[1m Tier 3";

fn plan(t: &Test, args: &[&str]) -> String {
    let mut all = vec!["plan", "quiz.csv"];
    all.extend_from_slice(args);
    t.run_with(&all).stdout
}

#[test]
fn color_always_colours_the_tiers_of_the_table() {
    let t = Test::new().quiz();
    let out = plan(&t, &["--color", "always"]);
    assert!(out.contains(RED_BOLD), "{out}");
    assert!(
        out.contains("\u{1b}[38;5;11m Tier 2"),
        "Tier 2 yellow: {out}"
    );
    // Only the tiers table: the groups and the headings stay plain.
    for line in out.lines().filter(|l| l.contains(ESC)) {
        assert!(line.contains("Tier "), "coloured: {line}");
    }
    // The global flag goes before the command too.
    let t2 = t
        .run_with(&["--color", "always", "plan", "quiz.csv"])
        .stdout;
    assert_eq!(t2, out);
}

#[test]
fn a_pipe_never_and_no_color_get_no_colour() {
    let t = Test::new().quiz();
    let plain = plan(&t, &[]);
    assert!(!plain.contains(ESC), "a pipe is not coloured: {plain}");
    assert_eq!(plan(&t, &["--color", "never"]), plain);
    assert_eq!(plan(&t, &["--color", "auto"]), plain);
    let t = t.env("NO_COLOR", "1").env("CLICOLOR_FORCE", "1");
    assert_eq!(plan(&t, &[]), plain, "NO_COLOR beats CLICOLOR_FORCE");
}

#[test]
fn clicolor_force_colours_a_pipe() {
    let t = Test::new().quiz().env("CLICOLOR_FORCE", "1");
    assert!(plan(&t, &[]).contains(RED_BOLD));
    assert!(!plan(&t, &["--color", "never"]).contains(ESC));
}

#[test]
fn csv_json_markdown_and_files_are_never_coloured() {
    let t = Test::new().quiz();
    for format in ["csv", "json", "markdown"] {
        let out = plan(&t, &["--color", "always", "-f", format]);
        assert!(!out.contains(ESC), "{format}: {out}");
    }
    plan(&t, &["--color", "always", "-o", "plan.txt"]);
    assert!(!t.read("plan.txt").contains(ESC));
    let diff = t.run_with(&[
        "diff", "quiz.csv", "quiz.csv", "--color", "always", "-f", "csv",
    ]);
    assert!(!diff.stdout.contains(ESC));
}

#[test]
fn colour_codes_come_only_from_tierplan_not_from_the_data() {
    let quiz = QUIZ.replace("José Álvarez", "José\u{1b}[2J\u{1b}]0;pwned\u{7}Álvarez");
    let t = Test::new().file("quiz.csv", quiz);
    let out = plan(&t, &["--color", "always"]);
    assert!(out.contains(RED_BOLD), "still coloured: {out}");
    assert!(
        !out.contains("\u{1b}[2J") && !out.contains("\u{1b}]0"),
        "{out}"
    );
    assert!(
        out.contains("José\u{fffd}[2J\u{fffd}]0;pwned\u{fffd}Álvarez"),
        "{out}"
    );
}

#[test]
fn the_config_file_can_turn_colour_on_and_the_flag_off() {
    let t = Test::new().quiz().file("c.yaml", "color: always\n");
    assert!(plan(&t, &["--config", "c.yaml"]).contains(RED_BOLD));
    assert!(!plan(&t, &["--config", "c.yaml", "--color", "never"]).contains(ESC));
}

/// The widest line of the tables (the lines drawn with box characters).
fn table_width(out: &str) -> usize {
    out.lines()
        .filter(|l| l.starts_with(['┌', '│', '├', '╞', '└']))
        .map(|l| l.chars().count())
        .max()
        .expect("a table")
}

#[test]
fn columns_sets_the_width_of_the_table_off_a_terminal() {
    let t = Test::new().quiz();
    assert_eq!(table_width(&plan(&t, &[])), 100, "files and pipes: 100");
    let t = t.env("COLUMNS", "60");
    let out = plan(&t, &[]);
    assert!(table_width(&out) <= 60, "{out}");
    assert!(out.contains("Henry Walker"), "the names wrap, not vanish");
    // `--width` wins over COLUMNS.
    let out = plan(&t, &["--width", "72"]);
    assert_eq!(table_width(&out), 72, "{out}");
    let diff = t
        .run_with(&["diff", "quiz.csv", "quiz.csv", "--all"])
        .stdout;
    assert!(table_width(&diff) <= 60, "{diff}");
}

#[test]
fn a_width_too_small_or_not_a_number_is_a_usage_error() {
    let t = Test::new().quiz();
    t.status(2).run_with(&["plan", "quiz.csv", "--width", "5"]);
    t.status(2)
        .run_with(&["plan", "quiz.csv", "--width", "wide"]);
    // A COLUMNS that is not a width is ignored, as shells leave it so.
    let out = t
        .env("COLUMNS", "lots")
        .run_with(&["plan", "quiz.csv"])
        .stdout;
    assert_eq!(table_width(&out), 100);
}
