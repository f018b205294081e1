//! What a real round trip and the real API's rate limit cost: a latency added to every API
//! response, and a limit of requests per second per primary account (a secondary account's
//! requests count against its primary), past which the API answers 429 with `Retry-After`.
//!
//! Rule: applied in `routes::handle` to API paths only, before any fault or state change; a
//! refused request is logged like any other, with status 429.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use chrono::Utc;
use http::header::AUTHORIZATION;
use http::{Request, StatusCode};

use crate::RequestRecord;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::wire::Problem;

/// The latency and rate limit, as the builder set them.
#[derive(Default)]
pub(crate) struct Limits {
    pub(crate) latency: Duration,
    pub(crate) rate_limit: Option<u32>,
    /// Per primary account: the second (since the epoch) counted, and its requests so far.
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl Limits {
    pub(crate) fn new(latency: Duration, rate_limit: Option<u32>) -> Self {
        Limits {
            latency,
            rate_limit,
            windows: Mutex::default(),
        }
    }
}

/// The api key in a Basic `Authorization` header, unchecked (who the request counts against).
fn claimed_key<B>(req: &Request<B>) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (_, encoded) = value.trim().split_once(' ')?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    String::from_utf8(decoded[..colon].to_vec()).ok()
}

/// Waits the latency, then counts the request: `Some` reply (429) past the limit.
pub(crate) async fn admit<B>(shared: &Shared, req: &Request<B>) -> Option<Reply> {
    let limits = &shared.limits;
    if !limits.latency.is_zero() {
        tokio::time::sleep(limits.latency).await;
    }
    let limit = limits.rate_limit?;
    let key = claimed_key(req).unwrap_or_default();
    let primary = {
        let inner = shared.lock();
        match inner.store.account(&key).and_then(|a| a.owner.clone()) {
            Some(owner) => owner,
            None => key,
        }
    };
    let now = Utc::now().timestamp();
    let over = {
        let mut windows = limits.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(primary).or_insert((now, 0));
        if window.0 != now {
            *window = (now, 0);
        }
        window.1 += 1;
        window.1 > limit
    };
    if !over {
        return None;
    }
    let mut reply = Reply::problem(
        StatusCode::TOO_MANY_REQUESTS,
        Problem::blank(
            StatusCode::TOO_MANY_REQUESTS,
            format!("More than {limit} requests in one second; try again after Retry-After"),
        ),
    );
    reply.retry_after = Some(1);
    let record = RequestRecord {
        at: Utc::now(),
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        api_key: None,
        operation: None,
        secret_id: None,
        status: Some(429),
        fault: None,
    };
    crate::request_log::log_record(&record);
    shared.lock().log.push(record);
    Some(reply)
}
