//! 8 threads × 500 random create/revoke/list calls on one account: the invariant
//! 1 ≤ secrets ≤ 2 holds after every response, and the final state equals a replay of the
//! successful operations in the order the server applied them (its request log).

mod common;

use std::sync::Arc;

use common::*;
use vonage_secrets_sandbox::Operation;

const THREADS: u64 = 8;
const CALLS: usize = 500;

/// xorshift64*: a small deterministic generator, one per thread.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn invariant_holds_and_the_log_replays_to_the_final_state() {
    let sb = Arc::new(sandbox());
    // The primary's credentials never change; the secondary account is the one churned.
    let initial = sb.secrets_of(SUB).unwrap()[0].id.clone();

    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let sb = Arc::clone(&sb);
            let initial = initial.clone();
            std::thread::spawn(move || {
                let c = Client::new(sb.base_url(), KEY, SECRET);
                let mut rng =
                    Rng(0x9E37_79B9_7F4A_7C15 ^ (t + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
                let mut known = vec![initial];
                for i in 0..CALLS {
                    match rng.next() % 3 {
                        0 => {
                            let r = c.create(SUB, &format!("Thread{t}-Call{i}-x"));
                            match r.status {
                                201 => known.push(r.json()["id"].as_str().unwrap().to_owned()),
                                403 => assert_eq!(r.json()["title"], "Secret Addition Forbidden"),
                                s => panic!("create: unexpected {s}: {}", r.body),
                            }
                        }
                        1 => {
                            let id = known[(rng.next() % known.len() as u64) as usize].clone();
                            let r = c.revoke(SUB, &id);
                            match r.status {
                                204 | 404 => {}
                                403 => assert_eq!(r.json()["title"], "Secret Deletion Forbidden"),
                                s => panic!("revoke: unexpected {s}: {}", r.body),
                            }
                        }
                        _ => {
                            let r = c.list(SUB);
                            assert_eq!(r.status, 200, "{}", r.body);
                            let listed = ids(&r.json());
                            assert!((1..=2).contains(&listed.len()), "{listed:?}");
                            known.extend(listed);
                            known.sort();
                            known.dedup();
                        }
                    }
                    let now = sb.secrets_of(SUB).unwrap().len();
                    assert!((1..=2).contains(&now), "{now} secrets");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a client thread failed");
    }

    let log = sb.requests();
    assert_eq!(log.len(), THREADS as usize * CALLS);
    let mut replay = vec![initial];
    for r in &log {
        match (r.operation, r.status) {
            (Some(Operation::Create), Some(201)) => {
                replay.push(r.secret_id.clone().expect("a create records its new id"));
            }
            (Some(Operation::Revoke), Some(204)) => {
                let id = r.secret_id.as_deref().unwrap();
                let at = replay
                    .iter()
                    .position(|s| s == id)
                    .expect("revoked a live secret");
                replay.remove(at);
            }
            (Some(Operation::Create), Some(403)) => assert_eq!(replay.len(), 2, "refused at 2"),
            (Some(Operation::Revoke), Some(403)) => assert_eq!(replay.len(), 1, "refused at 1"),
            (Some(Operation::Revoke), Some(404)) => {
                assert!(
                    !replay
                        .iter()
                        .any(|s| Some(s.as_str()) == r.secret_id.as_deref())
                );
            }
            (Some(Operation::List), Some(200)) => {}
            other => panic!("unexpected log entry {other:?}"),
        }
        assert!((1..=2).contains(&replay.len()));
    }
    let final_ids: Vec<_> = sb
        .secrets_of(SUB)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(final_ids, replay);
    // The primary account was never touched.
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
}
