//! The architecture rule, checked: each layer imports only from the layers below it (and
//! from itself), across the three crates (`crates/core/src`: base to the algorithms,
//! `crates/app/src`: kinds to web, `src`: the CLI). A `crate::` path, a grouped `crate::{..}` import or a `super::`
//! chain that climbs to the crate root and down into a higher layer fails this test.
//! The layers are described in ARCHITECTURE.md; a new top-level module must be placed here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// From the bottom up. `bin` stands outside the library and may use any of it.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["base", "Error", "Result"]),
    ("linalg", &["linalg"]),
    ("data", &["data"]),
    ("metrics", &["metrics"]),
    ("algorithms", &["models", "cluster", "embed", "gpu", "unsupervised"]),
    ("kinds", &["kinds"]),
    ("state", &["state"]),
    ("engine", &["engine"]),
    ("app", &["app"]),
    ("charts", &["charts"]),
    ("front", &["web"]),
];

/// The highest layer in `mlplay-core`; the layers above it are in `mlplay-app`.
const ALGORITHMS: usize = 4;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under src/: `models/knn.rs` -> [models, knn], `cluster/mod.rs`
/// -> [cluster].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

fn ident_at(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Top-level modules a line of code refers to through `crate::` or `super::`.
fn referenced(line: &str, here: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // `crate::{a::x, b}`: the first ident of each item (nested groups do not occur).
            let body = group.split('}').next().unwrap_or("");
            for item in body.split(',') {
                let id = ident_at(item.trim());
                if !id.is_empty() {
                    out.insert(id);
                }
            }
        } else {
            out.insert(ident_at(after));
        }
        rest = after;
    }
    // `super::super::x` from `a::b::c` climbs to the root when the supers reach past `a`.
    let mut rest = line;
    while let Some(at) = rest.find("super::") {
        let bytes_before = &rest[..at];
        let chained = bytes_before.ends_with("super::");
        let mut tail = &rest[at..];
        let mut ups = 0;
        while let Some(t) = tail.strip_prefix("super::") {
            ups += 1;
            tail = t;
        }
        if !chained && ups >= here.len() {
            out.insert(ident_at(tail));
        }
        rest = &rest[at + "super::".len() * ups..];
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    for src in ["src", "crates/core/src", "crates/app/src"] {
        let src = root.join(src);
        let mut here = vec![];
        rust_files(&src, &mut here);
        files.extend(here.into_iter().map(|f| (src.clone(), f)));
    }
    files.sort();
    let mut unplaced = BTreeSet::new();
    let mut upward = vec![];
    for (src, file) in &files {
        let rel = file.strip_prefix(src).expect("under src");
        let here = module_path(rel);
        let Some(top) = here.first().cloned() else { continue };
        if top == "bin" || top == "lib" {
            continue; // the binary stands on top; each lib.rs is its crate's module list
        }
        // The crate split follows the layers: core up to the algorithms, app above them.
        let in_core = src.ends_with("crates/core/src");
        assert!(
            layer_of(&top).is_none_or(|l| (l <= ALGORITHMS) == in_core),
            "{} is in the wrong crate for its layer",
            file.display()
        );
        let Some(mine) = layer_of(&top) else {
            unplaced.insert(top.clone());
            continue;
        };
        let text = fs::read_to_string(file).expect("readable source");
        // An inline `mod tests {` adds a level for `super::` (such modules come last in a file).
        let mut depth = here.clone();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let t = code.trim_start().trim_start_matches("pub ");
            if t.starts_with("mod ") && t.trim_end().ends_with('{') {
                depth.push(ident_at(&t[4..]));
            }
            for target in referenced(code, &depth) {
                match layer_of(&target) {
                    Some(theirs) if theirs > mine => upward.push(format!(
                        "{}:{}: {} ({}) imports {} ({})",
                        rel.display(),
                        n + 1,
                        top,
                        LAYERS[mine].0,
                        target,
                        LAYERS[theirs].0
                    )),
                    Some(_) => {}
                    None => {
                        unplaced.insert(target);
                    }
                }
            }
        }
    }
    assert!(unplaced.is_empty(), "modules in no layer (add them to LAYERS and ARCHITECTURE.md): {unplaced:?}");
    assert!(upward.is_empty(), "{} upward imports:\n{}", upward.len(), upward.join("\n"));
}

#[test]
fn the_scan_sees_grouped_and_climbing_paths() {
    let here = vec!["models".to_string(), "knn".to_string()];
    let found = referenced("use crate::{data::Task, app::x};", &here);
    assert_eq!(found, ["app", "data"].iter().map(|s| s.to_string()).collect());
    assert!(referenced("use super::super::engine::x;", &here).contains("engine"));
    assert!(referenced("use super::tree::Node;", &here).is_empty());
    assert!(referenced("let f = crate::engine::session::Session::new;", &here).contains("engine"));
}
