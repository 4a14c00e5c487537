//! `init`, resolved: the folder, and the shipped set to copy into it.

use std::path::PathBuf;

use crate::cli::InitArgs;
use crate::diagnostic::{did_you_mean, list};
use crate::error::{Error, Result};
use crate::rules::{Shipped, shipped};

/// `init`, resolved.
#[derive(Debug)]
pub(crate) struct InitOptions {
    /// The folder to write into.
    pub dir: PathBuf,
    /// The shipped set to copy.
    pub set: &'static Shipped,
}

impl InitOptions {
    pub(crate) fn resolve(args: InitArgs) -> Result<Self> {
        let from = args.from.as_deref().unwrap_or(shipped::DEFAULT.name);
        let Some(set) = shipped::find(from) else {
            let names = shipped::names();
            let hint = did_you_mean(from, names.iter().copied())
                .unwrap_or_else(|| format!("the shipped rules are {}", list(&names)));
            return Err(Error::usage(format!("no shipped rules `{from}`; {hint}")));
        };
        Ok(InitOptions { dir: args.dir, set })
    }
}
