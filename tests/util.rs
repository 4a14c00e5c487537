//! The harness every test uses: a temporary folder with files in it, one
//! `tierplan` run in that folder, and asserts that print a line diff of
//! expected and actual text when they fail.
//!
//! ```text
//! Test::new()
//!     .csv("class.csv", "...")
//!     .args(&["plan", "class.csv", "--format", "csv"])
//!     .run()
//!     .assert_stdout("...");
//! ```
//!
//! Every run checks its exit status, as just's harness does: a run must exit
//! 0 unless `status` says otherwise, just before it runs
//! (`.args(&[..]).status(1).run()`, or `t.status(2).run_with(&[..])` for
//! another run in the same folder). An unexpected status fails the test
//! with the command, its status, standard output and standard error.
//!
//! Expected text is written inline and indented with the code: a string that
//! starts with a newline loses that newline and the indentation its lines
//! share (see [`unindent`]).

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The example class, `examples/quiz.csv` (28 students, section 5A).
/// The columns of `--format csv`, in order.
pub(crate) const CSV_COLUMNS: [&str; 10] = [
    "student_id",
    "name",
    "section",
    "plan",
    "kind",
    "tier",
    "focus",
    "focus_score",
    "reason",
    "caveat",
];

pub(crate) const QUIZ: &str = include_str!("../examples/quiz.csv");

/// What `plan` says on standard error of the example class in CSV or JSON:
/// 8 students were planned as `core` without a screening percentile.
pub(crate) const QUIZ_NOTE: &str = "note: 8 students decided without some of their data (the `caveat` of each says what was missing)\n";

/// A path in the repository, for fixtures under `tests/data/`.
pub(crate) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The first ```text block after `marker` in the README.
pub(crate) fn readme_block(marker: &str) -> String {
    let readme = fs::read_to_string(repo("README.md")).expect("read README.md");
    let start = readme.find(marker).expect("the README example is there");
    let rest = &readme[start..];
    let open = rest.find("```text\n").expect("a text block follows") + "```text\n".len();
    let close = rest[open..].find("```").expect("the block is closed");
    rest[open..open + close].to_owned()
}

/// The text of a fixture under `tests/data/`.
pub(crate) fn data(name: &str) -> String {
    let path = repo("tests/data").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A temporary folder, the files in it, and the command to run there.
pub(crate) struct Test {
    dir: TempDir,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Variables set for the runs, over the clean environment of
    /// [`Test::command`].
    env: Vec<(String, String)>,
}

impl Test {
    pub(crate) fn new() -> Test {
        Test {
            dir: tempfile::Builder::new()
                .prefix("tierplan-test-")
                .tempdir()
                .expect("create a temporary folder"),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
        }
    }

    /// Write `contents` to `name` (folders created as needed), byte for byte.
    pub(crate) fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create a folder in the test folder");
        }
        fs::write(&path, contents).expect("write a test file");
        self
    }

    /// Write a CSV file written inline (see [`unindent`]).
    pub(crate) fn csv(self, name: &str, text: &str) -> Test {
        let text = unindent(text);
        self.file(name, text)
    }

    /// Write `rules.yaml`, written inline (see [`unindent`]).
    pub(crate) fn rules(self, yaml: &str) -> Test {
        let yaml = unindent(yaml);
        self.file("rules.yaml", yaml)
    }

    /// Copy the example class to `quiz.csv`.
    pub(crate) fn quiz(self) -> Test {
        self.file("quiz.csv", QUIZ)
    }

    pub(crate) fn args(mut self, args: &[&str]) -> Test {
        self.args = args.iter().map(|a| (*a).to_owned()).collect();
        self
    }

    /// Set the variable `name` for every run of this test (`{dir}` in
    /// `value` is the test folder).
    pub(crate) fn env(mut self, name: &str, value: &str) -> Test {
        let value = value.replace("{dir}", &self.dir.path().display().to_string());
        self.env.push((name.to_owned(), value));
        self
    }

    /// Bytes for standard input (otherwise standard input is empty).
    pub(crate) fn stdin(mut self, input: impl AsRef<[u8]>) -> Test {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// A path inside the test folder.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The text of a file in the test folder.
    pub(crate) fn read(&self, name: &str) -> String {
        let path = self.path(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The names of the entries of the test folder, sorted.
    pub(crate) fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .expect("list the test folder")
            .map(|e| {
                e.expect("read a folder entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// Assert that file `name` holds exactly `expected`.
    #[track_caller]
    pub(crate) fn assert_file(&self, name: &str, expected: &str) -> &Test {
        let expected = unindent(expected);
        let actual = self.read(name);
        if actual != expected {
            panic!("file {name} differs:\n{}", diff(&expected, &actual));
        }
        self
    }

    /// The command, ready to run in the test folder. The developer's own
    /// defaults file and colour settings cannot reach it: the config
    /// folder is one in the test folder that does not exist, and the
    /// variables that choose a file, colour or width are removed (a test
    /// sets them with [`Test::env`]).
    pub(crate) fn command(&self, args: &[String]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tierplan"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("no-config-folder"))
            .env("HOME", self.dir.path().join("no-home-folder"))
            .env("APPDATA", self.dir.path().join("no-config-folder"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for name in [
            "TIERPLAN_CONFIG",
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
        ] {
            command.env_remove(name);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// The run that follows must exit with `code` (0 if not said):
    /// `.status(1).run()`, `.status(2).run_with(&[..])`.
    pub(crate) fn status(&self, code: i32) -> Run<'_> {
        Run {
            test: self,
            status: code,
        }
    }

    /// Run `tierplan` with the arguments given to [`Test::args`]; it must
    /// exit 0.
    #[track_caller]
    pub(crate) fn run(&self) -> Output {
        self.status(0).run()
    }

    /// Run `tierplan` with other arguments, in the same folder; it must
    /// exit 0.
    #[track_caller]
    pub(crate) fn run_with(&self, args: &[&str]) -> Output {
        self.status(0).run_with(args)
    }

    /// Run `tierplan` with `args` in the test folder, whatever its status.
    fn spawn(&self, args: &[&str]) -> Output {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let mut command = self.command(&args);
        command.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = command.spawn().expect("start tierplan");
        let writer = self.stdin.clone().map(|bytes| {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A thread, so a large input cannot deadlock against the output.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            })
        });
        let output = child.wait_with_output().expect("wait for tierplan");
        if let Some(writer) = writer {
            writer.join().expect("write standard input");
        }
        Output {
            command: format!("tierplan {}", args.join(" ")),
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A run of `tierplan` in a test folder that must end with a given exit
/// status (see [`Test::status`]).
pub(crate) struct Run<'a> {
    test: &'a Test,
    status: i32,
}

impl Run<'_> {
    /// Run with the arguments given to [`Test::args`].
    #[track_caller]
    pub(crate) fn run(self) -> Output {
        let args: Vec<&str> = self.test.args.iter().map(String::as_str).collect();
        self.run_with(&args)
    }

    /// Run with other arguments, in the same folder.
    #[track_caller]
    pub(crate) fn run_with(self, args: &[&str]) -> Output {
        let output = self.test.spawn(args);
        if output.status != self.status {
            panic!("expected exit status {}\n{}", self.status, output.context());
        }
        output
    }
}

/// What one run printed, and how it ended.
#[derive(Debug)]
pub(crate) struct Output {
    pub command: String,
    /// The exit code; -1 when the process was killed by a signal.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    fn context(&self) -> String {
        format!(
            "command: {}\nstatus: {}\n--- stdout\n{}--- stderr\n{}---",
            self.command, self.status, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub(crate) fn assert_stdout(&self, expected: &str) -> &Output {
        let expected = unindent(expected);
        if self.stdout != expected {
            panic!(
                "standard output differs (- expected, + actual):\n{}\n{}",
                diff(&expected, &self.stdout),
                self.context()
            );
        }
        self
    }

    #[track_caller]
    pub(crate) fn assert_stderr(&self, expected: &str) -> &Output {
        let expected = unindent(expected);
        if self.stderr != expected {
            panic!(
                "standard error differs (- expected, + actual):\n{}\n{}",
                diff(&expected, &self.stderr),
                self.context()
            );
        }
        self
    }

    #[track_caller]
    pub(crate) fn assert_stdout_contains(&self, needle: &str) -> &Output {
        let needle = unindent(needle);
        if !self.stdout.contains(&needle) {
            panic!(
                "standard output does not contain:\n{needle}\n{}",
                self.context()
            );
        }
        self
    }

    #[track_caller]
    pub(crate) fn assert_stderr_contains(&self, needle: &str) -> &Output {
        let needle = unindent(needle);
        if !self.stderr.contains(&needle) {
            panic!(
                "standard error does not contain:\n{needle}\n{}",
                self.context()
            );
        }
        self
    }
}

/// Text written inline: when it starts with a newline, drop that newline and
/// the indentation every non-blank line shares, and empty the blank lines
/// (so the closing quote may be indented). Other text is kept as it is.
pub(crate) fn unindent(text: &str) -> String {
    let Some(body) = text.strip_prefix('\n') else {
        return text.to_owned();
    };
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(&line[indent..]);
        }
    }
    out
}

/// A line diff: `  ` for common lines, `- ` for expected only, `+ ` for
/// actual only. Line ends are shown as `⏎` when they are not `\n`.
pub(crate) fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let show = |line: &str| {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let end = if line.ends_with('\n') {
            ""
        } else {
            "⟨no newline⟩"
        };
        format!("{}{end}", body.replace('\r', "␍"))
    };
    let mut out = String::new();
    if a.len() * b.len() > 4_000_000 {
        let _ = writeln!(out, "--- expected\n{expected}\n--- actual\n{actual}");
        return out;
    }
    // Longest common subsequence, then walk it.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", show(a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", show(a[i]));
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", show(b[j]));
            j += 1;
        }
    }
    out
}

/// Parse CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of
/// fields, with the given delimiter. Enough to read tierplan's output.
pub(crate) fn parse_csv(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
        } else if c == '"' {
            quoted = true;
        } else if c == delimiter {
            row.push(std::mem::take(&mut field));
        } else if c == '\r' && chars.peek() == Some(&'\n') {
            // The `\n` ends the row.
        } else if c == '\n' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The tierplan CSV output as rows of `column → value`, checking the header.
pub(crate) fn csv_records(text: &str, header: &[&str]) -> Vec<Vec<String>> {
    let mut rows = parse_csv(text, ',');
    assert!(!rows.is_empty(), "the CSV output is empty");
    let first = rows.remove(0);
    assert_eq!(first, header, "the CSV header");
    for row in &rows {
        assert_eq!(
            row.len(),
            header.len(),
            "a CSV row has the header's width: {row:?}"
        );
    }
    rows
}

/// The rows of the group tables of `--format markdown` output, in order:
/// each with the `## Section` heading above it (its text after `Section `)
/// and its cells between the outer pipes.
pub(crate) fn markdown_group_rows(markdown: &str) -> Vec<(Option<&str>, Vec<&str>)> {
    let mut rows = Vec::new();
    let mut section = None;
    let mut in_groups = false;
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## Section ") {
            section = Some(heading);
        } else if line.starts_with("| Group |") {
            in_groups = true;
        } else if !line.starts_with('|') {
            in_groups = false;
        } else if in_groups && !line.starts_with("| ---") {
            let inner = line.trim_start_matches("| ").trim_end_matches(" |");
            rows.push((section, inner.split(" | ").collect()));
        }
    }
    rows
}

/// The student names listed in the group tables of `--format markdown`
/// output, with the focus scores removed, in order of appearance.
pub(crate) fn markdown_group_names(markdown: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (_, cells) in markdown_group_rows(markdown) {
        let list = cells.last().map_or("", |cell| cell.trim());
        for member in list.split("; ") {
            let name = match member.rsplit_once(" (") {
                Some((name, score))
                    if score
                        .strip_suffix(')')
                        .is_some_and(|s| s.parse::<f64>().is_ok()) =>
                {
                    name
                }
                _ => member,
            };
            names.push(name.to_owned());
        }
    }
    names
}

/// The one place a test sorts a list to compare it as a multiset.
pub(crate) fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort();
    items
}

/// A small deterministic pseudo-random generator (a 64-bit LCG, Knuth's
/// MMIX constants), so generated classes are the same on every run.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }
}

/// A large class for the default rules: `students` rows, three skills,
/// several sections.
pub(crate) fn big_class(students: usize) -> String {
    let mut rng = Lcg::new(students as u64);
    let mut out = String::from("student_id,name,section,screening_pctl,A,B,C\n");
    for i in 0..students {
        let _ = writeln!(
            out,
            "S{i:06},Student {i},{},{},{},{},{}",
            rng.pick(&["5A", "5B", "5C"]),
            rng.below(100),
            rng.below(101),
            rng.below(101),
            rng.below(101)
        );
    }
    out
}

/// The students in a table's section headings (`Section 5A · 3 students`).
pub(crate) fn table_count(table: &str) -> usize {
    table
        .lines()
        .filter(|l| l.starts_with("Section "))
        .filter_map(|l| l.rsplit_once(" · "))
        .map(|(_, count)| {
            count
                .split(' ')
                .next()
                .and_then(|c| c.parse::<usize>().ok())
                .expect("`N students` after the section")
        })
        .sum()
}
