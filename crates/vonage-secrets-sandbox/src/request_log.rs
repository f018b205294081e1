//! The request log (bounded, newest kept) and its lines for the `log` facade.
//!
//! Rule: a record holds no secret material (no `Authorization` value, no body, no token), so
//! nothing printed from it can leak one.

use crate::RequestRecord;

/// The request log, keeping at most `limit` entries (the newest).
pub(crate) struct RequestLog {
    entries: std::collections::VecDeque<RequestRecord>,
    limit: usize,
}

impl RequestLog {
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog {
            entries: std::collections::VecDeque::new(),
            limit,
        }
    }

    pub(crate) fn push(&mut self, record: RequestRecord) {
        if self.limit == 0 {
            return;
        }
        if self.entries.len() >= self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back(record);
    }

    pub(crate) fn snapshot(&self) -> Vec<RequestRecord> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

/// One request in words, for the `log` facade: `GET /accounts/abcd1234/secrets -> 200 (list
/// secrets of account abcd1234)`. Never any secret material (the record holds none).
pub(crate) fn describe(record: &RequestRecord) -> String {
    use std::fmt::Write;
    let mut line = format!("{} {} -> ", record.method, record.path);
    match record.status {
        Some(status) => {
            let _ = write!(line, "{status}");
        }
        None => line.push_str("no response"),
    }
    line.push_str(" (");
    match (&record.operation, &record.api_key) {
        (Some(op), Some(key)) => {
            let _ = write!(line, "{op} of account {key}");
        }
        (Some(op), None) => {
            let _ = write!(line, "{op}");
        }
        (None, Some(key)) => {
            let _ = write!(line, "a method this path does not take, account {key}");
        }
        (None, None) if crate::voximplant::is_path(&record.path) => {
            line.push_str("not a Voximplant method the sandbox serves")
        }
        (None, None) => line.push_str("not an API path"),
    }
    if let Some(fault) = &record.fault {
        let _ = write!(line, "; injected fault: {fault}");
    }
    line.push(')');
    line
}

pub(crate) fn log_record(record: &RequestRecord) {
    log::info!("{}", describe(record));
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::{FaultKind, Operation};

    #[test]
    fn log_lines_are_in_words() {
        let mut record = RequestRecord {
            at: Utc::now(),
            method: "GET".into(),
            path: "/accounts/abcd1234/secrets".into(),
            api_key: Some("abcd1234".into()),
            operation: Some(Operation::List),
            secret_id: None,
            status: Some(503),
            fault: Some(FaultKind::Status {
                status: 503,
                retry_after: Some(1),
            }),
        };
        assert_eq!(
            describe(&record),
            "GET /accounts/abcd1234/secrets -> 503 (list secrets of account abcd1234; \
             injected fault: status 503 with Retry-After 1 s)"
        );
        let vox = RequestRecord {
            path: "/platform_api/AddSecret".into(),
            api_key: None,
            operation: Some(Operation::AddSecret),
            status: Some(200),
            fault: None,
            ..record.clone()
        };
        assert_eq!(
            describe(&vox),
            "GET /platform_api/AddSecret -> 200 (add a Voximplant secret)"
        );
        let unknown = RequestRecord {
            path: "/platform_api/Nope".into(),
            operation: None,
            ..vox
        };
        assert_eq!(
            describe(&unknown),
            "GET /platform_api/Nope -> 200 (not a Voximplant method the sandbox serves)"
        );
        record.operation = None;
        record.api_key = None;
        record.status = None;
        record.fault = Some(FaultKind::CloseConnection);
        assert_eq!(
            describe(&record),
            "GET /accounts/abcd1234/secrets -> no response (not an API path; injected fault: \
             connection closed)"
        );
    }
}
