//! The defaults file (issue 13): found by `--config`, `TIERPLAN_CONFIG` or
//! the config folder, in that order; flags win; every output decided under
//! it names it; its mistakes are located; `tierplan config` shows it all.
//! The harness points the config folder into the test folder, so a
//! developer's own file cannot change any test.

use crate::util::{Test, unindent};

const MASTERY_70: &str = "set:\n  mastery: 70\n";

/// The plan as CSV with `--set mastery=70`, for comparing.
fn with_flag() -> String {
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "-f", "csv", "--set", "mastery=70"])
        .run()
        .stdout
}

#[test]
fn config_sets_what_set_would_and_says_so_on_stderr_for_csv() {
    let out = Test::new()
        .quiz()
        .file("school.yaml", MASTERY_70)
        .args(&["--config", "school.yaml", "plan", "quiz.csv", "-f", "csv"])
        .run();
    assert_eq!(out.stdout, with_flag());
    out.assert_stderr_contains("note: defaults from `school.yaml`: mastery=70\n");
}

#[test]
fn tierplan_config_names_the_variable_s_file() {
    let t = Test::new()
        .quiz()
        .file("district/tierplan.yaml", MASTERY_70)
        .env("TIERPLAN_CONFIG", "district/tierplan.yaml");
    let out = t.run_with(&["plan", "quiz.csv", "-f", "csv"]);
    assert_eq!(out.stdout, with_flag());
    out.assert_stderr_contains("note: defaults from `district/tierplan.yaml`: mastery=70\n");
}

#[test]
fn the_config_folder_s_file_is_used_when_nothing_names_one() {
    let t = Test::new()
        .quiz()
        .file("xdg/tierplan/config.yaml", MASTERY_70)
        .env("XDG_CONFIG_HOME", "{dir}/xdg");
    let out = t.run_with(&["plan", "quiz.csv", "-f", "csv"]);
    assert_eq!(out.stdout, with_flag());
    let file = t.path("xdg/tierplan/config.yaml");
    out.assert_stderr_contains(&format!(
        "note: defaults from `{}`: mastery=70\n",
        file.display()
    ));
}

#[test]
fn without_xdg_config_home_the_folder_is_home_s_dot_config() {
    let t = Test::new()
        .quiz()
        .file("home/.config/tierplan/config.yaml", MASTERY_70)
        .env("XDG_CONFIG_HOME", "")
        .env("HOME", "{dir}/home");
    let out = t.run_with(&["plan", "quiz.csv", "-f", "csv"]);
    assert_eq!(out.stdout, with_flag());
}

#[test]
fn config_flag_beats_the_variable_which_beats_the_folder() {
    let t = Test::new()
        .quiz()
        .file("flag.yaml", "set:\n  mastery: 70\n")
        .file("env.yaml", "set:\n  mastery: 60\n")
        .file("xdg/tierplan/config.yaml", "set:\n  mastery: 50\n")
        .env("XDG_CONFIG_HOME", "{dir}/xdg")
        .env("TIERPLAN_CONFIG", "env.yaml");
    t.run_with(&["--config", "flag.yaml", "config", "--path"])
        .assert_stdout("flag.yaml\n");
    t.run_with(&["config", "--path"])
        .assert_stdout("env.yaml\n");
    let out = t.run_with(&["plan", "quiz.csv", "-f", "csv", "--config", "flag.yaml"]);
    assert_eq!(out.stdout, with_flag());
}

#[test]
fn flags_on_the_command_line_win() {
    let t = Test::new()
        .quiz()
        .file("c.yaml", "set:\n  mastery: 60\nredact: true\n")
        .env("TIERPLAN_CONFIG", "c.yaml");
    // `--set` wins over the file's value, and the note does not claim it.
    let out = t.run_with(&["plan", "quiz.csv", "-f", "csv", "--set", "mastery=70"]);
    out.assert_stderr_contains("note: defaults from `c.yaml`: redact\n");
    let redacted = out.stdout.clone();
    assert!(redacted.contains("S01,A. M.,"), "{redacted}");
    // `--no-redact` undoes the file's `redact: true` for one run.
    let out = t.run_with(&[
        "plan",
        "quiz.csv",
        "-f",
        "csv",
        "--set",
        "mastery=70",
        "--no-redact",
    ]);
    assert_eq!(out.stdout, with_flag());
    assert!(!out.stderr.contains("defaults from"), "{}", out.stderr);
    // `--rules` wins over the file's rules.
    let t = Test::new()
        .quiz()
        .file("c.yaml", "rules: progress\n")
        .env("TIERPLAN_CONFIG", "c.yaml");
    let out = t.run_with(&["plan", "quiz.csv", "--rules", "default", "-f", "json"]);
    assert!(out.stdout.contains("\"config\":null"), "{}", out.stdout);
}

#[test]
fn a_rules_file_is_found_beside_the_config_file() {
    let rules = std::fs::read_to_string(crate::util::repo("rules/default.yaml")).unwrap();
    let rules = rules.replace("mastery: 80", "mastery: 70");
    let out = Test::new()
        .quiz()
        .file("school/rules.yaml", rules)
        .file("school/config.yaml", "rules: rules.yaml\n")
        .args(&[
            "plan",
            "quiz.csv",
            "-f",
            "csv",
            "--config",
            "school/config.yaml",
        ])
        .run();
    assert_eq!(out.stdout, with_flag());
    out.assert_stderr_contains(
        "note: defaults from `school/config.yaml`: rules `school/rules.yaml`\n",
    );
}

#[test]
fn the_table_markdown_and_json_name_the_config() {
    let t = Test::new().quiz().file("c.yaml", MASTERY_70);
    let table = t.run_with(&["plan", "quiz.csv", "--config", "c.yaml"]);
    table.assert_stdout_contains(
        "
        Rules: After a quiz (<built-in rules `default`>)
        Config: defaults from `c.yaml`: mastery=70

        Section 5A",
    );
    let markdown = t.run_with(&["plan", "quiz.csv", "-f", "md", "--config", "c.yaml"]);
    markdown.assert_stdout_contains("\nConfig: defaults from `c.yaml`: mastery=70\n");
    let json = t.run_with(&["plan", "quiz.csv", "-f", "json", "--config", "c.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        doc["rules"]["config"],
        serde_json::json!({"file": "c.yaml", "applied": ["mastery=70"]})
    );
    t.run_with(&["plan", "quiz.csv", "-o", "plan.xlsx", "--config", "c.yaml"]);
    let bytes = std::fs::read(t.path("plan.xlsx")).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let summary = calamine::Reader::worksheet_range(&mut book, "Summary").unwrap();
    assert!(
        summary.used_cells().any(|(_, _, c)| *c
            == calamine::Data::String("Config: defaults from `c.yaml`: mastery=70".into())),
        "the Summary sheet names the config"
    );
}

#[test]
fn explain_check_and_diff_say_the_config_on_stderr() {
    let t = Test::new()
        .quiz()
        .file("c.yaml", MASTERY_70)
        .env("TIERPLAN_CONFIG", "c.yaml");
    let note = "note: defaults from `c.yaml`: mastery=70\n";
    t.run_with(&["explain", "quiz.csv", "-s", "S03"])
        .assert_stderr_contains(note);
    t.run_with(&["check", "quiz.csv"])
        .assert_stderr_contains(note);
    t.run_with(&["diff", "quiz.csv", "quiz.csv"])
        .assert_stderr_contains(note);
}

#[test]
fn an_unknown_key_is_located_with_a_suggestion() {
    let out = Test::new()
        .quiz()
        .file("c.yaml", "set:\n  mastery: 70\nredcat: true\n")
        .args(&["plan", "quiz.csv", "--config", "c.yaml"])
        .status(1)
        .run();
    out.assert_stderr(
        "
        error[unknown-key]: unknown field `redcat`, expected one of rules, set, redact, color
          --> c.yaml, line 3, column 1
           |
         3 | redcat: true
           | ^
          = help: did you mean `redact`?
        ",
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_value_is_located() {
    Test::new()
        .quiz()
        .file("c.yaml", "color: sometimes\n")
        .args(&["plan", "quiz.csv", "--config", "c.yaml"])
        .status(1)
        .run()
        .assert_stderr_contains("--> c.yaml, line 1, column 8");
}

#[test]
fn a_missing_named_file_is_an_error_and_a_missing_folder_file_is_not() {
    let t = Test::new().quiz();
    t.status(2)
        .run_with(&["plan", "quiz.csv", "--config", "nope.yaml"])
        .assert_stderr(
            "error: no defaults file `nope.yaml`, named by `--config`; create it, or name another (`tierplan config --help` shows the format)\n",
        );
    let t = t.env("TIERPLAN_CONFIG", "gone.yaml");
    t.status(2)
        .run_with(&["plan", "quiz.csv"])
        .assert_stderr_contains("no defaults file `gone.yaml`, named by `TIERPLAN_CONFIG`");
    // No file in the config folder: tierplan's own defaults, silently.
    Test::new()
        .quiz()
        .args(&["plan", "quiz.csv", "-f", "csv"])
        .run()
        .assert_stderr(crate::util::QUIZ_NOTE);
}

#[test]
fn tierplan_config_shows_where_it_looked_and_the_defaults() {
    let t = Test::new()
        .file(
            "xdg/tierplan/config.yaml",
            "# the school's defaults\nrules: star\nset:\n  mastery: 70\nredact: true\ncolor: never\n",
        )
        .env("XDG_CONFIG_HOME", "{dir}/xdg");
    let file = t.path("xdg/tierplan/config.yaml").display().to_string();
    t.run_with(&["config"]).assert_stdout(&unindent(&format!(
        "
        Looked for the defaults file, in order:
          --config         (not given)
          TIERPLAN_CONFIG  (not set)
          config folder    {file} (used)

        Using: {file}

        Defaults (flags on the command line win):
          rules:  `star`
          set:    mastery=70
          redact: true
          color:  never
        "
    )));
    t.run_with(&["config", "--path"])
        .assert_stdout(&format!("{file}\n"));
}

#[test]
fn tierplan_config_without_a_file() {
    let t = Test::new();
    let folder = t.path("no-config-folder/tierplan/config.yaml");
    t.run_with(&["config"]).assert_stdout(&unindent(&format!(
        "
        Looked for the defaults file, in order:
          --config         (not given)
          TIERPLAN_CONFIG  (not set)
          config folder    {} (not found; none is needed)

        Using: none (tierplan's own defaults)

        Defaults (flags on the command line win):
          rules:  the set for a recognised export, else `default`
          set:    none (the rules' own values)
          redact: false
          color:  auto
        ",
        folder.display()
    )));
    t.status(1)
        .run_with(&["config", "--path"])
        .assert_stdout("");
}

#[test]
fn a_parameter_the_rules_lack_names_the_config_file_not_set() {
    Test::new()
        .quiz()
        .file("c.yaml", "redact: true\nset:\n  mastry: 70\n")
        .args(&["plan", "quiz.csv", "--config", "c.yaml"])
        .status(2)
        .run()
        .assert_stderr(
            "error: `mastry` under `set:` in the defaults file `c.yaml`, line 3, column 3: the rules have no parameter `mastry`; did you mean `mastery`?\n",
        );
}
