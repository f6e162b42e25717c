//! The orders planning needs: the plugin's work parents first in chunks,
//! the steps parents first, removals children first; and the form in which
//! codes are compared.

use std::collections::{BTreeSet, HashMap};

use crate::parse::Config;
use crate::plan::work::{Stored, Work};
use crate::report::Step;

/// The most changes sent to the plugin in one call: bounds the plugin's
/// memory and the host's copies of the groups in flight.
const CHUNK: usize = 2_000;

/// The form codes are compared in, to find the stored group a declaration
/// names and its parent before the plugin is asked.
///
/// This mirrors the plugin's rule, `normalize_code` in
/// `plugin/src/validate.rs` (trim, then upper-case A-Z only; other letters
/// stay, for the code rules to refuse), which owns it. The contract gives
/// the daemon no way to ask for it: the plugin normalises a code only inside
/// `validate`/`validate-many`, and its verdict carries the normalised record
/// (`verdict.normalized`) only when the change has no error; there is no
/// `normalize` call, and an issue names no code. Planning needs the form
/// before that call (whether a declaration creates or updates, and parents
/// first), so a duplicate stays here until the contract offers one. It
/// decides nothing: the plugin still validates every change, and what is
/// stored is the plugin's `normalized` record.
pub fn key(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Indices of `work` in chunks of at most [`CHUNK`], ordered so that a group
/// comes after the group it names as parent (when both are in the work); all
/// groups on or under a cycle in one last chunk.
pub fn parents_first(
    work: &[Work],
    config: &Config,
    stored: &HashMap<String, Stored>,
) -> Vec<Vec<usize>> {
    // (code, parent) of each item that has a parent: a flat list of groups
    // needs no map at all.
    let with_parent = |w: &Work| match w {
        Work::Declared { decl, .. } => {
            let group = config.groups[*decl].group.unpack();
            let parent = key(group.parent.as_deref()?);
            Some((key(&group.code), parent))
        }
        Work::Removed { code } => {
            let parent = key(stored.get(&**code)?.parent.as_deref()?);
            Some((key(code), parent))
        }
    };
    let parents: HashMap<String, String> = work.iter().filter_map(with_parent).collect();
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
    let mut order: Vec<(usize, usize)> = work
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let depth = match with_parent(w) {
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
    chunks
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
