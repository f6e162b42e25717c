//! The packed form of a batch, both ways: the transactions as hosts send
//! them (each text once, references as spans into one string) and the
//! postings as the plugin answers (each account once, descriptions and lines
//! as spans).

use std::collections::BTreeMap;

use crate::bindings::erp::customer_group::types::Span;
use crate::bindings::exports::erp::customer_group::gl::{
    ArTransaction, ArTransactions, Postings, TransactionKind,
};

/// One transaction of a batch with its texts looked up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry<'a> {
    /// The host's id.
    pub id: u64,
    /// What it is.
    pub kind: TransactionKind,
    /// Its date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The customer's code.
    pub customer: &'a str,
    /// The customer's group.
    pub group: &'a str,
    /// Its currency.
    pub currency: &'a str,
    /// Base-currency minor units per minor unit, in billionths; none when
    /// the user gave no rate (see [`super::posting`]'s `rate`).
    pub rate_nanos: Option<u64>,
    /// The gross amount.
    pub amount: i64,
    /// The tax included.
    pub tax: i64,
    /// The settlement discount taken.
    pub discount: i64,
    /// The account the transaction names.
    pub account: Option<&'a str>,
    /// The tax account.
    pub tax_account: Option<&'a str>,
    /// The document reference.
    pub reference: &'a str,
}

impl<'a> Entry<'a> {
    /// `tx` with its texts looked up in `batch`, or the field whose index or
    /// span is not in it.
    pub fn read(batch: &'a ArTransactions, tx: &ArTransaction) -> Result<Self, &'static str> {
        let text = |index: u32, field: &'static str| {
            batch
                .texts
                .get(index as usize)
                .map(String::as_str)
                .ok_or(field)
        };
        let optional = |index: Option<u32>, field| index.map(|i| text(i, field)).transpose();
        let reference = usize::try_from(tx.reference.start)
            .ok()
            .zip(usize::try_from(tx.reference.len).ok())
            .and_then(|(start, len)| batch.references.get(start..start.checked_add(len)?))
            .ok_or("reference")?;
        Ok(Self {
            id: tx.id,
            kind: tx.kind,
            date: text(tx.date, "date")?,
            customer: text(tx.customer, "customer")?,
            group: text(tx.group, "group")?,
            currency: text(tx.currency, "currency")?,
            rate_nanos: tx.rate_nanos,
            amount: tx.amount,
            tax: tx.tax,
            discount: tx.discount,
            account: optional(tx.account, "account")?,
            tax_account: optional(tx.tax_account, "tax-account")?,
            reference,
        })
    }
}

/// Builds the [`ArTransactions`] of entries, listing each text once: for
/// native callers of [`build_batch`] and tests (hosts pack their own).
#[derive(Default)]
pub struct Packer {
    texts: Vec<String>,
    references: String,
    entries: Vec<ArTransaction>,
    index: BTreeMap<String, u32>,
}

/// The index of `text` in `list`, which `index` indexes; added if new.
fn intern(list: &mut Vec<String>, index: &mut BTreeMap<String, u32>, text: &str) -> u32 {
    if let Some(&at) = index.get(text) {
        return at;
    }
    let at = u32::try_from(list.len()).unwrap_or(u32::MAX);
    list.push(text.to_owned());
    index.insert(text.to_owned(), at);
    at
}

impl Packer {
    fn text(&mut self, text: &str) -> u32 {
        intern(&mut self.texts, &mut self.index, text)
    }

    /// Adds one transaction.
    pub fn push(&mut self, entry: &Entry<'_>) {
        let start = self.references.len();
        self.references.push_str(entry.reference);
        let reference = span_from(start, self.references.len());
        let packed = ArTransaction {
            id: entry.id,
            kind: entry.kind,
            date: self.text(entry.date),
            customer: self.text(entry.customer),
            group: self.text(entry.group),
            currency: self.text(entry.currency),
            rate_nanos: entry.rate_nanos,
            amount: entry.amount,
            tax: entry.tax,
            discount: entry.discount,
            account: entry.account.map(|a| self.text(a)),
            tax_account: entry.tax_account.map(|a| self.text(a)),
            reference,
        };
        self.entries.push(packed);
    }

    /// The transactions added.
    pub fn finish(self) -> ArTransactions {
        ArTransactions {
            texts: self.texts,
            references: self.references,
            entries: self.entries,
        }
    }
}

/// `entries`, packed.
pub fn pack<'a>(entries: impl IntoIterator<Item = &'a Entry<'a>>) -> ArTransactions {
    let mut packer = Packer::default();
    for entry in entries {
        packer.push(entry);
    }
    packer.finish()
}

/// The postings of a batch as they are built: accounts listed once,
/// descriptions and lines appended.
pub(super) struct Builder {
    /// What is built so far.
    pub(super) out: Postings,
    /// Account code -> its index in `out.accounts`.
    index: BTreeMap<String, u32>,
}

impl Builder {
    /// Room for `transactions` postings with `text` bytes of references.
    pub(super) fn new(transactions: usize, text: usize) -> Self {
        Self {
            out: Postings {
                accounts: Vec::new(),
                descriptions: String::with_capacity(text + transactions * 16),
                postings: Vec::with_capacity(transactions),
                lines: Vec::with_capacity(transactions * 3),
            },
            index: BTreeMap::new(),
        }
    }

    /// The index of account `code`; added if new.
    pub(super) fn account(&mut self, code: &str) -> u32 {
        intern(&mut self.out.accounts, &mut self.index, code)
    }
}

/// A span from `start` to the end of something `end` long.
pub(super) fn span_from(start: usize, end: usize) -> Span {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span {
        start: at(start),
        len: at(end - start),
    }
}
