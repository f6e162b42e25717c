//! The console's own words in every locale: what the host (not the plugin)
//! says on a page: the login form, the page chrome, paging, refusals. The
//! module's captions, labels, help texts and messages are the plugin's.

use crate::i18n::msg;
use crate::messages::Locale;

/// The words one page needs, in one locale (templates read them as fields).
#[derive(Clone, Debug)]
pub struct Words {
    /// The `lang` attribute of the page.
    pub lang: &'static str,
    /// The product's name in the header.
    pub product: String,
    /// "Log in".
    pub log_in: String,
    /// "Log out".
    pub log_out: String,
    /// "User name".
    pub user_name: String,
    /// "Password".
    pub password: String,
    /// "Signed in as".
    pub signed_in_as: String,
    /// "Menu".
    pub menu: String,
    /// "Language".
    pub language: String,
    /// The text of the search box's label.
    pub search_text: String,
    /// "Search by".
    pub search_by: String,
    /// "Match".
    pub match_word: String,
    /// "Page".
    pub page: String,
    /// "Previous".
    pub previous: String,
    /// "Next".
    pub next: String,
    /// "No groups match."
    pub nothing_found: String,
    /// "Back to the list".
    pub back_to_list: String,
    /// "not saved" header of a refused save.
    pub not_saved: String,
    /// "saved".
    pub saved: String,
    /// The marker of a required field.
    pub required: String,
    /// "Remove" of a rule row.
    pub remove_row: String,
    /// "Add rows: fill in a blank row".
    pub add_rows: String,
    /// "Version".
    pub version: String,
    /// "Row".
    pub row: String,
    /// "(inherited when blank)".
    pub inherits: String,
    /// The label of a rule table's "no rows: inherit" box.
    pub rows_inherit: String,
    /// "Applies" before a blank field's inherited value.
    pub applies: String,
    /// "Read only: you may not change this".
    pub read_only_role: String,
    /// The sync daemon's status page.
    pub sync_title: String,
    /// "Declared in".
    pub sync_declared_in: String,
    /// "Groups the files own".
    pub sync_owned: String,
    /// "No file declares them any more".
    pub sync_removed: String,
    /// "Edited here since applied (drift)".
    pub sync_drifted: String,
    /// "What the daemon does about drift".
    pub sync_mode: String,
    /// "Last runs".
    pub sync_runs: String,
    /// "The daemon has not run on this database."
    pub sync_never: String,
    /// "Started".
    pub sync_started: String,
    /// "Finished".
    pub sync_finished: String,
    /// "Outcome".
    pub sync_outcome: String,
    /// "What it did".
    pub sync_counts: String,
    /// "Errors and warnings".
    pub sync_problems: String,
    /// "Tree".
    pub tree: String,
    /// "List".
    pub list: String,
    /// The tree's path's name.
    pub tree_path: String,
    /// "Top level".
    pub tree_roots: String,
    /// "Child groups".
    pub children: String,
    /// "The child groups of".
    pub children_of: String,
    /// The parent filter's note.
    pub with_descendants: String,
    /// "Columns".
    pub columns: String,
    /// "Apply".
    pub apply: String,
    /// The "+" of a lookup.
    pub quick_create: String,
    /// "New account".
    pub new_account: String,
    /// "For the field".
    pub quick_create_for: String,
    /// "Account number".
    pub account_code: String,
    /// "Account name".
    pub account_name: String,
    /// "Kind".
    pub account_kind: String,
    /// A kind must be chosen.
    pub account_kind_needed: String,
    /// "Create and return".
    pub create_and_return: String,
    /// "Cancel and return".
    pub cancel_and_return: String,
    /// "Actions" (the toolbar's name).
    pub actions: String,
    /// "Back to the record".
    pub back_to_record: String,
    /// "Preview".
    pub preview: String,
    /// "Customer".
    pub customer: String,
    /// "Field".
    pub field: String,
    /// "Now".
    pub now: String,
    /// "After".
    pub after: String,
    /// "Customers now".
    pub customers_now: String,
    /// "Move them to group".
    pub move_to: String,
}

impl Words {
    /// The words in `l`.
    pub fn of(l: Locale) -> Self {
        Self {
            lang: l.tag(),
            product: msg!(l, "ERP console", "Konsol ERP"),
            log_in: msg!(l, "Log in", "Masuk"),
            log_out: msg!(l, "Log out", "Keluar"),
            user_name: msg!(l, "User name", "Nama pengguna"),
            password: msg!(l, "Password", "Kata sandi"),
            signed_in_as: msg!(l, "Signed in as", "Masuk sebagai"),
            menu: msg!(l, "Menu", "Menu"),
            language: msg!(l, "Language", "Bahasa"),
            search_text: msg!(l, "Search text", "Teks pencarian"),
            search_by: msg!(l, "Search by", "Cari menurut"),
            match_word: msg!(l, "Match", "Cocokkan"),
            page: msg!(l, "Page", "Halaman"),
            previous: msg!(l, "Previous", "Sebelumnya"),
            next: msg!(l, "Next", "Berikutnya"),
            nothing_found: msg!(l, "Nothing matches.", "Tidak ada yang cocok."),
            back_to_list: msg!(l, "Back to the list", "Kembali ke daftar"),
            not_saved: msg!(
                l,
                "Not saved: correct the fields marked below.",
                "Tidak disimpan: perbaiki isian yang ditandai di bawah."
            ),
            saved: msg!(l, "Saved.", "Tersimpan."),
            required: msg!(l, "required", "wajib"),
            remove_row: msg!(l, "Remove", "Hapus"),
            add_rows: msg!(
                l,
                "To add a row, fill in a blank one.",
                "Untuk menambah baris, isi baris yang kosong."
            ),
            version: msg!(l, "Version", "Versi"),
            row: msg!(l, "Row", "Baris"),
            inherits: msg!(
                l,
                "blank: inherited from the parent group or the AR settings",
                "kosong: diwarisi dari kelompok induk atau pengaturan piutang"
            ),
            rows_inherit: msg!(
                l,
                "Without rows: inherit the rules",
                "Tanpa baris: warisi aturan"
            ),
            applies: msg!(l, "Applies", "Berlaku"),
            actions: msg!(l, "Actions", "Tindakan"),
            quick_create: msg!(l, "Create a new one", "Buat yang baru"),
            sync_title: msg!(
                l,
                "Sync daemon (erp-sync)",
                "Daemon sinkronisasi (erp-sync)"
            ),
            sync_declared_in: msg!(l, "declared in", "dideklarasikan di"),
            sync_owned: msg!(l, "Groups the files own", "Kelompok milik berkas"),
            sync_removed: msg!(
                l,
                "Groups no file declares any more",
                "Kelompok yang tidak lagi dideklarasikan berkas"
            ),
            sync_drifted: msg!(
                l,
                "Owned groups edited here since applied (drift)",
                "Kelompok milik berkas yang diubah di sini sejak diterapkan (drift)"
            ),
            sync_mode: msg!(
                l,
                "What the last run did about drift",
                "Tindakan terhadap drift pada proses terakhir"
            ),
            sync_runs: msg!(l, "Last runs", "Proses terakhir"),
            sync_never: msg!(
                l,
                "The daemon has not run on this database.",
                "Daemon belum pernah berjalan pada basis data ini."
            ),
            sync_started: msg!(l, "Started", "Mulai"),
            sync_finished: msg!(l, "Finished", "Selesai"),
            sync_outcome: msg!(l, "Outcome", "Hasil"),
            sync_counts: msg!(l, "What it did", "Yang dilakukan"),
            sync_problems: msg!(l, "Errors and warnings", "Galat dan peringatan"),
            tree: msg!(l, "Tree", "Pohon"),
            list: msg!(l, "List", "Daftar"),
            tree_path: msg!(l, "Where in the tree", "Posisi dalam pohon"),
            tree_roots: msg!(l, "Top level", "Tingkat teratas"),
            children: msg!(l, "Child groups", "Sub-kelompok"),
            children_of: msg!(l, "The child groups of", "Sub-kelompok dari"),
            with_descendants: msg!(
                l,
                "only its child groups and their descendants",
                "hanya sub-kelompoknya beserta turunannya"
            ),
            columns: msg!(l, "Columns", "Kolom"),
            apply: msg!(l, "Apply", "Terapkan"),
            new_account: msg!(l, "New account", "Akun baru"),
            quick_create_for: msg!(
                l,
                "Creates an account and returns to the form, with everything typed there kept, for:",
                "Membuat akun lalu kembali ke formulir, dengan semua yang sudah diketik tetap ada, untuk:"
            ),
            account_code: msg!(l, "Account number", "Nomor akun"),
            account_name: msg!(l, "Account name", "Nama akun"),
            account_kind: msg!(l, "Kind", "Jenis"),
            account_kind_needed: msg!(l, "choose the account's kind", "pilih jenis akun"),
            create_and_return: msg!(l, "Create and return", "Buat dan kembali"),
            cancel_and_return: msg!(l, "Cancel and return", "Batal dan kembali"),
            back_to_record: msg!(l, "Back to the group", "Kembali ke kelompok"),
            preview: msg!(
                l,
                "Preview: customers that change",
                "Pratinjau: pelanggan yang berubah"
            ),
            customer: msg!(l, "Customer", "Pelanggan"),
            field: msg!(l, "Field", "Isian"),
            now: msg!(l, "Now", "Sekarang"),
            after: msg!(l, "After", "Sesudah"),
            customers_now: msg!(l, "Customers in this group", "Pelanggan dalam kelompok ini"),
            move_to: msg!(l, "Move them to group", "Pindahkan ke kelompok"),
            read_only_role: msg!(
                l,
                "Your role may read this form but not change it.",
                "Peran Anda boleh membaca formulir ini tetapi tidak mengubahnya."
            ),
        }
    }
}

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
