//! Every diagnostic code tierplan reports, in one list, with its meaning.
//!
//! A code is the stable name of one kind of problem (`unknown-plan`): scripts
//! match on it, `tierplan codes` explains it, and `docs/codes.md` is checked
//! against this list by a test. Adding a problem means adding its line here;
//! the compiler then refuses any code that is not listed.

use std::fmt;

macro_rules! codes {
    ($($variant:ident $name:literal $meaning:literal,)*) => {
        /// The stable, kebab-case name of one kind of problem.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
        }

        impl Code {
            /// Every code, in the order of this list.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see it: `unknown-plan`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the code means, in one line.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    AlwaysTrue "always-true" "a branch's test is `when: true`, which always matches; it belongs in the `default`",
    AmbiguousBranch "ambiguous-branch" "a rules test case's `branch` names several branches of the rules; its whole path is needed",
    AmbiguousColumn "ambiguous-column" "several columns of a data file share the header a rules field is read from",
    BadBlueprint "bad-blueprint" "a blueprint CSV lacks `item` or `skill`, has bad `points`, or a row without both",
    BadBranch "bad-branch" "a branch in the rules mixes or lacks `when`, `default`, `plan` and `then`",
    BadCadence "bad-cadence" "a plan's `cadence` is not a schedule tierplan understands, such as `weekly`",
    BadCondition "bad-condition" "a `when` test in the rules does not parse, or uses a name, function or type wrongly",
    BadCsv "bad-csv" "a data file cannot be read as CSV",
    BadDate "bad-date" "a date cell (or a goal date) in the data is not a date tierplan can read",
    BadDecay "bad-decay" "the rules' `decay` is not above 0 and at most 1",
    BadFocus "bad-focus" "a plan's `focus` is not `weakest`, `weakest(<test>)` or `none`, or its test is wrong",
    BadGoal "bad-goal" "a student's progress-monitoring goal cell is not a number",
    BadGroupSize "bad-group-size" "a plan's `group_size` is 0; a group needs at least 1 student",
    BadItem "bad-item" "an answer cell of a quiz export is not a score tierplan can read for that question",
    BadLanguage "bad-language" "a letters template's `language` is not a language tag such as `es`",
    BadNumber "bad-number" "a OneRoster line item's `resultValueMin` or `resultValueMax` is not a number",
    BadParameter "bad-parameter" "a rules parameter is of the wrong kind or outside its range (`mastery` 0 to 100, or its `min` and `max`)",
    BadRange "bad-range" "a range in a rules table has no bound, or two lower or two upper bounds",
    BadReason "bad-reason" "a plan's `reason` has an unclosed `{` or a placeholder that cannot be read",
    BadRecode "bad-recode" "`recode` names the student id, name or section, which cannot be recoded",
    BadScore "bad-score" "a score cell is neither a number nor a percentage the rules can read",
    BadTable "bad-table" "a rules table is malformed: keys, rows or values missing, mixed or of the wrong kind",
    BadTemplate "bad-template" "a letters template has a `{placeholder}` tierplan does not know, or an unclosed `{`",
    BadTier "bad-tier" "a plan's or test case's `tier` is not 1, 2 or 3, or a `no_data` plan has a tier",
    BadWorkbook "bad-workbook" "a data file looks like a spreadsheet (.xlsx, .xls, .ods) but cannot be read as one",
    BadZip "bad-zip" "a zip file given as data is damaged or truncated, or a file of a OneRoster bundle cannot be unzipped",
    Combined "combined" "some students had several results for one skill, and the rules combined them",
    CutsOutOfOrder "cuts-out-of-order" "in a row of a rules table, cut scores are out of the order `ascending` or other rows set",
    DeltaFile "delta-file" "a OneRoster bundle file is declared `delta` (changes only) but is read as complete",
    DuplicateCase "duplicate-case" "two cases in the rules' test file have the same `name`",
    DuplicateColumn "duplicate-column" "two columns of a data file have the same header",
    DuplicateFile "duplicate-file" "a OneRoster bundle holds two files of one name (or differing only in case), and which to read is unknown",
    DuplicateId "duplicate-id" "a OneRoster user or line item `sourcedId` appears on more than one row",
    DuplicateKey "duplicate-key" "a key is written twice in the same mapping of a rules or test file",
    DuplicateName "duplicate-name" "the rules use one name for both a column and a parameter",
    DuplicateStudent "duplicate-student" "the same student id appears on more than one row of one section",
    EmptyColumn "empty-column" "a field under the rules' `columns` lists no header names",
    EmptyFile "empty-file" "a data file (or a bundle's file) is empty, or has a header and no rows",
    EmptyRange "empty-range" "a OneRoster line item's `resultValueMax` is not above its `resultValueMin`",
    FileChanged "file-changed" "a data file changed while tierplan was reading it",
    FileTooLarge "file-too-large" "a file in a OneRoster bundle is larger, once unzipped, than tierplan reads",
    FormatUnknown "format-unknown" "an .xls or .ods sheet holds a number between 0 and 1, which may be a percentage tierplan cannot see",
    IgnoreWithList "ignore-with-list" "the rules give `ignore` with a list of skill columns; it only applies to `columns: rest`",
    ManifestAbsent "manifest-absent" "the OneRoster manifest declares a file `absent`, and the bundle has it",
    ManifestKey "manifest-key" "a OneRoster manifest property looks like a misspelt `file.<name>` and is read as one",
    ManifestValue "manifest-value" "a OneRoster manifest value is not `bulk`, `delta` or `absent`",
    MissingColumn "missing-column" "a data file has no column for a field, skill or score that the rules or profile need",
    MissingDefault "missing-default" "a list of branches in the rules does not end with a `default`",
    MissingFile "missing-file" "a OneRoster bundle lacks a file tierplan needs, or one its manifest lists",
    MissingGoal "missing-goal" "a progress-monitoring student has probes but no goal or goal date",
    MissingId "missing-id" "a data row has no student id, or a OneRoster user or line item has no `sourcedId`",
    MissingKey "missing-key" "a required key is missing from the rules or the test file, such as a plan's `kind`",
    MissingMastery "missing-mastery" "the rules read skill scores but set no parameter `mastery`",
    MissingMaximum "missing-maximum" "a OneRoster line item has no `resultValueMax`, so its scores cannot be made percents",
    MissingStudentId "missing-student-id" "the rules' `columns` declares no `student_id` field",
    MisspeltKey "misspelt-key" "a value in a rules table key column appears once and looks like a misspelling of another",
    NoBlueprint "no-blueprint" "a data file holds answers to questions, and no blueprint says how they score",
    NoCategory "no-category" "some OneRoster line items have no `categorySourcedId`, so count as skill `uncategorized`",
    NoEnrollment "no-enrollment" "some OneRoster students are enrolled in no class, so they have no section",
    NoHeader "no-header" "a data file seems to have no header row: its first line holds numbers",
    NoPlans "no-plans" "the rules' `plans` is empty",
    NoRoleColumn "no-role-column" "OneRoster `users.csv` has no `role` column; students are found from enrollments",
    NoRows "no-rows" "a rules test case gives `rows` but lists no row",
    NoScore "no-score" "some OneRoster results have an empty `score` and are left unscored",
    NoStudents "no-students" "a data file has a header but no student rows, or a bundle has no students",
    NoSuchSheet "no-such-sheet" "`--sheet` names a sheet the workbook does not have",
    NoTableRow "no-table-row" "a rules table has no row matching a student's keys",
    NoTests "no-tests" "the rules' test file has `tests`, but it lists no case",
    NotABundle "not-a-bundle" "a zip file given as data is neither a OneRoster bundle (no `manifest.csv`) nor a workbook: a zip in a zip, other files",
    NotANumber "not-a-number" "a cell of a column the rules compare with numbers is not a number",
    NotAStudent "not-a-student" "rows or results for users who are not students were left out",
    NotCompiled "not-compiled" "`tierplan sql` cannot compile this rules construct to SQL (yet); `tierplan plan` can run it",
    NotCsv "not-csv" "a data file is not text or a workbook but a PDF or an image, found by its first bytes",
    NotScored "not-scored" "some OneRoster results are marked `exempt` or `not submitted` and are left unscored",
    NotSelected "not-selected" "rows whose value does not match `--only` were left out",
    NotUtf8 "not-utf8" "a line of a data file has a byte that is not UTF-8 and was read as Windows-1252",
    NothingSelected "nothing-selected" "no row of a data file has the value that `--only NAME=VALUE` asks for",
    OlderRows "older-rows" "students with several rows in an export had all but one row left out",
    OptionalStudentId "optional-student-id" "the rules mark `student_id` optional, but every student needs an id",
    ProfileNotUsed "profile-not-used" "a file looks like a known export, but the rules name its columns, so no profile is used",
    RaggedRow "ragged-row" "a row of a CSV file has more or fewer fields than its header",
    RepeatedResult "repeated-result" "OneRoster `results.csv` repeats a student's line item; the last result is used",
    ReplacedRow "replaced-row" "a student's row is replaced by a later row for the same student",
    ReservedName "reserved-name" "a column or parameter of the rules uses a built-in name",
    RowTooLong "row-too-long" "a row of a data file is longer than tierplan reads (often an unclosed quote)",
    RulesNotText "rules-not-text" "the rules file is not UTF-8 text",
    RulesTooComplex "rules-too-complex" "the rules file nests too deeply or expands YAML aliases without bound",
    RulesTooLarge "rules-too-large" "the rules file is larger than the 1 MiB limit",
    ScoreOutOfRange "score-out-of-range" "a OneRoster score is outside its line item's `resultValueMin` to `resultValueMax`",
    SeveralBundles "several-bundles" "the zip file given holds more than one OneRoster bundle",
    SeveralClasses "several-classes" "a OneRoster student is enrolled in several classes and has results in none; the first gives the section",
    SeveralSubjects "several-subjects" "an export holds results for several subjects (or the like); plan one with `--only`",
    ShadowedRow "shadowed-row" "a row of a rules table is never used: an earlier row matches every student it would",
    ShortRows "short-rows" "some rows of an export have fewer fields than the header; missing cells read as empty",
    StdinTooLarge "stdin-too-large" "the data on standard input, or a pipe named as a path, is larger than tierplan keeps in memory",
    StudentAndRows "student-and-rows" "a rules test case gives both `student` and `rows`",
    StudentNotPlanned "student-not-planned" "a rules test case's student is not in the plan the rules made",
    TableFile "table-file" "the CSV file of a rules table cannot be read, or is not CSV",
    TableGap "table-gap" "a rules table has no row for some values or scores of its keys",
    TableOverlap "table-overlap" "two rows of a rules table both cover the same score; the first wins",
    TestsNotText "tests-not-text" "the rules' test file is not UTF-8 text",
    TooManyColumns "too-many-columns" "a data file has more columns than tierplan reads",
    TreeTooDeep "tree-too-deep" "the rules' branches nest more levels deep than tierplan allows",
    UncoveredValue "uncovered-value" "a rules table row uses a key value that the table's `cover` does not list",
    UnknownField "unknown-field" "`recode` or a test case's `student` names a field or skill the rules do not have",
    UnknownItem "unknown-item" "a blueprint item is not a question of the data file",
    UnknownKey "unknown-key" "a rules or test file uses a key tierplan does not know",
    UnknownLineItem "unknown-line-item" "a OneRoster result names no line item, or one not in `lineItems.csv`",
    UnknownName "unknown-name" "a name in a rules condition is no column, parameter or table, so is read as a skill column",
    UnknownPlan "unknown-plan" "a branch or rule names a plan that `plans:` does not declare",
    UnknownSkill "unknown-skill" "a rules test case expects a focus or reteach skill its data does not have",
    UnknownStudent "unknown-student" "a OneRoster result names no student, or one not in `users.csv`",
    UnknownTableKey "unknown-table-key" "a rules table's `keys`, columns, `cover` or `ascending` name something it does not have",
    UnknownValue "unknown-value" "a key in a rules or test file has a value tierplan does not know",
    UnreachableBranch "unreachable-branch" "a branch in the rules can never be reached by any student",
    UnscoredQuestions "unscored-questions" "some questions of a quiz export are in no skill of the blueprint and are not scored",
    UnsupportedVersion "unsupported-version" "the rules' `tierplan:` format version is not one this tierplan reads",
    UnusedPlan "unused-plan" "a plan is declared in `plans:` but no branch leads to it",
    WrongPlanKind "wrong-plan-kind" "the `whole_class` rule names a plan that is not `kind: whole_class_reteach`",
    YamlSyntax "yaml-syntax" "a rules or test file is not valid YAML",
}

impl Code {
    /// The code of that name, if there is one.
    pub fn named(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
