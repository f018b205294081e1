//! The dashboard in a real browser: headless Chromium, driven over the DevTools protocol,
//! signs in, adds a secret, meets the rule error, revokes, meets the last-secret refusal, sees
//! a change made through the API without a reload, switches to a secondary account, injects a
//! fault that an API client then gets, and signs out. Screenshots land in
//! `target/tmp/dashboard/` for a person to look at.
//!
//! Without Chromium the test prints that it skipped, except under CI (`CI=true`), where it
//! fails: `.ci/run` installs Chromium from the machine's packages.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

/// How long one step may take before the test gives up (generous: a loaded 2-core machine).
const STEP: Duration = Duration::from_secs(30);

fn chromium() -> Option<PathBuf> {
    match headless_chrome::browser::default_executable() {
        Ok(path) => Some(path),
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "the dashboard's browser test needs Chromium, and none was found ({e}). \
                     Install it (`apt-get install chromium`, as .ci/run does) or set CHROME to \
                     the browser's path"
                );
            }
            eprintln!("skipped: no Chromium found ({e}); install chromium or set CHROME to run it");
            None
        }
    }
}

/// The value of a JavaScript expression, as text.
fn js(tab: &Tab, expression: &str) -> String {
    let value = tab
        .evaluate(expression, true)
        .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"))
        .value;
    match value {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn text(tab: &Tab, selector: &str) -> String {
    js(
        tab,
        &format!("(document.querySelector({selector:?}) || {{innerText: ''}}).innerText"),
    )
}

/// Waits until `done` holds; panics with `what` and the page's text when it does not in time.
fn wait(tab: &Tab, what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > STEP {
            panic!(
                "timed out waiting for {what}; the page says:\n{}",
                text(tab, "body")
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn type_into(tab: &Tab, selector: &str, value: &str) {
    js(
        tab,
        &format!("document.querySelector({selector:?}).value = ''"),
    );
    tab.wait_for_element(selector).unwrap().click().unwrap();
    // The whole text as one input event (typing key by key costs a round trip per key).
    tab.send_character(value).unwrap();
}

fn click(tab: &Tab, selector: &str) {
    tab.wait_for_element(selector).unwrap().click().unwrap();
}

fn screenshot(tab: &Tab, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard");
    std::fs::create_dir_all(&dir).unwrap();
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, png).unwrap();
    path
}

#[test]
fn the_dashboard_in_a_real_browser() {
    let Some(path) = chromium() else {
        return;
    };
    let started = Instant::now();
    let mut lap = Instant::now();
    let mut step = |name: &str| {
        println!("  {name}: {:.1} s", lap.elapsed().as_secs_f64());
        lap = Instant::now();
    };
    let sb = sandbox();
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            // As root (CI) Chromium's own sandbox cannot start.
            .sandbox(false)
            .window_size(Some((1280, 1500)))
            .args(vec![std::ffi::OsStr::new("--disable-dev-shm-usage")])
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    )
    .expect("Chromium starts");
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(STEP);

    step("browser start");
    // Sign in.
    tab.navigate_to(&sb.dashboard_url())
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    type_into(&tab, "#api_key", KEY);
    type_into(&tab, "#api_secret", "Not-The-Secret-1");
    click(&tab, "#sign-in");
    wait(&tab, "the refusal of a wrong secret", || {
        text(&tab, "#sign-in-error").contains("You did not provide correct credentials.")
    });
    type_into(&tab, "#api_secret", SECRET);
    screenshot(&tab, "sign-in.png");
    click(&tab, "#sign-in");
    wait(&tab, "the signed-in page", || {
        text(&tab, "#signed-in-as") == KEY
    });
    let first = sb.secrets_of(KEY).unwrap()[0].id.clone();
    wait(&tab, "the seeded secret in Settings", || {
        let t = text(&tab, "#secrets tbody");
        t.contains("API Secret 1") && t.contains(&first) && !t.contains("API Secret 2")
    });

    step("sign-in");
    // Add New Secret.
    type_into(&tab, "#new-secret", "Browser-Secret-2");
    click(&tab, "#add");
    wait(&tab, "the new secret in the sandbox", || {
        sb.secrets_of(KEY).unwrap().len() == 2
    });
    let second = sb.secrets_of(KEY).unwrap()[1].id.clone();
    wait(&tab, "the new secret as API Secret 2", || {
        let t = text(&tab, "#secrets tbody");
        t.contains("API Secret 2") && t.contains(&second)
    });
    assert!(text(&tab, "#message").contains("added"));

    step("add");
    // The rule error: the server's own words.
    type_into(&tab, "#new-secret", "weak");
    click(&tab, "#add");
    wait(&tab, "the rule error", || {
        text(&tab, "#message").contains("Does not meet complexity requirements")
    });
    assert!(text(&tab, "#message").contains("The request failed due to secret validation errors"));
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 2);

    step("rule error");
    // The trash icon revokes API Secret 1.
    click(&tab, "#secrets tbody tr:nth-child(1) button.revoke");
    wait(&tab, "the revoke in the sandbox", || {
        sb.secrets_of(KEY).unwrap().len() == 1
    });
    assert_eq!(sb.secrets_of(KEY).unwrap()[0].id, second);
    wait(&tab, "one secret left on the page", || {
        let t = text(&tab, "#secrets tbody");
        !t.contains(&first) && t.contains(&second) && !t.contains("API Secret 2")
    });

    step("revoke");
    // The last secret cannot be revoked, with the API's message.
    click(&tab, "#secrets tbody tr:nth-child(1) button.revoke");
    wait(&tab, "the last-secret refusal", || {
        text(&tab, "#message").contains("Can not delete the last secret")
    });
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);

    step("last-secret refusal");
    // A change made through the API appears without a reload.
    let api = Client::new(sb.base_url(), KEY, "Browser-Secret-2");
    let made = api.create(KEY, "Api-Made-Secret-3");
    assert_eq!(made.status, 201, "{}", made.body);
    let made_id = made.json()["id"].as_str().unwrap().to_owned();
    wait(&tab, "the secret made through the API", || {
        text(&tab, "#secrets tbody").contains(&made_id)
    });
    wait(&tab, "the API's request in the log", || {
        text(&tab, "#requests tbody").contains("201")
    });

    step("change through the API");
    // A primary sees its secondary account and can switch to it.
    let sub_id = sb.secrets_of(SUB).unwrap()[0].id.clone();
    js(
        &tab,
        &format!(
            "const s = document.getElementById('account'); s.value = {SUB:?}; \
             s.dispatchEvent(new Event('change')); s.value"
        ),
    );
    wait(&tab, "the secondary account's secret", || {
        text(&tab, "#viewing") == SUB && text(&tab, "#secrets tbody").contains(&sub_id)
    });

    step("switch account");
    // A fault injected from the page, then seen by an API client.
    js(
        &tab,
        "document.getElementById('fault-kind').value = 'status'; \
         document.getElementById('fault-status').value = '503'; \
         document.getElementById('fault-retry-after').value = '2'; \
         document.getElementById('fault-operation').value = 'list'; \
         document.getElementById('fault-times').value = '1'; 'ok'",
    );
    click(&tab, "#inject");
    wait(&tab, "the fault in force", || {
        text(&tab, "#faults tbody").contains("status 503 with Retry-After 2 s")
    });
    let faulted = api.list(KEY);
    assert_eq!(faulted.status, 503, "{}", faulted.body);
    assert_eq!(faulted.header("retry-after"), Some("2"));
    assert_eq!(api.list(KEY).status, 200, "the fault was for one request");
    wait(&tab, "the faulted request in the log", || {
        text(&tab, "#requests tbody").contains("status 503 with Retry-After 2 s")
    });
    wait(&tab, "no fault left in force", || {
        text(&tab, "#faults tbody").contains("None")
    });
    step("fault");

    // A Voximplant secret added through its API appears by name, never by value.
    let creds: serde_json::Value = serde_json::from_str(secrecy::ExposeSecret::expose_secret(
        &sb.voximplant_credentials_json(),
    ))
    .unwrap();
    let added = agent()
        .post(&format!("{}/platform_api/AddSecret", sb.base_url()))
        .header(
            "Authorization",
            &format!("Bearer {}", voximplant_token(&creds)),
        )
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("application_id=1&secret_name=browser_vox&secret_value=Vox-Value-In-Browser")
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(added.contains("secret_id"), "{added}");
    wait(&tab, "the Voximplant secret's name", || {
        let t = text(&tab, "#voximplant-secrets tbody");
        t.contains("browser_vox") && t.contains("demo-app (id 1)")
    });
    step("voximplant");
    let shot = screenshot(&tab, "dashboard.png");

    // No secret's value is anywhere on the page.
    let html = js(&tab, "document.documentElement.outerHTML");
    for secret in [
        SECRET,
        SUB_SECRET,
        "Browser-Secret-2",
        "Api-Made-Secret-3",
        "Vox-Value-In-Browser",
    ] {
        assert!(!html.contains(secret), "{secret} is on the page");
    }

    step("screenshot");
    // Sign out: back to the sign-in form, and the session no longer opens the control API.
    click(&tab, "#sign-out");
    tab.wait_for_element("#sign-in-form").unwrap();
    let cookies = tab.get_cookies().unwrap();
    assert!(
        !cookies.iter().any(|c| c.name == "vss_session"),
        "{cookies:?}"
    );
    tab.navigate_to(&sb.dashboard_url())
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("#sign-in-form").unwrap();
    assert!(text(&tab, "body").contains("Sign in"));
    println!(
        "browser test: {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        shot.parent().unwrap().display()
    );
}
