//! Routing: which part of the sandbox answers a request, by path alone, before any fault or
//! log entry.
//!
//! Rule: `/dashboard` and `/_sandbox/` are not the API, so they take neither faults nor
//! request-log entries; `/platform_api` goes to the Voximplant handler and every other path to the Secret
//! Management API's; both take faults and write the request log.

use std::sync::Arc;

use http::header::{CONNECTION, HeaderValue};
use http::{Request, Response};
use hyper::body::Incoming;

use crate::reply::{self, Abort, Body, RequestBody};
use crate::shared::Shared;
use crate::{control, dashboard, limits, subaccounts, vonage, voximplant};

/// Answers one request, once its body is read (see `reply.rs`); when it could not be read
/// whole, the answer closes the connection and says so.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Abort> {
    let (req, whole) = reply::buffer(req).await;
    let mut response = dispatch(shared, req).await?;
    if !whole {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(response)
}

async fn dispatch(shared: Arc<Shared>, req: Request<RequestBody>) -> Result<Response<Body>, Abort> {
    let path = req.uri().path();
    if path == dashboard::PATH || path.starts_with("/dashboard/") {
        return dashboard::handle(&shared, req).await;
    }
    if path.starts_with(control::PREFIX) {
        return control::handle(&shared, req).await;
    }
    if let Some(reply) = limits::admit(&shared, &req).await {
        return Ok(reply.into_response(None));
    }
    if let Some((key, sub)) = subaccounts::route(req.uri().path()) {
        return subaccounts::handle(shared, req, key, sub).await;
    }
    if voximplant::is_path(path) {
        return voximplant::handle(shared, req).await;
    }
    vonage::handle(shared, req).await
}
