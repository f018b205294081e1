//! How long calls take against a server that trickles its response head one byte every
//! 100 ms (it would need a minute), with a 3 s budget: prints the fastest, the median and the
//! slowest of N concurrent calls (`CALLS=N`, default 20).
//!
//! ```text
//! cargo run --release -p vonage-secrets --example budget
//! ```

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use vonage_secrets::{Client, Error};

fn main() {
    let calls: usize = std::env::var("CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let budget = Duration::from_secs(3);

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                let mut head = b"HTTP/1.1 200 OK\r\nx-padding: ".to_vec();
                head.resize(600, b'a');
                for b in head {
                    std::thread::sleep(Duration::from_millis(100));
                    if stream.write_all(&[b]).is_err() {
                        return;
                    }
                }
            });
        }
    });

    let client = Client::builder("abcd1234", "Secret-123")
        .base_url(&base_url)
        .timeout(budget)
        .build()
        .expect("client");
    let threads: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                let start = Instant::now();
                let result = client.secrets().list();
                (
                    start.elapsed(),
                    matches!(result, Err(Error::Timeout { .. })),
                )
            })
        })
        .collect();
    let mut times: Vec<Duration> = Vec::new();
    let mut timeouts = 0;
    for t in threads {
        let (elapsed, timed_out) = t.join().expect("call");
        times.push(elapsed);
        timeouts += usize::from(timed_out);
    }
    times.sort();
    println!("budget: {calls} concurrent calls, head trickled 1 byte / 100 ms, budget {budget:?}");
    println!("  timeouts           {timeouts} of {calls}");
    println!("  fastest            {:?}", times[0]);
    println!("  median             {:?}", times[times.len() / 2]);
    println!("  slowest            {:?}", times[times.len() - 1]);
}
