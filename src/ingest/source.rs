//! What each input is, decided once, before anything reads it: a OneRoster
//! bundle, a workbook (whose sheet is then read as CSV and looked at
//! again), an export a built-in profile reshapes, item responses a
//! blueprint scores, or CSV in the rules' own layout. A new kind of input
//! is a new [`Source`] and a new arm where [`super::prepare`] reads it.

use std::io::Read;
use std::path::PathBuf;

use super::binary;
use super::input::Input;
use super::oneroster;
use super::profile::{self, Profile};
use super::workbook::{self, Kind};
use super::zipped::{self, Zipped};
use crate::error::Result;

/// `--profile`, resolved.
#[derive(Debug, Clone)]
pub(crate) enum ProfileChoice {
    /// No flag: recognise each input's profile from its header.
    Recognise,
    /// `--profile none`: read every input as plain CSV.
    Plain,
    /// `--profile NAME`: read every input with that profile.
    Named(Box<Profile>),
}

impl ProfileChoice {
    /// The choice `--profile` makes (`None`: the flag is absent).
    pub(crate) fn of(flag: Option<&str>) -> Result<Self> {
        Ok(match flag {
            None => ProfileChoice::Recognise,
            Some(name) if name.eq_ignore_ascii_case("none") => ProfileChoice::Plain,
            Some(name) => ProfileChoice::Named(Box::new(profile::by_name(name)?)),
        })
    }
}

/// What one input is.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// A OneRoster bundle: a folder or a zip file of the standard's CSVs.
    Bundle(PathBuf),
    /// A spreadsheet: one of its sheets is read as CSV.
    Workbook(Kind),
    /// A file a profile reshapes into one row per student.
    Export {
        profile: Box<Profile>,
        /// The file's own header, when the profile was recognised from it
        /// rather than chosen: rules that name the export's own columns
        /// then read the file as it is.
        recognised_from: Option<Vec<String>>,
    },
    /// CSV read as it is, a row per student in the rules' own layout.
    Plain,
}

impl Source {
    /// What `input` is under `choice`; `items` is the profile for item
    /// responses when a blueprint scores them (a file no profile
    /// recognises is then read as answers to questions).
    pub(crate) fn detect(
        input: &Input,
        choice: &ProfileChoice,
        items: Option<&Profile>,
    ) -> Result<Source> {
        if let Some(path) = input.path()
            && oneroster::is_bundle(path)
        {
            return Ok(Source::Bundle(path.to_owned()));
        }
        // The first bytes, read once: a zip by them, whatever its name, is
        // a bundle, a workbook or an error saying what it is (never CSV
        // made of compressed bytes); so is a PDF or an image.
        let head = first_bytes(input);
        match packaged(input, &head)? {
            Some(Zipped::Workbook(kind)) => return Ok(Source::Workbook(kind)),
            Some(Zipped::Bundle) => {
                if let Some(path) = input.path() {
                    return Ok(Source::Bundle(path.to_owned()));
                }
            }
            None => {}
        }
        binary::refuse(input, &head)?;
        Ok(match choice {
            ProfileChoice::Plain => Source::Plain,
            ProfileChoice::Named(profile) => Source::Export {
                profile: profile.clone(),
                recognised_from: None,
            },
            ProfileChoice::Recognise => {
                let header = input.csv()?.header;
                match profile::detect(&header)?.or_else(|| items.cloned()) {
                    Some(profile) => Source::Export {
                        profile: Box::new(profile),
                        recognised_from: Some(header),
                    },
                    None => Source::Plain,
                }
            }
        })
    }
}

/// A file that must be a table (a blueprint) as CSV to read: a workbook's
/// first sheet, or the file itself; a PDF, an image or a zip that is not a
/// workbook is an error saying what it is.
pub(crate) fn table_of(input: Input) -> Result<Input> {
    let head = first_bytes(&input);
    let Some(Zipped::Workbook(kind)) = packaged(&input, &head)? else {
        binary::refuse(&input, &head)?;
        return Ok(input);
    };
    Ok(workbook::read(&input, kind, None, &[])?.0)
}

/// What `input`, whose first bytes are `head`, packs when it is not text: a
/// bundle or a workbook in a zip, or an Excel 97-2003 workbook (an OLE2
/// file); `None` for anything else.
fn packaged(input: &Input, head: &[u8]) -> Result<Option<Zipped>> {
    Ok(match zipped::zipped(input, head)? {
        None if head.starts_with(workbook::OLE2) => Some(Zipped::Workbook(Kind::Xls)),
        other => other,
    })
}

/// The first [`binary::HEAD`] bytes of `input` (a zip's signature is
/// shorter); none when it cannot be read, for reading it as CSV to say why.
fn first_bytes(input: &Input) -> Vec<u8> {
    let mut head = Vec::with_capacity(binary::HEAD);
    if let Ok(reader) = input.open(false) {
        let _ = reader.take(binary::HEAD as u64).read_to_end(&mut head);
    }
    head
}
