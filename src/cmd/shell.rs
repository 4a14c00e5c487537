//! `tierplan completions` and `tierplan man`: the shell's conventions,
//! generated from the clap definitions in `cli` (`clap_complete`,
//! `clap_mangen`); glue only, nothing here decides what a flag means.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use crate::cli::{Cli, EXIT_CODES};
use crate::error::{ExitCode, Result, write_error};

/// Print the completion script for `shell`.
pub(crate) fn completions(shell: Shell) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tierplan", &mut script);
    print(&script)
}

/// Print the man page: tierplan's own sections, the exit status, then one
/// section per command (its synopsis, description, options and examples).
pub(crate) fn man() -> Result<ExitCode> {
    let page = man_page().map_err(write_error("<stdout>"))?;
    print(&page)
}

fn man_page() -> io::Result<Vec<u8>> {
    let mut cli = Cli::command();
    cli.build();
    let top = Man::new(cli.clone());
    let mut page = Vec::new();
    top.render_title(&mut page)?;
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;
    top.render_description_section(&mut page)?;
    top.render_options_section(&mut page)?;
    // The commands are sections of this page, not pages of their own.
    writeln!(page, ".SH COMMANDS")?;
    for sub in commands(&cli) {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        writeln!(page, ".TP\n\\fB{}\\fR\n{}", escape(name), escape(&about))?;
    }
    writeln!(page, ".SH \"EXIT STATUS\"")?;
    let exit_codes = EXIT_CODES
        .strip_prefix("Exit status:\n")
        .unwrap_or(EXIT_CODES);
    preformatted(&mut page, exit_codes)?;
    for sub in commands(&cli) {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        let man = Man::new(sub.clone());
        let mut sections = Vec::new();
        man.render_synopsis_section(&mut sections)?;
        man.render_description_section(&mut sections)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut sections)?;
        }
        // Within a command's section its parts are subsections.
        let sections = String::from_utf8_lossy(&sections).replace("\n.SH ", "\n.SS ");
        let sections = sections
            .strip_prefix(".SH ")
            .map_or(sections.clone(), |rest| format!(".SS {rest}"));
        page.extend_from_slice(sections.as_bytes());
        if let Some(after) = sub.get_after_help() {
            writeln!(page, ".SS NOTES")?;
            preformatted(&mut page, &after.to_string())?;
        }
    }
    top.render_version_section(&mut page)?;
    Ok(title_first(&String::from_utf8_lossy(&page)).into_bytes())
}

/// The page with `.TH` as its first line, as man pages begin: clap_mangen
/// opens every section by defining the `Aq` string (an apostrophe); here
/// it is defined once, after the title.
fn title_first(page: &str) -> String {
    const AQ: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
    let mut out = String::with_capacity(page.len());
    for line in page.lines().filter(|l| !AQ.contains(l)) {
        out.push_str(line);
        out.push('\n');
        if line.starts_with(".TH ") {
            out.push_str(&AQ.join("\n"));
            out.push('\n');
        }
    }
    out
}

/// The commands, without clap's `help`.
fn commands(cli: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cli.get_subcommands().filter(|s| s.get_name() != "help")
}

/// `text` for a roff text line: backslashes and hyphens escaped, and no
/// leading `.` or `'` read as a request.
fn escape(text: &str) -> String {
    format!("\\&{}", text.replace('\\', "\\e").replace('-', "\\-"))
}

/// `text` as roff shows it line for line, escaped so no line is read as a
/// request.
fn preformatted(page: &mut Vec<u8>, text: &str) -> io::Result<()> {
    writeln!(page, ".nf")?;
    for line in text.lines() {
        writeln!(page, "{}", escape(line))?;
    }
    writeln!(page, ".fi")
}

fn print(bytes: &[u8]) -> Result<ExitCode> {
    crate::output::stdout_open()?;
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(write_error("<stdout>"))?;
    Ok(ExitCode::Success)
}
