//! Random operation sequences against a model: UIDs strictly increase in
//! every mailbox, and the store always equals the model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use common::{TempDir, message};
use mailwire_maildir::{Flags, Store, StoreMode};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Deliver,
    Flag {
        mailbox: usize,
        pick: usize,
        flags: u8,
        keyword: Option<usize>,
        mode: u8,
    },
    Copy {
        from: usize,
        to: usize,
        pick: usize,
    },
    Move {
        from: usize,
        to: usize,
        pick: usize,
    },
    Expunge {
        mailbox: usize,
        pick: usize,
    },
    Rename {
        mailbox: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Deliver),
        3 => (0..3usize, any::<usize>(), 0..64u8, proptest::option::of(0..3usize), 0..3u8)
            .prop_map(|(mailbox, pick, flags, keyword, mode)| Op::Flag { mailbox, pick, flags, keyword, mode }),
        2 => (0..3usize, 0..3usize, any::<usize>()).prop_map(|(from, to, pick)| Op::Copy { from, to, pick }),
        2 => (0..3usize, 0..3usize, any::<usize>()).prop_map(|(from, to, pick)| Op::Move { from, to, pick }),
        2 => (0..3usize, any::<usize>()).prop_map(|(mailbox, pick)| Op::Expunge { mailbox, pick }),
        1 => (1..3usize).prop_map(|mailbox| Op::Rename { mailbox }),
    ]
}

const KEYWORDS: [&str; 3] = ["$Label1", "Work", "$Junk"];

#[derive(Clone, Debug, PartialEq, Eq)]
struct Msg {
    body: Vec<u8>,
    flags: Flags,
    keywords: Vec<String>,
}

#[derive(Default)]
struct Model {
    names: Vec<String>,
    boxes: Vec<BTreeMap<u32, Msg>>,
    max_uid: Vec<u32>,
    validity: Vec<u32>,
}

fn pick(m: &BTreeMap<u32, Msg>, n: usize) -> Option<u32> {
    if m.is_empty() {
        None
    } else {
        m.keys().nth(n % m.len()).copied()
    }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let t = TempDir::new("model");
    let store = Store::open(t.path()).unwrap();
    let mut model = Model {
        names: vec!["INBOX".into(), "A".into(), "B/c".into()],
        boxes: vec![BTreeMap::new(); 3],
        max_uid: vec![0; 3],
        validity: vec![0; 3],
    };
    store.create("A").unwrap();
    store.create("B/c").unwrap();
    for (i, name) in model.names.iter().enumerate() {
        model.validity[i] = store.mailbox(name).unwrap().status().uidvalidity;
    }
    let mut delivered = 0usize;
    for op in ops {
        let mb = |i: usize, model: &Model| store.mailbox(&model.names[i]).unwrap();
        match op {
            Op::Deliver => {
                delivered += 1;
                store.deliver(&message(delivered)).unwrap();
                let inbox = mb(0, &model);
                let uid = *inbox.uids().last().unwrap();
                prop_assert!(uid > model.max_uid[0]);
                model.max_uid[0] = uid;
                let body = message(delivered);
                model.boxes[0].insert(
                    uid,
                    Msg {
                        body,
                        flags: Flags::EMPTY,
                        keywords: vec![],
                    },
                );
            }
            Op::Flag {
                mailbox,
                pick: p,
                flags,
                keyword,
                mode,
            } => {
                let Some(uid) = pick(&model.boxes[mailbox], p) else {
                    continue;
                };
                let flags = Flags::from_bits(flags);
                let kws: Vec<&str> = keyword.map(|k| KEYWORDS[k]).into_iter().collect();
                let mode =
                    [StoreMode::Add, StoreMode::Remove, StoreMode::Replace][usize::from(mode)];
                mb(mailbox, &model)
                    .store(&[uid], mode, flags, &kws, None)
                    .unwrap();
                let m = model.boxes[mailbox].get_mut(&uid).unwrap();
                match mode {
                    StoreMode::Add => {
                        m.flags |= flags;
                        for k in kws {
                            if !m.keywords.iter().any(|x| x == k) {
                                m.keywords.push(k.to_string());
                            }
                        }
                    }
                    StoreMode::Remove => {
                        m.flags = m.flags & !flags;
                        m.keywords.retain(|x| !kws.contains(&x.as_str()));
                    }
                    StoreMode::Replace => {
                        m.flags = flags;
                        m.keywords = kws.iter().map(|k| k.to_string()).collect();
                    }
                }
            }
            Op::Copy { from, to, pick: p } | Op::Move { from, to, pick: p } => {
                let is_move = matches!(op, Op::Move { .. });
                let Some(uid) = pick(&model.boxes[from], p) else {
                    continue;
                };
                let (src, dst) = (mb(from, &model), mb(to, &model));
                let r = if is_move {
                    src.move_to(&[uid], &dst)
                } else {
                    src.copy_to(&[uid], &dst)
                }
                .unwrap();
                prop_assert_eq!(&r.source, &vec![uid]);
                prop_assert_eq!(r.uidvalidity, model.validity[to]);
                let new_uid = r.dest[0];
                prop_assert!(new_uid > model.max_uid[to]);
                model.max_uid[to] = new_uid;
                let msg = if is_move {
                    model.boxes[from].remove(&uid).unwrap()
                } else {
                    model.boxes[from][&uid].clone()
                };
                model.boxes[to].insert(new_uid, msg);
            }
            Op::Expunge { mailbox, pick: p } => {
                let Some(uid) = pick(&model.boxes[mailbox], p) else {
                    continue;
                };
                prop_assert_eq!(mb(mailbox, &model).expunge(&[uid]).unwrap(), vec![uid]);
                model.boxes[mailbox].remove(&uid);
            }
            Op::Rename { mailbox } => {
                let old = model.names[mailbox].clone();
                let new = if old.ends_with("2") {
                    old.trim_end_matches('2').to_string()
                } else {
                    format!("{old}2")
                };
                store.rename(&old, &new).unwrap();
                model.names[mailbox] = new;
            }
        }
        // The store equals the model, seen by this process and by a new one.
        let fresh = Store::open(t.path()).unwrap();
        for name in &model.names {
            // MODSEQs read back from the sidecar equal the live ones.
            let (a, b) = (store.mailbox(name).unwrap(), fresh.mailbox(name).unwrap());
            let live: Vec<(u32, u64)> = a.messages().iter().map(|m| (m.uid, m.modseq)).collect();
            let read: Vec<(u32, u64)> = b.messages().iter().map(|m| (m.uid, m.modseq)).collect();
            prop_assert_eq!(live, read, "modseqs of {}", name);
            prop_assert_eq!(a.status().highest_modseq, b.status().highest_modseq);
        }
        for (i, name) in model.names.iter().enumerate() {
            for s in [&store, &fresh] {
                let m = s.mailbox(name).unwrap();
                prop_assert_eq!(m.status().uidvalidity, model.validity[i]);
                let got: BTreeMap<u32, Msg> = m
                    .messages()
                    .into_iter()
                    .map(|info| {
                        let mut keywords = info.keywords.clone();
                        keywords.sort();
                        (
                            info.uid,
                            Msg {
                                body: m.read(info.uid).unwrap(),
                                flags: info.flags,
                                keywords,
                            },
                        )
                    })
                    .collect();
                let want: BTreeMap<u32, Msg> = model.boxes[i]
                    .iter()
                    .map(|(u, msg)| {
                        let mut msg = msg.clone();
                        msg.keywords.sort();
                        (*u, msg)
                    })
                    .collect();
                prop_assert_eq!(got, want, "mailbox {}", name);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn store_follows_model(ops in proptest::collection::vec(op(), 1..40)) {
        run(ops)?;
    }
}
