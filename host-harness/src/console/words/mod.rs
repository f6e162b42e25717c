//! The console's own words in every locale: what the host (not the plugin)
//! says on a page: the login form, the page chrome, paging, refusals. The
//! module's captions, labels, help texts and messages are the plugin's.

use std::sync::OnceLock;

use crate::i18n::msg;
use crate::messages::Locale;

mod phrases;

pub use phrases::*;

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
    /// The header of a refused Delete.
    pub not_deleted: String,
    /// The marker of a required field.
    pub required: String,
    /// "Remove" of a rule row.
    pub remove_row: String,
    /// "Add rows: fill in a blank row".
    pub add_rows: String,
    /// "Version".
    pub version: String,
    /// The form's History panel: its heading and columns.
    pub history: String,
    /// History column: when.
    pub history_when: String,
    /// History column: who.
    pub history_who: String,
    /// History column: through what.
    pub history_via: String,
    /// History column: what changed.
    pub history_change: String,
    /// History: the value before.
    pub history_before: String,
    /// History: the value after.
    pub history_after: String,
    /// History: nothing recorded yet.
    pub history_none: String,
    /// The links to a group's settings per company.
    pub companies: String,
    /// "Row".
    pub row: String,
    /// The label of a rule table's "no rows: inherit" box.
    pub rows_inherit: String,
    /// "Applies" before a blank field's inherited value.
    pub applies: String,
    /// "Read only: you may not change this".
    pub read_only_role: String,
    /// "AR transactions".
    pub gl_transactions: String,
    /// "GL batches".
    pub gl_batches: String,
    /// "Receivables by group".
    pub report_receivables: String,
    /// "Sales trend".
    pub report_trend: String,
    /// "Credit check".
    pub report_credit: String,
    /// "Batch".
    pub batch: String,
    /// "Enter a transaction".
    pub enter_transaction: String,
    /// "Kind".
    pub kind: String,
    /// "Enter".
    pub enter: String,
    /// "Import CSV".
    pub import_csv: String,
    /// "Header row: kind, date, customer, amount, and optionally currency, rate, tax, discount, account, tax-account, reference. All rows are stored, or none.".
    pub import_help: String,
    /// "CSV file".
    pub csv_file: String,
    /// "Skip rows stored exactly as they are (a file imported again)".
    pub skip_duplicates: String,
    /// "Credit override reason".
    pub credit_override: String,
    /// What a credit override does.
    pub credit_override_help: String,
    /// "Newest first".
    pub newest_first: String,
    /// "Date".
    pub date: String,
    /// "Currency".
    pub currency: String,
    /// "Amount".
    pub amount: String,
    /// "Reference".
    pub reference: String,
    /// "Dated from".
    pub dated_from: String,
    /// "Dated to".
    pub dated_to: String,
    /// "Group (with its descendants)".
    pub of_group: String,
    /// "Create Batch".
    pub create_batch: String,
    /// "Status".
    pub status: String,
    /// "Debits".
    pub debits: String,
    /// "Created".
    pub created: String,
    /// "Posted".
    pub posted: String,
    /// "Filter".
    pub filter: String,
    /// "Post".
    pub post: String,
    /// "Delete batch".
    pub delete_batch: String,
    /// "Sums per day and account".
    pub sums: String,
    /// "Account".
    pub account: String,
    /// "Debit".
    pub debit: String,
    /// "Credit".
    pub credit: String,
    /// "Amount in its currency".
    pub amount_in_currency: String,
    /// "Lines".
    pub lines: String,
    /// "Total".
    pub total: String,
    /// "the first 2,000".
    pub first_lines: String,
    /// "Transaction".
    pub transaction: String,
    /// "Role".
    pub role: String,
    /// "Base amount".
    pub base_amount: String,
    /// "Description".
    pub description: String,
    /// "As of".
    pub as_of: String,
    /// "Company" (a report's).
    pub company: String,
    /// "Companies" (the administration page's title).
    pub companies_title: String,
    /// "AR settings".
    pub ar_settings: String,
    /// "Company code".
    pub company_code: String,
    /// "Company name".
    pub company_name: String,
    /// "Add company".
    pub add_company: String,
    /// "Base currency".
    pub base_currency: String,
    /// "Rounding account".
    pub rounding_account: String,
    /// "Set ledger".
    pub set_ledger: String,
    /// "(default)".
    pub default_mark: String,
    /// "All companies, consolidated".
    pub all_companies: String,
    /// "In currency" (a report's).
    pub in_currency: String,
    /// "Rates" (a consolidated report's).
    pub rates: String,
    /// The rates' help: how to write them.
    pub rates_help: String,
    /// "Show".
    pub show: String,
    /// "Group".
    pub group: String,
    /// "Customers".
    pub customers: String,
    /// "Own".
    pub own: String,
    /// "With subgroups".
    pub with_subgroups: String,
    /// "From month".
    pub from_month: String,
    /// "To month".
    pub to_month: String,
    /// "New amount".
    pub new_amount: String,
    /// "Rate to base currency".
    pub rate: String,
    /// "Check".
    pub check: String,
    /// "Scope".
    pub scope: String,
    /// "Limit".
    pub limit: String,
    /// "Exposure".
    pub exposure: String,
    /// "Available".
    pub available: String,
    /// "Limit from".
    pub limit_from: String,
    /// "No credit limit applies to this customer.".
    pub no_limit: String,
    /// "Within every limit.".
    pub credit_within: String,
    /// "The import failed; the server's log says why. Nothing was stored.".
    pub import_failed: String,
    /// "Nothing was stored: correct the file and import it again.".
    pub import_nothing: String,
    /// "Tax included".
    pub tax: String,
    /// "Settlement discount".
    pub discount: String,
    /// "Tax account".
    pub tax_account: String,
    /// "Plugin".
    pub plugin_title: String,
    /// "Users".
    pub users_title: String,
    /// "Limits".
    pub limits_title: String,
    /// "Save the limits".
    pub save_limits: String,
    /// "Back to the defaults".
    pub reset_limits: String,
    /// "Install a component".
    pub install_title: String,
    /// "Component (.wasm)".
    pub component_file: String,
    /// "Only if its sha256 is".
    pub pin_sha256: String,
    /// "Install".
    pub install: String,
    /// "Add a user".
    pub add_user: String,
    /// "Disabled".
    pub disabled: String,
    /// "Disable".
    pub disable: String,
    /// "Enable".
    pub enable: String,
    /// "New password".
    pub new_password: String,
    /// "Change role".
    pub change_role: String,
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
    /// The words in `l`, made once per locale for the life of the process.
    pub fn of(l: Locale) -> &'static Self {
        static EN: OnceLock<Words> = OnceLock::new();
        static ID: OnceLock<Words> = OnceLock::new();
        match l {
            Locale::En => EN.get_or_init(|| Self::make(l)),
            Locale::Id => ID.get_or_init(|| Self::make(l)),
        }
    }

    fn make(l: Locale) -> Self {
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
            not_deleted: msg!(l, "Not deleted:", "Tidak dihapus:"),
            required: msg!(l, "required", "wajib"),
            remove_row: msg!(l, "Remove", "Hapus"),
            add_rows: msg!(
                l,
                "To add a row, fill in a blank one.",
                "Untuk menambah baris, isi baris yang kosong."
            ),
            version: msg!(l, "Version", "Versi"),
            history: msg!(l, "History", "Riwayat"),
            history_when: msg!(l, "When (UTC)", "Waktu (UTC)"),
            history_who: msg!(l, "Who", "Siapa"),
            history_via: msg!(l, "Through", "Melalui"),
            history_change: msg!(l, "Change", "Perubahan"),
            history_before: msg!(l, "Before", "Sebelum"),
            history_after: msg!(l, "After", "Sesudah"),
            history_none: msg!(
                l,
                "No change to this group is recorded yet.",
                "Belum ada perubahan kelompok ini yang tercatat."
            ),
            companies: msg!(l, "Companies", "Perusahaan"),
            row: msg!(l, "Row", "Baris"),
            rows_inherit: msg!(
                l,
                "Without rows: inherit the rules",
                "Tanpa baris: warisi aturan"
            ),
            applies: msg!(l, "Applies", "Berlaku"),
            actions: msg!(l, "Actions", "Tindakan"),
            quick_create: msg!(l, "Create a new one", "Buat yang baru"),
            gl_transactions: msg!(l, "AR transactions", "Transaksi piutang"),
            gl_batches: msg!(l, "GL batches", "Batch GL"),
            report_receivables: msg!(l, "Receivables by group", "Piutang per kelompok"),
            report_trend: msg!(l, "Sales trend", "Tren penjualan"),
            report_credit: msg!(l, "Credit check", "Pemeriksaan kredit"),
            batch: msg!(l, "Batch", "Batch"),
            enter_transaction: msg!(l, "Enter a transaction", "Masukkan transaksi"),
            kind: msg!(l, "Kind", "Jenis"),
            enter: msg!(l, "Enter", "Masukkan"),
            import_csv: msg!(l, "Import CSV", "Impor CSV"),
            import_help: msg!(
                l,
                "Header row: kind, date, customer, amount, and optionally currency, rate, tax, discount, account, tax-account, reference. All rows are stored, or none.",
                "Baris judul: kind, date, customer, amount, dan bila perlu currency, rate, tax, discount, account, tax-account, reference. Semua baris disimpan, atau tidak sama sekali."
            ),
            csv_file: msg!(l, "CSV file", "Berkas CSV"),
            skip_duplicates: msg!(
                l,
                "Skip rows stored exactly as they are (a file imported again)",
                "Lewati baris yang sudah tersimpan persis sama (berkas diimpor lagi)"
            ),
            credit_override: msg!(l, "Credit override reason", "Alasan melewati batas kredit"),
            credit_override_help: msg!(
                l,
                "You hold the credit-controller right: with a reason, invoices that go past a credit limit are entered anyway, and the reason is recorded.",
                "Anda memiliki hak credit-controller: dengan alasan, faktur yang melewati batas kredit tetap dicatat, dan alasannya direkam."
            ),
            newest_first: msg!(l, "Newest first", "Terbaru lebih dulu"),
            date: msg!(l, "Date", "Tanggal"),
            currency: msg!(l, "Currency", "Mata uang"),
            amount: msg!(l, "Amount", "Jumlah"),
            reference: msg!(l, "Reference", "Referensi"),
            dated_from: msg!(l, "Dated from", "Bertanggal dari"),
            dated_to: msg!(l, "Dated to", "Bertanggal sampai"),
            of_group: msg!(
                l,
                "Group (with its descendants)",
                "Kelompok (beserta turunannya)"
            ),
            create_batch: msg!(l, "Create Batch", "Buat Batch"),
            status: msg!(l, "Status", "Status"),
            debits: msg!(l, "Debits", "Debit"),
            created: msg!(l, "Created", "Dibuat"),
            posted: msg!(l, "Posted", "Diposting"),
            filter: msg!(l, "Filter", "Saringan"),
            post: msg!(l, "Post", "Posting"),
            delete_batch: msg!(l, "Delete batch", "Hapus batch"),
            sums: msg!(l, "Sums per day and account", "Jumlah per hari dan akun"),
            account: msg!(l, "Account", "Akun"),
            debit: msg!(l, "Debit", "Debit"),
            credit: msg!(l, "Credit", "Kredit"),
            amount_in_currency: msg!(l, "Amount in its currency", "Jumlah dalam mata uangnya"),
            lines: msg!(l, "Lines", "Baris"),
            total: msg!(l, "Total", "Total"),
            first_lines: msg!(l, "the first 2,000", "2.000 yang pertama"),
            transaction: msg!(l, "Transaction", "Transaksi"),
            role: msg!(l, "Role", "Peran"),
            base_amount: msg!(l, "Base amount", "Jumlah dasar"),
            description: msg!(l, "Description", "Keterangan"),
            as_of: msg!(l, "As of", "Per tanggal"),
            company: msg!(l, "Company", "Perusahaan"),
            companies_title: msg!(l, "Companies", "Perusahaan"),
            ar_settings: msg!(l, "AR settings", "Pengaturan piutang"),
            company_code: msg!(l, "Company code", "Kode perusahaan"),
            company_name: msg!(l, "Company name", "Nama perusahaan"),
            add_company: msg!(l, "Add company", "Tambah perusahaan"),
            base_currency: msg!(l, "Base currency", "Mata uang dasar"),
            rounding_account: msg!(l, "Rounding account", "Akun pembulatan"),
            set_ledger: msg!(l, "Set ledger", "Atur buku besar"),
            default_mark: msg!(l, "(default)", "(bawaan)"),
            all_companies: msg!(
                l,
                "All companies, consolidated",
                "Semua perusahaan, dikonsolidasi"
            ),
            in_currency: msg!(l, "In currency", "Dalam mata uang"),
            rates: msg!(l, "Rates", "Kurs"),
            rates_help: msg!(
                l,
                "How many units of the report's currency one unit of each other base currency is, e.g. USD=15500, EUR=17000",
                "Berapa satuan mata uang laporan untuk satu satuan tiap mata uang dasar lain, mis. USD=15500, EUR=17000"
            ),
            show: msg!(l, "Show", "Tampilkan"),
            group: msg!(l, "Group", "Kelompok"),
            customers: msg!(l, "Customers", "Pelanggan"),
            own: msg!(l, "Own", "Sendiri"),
            with_subgroups: msg!(l, "With subgroups", "Dengan sub-kelompok"),
            from_month: msg!(l, "From month", "Dari bulan"),
            to_month: msg!(l, "To month", "Sampai bulan"),
            new_amount: msg!(l, "New amount", "Jumlah baru"),
            rate: msg!(l, "Rate to base currency", "Kurs ke mata uang dasar"),
            check: msg!(l, "Check", "Periksa"),
            scope: msg!(l, "Scope", "Cakupan"),
            limit: msg!(l, "Limit", "Batas"),
            exposure: msg!(l, "Exposure", "Eksposur"),
            available: msg!(l, "Available", "Tersedia"),
            limit_from: msg!(l, "Limit from", "Batas dari"),
            no_limit: msg!(
                l,
                "No credit limit applies to this customer.",
                "Tidak ada batas kredit yang berlaku bagi pelanggan ini."
            ),
            credit_within: msg!(l, "Within every limit.", "Dalam semua batas."),
            import_failed: msg!(
                l,
                "The import failed; the server's log says why. Nothing was stored.",
                "Impor gagal; log server menyebutkan sebabnya. Tidak ada yang disimpan."
            ),
            import_nothing: msg!(
                l,
                "Nothing was stored: correct the file and import it again.",
                "Tidak ada yang disimpan: perbaiki berkas lalu impor lagi."
            ),
            tax: msg!(l, "Tax included", "Pajak termasuk"),
            discount: msg!(l, "Settlement discount", "Potongan pelunasan"),
            tax_account: msg!(l, "Tax account", "Akun pajak"),
            plugin_title: msg!(l, "Plugin", "Plugin"),
            users_title: msg!(l, "Users", "Pengguna"),
            limits_title: msg!(
                l,
                "Limits of every plugin call",
                "Batas setiap panggilan plugin"
            ),
            save_limits: msg!(l, "Save the limits", "Simpan batas"),
            reset_limits: msg!(l, "Back to the defaults", "Kembali ke bawaan"),
            install_title: msg!(l, "Install a component", "Pasang komponen"),
            component_file: msg!(l, "Component (.wasm)", "Komponen (.wasm)"),
            pin_sha256: msg!(
                l,
                "Only if its sha256 is (optional)",
                "Hanya bila sha256-nya (opsional)"
            ),
            install: msg!(l, "Install", "Pasang"),
            add_user: msg!(l, "Add a user", "Tambah pengguna"),
            disabled: msg!(l, "disabled", "dinonaktifkan"),
            disable: msg!(l, "Disable", "Nonaktifkan"),
            enable: msg!(l, "Enable", "Aktifkan"),
            new_password: msg!(l, "New password", "Kata sandi baru"),
            change_role: msg!(l, "Change role", "Ubah peran"),
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

impl Words {
    /// The caption of the entry form's input `name`.
    pub fn entry_label<'a>(&'a self, name: &'a str) -> &'a str {
        match name {
            "date" => &self.date,
            "customer" => &self.customer,
            "amount" => &self.amount,
            "currency" => &self.currency,
            "rate" => &self.rate,
            "tax" => &self.tax,
            "discount" => &self.discount,
            "account" => &self.account,
            "tax-account" => &self.tax_account,
            "reference" => &self.reference,
            _ => name,
        }
    }
}
