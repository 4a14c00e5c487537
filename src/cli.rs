//! The command line, as clap sees it: raw flags, no decisions.
//!
//! `options` turns these into resolved options; nothing below `cmd/` sees
//! these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Column;

pub(crate) const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  the rules or the data have problems (each is printed with its file, line and column)
  2  usage error: a bad option, or a file that cannot be read or written
  70 a bug in tierplan (an internal error): please report it with the command
(`tierplan diff` differs: see `tierplan diff --help`)

Every problem is printed with a code, `error[bad-score]: ...`; `tierplan codes bad-score`
says what it means.";

const PLAN_EXAMPLES: &str = "\
Examples:
  tierplan plan quiz.csv                          the grouped plan, as a table
  tierplan plan --rules rules.yaml quiz.csv       with your own rules
  tierplan plan quiz.csv --format csv -o plan.csv one row per student, for a spreadsheet
  tierplan plan quiz.csv -o plan.html             a report to print: charts, group cards
  tierplan plan quiz.csv --letters letters.html   and a letter home per change of support
  export-results | tierplan plan - -f json        from standard input, for a pipeline
  tierplan plan quiz.csv --set mastery=70         change a parameter for this run

Memory: `csv` and `json` stream students in input order; `table`, `markdown`,
`xlsx` and `html` list students by group and so hold one name per student in
memory (about 100 bytes a student), for at most 5,000,000 students (`xlsx`:
1,048,575): past that, use `csv` or `json`.";

const DIFF_EXAMPLES: &str = "\
Two ways to compare:
  tierplan diff OLD.yaml NEW.yaml DATA...  two rules files over the same data: what a rules
                                           change would do before the school adopts it
  tierplan diff OLD.csv NEW.csv            two windows' data (fall and winter) through the same
                                           rules (`--rules`, or the built-in rules): tier movement
With DATA, OLD and NEW are rules files; without, they are data files. Students are matched by
section and student id (by id alone when a file has no section column). Every student is
counted once: entered or left tier support (Tier 2 or 3), tier_up, tier_down, plan, focus,
new_student, gone, or unchanged. Unchanged students are counted, and listed only with `--all`.
`--set` and the reading options apply to both sides.

Examples:
  tierplan diff rules.yaml rules-new.yaml quiz.csv      who would change plan under the new rules
  tierplan diff fall.csv winter.csv                     who entered, left or moved between tiers
  tierplan diff --rules star.yaml fall.csv winter.csv -f csv -o movement.csv
  tierplan diff --exit-code old.yaml new.yaml quiz.csv -q && echo same plan

Memory: both plans are held in memory, one row per student each.

Exit status:
  0  the comparison ran (whether or not any student changed)
  1  with `--exit-code`: at least one student changed, is new or is gone
  2  an error: a bad option, a file that cannot be read or written, or problems in the rules
     or the data (each printed with its file, line and column)
  70 a bug in tierplan (an internal error): please report it with the command";

const TEST_HELP: &str = "\
Examples:
  tierplan test                          the built-in default rules' own tests
  tierplan test --rules rules.yaml       its cases: rules.test.yaml, and rules.yaml's `tests:`
  tierplan test rules/*.yaml             several rule sets; one summary line at the end
  tierplan test rules.yaml --set cut=30  the cases against a changed parameter

Each case gives a student's fields and scores (and, if whole-class decisions matter,
classmates in the same section) and the plan they should get; rules/README.md, \"Testing
your rules\", describes the format. Failures show expected and actual with the path taken;
coverage lists the branches (and table rows) no case reached.

Exit status:
  0  every case passed
  1  a case failed
  2  usage error, or a problem in the rules or the test file (printed with its place)
  70 a bug in tierplan (an internal error): please report it with the command";

const COMPLETIONS_HELP: &str = "\
To install, write the script where your shell looks for it:
  bash        tierplan completions bash > ~/.local/share/bash-completion/completions/tierplan
  zsh         tierplan completions zsh > ~/.zfunc/_tierplan
              (and in ~/.zshrc, before `compinit`: fpath=(~/.zfunc $fpath))
  fish        tierplan completions fish > ~/.config/fish/completions/tierplan.fish
  powershell  tierplan completions powershell >> $PROFILE
  elvish      tierplan completions elvish > ~/.config/elvish/lib/tierplan.elv
              (and in ~/.config/elvish/rc.elv: use tierplan)
Then start a new shell.";

const MAN_HELP: &str = "\
One page for tierplan and every command, with the exit status. To install:
  mkdir -p ~/.local/share/man/man1
  tierplan man > ~/.local/share/man/man1/tierplan.1
Then `man tierplan`. To read it without installing: tierplan man | man -l -";

const CONFIG_HELP: &str = "\
A school sets its defaults once, in a YAML file:
  rules: rules.yaml      # a file (relative to this file's folder) or a shipped set's name
  set:                   # parameters, as `--set` gives them
    mastery: 70
  redact: true           # as `--redact` (`--no-redact` undoes it for one run)
  color: never           # as `--color`
It is found by `--config FILE`, else the file `TIERPLAN_CONFIG` names, else
`$XDG_CONFIG_HOME/tierplan/config.yaml` (`~/.config/tierplan/config.yaml`; on Windows
`%APPDATA%\\tierplan\\config.yaml`). A file named by `--config` or `TIERPLAN_CONFIG` must exist;
the one in the config folder is optional. Flags on the command line always win. `plan`,
`explain`, `check` and `diff` use it, and every output decided under it names the file.

Examples:
  tierplan config                        where it looked, the file used, the defaults it sets
  tierplan config --path                 the file's path alone, for scripts
  tierplan --config district.yaml plan quiz.csv   another school's defaults for one run";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  tierplan explain quiz.csv --student S03                 why S03 got their plan
  tierplan explain --rules rules.yaml quiz.csv -s S03     under your own rules
  tierplan explain quiz.csv -s S03 --redact               without the student's name
  tierplan explain book.csv -s S03 --section \"Math 7\"     one course of a student in several";

const CHECK_EXAMPLES: &str = "\
Examples:
  tierplan check --rules rules.yaml                   the rules alone
  tierplan check --rules rules.yaml quiz.csv          and how they read this file's columns
  tierplan check --rules rules.yaml --deny warnings   fail on warnings too, for CI";

const SQL_EXAMPLES: &str = "\
Examples:
  tierplan sql --dialect duckdb --table results --header-from quiz.csv
                                     the query of the per-student plan, for DuckDB
  tierplan sql --rules rules.yaml --dialect postgres --table results --header-from quiz.csv --summary
                                     the section summary, for PostgreSQL
  tierplan sql --dialect spark --table results --header-from quiz.csv
                                     for Spark SQL, over a view of the exports
  tierplan sql --dialect snowflake --dbt --table assessment.results --header-from quiz.csv
                                     a dbt model reading source('assessment', 'results')
  tierplan sql --rules progress --dialect postgres --table probes --header-from probes.csv
                                     progress monitoring, over a table of probes

The table has the export's columns (the header of --header-from, or the names of
--columns-from), as text or numbers.
The query returns student_id, name, section, plan, kind, tier, focus, focus_score,
reason, group_number and decided_on_missing (--summary: section, skill, share_below,
whole_class), as `tierplan plan --format csv` and the groups of `--format markdown`;
for progress rules, the progress CSV's columns (measure, points, slope, next_probe...).";

const INIT_EXAMPLES: &str = "\
Examples:
  tierplan init myclass              rules.yaml, quiz.csv and letters/ in a new folder
  tierplan init --from star star     start from the shipped Star rules instead";

const PROFILES_EXAMPLES: &str = "\
Examples:
  tierplan profiles                              the exports and their headers
  tierplan plan export.csv --profile none        read a file as plain CSV instead";

const CODES_EXAMPLES: &str = "\
Examples:
  tierplan codes                       every code and its meaning
  tierplan codes bad-score             what `error[bad-score]` means
  tierplan codes --markdown            the list as docs/codes.md has it";

/// Turn assessment results into an instructional plan.
///
/// tierplan reads a CSV of results (one row per student) and a YAML decision
/// tree (the rules), runs every student through the tree, and prints a
/// grouped plan: the skills to reteach to a whole section, the small groups
/// to reteach, who enters Tier 2 or Tier 3 intervention, and why. Without
/// `--rules` it uses built-in rules for "after a quiz, with an optional
/// screening percentile" (see `tierplan init`).
#[derive(Debug, Parser)]
#[command(
    name = "tierplan",
    version,
    propagate_version = true,
    after_help = EXIT_CODES,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// The flags every command takes: how the output looks, and the defaults file.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Colour the plan table's tiers: `auto` colours on a terminal only (not when `NO_COLOR` is
    /// set; `CLICOLOR_FORCE=1` forces it), `always` also in a pipe, `never` never. CSV, JSON,
    /// Markdown and files written with `--output` are never coloured
    #[arg(long, value_enum, value_name = "WHEN", global = true)]
    pub color: Option<ColorArg>,

    /// Width of the tables, in columns [default: the terminal's width; when the output is not a
    /// terminal, `COLUMNS` if set, else 100]
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// The defaults file (YAML: rules, set, redact, color) [default: `TIERPLAN_CONFIG`, else
    /// `tierplan/config.yaml` in the platform's config folder; `tierplan config` shows which]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorArg {
    /// On a terminal, unless `NO_COLOR` is set (or `CLICOLOR_FORCE` forces it)
    Auto,
    /// Even in a pipe (not in CSV, JSON, Markdown or a file)
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decide every student's plan and print it, grouped by section
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Show one student's path through the rules, with the values each test saw
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Check the rules (and, given data, its columns) and list every problem
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Compare two plans: two rules files over the same data, or two windows' data
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// Compile the rules to one SQL query that plans a warehouse table like `plan --format csv`
    #[command(after_help = SQL_EXAMPLES)]
    Sql(SqlArgs),
    /// Write a commented starter rules file, an example CSV and the letter templates to a folder
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// List the exports tierplan recognises, with the headers each is known by
    #[command(after_help = PROFILES_EXAMPLES)]
    Profiles,
    /// Run the test cases of rules files (`NAME.test.yaml` beside `NAME.yaml`) and show coverage
    #[command(after_help = TEST_HELP)]
    Test(TestArgs),
    /// Explain a diagnostic code (`tierplan codes bad-score`), or list them all
    #[command(after_help = CODES_EXAMPLES)]
    Codes(CodesArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print tierplan's man page (roff): every command, and the exit status
    #[command(after_help = MAN_HELP)]
    Man,
    /// Show the defaults file in use, where it was looked for, and what it sets
    #[command(after_help = CONFIG_HELP)]
    Config(ConfigArgs),
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print only the path of the defaults file in use (nothing, and exit 1, when there is none)
    #[arg(long)]
    pub path: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    /// The code to explain, as a message shows it: `error[bad-score]` is `bad-score`
    /// [default: every code]
    #[arg(value_name = "CODE")]
    pub code: Option<String>,

    /// Print the list as the Markdown table of docs/codes.md
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The rules: a YAML file, or the name of a shipped set (default, progress,
    /// progress-referral, star, dibels8, dibels8-composite, iready, fastbridge, map-growth)
    /// [default: the set for the export a profile recognises, else `default`]
    #[arg(short, long, value_name = "FILE|NAME")]
    pub rules: Option<PathBuf>,

    /// Set a parameter of the rules for this run, e.g. `--set mastery=70`
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Text encoding of the data files: utf-8, utf-16le, utf-16be, windows-1252 (latin1), ...
    /// [default: detected from a byte-order mark, else UTF-8 when valid, else Windows-1252]
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// Read the data with this column profile (`tierplan profiles` lists them), or `none` to read
    /// it as plain CSV [default: recognised from the header]
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Keep only the rows whose field or column has this value, e.g. `--only subject=Mathematics`
    #[arg(long, value_name = "FIELD=VALUE", value_parser = parse_set)]
    pub only: Vec<(String, String)>,

    /// A quiz blueprint, CSV `item,skill,points[,key]`: which question measures which skill
    #[arg(long, value_name = "FILE")]
    pub blueprint: Option<PathBuf>,

    /// The sheet of a workbook (.xlsx, .xlsm, .xls, .ods) to read [default: the sheet a known
    /// export keeps its results on (Kahoot!'s `Final Scores`), else the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Report every problem in the data, leave unreadable cells empty and unreadable rows out,
    /// and say in the plan what was set aside (instead of stopping at the first problem)
    #[arg(long)]
    pub lenient: bool,

    /// A second row for the same student id in the same section: an error, or keep the first or
    /// the last row (the same id in another section is the student there, planned in each)
    /// (forms submitted again) and report the others
    #[arg(long, value_enum, value_name = "RULE", default_value_t = DuplicatesArg::Error)]
    pub duplicates: DuplicatesArg,

    /// Memory for keeping the students read, so that no row is read twice: about 90 bytes a
    /// student; a larger input is read again instead, in bounded memory; `0` always reads it
    /// again. A size in bytes, or with K, M or G (powers of 1024)
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "2G")]
    pub memory: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyArg {
    /// Every warning is a failure
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DuplicatesArg {
    Error,
    First,
    Last,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// CSV files of results, one row per student (per section, for a student in several); `-`
    /// reads standard input
    #[arg(value_name = "DATA")]
    pub data: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RulesArgs,

    #[command(flatten)]
    pub input: InputArgs,

    /// Output format [default: the one `--output`'s extension names (.csv, .json, .md, .xlsx,
    /// .html), else table]
    #[arg(short, long, value_enum)]
    pub format: Option<FormatArg>,

    /// Write to FILE instead of standard output (atomically: a failed run leaves FILE as it was)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Columns of the `csv` format (and of the `xlsx` format's Students sheet), comma-separated
    /// [default: student_id,name,section,plan,kind,tier,focus,focus_score,reason]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub columns: Vec<Column>,

    /// Also write the section summary (section, skill, share_below, whole_class) as CSV to FILE
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Also write a letter home for every student whose support changes (an intervention, a
    /// referral review, a changed intervention or goal; the rules' `letters:` can name the plans)
    /// from the rules' template, English by default. FILE.html: one editable letter a printed
    /// page; any other name: plain text, the letters apart by form feeds
    #[arg(long, value_name = "FILE")]
    pub letters: Option<PathBuf>,

    /// Cells of the CSV that start with `=`, `+`, `-`, `@`, a tab or a carriage return (a formula
    /// to a spreadsheet) are written with a `'` before them, so Excel or Sheets shows the text
    /// rather than run it; `keep` writes them as they are, for a program that reads the CSV.
    /// Numbers are never changed
    #[arg(long, value_enum, default_value_t = CsvFormulasArg::Escape)]
    pub csv_formulas: CsvFormulasArg,

    /// No progress line on standard error (it appears only on a terminal, for inputs over 50 MB:
    /// 0 to 50% while the sections are read, 50 to 100% while students are decided)
    #[arg(short, long)]
    pub quiet: bool,

    /// Show students' names as initials (`A. L.`) and e-mail ids as `a…@school.org`, and quote
    /// no cell in messages, for sharing a plan outside the school
    #[arg(long)]
    pub redact: bool,
    /// Show names as they are, though the defaults file says `redact: true`
    #[arg(long, overrides_with = "redact")]
    pub no_redact: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// CSV files of results; `-` reads standard input
    #[arg(value_name = "DATA", required = true)]
    pub data: Vec<PathBuf>,

    /// The student's id, as in the id column
    #[arg(short, long, value_name = "ID")]
    pub student: String,

    /// The student's row in this section only, when they are in several (a gradebook with a row
    /// per student per course); without it, every section's decision is shown
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,

    /// Show the student's name as initials and an e-mail id as `a…@school.org`
    #[arg(long)]
    pub redact: bool,

    /// Show names as they are, though the defaults file says `redact: true`
    #[arg(long, overrides_with = "redact")]
    pub no_redact: bool,

    #[command(flatten)]
    pub rules: RulesArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub rules: RulesArgs,

    /// The SQL dialect to write
    #[arg(long, value_enum)]
    pub dialect: DialectArg,

    /// The table (or view) of results the query reads, as the warehouse names it
    /// (`schema.table`: each part is quoted)
    #[arg(long, value_name = "NAME")]
    pub table: String,

    /// A CSV file whose header is the table's columns (an export, or a file of the header alone)
    #[arg(long, value_name = "FILE", required_unless_present = "columns_from")]
    pub header_from: Option<PathBuf>,

    /// A file of the table's column names, one a line, in order (as `psql -At` prints
    /// information_schema.columns), instead of --header-from
    #[arg(long, value_name = "FILE", conflicts_with = "header_from")]
    pub columns_from: Option<PathBuf>,

    /// The section summary (section, skill, share_below, whole_class) instead of the plan
    #[arg(long)]
    pub summary: bool,

    /// Print `CREATE OR REPLACE VIEW NAME AS` the query, for the warehouse to keep
    #[arg(long, value_name = "NAME", conflicts_with = "dbt")]
    pub view: Option<String>,

    /// Print a dbt model: the query in a raw block, reading --table as a dbt relation
    /// (`results` as ref('results'), `assessment.results` as source('assessment', 'results'))
    #[arg(long)]
    pub dbt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    Duckdb,
    Postgres,
    /// Spark SQL, 3.4 or later
    Spark,
    /// BigQuery (GoogleSQL); checked for syntax, not run, by the tests
    Bigquery,
    /// Snowflake; checked for syntax, not run, by the tests
    Snowflake,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data files to check against the rules: their columns, every cell, the table rows each
    /// student matches and how many students each branch takes
    #[arg(value_name = "DATA")]
    pub data: Vec<PathBuf>,

    /// `--deny warnings`: warnings fail the check too (exit 1), for CI
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyArg>,

    #[command(flatten)]
    pub rules: RulesArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: a rules file when DATA follows, else the earlier data file (e.g. fall)
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new side: a rules file when DATA follows, else the later data file (e.g. winter)
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// CSV files of results both rules files run over; `-` reads standard input
    #[arg(value_name = "DATA")]
    pub data: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RulesArgs,

    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,

    /// Write to FILE instead of standard output (atomically: a failed run leaves FILE as it was)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Cells of the CSV that start with `=`, `+`, `-`, `@`, a tab or a carriage return (a formula
    /// to a spreadsheet) are written with a `'` before them, so Excel or Sheets shows the text
    /// rather than run it; `keep` writes them as they are, for a program that reads the CSV.
    /// Numbers are never changed
    #[arg(long, value_enum, default_value_t = CsvFormulasArg::Escape)]
    pub csv_formulas: CsvFormulasArg,

    /// List unchanged students too (`change` is `unchanged`); they are always counted
    #[arg(long)]
    pub all: bool,

    /// Exit with status 1 when any student changed, is new or is gone (0 when none did)
    #[arg(long)]
    pub exit_code: bool,

    /// Write nothing to standard output (with `--exit-code`, for scripts)
    #[arg(short, long, conflicts_with = "output")]
    pub quiet: bool,

    /// Show students' names as initials (`A. L.`) and e-mail ids as `a…@school.org`, for
    /// sharing outside the school
    #[arg(long)]
    pub redact: bool,
    /// Show names as they are, though the defaults file says `redact: true`
    #[arg(long, overrides_with = "redact")]
    pub no_redact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvFormulasArg {
    /// Put a `'` before a text cell a spreadsheet would read as a formula
    Escape,
    /// Write every cell as it is
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    /// Per section, the counts and a row per changed student, for people
    Table,
    /// One row per listed student: student_id,name,section,change,old_plan,old_tier,old_focus,new_plan,new_tier,new_focus
    Csv,
    /// Students, per-section counts and totals, for programs
    Json,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rules files to test, each with its cases in `NAME.test.yaml` beside it (a test file
    /// `NAME.test.yaml` may be named instead) [default: the built-in default rules]
    #[arg(value_name = "RULES")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RulesArgs,

    /// Instead of running the cases, print new ones: every cut of the rules' tables at cut - 1,
    /// the cut and cut + 1, with the plan the rules decide today, to review and save
    #[arg(long)]
    pub boundaries: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write `rules.yaml` and `quiz.csv` into (created if needed)
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Copy this shipped rule set: default, progress, progress-referral, star, dibels8,
    /// dibels8-composite, iready, fastbridge, map-growth
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table per section, for people
    Table,
    /// One row per student, in input order
    Csv,
    /// Students and section summaries, for programs
    Json,
    /// The table as Markdown, for documents
    #[value(alias = "md")]
    Markdown,
    /// An Excel workbook: a summary, a sheet per section with its groups, and every student
    Xlsx,
    /// A report to print or project: charts, group cards and progress graphs, in one offline file
    #[value(alias = "htm")]
    Html,
}

fn parse_encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(s.trim().as_bytes()).ok_or_else(|| {
        format!("unknown encoding `{s}`; e.g. utf-8, utf-16le, utf-16be, windows-1252")
    })
}

/// `512M`, `2G`, `0`: a size in bytes, with an optional K, M, G or T
/// (powers of 1024, `KiB` and `KB` alike).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let unit = unit.trim().to_ascii_uppercase();
    let unit = unit.trim_end_matches('B').trim_end_matches('I');
    let shift = match unit {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => u32::MAX,
    };
    number
        .parse::<u64>()
        .ok()
        .filter(|_| shift != u32::MAX)
        .and_then(|n| n.checked_mul(1u64.checked_shl(shift)?))
        .ok_or_else(|| format!("`{s}` is not a size, e.g. `512M` or `2G` (or `0`)"))
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("`{s}` is not NAME=VALUE, e.g. `mastery=70`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn sizes_read_in_powers_of_1024() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(crate::engine::records::DEFAULT_MEMORY));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
        assert_eq!(parse_size("3kb"), Ok(3 << 10));
        for bad in ["", "G", "2X", "-1", "1.5G", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_help_names_every_shipped_rule_set() {
        let mut command = Cli::command();
        let help = command
            .find_subcommand_mut("plan")
            .unwrap()
            .render_long_help()
            .to_string()
            .replace(char::is_whitespace, "");
        for name in crate::rules::shipped::names() {
            assert!(
                help.contains(&format!("{name},")) || help.contains(&format!("{name})")),
                "{name}"
            );
        }
    }

    #[test]
    fn set_takes_name_equals_value() {
        assert_eq!(parse_set("mastery=70"), Ok(("mastery".into(), "70".into())));
        assert!(parse_set("mastery").is_err());
    }
}
