//! How a front end shows an error and its causes: each in the user's
//! locale where the catalogue ([`crate::messages`]) knows its type.

use std::error::Error;

use crate::admin::AdminError;
use crate::engine::{LimitError, PluginError};
use crate::gl::GlError;
use crate::messages::{Locale, Localize, Refused};
use crate::store::StoreError;
use crate::units::UnitError;
use crate::users::UserError;
use crate::wit::FactsError;

/// One error in `locale` when the catalogue knows its type, else its
/// `Display`. A new error type a user may see is added here.
pub fn error_text(error: &(dyn Error + 'static), locale: Locale) -> String {
    if let Some(e) = error.downcast_ref::<AdminError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<StoreError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<PluginError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<Refused>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<UnitError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<LimitError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<GlError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<UserError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<FactsError>() {
        error_text(e.inner(), locale)
    } else {
        error.to_string()
    }
}

/// An error and its causes as anyhow's `{:#}` prints them (`what: why: ...`),
/// each in `locale` where the catalogue knows it.
pub fn error_chain(error: &anyhow::Error, locale: Locale) -> String {
    let mut out = String::new();
    for (i, cause) in error.chain().enumerate() {
        if i > 0 {
            out.push_str(": ");
        }
        out.push_str(&error_text(cause, locale));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_of_an_error_is_its_display() {
        let errors: Vec<AdminError> = vec![
            AdminError::NoSuchGroup("VIP".into()),
            AdminError::NotPinned {
                pinned: "ab".into(),
                found: "cd".into(),
            },
            AdminError::Store(StoreError::Stale {
                code: "VIP".into(),
                expected: 1,
                found: 2,
            }),
            AdminError::Store(StoreError::StaleSettings {
                company: "BETA".into(),
            }),
            AdminError::Store(StoreError::Duplicate {
                what: "account",
                key: "1100".into(),
            }),
            AdminError::Rejected(Vec::new()),
        ];
        for e in &errors {
            assert_eq!(e.localize(Locale::En), e.to_string());
            assert_ne!(e.localize(Locale::Id), e.to_string(), "{e}");
        }
    }

    #[test]
    fn a_chain_is_localised_cause_by_cause() {
        let error = anyhow::Error::new(AdminError::Store(StoreError::Duplicate {
            what: "customer",
            key: "C1".into(),
        }))
        .context("saving");
        assert_eq!(
            error_chain(&error, Locale::En),
            format!("{error:#}"),
            "English is what anyhow prints"
        );
        assert_eq!(
            error_chain(&error, Locale::Id),
            "saving: pelanggan C1 sudah ada"
        );
    }
}
