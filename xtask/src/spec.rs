//! Reading, linting and post-processing around the spec.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use serde_yaml::Value;

/// Parses a spec's text (YAML or JSON; OpenAPI 3.0, or 3.1 converted to 3.0) with every
/// operation it holds.
pub fn load_spec(text: &str) -> Result<OpenAPI> {
    let mut document = load_document(text)?;
    crate::convert::to_openapi_3_0(&mut document)?;
    into_openapi(document)
}

/// Parses a spec's text into a YAML tree, unconverted.
pub fn load_document(text: &str) -> Result<Value> {
    serde_yaml::from_str(text).context("the spec is not valid YAML or JSON")
}

/// The typed OpenAPI 3.0 document of a (converted) tree.
pub fn into_openapi(document: Value) -> Result<OpenAPI> {
    let api: OpenAPI =
        serde_yaml::from_value(document).context("the spec is not valid OpenAPI 3.0")?;
    if !api.openapi.starts_with("3.0.") {
        bail!("the spec must be OpenAPI 3.0.x, found `{}`", api.openapi);
    }
    Ok(api)
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keeps only the operations `wanted` names (every one must exist) and the components they
/// reach; drops path items left without operations.
pub fn select_operations(document: &mut Value, wanted: &[String]) -> Result<()> {
    let mut found = BTreeSet::new();
    if let Some(Value::Mapping(paths)) = document.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Mapping(item) = item else { continue };
            for method in METHODS {
                let id = item
                    .get(*method)
                    .and_then(|operation| operation.get("operationId"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                match id {
                    Some(id) if wanted.contains(&id) => {
                        found.insert(id);
                    }
                    Some(_) => {
                        item.remove(*method);
                    }
                    None => {}
                }
            }
        }
        paths.retain(|_, item| METHODS.iter().any(|method| item.get(*method).is_some()));
    }
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|id| !found.contains(*id))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        bail!(
            "the spec has no operation with the operationId {}",
            missing
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    prune_components(document);
    Ok(())
}

/// Removes the components nothing outside `components` reaches (security schemes stay).
fn prune_components(document: &mut Value) {
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    if let Value::Mapping(root) = &*document {
        for (key, value) in root {
            if key.as_str() != Some("components") {
                collect_refs(value, &mut pending);
            }
        }
    }
    while let Some(reference) = pending.pop() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        let Some((kind, name)) = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.split_once('/'))
        else {
            continue;
        };
        if let Some(target) = document
            .get("components")
            .and_then(|components| components.get(kind))
            .and_then(|entries| entries.get(name))
        {
            collect_refs(target, &mut pending);
        }
    }
    let Some(Value::Mapping(components)) = document.get_mut("components") else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let Some(kind) = kind.as_str() else { continue };
        if kind == "securitySchemes" {
            continue;
        }
        if let Value::Mapping(entries) = entries {
            entries.retain(|name, _| {
                name.as_str()
                    .is_some_and(|name| reached.contains(&format!("#/components/{kind}/{name}")))
            });
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, inner) in map {
                if key.as_str() == Some("$ref") {
                    if let Some(reference) = inner.as_str() {
                        out.push(reference.to_owned());
                    }
                } else {
                    collect_refs(inner, out);
                }
            }
        }
        Value::Sequence(list) => list.iter().for_each(|inner| collect_refs(inner, out)),
        Value::Tagged(tagged) => collect_refs(&tagged.value, out),
        _ => {}
    }
}

/// The name a `#/components/<kind>/<name>` reference points to.
pub(crate) fn ref_name<'a>(reference: &'a str, kind: &str) -> Result<&'a str> {
    let prefix = format!("#/components/{kind}/");
    reference
        .strip_prefix(&prefix)
        .with_context(|| format!("`{reference}` is not a reference to components/{kind}"))
}

/// Checks the rules the generator relies on, with messages that say what to fix:
/// every operation has a unique operationId; every response and request body either uses a
/// named component schema as `application/json` or, by design, has no content (only 204);
/// every reference resolves.
pub fn lint_spec(api: &OpenAPI) -> Result<()> {
    let components = api
        .components
        .as_ref()
        .context("the spec has no components")?;
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            problems.push(format!("{path}: path items must be inline, not references"));
            continue;
        };
        for (method, operation) in item.iter() {
            let at = format!("{} {path}", method.to_uppercase());
            match &operation.operation_id {
                None => problems.push(format!("{at}: no operationId")),
                Some(id) if !ids.insert(id.clone()) => {
                    problems.push(format!("{at}: operationId `{id}` is not unique"));
                }
                Some(_) => {}
            }
            if operation.summary.is_none() {
                problems.push(format!("{at}: no summary"));
            }
            if let Some(body) = &operation.request_body {
                let body = match body {
                    ReferenceOr::Item(body) => Some(body),
                    ReferenceOr::Reference { reference } => ref_name(reference, "requestBodies")
                        .ok()
                        .and_then(|name| components.request_bodies.get(name))
                        .and_then(ReferenceOr::as_item),
                };
                match body {
                    None => problems.push(format!("{at}: request body does not resolve")),
                    Some(body) => {
                        if let Err(error) = body_schema_name(&body.content, &api.components) {
                            problems.push(format!("{at}: request body: {error:#}"));
                        }
                    }
                }
            }
            if operation.responses.default.is_some() {
                problems.push(format!("{at}: `default` responses are not supported"));
            }
            if operation.responses.responses.is_empty() {
                problems.push(format!("{at}: no responses"));
            }
            for (status, response) in &operation.responses.responses {
                let openapiv3::StatusCode::Code(code) = status else {
                    problems.push(format!("{at}: status ranges ({status}) are not supported"));
                    continue;
                };
                let response = match response {
                    ReferenceOr::Item(response) => Some(response),
                    ReferenceOr::Reference { reference } => ref_name(reference, "responses")
                        .ok()
                        .and_then(|name| components.responses.get(name))
                        .and_then(ReferenceOr::as_item),
                };
                let Some(response) = response else {
                    problems.push(format!("{at} {code}: response does not resolve"));
                    continue;
                };
                if response.content.is_empty() {
                    if *code != 204 {
                        problems.push(format!(
                            "{at} {code}: no content; only 204 may have none, by design"
                        ));
                    }
                } else if let Err(error) = json_schema_name(&response.content, &api.components) {
                    problems.push(format!("{at} {code}: {error:#}"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "the spec breaks the generator's rules:\n  {}",
            problems.join("\n  ")
        )
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    /// `application/json`
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
}

/// The component schema and encoding of a request body: `application/json` or
/// `application/x-www-form-urlencoded`, with a named schema.
pub(crate) fn body_schema_name(
    content: &openapiv3::Content,
    components: &Option<openapiv3::Components>,
) -> Result<(String, BodyEncoding)> {
    if content.len() != 1 {
        bail!(
            "expected exactly one media type, `application/json` or \
             `application/x-www-form-urlencoded`"
        );
    }
    if content.contains_key("application/x-www-form-urlencoded") {
        let name = schema_name(content, "application/x-www-form-urlencoded", components)?;
        return Ok((name, BodyEncoding::Form));
    }
    let name = json_schema_name(content, components).context(
        "the only media type must be `application/json` or `application/x-www-form-urlencoded`",
    )?;
    Ok((name, BodyEncoding::Json))
}

/// The component schema an `application/json` content uses (named, never inline).
pub(crate) fn json_schema_name(
    content: &openapiv3::Content,
    components: &Option<openapiv3::Components>,
) -> Result<String> {
    if content.len() != 1 {
        bail!("expected exactly one media type, `application/json`");
    }
    schema_name(content, "application/json", components)
}

fn schema_name(
    content: &openapiv3::Content,
    media_type: &str,
    components: &Option<openapiv3::Components>,
) -> Result<String> {
    let media = content
        .get(media_type)
        .with_context(|| format!("the only media type must be `{media_type}`"))?;
    let schema = media
        .schema
        .as_ref()
        .with_context(|| format!("`{media_type}` has no schema"))?;
    let ReferenceOr::Reference { reference } = schema else {
        bail!("inline schema: use a named schema under components/schemas so names read well");
    };
    let name = ref_name(reference, "schemas")?;
    let exists = components
        .as_ref()
        .is_some_and(|components| components.schemas.contains_key(name));
    if !exists {
        bail!("schema `{name}` does not exist");
    }
    Ok(name.to_owned())
}

/// The generated type of the component schema `schema`: of the same name, or of the name
/// typify makes of it (UpperCamelCase).
pub(crate) fn type_name_of(schema: &str, type_names: &BTreeSet<String>) -> Option<String> {
    use heck::ToUpperCamelCase;

    [schema.to_owned(), schema.to_upper_camel_case()]
        .into_iter()
        .find(|name| type_names.contains(name))
}

/// The names of the types (structs and enums) a generated file defines at its top level.
pub(crate) fn type_names(file: &syn::File) -> BTreeSet<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            syn::Item::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Makes the `Debug` of every `format: password` property's type print `<redacted>`.
///
/// typify gives a string with length constraints its own newtype; that newtype's derived `Debug`
/// is replaced by one that never prints the value. A sensitive property without such a newtype
/// is an error, so that a spec change cannot silently turn redaction off.
pub(crate) fn redact_sensitive_types(api: &OpenAPI, types: &mut syn::File) -> Result<()> {
    let Some(components) = &api.components else {
        return Ok(());
    };
    let mut sensitive = Vec::new();
    for (schema_name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        for (property, property_schema) in &object.properties {
            let ReferenceOr::Item(property_schema) = property_schema else {
                continue;
            };
            if let SchemaKind::Type(Type::String(string)) = &property_schema.schema_kind
                && string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
            {
                sensitive.push((schema_name.clone(), property.clone()));
            }
        }
    }
    let names = type_names(types);
    for (schema_name, property) in sensitive {
        let schema_name = type_name_of(&schema_name, &names).unwrap_or(schema_name);
        let field_type = types
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(item) if item.ident == schema_name => {
                    item.fields.iter().find_map(|field| {
                        let name = field.ident.as_ref()?.to_string();
                        (name == property || name == format!("{property}_"))
                            .then(|| field.ty.clone())
                    })
                }
                _ => None,
            })
            .with_context(|| format!("no generated field for `{schema_name}.{property}`"))?;
        let syn::Type::Path(path) = field_type else {
            bail!("`{schema_name}.{property}` has an unexpected generated type");
        };
        let mut last = path.path.segments.last().context("empty type path")?;
        // An optional property: the newtype inside the `Option`.
        if last.ident == "Option"
            && let syn::PathArguments::AngleBracketed(arguments) = &last.arguments
            && let Some(syn::GenericArgument::Type(syn::Type::Path(inner))) = arguments.args.first()
        {
            last = inner.path.segments.last().context("empty type path")?;
        }
        let newtype = last.ident.clone();
        let Some(target) = types.items.iter_mut().find_map(|item| match item {
            syn::Item::Struct(item) if item.ident == newtype => Some(item),
            _ => None,
        }) else {
            bail!(
                "`{schema_name}.{property}` is `format: password` but typify generated no newtype \
                 for it (it is `{newtype}`), so its Debug cannot be redacted; give the property \
                 constraints such as minLength/maxLength"
            );
        };
        let mut found_debug = false;
        for attribute in &mut target.attrs {
            if !attribute.path().is_ident("derive") {
                continue;
            }
            let derives = attribute
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .context("parsing a derive list")?;
            let kept: Vec<&syn::Path> = derives
                .iter()
                .filter(|path| {
                    let is_debug = path
                        .segments
                        .last()
                        .is_some_and(|segment| segment.ident == "Debug");
                    found_debug |= is_debug;
                    !is_debug
                })
                .collect();
            *attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
        if !found_debug {
            bail!("`{newtype}` has no derived Debug to replace");
        }
        let placeholder = format!("{newtype}(<redacted>)");
        types.items.push(syn::parse_quote! {
            /// Never prints the value: it is a secret.
            impl ::std::fmt::Debug for #newtype {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#placeholder)
                }
            }
        });
    }
    Ok(())
}
