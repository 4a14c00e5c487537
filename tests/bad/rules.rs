//! Bad rules files: binary, a CSV file, YAML alias bombs, nesting without
//! end, conditions too long, a 100 MB file, sub-trees reused with aliases
//! (and one that contains itself), and an endless device.

use std::fmt::Write as _;
use std::fs::File;

use super::{assert_fails, assert_no_panic, assert_succeeds, with};
use crate::util::Test;

#[test]
fn rules_that_are_binary() {
    let t = with(&["rules-binary.yaml", "class.csv"]);
    assert_fails(
        &t.status(1)
            .run_with(&["plan", "--rules", "rules-binary.yaml", "class.csv"]),
    )
    .assert_stderr_contains(
        "error[rules-not-text]: `rules-binary.yaml` is not UTF-8 text\n  --> rules-binary.yaml\n",
    );
}

/// The data file passed as `--rules`.
#[test]
fn a_csv_file_passed_as_rules() {
    let t = with(&["class.csv"]);
    assert_fails(
        &t.status(1)
            .run_with(&["plan", "--rules", "class.csv", "class.csv"]),
    )
    .assert_stderr(
        "
        error[yaml-syntax]: expected mapping start
          --> class.csv, line 1, column 1
           |
         1 | student_id,name,section,screening_pctl,NF.1,NF.2
           | ^
        ",
    );
}

/// Nine levels of nine aliases under a value tierplan reads whole: the
/// expansion budget stops it, with a place, in well under the time limit.
#[test]
fn an_alias_bomb_fails_fast() {
    let t = with(&["alias-bomb.yaml", "class.csv"]);
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "alias-bomb.yaml", "class.csv"]);
    assert_fails(&out)
        .assert_stderr_contains(
            "error[rules-too-complex]: the rules' aliases expand to too much YAML\n",
        )
        .assert_stderr_contains("  --> alias-bomb.yaml, line ")
        .assert_stderr_contains(
            "  = help: rules may nest at most 64 levels and may not expand aliases without bound\n",
        );
    let check = t
        .status(1)
        .run_with(&["check", "--rules", "alias-bomb.yaml"]);
    assert_no_panic(&check);
    check.assert_stdout_contains("error[rules-too-complex]: ");
}

/// The classic shape, anchors under top-level keys: refused at the first
/// unknown key, before anything is expanded.
#[test]
fn an_alias_bomb_at_the_top_level_fails_fast() {
    let t = with(&["alias-bomb-top.yaml", "class.csv"]);
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "alias-bomb-top.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains(
        "error[unknown-key]: unknown field `a`, expected one of tierplan, name, description, columns, skills, params, tables, whole_class, guideline, monitoring, recode, plans, tree, letters, tests\n  --> alias-bomb-top.yaml, line 1, column 1\n",
    );
}

/// `[[[[...]]]]` 100,000 levels deep: a problem, not a stack overflow.
#[test]
fn yaml_nested_100_000_levels() {
    let deep = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let tree = format!("tree: {deep}");
    let t = with(&["class.csv"])
        .file("deep.yaml", deep)
        .file("tree.yaml", tree);
    for file in ["deep.yaml", "tree.yaml"] {
        let out = t
            .status(1)
            .run_with(&["plan", "--rules", file, "class.csv"]);
        assert_fails(&out).assert_stderr_contains(&format!("  --> {file}, line 1, column "));
        assert!(
            out.stderr.starts_with("error[yaml-syntax]")
                || out.stderr.starts_with("error[rules-too-complex]"),
            "a nesting problem:\n{}",
            out.stderr
        );
    }
}

const RULES_HEAD: &str = "tierplan: 1\ncolumns:\n  student_id: [student_id]\nskills:\n  columns: rest\nparams:\n  mastery: 80\nplans:\n  core: {kind: core}\n";

/// Branches nested with `then:` 100,000 levels deep (flow style, to stay
/// under the 1 MiB limit), 40 levels (past the YAML depth limit) and 20
/// levels (past the tree's limit of 16).
#[test]
fn then_nested_deeper_than_allowed() {
    let flow = |levels: usize, open: &str, close: &str| {
        format!(
            "{RULES_HEAD}tree: {}[{{default: core}}]{}\n",
            open.repeat(levels),
            close.repeat(levels)
        )
    };
    let mut block = format!("{RULES_HEAD}tree:\n");
    for level in 0..20 {
        let indent = "    ".repeat(level);
        let _ = writeln!(block, "{indent}  - when: assessed > {level}");
        let _ = writeln!(block, "{indent}    then:");
    }
    let _ = writeln!(block, "{}  - default: core", "    ".repeat(20));
    for level in (0..20).rev() {
        let _ = writeln!(block, "{}  - default: core", "    ".repeat(level));
    }
    let t = with(&["class.csv"])
        .file("deep.yaml", flow(100_000, "[{then: ", "}]"))
        .file(
            "forty.yaml",
            flow(40, "[{when: assessed > 1, then: ", "}, {default: core}]"),
        )
        .file("twenty.yaml", block);
    assert!(t.path("deep.yaml").metadata().expect("deep.yaml").len() < 1 << 20);

    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "deep.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains("  --> deep.yaml, line 10, column ");
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "forty.yaml", "class.csv"]);
    assert_fails(&out)
        .assert_stderr_contains("error[rules-too-complex]: the rules nest deeper than 64 levels\n")
        .assert_stderr_contains("  --> forty.yaml, line 10, column ");
    // The top list is not nested; the list holding `- when: assessed > 17`
    // is nested 17 levels, the first too deep.
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "twenty.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains(&format!(
        "error[tree-too-deep]: branches nest more than 16 levels deep\n  --> twenty.yaml, line {}, column {}\n",
        11 + 2 * 17,
        3 + 4 * 17
    ));
}

/// A condition 100,000 parentheses deep is over the length limit; 100 deep
/// is within it but over the nesting limit.
#[test]
fn conditions_too_long_or_too_deep() {
    let rules = |condition: String| {
        format!(
            "{RULES_HEAD}  reteach: {{kind: small_group_reteach}}\ntree:\n  - when: \"{condition}\"\n    plan: reteach\n  - default: core\n"
        )
    };
    let nested =
        |levels: usize| format!("{}assessed > 0{}", "(".repeat(levels), ")".repeat(levels));
    let t = with(&["class.csv"])
        .file("long.yaml", rules(nested(100_000)))
        .file("deep.yaml", rules(nested(100)));
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "long.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains(
        "error[bad-condition]: condition is 200012 bytes long; the limit is 4096\n  --> long.yaml, line 12, column 12\n",
    );
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "deep.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains(
        "error[bad-condition]: condition nests deeper than 64 levels\n  --> deep.yaml, line 12, column ",
    );
}

/// A sparse 100 MB file: refused from its size, before it is read.
#[test]
fn a_100_mb_rules_file() {
    let t = with(&["class.csv"]);
    File::create(t.path("huge.yaml"))
        .and_then(|f| f.set_len(100 << 20))
        .expect("create a sparse 100 MB file");
    let expected = "
        error[rules-too-large]: rules file is 104857600 bytes; the limit is 1048576 bytes (1 MiB)
          --> huge.yaml
          = help: rules files are small; is this the data file passed as `--rules`?
        ";
    let plan = t
        .status(1)
        .run_with(&["plan", "--rules", "huge.yaml", "class.csv"]);
    assert_fails(&plan).assert_stderr(expected);
    let explain = t.status(1).run_with(&[
        "explain",
        "--rules",
        "huge.yaml",
        "class.csv",
        "--student",
        "S1",
    ]);
    assert_fails(&explain).assert_stderr(expected);
    // `check` reports problems in the rules on standard output.
    let check = t.status(1).run_with(&["check", "--rules", "huge.yaml"]);
    assert_no_panic(&check);
    check
        .assert_stdout(
            "
            error[rules-too-large]: rules file is 104857600 bytes; the limit is 1048576 bytes (1 MiB)
              --> huge.yaml
              = help: rules files are small; is this the data file passed as `--rules`?

            1 error found, 0 warnings
            ",
        )
        .assert_stderr("");
}

/// A sub-tree written once under an anchor and reused with an alias works
/// like the same branches written twice.
#[test]
fn a_sub_tree_reused_with_an_alias() {
    let t = with(&["anchor-subtree.yaml", "class.csv"]);
    let out = t.run_with(&[
        "plan",
        "--rules",
        "anchor-subtree.yaml",
        "class.csv",
        "-f",
        "csv",
        "--columns",
        "student_id,plan,focus",
    ]);
    assert_succeeds(&out).assert_stdout(
        "
        student_id,plan,focus
        S1,core,
        S2,reteach,NF.1
        S3,reteach,NF.2
        S4,core,
        ",
    );
}

/// A typo inside the reused sub-tree is reported where it is written and
/// where the alias uses it.
#[test]
fn a_typo_in_a_reused_sub_tree() {
    let t = with(&["anchor-subtree-typo.yaml", "class.csv"]);
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "anchor-subtree-typo.yaml", "class.csv"]);
    assert_fails(&out)
        .assert_stderr_contains(
            "error[unknown-plan]: unknown plan `retaech`\n  --> anchor-subtree-typo.yaml, line 22, column 15\n",
        )
        .assert_stderr_contains(
            "error[unknown-plan]: unknown plan `retaech`\n  --> anchor-subtree-typo.yaml, line 26, column 11\n",
        );
}

/// Branches cannot refer to each other: the format has no references
/// between branches, each holds its own sub-tree. A YAML alias to an
/// enclosing anchor is the one way to write a cycle; it is refused where the
/// alias is.
#[test]
fn a_tree_that_contains_itself() {
    let t = with(&["tree-cycle.yaml", "class.csv"]);
    let out = t
        .status(1)
        .run_with(&["plan", "--rules", "tree-cycle.yaml", "class.csv"]);
    assert_fails(&out).assert_stderr_contains("  --> tree-cycle.yaml, line 15, column 11\n");
    assert!(
        out.stderr.starts_with("error[yaml-syntax]"),
        "{}",
        out.stderr
    );
}

/// A device has no size to check beforehand: reading stops one byte past
/// the limit, so `--rules /dev/zero` ends at once instead of filling memory.
#[cfg(unix)]
#[test]
fn rules_from_an_endless_device_are_too_large() {
    Test::new()
        .quiz()
        .args(&["plan", "--rules", "/dev/zero", "quiz.csv"])
        .status(1)
        .run()
        .assert_stderr(
            "
            error[rules-too-large]: rules file is over 1048576 bytes; the limit is 1048576 bytes (1 MiB)
              --> /dev/zero
              = help: rules files are small; is this the data file passed as `--rules`?
            ",
        );
}
