//! `manifest.csv`: which files the bundle declares `bulk`, `delta` or
//! `absent`, read leniently (a misspelt key or value is a note), and the
//! opening of each other file with what the manifest says of it.

use std::collections::HashMap;

use super::container::Bundle;
use super::sheet::Sheet;
use crate::diagnostic::{Code, Diagnostic, Location, suggest};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Declared {
    Bulk,
    Delta,
    Absent,
}

/// What `manifest.csv` says of each file: lowercased file name → how it is
/// declared and the manifest's line.
#[derive(Default)]
pub(super) struct Manifest {
    pub(super) display: String,
    pub(super) files: HashMap<String, (Declared, u64)>,
}

impl Manifest {
    pub(super) fn declared(&self, name: &str) -> Option<(Declared, u64)> {
        self.files.get(&name.to_ascii_lowercase()).copied()
    }
}

pub(super) fn read_manifest(bundle: &mut Bundle, notes: &mut Vec<Diagnostic>) -> Result<Manifest> {
    let display = bundle.display("manifest.csv");
    let mut manifest = Manifest {
        display: display.clone(),
        ..Manifest::default()
    };
    let Some(input) = bundle.input("manifest.csv")? else {
        return Err(Error::problem(
            Diagnostic::error(
                Code::MissingFile,
                format!("the OneRoster bundle has no `manifest.csv` (looked for `{display}`)"),
            )
            .at(Location::file(&display))
            .help(
                "a OneRoster bundle holds `manifest.csv` beside `users.csv` and the other files; \
                 give the folder the export unzips to, or the .zip itself",
            ),
        ));
    };
    let Some(mut sheet) = Sheet::open(&input, notes)? else {
        return Ok(manifest);
    };
    let key = sheet.need("propertyName")?;
    let value = sheet.need("value")?;
    while sheet.next()? {
        let property = sheet.text(Some(key));
        let declared = sheet.text(Some(value)).to_ascii_lowercase();
        let Some((prefix, file)) = property.split_once('.') else {
            continue;
        };
        if !prefix.eq_ignore_ascii_case("file") {
            if suggest(prefix, ["file"]).is_none() || file.is_empty() {
                continue;
            }
            notes.push(
                Diagnostic::warning(
                    Code::ManifestKey,
                    format!("read `{property}` as `file.{file}`"),
                )
                .at(Location::cell(
                    &display,
                    sheet.line(),
                    key + 1,
                    "propertyName",
                )),
            );
        }
        let declared = match declared.as_str() {
            "" => continue,
            "bulk" => Declared::Bulk,
            "delta" => Declared::Delta,
            "absent" => Declared::Absent,
            other => {
                notes.push(
                    Diagnostic::warning(
                        Code::ManifestValue,
                        format!("`{property}` is `{other}`, not `bulk`, `delta` or `absent`"),
                    )
                    .at(Location::cell(
                        &display,
                        sheet.line(),
                        value + 1,
                        "value",
                    )),
                );
                continue;
            }
        };
        let name = format!("{}.csv", file.to_ascii_lowercase());
        manifest.files.insert(name, (declared, sheet.line()));
    }
    let mut absent: Vec<(&String, u64)> = manifest
        .files
        .iter()
        .filter(|(name, (d, _))| *d == Declared::Absent && bundle.has(name))
        .map(|(name, (_, line))| (name, *line))
        .collect();
    absent.sort_by_key(|&(_, line)| line);
    for (name, line) in absent {
        let found = bundle
            .member(name)
            .map_or(name.as_str(), |m| m.name.as_str());
        notes.push(
            Diagnostic::warning(
                Code::ManifestAbsent,
                format!("the manifest declares `{found}` absent, and the bundle has it"),
            )
            .at(Location::line(&display, line))
            .help("tierplan reads the file anyway; check that the export is complete"),
        );
    }
    Ok(manifest)
}

/// Whether a file must be in the bundle.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    Required(&'static str),
    Optional,
}

impl Sheet {
    /// Open a file of the bundle by name.
    pub(super) fn from_bundle(
        bundle: &mut Bundle,
        manifest: &Manifest,
        notes: &mut Vec<Diagnostic>,
        name: &str,
        need: Need,
    ) -> Result<Option<Sheet>> {
        let declared = manifest.declared(name);
        let Some(input) = bundle.input(name)? else {
            let display = bundle.display(name);
            if let Need::Required(what) = need {
                let manifest_says = match declared {
                    Some((Declared::Absent, line)) => format!(
                        "; the manifest declares it absent (`{}`, line {line})",
                        manifest.display
                    ),
                    _ => String::new(),
                };
                return Err(Error::problem(
                    Diagnostic::error(
                        Code::MissingFile,
                        format!("the OneRoster bundle has no `{name}`{manifest_says}"),
                    )
                    .at(Location::file(&display))
                    .help(format!(
                        "tierplan reads {what} from `{name}`: export it with the bundle"
                    )),
                ));
            }
            if let Some((Declared::Bulk | Declared::Delta, line)) = declared {
                notes.push(
                    Diagnostic::warning(
                        Code::MissingFile,
                        format!("the manifest lists `{name}`, and the bundle does not have it"),
                    )
                    .at(Location::line(&manifest.display, line)),
                );
            }
            return Ok(None);
        };
        if let Some((Declared::Delta, line)) = declared {
            notes.push(
                Diagnostic::warning(
                    Code::DeltaFile,
                    format!(
                        "`{name}` is declared `delta` (changes only); tierplan reads it as if it \
                         were complete"
                    ),
                )
                .at(Location::line(&manifest.display, line))
                .help("export a bulk bundle for a complete roster and gradebook"),
            );
        }
        Sheet::open(&input, notes)
    }
}
