//! The files whose query must stop on every engine, with an error that
//! quotes the cell or names the student.

use super::sql_args;
use crate::util::Test;

/// A file `tierplan plan` refuses for one cell, and what the query must
/// stop with on every engine: the engine's error quotes the message.
pub(crate) struct Refusal {
    pub csv: String,
    pub query: String,
    pub message: &'static str,
}

/// The refused files, written into `t`, with their queries for `dialect`:
/// cells `tierplan plan` refuses, and probes whose plan would depend on
/// the order of the table's rows, which a table does not have.
pub(crate) fn refusals(t: Test, dialect: &str, form: &[&str]) -> (Test, Vec<Refusal>) {
    let quiz =
        |cell: &str| format!("student_id,name,section,A,B\nS1,Ann,5A,50,60\nS2,Bo,5A,{cell},70\n");
    let probes = |rows: &[&str]| {
        format!(
            "student_id,date,score,goal,goal_date\n{}\n",
            rows.join("\n")
        )
    };
    let files = [
        (
            "not-a-score",
            quiz("abc"),
            "tierplan: not a score: abc",
            true,
        ),
        (
            "above-100",
            quiz("120"),
            "tierplan: a score outside 0 to 100: 120",
            true,
        ),
        (
            "points",
            quiz("8/5"),
            "tierplan: more points than the maximum: 8/5",
            true,
        ),
        (
            "probe-date",
            probes(&[
                "P1,2026-09-08,40,60,2027-01-26",
                "P1,2026-13-01,41,60,2027-01-26",
            ]),
            "tierplan: not a date: 2026-13-01",
            true,
        ),
        (
            "two-goals",
            probes(&[
                "P1,2026-09-08,40,60,2027-01-26",
                "P1,2026-09-15,41,65,2027-01-26",
            ]),
            "tierplan: the student's rows give different goals, and a table has no last row: P1",
            false,
        ),
        (
            "last-date",
            probes(&[
                "P1,2026-09-08,40,60,2027-01-26",
                "P1,2026-09-15,41,60,2027-01-26",
                "P1,2026-09-15,45,60,2027-01-26",
            ]),
            "tierplan: probes on one date with different scores, and a table has no order between them, for student: P1",
            false,
        ),
    ];
    let mut t = t;
    let mut out = Vec::new();
    for (name, text, message, refused) in files {
        let csv = format!("{name}.csv");
        t = t.file(&csv, text);
        let planned = t.command(&["plan".into(), csv.clone()]).output().unwrap();
        assert_eq!(!planned.status.success(), refused, "tierplan plan on {csv}");
        let mut args = sql_args(dialect, &csv);
        args.extend(form);
        let query = t.run_with(&args).stdout;
        out.push(Refusal {
            csv,
            query,
            message,
        });
    }
    (t, out)
}
