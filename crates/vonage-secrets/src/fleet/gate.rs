//! [`Gate`]: the rate budget a fleet's workers share.
//!
//! Until the server first answers 429, requests go as fast as the workers send them. A 429
//! stops everybody for the server's `Retry-After`; from then on the requests are paced, one
//! slot after another, at a little below the rate the server was seen to answer.
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
//! The first 429 sets no pace when it comes within the run's first second: the server's second
//! before it may hold requests of somebody else using the same account's budget (another
//! program, or the command run just before), and a pace set from the few answers left would
//! slow the whole run. The workers pause, go at once again, and the next 429 sets the pace.

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
        let young = self
            .started
            .is_none_or(|s| now.saturating_duration_since(s) < SECOND);
        if self.interval.is_none() && (self.answers.is_empty() || (young && !self.paused_before)) {
            // No rate to go by yet, only the pause: nothing was answered in the second before
            // (the very first requests were refused), or the first 429 came within the run's
            // first second, which the server may have counted requests of others in (another
            // program, or the run before this one, using the same account's budget). After
            // the pause the workers go at once again, and the next 429 sets the pace.
            self.next_slot = self.until;
            self.paused_before = true;
            self.epoch += 1;
            return;
        }
        self.paused_before = true;
        let seen = self.answers.len().max(1) as f64;
        let rate = match (self.interval, self.paced_from) {
            (Some(interval), Some(from)) => {
                let current = 1.0 / interval.as_secs_f64();
                let soon = now.saturating_duration_since(from) <= TOO_FAST.0;
                let slower = if soon && seen >= 0.9 * current {
                    current * TOO_FAST.1
                } else {
                    current * SLOWDOWN
                };
                // Never faster, at most twice as slow at once.
                (seen / PACE_MARGIN).min(slower).max(current / 2.0)
            }
            _ => seen / PACE_MARGIN,
        };
        self.interval = Some(Duration::from_secs_f64(1.0 / rate));
        self.next_slot = self.until;
        self.paced_from = self.until;
        self.epoch += 1;
        self.stats.repaced += 1;
        self.stats.rate = Some(rate);
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
    fn after_a_429_everybody_waits_the_retry_after_then_goes_at_the_rate_seen() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        p.reserve(t0);
        let (_, ticket) = p.reserve(t0 + 999 * MS);
        answers(&mut p, t0, SECOND, 50);
        p.limited(t0 + SECOND, ticket, Some(Duration::from_secs(2)));
        let interval = p.interval().unwrap();
        let expected = Duration::from_secs_f64(PACE_MARGIN / 50.0);
        assert!(interval.abs_diff(expected) < MS / 10, "{interval:?}");
        // Asked during the pause: the first slot is at its end, the others one interval apart.
        let resume = t0 + Duration::from_secs(3);
        let slots: Vec<Instant> = (0..5).map(|_| p.reserve(t0 + SECOND + MS).0).collect();
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
        }
    }

    #[test]
    fn a_429_before_any_answer_pauses_without_setting_a_pace() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        p.limited(t0 + MS, ticket, Some(Duration::from_secs(2)));
        assert_eq!(p.interval(), None);
        let resume = t0 + MS + Duration::from_secs(2);
        assert_eq!(p.reserve(t0 + 2 * MS).0, resume);
        assert_eq!(
            p.reserve(t0 + 3 * MS).0,
            resume,
            "not paced: all go after the pause"
        );
        // The next 429 after answers sets the pace.
        let (_, ticket) = p.reserve(resume);
        answers(&mut p, resume, SECOND / 2, 30);
        p.limited(resume + SECOND / 2, ticket, Some(SECOND));
        assert!(p.interval().is_some());
    }

    #[test]
    fn a_first_429_within_the_first_second_pauses_and_the_next_one_sets_the_pace() {
        // The server's second held requests of somebody else: only 13 of ours were answered
        // before the 429, 0.1 s into the run.
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let tickets: Vec<Ticket> = (0..4).map(|_| p.reserve(t0).1).collect();
        for k in 1..=13 {
            p.answered(t0 + 7 * MS * k);
        }
        p.limited(t0 + 100 * MS, tickets[0], Some(SECOND));
        assert_eq!(
            p.interval(),
            None,
            "no pace from a second others may have used"
        );
        // The workers in flight then are told 429 too: no news.
        p.limited(t0 + 101 * MS, tickets[1], Some(SECOND));
        assert_eq!(p.interval(), None);
        // After the pause they go at once; the server answers 50, then 429.
        let resume = t0 + 1101 * MS;
        assert_eq!(p.reserve(t0 + 200 * MS).0, resume);
        let (_, ticket) = p.reserve(resume);
        for k in 1..=50 {
            p.answered(resume + 6 * MS * k);
        }
        p.limited(resume + 300 * MS, ticket, Some(SECOND));
        let rate = 1.0 / p.interval().unwrap().as_secs_f64();
        assert!((rate - 50.0 / PACE_MARGIN).abs() < 0.01, "{rate}");
    }

    #[test]
    fn once_paced_no_two_requests_are_closer_than_the_interval() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 40);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        let interval = p.interval().unwrap();
        // Four workers asking at odd times, some late (a slot they missed is not given to two).
        let mut asked = t0 + SECOND;
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
        p.reserve(t0);
        // Four workers in flight when the first 429 comes.
        let tickets: Vec<Ticket> = (0..4)
            .map(|k| p.reserve(t0 + 990 * MS + MS * k).1)
            .collect();
        answers(&mut p, t0, SECOND, 50);
        p.limited(t0 + SECOND, tickets[0], Some(SECOND));
        let interval = p.interval().unwrap();
        for (k, ticket) in tickets.iter().enumerate().skip(1) {
            p.limited(t0 + SECOND + MS * k as u32, *ticket, Some(SECOND));
        }
        assert_eq!(p.interval(), Some(interval));
        assert_eq!(p.stats().limited, 4);
        assert_eq!(p.stats().repaced, 1);
        // Their Retry-After still counts: the pause ends a second after the last of them.
        assert_eq!(p.reserve(t0 + SECOND).0, t0 + 2 * SECOND + 3 * MS);
        assert_eq!(p.stats().paused, SECOND + 3 * MS);
    }

    #[test]
    fn a_429_soon_after_a_pause_slows_the_pace_at_most_twofold() {
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 50);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        let interval = p.interval().unwrap();
        // 0.1 s after the pause: 5 answers in the last second, then a 429 at the new pace.
        let resume = t0 + 2 * SECOND;
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
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 40);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        let first = p.interval().unwrap();
        // Many answers in the second before the next 429 (a burst the pace did not send).
        let (_, ticket) = p.reserve(t0 + 3 * SECOND);
        answers(&mut p, t0, 4 * SECOND, 100);
        p.limited(t0 + 4 * SECOND, ticket, Some(SECOND));
        let second = p.interval().unwrap();
        assert!(second > first, "{second:?} <= {first:?}");
        let rate = 1.0 / second.as_secs_f64();
        assert!(
            (rate - 40.0 / PACE_MARGIN * SLOWDOWN).abs() < 0.01,
            "{rate}"
        );
    }

    #[test]
    fn a_pace_that_was_too_fast_comes_down_to_the_answers_seen() {
        // The first estimate counted the end of an earlier second too (80 answered, 50
        // allowed); at the next 429 the server had answered 50 in the second before it.
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 80);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        let (_, ticket) = p.reserve(t0 + 2 * SECOND);
        answers(&mut p, t0, 3 * SECOND, 50);
        p.limited(t0 + 3 * SECOND, ticket, Some(SECOND));
        let rate = 1.0 / p.interval().unwrap().as_secs_f64();
        assert!((rate - 50.0 / PACE_MARGIN).abs() < 0.01, "{rate}");
    }

    #[test]
    fn a_pace_that_meets_the_limit_a_second_after_the_pause_slows_more_than_a_late_429() {
        // A server with fixed seconds, the first estimate too high (70 answered, 50 allowed):
        // the pace sends 66 a second and meets the limit a second after each pause, with 66
        // answered in the second before, which does not say by how much the pace is too fast.
        let rate_after = |at: Duration| {
            let mut p = Pacer::default();
            let t0 = Instant::now();
            let (_, ticket) = p.reserve(t0);
            answers(&mut p, t0, SECOND, 70);
            p.limited(t0 + SECOND, ticket, Some(SECOND));
            let paced = 1.0 / p.interval().unwrap().as_secs_f64();
            let (_, ticket) = p.reserve(t0 + 2 * SECOND);
            let limited = t0 + 2 * SECOND + at;
            answers(&mut p, t0, 2 * SECOND + at, 66);
            p.limited(limited, ticket, Some(SECOND));
            (paced, 1.0 / p.interval().unwrap().as_secs_f64())
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
        let mut p = Pacer::default();
        let t0 = Instant::now();
        let (_, ticket) = p.reserve(t0);
        answers(&mut p, t0, SECOND, 50);
        p.limited(t0 + SECOND, ticket, Some(SECOND));
        let starts: Vec<Instant> = (0..500).map(|_| p.reserve(t0 + SECOND).0).collect();
        for (i, s) in starts.iter().enumerate() {
            let within = starts[i..].iter().take_while(|t| **t < *s + SECOND).count();
            assert!(
                within <= 48,
                "{within} requests in the second from slot {i}"
            );
        }
    }
}
