//! The manifest's targets are valid, lint-clean and fresh; the generator is deterministic,
//! reads OpenAPI 3.1, and carries a spec change into the generated code with no hand edit.
//!
//! The tests go over whatever targets `openapi/codegen.toml` lists, so that they pin no one
//! API's text; the synthetic specs below are written for the tests.

use std::path::Path;

use serde_yaml::Value;
use xtask::{
    Manifest, REGENERATE_COMMAND, check, generate, lint_spec, load_spec, prepare_spec,
    workspace_root,
};

fn manifest() -> Manifest {
    Manifest::load(&workspace_root()).unwrap()
}

#[test]
fn every_spec_is_valid_and_passes_the_lint_with_the_operations_the_manifest_takes() {
    let root = workspace_root();
    let manifest = manifest();
    assert!(manifest.targets.len() >= 3, "{:?}", manifest.targets);
    for target in &manifest.targets {
        let (api, _) = prepare_spec(&root, target).unwrap();
        assert!(api.openapi.starts_with("3.0."), "{}", target.name);
        lint_spec(&api).unwrap();
        let mut ids: Vec<String> = api
            .operations()
            .filter_map(|(_, _, operation)| operation.operation_id.clone())
            .collect();
        ids.sort();
        let mut wanted = target.operations.clone();
        wanted.sort();
        assert_eq!(ids, wanted, "{}", target.name);
    }
}

#[test]
fn the_lint_rejects_what_the_generator_cannot_handle() {
    let base = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      operationId: one\n      summary: s\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\n  /b:\n    get:\n      operationId: two\n      summary: s\n      responses:\n        '204':\n          description: none\ncomponents:\n  schemas:\n    A: {type: object}\n";
    lint_spec(&load_spec(base).unwrap()).unwrap();
    let duplicate = base.replace("operationId: two", "operationId: one");
    let error = lint_spec(&load_spec(&duplicate).unwrap()).unwrap_err();
    assert!(format!("{error:#}").contains("not unique"), "{error:#}");
    let missing = base.replace("      operationId: two\n", "");
    let error = lint_spec(&load_spec(&missing).unwrap()).unwrap_err();
    assert!(format!("{error:#}").contains("no operationId"), "{error:#}");
    let no_content = base.replace("'204'", "'200'");
    let error = lint_spec(&load_spec(&no_content).unwrap()).unwrap_err();
    assert!(
        format!("{error:#}").contains("only 204 may have none"),
        "{error:#}"
    );
    assert!(load_spec("openapi: 2.0.0\ninfo: {title: t, version: v}\npaths: {}\n").is_err());
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
fn every_target_generates_its_files() {
    let files = generate(&workspace_root()).unwrap();
    for target in &manifest().targets {
        let names: Vec<&str> = files
            .iter()
            .filter(|file| file.target == target.name)
            .map(|file| file.path.rsplit('/').next().unwrap())
            .collect();
        let mut expected = vec!["types.rs", "operations.rs"];
        if target.async_client {
            expected.push("async_client.rs");
        }
        if target.mocks {
            expected.push("httpmock.rs");
        }
        assert_eq!(names, expected, "{}", target.name);
        for file in files.iter().filter(|file| file.target == target.name) {
            assert!(
                file.path.starts_with(&target.generated_dir()),
                "{}",
                file.path
            );
        }
    }
}

#[test]
fn check_reports_a_unified_diff_naming_the_target() {
    let root = workspace_root();
    let mut files = generate(&root).unwrap();
    let last = files.len() - 1;
    files[last].contents.push_str("// an extra line\n");
    let diffs = check(&root, &files).unwrap();
    assert_eq!(diffs.len(), 1);
    assert!(diffs[0].contains("+// an extra line"), "{}", diffs[0]);
    assert!(diffs[0].contains("@@"));
    assert!(
        diffs[0].starts_with(&format!("target `{}`", files[last].target)),
        "{}",
        diffs[0]
    );
    assert!(xtask::stale_message(&diffs).contains(REGENERATE_COMMAND));
}

#[test]
fn every_file_names_its_spec_and_its_hash() {
    use sha2::{Digest, Sha256};

    let root = workspace_root();
    let manifest = manifest();
    for file in generate(&root).unwrap() {
        let target = manifest
            .targets
            .iter()
            .find(|target| target.name == file.target)
            .unwrap();
        let spec = std::fs::read_to_string(root.join(&target.spec))
            .unwrap()
            .replace("\r\n", "\n");
        let expected: String = Sha256::digest(spec.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let mut lines = file.contents.lines();
        assert_eq!(
            lines.next(),
            Some(format!("// generated from {}; do not edit", target.spec).as_str()),
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

/// A workspace in a temporary folder: `openapi/codegen.toml` with one target, and its spec.
fn temp_workspace(spec_text: &str, operations: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::write(dir.path().join("openapi/api.yaml"), spec_text).unwrap();
    let operations: Vec<String> = operations.iter().map(|id| format!("{id:?}")).collect();
    std::fs::write(
        dir.path().join("openapi/codegen.toml"),
        format!(
            "[[target]]\nname = \"temp-api\"\nspec = \"openapi/api.yaml\"\ncrate = \"crates/temp-api\"\noperations = [{}]\n",
            operations.join(", ")
        ),
    )
    .unwrap();
    dir
}

fn generated(dir: &Path, name: &str) -> String {
    let files = generate(dir).unwrap();
    xtask::write(dir, &files).unwrap();
    std::fs::read_to_string(dir.join("crates/temp-api/src/generated").join(name)).unwrap()
}

#[test]
fn the_published_3_1_document_goes_through_as_it_stands() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voximplant-add-secret-3.1.yaml");
    let text = std::fs::read_to_string(fixture).unwrap();
    assert!(xtask::is_openapi_3_1(&xtask::load_document(&text).unwrap()));
    let api = load_spec(&text).unwrap();
    assert_eq!(api.openapi, xtask::CONVERTED_VERSION);
    lint_spec(&api).unwrap();

    let dir = temp_workspace(&text, &["add-secret"]);
    let operations = generated(dir.path(), "operations.rs");
    let types = generated(dir.path(), "types.rs");
    // Every query parameter is a field, optional ones as `Option`; the `Authorization` header
    // parameter is the transport's business, not a field.
    for expected in [
        "pub struct AddSecret {",
        "pub application_id: ::std::option::Option<i64>,",
        "pub application_name: ::std::option::Option<::std::string::String>,",
        "pub secret_name: ::std::string::String,",
        "pub secret_value: ::std::string::String,",
        "request.query(\"secret_value\", &self.secret_value);",
        "request.literal(\"AddSecret\");",
        "method: ::vonage_secrets_runtime::Method::Post,",
        "type ErrorBody = ::std::convert::Infallible;",
    ] {
        assert!(operations.contains(expected), "{expected}\n{operations}");
    }
    assert!(!operations.contains("authorization"), "{operations}");
    assert!(types.contains("pub struct AddSecretResult"), "{types}");
}

#[test]
fn what_openapi_3_0_cannot_say_is_refused_with_the_pointer_and_the_keyword() {
    let wrap = |schema: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: v}}\npaths: {{}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        field: {schema}\n"
        )
    };
    for (schema, keyword) in [
        ("{type: [string, integer]}", "`type`"),
        ("{type: 'null'}", "`type`"),
        (
            "{type: array, prefixItems: [{type: string}]}",
            "`prefixItems`",
        ),
        (
            "{$ref: '#/components/schemas/Thing', default: 1}",
            "`default`",
        ),
        ("{type: string, if: {minLength: 1}}", "`if`"),
        ("{type: object, $defs: {A: {type: string}}}", "`$defs`"),
    ] {
        let error = load_spec(&wrap(schema)).unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("/components/schemas/Thing/properties/field: "),
            "{schema}: {message}"
        );
        assert!(message.contains(keyword), "{schema}: {message}");
    }
    let error =
        load_spec("openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\nwebhooks: {new: {}}\n")
            .unwrap_err();
    assert!(format!("{error:#}").contains("/: `webhooks`"), "{error:#}");
    // A nested refusal names the whole pointer, escaped.
    let error = load_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - {name: b, in: path, required: true, schema: {type: [string, boolean]}}\n      responses: {}\n",
    )
    .unwrap_err();
    assert!(
        format!("{error:#}").contains("/paths/~1a~1{b}/get/parameters/0/schema: `type`"),
        "{error:#}"
    );
}

#[test]
fn the_manifest_is_checked() {
    let error = Manifest::parse("[[target]]\nname = \"a\"\nspec = \"s\"\ncrate = \"c\"\noperations = [\"x\"]\nasync = true\n").unwrap_err();
    assert!(format!("{error:#}").contains("async"), "{error:#}");
    let error =
        Manifest::parse("[[target]]\nname = \"a\"\nspec = \"s\"\ncrate = \"c\"\noperations = []\n")
            .unwrap_err();
    assert!(format!("{error:#}").contains("operations"), "{error:#}");
}

#[test]
fn an_operation_the_spec_lacks_is_named() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n";
    let dir = temp_workspace(spec, &["nowhere"]);
    let error = generate(dir.path()).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("`nowhere`"), "{message}");
    assert!(message.contains("temp-api"), "{message}");
}

/// Adds to a copy of `target`'s spec: a field in the first success schema, a query parameter on
/// the first operation, and a whole new operation; and the new operation to the manifest.
/// Returns the new spec, the name of the schema that got the field, and the manifest's new
/// `operations` list.
fn extend(root: &Path, target: &xtask::Target) -> (String, String, String) {
    let text = std::fs::read_to_string(root.join(&target.spec)).unwrap();
    let mut document: Value = serde_yaml::from_str(&text).unwrap();
    let mut first = None;
    for (path, item) in document["paths"].as_mapping().unwrap() {
        for (method, operation) in item.as_mapping().unwrap() {
            let id = operation.get("operationId").and_then(Value::as_str);
            if id.is_some_and(|id| target.operations.iter().any(|wanted| wanted == id)) {
                first.get_or_insert((path.clone(), method.clone()));
            }
        }
    }
    let (path, method) = first.unwrap();
    let operation = &mut document["paths"][&path][&method];
    let success = operation["responses"]
        .as_mapping()
        .unwrap()
        .iter()
        .find(|(status, _)| {
            status
                .as_str()
                .is_some_and(|status| status.starts_with('2'))
        })
        .map(|(_, response)| response.clone())
        .unwrap();
    let parameters = operation
        .as_mapping_mut()
        .unwrap()
        .entry("parameters".into())
        .or_insert(Value::Sequence(Vec::new()));
    parameters.as_sequence_mut().unwrap().push(
        serde_yaml::from_str(
            "{name: added_page_size, in: query, required: false, description: An added parameter., schema: {type: integer}}",
        )
        .unwrap(),
    );
    let schema_ref = success["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap()
        .to_owned();
    let schema_name = schema_ref.rsplit('/').next().unwrap().to_owned();
    let properties = document["components"]["schemas"][schema_name.as_str()]
        .as_mapping_mut()
        .unwrap()
        .entry("properties".into())
        .or_insert(Value::Mapping(Default::default()));
    properties.as_mapping_mut().unwrap().insert(
        "added_field".into(),
        serde_yaml::from_str("{type: string, description: An added field.}").unwrap(),
    );
    let mut added: Value = serde_yaml::from_str(
        "get:\n  operationId: addedOperation\n  summary: An added operation\n  parameters:\n    - {name: added_id, in: path, required: true, schema: {type: string}}\n  responses: {}\n",
    )
    .unwrap();
    added["get"]["responses"]["200"] = success;
    document["paths"]
        .as_mapping_mut()
        .unwrap()
        .insert("/added/{added_id}".into(), added);
    let mut operations = target.operations.clone();
    operations.push("addedOperation".into());
    let operations: Vec<String> = operations.iter().map(|id| format!("{id:?}")).collect();
    (
        serde_yaml::to_string(&document).unwrap(),
        schema_name,
        operations.join(", "),
    )
}

#[test]
fn a_spec_change_reaches_the_generated_code_with_no_hand_edit() {
    let root = workspace_root();
    for target in &manifest().targets {
        let (spec, schema_name, operations) = extend(&root, target);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
        std::fs::write(dir.path().join("openapi/api.yaml"), spec).unwrap();
        std::fs::write(
            dir.path().join("openapi/codegen.toml"),
            format!(
                "[[target]]\nname = \"temp-api\"\nspec = \"openapi/api.yaml\"\ncrate = \"crates/temp-api\"\noperations = [{operations}]\n"
            ),
        )
        .unwrap();
        let operations_rs = generated(dir.path(), "operations.rs");
        let types_rs = generated(dir.path(), "types.rs");
        for expected in [
            "pub struct AddedOperation {",
            "pub added_id: ::std::string::String,",
            "request.segment(\"added_id\", &self.added_id)?;",
            "pub added_page_size: ::std::option::Option<i64>,",
            "request.query(\"added_page_size\", &self.added_page_size);",
            "operation_id: \"addedOperation\",",
        ] {
            assert!(
                operations_rs.contains(expected),
                "{}: {expected}\n{operations_rs}",
                target.name
            );
        }
        let schema_start = types_rs
            .find(&format!("pub struct {schema_name} {{"))
            .unwrap_or_else(|| panic!("{}: no {schema_name}\n{types_rs}", target.name));
        let schema_end = schema_start + types_rs[schema_start..].find("\n}").unwrap();
        assert!(
            types_rs[schema_start..schema_end].contains("pub added_field:"),
            "{}: {}",
            target.name,
            &types_rs[schema_start..schema_end]
        );
    }
}

#[test]
fn a_new_target_gets_a_crate_and_an_existing_crate_is_left_alone() {
    let spec = "openapi: 3.0.3\ninfo: {title: Thing API, version: v}\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      summary: s\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: when, in: query, schema: {type: boolean}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        at: {type: string, format: date-time}\n";
    let dir = temp_workspace(spec, &["getThing"]);
    let files = generate(dir.path()).unwrap();
    xtask::write(dir.path(), &files).unwrap();
    let written = xtask::scaffold(dir.path(), &files).unwrap();
    assert_eq!(
        written,
        ["crates/temp-api/Cargo.toml", "crates/temp-api/src/lib.rs"]
    );
    let cargo = std::fs::read_to_string(dir.path().join("crates/temp-api/Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"temp-api\""), "{cargo}");
    assert!(cargo.contains("for the Thing API"), "{cargo}");
    // The types use chrono for `date-time`, so the crate depends on it.
    assert!(cargo.contains("chrono.workspace = true"), "{cargo}");
    assert!(
        cargo.contains("vonage-secrets-runtime.workspace = true"),
        "{cargo}"
    );
    assert!(!cargo.contains("reqwest"), "{cargo}");
    let lib = std::fs::read_to_string(dir.path().join("crates/temp-api/src/lib.rs")).unwrap();
    assert_eq!(lib.matches("#[rustfmt::skip]").count(), 2, "{lib}");
    assert!(
        lib.contains("#[path = \"generated/operations.rs\"]"),
        "{lib}"
    );

    std::fs::write(dir.path().join("crates/temp-api/src/lib.rs"), "// mine\n").unwrap();
    std::fs::remove_file(dir.path().join("crates/temp-api/Cargo.toml")).unwrap();
    assert!(xtask::scaffold(dir.path(), &files).unwrap().is_empty());
    let lib = std::fs::read_to_string(dir.path().join("crates/temp-api/src/lib.rs")).unwrap();
    assert_eq!(lib, "// mine\n");
}
