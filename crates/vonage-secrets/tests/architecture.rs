//! The rules ARCHITECTURE.md states for the facade's sources, checked on the sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each module of `src/` (its name) with its code outside `#[cfg(test)]` modules.
fn modules() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(at) => text[..at].to_owned(),
            None => text,
        };
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        modules.insert(name, code);
    }
    modules
}

#[test]
fn hand_written_facade_code_names_no_status_code_of_the_api() {
    // The generic retry policy lives in the transport crate; the facade names no status.
    let mut found = Vec::new();
    for (module, code) in modules() {
        for (n, line) in code.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let named = ["StatusCode::", "as_u16()", "from_u16("]
                .iter()
                .any(|s| code.contains(s))
                || ["400", "401", "403", "404", "409", "422"]
                    .iter()
                    .any(|s| code.contains(s));
            if named {
                found.push(format!("src/{module}.rs:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "status codes in hand-written facade code:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_facade_modules_import_each_other_without_a_cycle() {
    let modules = modules();
    let mut uses: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (module, code) in &modules {
        let targets = uses.entry(module).or_default();
        for other in modules.keys() {
            if other != module && other != "lib" && code.contains(&format!("crate::{other}::")) {
                targets.insert(other);
            }
        }
    }
    // Depth-first search for a path back to where it started.
    fn cycle<'a>(
        uses: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        let last = *path.last().unwrap();
        for &next in uses.get(last).into_iter().flatten() {
            if next == path[0] {
                let mut found = path.clone();
                found.push(next);
                return Some(found);
            }
            if !path.contains(&next) {
                path.push(next);
                if let Some(found) = cycle(uses, path) {
                    return Some(found);
                }
                path.pop();
            }
        }
        None
    }
    let mut cycles = Vec::new();
    for &module in uses.keys() {
        if let Some(found) = cycle(&uses, &mut vec![module]) {
            cycles.push(found.join(" -> "));
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}
