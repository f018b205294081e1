//! Generates the sans-IO operations (`operations.rs`) from a spec.
//!
//! progenitor has no blocking backend, so this module writes the request types, outcome enums
//! and `Operation` impls itself, on the hand-written runtime crate. The output names no HTTP
//! library but the `http` crate, and nothing of any one API but what the spec says.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, SecurityScheme, Type,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::spec::{BodyEncoding, body_schema_name, json_schema_name, ref_name};

/// The vendor extension, at the top of a spec, that describes the API's error document.
pub const ERROR_BODY_EXTENSION: &str = "x-error-body";

/// The vendor extension, on an operation, that says whether it is safe to retry when its
/// method does not say it (a read sent as `POST`).
pub const IDEMPOTENT_EXTENSION: &str = "x-idempotent";

/// The runtime crate every generated crate depends on, as a path.
fn runtime() -> TokenStream {
    quote!(::vonage_secrets_runtime)
}

/// What the spec says its error documents look like.
struct ErrorBody {
    /// The component schema.
    schema: String,
    /// Whether the document can arrive with any status, success statuses included: then it is
    /// tried before the success schema.
    any_status: bool,
    /// JSON pointers into the document whose values make its `Display`.
    summary: Vec<String>,
}

struct Param {
    name: String,
    field: Ident,
    in_path: bool,
    ty: TokenStream,
    description: Option<String>,
}

enum Segment {
    Literal(String),
    Param(String),
}

struct Response {
    code: u16,
    description: String,
    schema: Option<String>,
}

struct Op {
    operation_id: String,
    method: String,
    path: String,
    summary: Option<String>,
    description: Option<String>,
    params: Vec<Param>,
    segments: Vec<Segment>,
    body: Option<(String, BodyEncoding, Option<String>)>,
    responses: Vec<Response>,
    auth: &'static str,
    idempotent: bool,
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A field name for a parameter: snake_case, raw when it is a keyword.
fn field_ident(name: &str) -> Ident {
    let snake = name.to_snake_case();
    match syn::parse_str::<Ident>(&snake) {
        Ok(ident) => ident,
        Err(_) => Ident::new_raw(&snake, Span::call_site()),
    }
}

fn doc(lines: &[Option<&str>]) -> TokenStream {
    let text = lines
        .iter()
        .flatten()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let attrs = text.lines().map(|line| {
        let line = format!(" {line}");
        let line = line.trim_end();
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Ok(parameter),
        ReferenceOr::Reference { reference } => {
            let name = ref_name(reference, "parameters")?;
            api.components
                .as_ref()
                .and_then(|components| components.parameters.get(name))
                .and_then(ReferenceOr::as_item)
                .with_context(|| format!("parameter `{reference}` does not resolve"))
        }
    }
}

/// The Rust type of a query parameter's schema.
fn scalar_type(at: &str, name: &str, schema: &openapiv3::Schema) -> Result<TokenStream> {
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => quote!(::std::string::String),
        SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                quote!(i32)
            }
            _ => quote!(i64),
        },
        SchemaKind::Type(Type::Number(_)) => quote!(f64),
        SchemaKind::Type(Type::Boolean(_)) => quote!(bool),
        _ => bail!(
            "{at}: parameter `{name}` must be a string, an integer, a number or a boolean; \
             send lists and objects in a body"
        ),
    })
}

/// The authentication an operation uses: its own `security`, else the spec's.
fn auth_scheme(api: &OpenAPI, operation: &openapiv3::Operation, at: &str) -> Result<&'static str> {
    let requirements = operation.security.as_ref().or(api.security.as_ref());
    let Some(requirements) = requirements else {
        return Ok("None");
    };
    let mut found: Option<&'static str> = None;
    for requirement in requirements {
        for name in requirement.keys() {
            let scheme = api
                .components
                .as_ref()
                .and_then(|components| components.security_schemes.get(name))
                .and_then(ReferenceOr::as_item)
                .with_context(|| format!("{at}: security scheme `{name}` does not resolve"))?;
            let kind = match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    "Basic"
                }
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    "Bearer"
                }
                _ => bail!(
                    "{at}: security scheme `{name}` is not supported; use `type: http` with \
                     `scheme: basic` or `scheme: bearer`"
                ),
            };
            if found.is_some_and(|found| found != kind) {
                bail!("{at}: the security requirements name both Basic and Bearer; name one");
            }
            found = Some(kind);
        }
    }
    Ok(found.unwrap_or("None"))
}

fn collect(api: &OpenAPI) -> Result<Vec<Op>> {
    let mut ops = Vec::new();
    for (path, item) in api.paths.iter() {
        let item = item
            .as_item()
            .with_context(|| format!("{path}: path items must be inline"))?;
        for (method, operation) in item.iter() {
            let at = format!("{} {path}", method.to_uppercase());
            let operation_id = operation
                .operation_id
                .clone()
                .with_context(|| format!("{at}: no operationId"))?;
            let mut params = Vec::new();
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                let parameter = resolve_parameter(api, parameter)?;
                let (data, in_path) = match parameter {
                    Parameter::Path { parameter_data, .. } => (parameter_data, true),
                    Parameter::Query { parameter_data, .. } => (parameter_data, false),
                    Parameter::Header { parameter_data, .. }
                        if ["authorization", "accept", "content-type"]
                            .contains(&parameter_data.name.to_ascii_lowercase().as_str()) =>
                    {
                        // OpenAPI: these header parameters are ignored; the security scheme
                        // and the media types say it.
                        continue;
                    }
                    _ => bail!("{at}: only path and query parameters are supported"),
                };
                let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format
                else {
                    bail!("{at}: parameter `{}` needs an inline schema", data.name);
                };
                let scalar = scalar_type(&at, &data.name, schema)?;
                let ty = if in_path {
                    if !matches!(schema.schema_kind, SchemaKind::Type(Type::String(_))) {
                        bail!("{at}: path parameter `{}` must be a string", data.name);
                    }
                    scalar
                } else if data.required {
                    scalar
                } else {
                    quote!(::std::option::Option<#scalar>)
                };
                let field = field_ident(&data.name);
                if field == "body" {
                    bail!("{at}: a parameter may not be named `body`");
                }
                if params.iter().any(|param: &Param| param.field == field) {
                    bail!("{at}: two parameters are both named `{field}` in Rust");
                }
                params.push(Param {
                    name: data.name.clone(),
                    field,
                    in_path,
                    ty,
                    description: data.description.clone(),
                });
            }
            let mut segments = Vec::new();
            let trimmed = path
                .strip_prefix('/')
                .with_context(|| format!("{at}: path must start with `/`"))?;
            for piece in trimmed.split('/') {
                if let Some(name) = piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if !params
                        .iter()
                        .any(|param| param.in_path && param.name == name)
                    {
                        bail!("{at}: `{{{name}}}` has no path parameter");
                    }
                    segments.push(Segment::Param(name.to_owned()));
                } else if piece.is_empty() || piece.contains(['{', '}', '%', '?', '#']) {
                    bail!("{at}: segment `{piece}` must be a whole `{{param}}` or plain text");
                } else {
                    segments.push(Segment::Literal(piece.to_owned()));
                }
            }
            let body = match &operation.request_body {
                None => None,
                Some(ReferenceOr::Item(body)) => {
                    if !body.required {
                        bail!("{at}: optional request bodies are not supported");
                    }
                    let (schema, encoding) = body_schema_name(&body.content, &api.components)
                        .with_context(|| format!("{at}: request body"))?;
                    Some((schema, encoding, body.description.clone()))
                }
                Some(ReferenceOr::Reference { .. }) => {
                    bail!("{at}: request bodies must be inline (with a named schema)")
                }
            };
            let mut responses = Vec::new();
            for (status, response) in &operation.responses.responses {
                let openapiv3::StatusCode::Code(code) = status else {
                    bail!("{at}: status ranges are not supported");
                };
                let response = match response {
                    ReferenceOr::Item(response) => response,
                    ReferenceOr::Reference { reference } => {
                        let name = ref_name(reference, "responses")?;
                        api.components
                            .as_ref()
                            .and_then(|components| components.responses.get(name))
                            .and_then(ReferenceOr::as_item)
                            .with_context(|| format!("{at}: `{reference}` does not resolve"))?
                    }
                };
                let schema = if response.content.is_empty() {
                    None
                } else {
                    Some(json_schema_name(&response.content, &api.components)?)
                };
                responses.push(Response {
                    code: *code,
                    description: response.description.clone(),
                    schema,
                });
            }
            responses.sort_by_key(|response| response.code);
            let auth = auth_scheme(api, operation, &at)?;
            let by_method = matches!(method, "get" | "head" | "put" | "delete" | "options");
            let idempotent = match operation.extensions.get(IDEMPOTENT_EXTENSION) {
                None => by_method,
                Some(serde_json::Value::Bool(idempotent)) => *idempotent,
                Some(_) => bail!("{at}: `{IDEMPOTENT_EXTENSION}` must be true or false"),
            };
            ops.push(Op {
                operation_id,
                method: method.to_uppercase(),
                path: path.clone(),
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                params,
                segments,
                body,
                responses,
                auth,
                idempotent,
            });
        }
    }
    Ok(ops)
}

/// The spec's error document: `x-error-body` when the spec has it, else the one schema every
/// documented error status uses (none when no error status is documented).
fn error_body(api: &OpenAPI, ops: &[Op]) -> Result<Option<ErrorBody>> {
    if let Some(extension) = api.extensions.get(ERROR_BODY_EXTENSION) {
        let problem = |what: &str| {
            anyhow::anyhow!(
                "`{ERROR_BODY_EXTENSION}` {what}; expected `{{schema: {{$ref: \
                 '#/components/schemas/<Name>'}}, any-status: <bool>, summary: [<JSON pointer>, \
                 ...]}}`"
            )
        };
        let object = extension
            .as_object()
            .ok_or_else(|| problem("is not a mapping"))?;
        for key in object.keys() {
            if !["schema", "any-status", "summary"].contains(&key.as_str()) {
                return Err(problem(&format!("has an unknown key `{key}`")));
            }
        }
        let reference = object
            .get("schema")
            .and_then(|schema| schema.get("$ref"))
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| problem("has no `schema` reference"))?;
        let schema = ref_name(reference, "schemas")?.to_owned();
        let any_status = match object.get("any-status") {
            None => false,
            Some(value) => value
                .as_bool()
                .ok_or_else(|| problem("has an `any-status` that is not a boolean"))?,
        };
        let summary = match object.get("summary") {
            None => Vec::new(),
            Some(value) => value
                .as_array()
                .and_then(|list| {
                    list.iter()
                        .map(|entry| {
                            entry
                                .as_str()
                                .filter(|pointer| pointer.starts_with('/'))
                                .map(str::to_owned)
                        })
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| problem("has a `summary` that is not a list of JSON pointers"))?,
        };
        return Ok(Some(ErrorBody {
            schema,
            any_status,
            summary,
        }));
    }
    let schemas: BTreeSet<&str> = ops
        .iter()
        .flat_map(|op| &op.responses)
        .filter(|response| !(200..300).contains(&response.code))
        .filter_map(|response| response.schema.as_deref())
        .collect();
    match schemas.len() {
        0 => Ok(None),
        1 => Ok(schemas.into_iter().next().map(|schema| ErrorBody {
            schema: schema.to_owned(),
            any_status: false,
            summary: Vec::new(),
        })),
        _ => bail!(
            "the error responses use {} schemas ({}); use one, or name it in \
             `{ERROR_BODY_EXTENSION}`",
            schemas.len(),
            schemas.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The `http::StatusCode` constant and the variant name for a status, from its canonical reason.
fn status_names(code: u16) -> Result<(Ident, Ident)> {
    let reason = http::StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
        .with_context(|| format!("status {code} has no canonical reason"))?;
    let words: Vec<&str> = reason
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let constant = words
        .iter()
        .map(|word| word.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    let variant = words.join(" ").to_lowercase().to_upper_camel_case();
    Ok((ident(&constant), ident(&variant)))
}

/// Generates `operations.rs`. `type_names` are the types the generated `types` module defines.
pub(crate) fn generate(api: &OpenAPI, type_names: &BTreeSet<String>) -> Result<syn::File> {
    let rt = runtime();
    let ops = collect(api)?;
    let check_type = |name: &str| -> Result<Ident> {
        crate::spec::type_name_of(name, type_names)
            .map(|name| ident(&name))
            .with_context(|| format!("schema `{name}` has no generated type of its name"))
    };
    let error = error_body(api, &ops)?;
    let mut items = Vec::new();
    let error_type = match &error {
        Some(error) => {
            let name = check_type(&error.schema)?;
            let pointers = &error.summary;
            items.push(quote! {
                /// Shows the fields the spec names as the error's summary.
                impl ::std::fmt::Display for crate::types::#name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(&#rt::response::summary(self, &[#(#pointers),*]))
                    }
                }
            });
            quote!(crate::types::#name)
        }
        None => quote!(::std::convert::Infallible),
    };
    let error_doc = match &error {
        Some(error) => format!(
            "The result of [`Operation::into_result`]({}::Operation::into_result) for this API: \
             a documented error with its `{}` document, or an unexpected response.",
            "crate", error.schema
        ),
        None => "The result of [`Operation::into_result`](crate::Operation::into_result) for \
                 this API, which documents no error document."
            .to_owned(),
    };
    let error_doc = doc(&[Some(&error_doc)]);
    items.push(quote! {
        #error_doc
        pub type Failure = #rt::Failure<#error_type>;
    });
    let any_status_error = error.as_ref().filter(|error| error.any_status);
    let mut infos = Vec::new();
    for op in &ops {
        let at = format!("{} {}", op.method, op.path);
        let type_name = ident(&op.operation_id.to_upper_camel_case());
        let outcome_name = ident(&format!("{type_name}Outcome"));
        let operation_id = &op.operation_id;
        let path = &op.path;
        let method = ident(&op.method.to_lowercase().to_upper_camel_case());
        let idempotent = op.idempotent;
        let auth = ident(op.auth);

        // The request type.
        let mut fields = Vec::new();
        let mut queries = Vec::new();
        for param in &op.params {
            let field = &param.field;
            let ty = &param.ty;
            let default = format!(
                "The `{}` {} parameter.",
                param.name,
                if param.in_path { "path" } else { "query" }
            );
            let field_doc = doc(&[Some(param.description.as_deref().unwrap_or(&default))]);
            fields.push(quote! { #field_doc pub #field: #ty, });
            if !param.in_path {
                let name = &param.name;
                queries.push(quote! { request.query(#name, &self.#field); });
            }
        }
        let body_call = match &op.body {
            Some((schema, encoding, description)) => {
                let schema = check_type(schema)?;
                let (how, call) = match encoding {
                    BodyEncoding::Json => ("sent as JSON", quote!(json_body)),
                    BodyEncoding::Form => ("sent form-encoded", quote!(form_body)),
                };
                let default = format!("The request body (`{schema}`), {how}.");
                let field_doc = doc(&[Some(description.as_deref().unwrap_or(&default))]);
                fields.push(quote! { #field_doc pub body: crate::types::#schema, });
                quote! { request.#call(&self.body)?; }
            }
            None => quote!(),
        };
        let method_line = format!("`{} {}`", op.method, op.path);
        let type_doc = doc(&[
            op.summary.as_deref(),
            op.description.as_deref(),
            Some(&format!(
                "{method_line} (operationId `{operation_id}`). Build the request with \
                 [`Operation::to_request`](crate::Operation::to_request), parse the response \
                 with [`Operation::parse_response`](crate::Operation::parse_response)."
            )),
        ]);
        items.push(quote! {
            #type_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #type_name {
                #(#fields)*
            }
        });

        // The outcome enum.
        let mut variants = Vec::new();
        let mut parse_arms = Vec::new();
        let mut result_arms = Vec::new();
        let mut output = None;
        let mut absorbed = Vec::new();
        for response in &op.responses {
            let (constant, variant) = status_names(response.code)?;
            let variant_doc = doc(&[Some(&format!(
                "{}: {}",
                response.code, response.description
            ))]);
            let success = (200..300).contains(&response.code);
            match (&response.schema, success) {
                (Some(schema), false) => {
                    let Some(error) = &error else {
                        bail!(
                            "{at} {}: an error response without an error schema",
                            response.code
                        );
                    };
                    if *schema != error.schema {
                        bail!(
                            "{at} {}: error responses must use `{}`, the spec's error document",
                            response.code,
                            error.schema
                        );
                    }
                    if error.any_status {
                        // The any-status check before the match catches it.
                        absorbed.push(format!("{}: {}", response.code, response.description));
                        continue;
                    }
                    let schema_ident = check_type(schema)?;
                    variants.push(quote! { #variant_doc #variant(crate::types::#schema_ident), });
                    parse_arms.push(quote! {
                        ::http::StatusCode::#constant => match #rt::response::decode_json(response) {
                            ::std::result::Result::Ok(value) => #outcome_name::#variant(value),
                            ::std::result::Result::Err(unexpected) => #outcome_name::Unexpected(unexpected),
                        },
                    });
                    result_arms.push(quote! {
                        #outcome_name::#variant(problem) => ::std::result::Result::Err(
                            #rt::Failure::Problem { status: ::http::StatusCode::#constant, problem }
                        ),
                    });
                }
                (Some(schema), true) => {
                    let schema_ident = check_type(schema)?;
                    if output.is_some() {
                        bail!("{at}: more than one success status is not supported");
                    }
                    output = Some(quote!(crate::types::#schema_ident));
                    variants.push(quote! { #variant_doc #variant(crate::types::#schema_ident), });
                    parse_arms.push(quote! {
                        ::http::StatusCode::#constant => match #rt::response::decode_json(response) {
                            ::std::result::Result::Ok(value) => #outcome_name::#variant(value),
                            ::std::result::Result::Err(unexpected) => #outcome_name::Unexpected(unexpected),
                        },
                    });
                    result_arms.push(quote! {
                        #outcome_name::#variant(value) => ::std::result::Result::Ok(value),
                    });
                }
                (None, true) => {
                    if output.is_some() {
                        bail!("{at}: more than one success status is not supported");
                    }
                    output = Some(quote!(()));
                    variants.push(quote! { #variant_doc #variant, });
                    parse_arms.push(quote! {
                        ::http::StatusCode::#constant => #outcome_name::#variant,
                    });
                    result_arms.push(quote! {
                        #outcome_name::#variant => ::std::result::Result::Ok(()),
                    });
                }
                (None, false) => {
                    bail!(
                        "{at} {}: error responses must have an error document",
                        response.code
                    )
                }
            }
        }
        let output = output.with_context(|| format!("{at}: no success status"))?;
        let mut any_status_check = quote!();
        if let Some(error) = any_status_error {
            let schema_ident = check_type(&error.schema)?;
            let mut lines = vec![format!(
                "The body is the API's error document (`{}`), whatever the status: it is tried \
                 before the success schema, so an error never parses as success.",
                error.schema
            )];
            lines.extend(absorbed);
            let lines: Vec<Option<&str>> = lines.iter().map(|line| Some(line.as_str())).collect();
            let variant_doc = doc(&lines);
            variants.push(quote! {
                #variant_doc
                Error {
                    /// The response's status (often a success status).
                    status: ::http::StatusCode,
                    /// The decoded error document.
                    error: crate::types::#schema_ident,
                },
            });
            any_status_check = quote! {
                if let ::std::option::Option::Some(error) = #rt::response::decode_error_body(response) {
                    return #outcome_name::Error { status: response.status(), error };
                }
            };
            result_arms.push(quote! {
                #outcome_name::Error { status, error } => ::std::result::Result::Err(
                    #rt::Failure::Problem { status, problem: error }
                ),
            });
        }
        let outcome_doc = doc(&[Some(&format!(
            "What a response to [`{type_name}`] means: one variant per response the spec \
             documents, and [`Unexpected`](crate::Unexpected) for anything else."
        ))]);
        items.push(quote! {
            #outcome_doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #outcome_name {
                #(#variants)*
                /// A status the spec does not document, or a body that does not decode.
                Unexpected(#rt::Unexpected),
            }
        });

        // The request's path, one segment at a time.
        let segments = op.segments.iter().map(|segment| match segment {
            Segment::Literal(text) => quote!(request.literal(#text);),
            Segment::Param(name) => {
                let field = field_ident(name);
                quote!(request.segment(#name, &self.#field)?;)
            }
        });
        items.push(quote! {
            impl #rt::Operation for #type_name {
                const METADATA: #rt::Metadata = #rt::Metadata {
                    operation_id: #operation_id,
                    method: #rt::Method::#method,
                    path_template: #path,
                    idempotent: #idempotent,
                    auth: #rt::AuthScheme::#auth,
                };
                type Output = #output;
                type Outcome = #outcome_name;
                type ErrorBody = #error_type;

                fn build_request(
                    &self,
                    base_url: #rt::BaseUrlRef<'_>,
                ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, #rt::BuildError> {
                    let mut request = #rt::RequestBuilder::new(base_url, &Self::METADATA);
                    #(#segments)*
                    #(#queries)*
                    #body_call
                    request.build()
                }

                fn parse_response(response: &::http::Response<::std::vec::Vec<u8>>) -> Self::Outcome {
                    #any_status_check
                    match response.status() {
                        #(#parse_arms)*
                        _ => #outcome_name::Unexpected(#rt::response::undocumented(response)),
                    }
                }

                fn into_result(
                    outcome: Self::Outcome,
                ) -> ::std::result::Result<Self::Output, #rt::Failure<Self::ErrorBody>> {
                    match outcome {
                        #(#result_arms)*
                        #outcome_name::Unexpected(unexpected) => {
                            ::std::result::Result::Err(#rt::Failure::Unexpected(unexpected))
                        }
                    }
                }
            }
        });
        infos.push(quote!(<#type_name as #rt::Operation>::METADATA));
    }
    items.push(quote! {
        /// Every operation generated, in the spec's order.
        pub const ALL: &[#rt::Metadata] = &[#(#infos),*];
    });
    syn::parse2(quote!(#(#items)*)).context("parsing the generated operations")
}
