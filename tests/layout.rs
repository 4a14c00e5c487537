//! The layout holds: no source file over 600 lines of code outside its
//! tests, and no import circle between sibling modules (clippy's
//! `too_many_lines`, set to 120 in `clippy.toml`, holds the functions).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::util::repo;

/// The most lines of code (not blank, a comment or an attribute) a file
/// holds before its `#[cfg(test)]` module.
const MAX_CODE_LINES: usize = 600;

/// Every `.rs` file under `src/`, as (module path, text before its tests).
fn modules() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, module: &[String], out: &mut Vec<(Vec<String>, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let mut inner = module.to_vec();
            if path.is_dir() {
                inner.push(stem);
                walk(&path, &inner, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            if !["mod", "lib", "main"].contains(&stem.as_str()) {
                inner.push(stem);
            }
            let text = fs::read_to_string(&path).unwrap();
            // The code before the tests, without comments and attributes
            // (which may name a module in words).
            let code = text.split("\n#[cfg(test)]").next().unwrap();
            let code = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//") && !l.trim_start().starts_with("#["))
                .collect::<Vec<_>>()
                .join("\n");
            out.push((inner, code));
        }
    }
    let mut out = Vec::new();
    walk(&repo("src"), &[], &mut out);
    out
}

fn code_lines(text: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count()
}

#[test]
fn no_source_file_is_over_600_lines_of_code() {
    let long: Vec<String> = modules()
        .iter()
        .map(|(module, code)| (module.join("::"), code_lines(code)))
        .filter(|&(_, n)| n > MAX_CODE_LINES)
        .map(|(module, n)| format!("{module}: {n}"))
        .collect();
    assert!(long.is_empty(), "split these by concern: {long:?}");
}

/// The module paths `text`, in `module`, names: `crate::a::b` and
/// `super::c` paths, in `use` trees (`use crate::{a::X, b::{Y, Z}}`) and
/// inline.
fn references(module: &[String], text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    // Inline paths and simple `use` lines.
    let bytes = text.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let rest = &text[at..];
            let end = rest
                .find(|c: char| {
                    !(c.is_ascii_alphanumeric()
                        || c == '_'
                        || c == ':'
                        || c == '{'
                        || c == '}'
                        || c == ','
                        || c == ' '
                        || c == '\n'
                        || c == '*')
                })
                .unwrap_or(rest.len());
            expand(&rest[..end], &mut Vec::new(), &mut out);
        }
    }
    out.into_iter()
        .filter_map(|path| {
            let mut parts = path.into_iter();
            let mut base: Vec<String> = match parts.next()?.as_str() {
                "crate" => Vec::new(),
                // A file's `self` is itself; `super` of `a::b` (`a/b.rs` or
                // `a/b/mod.rs`) is `a`.
                "self" => module.to_vec(),
                "super" => {
                    let mut parent = module.to_vec();
                    parent.pop();
                    parent
                }
                _ => return None,
            };
            for part in parts {
                if part == "super" {
                    base.pop();
                } else {
                    base.push(part);
                }
            }
            Some(base)
        })
        .collect()
}

/// The paths of one `use` tree: `crate::{a::X, b::{Y, Z}}` is `crate::a::X`,
/// `crate::b::Y` and `crate::b::Z`.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let mut path = prefix.clone();
        path.extend(
            tree.split("::")
                .map(str::trim)
                .filter(|p| !p.is_empty() && *p != "*")
                .map(str::to_owned),
        );
        out.push(path);
        return;
    };
    let depth_before = prefix.len();
    prefix.extend(
        tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
    );
    // The items inside the braces, split at the commas of this level.
    let inner = &tree[open + 1..];
    let (mut level, mut from) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => level += 1,
            '}' if level == 0 => {
                expand(&inner[from..i], prefix, out);
                break;
            }
            '}' => level -= 1,
            ',' if level == 0 => {
                expand(&inner[from..i], prefix, out);
                from = i + 1;
            }
            _ => {}
        }
    }
    prefix.truncate(depth_before);
}

#[test]
fn no_import_circle_between_sibling_modules() {
    let modules = modules();
    let names: BTreeSet<Vec<String>> = modules.iter().map(|(m, _)| m.clone()).collect();
    // For each parent, the edges between its children.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for (module, code) in &modules {
        for target in references(module, code) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common >= module.len() || common >= target.len() {
                continue;
            }
            let parent = module[..common].to_vec();
            let mut sibling = parent.clone();
            sibling.push(target[common].clone());
            if names.contains(&sibling) {
                edges
                    .entry(parent)
                    .or_default()
                    .insert((module[common].clone(), target[common].clone()));
            }
        }
    }
    let mut circles = Vec::new();
    for (parent, edges) in &edges {
        for (from, to) in edges {
            if reaches(edges, to, from, &mut BTreeSet::new()) {
                circles.push(format!(
                    "{}: {from} -> {to} -> ... -> {from}",
                    parent.join("::")
                ));
            }
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 100,
        "the scan found too few imports"
    );
}

fn reaches(
    edges: &BTreeSet<(String, String)>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> bool {
    from == to
        || (seen.insert(from.to_owned())
            && edges
                .iter()
                .filter(|(a, _)| a == from)
                .any(|(_, b)| reaches(edges, b, to, seen)))
}
