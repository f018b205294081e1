//! [`Gate`]: the rate budget a fleet's workers share.
//!
//! Until the server first answers 429, requests go as fast as the workers send them. A 429
//! stops everybody for the server's `Retry-After`; once the gate knows the rate the server
//! answers, the requests are paced, one slot after another, a little below it.
//!
//! The decisions are made by [`Pacer`], a state machine that is handed the time of each event
//! (so that they can be tested without a clock); [`Gate`] runs it on the real clock for the
//! workers.
//!
//! The rate seen is the number of requests answered in the second before the 429. Whether the
//! server counts in fixed seconds of its clock (the one that refused then lies within that
//! second) or in a sliding second, it answered no more than that many in one of its seconds,
//! so pacing below it keeps under the limit. A later 429 only ever makes the pace slower (more
//! so when it comes about a second after the pause with as many answers as the pace sends: the
//! pace itself is too fast), at most twice as slow at once, and only the 429s of requests sent
//! at the current pace count (those of the requests in flight when it was set are no news).
//!
//! The pace is set at the second 429 that counts, from the smaller of the two counts. A burst
//! of requests that began near the end of one of the server's fixed seconds and went on into
//! the next is answered more than the limit (up to twice as many), and a pace set from it
//! would meet the limit again and again; two such bursts in a row are rare. A 429 within the
//! run's first second does not count: the server's second before it may hold requests of
//! somebody else using the same account's budget (another program, or the command run just
//! before), and a pace set from the few answers left would slow the whole run. Until the pace
//! is set, the workers pause after each 429 and then go at once again.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The rate the gate paces at is the rate the server was seen to answer divided by this: the
/// margin that keeps requests delayed by scheduling (a loaded machine, the network) from
/// filling one of the server's seconds with more than it answers.
pub(crate) const PACE_MARGIN: f64 = 1.06;

/// How long everybody waits after a 429 without `Retry-After`.
pub(crate) const DEFAULT_PAUSE: Duration = Duration::from_secs(1);

/// The longest `Retry-After` honoured (a longer one is waited for this long).
pub(crate) const LONGEST_PAUSE: Duration = vonage_secrets_transport::retry::RETRY_AFTER_CAP;

/// A later 429 at the same pace, long after the pause, slows it at least this much: a request
/// that scheduling delayed into the next of the server's seconds, most likely.
const SLOWDOWN: f64 = 0.97;

/// A 429 within this long after the pause, with about as many answers in the second before as
/// the pace sends, says that the pace itself is too fast, but not by how much (the server's
/// second may have begun during the pause): it slows the pace this much.
const TOO_FAST: (Duration, f64) = (Duration::from_millis(1500), 0.85);

/// The window over which the answers are counted.
const SECOND: Duration = Duration::from_secs(1);

/// What the gate gave a request: the pace it was sent at, so that its 429 is weighed against
/// that pace only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket {
    epoch: u64,
}

/// The gate's decisions, at the times given.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    /// No request before this (the pause after a 429).
    until: Option<Instant>,
    /// The time between two requests, once paced.
    interval: Option<Duration>,
    /// The next free slot when paced.
    next_slot: Option<Instant>,
    /// When the current pace began (the end of the pause that set it).
    paced_from: Option<Instant>,
    /// When the first request was asked for.
    started: Option<Instant>,
    /// Whether a 429 has paused the workers before (so that the server's second before the
    /// next one holds none of the budget somebody else, or an earlier run, used).
    paused_before: bool,
    /// The answers counted at the first 429 that counted, which paused without setting the
    /// pace: the smaller of two counts sets it.
    candidate: Option<usize>,
    /// When the requests of the last second were answered.
    answers: VecDeque<Instant>,
    /// Bumped whenever the pace is set: a 429 of a request sent before is no news.
    epoch: u64,
    /// What the gate saw, for the report.
    stats: GateStats,
}

/// What a gate saw and did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct GateStats {
    /// 429 answers.
    pub(crate) limited: usize,
    /// 429 answers that set the pace (the others came from requests sent before it was set).
    pub(crate) repaced: usize,
    /// The total of the pauses after 429s (overlapping pauses counted once).
    pub(crate) paused: Duration,
    /// The pace, in requests per second, when paced.
    pub(crate) rate: Option<f64>,
}

impl Pacer {
    /// When a request asked for at `now` may go, and its ticket.
    pub(crate) fn reserve(&mut self, now: Instant) -> (Instant, Ticket) {
        self.started.get_or_insert(now);
        let mut start = self.until.filter(|u| *u > now).unwrap_or(now);
        if let Some(interval) = self.interval {
            // A slot nobody took in time is gone: the workers never catch up in a burst.
            if let Some(slot) = self.next_slot {
                start = start.max(slot);
            }
            self.next_slot = Some(start + interval);
        }
        (start, Ticket { epoch: self.epoch })
    }

    /// A request was answered at `now` (anything but 429).
    pub(crate) fn answered(&mut self, now: Instant) {
        self.answers.push_back(now);
        self.forget_before(now);
    }

    fn forget_before(&mut self, now: Instant) {
        while self
            .answers
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) > SECOND)
        {
            self.answers.pop_front();
        }
    }

    /// The request of `ticket` was answered 429 at `now`, with the server's `retry_after`:
    /// nobody sends before it has passed, and the pace is set from the answers of the last
    /// second (when the request went at the current pace).
    pub(crate) fn limited(&mut self, now: Instant, ticket: Ticket, retry_after: Option<Duration>) {
        self.stats.limited += 1;
        let pause = retry_after.unwrap_or(DEFAULT_PAUSE).min(LONGEST_PAUSE);
        let until = now + pause;
        let paused_from = self.until.filter(|u| *u > now).unwrap_or(now);
        if until > paused_from {
            self.stats.paused += until - paused_from;
        }
        if self.until.is_none_or(|u| u < until) {
            self.until = Some(until);
        }
        if ticket.epoch != self.epoch {
            // Sent before the pace was set: its slot is after the pause like everybody's.
            self.next_slot = self.next_slot.max(self.until);
            return;
        }
        self.forget_before(now);
        let seen = self.answers.len();
        let rate = match (self.interval, self.paced_from) {
            (Some(interval), Some(from)) => {
                let current = 1.0 / interval.as_secs_f64();
                let seen = seen.max(1) as f64;
                let soon = now.saturating_duration_since(from) <= TOO_FAST.0;
                let slower = if soon && seen >= 0.9 * current {
                    current * TOO_FAST.1
                } else {
                    current * SLOWDOWN
                };
                // Never faster, at most twice as slow at once.
                (seen / PACE_MARGIN).min(slower).max(current / 2.0)
            }
            _ => {
                let young = self
                    .started
                    .is_none_or(|s| now.saturating_duration_since(s) < SECOND);
                if seen == 0 || (young && !self.paused_before) {
                    // Nothing answered in the second before (the very first requests were
                    // refused), or a first 429 within the run's first second, which the server
                    // may have counted requests of others in: no rate to go by, only the pause.
                    self.pause_only();
                    return;
                }
                match self.candidate {
                    None => {
                        // The first count: the next one decides with it.
                        self.candidate = Some(seen);
                        self.pause_only();
                        return;
                    }
                    Some(first) => first.min(seen) as f64 / PACE_MARGIN,
                }
            }
        };
        self.paused_before = true;
        self.interval = Some(Duration::from_secs_f64(1.0 / rate));
        self.next_slot = self.until;
        self.paced_from = self.until;
        self.epoch += 1;
        self.stats.repaced += 1;
        self.stats.rate = Some(rate);
    }

    /// A 429 that sets no pace: everybody waits, then goes at once again.
    fn pause_only(&mut self) {
        self.next_slot = self.until;
        self.paused_before = true;
        self.epoch += 1;
    }

    /// The time between two requests, once paced.
    #[cfg(test)]
    pub(crate) fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// What the gate saw so far.
    pub(crate) fn stats(&self) -> GateStats {
        self.stats
    }
}

/// A [`Pacer`] on the real clock, shared by the workers.
#[derive(Default)]
pub(crate) struct Gate {
    pacer: Mutex<Pacer>,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, Pacer> {
        self.pacer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this worker's turn; the ticket goes with the request.
    pub(crate) fn wait(&self) -> Ticket {
        let (start, ticket) = self.lock().reserve(Instant::now());
        let now = Instant::now();
        if start > now {
            std::thread::sleep(start - now);
        }
        ticket
    }

    /// A request was answered (not with 429).
    pub(crate) fn answered(&self) {
        self.lock().answered(Instant::now());
    }

    /// The request of `ticket` was answered 429, with this `Retry-After`.
    pub(crate) fn limited(&self, ticket: Ticket, retry_after: Option<Duration>) {
        self.lock().limited(Instant::now(), ticket, retry_after);
    }

    /// What the gate saw so far.
    pub(crate) fn stats(&self) -> GateStats {
        self.lock().stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// `n` answers spread evenly over the second before `t0 + at`.
    fn answers(p: &mut Pacer, t0: Instant, at: Duration, n: u32) {
        for k in 0..n {
            p.answered(t0 + at - SECOND + SECOND * (k + 1) / n);
        }
    }

    /// A pacer paced by two 429s (Retry-After: 1), at `t0 + 1 s` after `first` answers and at
    /// `t0 + 3 s` after `second`; with `t0`, and the end of the second pause (`t0 + 4 s`).
    fn paced(first: u32, second: u32) -> (Pacer, Instant, Instant) {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, first);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        assert_eq!(p.interval(), None, "the first count alone sets no pace");
        let (_, ticket) = p.reserve(t0 + 2 * SECOND);
        answers(&mut p, t0, 3 * SECOND, second);
        p.limited(t0 + 3 * SECOND, ticket, Some(SECOND));
        assert!(p.interval().is_some(), "two counts set the pace");
        (p, t0, t0 + 4 * SECOND)
    }

    fn rate(p: &Pacer) -> f64 {
        1.0 / p.interval().unwrap().as_secs_f64()
    }

    #[test]
    fn unpaced_until_the_first_429() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        for k in 0..100 {
            let now = t0 + MS * k;
            assert_eq!(p.reserve(now).0, now);
            p.answered(now);
        }
        assert_eq!(p.interval(), None);
    }

    #[test]
    fn two_429s_set_the_pace_from_the_fewer_answers_after_the_retry_after() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 80);
        p.limited(t0 + SECOND, ticket, Some(Duration::from_secs(2)));
        // Everybody waits, then all go at once: no pace yet.
        let resume = t0 + 3 * SECOND;
        assert_eq!(p.reserve(t0 + SECOND + MS).0, resume);
        let (start, ticket) = p.reserve(t0 + SECOND + 2 * MS);
        assert_eq!(start, resume);
        answers(&mut p, t0, 3 * SECOND + 300 * MS, 50);
        p.limited(resume + 300 * MS, ticket, Some(Duration::from_secs(2)));
        let interval = p.interval().unwrap();
        let expected = Duration::from_secs_f64(PACE_MARGIN / 50.0);
        assert!(interval.abs_diff(expected) < MS / 10, "{interval:?}");
        // Asked during the pause: the first slot is at its end, the others one interval apart.
        let resume = resume + 2300 * MS;
        let slots: Vec<Instant> = (0..5).map(|_| p.reserve(resume - SECOND).0).collect();
        assert_eq!(slots[0], resume);
        for pair in slots.windows(2) {
            assert_eq!(pair[1] - pair[0], interval);
        }
    }

    #[test]
    fn the_pause_honours_the_servers_retry_after_and_a_default_without_one() {
        for (retry_after, pause) in [
            (Some(Duration::from_secs(3)), Duration::from_secs(3)),
            (Some(Duration::ZERO), Duration::ZERO),
            (None, DEFAULT_PAUSE),
            (Some(Duration::from_secs(3600)), LONGEST_PAUSE),
        ] {
            // Unpaced (the first 429) and paced alike.
            let mut p = Pacer::default();
            let t0 = Instant::now();
            let (_, ticket) = p.reserve(t0);
            answers(&mut p, t0, SECOND, 10);
            p.limited(t0 + SECOND, ticket, retry_after);
            assert_eq!(
                p.reserve(t0 + SECOND).0,
                t0 + SECOND + pause,
                "{retry_after:?}"
            );
            assert_eq!(p.stats().paused, pause);

            let (mut p, _, resume) = paced(50, 50);
            let (_, ticket) = p.reserve(resume);
            let limited = resume + Duration::from_secs(5);
            p.limited(limited, ticket, retry_after);
            assert_eq!(p.reserve(limited).0, limited + pause, "{retry_after:?}");
        }
    }

    #[test]
    fn a_429_before_any_answer_pauses_without_counting() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        p.limited(t0 + MS, ticket, Some(Duration::from_secs(2)));
        let resume = t0 + MS + Duration::from_secs(2);
        assert_eq!(p.reserve(t0 + 2 * MS).0, resume);
        assert_eq!(
            p.reserve(t0 + 3 * MS).0,
            resume,
            "not paced: all go after the pause"
        );
        // The next two 429s after answers set the pace.
        for k in 0..2 {
            let at = resume + SECOND * (2 * k + 1) / 2;
            let (_, ticket) = p.reserve(at - SECOND / 2);
            answers(&mut p, t0, at - t0, 30);
            p.limited(at, ticket, Some(SECOND));
        }
        assert!((rate(&p) - 30.0 / PACE_MARGIN).abs() < 0.01);
    }

    #[test]
    fn a_first_429_within_the_first_second_pauses_without_counting() {
        // The server's second held requests of somebody else: only 13 of ours were answered
        // before the 429, 0.1 s into the run.
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let tickets: Vec<Ticket> = (0..4).map(|_| p.reserve(t0).1).collect();
        for k in 1..=13 {
            p.answered(t0 + 7 * MS * k);
        }
        p.limited(t0 + 100 * MS, tickets[0], Some(SECOND));
        // The workers in flight then are told 429 too: no news.
        p.limited(t0 + 101 * MS, tickets[1], Some(SECOND));
        // After the pause they go at once; the server answers 50, then 429; twice.
        let mut resume = t0 + 1101 * MS;
        for _ in 0..2 {
            assert_eq!(p.interval(), None);
            assert_eq!(p.reserve(resume - 500 * MS).0, resume);
            let (_, ticket) = p.reserve(resume);
            for k in 1..=50 {
                p.answered(resume + 6 * MS * k);
            }
            p.limited(resume + 300 * MS, ticket, Some(SECOND));
            resume += 1300 * MS;
        }
        assert!((rate(&p) - 50.0 / PACE_MARGIN).abs() < 0.01, "{}", rate(&p));
    }

    #[test]
    fn once_paced_no_two_requests_are_closer_than_the_interval() {
        let (mut p, _, resume) = paced(40, 40);
        let interval = p.interval().unwrap();
        // Four workers asking at odd times, some late (a slot they missed is not given to two).
        let mut asked = resume;
        let mut starts = Vec::new();
        for k in 0..400u32 {
            asked += MS * (k * 7 % 13);
            let (start, _) = p.reserve(asked);
            assert!(start >= asked);
            starts.push(start);
            if k % 50 == 0 {
                asked += Duration::from_millis(300); // a stall
            }
        }
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= interval, "{:?}", pair[1] - pair[0]);
        }
    }

    #[test]
    fn the_429s_of_requests_sent_before_the_pace_was_set_do_not_slow_it() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 50);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        // Four workers in flight when the 429 that sets the pace comes.
        let at = t0 + 3 * SECOND;
        let tickets: Vec<Ticket> = (0..4).map(|k| p.reserve(at - 10 * MS + MS * k).1).collect();
        answers(&mut p, t0, 3 * SECOND, 50);
        p.limited(at, tickets[0], Some(SECOND));
        let interval = p.interval().unwrap();
        for (k, ticket) in tickets.iter().enumerate().skip(1) {
            p.limited(at + MS * k as u32, *ticket, Some(SECOND));
        }
        assert_eq!(p.interval(), Some(interval));
        assert_eq!(p.stats().limited, 5);
        assert_eq!(p.stats().repaced, 1);
        // Their Retry-After still counts: the pause ends a second after the last of them.
        assert_eq!(p.reserve(at).0, at + SECOND + 3 * MS);
        assert_eq!(p.stats().paused, 2 * SECOND + 3 * MS);
    }

    #[test]
    fn a_429_soon_after_a_pause_slows_the_pace_at_most_twofold() {
        let (mut p, _, resume) = paced(50, 50);
        let interval = p.interval().unwrap();
        // 0.1 s after the pause: 5 answers in the last second, then a 429 at the new pace.
        let mut ticket = None;
        for _ in 0..5 {
            let (start, t) = p.reserve(resume);
            p.answered(start + 20 * MS);
            ticket = Some(t);
        }
        p.limited(resume + 100 * MS, ticket.unwrap(), Some(SECOND));
        let slower = p.interval().unwrap();
        assert!(slower > interval, "a 429 at a pace slows it");
        assert!(slower <= interval * 2, "at most twice as slow: {slower:?}");
    }

    #[test]
    fn a_later_429_never_speeds_the_pace_up() {
        let (mut p, t0, resume) = paced(40, 40);
        let first = p.interval().unwrap();
        // Many answers in the second before the next 429 (a burst the pace did not send).
        let (_, ticket) = p.reserve(resume);
        answers(&mut p, t0, 6 * SECOND, 100);
        p.limited(t0 + 6 * SECOND, ticket, Some(SECOND));
        let second = p.interval().unwrap();
        assert!(second > first, "{second:?} <= {first:?}");
        assert!((rate(&p) - 40.0 / PACE_MARGIN * SLOWDOWN).abs() < 0.01);
    }

    #[test]
    fn a_pace_that_was_too_fast_comes_down_to_the_answers_seen() {
        // Both counts took in the end of an earlier second (80 answered, 50 allowed); at the
        // next 429 the server had answered 50 in the second before it.
        let (mut p, t0, resume) = paced(80, 80);
        let (_, ticket) = p.reserve(resume);
        answers(&mut p, t0, 5 * SECOND, 50);
        p.limited(t0 + 5 * SECOND, ticket, Some(SECOND));
        assert!((rate(&p) - 50.0 / PACE_MARGIN).abs() < 0.01, "{}", rate(&p));
    }

    #[test]
    fn a_pace_that_meets_the_limit_a_second_after_the_pause_slows_more_than_a_late_429() {
        // A server with fixed seconds, both counts too high (70 answered, 50 allowed): the
        // pace sends 66 a second and meets the limit a second after each pause, with 66
        // answered in the second before, which does not say by how much the pace is too fast.
        let rate_after = |at: Duration| {
            let (mut p, t0, resume) = paced(70, 70);
            let paced = rate(&p);
            let (_, ticket) = p.reserve(resume);
            answers(&mut p, t0, 4 * SECOND + at, 66);
            p.limited(resume + at, ticket, Some(SECOND));
            (paced, rate(&p))
        };
        let (paced, soon) = rate_after(Duration::from_millis(1050));
        assert!((paced - 70.0 / PACE_MARGIN).abs() < 0.01, "{paced}");
        assert!((soon - paced * TOO_FAST.1).abs() < 0.01, "{soon}");
        // Long after the pause the same answers more likely mean a request delayed into the
        // next second: the pace goes just below them.
        let (_, late) = rate_after(Duration::from_secs(10));
        assert!((late - 66.0 / PACE_MARGIN).abs() < 0.01, "{late}");
        assert!(soon < late);
    }

    #[test]
    fn paced_at_the_rate_seen_no_second_holds_more_requests_than_were_answered() {
        // Sliding windows: every one-second span starting at a slot holds at most the number
        // the server answered in the second before the 429.
        let (mut p, _, resume) = paced(50, 50);
        let starts: Vec<Instant> = (0..500).map(|_| p.reserve(resume).0).collect();
        for (i, s) in starts.iter().enumerate() {
            let within = starts[i..].iter().take_while(|t| **t < *s + SECOND).count();
            assert!(
                within <= 48,
                "{within} requests in the second from slot {i}"
            );
        }
    }

    /// How a simulated server counts its limit.
    #[derive(Clone, Copy, Debug)]
    enum Scheme {
        /// At most `limit` in each second of its clock, the first starting `phase` after t0.
        Fixed { phase: Duration },
        /// At most `limit` in any second.
        Sliding,
    }

    /// Four workers making `n` requests through a pacer against a simulated server (10 ms each
    /// way, up to `jitter_ms` more on the way there, `Retry-After: 1`); simulated time, no
    /// clock. Returns the time taken and the number of 429s.
    fn simulate(scheme: Scheme, limit: usize, n: usize, jitter_ms: u64) -> (Duration, usize) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        enum Event {
            Ask,
            Arrive(u64),
            Respond(u64, bool),
        }
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let mut events = BinaryHeap::new();
        let mut seq = 0u64;
        let mut push = |events: &mut BinaryHeap<_>, at: Instant, e: Event| {
            seq += 1;
            events.push(Reverse((at, seq, e)));
        };
        for _ in 0..4 {
            push(&mut events, t0, Event::Ask);
        }
        let mut random = 0x2545_f491_4f6c_dd1d_u64;
        let mut jitter = move || {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            MS * u32::try_from(random % (jitter_ms + 1)).unwrap()
        };
        let (mut done, mut refused) = (0, 0);
        let mut accepted: VecDeque<Instant> = VecDeque::new();
        let mut windows: std::collections::HashMap<i64, usize> = Default::default();
        while let Some(Reverse((at, _, event))) = events.pop() {
            match event {
                Event::Ask => {
                    let (start, ticket) = p.reserve(at);
                    let arrive = start + 10 * MS + jitter();
                    push(&mut events, arrive, Event::Arrive(ticket.epoch));
                }
                Event::Arrive(epoch) => {
                    let ok = match scheme {
                        Scheme::Fixed { phase } => {
                            let since = (at + SECOND - phase).duration_since(t0).as_secs_f64();
                            let count = windows.entry(since.floor() as i64).or_default();
                            *count += 1;
                            *count <= limit
                        }
                        Scheme::Sliding => {
                            while accepted.front().is_some_and(|t| at - *t >= SECOND) {
                                accepted.pop_front();
                            }
                            let ok = accepted.len() < limit;
                            if ok {
                                accepted.push_back(at);
                            }
                            ok
                        }
                    };
                    push(&mut events, at + 10 * MS, Event::Respond(epoch, ok));
                }
                Event::Respond(epoch, ok) => {
                    if ok {
                        p.answered(at);
                        done += 1;
                        if done == n {
                            return (at - t0, refused);
                        }
                    } else {
                        refused += 1;
                        p.limited(at, Ticket { epoch }, Some(SECOND));
                    }
                    push(&mut events, at, Event::Ask);
                }
            }
        }
        unreachable!("the workers stopped");
    }

    #[test]
    fn simulated_servers_with_fixed_or_sliding_seconds_are_kept_near_their_limit() {
        let bound = Duration::from_secs(20); // 1000 requests at 50 a second
        let mut schemes: Vec<Scheme> = (0..20)
            .map(|k| Scheme::Fixed {
                phase: SECOND * k / 20,
            })
            .collect();
        schemes.push(Scheme::Sliding);
        for scheme in schemes {
            for jitter_ms in [0, 5, 20] {
                let (took, refused) = simulate(scheme, 50, 1000, jitter_ms);
                let ratio = took.as_secs_f64() / bound.as_secs_f64();
                println!(
                    "{scheme:?}, jitter {jitter_ms} ms: {took:?}, ratio {ratio:.3}, {refused} 429s"
                );
                assert!(
                    ratio <= 1.12,
                    "{scheme:?}, jitter {jitter_ms} ms: ratio {ratio:.3}"
                );
                assert!(
                    refused <= 20,
                    "{scheme:?}, jitter {jitter_ms} ms: {refused} 429s"
                );
            }
        }
    }
}
