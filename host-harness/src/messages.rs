//! The host's own messages, in every locale: one catalogue for what the
//! host (not the plugin) tells a user: the CLI's output, the admin
//! services' and the store's errors.
//!
//! - The locales and how a tag is read are the plugin's ([`Locale`], from
//!   `plugin/src/i18n.rs`, compiled into the host as [`crate::i18n`]): one
//!   list for the plugin's captions and the host's messages.
//! - A message is a function of its locale and its arguments, English and
//!   Indonesian side by side in [`catalogue!`] tables below: add a line
//!   there, call `messages::name(locale, args)`.
//! - An error type the host shows implements [`Localize`]. For the types of
//!   this crate that say nothing else, the English text *is* their
//!   `Display` ([`AdminError`]'s `#[error]` calls the catalogue in English;
//!   [`StoreError`], [`PluginError`] keep their `#[error]` texts as the
//!   English, and [`Localize`] adds the other locales by variant). A front
//!   end prints an error with [`error_chain`], which finds every cause it
//!   knows through [`error_text`]: add a new error type there.

use std::error::Error;

use crate::admin::AdminError;
use crate::engine::PluginError;
pub use crate::i18n::Locale;
use crate::i18n::msg;
use crate::store::StoreError;
use crate::wit::{Issue, Severity};

/// Something the host shows a user, in a locale.
pub trait Localize {
    /// The text in `locale`.
    fn localize(&self, locale: Locale) -> String;
}

/// Defines catalogue entries: `name(arg: Type, ...) => "English {arg}",
/// "Indonesian {arg}";` becomes `pub fn name(locale, arg, ...) -> String`.
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident($($arg:ident: $ty:ty),* $(,)?) => $en:literal, $id:literal;
    )*) => {
        $(
            $(#[$doc])*
            pub fn $name(locale: Locale, $($arg: $ty),*) -> String {
                msg!(locale, $en, $id)
            }
        )*
    };
}

// --- words and headers ------------------------------------------------------

catalogue! {
    /// The prefix of an error line: `error: ...`.
    error_word() => "error", "kesalahan";
    /// The prefix of a warning line: `warning: ...`.
    warning_word() => "warning", "peringatan";
    /// The header of a refused change's issues.
    not_saved() => "the change was not saved:", "perubahan tidak disimpan:";
}

// --- the admin services ([`AdminError`]) -------------------------------------

catalogue! {
    /// [`AdminError::NoSuchGroup`].
    no_such_group(code: &str) =>
        "there is no customer group {code:?}",
        "tidak ada kelompok pelanggan {code:?}";
    /// [`AdminError::DigestMismatch`].
    digest_mismatch(found: &str, recorded: &str) =>
        "the installed plugin's digest is {found}, not the {recorded} recorded at install; reinstall it",
        "digest plugin yang terpasang adalah {found}, bukan {recorded} yang dicatat saat pemasangan; pasang ulang plugin itu";
    /// [`AdminError::NotPinned`].
    not_pinned(found: &str, pinned: &str) =>
        "the plugin's digest is {found}, not the pinned {pinned}",
        "digest plugin adalah {found}, bukan {pinned} yang ditetapkan";
}

/// A refused change: the header, then each error with its field and rule.
pub fn rejected(locale: Locale, issues: &[Issue]) -> String {
    let mut out = not_saved(locale);
    for issue in issues.iter().filter(|i| i.severity == Severity::Error) {
        out.push_str(&format!(
            "\n  {}: {} [{}]",
            issue.field, issue.message, issue.rule
        ));
    }
    out
}

impl Localize for AdminError {
    fn localize(&self, locale: Locale) -> String {
        match self {
            AdminError::Store(e) => e.localize(locale),
            AdminError::Plugin(e) => e.localize(locale),
            AdminError::DigestMismatch { recorded, found } => {
                digest_mismatch(locale, found, recorded)
            }
            AdminError::NotPinned { pinned, found } => not_pinned(locale, found, pinned),
            AdminError::Rejected(issues) => rejected(locale, issues),
            AdminError::NoSuchGroup(code) => no_such_group(locale, code),
        }
    }
}

// --- the store ([`StoreError`]) ----------------------------------------------

/// A kind of record the store names in its errors, in `locale`.
pub fn record_noun(locale: Locale, what: &str) -> String {
    let id = match what {
        "account" => "akun",
        "customer" => "pelanggan",
        "customer group" => "kelompok pelanggan",
        "customer group at the version read" => "kelompok pelanggan pada versi yang dibaca",
        "customer with the terms previewed (changed meanwhile?)" => {
            "pelanggan dengan syarat yang ditinjau (diubah sementara itu?)"
        }
        "currency" => "mata uang",
        "price-list" => "daftar harga",
        "price-code" => "kode harga",
        "payment-terms" => "syarat pembayaran",
        "tax-regime" => "rezim pajak",
        "tax-code" => "kode pajak",
        "product" => "produk",
        other => other,
    };
    match locale {
        Locale::En => what.to_owned(),
        Locale::Id => id.to_owned(),
    }
}

impl Localize for StoreError {
    fn localize(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            StoreError::Sqlite(e) => format!("kesalahan basis data: {e}"),
            StoreError::TooNew { found, known } => format!(
                "basis data ini berskema versi {found}; host ini hanya mengenal versi sampai {known}"
            ),
            StoreError::Duplicate { what, key } => {
                format!("{} {key} sudah ada", record_noun(locale, what))
            }
            StoreError::NotFound { what, key } => {
                format!("tidak ada {} {key}", record_noun(locale, what))
            }
            StoreError::Stale {
                code,
                expected,
                found,
            } => format!(
                "kelompok pelanggan {code} telah diubah orang lain sejak Anda membacanya \
                 (versi {expected}, sekarang {found}); muat ulang lalu coba lagi"
            ),
            StoreError::NoPlugin => {
                "belum ada plugin yang terpasang; jalankan `erp-host plugin install` dahulu".into()
            }
            StoreError::Limits(e) => {
                format!("batas plugin yang tersimpan di luar rentang yang diizinkan: {e}")
            }
        }
    }
}

// --- the plugin runtime ([`PluginError`]) ------------------------------------

impl Localize for PluginError {
    fn localize(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            PluginError::NotAComponent(e) => format!("bukan komponen WebAssembly: {e}"),
            PluginError::WrongWorld { .. } | PluginError::IncompatibleVersion { .. } => {
                format!("plugin ini tidak dapat dipakai host ini: {self}")
            }
            PluginError::Link(e) => format!("plugin tidak dapat ditautkan: {e}"),
            PluginError::FuelExhausted { budget } => format!(
                "plugin melampaui anggaran bahan bakarnya sebesar {budget} unit (perulangan tanpa \
                 akhir? anggarannya fuel-per-call ditambah fuel-per-record untuk tiap rekaman; \
                 lihat `erp-host plugin limits`)"
            ),
            PluginError::Deadline(limit) => format!(
                "plugin melampaui batas waktunya {} ms (deadline-ms; lihat `erp-host plugin limits`)",
                limit.as_millis()
            ),
            PluginError::MemoryLimit { limit } => format!(
                "plugin melampaui batas memorinya {limit} byte (memory-mib ditambah \
                 memory-per-record-kib untuk tiap rekaman; lihat `erp-host plugin limits`)"
            ),
            // The store's error is the next cause in the chain.
            PluginError::Facts(_) => "host tidak dapat menjawab pertanyaan plugin".into(),
            PluginError::Trap { .. } => format!("plugin gagal: {self}"),
        }
    }
}

// --- printing errors ---------------------------------------------------------

/// One error in `locale` when the catalogue knows its type, else its
/// `Display`. A new error type a user may see is added here.
pub fn error_text(error: &(dyn Error + 'static), locale: Locale) -> String {
    if let Some(e) = error.downcast_ref::<AdminError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<StoreError>() {
        e.localize(locale)
    } else if let Some(e) = error.downcast_ref::<PluginError>() {
        e.localize(locale)
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
