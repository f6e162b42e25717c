//! The console's sentences that carry values ("moved 2 customer(s)",
//! a run's counts, a batch's summary) and the captions of the contract's
//! enumerations, in every locale.

use crate::i18n::msg;
use crate::messages::Locale;

/// The title of an error page of `status`, and what to do about it.
pub fn error_page(l: Locale, status: u16) -> (String, String) {
    match status {
        400 => (
            msg!(l, "Bad request", "Permintaan tidak valid"),
            msg!(
                l,
                "The request could not be read. Go back and try again.",
                "Permintaan tidak dapat dibaca. Kembali lalu coba lagi."
            ),
        ),
        403 => (
            msg!(l, "Not allowed", "Tidak diizinkan"),
            msg!(
                l,
                "Your role does not allow this, or the form expired (reload the page and try again).",
                "Peran Anda tidak mengizinkan ini, atau formulir kedaluwarsa (muat ulang halaman lalu coba lagi)."
            ),
        ),
        404 => (
            msg!(l, "Not found", "Tidak ditemukan"),
            msg!(
                l,
                "There is no such page or record.",
                "Halaman atau catatan itu tidak ada."
            ),
        ),
        405 => (
            msg!(l, "Method not allowed", "Metode tidak diizinkan"),
            msg!(
                l,
                "This page does not take that kind of request.",
                "Halaman ini tidak menerima permintaan semacam itu."
            ),
        ),
        413 => (
            msg!(l, "Request too large", "Permintaan terlalu besar"),
            msg!(
                l,
                "What was sent is larger than the console accepts.",
                "Yang dikirim lebih besar daripada yang diterima konsol."
            ),
        ),
        429 => (
            msg!(l, "Too many attempts", "Terlalu banyak percobaan"),
            msg!(
                l,
                "Too many failed logins. Wait a few minutes and try again.",
                "Terlalu banyak percobaan masuk yang gagal. Tunggu beberapa menit lalu coba lagi."
            ),
        ),
        _ if status >= 500 => (
            msg!(l, "Something went wrong", "Terjadi kesalahan"),
            msg!(
                l,
                "The console could not do this. The server's log says why; nothing was saved by this request.",
                "Konsol tidak dapat melakukan ini. Log server menyebutkan sebabnya; permintaan ini tidak menyimpan apa pun."
            ),
        ),
        _ => (
            msg!(l, "Request refused", "Permintaan ditolak"),
            msg!(l, "The request was refused.", "Permintaan ditolak."),
        ),
    }
}

/// The login page's refusal of a wrong name or password.
pub fn bad_login(l: Locale) -> String {
    msg!(
        l,
        "Wrong user name or password, or the user is disabled.",
        "Nama pengguna atau kata sandi salah, atau pengguna dinonaktifkan."
    )
}

/// A value a field cannot take: `{detail}` says why (the host's syntax
/// check, before the plugin sees the value).
pub fn unreadable(l: Locale, detail: &str) -> String {
    msg!(
        l,
        "cannot read this value: {detail}",
        "nilai ini tidak dapat dibaca: {detail}"
    )
}

/// Beside a field the user may not change: the right it needs.
pub fn needs_right(l: Locale, right: &str) -> String {
    msg!(
        l,
        "Needs the {right} right to change.",
        "Memerlukan hak {right} untuk diubah."
    )
}

/// Apply Default Terms confirmed after the plan changed.
pub fn plan_changed(l: Locale) -> String {
    msg!(
        l,
        "Not applied: the customers changed since the preview. This is the plan now; confirm it again.",
        "Tidak diterapkan: pelanggan berubah sejak pratinjau. Inilah rencananya sekarang; konfirmasikan lagi."
    )
}

/// The caption of an account kind.
pub fn account_kind(l: Locale, kind: crate::wit::AccountKind) -> String {
    use crate::wit::AccountKind as K;
    match kind {
        K::Receivable => msg!(l, "Receivable", "Piutang"),
        K::Bank => msg!(l, "Bank", "Bank"),
        K::OtherAsset => msg!(l, "Other asset", "Aset lain"),
        K::Liability => msg!(l, "Liability", "Kewajiban"),
        K::Equity => msg!(l, "Equity", "Ekuitas"),
        K::Income => msg!(l, "Income", "Pendapatan"),
        K::Expense => msg!(l, "Expense", "Beban"),
    }
}

/// The form's note on a group the sync daemon owns: the file, and what an
/// edit here leads to (`restore`: put back by the next run).
pub fn sync_owned(l: Locale, file: &str, restore: bool) -> String {
    if restore {
        msg!(
            l,
            "Managed by the sync daemon: declared in {file}. An edit here is put back to the file's values by its next run; change the file instead.",
            "Dikelola daemon sinkronisasi: dideklarasikan di {file}. Perubahan di sini dikembalikan ke nilai berkas pada proses berikutnya; ubahlah berkasnya."
        )
    } else {
        msg!(
            l,
            "Managed by the sync daemon: declared in {file}. An edit here is reported as drift and kept until the file changes; change the file instead.",
            "Dikelola daemon sinkronisasi: dideklarasikan di {file}. Perubahan di sini dilaporkan sebagai drift dan dipertahankan sampai berkasnya berubah; ubahlah berkasnya."
        )
    }
}

/// The form's note on an owned group edited here since the daemon
/// applied it.
pub fn sync_drifted(l: Locale) -> String {
    msg!(
        l,
        "This group was changed here since the daemon applied its file (drift).",
        "Kelompok ini diubah di sini sejak daemon menerapkan berkasnya (drift)."
    )
}

/// The form's note on a group no file declares any more.
pub fn sync_released(l: Locale, file: &str) -> String {
    msg!(
        l,
        "Was declared in {file}; no file declares it any more.",
        "Dulu dideklarasikan di {file}; tidak ada berkas yang mendeklarasikannya lagi."
    )
}

/// A run's counts as one line.
pub fn run_counts(
    l: Locale,
    [created, updated, deactivated, deleted, unchanged, drifted]: [i64; 6],
) -> String {
    msg!(
        l,
        "{created} created, {updated} updated, {deactivated} deactivated, {deleted} deleted, {unchanged} unchanged, {drifted} drifted",
        "{created} dibuat, {updated} diperbarui, {deactivated} dinonaktifkan, {deleted} dihapus, {unchanged} tetap, {drifted} drift"
    )
}

/// The caption of a transaction kind.
pub fn transaction_kind(l: Locale, kind: crate::wit::TransactionKind) -> String {
    use crate::wit::TransactionKind as K;
    match kind {
        K::Invoice => msg!(l, "Invoice", "Faktur"),
        K::CreditNote => msg!(l, "Credit note", "Nota kredit"),
        K::Journal => msg!(l, "Journal", "Jurnal"),
        K::Receipt => msg!(l, "Receipt", "Penerimaan"),
        K::WriteOff => msg!(l, "Write-off", "Penghapusan"),
        K::SalesDiscount => msg!(l, "Sales discount", "Potongan penjualan"),
        K::Reward => msg!(l, "Reward", "Hadiah"),
    }
}

/// An import's progress.
pub fn import_progress(l: Locale, done: usize, of: usize) -> String {
    msg!(
        l,
        "{done} of {of} rows read",
        "{done} dari {of} baris dibaca"
    )
}

/// A batch's filter: from a day.
pub fn batch_from(l: Locale, day: &str) -> String {
    msg!(l, "from {day}", "dari {day}")
}

/// A batch's filter: to a day.
pub fn batch_to(l: Locale, day: &str) -> String {
    msg!(l, "to {day}", "sampai {day}")
}

/// A batch's filter: a group.
pub fn batch_group(l: Locale, code: &str) -> String {
    msg!(l, "group {code}", "kelompok {code}")
}

/// A batch's status.
pub fn batch_status(l: Locale, status: &str) -> String {
    match status {
        "posted" => msg!(l, "posted", "diposting"),
        "unposted" => msg!(l, "unposted", "belum diposting"),
        other => other.to_owned(),
    }
}

/// Who made and posted a batch.
pub fn batch_summary(
    l: Locale,
    transactions: i64,
    by: &str,
    at: &str,
    posted_by: Option<&str>,
    posted_at: Option<&str>,
) -> String {
    let made = msg!(
        l,
        "{transactions} transaction(s), created by {by} at {at}",
        "{transactions} transaksi, dibuat oleh {by} pada {at}"
    );
    match posted_at {
        Some(when) => {
            let who = posted_by.unwrap_or("?");
            msg!(
                l,
                "{made}; posted by {who} at {when}",
                "{made}; diposting oleh {who} pada {when}"
            )
        }
        None => made,
    }
}

/// A day that is not one.
pub fn not_a_date(l: Locale, text: &str) -> String {
    msg!(
        l,
        "{text:?} is not a date (YYYY-MM-DD)",
        "{text:?} bukan tanggal (YYYY-MM-DD)"
    )
}

/// Months that are not a range.
pub fn bad_months(l: Locale, from: &str, to: &str) -> String {
    msg!(
        l,
        "{from:?} to {to:?}: give months as YYYY-MM, the first not after the last",
        "{from:?} sampai {to:?}: tulis bulan sebagai YYYY-MM, yang pertama tidak sesudah yang terakhir"
    )
}

/// The trend chart's title.
pub fn trend_title(l: Locale, from: &str, to: &str, under: Option<&str>) -> String {
    match under {
        Some(g) => msg!(
            l,
            "Sales trend by customer group under {g}, {from} to {to}",
            "Tren penjualan per kelompok pelanggan di bawah {g}, {from} sampai {to}"
        ),
        None => msg!(
            l,
            "Sales trend by customer group, {from} to {to}",
            "Tren penjualan per kelompok pelanggan, {from} sampai {to}"
        ),
    }
}

/// A customer that does not exist.
pub fn no_customer(l: Locale, code: &str) -> String {
    msg!(
        l,
        "there is no customer {code}",
        "tidak ada pelanggan {code}"
    )
}

/// An upload without a file.
pub fn no_file(l: Locale) -> String {
    msg!(
        l,
        "choose a component file (.wasm) to install",
        "pilih berkas komponen (.wasm) untuk dipasang"
    )
}

/// What a password shown once is for.
pub fn password_once(l: Locale, name: &str) -> String {
    msg!(
        l,
        "The password of {name}, shown this once (it is not kept): give it to them",
        "Kata sandi {name}, ditampilkan sekali ini saja (tidak disimpan): berikan kepadanya"
    )
}

/// The title of a group's settings for a company.
pub fn company_settings_title(l: Locale, form: &str, code: &str, company: &str) -> String {
    msg!(
        l,
        "{form}: {code}, for company {company}",
        "{form}: {code}, untuk perusahaan {company}"
    )
}

/// A link from a group's form to its settings for a company.
pub fn settings_for_company(l: Locale, company: &str, name: &str) -> String {
    msg!(
        l,
        "Accounts and credit for company {company} ({name})",
        "Akun dan kredit untuk perusahaan {company} ({name})"
    )
}

/// Above a group's settings for a company: what they are.
pub fn company_settings_note(l: Locale, company: &str) -> String {
    msg!(
        l,
        "What the group sets for company {company}; a blank field inherits through the tree in {company}, else from {company}'s AR settings.",
        "Yang ditetapkan kelompok untuk perusahaan {company}; kolom kosong mewarisi melalui pohon di {company}, atau dari pengaturan piutang {company}."
    )
}

/// The title of a company's AR settings.
pub fn ar_settings_title(l: Locale, company: &str, name: &str) -> String {
    msg!(
        l,
        "AR settings of company {company} ({name})",
        "Pengaturan piutang perusahaan {company} ({name})"
    )
}

/// Above a company's AR settings: what they are.
pub fn ar_settings_note(l: Locale) -> String {
    msg!(
        l,
        "The defaults at the root of the tree: a group that sets a field nowhere on its path takes it from here; a blank field is not set.",
        "Nilai bawaan di akar pohon: kelompok yang tidak mengatur suatu kolom di sepanjang jalurnya mengambilnya dari sini; kolom kosong berarti tidak diatur."
    )
}
