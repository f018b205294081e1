//! What every connection shares: the state, the faults and the request log behind one lock,
//! and the settings the handlers read.
//!
//! Rule: nothing here knows HTTP; the lock is held only for a state change and its log entry.

use std::sync::{Mutex, MutexGuard};

use http::StatusCode;
use secrecy::SecretString;

use crate::fault::Faults;
use crate::request_log::RequestLog;
use crate::state::Store;
use crate::voximplant_state::VoxStore;

/// Everything the server shares between connections, behind one lock.
pub(crate) struct Shared {
    pub(crate) inner: Mutex<Inner>,
    pub(crate) excess_status: StatusCode,
    /// The seeded state, for the control API's reset.
    pub(crate) initial: Store,
    /// The control API's token.
    pub(crate) token: SecretString,
    /// Whether the server speaks TLS (cookies are then `Secure`).
    pub(crate) tls: bool,
    /// The dashboard's sign-in sessions.
    pub(crate) sessions: Mutex<crate::control::Sessions>,
    /// The latency and rate limit of API requests.
    pub(crate) limits: crate::limits::Limits,
    /// When the sandbox started (the accounts' `created_at` in the Subaccounts API).
    pub(crate) started: chrono::DateTime<chrono::Utc>,
    /// The accounts the Subaccounts API reports as suspended.
    pub(crate) suspended: std::collections::HashSet<String>,
    /// The seeded Voximplant state, for the control API's reset.
    pub(crate) vox_initial: VoxStore,
    /// Answer `AddSecret` and `GetSecretValue` with a list of one (as the official Node
    /// client expects) instead of an object.
    pub(crate) vox_array_results: bool,
    /// Each Voximplant account's `credentials.json`, by account id.
    pub(crate) vox_credentials: Vec<(u64, SecretString)>,
}

/// The Voximplant side's settings, for [`Shared::new`].
pub(crate) struct VoxSettings {
    pub(crate) store: VoxStore,
    pub(crate) array_results: bool,
    pub(crate) credentials: Vec<(u64, SecretString)>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
    pub(crate) vox: VoxStore,
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        excess_status: StatusCode,
        log_limit: usize,
        token: SecretString,
        tls: bool,
        vox: VoxSettings,
    ) -> Self {
        Shared {
            vox_initial: vox.store.clone(),
            vox_array_results: vox.array_results,
            vox_credentials: vox.credentials,
            initial: store.clone(),
            token,
            tls,
            sessions: Mutex::new(crate::control::Sessions::default()),
            limits: crate::limits::Limits::default(),
            started: chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0),
            suspended: std::collections::HashSet::new(),
            inner: Mutex::new(Inner {
                store,
                faults: Faults::default(),
                log: RequestLog::new(log_limit),
                vox: vox.store,
            }),
            excess_status,
        }
    }

    /// The one lock. Nothing panics while holding it, but a poisoned lock is still usable:
    /// every operation leaves the state consistent before it could panic.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
