//! The accept loop: the listening socket, the TLS handshake, one hyper HTTP/1.1 connection
//! per client, each request handed to [`routes::handle`].
//!
//! Rule: nothing here looks at a request; a connection's failure is logged at debug level and
//! never stops the loop.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::routes;
use crate::shared::Shared;

/// How many connections may wait to be accepted. The usual default (128) makes a burst of
/// connections beyond it wait for the client's SYN retransmission, a whole second.
pub(crate) const BACKLOG: u32 = 1024;

/// The listening socket on 127.0.0.1:`port`, with a backlog of [`BACKLOG`]. Must run inside
/// the runtime.
pub(crate) fn listen(port: u16) -> std::io::Result<TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    // As std's and tokio's `bind` do on Unix: a port in TIME_WAIT can be listened on again.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind((std::net::Ipv4Addr::LOCALHOST, port).into())?;
    socket.listen(BACKLOG)
}

/// Accepts connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let shared = Arc::clone(&shared);
                    let tls = tls.clone();
                    tokio::spawn(async move {
                        match tls {
                            None => connection(TokioIo::new(stream), shared).await,
                            Some(acceptor) => {
                                let handshake = acceptor.accept(stream);
                                match tokio::time::timeout(Duration::from_secs(10), handshake).await {
                                    Ok(Ok(s)) => connection(TokioIo::new(s), shared).await,
                                    Ok(Err(e)) => log::debug!("TLS handshake failed: {e}"),
                                    Err(_) => log::debug!("TLS handshake timed out"),
                                }
                            }
                        }
                    });
                }
                Err(e) => {
                    // For example too many open files: wait a little instead of spinning.
                    log::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
}

async fn connection<I>(io: I, shared: Arc<Shared>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| routes::handle(Arc::clone(&shared), req));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    if let Err(e) = builder.serve_connection(io, service).await {
        log::debug!("connection ended: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_1000_connections_waits_in_the_backlog() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let listener = {
            let _entered = runtime.enter();
            listen(0).unwrap()
        };
        let addr = listener.local_addr().unwrap();
        // Nobody accepts: every connection must fit in the backlog. One that does not gets
        // its SYN dropped and waits for retransmissions (1 s, then 3 s): it times out here.
        let started = std::time::Instant::now();
        let mut connections = Vec::new();
        for i in 0..1000 {
            let c = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
                .unwrap_or_else(|e| panic!("connection {i} did not fit in the backlog: {e}"));
            connections.push(c);
        }
        println!("1000 connections in {:?}", started.elapsed());
    }
}
