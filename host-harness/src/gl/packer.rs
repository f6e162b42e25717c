//! A chunk of AR transactions as the plugin's `gl` exports take them:
//! each text once, references as spans of one string, the entries in id
//! order (shared by batch creation and the entry checker).

use std::collections::HashMap;

use super::CHUNK;
use crate::wit::{ArTransaction, ArTransactions, Span};

type Quick = rustc_hash::FxBuildHasher;

/// A chunk's transactions as the plugin takes them, packed as they are read.
pub(crate) struct Packer {
    texts: Vec<String>,
    index: HashMap<String, u32, Quick>,
    /// Currency -> its text and its decimals.
    currencies: HashMap<String, (u32, u32), Quick>,
    references: String,
    entries: Vec<ArTransaction>,
}

impl Packer {
    pub(crate) fn new() -> Self {
        Self {
            texts: Vec::new(),
            index: HashMap::default(),
            currencies: HashMap::default(),
            references: String::with_capacity(CHUNK * 12),
            entries: Vec::with_capacity(CHUNK),
        }
    }

    pub(crate) fn text(&mut self, text: &str) -> u32 {
        if let Some(&at) = self.index.get(text) {
            return at;
        }
        let at = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(text.to_owned());
        self.index.insert(text.to_owned(), at);
        at
    }

    /// A currency's text and its decimals, looked up once.
    pub(crate) fn currency(
        &mut self,
        code: &str,
        decimals_of: impl FnOnce(&str) -> u32,
    ) -> (u32, u32) {
        if let Some(&known) = self.currencies.get(code) {
            return known;
        }
        let found = (self.text(code), decimals_of(code));
        self.currencies.insert(code.to_owned(), found);
        found
    }

    pub(crate) fn reference(&mut self, text: &str) -> Span {
        let start = self.references.len();
        self.references.push_str(text);
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: at(start),
            len: at(text.len()),
        }
    }

    /// How many transactions are packed.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is packed yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a transaction packed with this packer's texts.
    pub(crate) fn push(&mut self, entry: ArTransaction) {
        self.entries.push(entry);
    }

    pub(crate) fn finish(mut self) -> ArTransactions {
        if !self.entries.is_sorted_by_key(|e| e.id) {
            self.entries.sort_unstable_by_key(|e| e.id);
        }
        ArTransactions {
            texts: self.texts,
            references: self.references,
            entries: self.entries,
        }
    }
}
