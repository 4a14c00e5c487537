//! The integration tests: one binary (`autotests = false`), one module per
//! subcommand or concern, each test a short session with `tierplan` in a
//! temporary folder (see `util`).

mod bad;
mod browser;
mod check;
mod codes;
mod config;
mod diff;
mod errors;
mod explain;
mod formats;
mod formulas;
mod init;
mod layout;
mod look;
mod plan;
mod privacy;
mod process;
mod progress;
mod properties;
mod rules_test;
mod shell;
mod sources;
mod sql;
mod tables;
mod util;
