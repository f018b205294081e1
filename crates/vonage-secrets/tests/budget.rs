//! The time budget bounds the whole call: connecting, the response head and the body, however
//! slowly a server sends them. Each test prints the time the call took; the assertions are on
//! behaviour (a timeout, long before the server would have been done), with generous bounds.

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use vonage_secrets::{Client, Error, MAX_TIMEOUT};

/// A server that reads each request's head and then does `behave` with the connection.
fn slow_server(behave: fn(&mut TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                behave(&mut stream);
            });
        }
    });
    base_url
}

/// Writes `bytes` one at a time, `every` apart, until done or the client hangs up.
fn trickle(stream: &mut TcpStream, bytes: &[u8], every: Duration) {
    for b in bytes {
        std::thread::sleep(every);
        if stream.write_all(&[*b]).is_err() {
            return;
        }
    }
}

fn client(base_url: &str, budget: Duration) -> Client {
    Client::builder("abcd1234", "Secret-123")
        .base_url(base_url)
        .timeout(budget)
        .build()
        .unwrap()
}

/// Runs a list call, prints how long it took, and returns its error and that time.
fn timed_list(client: &Client, what: &str) -> (Error, Duration) {
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    let elapsed = start.elapsed();
    println!("{what}: {elapsed:?}: {err}");
    (err, elapsed)
}

/// A head of 600 bytes, one byte every 100 ms: the server needs a minute to send it.
fn trickle_head(stream: &mut TcpStream) {
    let mut head = b"HTTP/1.1 200 OK\r\nx-padding: ".to_vec();
    head.resize(600, b'a');
    head.extend_from_slice(b"\r\ncontent-length: 2\r\n\r\n{}");
    trickle(stream, &head, Duration::from_millis(100));
}

#[test]
fn a_server_trickling_its_head_cannot_hold_a_call_past_the_budget() {
    let base_url = slow_server(trickle_head);
    let budget = Duration::from_secs(1);
    let (err, elapsed) = timed_list(&client(&base_url, budget), "head trickled");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The server would take 60 s; a per-read limit would have let it.
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}

#[test]
fn a_head_just_before_the_budget_then_silence_ends_at_the_budget() {
    fn late_head_then_silence(stream: &mut TcpStream) {
        std::thread::sleep(Duration::from_millis(2800));
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{");
        std::thread::sleep(Duration::from_secs(30));
    }
    let base_url = slow_server(late_head_then_silence);
    let budget = Duration::from_secs(3);
    let (err, elapsed) = timed_list(&client(&base_url, budget), "head at 2.8 s, then silence");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // A limit re-armed after the head would end the call near 5.8 s; the budget ends it near
    // 3 s. The bound leaves 1.8 s for a loaded machine.
    assert!(elapsed < budget.mul_f32(1.6), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(2800), "took {elapsed:?}");
}

#[test]
fn a_trickled_head_and_then_a_trickled_body_cannot_stretch_the_budget() {
    fn head_then_body(stream: &mut TcpStream) {
        trickle(
            stream,
            b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n",
            Duration::from_millis(20),
        );
        trickle(stream, &[b' '; 500], Duration::from_millis(100));
    }
    let base_url = slow_server(head_then_body);
    let budget = Duration::from_secs(2);
    let (err, elapsed) = timed_list(&client(&base_url, budget), "head and body trickled");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The server would take 50 s.
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}

#[test]
fn huge_timeouts_are_clamped_not_a_panic() {
    let sandbox = common::sandbox();
    for (timeout, connect) in [
        (Duration::MAX, Duration::MAX),
        (Duration::from_secs(u64::MAX), Duration::from_secs(1)),
        (Duration::from_secs(1), Duration::MAX),
        (MAX_TIMEOUT + Duration::from_nanos(1), MAX_TIMEOUT * 2),
    ] {
        let client = Client::builder(common::PRIMARY, common::PRIMARY_SECRET)
            .base_url(sandbox.base_url())
            .timeout(timeout)
            .connect_timeout(connect)
            .build()
            .unwrap();
        assert_eq!(client.secrets().list().unwrap().len(), 1);
        assert!(format!("{client:?}").contains(&format!("{:?}", MAX_TIMEOUT.min(timeout))));
    }
    // A retry after a huge budget: the remaining budget is clamped too.
    sandbox.inject(vonage_secrets_sandbox::Fault::status(503).times(1));
    let client = Client::builder(common::PRIMARY, common::PRIMARY_SECRET)
        .base_url(sandbox.base_url())
        .timeout(Duration::MAX)
        .build()
        .unwrap();
    assert_eq!(client.secrets().list().unwrap().len(), 1);
}

#[test]
fn a_short_connect_timeout_to_an_unreachable_address_returns_an_error() {
    // A non-routable address: connecting hangs (or fails at once without a network).
    let client = Client::builder("abcd1234", "Secret-123")
        .base_url("https://10.255.255.1:9")
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    println!("unreachable: {:?}: {err}", start.elapsed());
    assert!(
        matches!(err, Error::Timeout { .. } | Error::Transport { .. }),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_connection_that_cannot_open_within_the_budget_is_not_ambiguous() {
    // A listener whose accept queue is full: the kernel drops further connection attempts, so
    // connecting hangs.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    while let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
        held.push(stream);
        assert!(held.len() < 10_000, "the accept queue never filled");
    }
    let client = Client::builder("abcd1234", "Secret-123")
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().create("N3w-Secret-Value").unwrap_err();
    println!("connect hung: {:?}: {err}", start.elapsed());
    assert!(
        matches!(
            err,
            Error::Timeout {
                request_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    // The create cannot have reached the server: nothing to check before retrying it.
    assert!(!err.is_ambiguous());
    drop(listener);
}
