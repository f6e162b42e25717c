//! The digests the sync ledger (`sync_ledger.content_hash`) keeps of each
//! group declaration as it was last applied: what "unchanged" means to the
//! daemon. Their format is the host's, like every stored form, so that the
//! store's migrations can convert them.
//!
//! - Format 2 (schema 9 on), stored as 64 hex digits:
//!   [`declaration`], sha256 of `erp-sync declaration 2`, a newline, the
//!   group's canonical encoding by form field names
//!   ([`crate::fields::json::group_canonical`]), a newline and `adopt` as
//!   `0` or `1`. A field added to the form changes no digest of a group
//!   that leaves it empty; a contract version that renames a member of the
//!   generated record changes none at all.
//! - Format 1 (schema 8 and before): [`declaration_v1`], sha256 of the
//!   postcard encoding of contract 0.4.0's generated `customer-group`, then
//!   the `adopt` byte. Migration 009 converts each format-1 digest it can
//!   check against the stored group; one it cannot (a declaration written
//!   in another form than the plugin's normal one: `code = "vip"`) stays,
//!   prefixed [`V1`], and the daemon compares it with this encoding.

use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};
use sha2::{Digest, Sha256};

use crate::fields::json::{group_canonical, settings_to_json};
use crate::wit::{CustomerGroup, Settings};

/// The prefix of a format-1 digest kept by migration 009.
pub const V1: &str = "v1:";

/// The format-2 digest of a declaration of `group`, adopting or not.
pub fn declaration(group: &CustomerGroup, adopt: bool) -> [u8; 32] {
    let mut digest = Sha256::new();
    digest.update(b"erp-sync declaration 2\n");
    digest.update(group_canonical(group).as_bytes());
    digest.update(if adopt { b"\n1" } else { b"\n0" });
    digest.finalize().into()
}

/// The format-2 digest of a declaration of `group` that also sets
/// `companies` (company code and settings, in company order): for each, a
/// newline, `company`, its code, and its settings by form field names
/// ([`settings_to_json`]) after a newline. With no company it is
/// [`declaration`]'s, so declarations from before companies keep theirs.
pub fn declaration_in(
    group: &CustomerGroup,
    adopt: bool,
    companies: &[(&str, &Settings)],
) -> [u8; 32] {
    if companies.is_empty() {
        return declaration(group, adopt);
    }
    let mut digest = Sha256::new();
    digest.update(b"erp-sync declaration 2\n");
    digest.update(group_canonical(group).as_bytes());
    digest.update(if adopt { b"\n1" } else { b"\n0" });
    for (company, settings) in companies {
        digest.update(b"\ncompany ");
        digest.update(company.as_bytes());
        digest.update(b"\n");
        digest.update(settings_to_json(settings).as_bytes());
    }
    digest.finalize().into()
}

/// The format-1 digest (schema 8 and before) of a declaration of `group`.
pub fn declaration_v1(group: &CustomerGroup, adopt: bool) -> [u8; 32] {
    let mut digest = Sha256::new();
    digest.update(super::legacy::postcard_v1(group));
    digest.update([u8::from(adopt)]);
    digest.finalize().into()
}

/// Lower-case hex of a digest, as the ledger stores it.
pub fn hex(digest: &[u8; 32]) -> String {
    hex::encode(digest)
}

/// A digest as the ledger stores it (lower-case hex), bound to a statement
/// without a string of its own: a sync writes one per group.
pub struct Hex([u8; 64]);

impl Hex {
    /// The hex digits of `digest`.
    pub fn of(digest: &[u8; 32]) -> Self {
        let mut digits = [0u8; 64];
        // 64 digits for 32 bytes, exactly.
        hex::encode_to_slice(digest, &mut digits).expect("64 hex digits");
        Self(digits)
    }
}

impl ToSql for Hex {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

/// The digest written as 64 hex digits, if `text` is one.
pub fn unhex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// A digest as the ledger records it: format 2, or a format-1 digest kept
/// by migration 009 (`v1:` and 64 hex digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Format 2: compare with [`declaration`].
    Current([u8; 32]),
    /// Format 1: compare with [`declaration_v1`].
    V1([u8; 32]),
}

impl Recorded {
    /// What `content_hash` holds; `None` for no digest (a removed group).
    pub fn parse(text: &str) -> Option<Self> {
        match text.strip_prefix(V1) {
            Some(old) => unhex(old).map(Recorded::V1),
            None => unhex(text).map(Recorded::Current),
        }
    }

    /// Whether this is the digest of a declaration of `group` (adopting or
    /// not, with per-company tables or not) in its format; `current` is
    /// that declaration's format-2 digest. A format-1 digest predates
    /// per-company tables: it never matches a declaration that has any.
    pub fn matches(
        self,
        current: &[u8; 32],
        group: impl FnOnce() -> CustomerGroup,
        adopt: bool,
        per_company: bool,
    ) -> bool {
        match self {
            Recorded::Current(d) => d == *current,
            Recorded::V1(_) if per_company => false,
            Recorded::V1(d) => d == declaration_v1(&group(), adopt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_tell_declarations_apart_and_read_back() {
        let group = CustomerGroup::new("VIP", "VIP");
        let a = declaration(&group, false);
        assert_ne!(a, declaration(&group, true));
        assert_ne!(a, declaration(&CustomerGroup::new("VIP", "VIP "), false));
        assert_eq!(Recorded::parse(&hex(&a)), Some(Recorded::Current(a)));
        let old = declaration_v1(&group, false);
        let kept = format!("{V1}{}", hex(&old));
        assert_eq!(Recorded::parse(&kept), Some(Recorded::V1(old)));
        assert!(Recorded::V1(old).matches(&a, || group.clone(), false, false));
        assert!(!Recorded::V1(old).matches(&a, || group.clone(), true, false));
        assert!(
            !Recorded::V1(old).matches(&a, || group.clone(), false, true),
            "a declaration with a company table is not the one a format-1 digest hashed"
        );
        assert_eq!(Recorded::parse(""), None);
    }

    #[test]
    fn a_declaration_per_company_digests_apart_and_none_keeps_the_old_digest() {
        let group = CustomerGroup::new("VIP", "VIP");
        let plain = declaration(&group, false);
        assert_eq!(declaration_in(&group, false, &[]), plain);
        let mut beta = Settings::inherit_all();
        beta.receivable_account = Some("B1100".into());
        let one = declaration_in(&group, false, &[("BETA", &beta)]);
        assert_ne!(one, plain);
        assert_ne!(one, declaration_in(&group, false, &[("GAMMA", &beta)]));
        let mut other = beta.clone();
        other.receivable_account = Some("B1200".into());
        assert_ne!(one, declaration_in(&group, false, &[("BETA", &other)]));
        assert_ne!(one, declaration_in(&group, true, &[("BETA", &beta)]));
    }
}
