//! Helpers shared by the integration tests: sandbox set-up and a raw TCP server that records
//! the exact bytes of each request and answers from a script.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vonage_secrets::Client;
use vonage_secrets_sandbox::Sandbox;

pub const PRIMARY: &str = "abcd1234";
pub const PRIMARY_SECRET: &str = "Primary-Secret-1";
pub const SECONDARY: &str = "sub00001";
pub const SECONDARY_SECRET: &str = "Secondary-Secret-1";

/// A plain-http sandbox with a primary account and one secondary account, one secret each.
pub fn sandbox() -> Sandbox {
    Sandbox::builder()
        .account(PRIMARY, PRIMARY_SECRET)
        .secondary(PRIMARY, SECONDARY, SECONDARY_SECRET)
        .start()
        .expect("sandbox starts")
}

/// A client of the sandbox with the given credentials, fast timeouts and retries.
pub fn client(sandbox: &Sandbox, key: &str, secret: &str) -> Client {
    Client::builder(key, secret)
        .base_url(sandbox.base_url())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// The primary account's client.
pub fn primary(sandbox: &Sandbox) -> Client {
    client(sandbox, PRIMARY, PRIMARY_SECRET)
}

/// What the raw server does with one request.
#[derive(Clone)]
pub enum Reply {
    /// Send these bytes.
    Raw(Vec<u8>),
    /// Read the request, then never answer (for `secs` seconds), then close.
    Hang(u64),
    /// Close the connection without answering.
    Close,
    /// Send a 200 head promising `len` bytes, then one byte every `every_ms`.
    Trickle { len: usize, every_ms: u64 },
}

/// A complete HTTP/1.1 response with a JSON body.
pub fn json(status: u16, body: &str) -> Reply {
    json_with(status, &[], body)
}

/// A complete HTTP/1.1 response with a JSON body and extra headers.
pub fn json_with(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    Reply::Raw(out.into_bytes())
}

pub const ONE_SECRET: &str = r#"{"_links":{"self":{"href":"/accounts/abcd1234/secrets/x"}},"id":"ad6dc56f-07b5-46e1-a527-85530e625800","created_at":"2017-03-02T16:34:49Z"}"#;

pub fn list_body(ids: &[(&str, &str)]) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|(id, at)| {
            format!(r#"{{"_links":{{"self":{{"href":"/x"}}}},"id":"{id}","created_at":"{at}"}}"#)
        })
        .collect();
    format!(
        r#"{{"_links":{{"self":{{"href":"/accounts/abcd1234/secrets"}}}},"_embedded":{{"secrets":[{}]}}}}"#,
        items.join(",")
    )
}

/// A server on 127.0.0.1 that answers request n with `replies[n]` (the last one repeats) and
/// records every request as text (head and body).
pub struct RawServer {
    pub base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    pub fn start(replies: Vec<Reply>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let replies = Arc::new(replies);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let log = Arc::clone(&log);
                let replies = Arc::clone(&replies);
                std::thread::spawn(move || serve(stream, &log, &replies));
            }
        });
        RawServer { base_url, requests }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<String>>, replies: &[Reply]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = String::new();
        let mut content_length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    content_length = v.trim().parse().unwrap_or(0);
                }
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        head.push_str(&String::from_utf8_lossy(&body));
        let n = {
            let mut log = log.lock().unwrap();
            log.push(head);
            log.len() - 1
        };
        match &replies[n.min(replies.len() - 1)] {
            Reply::Raw(bytes) => {
                if writer.write_all(bytes).is_err() {
                    return;
                }
            }
            Reply::Hang(secs) => {
                std::thread::sleep(Duration::from_secs(*secs));
                return;
            }
            Reply::Close => return,
            Reply::Trickle { len, every_ms } => {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n");
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for _ in 0..*len {
                    std::thread::sleep(Duration::from_millis(*every_ms));
                    if writer.write_all(b" ").is_err() {
                        return;
                    }
                }
                return;
            }
        }
    }
}

/// The value of a header in a recorded request (case-insensitive name).
pub fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    request.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}
