//! tierplan as a process among others: stopped by a signal, given hundreds
//! of files at once.

use std::process::Stdio;

use crate::util::{Test, big_class};

/// The `.tierplan-*.tmp` files in the test folder.
#[cfg(unix)]
fn temporary_files(t: &Test) -> Vec<String> {
    t.listing()
        .into_iter()
        .filter(|name| name.starts_with(".tierplan-") && name.ends_with(".tmp"))
        .collect()
}

/// Start `plan big.csv -o out.csv`, wait for its temporary file, send
/// `signal`, and return the exit status.
#[cfg(unix)]
fn stop_while_writing(signal: &str) -> (Test, Option<i32>) {
    let t = Test::new()
        .file("big.csv", big_class(500_000))
        .file("out.csv", "the previous plan\n");
    let args: Vec<String> = ["plan", "big.csv", "-f", "csv", "-o", "out.csv"]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    let mut child = t
        .command(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tierplan");
    // Polling, not timing: the run only has to be still going when its
    // temporary file is seen.
    let mut seen = false;
    for _ in 0..6_000 {
        if !temporary_files(&t).is_empty() {
            seen = true;
            break;
        }
        if child.try_wait().expect("poll tierplan").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        seen,
        "tierplan finished before its temporary file was seen: make big.csv bigger"
    );
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal}");
    let status = child.wait().expect("wait for tierplan");
    (t, status.code())
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_temporary_file_and_keeps_the_previous_output() {
    let (t, status) = stop_while_writing("TERM");
    assert_eq!(status, Some(143));
    assert_eq!(temporary_files(&t), Vec::<String>::new());
    t.assert_file("out.csv", "the previous plan\n");
}

#[cfg(unix)]
#[test]
fn sigint_removes_the_temporary_file_and_keeps_the_previous_output() {
    let (t, status) = stop_while_writing("INT");
    assert_eq!(status, Some(130));
    assert_eq!(temporary_files(&t), Vec::<String>::new());
    t.assert_file("out.csv", "the previous plan\n");
}

/// 600 files of 2 students each, planned under a 1 GB address-space limit
/// that a thread per file (2 MiB of stack each) would exceed.
#[cfg(unix)]
#[test]
fn six_hundred_files_plan_every_student_once_in_order() {
    let mut t = Test::new();
    let mut names = Vec::new();
    for i in 0..600 {
        let name = format!("f{i:03}.csv");
        t = t.file(
            &name,
            format!(
                "student_id,name,section,screening_pctl,A,B,C\n\
                 S{i:03}a,A,5A,50,60,70,80\nS{i:03}b,B,5A,10,20,30,40\n"
            ),
        );
        names.push(name);
    }
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1000000; exec \"$0\" plan -f csv f*.csv")
        .arg(env!("CARGO_BIN_EXE_tierplan"))
        .current_dir(t.path(""))
        .stdin(Stdio::null())
        .output()
        .expect("run tierplan under sh");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ids: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or(""))
        .collect();
    let expected: Vec<String> = (0..600)
        .flat_map(|i| [format!("S{i:03}a"), format!("S{i:03}b")])
        .collect();
    assert_eq!(ids, expected);
}
