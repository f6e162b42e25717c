//! The host's answers, remembered for the rest of one export call.
//!
//! The contract fixes the host's facts for the duration of one export call,
//! so a question asked twice has the same answer. Validating a batch asks the
//! same few questions for every record (its parent, the same three accounts,
//! the same currency and price list); asked once each, they cost one trip
//! through the component boundary and one query of the host's store instead
//! of one per record.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::hash::Hash;

use super::{Facts, Map, Set};
use crate::bindings::erp::customer_group::types::{
    Account, Customer, CustomerGroup, GroupUsage, ReferenceKind, Settings,
};

/// `F`'s answers, each asked at most once.
pub struct Cached<F> {
    facts: F,
    accounts: Memo<Option<Account>>,
    groups: Memo<Option<CustomerGroup>>,
    /// By the code excepted, then the name.
    names: Memo2<String, Option<String>>,
    /// By the kind, then the code.
    references: Memo2<u8, bool>,
    usage: Memo<GroupUsage>,
    children: Memo<Vec<String>>,
    customers: Memo<Vec<Customer>>,
    settings: RefCell<Option<Settings>>,
}

/// Answers by a text, looked up without copying the text (a batch looks up
/// the same few answers for every record).
type Memo<V> = RefCell<Map<String, V>>;

/// Answers by a pair of keys, the second a text.
type Memo2<O, V> = RefCell<Map<O, Map<String, V>>>;

impl<F: Facts> Cached<F> {
    /// Remembers `facts`' answers from now on.
    pub fn new(facts: F) -> Self {
        Self {
            facts,
            accounts: Memo::default(),
            groups: Memo::default(),
            names: Memo2::default(),
            references: Memo2::default(),
            usage: Memo::default(),
            children: Memo::default(),
            customers: Memo::default(),
            settings: RefCell::default(),
        }
    }
}

/// The answer remembered for `key`, or `ask`'s, remembered.
fn recall<V: Clone>(memo: &Memo<V>, key: &str, ask: impl FnOnce() -> V) -> V {
    if let Some(known) = memo.borrow().get(key) {
        return known.clone();
    }
    let answer = ask();
    memo.borrow_mut().insert(key.to_owned(), answer.clone());
    answer
}

/// The answer remembered for `outer` and `key`, or `ask`'s, remembered.
fn recall2<O, Q, V>(memo: &Memo2<O, V>, outer: &Q, key: &str, ask: impl FnOnce() -> V) -> V
where
    O: Borrow<Q> + Hash + Eq,
    Q: Hash + Eq + ToOwned<Owned = O> + ?Sized,
    V: Clone,
{
    if let Some(known) = memo.borrow().get(outer).and_then(|inner| inner.get(key)) {
        return known.clone();
    }
    let answer = ask();
    memo.borrow_mut()
        .entry(outer.to_owned())
        .or_default()
        .insert(key.to_owned(), answer.clone());
    answer
}

impl<F: Facts> Facts for Cached<F> {
    fn account(&self, code: &str) -> Option<Account> {
        recall(&self.accounts, code, || self.facts.account(code))
    }

    fn group(&self, code: &str) -> Option<CustomerGroup> {
        recall(&self.groups, code, || self.facts.group(code))
    }

    fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
        recall2(&self.names, except_code, name, || {
            self.facts.group_named(name, except_code)
        })
    }

    fn prefetch(&self, codes: &[String], names: &[(String, String)]) {
        let codes: Vec<String> = {
            let known = self.groups.borrow();
            let unknown: Set<&String> = codes.iter().filter(|c| !known.contains_key(*c)).collect();
            unknown.into_iter().cloned().collect()
        };
        if !codes.is_empty() {
            let answers = self.facts.groups(&codes);
            let mut known = self.groups.borrow_mut();
            known.reserve(codes.len());
            known.extend(codes.into_iter().zip(answers));
        }
        let names: Vec<(String, String)> = {
            let known = self.names.borrow();
            let unknown: Set<&(String, String)> = names
                .iter()
                .filter(|(name, except)| {
                    !known
                        .get(except)
                        .is_some_and(|inner| inner.contains_key(name))
                })
                .collect();
            unknown.into_iter().cloned().collect()
        };
        if !names.is_empty() {
            let answers = self.facts.groups_named(&names);
            let mut known = self.names.borrow_mut();
            for ((name, except), answer) in names.into_iter().zip(answers) {
                known.entry(except).or_default().insert(name, answer);
            }
        }
    }

    fn reference_exists(&self, kind: ReferenceKind, code: &str) -> bool {
        recall2(&self.references, &(kind as u8), code, || {
            self.facts.reference_exists(kind, code)
        })
    }

    fn usage(&self, code: &str) -> GroupUsage {
        recall(&self.usage, code, || self.facts.usage(code))
    }

    fn child_groups(&self, code: &str) -> Vec<String> {
        recall(&self.children, code, || self.facts.child_groups(code))
    }

    fn customers(&self, group: &str) -> Vec<Customer> {
        recall(&self.customers, group, || self.facts.customers(group))
    }

    fn settings(&self) -> Settings {
        if let Some(known) = &*self.settings.borrow() {
            return known.clone();
        }
        let answer = self.facts.settings();
        *self.settings.borrow_mut() = Some(answer.clone());
        answer
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::facts::testing::{MapFacts, facts};

    /// Counts the questions that reach the facts underneath.
    struct Counting<'a> {
        facts: MapFacts,
        asked: &'a Cell<u32>,
    }

    impl Facts for Counting<'_> {
        fn account(&self, code: &str) -> Option<Account> {
            self.asked.set(self.asked.get() + 1);
            self.facts.account(code)
        }
        fn group(&self, code: &str) -> Option<CustomerGroup> {
            self.asked.set(self.asked.get() + 1);
            self.facts.group(code)
        }
        fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
            self.asked.set(self.asked.get() + 1);
            self.facts.group_named(name, except_code)
        }
        fn reference_exists(&self, kind: ReferenceKind, code: &str) -> bool {
            self.asked.set(self.asked.get() + 1);
            self.facts.reference_exists(kind, code)
        }
        fn usage(&self, code: &str) -> GroupUsage {
            self.asked.set(self.asked.get() + 1);
            self.facts.usage(code)
        }
        fn child_groups(&self, code: &str) -> Vec<String> {
            self.asked.set(self.asked.get() + 1);
            self.facts.child_groups(code)
        }
        fn customers(&self, group: &str) -> Vec<Customer> {
            self.asked.set(self.asked.get() + 1);
            self.facts.customers(group)
        }
        fn settings(&self) -> Settings {
            self.asked.set(self.asked.get() + 1);
            self.facts.settings()
        }
    }

    #[test]
    fn each_question_reaches_the_host_once_with_the_same_answer() {
        let asked = Cell::new(0);
        let cached = Cached::new(Counting {
            facts: facts(),
            asked: &asked,
        });
        for _ in 0..3 {
            assert!(cached.account("1100").is_some());
            assert!(cached.account("9999").is_none());
            assert!(cached.group("0000").is_some());
            assert_eq!(cached.group_named("default", "X"), Some("0000".to_owned()));
            assert_eq!(cached.group_named("default", "0000"), None);
            assert!(cached.reference_exists(ReferenceKind::Currency, "IDR"));
            assert!(!cached.reference_exists(ReferenceKind::PriceList, "IDR"));
            cached.usage("0000");
            cached.child_groups("0000");
            cached.customers("0000");
            cached.settings();
        }
        assert_eq!(asked.get(), 11, "one question each, the first time only");
    }

    #[test]
    fn a_prefetched_answer_is_not_asked_again() {
        let asked = Cell::new(0);
        let cached = Cached::new(Counting {
            facts: facts(),
            asked: &asked,
        });
        let codes = ["0000".to_owned(), "NOPE".to_owned(), "0000".to_owned()];
        let names = [("default".to_owned(), "X".to_owned())];
        cached.prefetch(&codes, &names);
        assert_eq!(asked.get(), 3, "each code and name once");
        assert!(cached.group("0000").is_some());
        assert!(cached.group("NOPE").is_none());
        assert_eq!(cached.group_named("default", "X"), Some("0000".to_owned()));
        cached.prefetch(&codes, &names);
        assert_eq!(asked.get(), 3, "nothing asked twice");
    }
}
