//! A zip file given as data (found by its first bytes, whatever its name):
//! a OneRoster bundle or a workbook (`.xlsx`, `.ods`) is read as one;
//! anything else (a damaged zip, a zip in a zip, other files) is an error
//! saying what it is and what tierplan reads, rather than CSV made of
//! compressed bytes. The bundle itself is read by [`super::oneroster`], the
//! workbook by [`super::workbook`].

use std::fs::File;
use std::io::{Cursor, Read, Seek};

use super::input::{Input, Source};
use super::workbook::{self, Kind};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};
use crate::ingest::only::some_of;

/// The first bytes of a zip file: a file's local header, or the end of an
/// empty zip's directory.
const MAGIC: [&[u8; 4]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];

/// The most names of a zip's files a message lists.
const MAX_NAMED: usize = 3;

/// What tierplan reads, for the help of a zip it does not.
const READS: &str = "tierplan reads CSV files, workbooks (.xlsx, .xls, .ods), and OneRoster \
                     bundles (a folder or a .zip file holding `manifest.csv`, at its top or in \
                     one folder)";

/// What a zip file given as data holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zipped {
    Bundle,
    Workbook(Kind),
}

/// What `input`, whose first bytes are `head`, holds when it is a zip: a
/// OneRoster bundle or a workbook; `None` when it is not a zip at all; an
/// error for a zip tierplan does not read.
pub(crate) fn zipped(input: &Input, head: &[u8]) -> Result<Option<Zipped>> {
    if !MAGIC.iter().any(|m| head.starts_with(&m[..])) {
        return Ok(None);
    }
    match &input.source {
        Source::File(path) => {
            let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
            inspect(&input.name, file, true)
        }
        Source::Memory(bytes) => inspect(&input.name, Cursor::new(&bytes[..]), false),
        // A table tierplan built is CSV.
        Source::Table(_) => Ok(None),
    }
}

fn inspect(name: &str, reader: impl Read + Seek, is_file: bool) -> Result<Option<Zipped>> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| {
        Error::problem(
            Diagnostic::error(
                Code::BadZip,
                format!("`{name}` is a zip file, but a damaged or truncated one: {e}"),
            )
            .at(Location::file(name))
            .help(
                "copy or download it again (it may have been cut short); if it is a OneRoster \
                 bundle, its folder can be given instead",
            ),
        )
    })?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(std::result::Result::ok)
        .filter(|n| !n.ends_with('/') && !n.starts_with("__MACOSX"))
        .map(|n| n.into_owned())
        .collect();
    let mimetype = read_mimetype(&mut archive);
    if let Some(kind) = workbook::kind_of_zip(&names, mimetype.as_deref()) {
        return Ok(Some(Zipped::Workbook(kind)));
    }
    let base = |n: &str| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned();
    let depth = |n: &str| n.split(['/', '\\']).filter(|p| !p.is_empty()).count();
    let manifests: Vec<&String> = names
        .iter()
        .filter(|n| base(n).eq_ignore_ascii_case("manifest.csv"))
        .collect();
    if manifests.iter().any(|n| depth(n) <= 2) {
        if is_file {
            return Ok(Some(Zipped::Bundle));
        }
        return Err(not_a_bundle(
            name,
            "holds a OneRoster bundle, which tierplan reads only from a file or a folder".into(),
            "save it and give its path: `tierplan plan bundle.zip`".into(),
        ));
    }
    let (what, help) = if let Some(deep) = manifests.first() {
        (
            format!(
                "is a zip file that is not a OneRoster bundle: its `manifest.csv` is `{deep}`, more than one folder deep"
            ),
            format!("unzip it and give the folder that holds `manifest.csv`; {READS}"),
        )
    } else {
        let zips: Vec<String> = names
            .iter()
            .filter(|n| n.to_ascii_lowercase().ends_with(".zip"))
            .map(|n| base(n))
            .collect();
        let csvs: Vec<String> = names
            .iter()
            .filter(|n| n.to_ascii_lowercase().ends_with(".csv"))
            .map(|n| base(n))
            .collect();
        let what = "is a zip file that is not a OneRoster bundle (it has no `manifest.csv`)";
        if !zips.is_empty() {
            (
                format!(
                    "{what}: it holds another zip file, {}",
                    some_of(&zips, MAX_NAMED)
                ),
                format!("unzip it and give the zip file inside; {READS}"),
            )
        } else if !csvs.is_empty() {
            (
                format!("{what}: it holds {}", some_of(&csvs, MAX_NAMED)),
                format!("unzip it and give the CSV file inside; {READS}"),
            )
        } else {
            (
                what.to_owned(),
                format!("unzip it and give the CSV file inside; {READS}"),
            )
        }
    };
    Err(not_a_bundle(name, what, help))
}

/// An OpenDocument file's `mimetype`, its first file (a few bytes).
fn read_mimetype(archive: &mut zip::ZipArchive<impl Read + Seek>) -> Option<String> {
    let file = archive.by_name("mimetype").ok()?;
    let mut text = String::new();
    file.take(200).read_to_string(&mut text).ok()?;
    Some(text)
}

fn not_a_bundle(name: &str, what: String, help: String) -> Error {
    Error::problem(
        Diagnostic::error(Code::NotABundle, format!("`{name}` {what}"))
            .at(Location::file(name))
            .help(help),
    )
}
