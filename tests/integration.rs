//! The integration tests: one binary (`autotests = false`), one module per
//! subcommand or concern, each test a short session with `tierplan` in a
//! temporary folder (see `util`).

mod check;
mod errors;
mod explain;
mod formats;
mod init;
mod oneroster;
mod plan;
mod progress;
mod sources;
mod util;
