//! Routing: which part of the sandbox answers a request, by path alone, before any fault or
//! log entry.
//!
//! Rule: `/dashboard` and `/_sandbox/` are not the API, so they take neither faults nor
//! request-log entries; every other path goes to an API's handler, which does both.

use std::sync::Arc;

use http::{Request, Response};
use hyper::body::Incoming;

use crate::reply::{Abort, Body};
use crate::shared::Shared;
use crate::{control, dashboard, limits, subaccounts, vonage};

/// Answers one request.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Abort> {
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
    vonage::handle(shared, req).await
}
