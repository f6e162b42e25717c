//! Test fixtures of the GL modules: facts with a small tree and a ledger.

use crate::bindings::erp::customer_group::types::{Account, AccountKind};
use crate::bindings::exports::erp::customer_group::gl::Ledger;
use crate::facts::testing::{self, MapFacts};

/// The test chart of accounts with sales, tax, discount and rounding
/// accounts, and a node LOKAL (receivable 1100, GL Discount 6200, bank 1000)
/// over the leaf L001, which sets no account of its own but the seed's.
pub(super) fn facts() -> MapFacts {
    let mut facts = testing::facts();
    for (code, kind) in [
        ("4000", AccountKind::Income),
        ("2300", AccountKind::Liability),
        ("6200", AccountKind::Expense),
        ("8900", AccountKind::Expense),
    ] {
        facts.accounts.insert(
            code.into(),
            Account {
                code: code.into(),
                name: code.into(),
                kind,
                active: true,
            },
        );
    }
    let mut node = testing::group("LOKAL", "Lokal", Some("1100"));
    node.is_group = true;
    node.settings.discount_account = Some("6200".into());
    node.settings.bank_account = Some("1000".into());
    facts.groups.insert("LOKAL".into(), node);
    let mut leaf = testing::group("L001", "Lokal 1", None);
    leaf.parent = Some("LOKAL".into());
    facts.groups.insert("L001".into(), leaf);
    facts
}

/// A ledger in IDR with rounding account 8900.
pub(super) fn ledger() -> Ledger {
    Ledger {
        base_currency: "IDR".into(),
        rounding_account: Some("8900".into()),
    }
}
