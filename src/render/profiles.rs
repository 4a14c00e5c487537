//! `tierplan profiles`: the exports tierplan recognises, the headers each
//! is known by and the shipped rules that go with it, as text.

use std::io::{self, Write};

use crate::ingest::profile::Profile;
use crate::rules::shipped;

/// Every profile, then how a file is matched to one.
pub(crate) fn write(out: &mut dyn Write, profiles: &[Profile]) -> io::Result<()> {
    for p in profiles {
        writeln!(out, "{}  {}", p.name, p.label)?;
        writeln!(out, "    recognised by: {}", p.headers().join(", "))?;
        if let Some(set) = p.rules.as_deref().and_then(shipped::find) {
            writeln!(
                out,
                "    rules: `{}`, built in and used by themselves (`tierplan init --from {}` copies them)",
                set.name, set.name
            )?;
        }
    }
    writeln!(
        out,
        "\nA file is read with the first profile whose headers it has; `--profile NAME` chooses one,\n`--profile none` reads the file as plain CSV. `--rules FILE|NAME` plans with other rules."
    )?;
    out.flush()
}
