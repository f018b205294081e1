//! A server that closes idle keep-alive connections after a short random delay, without
//! saying so (`Connection: close`): a create must never be lost to a connection the server had
//! already closed (an "ambiguous" failure although the server never read it), and the server
//! must never see a create twice.
//!
//! ```text
//! STALE_ROUNDS=1000 cargo test -p vonage-secrets --test stale_connections -- --nocapture
//! ```

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use vonage_secrets::Client;

const SECRET: &str =
    r#"{"id":"ad6dc56f-07b5-46e1-a527-85530e625800","created_at":"2017-03-02T16:34:49Z"}"#;

#[derive(Default)]
struct Counts {
    creates: AtomicUsize,
    lists: AtomicUsize,
    idle_closes: AtomicUsize,
}

/// Answers lists and creates; gives up on a connection when no request starts within a random
/// 0.5-10 ms of the previous answer, and closes it 3 ms later (a busy server's idle timer):
/// a request that arrives in between is never read.
fn closing_server() -> (String, Arc<Counts>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let counts = Arc::new(Counts::default());
    let shared = Arc::clone(&counts);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let counts = Arc::clone(&shared);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                let mut first = true;
                loop {
                    // Idle: wait a short random time for the next request, then hang up.
                    let idle = Duration::from_micros(fastrand::u64(500..10_000));
                    if !first {
                        writer.set_read_timeout(Some(idle)).unwrap();
                    }
                    first = false;
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) => return,
                        Ok(_) => {}
                        Err(_) => {
                            counts.idle_closes.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(3));
                            return;
                        }
                    }
                    writer.set_read_timeout(None).unwrap();
                    let post = line.starts_with("POST");
                    let mut length = 0;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:")
                        {
                            length = v.trim().parse().unwrap();
                        }
                        if header == "\r\n" {
                            break;
                        }
                    }
                    reader.read_exact(&mut vec![0; length]).unwrap();
                    let (status, body) = if post {
                        counts.creates.fetch_add(1, Ordering::SeqCst);
                        ("201 Created", SECRET.to_owned())
                    } else {
                        counts.lists.fetch_add(1, Ordering::SeqCst);
                        (
                            "200 OK",
                            format!(r#"{{"_embedded":{{"secrets":[{SECRET}]}}}}"#),
                        )
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if writer.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base_url, counts)
}

#[test]
fn creates_after_pooled_requests_are_never_lost_to_a_closed_connection_nor_sent_twice() {
    let (base_url, counts) = closing_server();
    let client = Client::builder("abcd1234", "Secret-123")
        .base_url(&base_url)
        .build()
        .unwrap();
    let secrets = client.secrets();
    // STALE_ROUNDS raises the count, for measuring.
    let rounds = std::env::var("STALE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut created = 0;
    let mut ambiguous = Vec::new();
    for _ in 0..rounds {
        secrets.list().unwrap();
        // About as long as the server keeps an idle connection: some creates come just as it
        // hangs up.
        std::thread::sleep(Duration::from_micros(fastrand::u64(0..10_000)));
        match secrets.create("N3w-Secret-Value") {
            Ok(_) => created += 1,
            Err(e) if e.is_ambiguous() => ambiguous.push(e.to_string()),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    let received = counts.creates.load(Ordering::SeqCst);
    let idle_closes = counts.idle_closes.load(Ordering::SeqCst);
    println!(
        "{rounds} creates: {created} created, {} ambiguous, {received} received by the server, \
         {idle_closes} idle connections closed by it",
        ambiguous.len()
    );
    assert!(ambiguous.is_empty(), "{ambiguous:?}");
    assert_eq!(created, rounds);
    // Never twice: every create the server saw is one the client sent once.
    assert_eq!(received, created);
    // The server did hang up on idle connections (the test exercised the race).
    assert!(idle_closes > 0);
}
