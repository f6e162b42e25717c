//! A customer group packed small.
//!
//! A reconcile holds every declared group at once, and then every planned
//! step: at 100,000 groups the full record (536 bytes before its strings,
//! most of them empty options) would cost hundreds of megabytes in copies.
//! Packed, a typical group is its code and a few dozen bytes, unpacked one
//! at a time where it is used.
//!
//! The packing is postcard of the generated record: in memory only, within
//! one process. Nothing packed is ever stored or hashed: what the sync
//! ledger keeps of a declaration is its digest by form field names
//! (`host_harness::store::digest`), which no contract version changes.

use std::sync::Arc;

use host_harness::wit::CustomerGroup;
use serde::{Serialize, Serializer};

/// A customer group, encoded (postcard); cheap to clone.
#[derive(Clone, PartialEq, Eq)]
pub struct PackedGroup {
    code: Arc<str>,
    bytes: Arc<[u8]>,
}

impl PackedGroup {
    /// Packs `group`.
    pub fn new(group: &CustomerGroup) -> Self {
        Self {
            code: Arc::from(group.code.as_str()),
            // Encoding a plain record into a vector cannot fail.
            bytes: postcard::to_allocvec(group)
                .expect("a customer group encodes")
                .into(),
        }
    }

    /// The group's code, as packed (not normalised).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The group's code, shared.
    pub fn shared_code(&self) -> Arc<str> {
        self.code.clone()
    }

    /// The encoded bytes: equal bytes, equal groups.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The group.
    pub fn unpack(&self) -> CustomerGroup {
        // The bytes were written by `new` from the same type.
        postcard::from_bytes(&self.bytes).expect("a packed group decodes")
    }
}

impl std::fmt::Debug for PackedGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.unpack().fmt(f)
    }
}

impl Serialize for PackedGroup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.unpack().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use host_harness::wit::{DueTerms, PeriodUnit, SalesDiscountRule};

    #[test]
    fn packs_and_unpacks_every_field() {
        let mut group = CustomerGroup::new("VIP", "VIP customers");
        group.parent = Some("LOKAL".into());
        group.inactive = true;
        group.settings.credit_limit = Some(-12_345_678_901);
        group.settings.due_terms = Some(DueTerms {
            count: 30,
            unit: PeriodUnit::Days,
            day: Some(25),
        });
        group.settings.sales_discount_rules = Some(vec![SalesDiscountRule {
            valid_from: "2026-01-01".into(),
            valid_to: None,
            min_amount: 1_000_000,
            percent: 250,
        }]);
        let packed = PackedGroup::new(&group);
        assert_eq!(packed.code(), "VIP");
        assert_eq!(packed.unpack(), group);
        assert!(packed.bytes().len() < 80, "{} bytes", packed.bytes().len());
        assert_ne!(packed, PackedGroup::new(&CustomerGroup::new("VIP", "VIP")));
    }
}
