//! The engines the compiled queries run on: DuckDB and Spark through
//! `run.py` (one process for every case), PostgreSQL as a server of its
//! own, started in a temporary folder, on a Unix socket only, and stopped
//! when the test ends (a guard's `Drop`, so a failing test stops it too).
//! BigQuery and Snowflake have no server here: their queries are parsed
//! by sqlglot, which fails on what it cannot read, translated by it to
//! DuckDB and run there.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Case, Expected, Refusal, assert_same, cases, expected, refusals};
use crate::util::{Test, parse_csv, repo};

/// A JSON value as text: NULL empty, like an empty CSV cell.
fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The name of the view `views_give_the_plans_rows` creates: quoted too.
const VIEW: &str = "my \"plan";

/// Every case through `run.py ENGINE`, compared with tierplan's rows.
/// `duckdb-view` creates each query as a view on DuckDB and reads it;
/// `dbt` renders each dbt model with Jinja, as dbt does, and runs it on
/// DuckDB.
pub(crate) fn through_run_py(engine: &str) {
    let (mut t, mut cases) = cases(Test::new());
    if engine == "bigquery" {
        (t, cases) = undotted(t, cases);
    }
    let (dialect, form): (&str, &[&str]) = match engine {
        "duckdb-view" => ("duckdb", &["--view", VIEW]),
        "dbt" => ("duckdb", &["--dbt"]),
        _ => (engine, &[]),
    };
    let mut expected: Vec<Expected> = cases
        .iter()
        .map(|c| expected(&t, c, dialect, form))
        .collect();
    let (t, mut refused) = refusals(t, dialect, form);
    if engine == "duckdb-view" {
        let queries = expected.iter_mut().flat_map(|e| &mut e.queries);
        for query in queries.chain(refused.iter_mut().map(|r| &mut r.query)) {
            query.push_str(&format!("SELECT * FROM {}", ident(VIEW)));
        }
    }
    let job = |csv: &str, queries: &[String], typed: bool| {
        let csv = t.path(csv).display().to_string();
        serde_json::json!({"csv": csv, "queries": queries, "typed": typed})
    };
    // Each case again over a table of the types the engine infers (numbers
    // as numbers), on the engines that read the CSV themselves.
    let typed = if matches!(engine, "duckdb" | "spark") {
        cases.len()
    } else {
        0
    };
    let jobs: Vec<serde_json::Value> = (cases.iter().zip(&expected))
        .map(|(case, e)| job(&case.csv, &e.queries, false))
        .chain(
            refused
                .iter()
                .map(|r| job(&r.csv, std::slice::from_ref(&r.query), false)),
        )
        .chain(
            (cases.iter().zip(&expected).take(typed))
                .map(|(case, e)| job(&case.csv, &e.queries, true)),
        )
        .collect();
    std::fs::write(t.path("jobs.json"), serde_json::to_string(&jobs).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(repo("tests/sql/run.py"))
        .arg(engine)
        .arg(t.path("jobs.json"))
        .output()
        .expect("python3 runs (Python 3.11 with pip)");
    assert!(
        out.status.success(),
        "{engine} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Vec<serde_json::Value>> =
        serde_json::from_slice(&out.stdout).expect("run.py prints JSON");
    assert_eq!(results.len(), jobs.len(), "run.py answers every job");
    let (planned, rest) = results.split_at(cases.len());
    let (stopped, typed) = rest.split_at(refused.len());
    let runs = (cases.iter().zip(&expected).zip(planned)).map(|run| (run, false));
    let typed = (cases.iter().zip(&expected).zip(typed)).map(|run| (run, true));
    for (((case, e), result), typed) in runs.chain(typed) {
        let rows = |(result, query): (&serde_json::Value, &String)| -> Vec<Vec<String>> {
            let Some(rows) = result.as_array() else {
                panic!(
                    "{engine} stopped on {}: {result}\n--- query\n{query}",
                    case.csv
                )
            };
            let row = |r: &serde_json::Value| r.as_array().unwrap().iter().map(cell).collect();
            rows.iter().map(row).collect()
        };
        let got = [0, 1].map(|q| rows((&result[q], &e.queries[q])));
        let engine = if typed {
            format!("{engine}, typed")
        } else {
            engine.to_owned()
        };
        assert_same(&engine, case, e, got, !typed);
    }
    for (r, result) in refused.iter().zip(stopped) {
        assert_stopped(engine, r, &result[0]["error"]);
    }
}

/// Fail unless the engine's error quotes the refusal's message.
fn assert_stopped(engine: &str, r: &Refusal, error: &serde_json::Value) {
    let error = error.as_str().unwrap_or_default();
    assert!(
        error.contains(r.message),
        "{engine} on {}: want an error quoting {:?}, got {error:?}",
        r.csv,
        r.message
    );
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL server of the test's own; stopped when dropped.
struct Postgres {
    dir: tempfile::TempDir,
    socket: PathBuf,
}

/// Run `program` as the `postgres` user when the tests run as root
/// (PostgreSQL refuses to run as root), else as ourselves.
fn as_server_user(program: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", program]);
        c
    } else {
        Command::new(program)
    }
}

impl Postgres {
    fn start() -> Postgres {
        let initdb = Path::new(PG_BIN).join("initdb");
        assert!(
            initdb.exists(),
            "PostgreSQL 15 is missing: apt-get install postgresql-15 (the tests start a server of \
             their own)"
        );
        let dir = tempfile::Builder::new()
            .prefix("tierplan-pg-")
            .tempdir()
            .unwrap();
        // The server's user must own its folder.
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status();
        let data = dir.path().join("data");
        let init = as_server_user(initdb.to_str().unwrap())
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let socket = dir.path().to_owned();
        let start = as_server_user(Path::new(PG_BIN).join("pg_ctl").to_str().unwrap())
            .args(["-w", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(dir.path().join("log"))
            .arg("-o")
            .arg(format!(
                "-k {} -c listen_addresses='' -c fsync=off",
                socket.display()
            ))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            start.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&start.stderr)
        );
        Postgres { dir, socket }
    }

    /// `psql -c COMMAND`, its standard output; fails the test on an error.
    fn psql(&self, command: &str) -> String {
        self.try_psql(command)
            .unwrap_or_else(|error| panic!("psql: {error}\n--- command\n{command}"))
    }

    /// `query`'s rows as CSV (the query as tierplan prints it, `;` and
    /// all), or the error that stopped it.
    fn rows(&self, query: &str) -> Result<String, String> {
        let query = query.trim_end().trim_end_matches(';');
        self.try_psql(&format!("COPY ({query}) TO STDOUT WITH (FORMAT csv)"))
    }

    /// `psql -c COMMAND`: its standard output, or its error.
    fn try_psql(&self, command: &str) -> Result<String, String> {
        let out = Command::new(Path::new(PG_BIN).join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-h"])
            .arg(&self.socket)
            .args(["-d", "postgres", "-c", command])
            .output()
            .unwrap();
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).unwrap())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_server_user(Path::new(PG_BIN).join("pg_ctl").to_str().unwrap())
            .args(["-m", "immediate", "-D"])
            .arg(self.dir.path().join("data"))
            .arg("stop")
            .output();
    }
}

/// `"name"`, its quotes doubled.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) fn postgres() {
    let (t, cases) = cases(Test::new());
    let pg = Postgres::start();
    for case in &cases {
        let e = expected(&t, case, "postgres", &[]);
        load(&pg, &t, &case.csv);
        let run = |query: &str| -> Vec<Vec<String>> {
            let rows = pg.rows(query);
            parse_csv(
                &rows.unwrap_or_else(|error| panic!("psql: {error}\n--- query\n{query}")),
                ',',
            )
        };
        let got = [run(&e.queries[0]), run(&e.queries[1])];
        assert_same("postgres", case, &e, got, true);
        if case.csv != "b1.csv" {
            // As views the server keeps (replaced by one with other
            // columns only when dropped first).
            let e = expected(&t, case, "postgres", &["--view", VIEW]);
            let got = e.queries.clone().map(|view| {
                pg.psql(&format!("DROP VIEW IF EXISTS {}", ident(VIEW)));
                pg.psql(&view);
                run(&format!("SELECT * FROM {}", ident(VIEW)))
            });
            assert_same("postgres, as a view", case, &e, got, true);
            pg.psql(&format!("DROP VIEW {}", ident(VIEW)));
        }
        // A hostile header left the table where it was.
        pg.psql("SELECT count(*) FROM results");
        // The server's own column list gives the same query.
        let columns = pg.psql(
            "COPY (SELECT column_name FROM information_schema.columns \
             WHERE table_name = 'results' ORDER BY ordinal_position) TO STDOUT",
        );
        std::fs::write(t.path("columns.txt"), columns).unwrap();
        let mut args = ["sql", "--dialect", "postgres", "--table", "results"].to_vec();
        args.extend(["--columns-from", "columns.txt"]);
        args.extend(case.rules.iter().map(String::as_str));
        assert_eq!(
            t.run_with(&args).stdout,
            e.queries[0],
            "{}: the query from information_schema's column list",
            case.csv
        );
    }
    let (t, refused) = refusals(t, "postgres", &[]);
    for r in &refused {
        load(&pg, &t, &r.csv);
        let error = pg.rows(&r.query).expect_err("the query stops");
        assert_stopped("postgres", r, &serde_json::Value::String(error));
    }
}

/// The CSV file `csv` as the table `results`, every column text.
fn load(pg: &Postgres, t: &Test, csv: &str) {
    let text = t.read(csv);
    let header = &parse_csv(text.lines().next().unwrap(), ',')[0];
    let columns: Vec<String> = header
        .iter()
        .map(|h| format!("{} text", ident(h)))
        .collect();
    pg.psql(&format!(
        "DROP TABLE IF EXISTS results; CREATE TABLE results ({});",
        columns.join(", ")
    ));
    let path = t.path(csv).display().to_string().replace('\'', "''");
    pg.psql(&format!(
        "\\copy results FROM '{path}' WITH (FORMAT csv, HEADER true)"
    ));
}

/// The cases with `_` for each `.` in their headers (and in the rules
/// that name those columns): a BigQuery column cannot hold one.
fn undotted(mut t: Test, cases: Vec<Case>) -> (Test, Vec<Case>) {
    let mut out = Vec::new();
    for case in cases {
        let text = t.read(&case.csv);
        let (header, rows) = text.split_once('\n').expect("a header line");
        let dotted: Vec<String> = parse_csv(header, ',')[0]
            .iter()
            .filter(|h| h.contains('.'))
            .cloned()
            .collect();
        if dotted.is_empty() {
            out.push(case);
            continue;
        }
        let undot = |text: &str| {
            dotted.iter().fold(text.to_owned(), |text, h| {
                text.replace(h, &h.replace('.', "_"))
            })
        };
        let csv = format!("undotted-{}", case.csv);
        t = t.file(&csv, format!("{}\n{rows}", undot(header)));
        let mut rules = case.rules.clone();
        if let [flag, file] = &mut rules[..]
            && flag == "--rules"
            && t.path(file).exists()
        {
            let renamed = format!("undotted-{file}");
            let text = undot(&t.read(file));
            t = t.file(&renamed, text);
            *file = renamed;
        }
        out.push(Case {
            csv,
            rules,
            progress: case.progress,
        });
    }
    (t, out)
}
