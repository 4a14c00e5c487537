//! The rule sets that ship with tierplan: built into the binary, named by
//! `--rules NAME` (`--rules star`) and `init --from NAME`, and chosen by
//! themselves when a column profile recognises the export they are for.
//!
//! This module only lists them; the files are `rules/NAME.yaml`, and what
//! they decide is theirs alone.

/// One shipped rule set.
#[derive(Debug, PartialEq, Eq)]
pub struct Shipped {
    /// The name for `--rules`: the file's stem.
    pub name: &'static str,
    /// The YAML text of `rules/NAME.yaml`.
    pub text: &'static str,
    /// Its test cases, `rules/NAME.test.yaml` (`tierplan test NAME`).
    pub tests: &'static str,
}

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        &[$(Shipped {
            name: $name,
            text: include_str!(concat!("../../rules/", $name, ".yaml")),
            tests: include_str!(concat!("../../rules/", $name, ".test.yaml")),
        }),*]
    };
}

/// Every shipped rule set; the first is the default.
pub const SHIPPED: &[Shipped] = shipped![
    "default",
    "progress",
    "progress-referral",
    "star",
    "dibels8",
    "dibels8-composite",
    "iready",
    "fastbridge",
    "map-growth",
];

/// The rules used when neither `--rules` nor a recognised export names any.
pub const DEFAULT: &Shipped = &SHIPPED[0];

/// The shipped set called `name` (`star`, or `star.yaml` as a profile
/// names it), ignoring case.
pub fn find(name: &str) -> Option<&'static Shipped> {
    let stem = name.strip_suffix(".yaml").unwrap_or(name);
    SHIPPED.iter().find(|s| s.name.eq_ignore_ascii_case(stem))
}

/// The names, for messages and `--help`.
pub fn names() -> Vec<&'static str> {
    SHIPPED.iter().map(|s| s.name).collect()
}

impl Shipped {
    /// How messages name the set, in place of a file name.
    pub fn source_name(&self) -> String {
        format!("<built-in rules `{}`>", self.name)
    }

    /// How messages name the set's tests.
    pub fn tests_name(&self) -> String {
        format!("<built-in tests of `{}`>", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rules_file_in_the_repository_ships() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            if let Some(stem) = name.strip_suffix(".yaml")
                && !stem.ends_with(".test")
            {
                assert!(find(stem).is_some(), "rules/{name} is not in SHIPPED");
            }
        }
    }

    #[test]
    fn a_profile_s_file_name_finds_its_set() {
        assert_eq!(find("star.yaml").map(|s| s.name), Some("star"));
        assert_eq!(find("STAR").map(|s| s.name), Some("star"));
        assert_eq!(find("stars"), None);
    }
}
