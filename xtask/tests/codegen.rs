//! The spec is valid and lint-clean, and the checked-in generated code is fresh.

use xtask::{REGENERATE_COMMAND, SPEC_PATH, check, generate, lint_spec, load_spec, workspace_root};

#[test]
fn the_spec_is_valid_openapi_3_0_and_passes_the_lint() {
    let text = std::fs::read_to_string(workspace_root().join(SPEC_PATH)).unwrap();
    let api = load_spec(&text).unwrap();
    assert_eq!(api.openapi, "3.0.3");
    lint_spec(&api).unwrap();
    let ids: Vec<&str> = api
        .operations()
        .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
        .collect();
    assert_eq!(
        ids,
        [
            "retrieveAPISecrets",
            "createAPISecret",
            "retrieveAPISecret",
            "revokeAPISecret"
        ]
    );
}

#[test]
fn the_lint_rejects_what_the_generator_cannot_handle() {
    let text = std::fs::read_to_string(workspace_root().join(SPEC_PATH)).unwrap();
    let broken = text.replacen(
        "operationId: revokeAPISecret",
        "operationId: retrieveAPISecret",
        1,
    );
    let error = lint_spec(&load_spec(&broken).unwrap()).unwrap_err();
    assert!(format!("{error:#}").contains("not unique"), "{error:#}");
    let broken = text.replacen("      operationId: revokeAPISecret\n", "", 1);
    let error = lint_spec(&load_spec(&broken).unwrap()).unwrap_err();
    assert!(format!("{error:#}").contains("no operationId"), "{error:#}");
    let broken = text.replacen(
        "        '204':\n          description: The secret was revoked; no body.\n",
        "        '200':\n          description: The secret was revoked; no body.\n",
        1,
    );
    assert_ne!(broken, text);
    let error = lint_spec(&load_spec(&broken).unwrap()).unwrap_err();
    assert!(
        format!("{error:#}").contains("only 204 may have none"),
        "{error:#}"
    );
    assert!(load_spec("openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n").is_err());
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    assert_eq!(generate(&root).unwrap(), generate(&root).unwrap());
}

#[test]
fn generated_code_is_fresh() {
    let root = workspace_root();
    let files = generate(&root).unwrap();
    let diffs = check(&root, &files).unwrap();
    assert!(
        diffs.is_empty(),
        "{}\n\nThe generated code is stale: run `{REGENERATE_COMMAND}` and commit the result.",
        diffs.concat()
    );
}

#[test]
fn check_reports_a_unified_diff_for_a_stale_file() {
    let root = workspace_root();
    let mut files = generate(&root).unwrap();
    files[0].contents.push_str("// an extra line\n");
    let diffs = check(&root, &files).unwrap();
    assert_eq!(diffs.len(), 1);
    assert!(diffs[0].contains("+// an extra line"), "{}", diffs[0]);
    assert!(diffs[0].contains("@@"));
    assert!(xtask::stale_message(&diffs).contains(REGENERATE_COMMAND));
}

#[test]
fn every_file_names_the_spec_and_its_hash() {
    use sha2::{Digest, Sha256};

    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join(SPEC_PATH))
        .unwrap()
        .replace("\r\n", "\n");
    let expected: String = Sha256::digest(spec.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    for file in generate(&root).unwrap() {
        let mut lines = file.contents.lines();
        assert_eq!(
            lines.next(),
            Some("// generated from openapi/secret-management.yaml; do not edit"),
            "{}",
            file.path
        );
        let hash = lines
            .next()
            .unwrap()
            .strip_prefix("// spec sha256: ")
            .unwrap();
        // The hash of the spec itself (with normalised line endings), not just any hash.
        assert_eq!(hash, expected, "{}", file.path);
    }
}
