//! The container of a OneRoster bundle: a folder, or a `.zip` holding the
//! files at its top or in one folder. Files are found by name ignoring case,
//! and a zipped file is unzipped into memory up to [`MEMBER_LIMIT`] bytes (a
//! guard against zip bombs). What the files say is read elsewhere.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Location, list};
use crate::error::{Error, Result};
use crate::ingest::input::Input;
use crate::ingest::only::some_of;

/// The most a file of a zipped bundle may hold once decompressed.
pub(super) const MEMBER_LIMIT: u64 = 256 * 1024 * 1024;

/// The most names a message lists (bundles in one zip) before `and N more`.
const MAX_NAMED: usize = 5;

/// Whether `path` is a OneRoster bundle: a folder holding `manifest.csv`,
/// or a `.zip` file holding it (at its top or inside one top-level folder).
pub(crate) fn is_bundle(path: &Path) -> bool {
    if path.is_dir() {
        return std::fs::read_dir(path).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().eq_ignore_ascii_case("manifest.csv") && e.path().is_file())
        });
    }
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if !is_zip || !path.is_file() {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let Ok(archive) = zip::ZipArchive::new(file) else {
        return false;
    };
    zip_entries(&archive)
        .iter()
        .any(|e| e.base.eq_ignore_ascii_case("manifest.csv"))
}

pub(super) struct Bundle {
    /// The path as the user gave it.
    pub(super) given: String,
    pub(super) base: Base,
    /// Files by lowercased name.
    pub(super) files: HashMap<String, Vec<Member>>,
    pub(super) archive: Option<zip::ZipArchive<File>>,
    /// The most a file of the zip may hold once decompressed.
    pub(super) limit: u64,
}

pub(super) enum Base {
    Folder(PathBuf),
    /// The folder inside the zip holding the files (`""` or `bundle/`).
    Zip(String),
}

#[derive(Clone)]
pub(super) struct Member {
    /// The file's name, as found.
    pub(super) name: String,
    /// How messages name it.
    pub(super) display: String,
    pub(super) place: Place,
}

#[derive(Clone)]
pub(super) enum Place {
    Path(PathBuf),
    Zip(usize),
}

/// A file entry of a zip, split into folder and name.
pub(super) struct ZipEntry {
    pub(super) index: usize,
    pub(super) full: String,
    /// The top-level folder (`""` at the top).
    pub(super) folder: String,
    pub(super) base: String,
}

/// The file entries of a zip at its top or one folder deep, leaving out
/// macOS resource forks.
pub(super) fn zip_entries(archive: &zip::ZipArchive<File>) -> Vec<ZipEntry> {
    let mut out = Vec::new();
    for (index, name) in archive.file_names().enumerate() {
        let Ok(full) = name else { continue };
        if full.ends_with('/') || full.ends_with('\\') {
            continue;
        }
        let parts: Vec<&str> = full
            .split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let (folder, base) = match parts.as_slice() {
            [base] => (String::new(), *base),
            [folder, base] => (format!("{folder}/"), *base),
            _ => continue,
        };
        if folder.starts_with("__MACOSX") || base.starts_with("._") {
            continue;
        }
        out.push(ZipEntry {
            index,
            full: full.to_string(),
            folder,
            base: base.to_owned(),
        });
    }
    out
}

impl Bundle {
    pub(super) fn open(path: &Path) -> Result<Bundle> {
        let given = path.display().to_string();
        if path.is_dir() {
            let mut files: HashMap<String, Vec<Member>> = HashMap::new();
            let entries = std::fs::read_dir(path).map_err(|e| Error::io("read", path, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("read", path, e))?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                let full = entry.path();
                if !full.is_file() {
                    continue;
                }
                files
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(Member {
                        display: full.display().to_string(),
                        name,
                        place: Place::Path(full),
                    });
            }
            for members in files.values_mut() {
                members.sort_by(|a, b| a.name.cmp(&b.name));
            }
            no_two_alike(&given, &files)?;
            return Ok(Bundle {
                given,
                base: Base::Folder(path.to_owned()),
                files,
                archive: None,
                limit: MEMBER_LIMIT,
            });
        }
        let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| {
            Error::problem(
                Diagnostic::error(
                    Code::BadZip,
                    format!("`{given}` is a damaged or truncated zip file: {e}"),
                )
                .at(Location::file(&given))
                .help(
                    "copy or download the zip again (it may have been cut short), or give the \
                     folder it unzips to",
                ),
            )
        })?;
        if archive.has_duplicate_names() {
            return Err(duplicate_entries(&given, path, &archive));
        }
        let entries = zip_entries(&archive);
        let mut folders: Vec<&str> = Vec::new();
        for e in &entries {
            if e.base.eq_ignore_ascii_case("manifest.csv") && !folders.contains(&e.folder.as_str())
            {
                folders.push(&e.folder);
            }
        }
        // A manifest at the top wins; otherwise the one folder holding one.
        let folder = if folders.contains(&"") {
            String::new()
        } else {
            match folders.as_slice() {
                [] => String::new(),
                [one] => (*one).to_owned(),
                several => {
                    let names: Vec<String> =
                        several.iter().map(|f| format!("{f}manifest.csv")).collect();
                    return Err(Error::problem(
                        Diagnostic::error(
                            Code::SeveralBundles,
                            format!(
                                "`{given}` holds {} OneRoster bundles: {}",
                                several.len(),
                                some_of(&names, MAX_NAMED)
                            ),
                        )
                        .at(Location::file(&given))
                        .help("zip one bundle at a time, or unzip it and give the bundle's folder"),
                    ));
                }
            }
        };
        let mut files: HashMap<String, Vec<Member>> = HashMap::new();
        for e in entries.into_iter().filter(|e| e.folder == folder) {
            files
                .entry(e.base.to_ascii_lowercase())
                .or_default()
                .push(Member {
                    display: format!("{given}:{}", e.full),
                    name: e.base,
                    place: Place::Zip(e.index),
                });
        }
        no_two_alike(&given, &files)?;
        Ok(Bundle {
            given,
            base: Base::Zip(folder),
            files,
            archive: Some(archive),
            limit: MEMBER_LIMIT,
        })
    }

    /// The file named `name` (case-insensitive; [`no_two_alike`] saw to it
    /// that a CSV file has one match).
    pub(super) fn member(&self, name: &str) -> Option<&Member> {
        let members = self.files.get(&name.to_ascii_lowercase())?;
        members
            .iter()
            .find(|m| m.name == name)
            .or_else(|| members.first())
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.member(name).is_some()
    }

    /// How messages name `name`, present or not.
    pub(super) fn display(&self, name: &str) -> String {
        if let Some(member) = self.member(name) {
            return member.display.clone();
        }
        match &self.base {
            Base::Folder(dir) => dir.join(name).display().to_string(),
            Base::Zip(folder) => format!("{}:{folder}{name}", self.given),
        }
    }

    /// The file as an input, `None` when the bundle lacks it.
    pub(super) fn input(&mut self, name: &str) -> Result<Option<Input>> {
        let Some(member) = self.member(name).cloned() else {
            return Ok(None);
        };
        match member.place {
            Place::Path(path) => Ok(Some(Input::file(path))),
            Place::Zip(index) => {
                let bytes = self.unzip(index, &member.display)?;
                Ok(Some(Input::memory(&member.display, bytes)))
            }
        }
    }

    /// A file of the zip, decompressed, at most `self.limit` bytes (a
    /// guard against zip bombs).
    pub(super) fn unzip(&mut self, index: usize, display: &str) -> Result<Vec<u8>> {
        let limit = self.limit;
        let size = if limit.is_multiple_of(1 << 20) {
            format!("{} MiB", limit >> 20)
        } else {
            format!("{limit} bytes")
        };
        let bad = |e: &dyn std::fmt::Display| {
            Error::problem(
                Diagnostic::error(Code::BadZip, format!("cannot unzip `{display}`: {e}"))
                    .at(Location::file(display))
                    .help(
                        "zip the bundle again with ordinary (deflate) compression and no password, \
                         or unzip it and give the folder",
                    ),
            )
        };
        let too_large = || {
            Error::problem(
                Diagnostic::error(
                    Code::FileTooLarge,
                    format!("`{display}` is larger than {size} once unzipped"),
                )
                .at(Location::file(display))
                .help(format!(
                    "tierplan reads bundle files of up to {size} each; export one school or one \
                     class at a time"
                )),
            )
        };
        let Some(archive) = self.archive.as_mut() else {
            return Err(bad(&"the zip is not open"));
        };
        let mut file = archive.by_index(index).map_err(|e| bad(&e))?;
        if file.size() > limit {
            return Err(too_large());
        }
        let capacity = usize::try_from(file.size().min(1 << 24)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(capacity);
        (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| bad(&e))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    }
}

/// Two CSV files of a bundle whose names differ only in case
/// (`users.csv`, `Users.csv`) are an error naming both: tierplan cannot
/// tell which is the export, and reading one quietly would plan on the
/// wrong students.
fn no_two_alike(given: &str, files: &HashMap<String, Vec<Member>>) -> Result<()> {
    let mut alike: Vec<&Vec<Member>> = files
        .iter()
        .filter(|(name, members)| name.ends_with(".csv") && members.len() > 1)
        .map(|(_, members)| members)
        .collect();
    alike.sort_by(|a, b| a[0].name.cmp(&b[0].name));
    let Some(members) = alike.first() else {
        return Ok(());
    };
    let mut names: Vec<&str> = members.iter().map(|m| m.display.as_str()).collect();
    names.sort_unstable();
    Err(Error::problem(
        Diagnostic::error(
            Code::DuplicateFile,
            format!(
                "the OneRoster bundle `{given}` holds {} files named `{}` (ignoring case): {}",
                members.len(),
                members[0].name.to_ascii_lowercase(),
                list(&names)
            ),
        )
        .at(Location::file(given))
        .help("keep one of them, the export tierplan should read, and remove or rename the others"),
    ))
}

/// A zip whose directory lists one name twice (a tool appended a second
/// copy): the error names it. The zip library keeps one entry per name, so
/// the names are read from the zip's central directory here.
fn duplicate_entries(given: &str, path: &Path, archive: &zip::ZipArchive<File>) -> Error {
    let names = directory_names(path, archive.central_directory_start()).unwrap_or_default();
    let mut twice: Vec<String> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) && !twice.contains(name) {
            twice.push(name.clone());
        }
    }
    let what = if twice.is_empty() {
        "a file name twice".to_owned()
    } else {
        format!("{} twice", some_of(&twice, MAX_NAMED))
    };
    Error::problem(
        Diagnostic::error(
            Code::DuplicateFile,
            format!("`{given}` lists {what}, so which copy is the export is unknown"),
        )
        .at(Location::file(given))
        .help("zip the bundle again from its folder, with one copy of each file"),
    )
}

/// The file names in a zip's central directory, in order, duplicates kept.
fn directory_names(path: &Path, start: u64) -> std::io::Result<Vec<String>> {
    use std::io::{BufReader, Seek, SeekFrom};
    let mut file = BufReader::new(File::open(path)?);
    file.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    let mut header = [0u8; 46];
    // Each entry: a 46-byte header (signature `PK\x01\x02`; the name's,
    // the extra field's and the comment's lengths at 28, 30 and 32), then
    // the name, the extra field and the comment.
    while file.read_exact(&mut header).is_ok() && header.starts_with(b"PK\x01\x02") {
        let len = |at: usize| usize::from(u16::from_le_bytes([header[at], header[at + 1]]));
        let mut name = vec![0u8; len(28)];
        file.read_exact(&mut name)?;
        file.seek_relative(i64::try_from(len(30) + len(32)).unwrap_or(0))?;
        names.push(String::from_utf8_lossy(&name).into_owned());
    }
    Ok(names)
}
