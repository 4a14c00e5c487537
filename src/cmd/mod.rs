//! One module per subcommand, each `run(options) -> Result<ExitCode>`: glue
//! only (load → decide → render), no printing but to the writer it is given.

pub(crate) mod check;
pub(crate) mod codes;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod init;
pub(crate) mod plan;
pub(crate) mod profiles;
pub(crate) mod shell;
pub(crate) mod sql;
pub(crate) mod test;
