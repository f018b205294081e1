//! Generates the sans-IO operations (`operations.rs`) from the spec.
//!
//! progenitor has no blocking backend, so this module writes the request types, outcome enums
//! and `Operation` impls itself. The output names no HTTP library but the `http` crate.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::spec::{json_schema_name, ref_name};

/// The one schema every error response must use; the crate's `Failure::Problem` holds it.
const PROBLEM_SCHEMA: &str = "Problem";

struct PathParam {
    name: String,
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
    params: Vec<PathParam>,
    segments: Vec<Segment>,
    body: Option<(String, Option<String>)>,
    responses: Vec<Response>,
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
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
                let Parameter::Path { parameter_data, .. } = parameter else {
                    bail!("{at}: only path parameters are supported");
                };
                let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
                    &parameter_data.format
                else {
                    bail!(
                        "{at}: parameter `{}` needs an inline schema",
                        parameter_data.name
                    );
                };
                if !matches!(schema.schema_kind, SchemaKind::Type(Type::String(_))) {
                    bail!(
                        "{at}: path parameter `{}` must be a string",
                        parameter_data.name
                    );
                }
                params.push(PathParam {
                    name: parameter_data.name.clone(),
                    description: parameter_data.description.clone(),
                });
            }
            let mut segments = Vec::new();
            let trimmed = path
                .strip_prefix('/')
                .with_context(|| format!("{at}: path must start with `/`"))?;
            for piece in trimmed.split('/') {
                if let Some(name) = piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if !params.iter().any(|param| param.name == name) {
                        bail!("{at}: `{{{name}}}` has no parameter");
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
                    let schema = json_schema_name(&body.content, &api.components)
                        .with_context(|| format!("{at}: request body"))?;
                    Some((schema, body.description.clone()))
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
            });
        }
    }
    Ok(ops)
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
    let ops = collect(api)?;
    let check_type = |name: &str| -> Result<Ident> {
        if type_names.contains(name) {
            Ok(ident(name))
        } else {
            bail!("schema `{name}` has no generated type of the same name")
        }
    };
    check_type(PROBLEM_SCHEMA)?;
    let mut items = Vec::new();
    let mut infos = Vec::new();
    for op in &ops {
        let at = format!("{} {}", op.method, op.path);
        let type_name = ident(&op.operation_id.to_upper_camel_case());
        let outcome_name = ident(&format!("{type_name}Outcome"));
        let operation_id = &op.operation_id;
        let path = &op.path;
        let method = ident(&op.method);
        let idempotent = matches!(
            op.method.as_str(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS"
        );

        // The request type.
        let mut fields = Vec::new();
        for param in &op.params {
            let field = ident(&param.name.to_snake_case());
            if param.name.to_snake_case() != param.name {
                bail!("{at}: path parameter `{}` must be snake_case", param.name);
            }
            let field_doc = doc(&[param.description.as_deref()]);
            fields.push(quote! { #field_doc pub #field: ::std::string::String, });
        }
        let body_arg = match &op.body {
            Some((schema, description)) => {
                let schema = check_type(schema)?;
                let default = format!("The request body (`{schema}`), sent as JSON.");
                let field_doc = doc(&[Some(description.as_deref().unwrap_or(&default))]);
                fields.push(quote! { #field_doc pub body: crate::types::#schema, });
                quote!(::std::option::Option::Some(crate::support::json_body(
                    &self.body
                )?))
            }
            None => quote!(::std::option::Option::None),
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
        for response in &op.responses {
            let (constant, variant) = status_names(response.code)?;
            let variant_doc = doc(&[Some(&format!(
                "{}: {}",
                response.code, response.description
            ))]);
            let success = (200..300).contains(&response.code);
            match (&response.schema, success) {
                (Some(schema), _) => {
                    let schema_ident = check_type(schema)?;
                    variants.push(quote! { #variant_doc #variant(crate::types::#schema_ident), });
                    parse_arms.push(quote! {
                        ::http::StatusCode::#constant => match crate::support::decode_json(response) {
                            ::std::result::Result::Ok(value) => #outcome_name::#variant(value),
                            ::std::result::Result::Err(unexpected) => #outcome_name::Unexpected(unexpected),
                        },
                    });
                    if success {
                        if output.is_some() {
                            bail!("{at}: more than one success status is not supported");
                        }
                        output = Some(quote!(crate::types::#schema_ident));
                        result_arms.push(quote! {
                            #outcome_name::#variant(value) => ::std::result::Result::Ok(value),
                        });
                    } else {
                        if schema != PROBLEM_SCHEMA {
                            bail!(
                                "{at} {}: error responses must use `{PROBLEM_SCHEMA}`",
                                response.code
                            );
                        }
                        result_arms.push(quote! {
                            #outcome_name::#variant(problem) => ::std::result::Result::Err(
                                crate::Failure::Problem { status: ::http::StatusCode::#constant, problem }
                            ),
                        });
                    }
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
                        "{at} {}: error responses must have a problem body",
                        response.code
                    )
                }
            }
        }
        let output = output.with_context(|| format!("{at}: no success status"))?;
        let outcome_doc = doc(&[Some(&format!(
            "What a response to [`{type_name}`] means: one variant per status the spec documents, \
             and [`Unexpected`](crate::Unexpected) for anything else."
        ))]);
        items.push(quote! {
            #outcome_doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #outcome_name {
                #(#variants)*
                /// A status the spec does not document, or a body that does not decode.
                Unexpected(crate::Unexpected),
            }
        });

        // The request's path, one segment at a time.
        let segments = op.segments.iter().map(|segment| match segment {
            Segment::Literal(text) => quote!(crate::support::Segment::Literal(#text)),
            Segment::Param(name) => {
                let field = ident(name);
                quote!(crate::support::Segment::Param { name: #name, value: &self.#field })
            }
        });
        items.push(quote! {
            impl crate::Operation for #type_name {
                const OPERATION_ID: &'static str = #operation_id;
                const METHOD: ::http::Method = ::http::Method::#method;
                const PATH_TEMPLATE: &'static str = #path;
                const IDEMPOTENT: bool = #idempotent;
                type Output = #output;
                type Outcome = #outcome_name;

                fn to_request(
                    &self,
                    base_url: &str,
                ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::BuildError> {
                    crate::support::build_request(
                        base_url,
                        Self::METHOD,
                        &[#(#segments),*],
                        #body_arg,
                    )
                }

                fn parse_response(response: &::http::Response<::std::vec::Vec<u8>>) -> Self::Outcome {
                    match response.status() {
                        #(#parse_arms)*
                        _ => #outcome_name::Unexpected(crate::support::undocumented(response)),
                    }
                }

                fn into_result(
                    outcome: Self::Outcome,
                ) -> ::std::result::Result<Self::Output, crate::Failure> {
                    match outcome {
                        #(#result_arms)*
                        #outcome_name::Unexpected(unexpected) => {
                            ::std::result::Result::Err(crate::Failure::Unexpected(unexpected))
                        }
                    }
                }
            }
        });
        let method_str = &op.method;
        infos.push(quote! {
            crate::OperationInfo {
                operation_id: #operation_id,
                method: #method_str,
                path_template: #path,
                idempotent: #idempotent,
            }
        });
    }
    items.push(quote! {
        /// Every operation the spec defines, in the spec's order.
        pub const ALL: &[crate::OperationInfo] = &[#(#infos),*];
    });
    syn::parse2(quote!(#(#items)*)).context("parsing the generated operations")
}
