//! Student data stays where it is: tierplan has no way to send it anywhere
//! (no networking crate in the build), its error messages show the one cell
//! at fault and nothing else of the data, and `--redact` leaves no full name
//! in any output.

use std::fs;

use crate::util::{CSV_COLUMNS, Output, Test, csv_records, repo};

/// Crates that open sockets or speak HTTP or TLS.
const NETWORKING: [&str; 15] = [
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "isahc",
    "attohttpc",
    "surf",
    "tokio",
    "async-std",
    "h2",
    "rustls",
    "native-tls",
    "openssl",
    "socket2",
    "mio",
];

/// Every package in `Cargo.lock`, build and development dependencies alike.
#[test]
fn no_networking_crate_is_in_the_lock_file() {
    let path = repo("Cargo.lock");
    let lock =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"tierplan"), "Cargo.lock lists packages");
    let found: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| NETWORKING.contains(n) || n.starts_with("openssl-") || n.starts_with("curl-"))
        .collect();
    assert!(
        found.is_empty(),
        "networking crates in Cargo.lock: {found:?}"
    );
}

/// A class whose names, ids and cells are distinctive, so any of them in a
/// message is plain to see. Row 3 (Élodie Marchetti) holds the bad cell,
/// `eighty`, in column 5 (`NF.1`).
const CLASS: &str = "\
student_id,name,section,screening_pctl,NF.1,NF.2
ID-77120,Quillon Brakstad,Room Zeta,37,55,91.25
ID-80431,\"Marchetti, Élodie\",Room Zeta,48,eighty,64.5
ID-91552,Zyx Ovander-Plume,Room Zeta,,95,98.75
";

/// What the bad row and the other rows hold, which no message may show.
const NOT_IN_MESSAGES: [&str; 13] = [
    // The other students.
    "Quillon",
    "Brakstad",
    "ID-77120",
    "91.25",
    "Zyx",
    "Ovander",
    "ID-91552",
    "98.75",
    // The other cells of the bad row.
    "Marchetti",
    "Élodie",
    "ID-80431",
    "48",
    "64.5",
];

#[track_caller]
fn assert_only_the_cell(text: &str, what: &str) {
    assert!(
        text.contains("`eighty`") && text.contains("e.csv, line 3, column 5 (`NF.1`)"),
        "{what} names the cell and its place:\n{text}"
    );
    for secret in NOT_IN_MESSAGES {
        assert!(
            !text.contains(secret),
            "{what} shows `{secret}`, which is not the cell at fault:\n{text}"
        );
    }
}

#[test]
fn an_error_shows_the_offending_cell_and_nothing_else() {
    let t = Test::new().file("e.csv", CLASS);
    let plan = t.status(1).run_with(&["plan", "e.csv"]);
    plan.assert_stdout("");
    assert_only_the_cell(&plan.stderr, "plan's error");

    let explain = t
        .status(1)
        .run_with(&["explain", "e.csv", "--student", "ID-77120"]);
    explain.assert_stdout("");
    assert_only_the_cell(&explain.stderr, "explain's error");

    // `check` lists the problems on standard output, with the file's
    // columns (headers, not student data).
    let check = t.status(1).run_with(&["check", "e.csv"]);
    assert_only_the_cell(&check.stdout, "check's list");
    for secret in NOT_IN_MESSAGES {
        assert!(!check.stderr.contains(secret), "check shows `{secret}`");
    }

    // `--lenient` warns on standard error and lists the problem in the
    // plan; the plan itself names the students, as it should.
    let lenient = t.run_with(&["plan", "e.csv", "--lenient", "-f", "json"]);
    assert_only_the_cell(&lenient.stderr, "lenient warning");
    let doc: serde_json::Value = serde_json::from_str(&lenient.stdout).expect("json");
    let problems = doc["set_aside"]["problems"].to_string();
    for secret in NOT_IN_MESSAGES {
        assert!(
            !problems.contains(secret),
            "the set-aside problems show `{secret}`: {problems}"
        );
    }
}

/// Other problems with a row name no cell at all.
#[test]
fn row_errors_show_no_cells() {
    let t = Test::new()
        .file(
            "ragged.csv",
            CLASS.replace("48,eighty,64.5", "48,80,64.5,surplus-cell"),
        )
        .file(
            "screening.csv",
            CLASS.replace("48,eighty", "forty-eight,80"),
        );
    let ragged = t.status(1).run_with(&["plan", "ragged.csv"]);
    ragged.assert_stderr_contains("  --> ragged.csv, line 3\n");
    let screening = t.status(1).run_with(&["plan", "screening.csv"]);
    screening.assert_stderr_contains(
        "`forty-eight` is not a number\n  --> screening.csv, line 3, column 4",
    );
    for out in [ragged, screening] {
        for secret in NOT_IN_MESSAGES.iter().chain(&["surplus-cell", "Room Zeta"]) {
            assert!(
                !out.stderr.contains(secret),
                "`{}` shows `{secret}`:\n{}",
                out.command,
                out.stderr
            );
        }
    }
}

/// A class with names of one to three words, with a comma, an accent and a
/// hyphen.
const NAMED: &str = "\
student_id,name,section,screening_pctl,NF.1,NF.2
ID-77120,Quillon Brakstad,Room Zeta,,55,91
ID-80431,\"Marchetti, Élodie\",Room Zeta,8,72,64
ID-91552,Zyx Ovander-Plume,Room Zeta,,95,98
ID-63318,Yevgenia Tarkovsky Halloran,Room Zeta,22,40,85
ID-55107,Ingeborg,Room Zeta,,79,88
";

/// Every word of every name (none of which is in tierplan's own text).
const NAME_WORDS: [&str; 9] = [
    "Quillon",
    "Brakstad",
    "Marchetti",
    "Élodie",
    "Ovander",
    "Plume",
    "Yevgenia",
    "Tarkovsky",
    "Ingeborg",
];
const IDS: [&str; 5] = ["ID-77120", "ID-80431", "ID-91552", "ID-63318", "ID-55107"];
const INITIALS: [&str; 5] = ["Q. B.", "M. É.", "Z. O.", "Y. T. H.", "I."];

#[track_caller]
fn assert_no_names(out: &Output) {
    for word in NAME_WORDS.iter().chain(&["Halloran"]) {
        assert!(
            !out.stdout.contains(word),
            "`{}` shows `{word}`:\n{}",
            out.command,
            out.stdout
        );
    }
}

#[test]
fn redact_leaves_initials_and_ids_in_every_format() {
    let t = Test::new().file("class.csv", NAMED);

    let csv = t.run_with(&["plan", "class.csv", "--redact", "-f", "csv"]);
    assert_no_names(&csv);
    let rows = csv_records(&csv.stdout, &CSV_COLUMNS);
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = IDS.into_iter().zip(INITIALS).collect();
    assert_eq!(pairs, expected, "csv ids and initials");

    let json = t.run_with(&["plan", "class.csv", "--redact", "-f", "json"]);
    assert_no_names(&json);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let pairs: Vec<(&str, &str)> = doc["students"]
        .as_array()
        .expect("students")
        .iter()
        .map(|s| {
            (
                s["student_id"].as_str().expect("an id"),
                s["name"].as_str().expect("a name"),
            )
        })
        .collect();
    assert_eq!(pairs, expected, "json ids and initials");

    let markdown = t.run_with(&["plan", "class.csv", "--redact", "-f", "markdown"]);
    assert_no_names(&markdown);
    for initials in INITIALS {
        markdown.assert_stdout_contains(initials);
    }

    // The table wraps long cells, so look for the words of the names only.
    let table = t.run_with(&["plan", "class.csv", "--redact"]);
    assert_no_names(&table);
    table.assert_stdout_contains("Q. B.");

    for (id, initials) in expected {
        let explain = t.run_with(&["explain", "class.csv", "--student", id, "--redact"]);
        assert_no_names(&explain);
        explain.assert_stdout_contains(&format!("Student {id} · {initials} · section Room Zeta\n"));
    }
}

/// Names reach the output by two more roads: a `reason` that inserts
/// `{name}`, and a test that reads the name (the reason tierplan writes for
/// a branch without one lists the values its test read, and `explain`
/// shows them). With `--redact` neither may show the full name.
///
/// `tierplan plan --redact -f csv --rules r.yaml class.csv`, with a branch
/// `when: name is present and any(score < mastery)` or `reason: "{name}"`:
/// the reason column holds `Quillon Brakstad`.
#[test]
fn redact_covers_names_in_reasons_and_explanations() {
    let t = Test::new().file("class.csv", NAMED).rules(
        r#"
        tierplan: 1
        columns:
          student_id: [student_id]
          name: {names: [name], optional: true}
          section: {names: [section], optional: true}
        skills:
          columns: rest
          ignore: [screening_pctl]
        params:
          mastery: 80
        plans:
          reteach: {kind: small_group_reteach}
          core: {kind: core}
        tree:
          - when: name is present and any(score < mastery)
            plan: reteach
            focus: weakest
          - default: core
            reason: "{name} is on track"
        "#,
    );
    for format in ["csv", "json", "table", "markdown"] {
        let out = t.run_with(&[
            "plan",
            "--rules",
            "rules.yaml",
            "class.csv",
            "--redact",
            "-f",
            format,
        ]);
        assert_no_names(&out);
    }
    for id in IDS {
        let out = t.run_with(&[
            "explain",
            "--rules",
            "rules.yaml",
            "class.csv",
            "--student",
            id,
            "--redact",
        ]);
        assert_no_names(&out);
    }
}

/// A file whose first line is a student's row: without a header, the usual
/// "the file's columns are ..." would print that row whole (an id, a name,
/// scores). The message says there seems to be no header and quotes no cell,
/// with or without `--redact`.
#[test]
fn a_file_without_a_header_shows_no_cell_of_its_first_row() {
    let t = Test::new().file(
        "nohdr.csv",
        "ID-77120,Quillon Brakstad,80,90\nID-91552,Zyx Ovander-Plume,70,60\n",
    );
    let expected = "\
error[no-header]: `nohdr.csv` seems to have no header row: its first line has a number in column 3, where a header names the column, and no column for `student_id`
  --> nohdr.csv, line 1
  = help: tierplan reads the first line as the columns' names: add a line naming them (one of `student_id`, `student id`, `id`, `student number`, `sis id` and `local id` for the id, then the other fields and the skills)
";
    for args in [
        &["plan", "nohdr.csv"][..],
        &["plan", "nohdr.csv", "--redact"],
        &["explain", "nohdr.csv", "--student", "ID-77120"],
    ] {
        let out = t.status(1).run_with(args);
        out.assert_stdout("").assert_stderr(expected);
    }
    let check = t.status(1).run_with(&["check", "nohdr.csv"]);
    check.assert_stdout_contains(expected);
    for secret in ["Quillon", "ID-77120", "Zyx", "80", "90"] {
        assert!(!check.stdout.contains(secret), "check shows `{secret}`");
    }
}

/// `--encoding utf-16le` on a UTF-8 file makes the whole file one garbled
/// header cell; the message quotes at most 40 characters of it.
#[test]
fn a_garbled_file_is_quoted_in_a_few_characters() {
    let class = "student_id,name,NF.1\nID-77120,Quillon Brakstad,80\n".repeat(40);
    let t = Test::new().file("class.csv", class);
    let out = t
        .status(1)
        .run_with(&["plan", "class.csv", "--encoding", "utf-16le"]);
    out.assert_stdout("");
    let quoted: Vec<&str> = out.stderr.split('`').skip(1).step_by(2).collect();
    assert!(
        !quoted.is_empty(),
        "the message quotes something:\n{}",
        out.stderr
    );
    for q in quoted {
        assert!(
            q.chars().count() <= 41,
            "`{q}` is quoted whole:\n{}",
            out.stderr
        );
    }
    assert!(out.stderr.chars().count() < 1000, "{}", out.stderr);
}

/// The students' e-mail addresses in the Google Forms fixture, whose local
/// parts are their names.
const ADDRESSES: [&str; 4] = ["ben@", "ana@", "cara@", "dev@"];

/// A Google Forms export's ids are e-mail addresses: under `--redact` they
/// are shown as `b…@school.example`, in every format, in `explain` (which
/// still finds the student by the address) and in messages.
#[test]
fn redact_covers_ids_that_are_e_mail_addresses() {
    let t = Test::new().file("g.csv", crate::util::data("sources/google-forms.csv"));
    for format in ["csv", "json", "table", "markdown"] {
        let out = t.run_with(&["plan", "g.csv", "--redact", "-f", format]);
        for address in ADDRESSES {
            assert!(
                !out.stdout.contains(address) && !out.stderr.contains(address),
                "`{}` shows `{address}`:\n{}{}",
                out.command,
                out.stdout,
                out.stderr
            );
        }
    }
    let csv = t.run_with(&["plan", "g.csv", "--redact", "-f", "csv"]);
    let ids: Vec<String> = csv_records(&csv.stdout, &CSV_COLUMNS)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert!(ids.contains(&"a…@school.example".to_owned()), "{ids:?}");
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id.contains("…@")),
        "{ids:?}"
    );

    let explain = t.run_with(&[
        "explain",
        "g.csv",
        "--student",
        "ana@school.example",
        "--redact",
    ]);
    explain.assert_stdout_contains("Student a…@school.example · A. L. ·");
    assert!(!explain.stdout.contains("ana@"), "{}", explain.stdout);

    // A second row for the same address, in a plain CSV: the error names
    // the student by the redacted address.
    let twice = Test::new().file(
        "twice.csv",
        "student_id,name,NF.1\nava.lee@school.org,Ava Lee,80\nava.lee@school.org,Ava Lee,90\n",
    );
    twice
        .status(1)
        .run_with(&["plan", "twice.csv", "--redact"])
        .assert_stderr_contains(
            "error[duplicate-student]: student `a…@school.org` appears twice (also on line 2)\n",
        );
}

/// A name in a column the rules read as a skill (`Student Name` is not one
/// of the default rules' names for `name`): under `--redact` the message
/// says where the cell is and quotes none of it.
#[test]
fn redact_quotes_no_cell_in_messages() {
    let t = Test::new().file(
        "class.csv",
        "student_id,Pupil,NF.1\nID-77120,Quillon Brakstad,80\n",
    );
    t.status(1).run_with(&["plan", "class.csv", "--redact"])
        .assert_stderr_contains(
            "error[bad-score]: the cell is not a score\n  --> class.csv, line 2, column 2 (`Pupil`)\n",
        );
    let lenient = t.run_with(&["plan", "class.csv", "--redact", "--lenient", "-f", "json"]);
    for out in [&lenient.stdout, &lenient.stderr] {
        assert!(!out.contains("Quillon"), "{out}");
    }
    // `--only` that selects no row lists the column's values, which may
    // be names; not under `--redact`.
    let only = t
        .status(1)
        .run_with(&["plan", "class.csv", "--redact", "--only", "Pupil=Nobody"]);
    only.assert_stderr_contains(
        "error[nothing-selected]: no row of `class.csv` has `Pupil` = `Nobody`\n  --> class.csv\n  = help: its values are not shown under `--redact`\n",
    );
    // Without `--redact` the cell is quoted, as before.
    t.status(1)
        .run_with(&["plan", "class.csv"])
        .assert_stderr_contains("error[bad-score]: `Quillon Brakstad` is not a score\n");
}

/// Names that are markup or an escape sequence.
const MARKUP: &str = "\
student_id,name,section,screening_pctl,NF.1,NF.2
ID-1,<img src=x onerror=alert(1)>,Room Zeta,40,55,91
ID-2,[x](javascript:alert(1)),Room Zeta,40,55,91
ID-3,\u{1b}[31mRed\u{1b}[0m,Room Zeta,40,55,91
";

/// Markdown pasted into a document or a wiki cannot take HTML, a link or a
/// terminal's escape sequence from a name.
#[test]
fn markdown_escapes_markup_and_drops_control_characters() {
    let t = Test::new().file("class.csv", MARKUP);
    let out = t.run_with(&["plan", "class.csv", "-f", "markdown"]);
    out.assert_stdout_contains("&lt;img src=x onerror=alert(1)&gt;")
        .assert_stdout_contains("\\[x\\](javascript:alert(1))")
        .assert_stdout_contains("\\[31mRed\\[0m");
    for raw in ["<img", "[x]", "\u{1b}"] {
        assert!(
            !out.stdout.contains(raw),
            "markdown holds `{raw}`:\n{}",
            out.stdout
        );
    }
}

/// CSV to a pipe or a file is the data as it is; to a terminal it shows
/// control characters as `�` (run under `script`, which gives it one).
#[test]
fn csv_filters_control_characters_on_a_terminal_only() {
    let t = Test::new().file("class.csv", MARKUP);
    let piped = t.run_with(&["plan", "class.csv", "-f", "csv"]);
    piped.assert_stdout_contains("ID-3,\u{1b}[31mRed\u{1b}[0m,");

    let command = format!("{} plan class.csv -f csv", env!("CARGO_BIN_EXE_tierplan"));
    // `script` (util-linux, in Debian's essential bsdutils) gives the run a
    // terminal; without it the test fails rather than skip.
    let tty = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(t.path(""))
        .output()
        .expect("`script` (bsdutils) runs tierplan on a terminal");
    let shown = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{shown}");
    assert!(shown.contains("ID-3,�[31mRed�[0m,"), "{shown}");
    assert!(!shown.contains('\u{1b}'), "{shown}");
}

/// See: issue 13. Under `--redact` an e-mail id is shortened, so `explain`
/// cannot tell one student in two sections from two students whose
/// addresses share a first letter and domain: it says so, rather than call
/// them one student.
#[test]
fn redacted_explain_does_not_call_two_shortened_ids_one_student() {
    let t = Test::new().file(
        "g.csv",
        "student_id,name,section,NF.1\nana.lima@school.org,Ana Lima,Math 7,80\namy.ross@school.org,Amy Ross,ELA 7,70\nana.lima@school.org,Ana Lima,ELA 7,60\n",
    );
    let out = t.run_with(&["explain", "g.csv", "-s", "ana.lima@school.org", "--redact"]);
    assert!(
        out.stdout.starts_with("3 rows have the id a…@school.org as `--redact` shows it, in `Math 7` and `ELA 7`: e-mail ids that share a first letter and domain read the same, so they may be different students; 3 decisions follow.\n"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("ana.lima") && !out.stdout.contains("Ana Lima"),
        "{}",
        out.stdout
    );
    // Without `--redact` the id is exact: one student, in two sections.
    let plain = t.run_with(&["explain", "g.csv", "-s", "ana.lima@school.org"]);
    assert!(
        plain
            .stdout
            .starts_with("Student ana.lima@school.org is in 2 sections, `Math 7` and `ELA 7`,"),
        "{}",
        plain.stdout
    );
}
