//! The orders planning needs: the plugin's work parents first in chunks,
//! the steps parents first, removals children first; and the form in which
//! codes are compared.

use std::collections::{BTreeSet, HashMap};

use host_harness::{Admin, PluginError};

use crate::parse::Config;
use crate::plan::work::{Stored, Work};
use crate::report::Step;

/// The most changes sent to the plugin in one call: bounds the plugin's
/// memory and the host's copies of the groups in flight.
const CHUNK: usize = 1_000;

/// The form codes are compared in, to find the stored group a declaration
/// names and its parent before the plugin validates anything: the plugin's
/// own normalisation (`normalize-code`), asked once for every code a plan
/// names. The rule lives in the plugin alone; this only remembers its
/// answers for the plan.
pub struct Keys<'a> {
    admin: &'a Admin,
    /// The key of each code asked whose key is not the code itself: usually
    /// none, so a plan of 100,000 groups keeps no map of their codes.
    differ: HashMap<Box<str>, Box<str>>,
}

/// The most codes put to the plugin in one call: bounds the plugin's
/// memory and the packed codes in flight.
const CODES_PER_CALL: usize = 10_000;

impl<'a> Keys<'a> {
    /// Keys asked of `admin`'s plugin; none learnt yet.
    pub fn new(admin: &'a Admin) -> Self {
        Self {
            admin,
            differ: HashMap::new(),
        }
    }

    /// Learns the keys of `codes`, a few plugin calls for all of them. A
    /// code asked again is asked again (cheaper than remembering every
    /// code that is its own key).
    pub fn learn<'c>(
        &mut self,
        codes: impl IntoIterator<Item = &'c str>,
    ) -> Result<(), PluginError> {
        let mut new: Vec<&str> = codes
            .into_iter()
            .filter(|code| !self.differ.contains_key(*code))
            .collect();
        new.sort_unstable();
        new.dedup();
        for slice in new.chunks(CODES_PER_CALL) {
            let keys = self
                .admin
                .plugin()
                .normalize_codes(self.admin.db().facts(), slice)?;
            for (code, key) in slice.iter().zip(keys) {
                if key != *code {
                    self.differ.insert((*code).into(), key.into_boxed_str());
                }
            }
        }
        Ok(())
    }

    /// The key of `code`, learnt before (a code never learnt is its own key).
    pub fn key<'k>(&'k self, code: &'k str) -> &'k str {
        self.differ.get(code).map_or(code, |key| key)
    }
}

/// Indices of `work` in chunks of at most [`CHUNK`], ordered so that a group
/// comes after the group it names as parent (when both are in the work); all
/// groups on or under a cycle in one last chunk.
pub fn parents_first(
    work: &[Work],
    config: &Config,
    stored: &HashMap<String, Stored>,
    keys: &mut Keys<'_>,
) -> Result<Vec<Vec<usize>>, PluginError> {
    // (code, parent) of each item that has a parent, as written; their keys
    // learnt at once. A flat list of groups needs no map at all.
    let written: Vec<Option<(String, String)>> = work
        .iter()
        .map(|w| match w {
            Work::Declared { decl, .. } => {
                let group = config.groups[*decl].group.unpack();
                Some((group.code, group.parent?))
            }
            Work::Removed { code } => {
                let parent = stored.get(&**code)?.parent.clone()?;
                Some((code.to_string(), parent))
            }
        })
        .collect();
    keys.learn(
        written
            .iter()
            .flatten()
            .flat_map(|(code, parent)| [code.as_str(), parent.as_str()]),
    )?;
    let with_parent = |i: usize| {
        let (code, parent) = written[i].as_ref()?;
        Some((keys.key(code).to_owned(), keys.key(parent).to_owned()))
    };
    let parents: HashMap<String, String> = (0..work.len()).filter_map(with_parent).collect();
    // Depth in the work's tree; groups on or under a cycle go last, together,
    // so the plugin sees the whole cycle in one call and names it.
    let depth = |code: &str| {
        let mut depth = 0usize;
        let mut seen = BTreeSet::new();
        let mut current = code;
        while let Some(parent) = parents.get(current) {
            if !seen.insert(current) {
                return usize::MAX;
            }
            depth += 1;
            current = parent;
        }
        depth
    };
    let mut order: Vec<(usize, usize)> = (0..work.len())
        .map(|i| {
            let depth = match with_parent(i) {
                Some((code, _)) => depth(&code),
                None => 0,
            };
            (depth, i)
        })
        .collect();
    order.sort_unstable();
    let cycles = order.partition_point(|(depth, _)| *depth != usize::MAX);
    let mut chunks: Vec<Vec<usize>> = order[..cycles]
        .chunks(CHUNK)
        .map(|chunk| chunk.iter().map(|(_, i)| *i).collect())
        .collect();
    if cycles < order.len() {
        chunks.push(order[cycles..].iter().map(|(_, i)| *i).collect());
    }
    Ok(chunks)
}

/// Creates and updates with parents before children (then by code).
pub fn order(mut steps: Vec<Step>, stored: &HashMap<String, Stored>) -> Vec<Step> {
    // The parents the steps give; a step's group without one is a root (a
    // depth that counts a stale stored parent of such a group is too deep,
    // never too shallow: its children still come after it).
    let parent_of: HashMap<String, String> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Create { group, .. } | Step::Update { group, .. } | Step::Adopt { group, .. } => {
                Some((group.code().to_owned(), group.unpack().parent?))
            }
            _ => None,
        })
        .collect();
    let depth_of = |code: &str| {
        let mut depth = 0usize;
        let mut current = code;
        let mut seen = BTreeSet::new();
        while seen.insert(current) {
            let parent = match parent_of.get(current) {
                Some(parent) => Some(parent.as_str()),
                None => stored.get(current).and_then(|s| s.parent.as_deref()),
            };
            let Some(parent) = parent else { break };
            depth += 1;
            current = parent;
        }
        depth
    };
    steps.sort_unstable_by(|a, b| a.code().cmp(b.code()));
    // Stable: equal depths stay in code order.
    steps.sort_by_cached_key(|s| depth_of(s.code()));
    steps
}

/// How deep a stored group sits in the tree.
pub fn depth(code: &str, stored: &HashMap<String, Stored>) -> usize {
    let mut depth = 0;
    let mut current = stored.get(code).and_then(|s| s.parent.as_deref());
    while let Some(parent) = current {
        depth += 1;
        // Deeper than there are groups only around a loop of parents (a
        // store edited by hand); how deep a tree may be is the plugin's rule.
        if depth > stored.len() {
            break;
        }
        current = stored.get(parent).and_then(|s| s.parent.as_deref());
    }
    depth
}
