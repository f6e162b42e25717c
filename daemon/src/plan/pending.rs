//! The groups accepted by earlier chunks of a plan, laid over the store's
//! facts, so that a chunk sees its parents before anything is written.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use host_harness::wit::{
    Account, Customer, CustomerGroup, FactsError, GroupUsage, ReferenceKind, Settings,
};
use host_harness::{Db, Facts};

use crate::packed::PackedGroup;

/// Groups accepted by earlier chunks.
#[derive(Default)]
pub struct Pending {
    /// Each group.
    groups: HashMap<Arc<str>, PackedGroup>,
    /// Parent to children.
    children: HashMap<String, BTreeSet<String>>,
    /// Each group's name, by a hash of the name as the store compares names
    /// (ASCII case folded), to find a name taken in an earlier chunk.
    names: BTreeSet<(u64, Arc<str>)>,
}

impl Pending {
    /// Adds a group accepted.
    pub fn insert(&mut self, group: &CustomerGroup, packed: PackedGroup) {
        if let Some(parent) = &group.parent {
            self.children
                .entry(parent.clone())
                .or_default()
                .insert(group.code.clone());
        }
        let code = packed.shared_code();
        self.names.insert((name_hash(&group.name), code.clone()));
        self.groups.insert(code, packed);
    }

    /// A pending group other than `except` with this name.
    fn named(&self, name: &str, except: &str) -> Option<String> {
        let hash = name_hash(name);
        self.names
            .range((hash, Arc::from(""))..)
            .take_while(|(h, _)| *h == hash)
            .map(|(_, code)| code)
            .find(|code| {
                &***code != except
                    && self
                        .groups
                        .get(*code)
                        .is_some_and(|group| group.unpack().name.eq_ignore_ascii_case(name))
            })
            .map(|code| code.to_string())
    }
}

fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    name.to_ascii_lowercase().hash(&mut hasher);
    hasher.finish()
}

/// The store's facts with the groups of earlier chunks laid over, so a chunk
/// sees its parents even before anything is written.
pub struct PendingFacts {
    db: Db,
    pending: Arc<Mutex<Pending>>,
}

impl PendingFacts {
    /// The facts of `db` with `pending` laid over.
    pub fn new(db: Db, pending: Arc<Mutex<Pending>>) -> Self {
        Self { db, pending }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Facts for PendingFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Facts::find_account(&mut self.db, code)
    }
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        if let Some(group) = self.pending().groups.get(code) {
            return Ok(Some(group.unpack()));
        }
        Facts::find_group(&mut self.db, code)
    }
    fn find_group_named(&mut self, name: &str, except: &str) -> Result<Option<String>, FactsError> {
        if let Some(code) = self.pending().named(name, except) {
            return Ok(Some(code));
        }
        let stored = Facts::find_group_named(&mut self.db, name, except)?;
        // A stored group renamed in an earlier chunk no longer has the name.
        Ok(stored.filter(|code| !self.pending().groups.contains_key(code.as_str())))
    }
    fn find_groups(&mut self, codes: &[String]) -> Result<Vec<Option<CustomerGroup>>, FactsError> {
        let mut answers: Vec<Option<Option<CustomerGroup>>> = {
            let pending = self.pending();
            codes
                .iter()
                .map(|code| pending.groups.get(code.as_str()).map(|g| Some(g.unpack())))
                .collect()
        };
        let stored: Vec<String> = codes
            .iter()
            .zip(&answers)
            .filter(|(_, known)| known.is_none())
            .map(|(code, _)| code.clone())
            .collect();
        let mut stored = self.db.find_groups(&stored)?.into_iter();
        for answer in &mut answers {
            if answer.is_none() {
                *answer = Some(stored.next().flatten());
            }
        }
        Ok(answers.into_iter().map(Option::flatten).collect())
    }
    fn find_groups_named(
        &mut self,
        questions: &[(String, String)],
    ) -> Result<Vec<Option<String>>, FactsError> {
        let stored = self.db.find_groups_named(questions)?;
        let pending = self.pending();
        Ok(questions
            .iter()
            .zip(stored)
            .map(|((name, except), stored)| {
                pending.named(name, except).or_else(|| {
                    // A stored group renamed in an earlier chunk no longer has the name.
                    stored.filter(|code| !pending.groups.contains_key(code.as_str()))
                })
            })
            .collect())
    }
    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, FactsError> {
        Facts::reference_exists(&mut self.db, kind, code)
    }
    fn usage(&mut self, code: &str) -> Result<GroupUsage, FactsError> {
        Facts::usage(&mut self.db, code)
    }
    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, FactsError> {
        let stored = Facts::child_groups(&mut self.db, code)?;
        let pending = self.pending();
        let mut children: BTreeSet<String> = stored
            .into_iter()
            .filter(|c| {
                pending
                    .groups
                    .get(c.as_str())
                    .is_none_or(|group| group.unpack().parent.as_deref() == Some(code))
            })
            .collect();
        if let Some(more) = pending.children.get(code) {
            children.extend(more.iter().cloned());
        }
        Ok(children.into_iter().collect())
    }
    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, FactsError> {
        Facts::customers(&mut self.db, group)
    }
    fn ar_settings(&mut self) -> Result<Settings, FactsError> {
        Facts::ar_settings(&mut self.db)
    }
}
