//! The exit status when the output goes away: a closed pipe is a success,
//! a full disk or a closed standard output is a write error.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::{QUIZ_NOTE, Test, big_class};

/// Start `plan` on a class too large for the pipe, read one line, close the
/// pipe, and return the exit status and standard error.
fn close_after_one_line(format: &str) -> (i32, String) {
    let t = Test::new().file("big.csv", big_class(20_000));
    let args: Vec<String> = ["plan", "big.csv", "--format", format]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    let mut child = t
        .command(&args)
        .stdin(Stdio::null())
        .spawn()
        .expect("start tierplan");
    let mut first = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
        reader.read_line(&mut first).expect("read one line");
    }
    assert!(!first.is_empty(), "tierplan printed a first line");
    let output = child.wait_with_output().expect("wait for tierplan");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_is_not_a_failure_for_json() {
    assert_eq!(close_after_one_line("json"), (0, String::new()));
}

#[test]
fn a_closed_pipe_is_not_a_failure_for_markdown() {
    assert_eq!(close_after_one_line("markdown"), (0, String::new()));
}

#[test]
fn a_closed_pipe_is_not_a_failure_for_csv() {
    assert_eq!(close_after_one_line("csv"), (0, String::new()));
}

/// Run `plan` with standard output on `/dev/full` (a disk with no space);
/// `None` where the machine has no `/dev/full`.
#[cfg(target_os = "linux")]
fn plan_to_a_full_disk(t: &Test, args: &[&str]) -> Option<(i32, String)> {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here: skipped");
        return None;
    };
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let output = t
        .command(&args)
        .stdin(Stdio::null())
        .stdout(full)
        .output()
        .expect("run tierplan");
    Some((
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_write_error_on_stdout() {
    let t = Test::new().quiz();
    let Some((status, stderr)) = plan_to_a_full_disk(&t, &["plan", "quiz.csv", "-f", "csv"]) else {
        return;
    };
    assert_eq!(status, 2);
    assert_eq!(
        stderr,
        format!(
            "{QUIZ_NOTE}error: cannot write `<stdout>`: No space left on device (os error 28)\n"
        )
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_while_streaming_names_the_output_not_a_student() {
    let t = Test::new().file("big.csv", big_class(5_000));
    for format in ["csv", "json"] {
        let Some((status, stderr)) = plan_to_a_full_disk(&t, &["plan", "big.csv", "-f", format])
        else {
            return;
        };
        assert_eq!(status, 2);
        assert_eq!(
            stderr, "error: cannot write `<stdout>`: No space left on device (os error 28)\n",
            "format {format}"
        );
    }
}

/// Run `tierplan` under `sh` with `redirect` applied to standard output
/// first (`>&-` closes it), and return the exit status and standard error.
#[cfg(unix)]
fn plan_with_stdout(t: &Test, redirect: &str, args: &[&str]) -> (i32, String) {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec {redirect}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_tierplan"))
        .args(args)
        .current_dir(t.path(""))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run tierplan under sh");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_a_write_error() {
    let t = Test::new().quiz();
    assert_eq!(
        plan_with_stdout(&t, ">&-", &["plan", "quiz.csv", "-f", "csv"]),
        (
            2,
            "error: cannot write `<stdout>`: standard output is closed\n".to_owned()
        )
    );
    let (status, stderr) = plan_with_stdout(&t, ">&-", &["check", "quiz.csv"]);
    assert_eq!(status, 2, "check");
    assert!(
        stderr.ends_with("error: cannot write `<stdout>`: standard output is closed\n"),
        "check: {stderr}"
    );
}

#[cfg(unix)]
#[test]
fn standard_output_on_dev_null_is_a_success() {
    let t = Test::new().quiz();
    assert_eq!(
        plan_with_stdout(&t, ">/dev/null", &["plan", "quiz.csv", "-f", "csv"]),
        (0, QUIZ_NOTE.to_owned())
    );
}

#[cfg(unix)]
#[test]
fn a_closed_standard_output_does_not_matter_with_an_output_file() {
    let t = Test::new().quiz();
    assert_eq!(
        plan_with_stdout(
            &t,
            ">&-",
            &["plan", "quiz.csv", "-f", "csv", "-o", "plan.csv"]
        ),
        (0, QUIZ_NOTE.to_owned())
    );
    assert!(t.read("plan.csv").starts_with("student_id,"));
}
