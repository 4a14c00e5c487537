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
//!
//! The library exists for `main.rs`, the benchmarks (`benches/hot.rs`) and
//! the fuzz targets (`fuzz/`), and its public surface is what they use:
//! [`run`] and [`cli::Cli`]; the condition language ([`condition`]: parse,
//! compile, evaluate); loading rules ([`rules::load`], [`rules::from_text`]);
//! reading and deciding ([`ingest::Input`], [`engine::Run`]); collecting and
//! rendering a plan ([`plan::Collector`], [`render`]); and the diagnostic
//! codes ([`diagnostic::Code`]). Everything else is `pub(crate)`, and the
//! `unreachable_pub` lint (Cargo.toml) keeps it so.

pub mod cli;
mod cmd;
pub mod condition;
pub mod date;
pub mod diagnostic;
mod diff;
pub mod engine;
mod error;
mod hash;
mod header;
pub mod ingest;
mod meter;
mod options;
mod output;
pub mod plan;
pub mod printable;
mod progress;
mod redact;
pub mod render;
pub mod rules;
mod sql;
mod testing;

use cli::{Cli, Command};
pub use error::{Error, ExitCode, Result};
use options::{
    CheckOptions, DiffOptions, ExplainOptions, Global, InitOptions, PlanOptions, SqlOptions,
    TestOptions,
};

/// Run one command: its options resolved, then the command. The defaults
/// file is read only by the commands that use it.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let global = cli.global;
    let global = move || Global::resolve(global);
    match cli.command {
        Command::Plan(args) => cmd::plan::run(PlanOptions::resolve(args, &global()?)?),
        Command::Explain(args) => cmd::explain::run(ExplainOptions::resolve(args, &global()?)?),
        Command::Check(args) => cmd::check::run(CheckOptions::resolve(args, &global()?)?),
        Command::Diff(args) => cmd::diff::run(DiffOptions::resolve(args, &global()?)?),
        Command::Config(args) => cmd::config::run(&global()?, &args),
        Command::Sql(args) => cmd::sql::run(SqlOptions::resolve(args, &global()?)?),
        Command::Init(args) => cmd::init::run(InitOptions::resolve(args)?),
        Command::Profiles => cmd::profiles::run(),
        Command::Codes(args) => cmd::codes::run(args),
        Command::Test(args) => cmd::test::run(TestOptions::resolve(args)),
        Command::Completions(args) => cmd::shell::completions(args.shell),
        Command::Man => cmd::shell::man(),
    }
}
