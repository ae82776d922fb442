//! The README documents every column of every table, under the table's own heading.

use marginalia::report::columns::TABLES;

/// The README's section for one table: from its `### `file`` heading to the next heading.
fn section<'a>(readme: &'a str, file: &str) -> &'a str {
    let heading = format!("### `{file}`");
    let start = readme.find(&heading).unwrap_or_else(|| panic!("README has no section {heading}"));
    let rest = &readme[start + heading.len()..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

fn documented_columns(readme: &str, file: &str) -> Vec<String> {
    section(readme, file)
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(col, _)| col.to_string()))
        .collect()
}

#[test]
fn readme_lists_every_column_in_order() {
    let readme = include_str!("../README.md");
    for table in TABLES {
        assert_eq!(documented_columns(readme, table.file), table.columns, "README's columns for {}", table.file);
    }
}

#[test]
fn readme_opens_with_the_two_commands() {
    let readme = include_str!("../README.md");
    let opening: Vec<&str> = readme.lines().take(6).collect();
    assert!(opening.iter().any(|l| l.starts_with("cargo run --release -- analyze texts/")), "{opening:?}");
    assert!(opening.iter().any(|l| l.starts_with("tools/test")), "{opening:?}");
}

/// The keys of a JSON object, in order.
fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn readme_documents_every_key_of_the_manifest() {
    use marginalia::input::InputDigest;
    use marginalia::manifest::Manifest;
    use marginalia::resource::{Meta, Resource};
    let readme = include_str!("../README.md");
    let heading = "### The run manifest and `cite`";
    let start = readme.find(heading).expect("README has a section on the manifest") + heading.len();
    let section = &readme[start..start + readme[start..].find("\n#").unwrap_or(readme.len() - start)];
    // Every name in backticks in the first column of the section's table of keys.
    let documented: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .flat_map(|cell| cell.split(", "))
        .filter_map(|name| name.strip_prefix('`')?.strip_suffix('`'))
        .collect();
    let input = InputDigest { path: "a.txt".into(), bytes: 1, sha256: None };
    let resource = Resource::file("tone", "t.toml".as_ref(), b"", Meta::default());
    let manifest = Manifest {
        marginalia: "0".into(),
        command: Vec::new(),
        started: String::new(),
        finished: String::new(),
        options: Default::default(),
        inputs: vec![input.clone()],
        skipped: 0,
        lexicons: vec![resource.clone()],
        tables: Default::default(),
    };
    let mut all = keys(&serde_json::to_value(&manifest).unwrap());
    all.extend(keys(&serde_json::to_value(&input).unwrap()));
    all.extend(keys(&serde_json::to_value(&resource).unwrap()));
    all.extend(keys(&serde_json::to_value(&resource.meta).unwrap()));
    for key in &all {
        assert!(documented.contains(&key.as_str()) || section.contains(&format!("`{key}`")), "README: no `{key}`");
    }
    for key in ["marginalia", "command", "started", "finished", "options", "inputs", "skipped", "lexicons", "tables"] {
        assert!(documented.contains(&key), "README's table of keys has no row for `{key}`: {documented:?}");
    }
}
