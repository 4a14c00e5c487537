//! tierplan turns assessment results into an instructional plan.
//!
//! It loads a YAML decision tree (the [`rules`]), reads a CSV of results
//! ([`ingest`]), makes a section-level pass and then runs every student
//! through the tree ([`engine`]), and writes a grouped plan ([`plan`],
//! [`render`], [`output`]). Data flows one way:
//!
//! `cli` → `options` → `rules` (load, validate, compile against the header)
//! → `ingest` → `engine` → `plan` → `render` → `output`.
//!
//! The library API is not stable; the command line, the rules format and the
//! CSV/JSON output shapes are.

pub mod cli;
pub mod cmd;
pub mod condition;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod engine;
pub mod error;
pub mod hash;
pub mod header;
pub mod ingest;
pub mod meter;
pub mod options;
pub mod output;
pub mod plan;
pub mod printable;
pub mod progress;
pub mod redact;
pub mod render;
pub mod rules;
pub mod testing;

use cli::{Cli, Command};
pub use error::{Error, ExitCode, Result};
use options::{CheckOptions, DiffOptions, ExplainOptions, InitOptions, PlanOptions, TestOptions};

/// Run one command: its options resolved, then the command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Plan(args) => cmd::plan::run(PlanOptions::resolve(args)?),
        Command::Explain(args) => cmd::explain::run(ExplainOptions::resolve(args)?),
        Command::Check(args) => cmd::check::run(CheckOptions::resolve(args)?),
        Command::Diff(args) => cmd::diff::run(DiffOptions::resolve(args)?),
        Command::Init(args) => cmd::init::run(InitOptions::resolve(args)?),
        Command::Profiles => cmd::profiles::run(),
        Command::Codes(args) => cmd::codes::run(args),
        Command::Test(args) => cmd::test::run(TestOptions::resolve(args)),
    }
}
