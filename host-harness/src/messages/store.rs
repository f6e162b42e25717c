//! The store's errors ([`StoreError`]) in every locale.

use super::{Locale, Localize, record_noun};
use crate::store::StoreError;

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
            StoreError::Blank { what, field } => {
                let field = match *field {
                    "code" => "kode",
                    "name" => "nama",
                    other => other,
                };
                format!("{} memerlukan {field}", record_noun(locale, what))
            }
            StoreError::BadCode { what, code } => format!(
                "kode {} terdiri dari 1 sampai 8 karakter A-Z atau 0-9, bukan `{code}`",
                record_noun(locale, what)
            ),
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
            StoreError::StaleSettings { company } => format!(
                "pengaturan AR perusahaan {company} telah diubah orang lain sejak Anda \
                 membacanya; muat ulang lalu coba lagi"
            ),
            StoreError::Inconsistent(detail) => {
                format!("penyimpanan tidak konsisten: {detail}")
            }
            StoreError::LastAdministrator(name) => format!(
                "{name} adalah administrator aktif terakhir: tambahkan atau aktifkan \
                 administrator lain dahulu"
            ),
            StoreError::NoPlugin => {
                "belum ada plugin yang terpasang; jalankan `erp-host plugin install` dahulu".into()
            }
            StoreError::Unreadable { what, key, error } => format!(
                "{} {key} yang tersimpan tidak dapat dibaca: {error}",
                record_noun(locale, what)
            ),
            StoreError::Limits(e) => format!(
                "batas plugin yang tersimpan di luar rentang yang diizinkan: {}",
                e.localize(locale)
            ),
            StoreError::Missing { path } => {
                format!("tidak ada basis data di {}", path.display())
            }
            StoreError::NotMigrated { path, found, known } => format!(
                "basis data {} berskema versi {found}, bukan {known}; basis data itu harus \
                 dimigrasi dahulu oleh perintah yang menulis (erp-host init) sebelum dapat dibaca",
                path.display()
            ),
        }
    }
}
