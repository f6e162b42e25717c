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
//! - An error type the host shows implements [`Localize`], mapping its
//!   variants to entries of this catalogue; the English text *is* its
//!   `Display`. The impls for the errors of the layers above live beside
//!   those errors (`AdminError` in `admin`, `GlError` in `gl`), so this
//!   module imports only downward. A front end prints an error with
//!   `crate::errors::error_chain`, which finds every cause it knows: add a
//!   new error type there.

use crate::engine::{LimitError, Origin, PluginError};
pub use crate::i18n::Locale;
use crate::i18n::msg;
use crate::units::UnitError;
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
    /// Under an issue naming a record that does not exist: how to create it.
    create_it_with(command: &str) => "= help: create it with `{command}`", "= bantuan: buat dengan `{command}`";
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
    rejected_with(locale, issues, &[])
}

/// [`rejected`], with a front end's hint under an issue: `hints[i]` is the
/// command that creates what issue `i` names, if there is one.
pub fn rejected_with(locale: Locale, issues: &[Issue], hints: &[Option<String>]) -> String {
    let mut out = not_saved(locale);
    for (i, issue) in issues.iter().enumerate() {
        if issue.severity != Severity::Error {
            continue;
        }
        out.push_str(&format!(
            "\n  {}: {} [{}]",
            issue.field, issue.message, issue.rule
        ));
        if let Some(Some(command)) = hints.get(i) {
            out.push_str(&format!("\n    {}", create_it_with(locale, command)));
        }
    }
    out
}

// --- AR transactions as they are entered (`entry`) ---------------------------

catalogue! {
    /// The header of a refused entry or import.
    nothing_stored() => "nothing was stored:", "tidak ada yang disimpan:";
    /// More problems than are listed.
    and_more(count: usize) => "... and {count} more", "... dan {count} lagi";
    /// An unknown transaction kind.
    not_a_kind(text: &str, kinds: &str) =>
        "kind: {text:?} is not a kind; use one of {kinds}",
        "kind: {text:?} bukan jenis transaksi; pakai salah satu dari {kinds}";
    /// An unknown customer.
    no_customer(code: &str) =>
        "customer: {code:?} does not exist",
        "customer: {code:?} tidak ada";
    /// An invoice the credit check holds back.
    over_credit_limit(customer: &str, over: &str) =>
        "amount: this invoice takes customer {customer} past its credit: {over}; a user with the credit-controller right may enter it anyway, giving a reason",
        "amount: faktur ini membawa pelanggan {customer} melewati batas kreditnya: {over}; pengguna dengan hak credit-controller dapat tetap mencatatnya dengan menyebutkan alasan";
    /// One limit an invoice goes past.
    credit_line_over(whose: &str, limit: &str, exposure: &str, available: &str, source: &str) =>
        "{whose}: limit {limit} (from {source}), owed with it {exposure}, left {available}",
        "{whose}: batas {limit} (dari {source}), utang bersama faktur ini {exposure}, sisa {available}";
    /// An invoice entered past a credit limit, and why.
    entered_past_credit(id: i64, why: &str) =>
        "invoice {id} was entered past a credit limit: {why}",
        "faktur {id} dicatat melewati batas kredit: {why}";
    /// Why: a group bypasses the check.
    credit_bypassed_by(group: &str) =>
        "{group} bypasses the credit check",
        "{group} melewati pemeriksaan kredit";
    /// Why: a credit controller's reason.
    credit_overridden(user: &str, reason: &str) =>
        "overridden by {user}: {reason}",
        "diizinkan oleh {user}: {reason}";
    /// A credit override without a reason.
    credit_override_without_reason() =>
        "a credit override needs a reason: say why the invoice may go past its limit",
        "penggantian batas kredit memerlukan alasan: sebutkan mengapa faktur boleh melewati batasnya";
    /// A credit override by a user without the right.
    not_a_credit_controller(user: &str) =>
        "{user} does not hold the credit-controller right, so cannot enter invoices past their credit limits (an administrator grants it: erp-host user grant {user} credit-controller)",
        "{user} tidak memiliki hak credit-controller, sehingga tidak dapat mencatat faktur melewati batas kreditnya (administrator memberikannya: erp-host user grant {user} credit-controller)";
    /// A field changed by a user who lacks the right the form marks it with.
    field_needs_right(label: &str, right: &str, user: &str, holds: &str) =>
        "{label} needs the {right} right{holds}, which {user} does not hold, so {user} cannot change it (an administrator grants it: erp-host user grant {user} {right})",
        "{label} memerlukan hak {right}{holds}, yang tidak dimiliki {user}, sehingga {user} tidak dapat mengubahnya (administrator memberikannya: erp-host user grant {user} {right})";
    /// A field changed by a disabled user.
    field_needs_right_disabled(label: &str, right: &str, user: &str) =>
        "{label} needs the {right} right, and {user} is disabled, so holds no right (an administrator enables the user: erp-host user enable {user})",
        "{label} memerlukan hak {right}, dan {user} dinonaktifkan, sehingga tidak memiliki hak apa pun (administrator mengaktifkannya: erp-host user enable {user})";
    /// Which roles hold a right, after its name.
    held_by_roles(roles: &str) => " (held by the roles {roles})", " (dimiliki peran {roles})";
    /// An inactive customer.
    inactive_customer(code: &str) =>
        "customer: {code} is inactive and takes no new transactions",
        "customer: {code} tidak aktif dan tidak menerima transaksi baru";
    /// A currency other than the customer's.
    not_the_customers_currency(code: &str, theirs: &str, given: &str) =>
        "currency: customer {code} trades in {theirs}, not {given}",
        "currency: pelanggan {code} bertransaksi dalam {theirs}, bukan {given}";
    /// A currency the host does not know.
    unknown_currency(code: &str) =>
        "currency: {code} is not a currency of the host",
        "currency: {code} bukan mata uang host ini";
    /// A field whose value could not be read.
    bad_field(field: &str, problem: &str) => "{field}: {problem}", "{field}: {problem}";
    /// A foreign transaction without a rate.
    rate_needed(currency: &str, base: &str) =>
        "rate: a transaction in {currency} needs a rate: how many {base} one {currency} is worth (--rate, or the CSV's rate column)",
        "rate: transaksi dalam {currency} memerlukan kurs: berapa {base} nilai satu {currency} (--rate, atau kolom rate pada CSV)";
    /// What a rate is in when the base currency is not set.
    base_units() => "base-currency units", "satuan mata uang dasar";
    /// A duplicate of a row earlier in the same file.
    duplicate_in_file(kind: &str, reference: &str, customer: &str, line: usize) =>
        "reference: {kind} {reference} of customer {customer} is on line {line} already",
        "reference: {kind} {reference} milik pelanggan {customer} sudah ada di baris {line}";
    /// A duplicate of a stored transaction with the same values.
    duplicate_same(kind: &str, reference: &str, customer: &str, id: i64) =>
        "reference: {kind} {reference} of customer {customer} is transaction {id} already (the same values: is this file imported again? `--skip-duplicates` skips such rows)",
        "reference: {kind} {reference} milik pelanggan {customer} sudah tercatat sebagai transaksi {id} (nilainya sama: berkas ini diimpor lagi? `--skip-duplicates` melewati baris seperti itu)";
    /// A stored transaction with the same identity and other values.
    duplicate_other(kind: &str, reference: &str, customer: &str, id: i64) =>
        "reference: {kind} {reference} of customer {customer} is transaction {id} already with other values",
        "reference: {kind} {reference} milik pelanggan {customer} sudah tercatat sebagai transaksi {id} dengan nilai lain";
    /// A duplicate met when correcting.
    duplicate_of(kind: &str, reference: &str, customer: &str, id: i64) =>
        "reference: {kind} {reference} of customer {customer} is transaction {id} already",
        "reference: {kind} {reference} milik pelanggan {customer} sudah tercatat sebagai transaksi {id}";
    /// No such transaction.
    no_transaction(id: i64) => "there is no transaction {id}", "tidak ada transaksi {id}";
    /// A change to a transaction in an unposted batch.
    in_unposted_batch(id: i64, batch: i64, done: &str) =>
        "transaction {id} is in unposted GL batch {batch} and cannot be {done}; delete the batch first (`erp-host gl batch delete {batch}`)",
        "transaksi {id} ada dalam batch GL {batch} yang belum diposting dan tidak dapat {done}; hapus batch itu dahulu (`erp-host gl batch delete {batch}`)";
    /// A change to a posted transaction.
    posted_transaction(id: i64, batch: i64, done: &str) =>
        "transaction {id} is posted (GL batch {batch}) and cannot be {done}; reverse it (`erp-host transaction reverse {id}`)",
        "transaksi {id} sudah diposting (batch GL {batch}) dan tidak dapat {done}; balik transaksi itu (`erp-host transaction reverse {id}`)";
    /// How a transaction was changed: corrected.
    corrected() => "corrected", "dikoreksi";
    /// How a transaction was changed: deleted.
    deleted() => "deleted", "dihapus";
    /// A reversal of a transaction in no batch.
    reverse_unbatched(id: i64) =>
        "transaction {id} is in no GL batch: correct it (`erp-host transaction edit {id}`) or delete it (`erp-host transaction delete {id}`) instead",
        "transaksi {id} tidak ada dalam batch GL: koreksi (`erp-host transaction edit {id}`) atau hapus (`erp-host transaction delete {id}`) saja";
    /// A reversal of a transaction in an unposted batch.
    reverse_unposted(id: i64, batch: i64) =>
        "transaction {id} is in unposted GL batch {batch}: delete the batch (`erp-host gl batch delete {batch}`), then correct or delete the transaction",
        "transaksi {id} ada dalam batch GL {batch} yang belum diposting: hapus batch itu (`erp-host gl batch delete {batch}`), lalu koreksi atau hapus transaksinya";
    /// `report receivables` over transactions the posting rules refuse.
    uncounted_note(count: i64) =>
        "note: {count} transaction(s) count in no balance: the posting rules refuse them; correct or delete them (`erp-host transaction edit` / `delete`)",
        "catatan: {count} transaksi tidak dihitung dalam saldo mana pun: aturan posting menolaknya; koreksi atau hapus (`erp-host transaction edit` / `delete`)";
    /// A correction of a reversal.
    reversal_not_corrected(id: i64, original: i64) =>
        "transaction {id} reverses transaction {original} and mirrors it; delete it (`erp-host transaction delete {id}`) and reverse again",
        "transaksi {id} membalik transaksi {original} dan mencerminkannya; hapus (`erp-host transaction delete {id}`) lalu balik lagi";
    /// A second reversal.
    reversed_already(id: i64, by: i64) =>
        "transaction {id} is reversed already, by transaction {by}",
        "transaksi {id} sudah dibalik, oleh transaksi {by}";
    /// A reversal of a reversal.
    reverse_a_reversal(id: i64) =>
        "transaction {id} is a reversal; enter the transaction again instead",
        "transaksi {id} adalah pembalikan; masukkan transaksinya lagi saja";
    /// A reversal whose posting would differ from what was posted.
    reverse_changed(id: i64) =>
        "transaction {id} would not post today as it was posted (its group's accounts changed since); enter a correcting transaction instead",
        "transaksi {id} tidak akan diposting hari ini seperti dulu (akun kelompoknya telah berubah); masukkan transaksi koreksi saja";
    /// `transaction new`.
    transaction_entered(id: i64) => "transaction {id} entered", "transaksi {id} dicatat";
    /// `transaction edit`.
    transaction_corrected(id: i64) => "transaction {id} corrected", "transaksi {id} dikoreksi";
    /// `transaction delete`.
    transaction_deleted(id: i64) => "transaction {id} deleted", "transaksi {id} dihapus";
    /// `transaction reverse`.
    transaction_reversed(id: i64, original: i64) =>
        "transaction {id} entered: it reverses transaction {original}",
        "transaksi {id} dicatat: membalik transaksi {original}";
    /// `transaction import`.
    transactions_imported(count: usize, file: &str) =>
        "{count} transaction(s) imported from {file}",
        "{count} transaksi diimpor dari {file}";
    /// `transaction import --skip-duplicates`.
    rows_skipped(count: usize, line: usize, id: i64) =>
        "{count} row(s) skipped: stored already exactly as they are (the first: line {line}, transaction {id})",
        "{count} baris dilewati: sudah tersimpan persis sama (yang pertama: baris {line}, transaksi {id})";
    /// A CSV header naming an unknown column.
    unknown_column(column: usize, name: &str, columns: &str) =>
        "line 1, column {column}: unknown column {name:?}; columns are {columns}",
        "baris 1, kolom {column}: kolom {name:?} tidak dikenal; kolomnya adalah {columns}";
    /// A CSV header without a required column.
    missing_column(name: &str) =>
        "line 1: the header has no {name:?} column",
        "baris 1: baris judul tidak memiliki kolom {name:?}";
    /// A problem on a line of a file, at a column.
    at_line(line: usize, problem: &str) => "line {line}, column {problem}", "baris {line}, kolom {problem}";
    /// A problem on a line of a file.
    on_line(line: usize, problem: &str) => "line {line}: {problem}", "baris {line}: {problem}";
}

catalogue! {
    /// [`GlError::NoBaseCurrency`].
    no_base_currency() =>
        "the ledger has no base currency; set it with `erp-host gl settings set --base-currency CODE`",
        "buku besar belum memiliki mata uang dasar; atur dengan `erp-host gl settings set --base-currency KODE`";
    /// [`GlError::NothingToBatch`].
    nothing_to_batch() =>
        "no unbatched transactions match; nothing to do",
        "tidak ada transaksi tanpa batch yang cocok; tidak ada yang dikerjakan";
    /// [`GlError::NoSuchBatch`].
    no_such_batch(id: i64) => "there is no GL batch {id}", "tidak ada batch GL {id}";
    /// [`GlError::Posted`].
    batch_posted(id: i64) =>
        "GL batch {id} is posted; a posted batch never changes",
        "batch GL {id} sudah diposting; batch yang sudah diposting tidak pernah berubah";
    /// `gl batch create`.
    batch_created(id: i64, transactions: i64, total: &str, currency: &str) =>
        "batch {id} created (unposted): {transactions} transaction(s), debits = credits = {total} {currency}",
        "batch {id} dibuat (belum diposting): {transactions} transaksi, debit = kredit = {total} {currency}";
    /// `gl batch post`.
    batch_posted_to_ledger(id: i64, total: &str, currency: &str) =>
        "batch {id} posted: {total} {currency} to the ledger",
        "batch {id} diposting: {total} {currency} ke buku besar";
    /// `gl batch delete`.
    batch_deleted(id: i64, released: i64) =>
        "batch {id} deleted; {released} transaction(s) released",
        "batch {id} dihapus; {released} transaksi dilepas";
    /// The header of [`GlError::Refused`].
    batch_not_created() => "the batch was not created:", "batch tidak dibuat:";
    /// One problem of [`GlError::Refused`].
    batch_problem(transaction: u64, field: &str, message: &str, rule: &str) =>
        "transaction {transaction}: {field}: {message} [{rule}]",
        "transaksi {transaction}: {field}: {message} [{rule}]";
}

// --- the store ([`StoreError`], localized in `store.rs`) -----------------------

/// A kind of record the store names in its errors, in `locale`.
pub fn record_noun(locale: Locale, what: &str) -> String {
    let id = match what {
        "account" => "akun",
        "customer" => "pelanggan",
        "customer group" => "kelompok pelanggan",
        "AR settings" => "pengaturan piutang",
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
        "user" => "pengguna",
        "company" => "perusahaan",
        other => other,
    };
    match locale {
        Locale::En => what.to_owned(),
        Locale::Id => id.to_owned(),
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
            PluginError::Contract(e) => {
                format!("plugin mengembalikan nilai yang tidak diizinkan kontraknya: {e}")
            }
        }
    }
}

// --- the erp-host CLI: what commands print ----------------------------------

catalogue! {
    /// `init`.
    database_ready(path: &str) => "database ready: {path}", "basis data siap: {path}";
    /// `init --sample`, `quickstart`.
    sample_accounts_added(count: usize) =>
        "sample accounts added: {count}", "akun contoh yang ditambahkan: {count}";
    /// Context of a failed open.
    opening(path: &str) => "opening {path}", "membuka {path}";
    /// Context of a failed read.
    reading(path: &str) => "reading {path}", "membaca {path}";
    /// Context of a failed write.
    writing(path: &str) => "writing {path}", "menulis {path}";
    /// Context of a failed install.
    installing(source: &str) => "installing {source}", "memasang {source}";
    /// What `plugin install` installs without a file.
    bundled_plugin() => "the bundled plugin", "plugin bawaan";
    /// `plugin install`.
    installed(source: &str, form: &str, size: u64, sha256: &str, wit: &str) =>
        "installed {source}: form {form}, {size} bytes, sha256 {sha256}, WIT {wit}",
        "{source} terpasang: formulir {form}, {size} byte, sha256 {sha256}, WIT {wit}";
    /// `quickstart`'s install line.
    plugin_installed(form: &str, size: u64, sha256: &str) =>
        "plugin installed: form {form}, {size} bytes, sha256 {sha256}",
        "plugin terpasang: formulir {form}, {size} byte, sha256 {sha256}";
    /// `plugin show` without a plugin.
    no_plugin_installed() => "no plugin installed", "belum ada plugin yang terpasang";
    /// `plugin show`.
    plugin_form(form: &str) => "form:        {form}", "formulir:    {form}";
    /// `plugin show`.
    plugin_sha256(sha256: &str) => "sha256:      {sha256}", "sha256:      {sha256}";
    /// `plugin show`.
    plugin_wit(version: &str) => "WIT version: {version}", "versi WIT:   {version}";
    /// `plugin show`.
    plugin_size(size: u64) => "size:        {size} bytes", "ukuran:      {size} byte";
    /// `plugin show`.
    plugin_installed_by(at: &str, by: &str) =>
        "installed:   {at} by {by}", "dipasang:    {at} oleh {by}";
    /// `plugin show`: where the compiled code came from.
    plugin_code(origin: &str, ms: f64) => "code:        {origin} in {ms:.1} ms", "kode:        {origin} dalam {ms:.1} ms";
    /// `plugin show`: why the cache was not used.
    plugin_cache(problem: &str) => "cache:       not used: {problem}", "cache:       tidak dipakai: {problem}";
    /// `plugin limits`: who set the limits.
    limits_source(source: &str) => "limits:      {source}", "batas:       {source}";
    /// `plugin limits`: nobody did.
    limits_defaults() => "the host's defaults", "bawaan host";
    /// `plugin limits`: someone did.
    limits_set_by(user: &str, at: &str) => "set by {user} at {at}", "ditetapkan oleh {user} pada {at}";
    /// `plugin limits`: a limit's range.
    limit_range(min: &str, max: &str) => "(allowed {min}..={max})", "(diizinkan {min}..={max})";
    /// `quickstart`: the database heading.
    heading_database(path: &str) => "== database {path}", "== basis data {path}";
    /// `quickstart`: the menu heading.
    heading_menu() => "== menu", "== menu";
    /// `quickstart`: the form heading.
    heading_form() => "== form", "== formulir";
    /// `quickstart`: the groups heading.
    heading_groups() => "== groups", "== kelompok";
    /// `quickstart`: the tree heading.
    heading_tree() => "== tree", "== pohon";
    /// `quickstart`: a sample group created.
    sample_group_created(code: &str, name: &str) =>
        "group created: {code} {name}", "kelompok dibuat: {code} {name}";
    /// `group new`.
    created_group(code: &str, name: &str) =>
        "created group {code} {name}", "kelompok {code} {name} dibuat";
    /// `group edit`.
    saved_group(code: &str, version: i64) =>
        "saved group {code} (version {version})", "kelompok {code} disimpan (versi {version})";
    /// `group default-accounts`.
    saved_default_accounts(code: &str, version: i64) =>
        "saved group {code} (version {version}) with the AR settings' default accounts",
        "kelompok {code} disimpan (versi {version}) dengan akun bawaan pengaturan piutang";
    /// `group delete`.
    deleted_group(code: &str, name: &str) =>
        "deleted group {code} {name}", "kelompok {code} {name} dihapus";
    /// `group apply-terms --yes`.
    applied_to(count: usize) =>
        "applied to {count} customer(s)", "diterapkan pada {count} pelanggan";
    /// `group apply-terms` without `--yes`.
    preview_only() =>
        "preview only: run again with --yes to apply",
        "hanya pratinjau: jalankan lagi dengan --yes untuk menerapkannya";
    /// `group apply-terms` with nothing to do.
    terms_already_applied() =>
        "every customer already has the group's terms; nothing to change",
        "setiap pelanggan sudah memakai syarat kelompok ini; tidak ada yang diubah";
    /// `group reassign`.
    moved(count: usize) => "moved {count} customer(s)", "{count} pelanggan dipindahkan";
    /// `group list --output`.
    wrote_groups(count: usize, path: &str) =>
        "wrote {count} group(s) to {path}", "{count} kelompok ditulis ke {path}";
    /// `group list`: a page that is not all.
    rows_of(from: u64, to: u64, total: u64) =>
        "-- rows {from}-{to} of {total}", "-- baris {from}-{to} dari {total}";
    /// `group list`: more pages follow.
    more_pages() => "; --page for more", "; --page untuk halaman berikutnya";
    /// `customer new`.
    customer_created(code: &str, name: &str) =>
        "customer {code} {name} created", "pelanggan {code} {name} dibuat";
    /// `customer credit-limit` of an unknown customer.
    no_such_customer(code: &str) =>
        "there is no customer {code:?}", "tidak ada pelanggan {code:?}";
    /// `customer credit-limit`.
    customer_credit_limit(code: &str, limit: &str) =>
        "customer {code}: credit limit {limit}", "pelanggan {code}: batas kredit {limit}";
    /// `customer credit-limit none`: the group's limit applies.
    from_its_group() => "from its group", "dari kelompoknya";
    /// A negative credit limit.
    credit_limit_negative(text: &str) =>
        "a credit limit cannot be negative ({text})", "batas kredit tidak boleh negatif ({text})";
    /// `account new`.
    account_created(code: &str, name: &str, kind: &str) =>
        "account {code} {name} ({kind}) created", "akun {code} {name} ({kind}) dibuat";
    /// `reference new`, refused.
    reference_needs_code_and_name() =>
        "reference data needs a code and a name", "data referensi memerlukan kode dan nama";
    /// `reference new`.
    reference_created(kind: &str, code: &str, name: &str) =>
        "{kind} {code} {name} created", "{kind} {code} {name} dibuat";
}

// --- the erp-host CLI: words of tables and of `group show` -------------------

catalogue! {
    /// A column: a code.
    column_code() => "Code", "Kode";
    /// A column: a name.
    column_name() => "Name", "Nama";
    /// A column: a customer's group.
    column_group() => "Group", "Kelompok";
    /// A column: a currency.
    column_currency() => "Currency", "Mata Uang";
    /// A column: active or not.
    column_status() => "Status", "Status";
    /// A column: an account's or a reference's kind.
    column_kind() => "Kind", "Jenis";
    /// A status.
    active() => "active", "aktif";
    /// A status.
    inactive() => "inactive", "nonaktif";
    /// After an inactive group or customer in a list.
    inactive_mark() => "(inactive)", "(nonaktif)";
    /// A yes/no value.
    yes() => "yes", "ya";
    /// A yes/no value.
    no() => "no", "tidak";
    /// `group show`: the group's ancestors.
    ancestors() => "ancestors", "leluhur";
    /// `group show`: the group's version.
    version() => "version", "versi";
    /// Provenance: the setting is inherited from a group.
    inherited_from(code: &str) => "inherited from {code}", "diwarisi dari {code}";
    /// Provenance: the setting is the AR settings' default.
    ar_settings_default() => "AR settings default", "bawaan pengaturan piutang";
    /// Provenance: the setting is set nowhere.
    not_set() => "not set", "belum diatur";
    /// A rule table with no rows.
    no_rules() => "none", "tidak ada";
    /// A rule table with one row.
    one_rule() => "1 rule", "1 aturan";
    /// A rule table with more rows.
    rules(count: usize) => "{count} rules", "{count} aturan";
    /// A period ending on a day of the month.
    period_with_day(count: u32, unit: &str, day: u8) =>
        "{count} {unit}, day {day}", "{count} {unit}, tanggal {day}";
    /// A prompt payment discount.
    discount_within(percent: &str, period: &str) =>
        "{percent} within {period}", "{percent} dalam {period}";
    /// `form`: the menu line.
    form_menu(path: &str) => "menu:   {path}", "menu:   {path}";
    /// `form`: the route line.
    form_route(route: &str) => "route:  {route}", "rute:   {route}";
    /// `form`: the list line.
    form_list(columns: &str) => "list:   {columns}", "daftar: {columns}";
    /// `form`: the columns one may add.
    form_customise(columns: &str) => "        (customise: {columns})", "        (sesuaikan: {columns})";
    /// `form`: the search line.
    form_search(keys: &str, modes: &str) => "search: {keys}  /  {modes}", "cari:   {keys}  /  {modes}";
    /// `form`: a required field.
    form_required() => "required", "wajib";
    /// `form`: an inheritable field.
    form_inheritable() => "inheritable", "dapat diwarisi";
    /// `form`: a read-only field.
    form_read_only() => "read-only", "hanya-baca";
    /// `form`: a field fixed after creation.
    form_immutable() => "fixed after creation", "tetap setelah dibuat";
    /// `form`: a field's maximum length.
    form_max(max: u32) => "max {max}", "maks {max}";
    /// `form`: a field's lookup.
    form_lookup(lookup: &str) => "lookup {lookup}", "pencarian {lookup}";
    /// `form`: a field's choices.
    form_one_of(values: &str) => "one of {values}", "salah satu dari {values}";
    /// `form`: a field with many choices.
    form_codes(count: usize) => "{count} codes", "{count} kode";
    /// `form`: a table field's columns.
    form_columns(columns: &str) => "      columns: {columns}", "      kolom: {columns}";
    /// `form`: the toolbar.
    form_actions(actions: &str) => "actions: {actions}", "tindakan: {actions}";
}

impl Localize for LimitError {
    fn localize(&self, locale: Locale) -> String {
        let LimitError {
            name,
            value,
            min,
            max,
        } = self;
        match locale {
            Locale::En => self.to_string(),
            Locale::Id => format!("{name} harus di antara {min} dan {max}, bukan {value}"),
        }
    }
}

impl Localize for Origin {
    fn localize(&self, locale: Locale) -> String {
        match (self, locale) {
            (_, Locale::En) => self.to_string(),
            (Origin::Compiled, Locale::Id) => "dikompilasi sekarang".into(),
            (Origin::Process, Locale::Id) => "dikompilasi sebelumnya oleh proses ini".into(),
            (Origin::Cache(path), Locale::Id) => {
                format!("dimuat terkompilasi dari {}", path.display())
            }
        }
    }
}

// --- typed amounts ([`UnitError`]) -------------------------------------------

impl Localize for UnitError {
    fn localize(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            UnitError::NotAnAmount(text) => format!(
                "{text:?} bukan jumlah uang: tulis angka dengan paling banyak dua desimal \
                 setelah titik, mis. 1500000.50"
            ),
            UnitError::NotAPercentage(text) => {
                format!("{text:?} bukan persentase: tulis mis. 2.5 atau 2.5%")
            }
            UnitError::TooLarge(text) => format!("{text:?} terlalu besar"),
            UnitError::NotInCurrency {
                text,
                currency,
                decimals,
            } => format!(
                "{text:?} bukan jumlah dalam {currency}: tulis angka dengan paling banyak \
                 {decimals} desimal setelah titik"
            ),
            UnitError::NotARate(text) => format!(
                "{text:?} bukan kurs: tulis angka lebih dari 0 dengan paling banyak 9 desimal, \
                 mis. 15500 atau 0.0000645"
            ),
            UnitError::NotARatePair(text) => {
                format!("{text:?} bukan mata uang dengan kursnya: tulis MU=KURS, mis. USD=15500")
            }
        }
    }
}

// --- users (`erp-host user`) ---------------------------------------------------

catalogue! {
    /// `user add`: the user added.
    user_added(name: &str, role: &str) => "added user {name} ({role})", "pengguna {name} ditambahkan ({role})";
    /// A generated password, shown once.
    password_shown_once(password: &str) =>
        "password: {password}\n(shown once and not stored; `erp-host user set-password` makes a new one)",
        "kata sandi: {password}\n(ditampilkan sekali dan tidak disimpan; `erp-host user set-password` membuat yang baru)";
    /// `user set-password`: done.
    password_set(name: &str) => "new password set for {name}", "kata sandi baru ditetapkan untuk {name}";
    /// `user grant`.
    right_granted(name: &str, right: &str) =>
        "{name} now holds the {right} right", "{name} kini memiliki hak {right}";
    /// `user revoke`.
    right_revoked(name: &str, right: &str) =>
        "{name} no longer holds the {right} right", "{name} tidak lagi memiliki hak {right}";
    /// `user revoke` of a grant the user's role makes anyway.
    right_revoked_role_holds(name: &str, right: &str, role: &str) =>
        "the grant is taken back, but {name} still holds the {right} right as {role}",
        "pemberian dicabut, tetapi {name} tetap memiliki hak {right} sebagai {role}";
    /// `user set-role`: done.
    role_set(name: &str, role: &str) => "{name} is now {role}", "{name} sekarang {role}";
    /// `user disable`: done.
    user_disabled(name: &str) => "{name} is disabled: they can no longer log in", "{name} dinonaktifkan: tidak dapat masuk lagi";
    /// `user enable`: done.
    user_enabled(name: &str) => "{name} is enabled", "{name} diaktifkan";
    /// `user list`: nobody yet.
    no_users() =>
        "no users yet; add the first administrator with `erp-host user add NAME --role administrator`",
        "belum ada pengguna; tambahkan administrator pertama dengan `erp-host user add NAMA --role administrator`";
    /// A user's state in `user list`.
    user_state_disabled() => "disabled", "nonaktif";
    /// A user's state in `user list`.
    user_state_active() => "active", "aktif";
}

// --- the change history --------------------------------------------------------

catalogue! {
    /// A recorded change that created its record.
    history_created() => "created", "dibuat";
    /// A recorded change that changed its record.
    history_changed() => "changed", "diubah";
    /// A recorded change that deleted its record.
    history_deleted() => "deleted", "dihapus";
    /// The console's History panel, when it shows only the latest changes.
    history_latest(shown: usize, total: usize, code: &str) =>
        "The latest {shown} of {total} changes; `erp-host group history {code}` shows them all.",
        "{shown} perubahan terakhir dari {total}; `erp-host group history {code}` menampilkan semuanya.";
    /// The console's History panel, when a row cannot be read.
    history_unreadable(error: &str) =>
        "The history cannot be shown: {error}",
        "Riwayat tidak dapat ditampilkan: {error}";
    /// `group history`: nothing recorded.
    no_history(code: &str) => "no change to group {code} is recorded", "tidak ada perubahan kelompok {code} yang tercatat";
    /// The columns of `group history`.
    history_header() => "When                  Who             Through  Change", "Waktu                 Siapa           Melalui  Perubahan";
    /// A history entry's file (the daemon's).
    history_from_file(file: &str) => "from {file}", "dari {file}";
    /// `group show --as-of`: the group did not exist then.
    absent_as_of(code: &str, at: &str) =>
        "group {code} did not exist at {at} (not yet created, or already deleted)",
        "kelompok {code} tidak ada pada {at} (belum dibuat, atau sudah dihapus)";
    /// `group show --as-of`: before the history began.
    before_history(code: &str, at: &str, start: &str) =>
        "group {code} cannot be shown as of {at}: its history begins at {start}, when this store started recording changes",
        "kelompok {code} tidak dapat ditampilkan per {at}: riwayatnya dimulai pada {start}, saat penyimpanan ini mulai mencatat perubahan";
    /// `group show --as-of`: the header.
    as_of_header(code: &str, at: &str) => "group {code} as it was at {at}", "kelompok {code} seperti pada {at}";
    /// `--as-of` given something else than a date or an instant.
    bad_instant(text: &str) =>
        "--as-of takes a date (2026-12-01: the end of that day, UTC) or an instant (2026-12-01T09:30:00Z), not `{text}`",
        "--as-of menerima tanggal (2026-12-01: akhir hari itu, UTC) atau waktu (2026-12-01T09:30:00Z), bukan `{text}`";
}

// --- refusals with a front end's hints ----------------------------------------

/// A change the plugin refused, with what a front end adds to an issue: for
/// a value naming a record that does not exist (a rule id ending in
/// `.unknown`) on a field with a quick-create target, the command (or the
/// screen) that creates it.
#[derive(Debug, thiserror::Error)]
#[error("{}", rejected_with(Locale::En, .issues, .hints))]
pub struct Refused {
    /// Every issue, errors and warnings.
    pub issues: Vec<Issue>,
    /// For each issue, how to create what it names, if the front end knows.
    pub hints: Vec<Option<String>>,
}

impl Localize for Refused {
    fn localize(&self, locale: Locale) -> String {
        rejected_with(locale, &self.issues, &self.hints)
    }
}

// --- printing errors ---------------------------------------------------------

mod companies;
mod files;
mod store;
pub use companies::*;
pub use files::*;
