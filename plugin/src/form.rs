//! The form definition: menu placement, list view, search, sections, fields
//! and toolbar, with captions in every supported locale.
//!
//! The field table here is the single source of field names, labels and
//! lengths; validation messages take their field captions from it.

use crate::bindings::exports::erp::customer_group::form::{
    Action, Field, FieldKind, FormDefinition, ListColumn, MatchMode, MatchModeOption, MenuEntry,
    SearchKey, Section,
};
use crate::i18n::{Locale, Text, t};

/// The form's stable id.
pub const FORM_ID: &str = "customergroup";
/// The route the menu entry opens.
pub const ROUTE: &str = "/form/customergroup";
/// The longest code: 8 letters or digits (seed 004).
pub const CODE_MAX: usize = 8;
/// The longest group name.
pub const NAME_MAX: usize = 60;

/// Field names, as validation issues and the host refer to them.
pub mod field {
    /// Group code.
    pub const CODE: &str = "code";
    /// Group name (seed 002: Description).
    pub const NAME: &str = "name";
    /// Accounts Receivable (GL Debtor).
    pub const RECEIVABLE: &str = "receivable-account";
    /// Reward Expense.
    pub const REWARD_EXPENSE: &str = "reward-expense-account";
    /// Sales Discount.
    pub const SALES_DISCOUNT: &str = "sales-discount-account";
    /// Gain/Loss on Receivable Write-off.
    pub const WRITE_OFF: &str = "write-off-account";
    /// Inactive flag.
    pub const INACTIVE: &str = "inactive";
    /// The record as a whole, for issues that concern no single field.
    pub const RECORD: &str = "record";
}

const MENU_PATH: [Text; 3] = [
    t("Sales & POS", "Penjualan & POS"),
    t("Customers & Sales Team", "Pelanggan & Tim Penjualan"),
    t("Customer Group", "Kelompok Pelanggan"),
];

const SECTIONS: [(&str, Text); 3] = [
    ("general", t("General", "Umum")),
    ("accounting", t("Accounting", "Akuntansi")),
    ("audit", t("Audit", "Audit")),
];

/// One row of the field table.
struct FieldSpec {
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
    section: &'static str,
    required: bool,
    read_only: bool,
    immutable: bool,
    max_length: Option<usize>,
    /// Account fields: looked up in, and quick-created from, the chart of accounts.
    account: bool,
}

const fn plain(name: &'static str, label: Text, help: Text, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        name,
        label,
        help,
        kind,
        section: "general",
        required: false,
        read_only: false,
        immutable: false,
        max_length: None,
        account: false,
    }
}

const fn account(name: &'static str, label: Text, help: Text) -> FieldSpec {
    FieldSpec {
        section: "accounting",
        required: true,
        account: true,
        ..plain(name, label, help, FieldKind::Reference)
    }
}

const fn audit(name: &'static str, label: Text, help: Text, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        section: "audit",
        read_only: true,
        ..plain(name, label, help, kind)
    }
}

const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        required: true,
        immutable: true,
        max_length: Some(CODE_MAX),
        ..plain(
            field::CODE,
            t("Group Code", "Kode Kelompok"),
            t(
                "Unique code of up to 8 letters or digits. It cannot be changed once the group \
                 is created. Group 0000 is the default group, used when a customer's group is \
                 unspecified.",
                "Kode unik hingga 8 huruf atau angka. Kode tidak dapat diubah setelah kelompok \
                 dibuat. Kelompok 0000 adalah kelompok bawaan, dipakai bila kelompok pelanggan \
                 tidak ditentukan.",
            ),
            FieldKind::Code,
        )
    },
    FieldSpec {
        required: true,
        max_length: Some(NAME_MAX),
        ..plain(
            field::NAME,
            t("Group Name", "Nama Kelompok"),
            t(
                "Descriptive name shown on reports and lookups, e.g. \"VIP Customers\".",
                "Nama deskriptif yang tampil di laporan dan pencarian, mis. \"Pelanggan VIP\".",
            ),
            FieldKind::Text,
        )
    },
    account(
        field::RECEIVABLE,
        t("Accounts Receivable", "Piutang Usaha"),
        t(
            "GL Debtor: the receivable account on the balance sheet that invoices debit and \
             receipts credit. Left blank, the AR settings default applies.",
            "Akun piutang di neraca yang didebit oleh faktur dan dikredit oleh penerimaan. \
             Bila kosong, dipakai akun bawaan dari pengaturan piutang.",
        ),
    ),
    account(
        field::REWARD_EXPENSE,
        t("Reward Expense", "Beban Hadiah"),
        t(
            "Expense account for reward points and product gifts given to the group's \
             customers. Left blank, the AR settings default applies.",
            "Akun beban untuk poin hadiah dan produk hadiah bagi pelanggan kelompok ini. \
             Bila kosong, dipakai akun bawaan dari pengaturan piutang.",
        ),
    ),
    account(
        field::SALES_DISCOUNT,
        t("Sales Discount", "Potongan Penjualan"),
        t(
            "Account for discounts allowed on sales and settlement discounts on receipts. \
             Left blank, the AR settings default applies.",
            "Akun untuk potongan penjualan dan potongan pelunasan pada penerimaan. Bila \
             kosong, dipakai akun bawaan dari pengaturan piutang.",
        ),
    ),
    account(
        field::WRITE_OFF,
        t(
            "Gain/Loss on Receivable Write-off",
            "Laba/Rugi Penghapusan Piutang",
        ),
        t(
            "Account debited (or credited) when a receivable balance is written off. Left \
             blank, the AR settings default applies.",
            "Akun yang didebit (atau dikredit) saat saldo piutang dihapuskan. Bila kosong, \
             dipakai akun bawaan dari pengaturan piutang.",
        ),
    ),
    plain(
        field::INACTIVE,
        t("Inactive", "Tidak Aktif"),
        t(
            "Inactive groups stay for history and reports but take no new customers. \
             Reassign the group's customers first.",
            "Kelompok tidak aktif tetap ada untuk riwayat dan laporan, tetapi tidak menerima \
             pelanggan baru. Pindahkan dulu pelanggan kelompok ini.",
        ),
        FieldKind::Boolean,
    ),
    audit(
        "created-by",
        t("Created By", "Dibuat Oleh"),
        t(
            "Filled in by the application when the record is created.",
            "Diisi otomatis oleh aplikasi saat data dibuat.",
        ),
        FieldKind::User,
    ),
    audit(
        "created-at",
        t("Created At", "Dibuat Pada"),
        t(
            "Filled in by the application when the record is created.",
            "Diisi otomatis oleh aplikasi saat data dibuat.",
        ),
        FieldKind::Timestamp,
    ),
    audit(
        "updated-by",
        t("Updated By", "Diubah Oleh"),
        t(
            "Filled in by the application whenever the record is saved.",
            "Diisi otomatis oleh aplikasi setiap kali data disimpan.",
        ),
        FieldKind::User,
    ),
    audit(
        "updated-at",
        t("Last Updated", "Terakhir Diubah"),
        t(
            "Filled in by the application whenever the record is saved.",
            "Diisi otomatis oleh aplikasi setiap kali data disimpan.",
        ),
        FieldKind::Timestamp,
    ),
];

const LIST_COLUMNS: [(&str, Text); 3] = [
    ("row-number", t("No.", "No.")),
    (field::CODE, t("Group Code", "Kode Kelompok")),
    (field::NAME, t("Group Name", "Nama Kelompok")),
];

const SEARCH_KEYS: [&str; 2] = [field::CODE, field::NAME];

const MATCH_MODES: [(MatchMode, Text); 3] = [
    (
        MatchMode::AnyPart,
        t("Any Part of Field", "Bagian Mana Saja dari Isian"),
    ),
    (MatchMode::Start, t("Start of Field", "Awal Isian")),
    (MatchMode::Exact, t("Exact", "Sama Persis")),
];

const ACTIONS: [(&str, Text, Text); 6] = [
    (
        "new",
        t("New", "Baru"),
        t(
            "Create a new customer group.",
            "Buat kelompok pelanggan baru.",
        ),
    ),
    (
        "save",
        t("Save", "Simpan"),
        t(
            "Validate and save the group; every problem is shown at once.",
            "Periksa dan simpan kelompok; semua masalah ditampilkan sekaligus.",
        ),
    ),
    (
        "delete",
        t("Delete", "Hapus"),
        t(
            "Delete the group: only when it has no customers and no transactions. Group \
             0000 cannot be deleted.",
            "Hapus kelompok: hanya bila tidak memiliki pelanggan dan transaksi. Kelompok 0000 \
             tidak dapat dihapus.",
        ),
    ),
    (
        "search",
        t("Search", "Cari"),
        t(
            "List the groups whose search key matches the text.",
            "Tampilkan kelompok yang kunci pencariannya cocok dengan teks.",
        ),
    ),
    (
        "show-all",
        t("Show All", "Tampilkan Semua"),
        t(
            "Clear the search and list every group.",
            "Hapus pencarian dan tampilkan semua kelompok.",
        ),
    ),
    (
        "refresh",
        t("Refresh", "Muat Ulang"),
        t(
            "Reload changes other users may have made.",
            "Muat ulang perubahan yang mungkin dibuat pengguna lain.",
        ),
    ),
];

/// The caption of field `name` in `locale`, or the name itself for an unknown field.
pub fn label(name: &str, locale: Locale) -> String {
    FIELDS
        .iter()
        .find(|f| f.name == name)
        .map_or_else(|| name.to_owned(), |f| f.label.get(locale).to_owned())
}

/// The whole form definition with captions in `locale`.
pub fn definition(locale: Locale) -> FormDefinition {
    let s = |text: &Text| text.get(locale).to_owned();
    FormDefinition {
        id: FORM_ID.to_owned(),
        locale: locale.tag().to_owned(),
        title: s(&MENU_PATH[2]),
        description: s(&t(
            "Create and manage groups of customers for reporting, promotions and \
             receivables: each group carries the GL accounts its customers' transactions \
             post to.",
            "Buat dan kelola kelompok pelanggan untuk laporan, promosi, dan piutang: setiap \
             kelompok membawa akun buku besar tempat transaksi pelanggannya dibukukan.",
        )),
        menu: MenuEntry {
            path: MENU_PATH.iter().map(s).collect(),
            route: ROUTE.to_owned(),
        },
        list_columns: LIST_COLUMNS
            .iter()
            .map(|(field, text)| ListColumn {
                field: (*field).to_owned(),
                label: s(text),
            })
            .collect(),
        search_keys: SEARCH_KEYS
            .iter()
            .map(|name| SearchKey {
                field: (*name).to_owned(),
                label: label(name, locale),
            })
            .collect(),
        match_modes: MATCH_MODES
            .iter()
            .map(|(mode, text)| MatchModeOption {
                mode: *mode,
                label: s(text),
            })
            .collect(),
        sections: SECTIONS
            .iter()
            .map(|(name, text)| Section {
                name: (*name).to_owned(),
                label: s(text),
            })
            .collect(),
        fields: FIELDS
            .iter()
            .map(|f| Field {
                name: f.name.to_owned(),
                label: s(&f.label),
                help: s(&f.help),
                kind: f.kind,
                section: f.section.to_owned(),
                required: f.required,
                read_only: f.read_only,
                immutable: f.immutable,
                max_length: f.max_length.map(|n| n as u32),
                lookup: f.account.then(|| "account".to_owned()),
                quick_create: f.account.then(|| "/form/account".to_owned()),
            })
            .collect(),
        actions: ACTIONS
            .iter()
            .map(|(name, text, help)| Action {
                name: (*name).to_owned(),
                label: s(text),
                help: s(help),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_and_route_follow_the_seed() {
        let form = definition(Locale::En);
        assert_eq!(
            form.menu.path,
            ["Sales & POS", "Customers & Sales Team", "Customer Group"]
        );
        assert_eq!(form.menu.route, "/form/customergroup");
        assert_eq!(form.id, "customergroup");
    }

    #[test]
    fn every_section_is_used_and_every_field_has_a_known_section() {
        let form = definition(Locale::En);
        for section in &form.sections {
            assert!(form.fields.iter().any(|f| f.section == section.name));
        }
        for field in &form.fields {
            assert!(form.sections.iter().any(|s| s.name == field.section));
        }
    }

    #[test]
    fn indonesian_differs_from_english_where_it_should() {
        let en = definition(Locale::En);
        let id = definition(Locale::Id);
        assert_eq!(id.title, "Kelompok Pelanggan");
        assert_eq!(en.fields.len(), id.fields.len());
        for (a, b) in en.fields.iter().zip(&id.fields) {
            assert_eq!(a.name, b.name);
            assert_ne!(a.help, b.help, "{} has untranslated help", a.name);
        }
    }

    #[test]
    fn account_fields_offer_lookup_and_quick_create() {
        let form = definition(Locale::En);
        let accounts: Vec<_> = form.fields.iter().filter(|f| f.lookup.is_some()).collect();
        assert_eq!(accounts.len(), 4);
        assert!(
            accounts
                .iter()
                .all(|f| f.quick_create.as_deref() == Some("/form/account") && f.required)
        );
    }
}
