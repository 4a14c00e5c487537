//! One module per subcommand, each `run(options) -> Result<ExitCode>`: glue
//! only (load → decide → render), no printing but to the writer it is given.

pub mod check;
pub mod codes;
pub mod diff;
pub mod explain;
pub mod init;
pub mod plan;
pub mod profiles;
pub mod test;
