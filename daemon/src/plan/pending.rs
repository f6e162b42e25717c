//! The groups accepted by earlier chunks of a plan, laid over the store's
//! facts, so that a chunk sees its parents before anything is written; and
//! what a chunk asked of them ([`Asked`]), so that a chunk validated ahead,
//! beside the one before it, is known to have seen what it would have seen
//! after it ([`Asked::affected_by`]).

use std::collections::{BTreeSet, HashMap, HashSet};
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

/// The groups one chunk added to the pending ones: all an answer of
/// [`PendingFacts`] depends on, besides the store.
#[derive(Debug, Default)]
pub struct Accepted {
    codes: HashSet<String>,
    parents: HashSet<String>,
    /// Names as the store compares them (ASCII case folded).
    names: HashSet<String>,
}

impl Accepted {
    /// Records `group`, accepted.
    pub fn add(&mut self, group: &CustomerGroup) {
        self.codes.insert(group.code.clone());
        self.parents.extend(group.parent.clone());
        self.names.insert(group.name.to_ascii_lowercase());
    }
}

/// What a call asked of [`PendingFacts`] whose answer pending groups can
/// change: the groups by code, the names, and the children by parent, each
/// with the codes the answer named.
#[derive(Debug, Default)]
pub struct Asked {
    codes: Vec<String>,
    /// Folded name, and the codes found with it (stored or pending).
    names: Vec<(String, Vec<String>)>,
    /// Parent, and its children found (stored or pending).
    children: Vec<(String, Vec<String>)>,
}

impl Asked {
    /// Whether the groups of `accepted`, had they been pending, could have
    /// changed an answer: a group asked for by code, a name one of them
    /// has, a group an answer named (renamed or moved since), or a parent
    /// one of them has. If not, every answer was what it would have been
    /// after them, and so (the plugin being a function of its input and its
    /// answers) is the verdict.
    pub fn affected_by(&self, accepted: &Accepted) -> bool {
        self.codes.iter().any(|code| accepted.codes.contains(code))
            || self.names.iter().any(|(name, found)| {
                accepted.names.contains(name) || found.iter().any(|c| accepted.codes.contains(c))
            })
            || self.children.iter().any(|(parent, found)| {
                accepted.parents.contains(parent)
                    || found.iter().any(|c| accepted.codes.contains(c))
            })
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
    asked: Option<Arc<Mutex<Asked>>>,
}

impl PendingFacts {
    /// The facts of `db` with `pending` laid over.
    pub fn new(db: Db, pending: Arc<Mutex<Pending>>) -> Self {
        Self {
            db,
            pending,
            asked: None,
        }
    }

    /// The same, noting in `asked` what is asked of the pending groups.
    pub fn recording(db: Db, pending: Arc<Mutex<Pending>>, asked: Arc<Mutex<Asked>>) -> Self {
        Self {
            db,
            pending,
            asked: Some(asked),
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn note(&self, note: impl FnOnce(&mut Asked)) {
        if let Some(asked) = &self.asked {
            note(&mut asked.lock().unwrap_or_else(PoisonError::into_inner));
        }
    }
}

/// The codes a name question's answers named.
fn named_codes(stored: &Option<String>, answer: &Option<String>) -> Vec<String> {
    stored.iter().chain(answer).cloned().collect()
}

impl Facts for PendingFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Facts::find_account(&mut self.db, code)
    }
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        self.note(|asked| asked.codes.push(code.to_owned()));
        if let Some(group) = self.pending().groups.get(code) {
            return Ok(Some(group.unpack()));
        }
        Facts::find_group(&mut self.db, code)
    }
    fn find_group_named(&mut self, name: &str, except: &str) -> Result<Option<String>, FactsError> {
        if let Some(code) = self.pending().named(name, except) {
            let found = vec![code.clone()];
            self.note(|asked| asked.names.push((name.to_ascii_lowercase(), found)));
            return Ok(Some(code));
        }
        let stored = Facts::find_group_named(&mut self.db, name, except)?;
        // A stored group renamed in an earlier chunk no longer has the name.
        let answer = stored
            .clone()
            .filter(|code| !self.pending().groups.contains_key(code.as_str()));
        let found = named_codes(&stored, &answer);
        self.note(|asked| asked.names.push((name.to_ascii_lowercase(), found)));
        Ok(answer)
    }
    fn find_groups(&mut self, codes: &[String]) -> Result<Vec<Option<CustomerGroup>>, FactsError> {
        self.note(|asked| asked.codes.extend(codes.iter().cloned()));
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
        let mut found = Vec::new();
        let answers = questions
            .iter()
            .zip(stored)
            .map(|((name, except), stored)| {
                let answer = pending.named(name, except).or_else(|| {
                    // A stored group renamed in an earlier chunk no longer has the name.
                    stored
                        .clone()
                        .filter(|code| !pending.groups.contains_key(code.as_str()))
                });
                if self.asked.is_some() {
                    found.push((name.to_ascii_lowercase(), named_codes(&stored, &answer)));
                }
                answer
            })
            .collect();
        drop(pending);
        self.note(|asked| asked.names.extend(found));
        Ok(answers)
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
        let mut found = if self.asked.is_some() {
            stored.clone()
        } else {
            Vec::new()
        };
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
        drop(pending);
        if self.asked.is_some() {
            found.extend(children.iter().cloned());
            self.note(|asked| asked.children.push((code.to_owned(), found)));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn group(code: &str, name: &str, parent: Option<&str>) -> CustomerGroup {
        let mut group = CustomerGroup::new(code, name);
        group.parent = parent.map(Into::into);
        group
    }

    #[test]
    fn an_answer_is_affected_only_by_a_group_it_asked_about_or_named() {
        let mut accepted = Accepted::default();
        accepted.add(&group("NEW", "Fresh Name", Some("NODE")));
        let asked = |codes: &[&str], names: &[(&str, &[&str])], children: &[(&str, &[&str])]| {
            let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            Asked {
                codes: list(codes),
                names: names
                    .iter()
                    .map(|(n, f)| (n.to_string(), list(f)))
                    .collect(),
                children: children
                    .iter()
                    .map(|(p, f)| (p.to_string(), list(f)))
                    .collect(),
            }
        };
        let cases: &[(Asked, bool, &str)] = &[
            (asked(&["OTHER", "0000"], &[], &[]), false, "other codes"),
            (asked(&["NEW"], &[], &[]), true, "the group itself"),
            (asked(&[], &[("fresh name", &[])], &[]), true, "its name"),
            (
                asked(&[], &[("stale name", &["NEW"])], &[]),
                true,
                "renamed",
            ),
            (
                asked(&[], &[("stale name", &["OLD"])], &[]),
                false,
                "another name",
            ),
            (asked(&[], &[], &[("NODE", &[])]), true, "a new child"),
            (asked(&[], &[], &[("ELSE", &["NEW"])]), true, "moved away"),
            (
                asked(&[], &[], &[("ELSE", &["KID"])]),
                false,
                "other children",
            ),
        ];
        for (asked, affected, why) in cases {
            assert_eq!(asked.affected_by(&accepted), *affected, "{why}");
        }
    }
}
