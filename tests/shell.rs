//! `tierplan completions` and `tierplan man`: the scripts and the page are
//! generated from the clap definitions, name every command, and load where
//! they are meant to: bash loads the scripts, and groff renders the page
//! (`.ci/run` installs groff-base where it is missing; without it the test
//! fails rather than skips).

use std::process::{Command, Stdio};

use crate::util::Test;

/// Every command `tierplan --help` lists.
const COMMANDS: [&str; 11] = [
    "plan",
    "explain",
    "check",
    "diff",
    "init",
    "profiles",
    "test",
    "codes",
    "completions",
    "man",
    "config",
];

/// What bash completes for the words `line` (the last is being typed),
/// with tierplan's completion loaded.
fn bash_completes(line: &[&str]) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        r#"source <("$0" completions bash) && complete -p tierplan >/dev/null &&
        COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE="${{COMP_WORDS[*]}}";
        COMP_POINT=${{#COMP_LINE}}; _tierplan tierplan "{cur}" "{prev}" &&
        printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = words.join(" "),
        cword = line.len() - 1,
        cur = line[line.len() - 1],
        prev = line[line.len() - 2],
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tierplan"))
        .stderr(Stdio::inherit())
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "bash loads the completion: {}",
        out.status
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completion_names_every_command_and_the_format_values() {
    let script = Test::new().args(&["completions", "bash"]).run().stdout;
    for word in COMMANDS
        .iter()
        .chain(&["--format", "csv", "json", "--rules"])
    {
        assert!(script.contains(word), "the bash script names {word}");
    }
    let commands = bash_completes(&["tierplan", ""]);
    for command in COMMANDS {
        assert!(
            commands.iter().any(|c| c == command),
            "{command} in {commands:?}"
        );
    }
    let formats = bash_completes(&["tierplan", "plan", "--format", ""]);
    assert_eq!(
        formats,
        ["table", "csv", "json", "markdown", "xlsx", "html"]
    );
}

#[test]
fn bash_completion_loads_in_bash() {
    let status = Command::new("bash")
        .arg("-c")
        .arg(r#"source <("$0" completions bash) && complete -p tierplan"#)
        .arg(env!("CARGO_BIN_EXE_tierplan"))
        .stdout(Stdio::null())
        .status()
        .expect("run bash");
    assert!(status.success(), "bash loads the completion: {status}");
}

#[test]
fn every_other_shell_gets_a_script_for_tierplan() {
    let t = Test::new();
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = t.run_with(&["completions", shell]);
        assert!(
            out.stdout.contains("tierplan") && out.stdout.contains("explain"),
            "the {shell} script completes tierplan's commands"
        );
        assert!(out.stderr.is_empty(), "{shell}: {}", out.stderr);
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Test::new().args(&["completions", "tcsh"]).status(2).run();
    assert!(
        out.stderr.contains("possible values: bash"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    Test::new().args(&["completions"]).status(2).run();
}

#[test]
fn completions_help_says_how_to_install() {
    let out = Test::new().args(&["completions", "--help"]).run();
    assert!(
        out.stdout.contains(
            "tierplan completions bash > ~/.local/share/bash-completion/completions/tierplan"
        ),
        "{}",
        out.stdout
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(
            out.stdout
                .contains(&format!("tierplan completions {shell} "))
        );
    }
}

#[test]
fn the_man_page_has_every_command_and_the_exit_status() {
    let out = Test::new().args(&["man"]).run();
    let page = &out.stdout;
    assert!(
        page.starts_with(".TH tierplan 1 "),
        "a .TH title first: {}",
        page.lines().next().unwrap_or_default()
    );
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "\"EXIT STATUS\"",
    ] {
        assert!(
            page.contains(&format!("\n.SH {section}\n")),
            "a {section} section"
        );
    }
    assert!(page.contains("70 a bug in tierplan"), "the exit codes");
    for command in COMMANDS {
        let heading = format!("\n.SH \"TIERPLAN {}\"\n", command.to_uppercase());
        assert!(page.contains(&heading), "a section for `{command}`");
        assert!(page.contains(&format!("\\fBtierplan {command}\\fR")));
    }
    assert!(!page.contains("TIERPLAN HELP"), "clap's help is no command");
    // Plan's examples and options come with it.
    assert!(page.contains("tierplan plan quiz.csv \\-\\-format csv"));
    assert!(page.contains("\\-\\-format"));
}

#[test]
fn the_man_page_renders() {
    let out = Test::new().args(&["man"]).run();
    let mut groff = Command::new("groff")
        .args(["-man", "-Tascii", "-P-cbou"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("groff renders the man page (Debian: apt-get install groff-base)");
    let mut stdin = groff.stdin.take().unwrap();
    let page = out.stdout.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        stdin.write_all(page.as_bytes()).unwrap();
    });
    let rendered = groff.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(rendered.status.success());
    let text = String::from_utf8_lossy(&rendered.stdout);
    for heading in ["EXIT STATUS", "COMMANDS", "TIERPLAN PLAN", "TIERPLAN MAN"] {
        assert!(text.contains(heading), "groff shows {heading}");
    }
}

#[test]
fn the_readme_gives_both_install_commands() {
    let readme = std::fs::read_to_string(crate::util::repo("README.md")).unwrap();
    assert!(readme.contains(
        "tierplan completions bash > ~/.local/share/bash-completion/completions/tierplan"
    ));
    assert!(readme.contains("tierplan man > ~/.local/share/man/man1/tierplan.1"));
}

#[test]
fn man_help_says_how_to_install() {
    let out = Test::new().args(&["man", "--help"]).run();
    assert!(
        out.stdout
            .contains("tierplan man > ~/.local/share/man/man1/tierplan.1"),
        "{}",
        out.stdout
    );
}

#[test]
fn help_lists_the_new_commands() {
    let out = Test::new().args(&["--help"]).run();
    assert!(out.stdout.contains("  completions "));
    assert!(out.stdout.contains("  man "));
}

/// Every command, as `tierplan --help` lists them (clap's `help` aside).
fn commands() -> Vec<String> {
    let help = Test::new().args(&["--help"]).run().stdout;
    let list = help.split("Commands:\n").nth(1).unwrap();
    list.lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_has_examples_and_a_version() {
    let commands = commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let version = format!("{}\n", env!("CARGO_PKG_VERSION"));
    for command in &commands {
        let help = Test::new().args(&[command, "--help"]).run().stdout;
        // An example is an indented command line: `  tierplan plan quiz.csv`,
        // or `  bash  tierplan completions bash > ...`.
        let example = format!(" tierplan {command}");
        assert!(
            help.lines()
                .any(|l| l.starts_with("  ") && l.contains(&example)),
            "`tierplan {command} --help` shows no example"
        );
        let out = Test::new().args(&[command, "--version"]).run().stdout;
        assert_eq!(out, format!("tierplan-{command} {version}"));
    }
}
