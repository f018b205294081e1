//! OpenAPI 3.1 to 3.0: carries over what 3.0 can say and refuses the rest.
//!
//! `openapiv3` and progenitor read OpenAPI 3.0 only. A 3.1 document is converted on its YAML
//! tree before either sees it:
//!
//! - the version string becomes `3.0.3`;
//! - in schemas, `type: [T, "null"]` becomes `type: T` with `nullable: true`, `examples: [a, ...]`
//!   becomes `example: a`, `const: v` becomes `enum: [v]`, a numeric `exclusiveMinimum` /
//!   `exclusiveMaximum` becomes `minimum`/`maximum` with the 3.0 boolean, and the `description`
//!   or `summary` beside a `$ref` (which 3.0 ignores) is dropped;
//! - anything else that 3.0 cannot carry (a type list of two real types, `prefixItems`, `$defs`,
//!   `if`/`then`/`else`, `webhooks`, ...) is refused with the JSON pointer and the keyword.

use anyhow::{Result, bail};
use serde_yaml::{Mapping, Value};

/// The version a converted document declares.
pub const CONVERTED_VERSION: &str = "3.0.3";

/// Keywords of JSON Schema 2020-12 (OpenAPI 3.1 schemas) that OpenAPI 3.0 cannot express.
const SCHEMA_KEYWORDS_REFUSED: &[&str] = &[
    "$defs",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$schema",
    "$vocabulary",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "propertyNames",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

/// Keywords of the 3.1 document (outside schemas) that 3.0 has no place for.
const DOCUMENT_KEYWORDS_REFUSED: &[&str] = &["webhooks", "jsonSchemaDialect"];

/// Whether `document` declares OpenAPI 3.1.
pub fn is_openapi_3_1(document: &Value) -> bool {
    version(document).is_some_and(|version| version.starts_with("3.1."))
}

fn version(document: &Value) -> Option<&str> {
    document.get("openapi").and_then(Value::as_str)
}

/// Converts a 3.1 document to 3.0 in place; a 3.0 document is left as it is. Every refusal is
/// reported at once, each as `<JSON pointer>: <keyword> ...`.
pub fn to_openapi_3_0(document: &mut Value) -> Result<()> {
    match version(document) {
        Some(version) if version.starts_with("3.0.") => return Ok(()),
        Some(version) if version.starts_with("3.1.") => {}
        Some(version) => bail!("the spec must be OpenAPI 3.0.x or 3.1.x, found `{version}`"),
        None => bail!("the spec has no `openapi` version string"),
    }
    let mut problems = Vec::new();
    let Value::Mapping(root) = document else {
        bail!("the spec is not a YAML mapping");
    };
    root.insert("openapi".into(), CONVERTED_VERSION.into());
    for keyword in DOCUMENT_KEYWORDS_REFUSED {
        if root.contains_key(*keyword) {
            problems.push(refusal("", keyword, "has no equivalent in OpenAPI 3.0"));
        }
    }
    if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let pointer = format!("/paths/{}", escape(&key_text(path)));
            path_item(item, &pointer, &mut problems);
        }
    }
    if let Some(Value::Mapping(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            let kind = key_text(kind);
            let Value::Mapping(entries) = entries else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let pointer = format!("/components/{kind}/{}", escape(&key_text(name)));
                match kind.as_str() {
                    "schemas" => convert_schema(entry, &pointer, &mut problems),
                    "parameters" | "headers" => parameter(entry, &pointer, &mut problems),
                    "requestBodies" | "responses" => {
                        with_content(entry, &pointer, &mut problems);
                    }
                    "pathItems" => problems.push(refusal(
                        &pointer,
                        "pathItems",
                        "(components/pathItems) has no equivalent in OpenAPI 3.0",
                    )),
                    _ => {}
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "the OpenAPI 3.1 spec cannot be carried over to 3.0:\n  {}",
            problems.join("\n  ")
        )
    }
}

fn refusal(pointer: &str, keyword: &str, why: &str) -> String {
    let at = if pointer.is_empty() { "/" } else { pointer };
    format!("{at}: `{keyword}` {why}")
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Escapes a key for a JSON pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn path_item(item: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    let Value::Mapping(item) = item else {
        return;
    };
    for (key, value) in item.iter_mut() {
        let key = key_text(key);
        let here = format!("{pointer}/{}", escape(&key));
        match key.as_str() {
            "parameters" => parameters(value, &here, problems),
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                operation(value, &here, problems);
            }
            _ => {}
        }
    }
}

fn operation(operation: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    let Value::Mapping(operation) = operation else {
        return;
    };
    for (key, value) in operation.iter_mut() {
        let key = key_text(key);
        let here = format!("{pointer}/{}", escape(&key));
        match key.as_str() {
            "parameters" => parameters(value, &here, problems),
            "requestBody" => with_content(value, &here, problems),
            "responses" => {
                if let Value::Mapping(responses) = value {
                    for (status, response) in responses.iter_mut() {
                        let here = format!("{here}/{}", escape(&key_text(status)));
                        with_content(response, &here, problems);
                    }
                }
            }
            "callbacks" => problems.push(refusal(&here, "callbacks", "are not supported")),
            _ => {}
        }
    }
}

fn parameters(list: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    if let Value::Sequence(list) = list {
        for (index, entry) in list.iter_mut().enumerate() {
            parameter(entry, &format!("{pointer}/{index}"), problems);
        }
    }
}

/// A parameter or a header: its `schema`, or its `content`.
fn parameter(parameter: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    if let Some(schema_value) = parameter.get_mut("schema") {
        convert_schema(schema_value, &format!("{pointer}/schema"), problems);
    }
    with_content(parameter, pointer, problems);
}

/// A request body, a response or a parameter with `content` (and a response's `headers`).
fn with_content(value: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    if let Some(Value::Mapping(content)) = value.get_mut("content") {
        for (media_type, media) in content.iter_mut() {
            let here = format!("{pointer}/content/{}", escape(&key_text(media_type)));
            if let Some(schema_value) = media.get_mut("schema") {
                convert_schema(schema_value, &format!("{here}/schema"), problems);
            }
        }
    }
    if let Some(Value::Mapping(headers)) = value.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            let here = format!("{pointer}/headers/{}", escape(&key_text(name)));
            parameter(header, &here, problems);
        }
    }
}

/// One schema object, and the schemas inside it.
fn convert_schema(value: &mut Value, pointer: &str, problems: &mut Vec<String>) {
    let Value::Mapping(schema) = value else {
        if matches!(value, Value::Bool(_)) {
            problems.push(refusal(
                pointer,
                "true/false",
                "(a boolean schema) has no equivalent in OpenAPI 3.0",
            ));
        }
        return;
    };
    if schema.contains_key("$ref") {
        // 3.1 allows a description or summary beside a reference; 3.0 ignores them.
        schema.remove("description");
        schema.remove("summary");
        let others: Vec<String> = schema
            .keys()
            .map(key_text)
            .filter(|key| key != "$ref")
            .collect();
        for keyword in others {
            problems.push(refusal(
                pointer,
                &keyword,
                "beside `$ref` has no equivalent in OpenAPI 3.0; move it into the referenced schema",
            ));
        }
        return;
    }
    for keyword in SCHEMA_KEYWORDS_REFUSED {
        if schema.contains_key(*keyword) {
            problems.push(refusal(
                pointer,
                keyword,
                "has no equivalent in OpenAPI 3.0",
            ));
        }
    }
    convert_type(schema, pointer, problems);
    if let Some(examples) = schema.remove("examples") {
        match examples {
            Value::Sequence(examples) => {
                if let Some(first) = examples.into_iter().next() {
                    schema.insert("example".into(), first);
                }
            }
            _ => problems.push(refusal(
                pointer,
                "examples",
                "must be a list in a 3.1 schema",
            )),
        }
    }
    if let Some(value) = schema.remove("const") {
        if schema.contains_key("enum") {
            problems.push(refusal(
                pointer,
                "const",
                "beside `enum` cannot be carried over",
            ));
        } else {
            schema.insert("enum".into(), Value::Sequence(vec![value]));
        }
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound @ Value::Number(_)) = schema.get(exclusive).cloned() {
            if schema.contains_key(inclusive) {
                problems.push(refusal(
                    pointer,
                    exclusive,
                    &format!("beside `{inclusive}` cannot be carried over"),
                ));
            } else {
                schema.insert(inclusive.into(), bound);
                schema.insert(exclusive.into(), Value::Bool(true));
            }
        }
    }
    // The schemas inside this one.
    if let Some(Value::Mapping(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let here = format!("{pointer}/properties/{}", escape(&key_text(name)));
            convert_schema(property, &here, problems);
        }
    }
    for key in ["items", "not"] {
        if let Some(inner) = schema.get_mut(key) {
            convert_schema(inner, &format!("{pointer}/{key}"), problems);
        }
    }
    if let Some(inner @ Value::Mapping(_)) = schema.get_mut("additionalProperties") {
        convert_schema(inner, &format!("{pointer}/additionalProperties"), problems);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Sequence(list)) = schema.get_mut(key) {
            for (index, inner) in list.iter_mut().enumerate() {
                convert_schema(inner, &format!("{pointer}/{key}/{index}"), problems);
            }
        }
    }
}

/// `type: [T, "null"]` to `type: T` + `nullable: true`; `type: "null"` and lists of two real
/// types are refused.
fn convert_type(schema: &mut Mapping, pointer: &str, problems: &mut Vec<String>) {
    let Some(kind) = schema.get("type").cloned() else {
        return;
    };
    let (types, nullable) = match kind {
        Value::String(text) if text == "null" => (Vec::new(), true),
        Value::String(_) => return,
        Value::Sequence(list) => {
            let mut types = Vec::new();
            let mut nullable = false;
            for entry in list {
                match entry.as_str() {
                    Some("null") => nullable = true,
                    Some(text) => types.push(text.to_owned()),
                    None => {
                        problems.push(refusal(pointer, "type", "must list type names"));
                        return;
                    }
                }
            }
            (types, nullable)
        }
        _ => {
            problems.push(refusal(
                pointer,
                "type",
                "must be a type name or a list of them",
            ));
            return;
        }
    };
    match types.as_slice() {
        [only] => {
            schema.insert("type".into(), only.as_str().into());
            if nullable {
                schema.insert("nullable".into(), Value::Bool(true));
            }
        }
        [] => problems.push(refusal(
            pointer,
            "type",
            "`null` alone has no equivalent in OpenAPI 3.0",
        )),
        _ => problems.push(refusal(
            pointer,
            "type",
            &format!(
                "lists {} types ({}); OpenAPI 3.0 allows one (use `oneOf`)",
                types.len(),
                types.join(", ")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str) -> Result<Value> {
        let mut document: Value = serde_yaml::from_str(text).unwrap();
        to_openapi_3_0(&mut document).map(|()| document)
    }

    #[test]
    fn nullable_types_examples_and_const_are_carried_over() {
        let document = convert(
            "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: [integer, 'null'], examples: [3, 4], exclusiveMinimum: 0}\n        k: {const: fixed}\n        r: {$ref: '#/components/schemas/B', description: ignored}\n    B: {type: string}\n",
        )
        .unwrap();
        let n = &document["components"]["schemas"]["A"]["properties"]["n"];
        assert_eq!(document["openapi"], Value::from(CONVERTED_VERSION));
        assert_eq!(n["type"], Value::from("integer"));
        assert_eq!(n["nullable"], Value::Bool(true));
        assert_eq!(n["example"], Value::from(3));
        assert_eq!(n["minimum"], Value::from(0));
        assert_eq!(n["exclusiveMinimum"], Value::Bool(true));
        assert!(n.get("examples").is_none());
        let k = &document["components"]["schemas"]["A"]["properties"]["k"];
        assert_eq!(k["enum"], Value::Sequence(vec!["fixed".into()]));
        let r = &document["components"]["schemas"]["A"]["properties"]["r"];
        assert!(r.get("description").is_none());
    }

    #[test]
    fn a_3_0_document_is_left_alone() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n";
        assert_eq!(
            convert(text).unwrap(),
            serde_yaml::from_str::<Value>(text).unwrap()
        );
        assert!(convert("openapi: 2.0\n").is_err());
        assert!(convert("swagger: '2.0'\n").is_err());
    }
}
