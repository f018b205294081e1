//! [`Resolver`]: ureq's resolver, without a lookup for an address and with DNS errors named.

/// ureq's resolver, with two changes: an IP address is used as it is, without a lookup, and
/// every failure to resolve is reported as [`ureq::Error::HostNotFound`].
///
/// ureq resolves the host before each request, pooled connection or not, and with a budget
/// (the global timeout) its resolver runs every lookup on a thread of its own so that a slow
/// resolver cannot outlive the budget: a thread started for every call, which took the
/// facade from 1.03 to 1.25 times a plain ureq call in `benches/list.rs`, for nothing on an
/// address. Host names still go through that bounded lookup.
/// The system resolver reports its failures as I/O errors, which would otherwise read like a
/// broken connection.
#[derive(Debug, Default)]
pub(crate) struct Resolver(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for Resolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.host().and_then(|host| {
            let ip = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .ok()?;
            let port = uri.port_u16().or(match uri.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            })?;
            Some(std::net::SocketAddr::new(ip, port))
        });
        if let Some(addr) = literal {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(_) => ureq::Error::HostNotFound,
            other => other,
        })
    }
}
