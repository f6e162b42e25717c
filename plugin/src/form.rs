//! The form definition: menu placement, list view, search, sections, fields
//! and toolbar, with captions in every supported locale.
//!
//! The field table here is the single source of field names, labels and
//! lengths; validation messages take their field captions from it.

use crate::bindings::exports::erp::customer_group::form::{
    Action, Choice, Column, Field, FieldKind, FormDefinition, ListColumn, MatchMode,
    MatchModeOption, MenuEntry, SearchKey, Section,
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
    /// Parent group.
    pub const PARENT: &str = "parent";
    /// Group node flag.
    pub const IS_GROUP: &str = "is-group";
    /// Inactive flag.
    pub const INACTIVE: &str = "inactive";
    /// Currency.
    pub const CURRENCY: &str = "currency";
    /// Credit limit.
    pub const CREDIT_LIMIT: &str = "credit-limit";
    /// Credit limit shared by the group and its descendants.
    pub const SHARED_CREDIT_LIMIT: &str = "shared-credit-limit";
    /// Due count.
    pub const DUE_COUNT: &str = "due-count";
    /// Due day.
    pub const DUE_DAY: &str = "due-day";
    /// Statement count.
    pub const STATEMENT_COUNT: &str = "statement-count";
    /// Peppol EAS code.
    pub const PEPPOL_EAS: &str = "peppol-eas";
    /// Prompt payment discount percent.
    pub const PAYMENT_DISCOUNT: &str = "payment-discount";
    /// Prompt payment discount period count.
    pub const DISCOUNT_COUNT: &str = "discount-count";
    /// Prompt payment discount day.
    pub const DISCOUNT_DAY: &str = "discount-day";
    /// The record as a whole, for issues that concern no single field.
    pub const RECORD: &str = "record";
}

const MENU_PATH: [Text; 3] = [
    t("Sales & POS", "Penjualan & POS"),
    t("Customers & Sales Team", "Pelanggan & Tim Penjualan"),
    t("Customer Group", "Kelompok Pelanggan"),
];

const SECTIONS: [(&str, Text); 7] = [
    ("general", t("General", "Umum")),
    ("accounting", t("Accounting", "Akuntansi")),
    ("pricing-terms", t("Pricing & Terms", "Harga & Syarat")),
    ("tax", t("Tax & e-Invoicing", "Pajak & e-Faktur")),
    ("rewards", t("Rewards & Discounts", "Hadiah & Potongan")),
    ("customers", t("Customers", "Pelanggan")),
    ("audit", t("Audit", "Audit")),
];

const PERIOD_UNITS: &[(&str, Text)] = &[
    ("days", t("Days", "Hari")),
    ("weeks", t("Weeks", "Minggu")),
    ("months", t("Months", "Bulan")),
];

/// A column of a rule table.
struct ColumnSpec {
    name: &'static str,
    label: Text,
    kind: FieldKind,
    required: bool,
    lookup: Option<&'static str>,
}

const fn col(name: &'static str, label: Text, kind: FieldKind, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        label,
        kind,
        required,
        lookup: None,
    }
}

const VALID_FROM: ColumnSpec = col(
    "valid-from",
    t("Valid From", "Berlaku Dari"),
    FieldKind::Date,
    true,
);
const VALID_TO: ColumnSpec = col(
    "valid-to",
    t("Valid To", "Berlaku Sampai"),
    FieldKind::Date,
    false,
);
const MIN_AMOUNT: ColumnSpec = col(
    "min-amount",
    t("Minimum Amount", "Jumlah Minimum"),
    FieldKind::Money,
    true,
);
const PERCENT: ColumnSpec = col(
    "percent",
    t("Discount %", "Potongan %"),
    FieldKind::Percent,
    true,
);

const SALES_DISCOUNT_COLUMNS: &[ColumnSpec] = &[VALID_FROM, VALID_TO, MIN_AMOUNT, PERCENT];
const PAYMENT_DISCOUNT_COLUMNS: &[ColumnSpec] = &[
    VALID_FROM,
    VALID_TO,
    col(
        "within-days",
        t("Paid Within (Days)", "Dibayar Dalam (Hari)"),
        FieldKind::Integer,
        true,
    ),
    PERCENT,
];
const PRODUCT_GIFT_COLUMNS: &[ColumnSpec] = &[
    VALID_FROM,
    VALID_TO,
    MIN_AMOUNT,
    ColumnSpec {
        lookup: Some("product"),
        ..col(
            "product",
            t("Product", "Produk"),
            FieldKind::Reference,
            true,
        )
    },
    col(
        "quantity",
        t("Quantity", "Jumlah"),
        FieldKind::Integer,
        true,
    ),
];
const POINTS_COLUMNS: &[ColumnSpec] = &[
    VALID_FROM,
    VALID_TO,
    MIN_AMOUNT,
    col(
        "amount-per-point",
        t("Amount per Point", "Jumlah per Poin"),
        FieldKind::Money,
        true,
    ),
];
const CUSTOMER_COLUMNS: &[ColumnSpec] = &[
    col(
        "code",
        t("Customer Code", "Kode Pelanggan"),
        FieldKind::Code,
        true,
    ),
    col(
        "name",
        t("Customer Name", "Nama Pelanggan"),
        FieldKind::Text,
        true,
    ),
    col(
        "currency",
        t("Currency", "Mata Uang"),
        FieldKind::Code,
        true,
    ),
    col("active", t("Active", "Aktif"), FieldKind::Boolean, true),
];

/// Where a choice field takes its options from.
#[derive(Clone, Copy)]
enum Options {
    None,
    PeriodUnits,
    EasCodes,
}

/// One row of the field table.
struct FieldSpec {
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
    section: &'static str,
    required: bool,
    inheritable: bool,
    read_only: bool,
    immutable: bool,
    max_length: Option<usize>,
    lookup: Option<&'static str>,
    quick_create: Option<&'static str>,
    options: Options,
    columns: &'static [ColumnSpec],
}

const fn plain(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        help,
        kind,
        section,
        required: false,
        inheritable: false,
        read_only: false,
        immutable: false,
        max_length: None,
        lookup: None,
        quick_create: None,
        options: Options::None,
        columns: &[],
    }
}

/// An inheritable setting.
const fn setting(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        inheritable: true,
        ..plain(section, name, label, help, kind)
    }
}

/// An inheritable reference to the host's master data.
const fn reference(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    lookup: &'static str,
) -> FieldSpec {
    FieldSpec {
        lookup: Some(lookup),
        max_length: Some(REFERENCE_MAX),
        ..setting(section, name, label, help, FieldKind::Reference)
    }
}

const fn account(name: &'static str, label: Text, help: Text, required: bool) -> FieldSpec {
    FieldSpec {
        required,
        quick_create: Some("/form/account"),
        ..reference("accounting", name, label, help, "account")
    }
}

const fn choice(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    options: Options,
) -> FieldSpec {
    FieldSpec {
        options,
        ..setting(section, name, label, help, FieldKind::Choice)
    }
}

const fn rules(
    name: &'static str,
    label: Text,
    help: Text,
    columns: &'static [ColumnSpec],
) -> FieldSpec {
    FieldSpec {
        columns,
        ..setting("rewards", name, label, help, FieldKind::Table)
    }
}

const fn audit(name: &'static str, label: Text, help: Text, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        read_only: true,
        ..plain("audit", name, label, help, kind)
    }
}

/// The longest code of another record a setting may name.
pub const REFERENCE_MAX: usize = 40;

const INHERITS: Text = t(
    "Left blank, it is inherited from the parent group, else from the AR settings.",
    "Bila kosong, diwarisi dari kelompok induk, atau dari pengaturan piutang.",
);

const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        required: true,
        immutable: true,
        max_length: Some(CODE_MAX),
        ..plain(
            "general",
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
            "general",
            field::NAME,
            t("Group Name", "Nama Kelompok"),
            t(
                "Descriptive name shown on reports and lookups, e.g. \"VIP Customers\".",
                "Nama deskriptif yang tampil di laporan dan pencarian, mis. \"Pelanggan VIP\".",
            ),
            FieldKind::Text,
        )
    },
    FieldSpec {
        lookup: Some("customer-group"),
        max_length: Some(CODE_MAX),
        ..plain(
            "general",
            field::PARENT,
            t("Parent Group", "Kelompok Induk"),
            t(
                "The group node this group sits under; blank for a top-level group. Settings \
                 left blank are inherited from it.",
                "Node kelompok tempat kelompok ini berada; kosong untuk kelompok tingkat atas. \
                 Pengaturan yang kosong diwarisi darinya.",
            ),
            FieldKind::Reference,
        )
    },
    plain(
        "general",
        field::IS_GROUP,
        t("Group Node", "Node Kelompok"),
        t(
            "A group node holds child groups instead of customers; customers go in leaf groups.",
            "Node kelompok berisi sub-kelompok, bukan pelanggan; pelanggan masuk ke kelompok daun.",
        ),
        FieldKind::Boolean,
    ),
    plain(
        "general",
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
    FieldSpec {
        max_length: Some(3),
        ..reference(
            "general",
            field::CURRENCY,
            t("Currency", "Mata Uang"),
            t(
                "The group's currency (ISO 4217, e.g. IDR). Customers of the group must have \
                 the same currency.",
                "Mata uang kelompok (ISO 4217, mis. IDR). Pelanggan kelompok harus memakai mata \
                 uang yang sama.",
            ),
            "currency",
        )
    },
    account(
        "receivable-account",
        t("Accounts Receivable", "Piutang Usaha"),
        t(
            "GL Debtor: the receivable account on the balance sheet that invoices debit and \
             receipts credit.",
            "Akun piutang di neraca yang didebit oleh faktur dan dikredit oleh penerimaan.",
        ),
        true,
    ),
    account(
        "discount-account",
        t("GL Discount", "Akun Potongan Pelunasan"),
        t(
            "Debited with the settlement discount allowed on receipts. Invoices, credits and \
             journals do not touch it.",
            "Didebit dengan potongan pelunasan yang diberikan pada penerimaan. Faktur, nota \
             kredit dan jurnal tidak memakainya.",
        ),
        false,
    ),
    account(
        "sales-discount-account",
        t("Sales Discount", "Potongan Penjualan"),
        t(
            "Account for discounts allowed on sales.",
            "Akun untuk potongan yang diberikan atas penjualan.",
        ),
        true,
    ),
    account(
        "reward-expense-account",
        t("Reward Expense", "Beban Hadiah"),
        t(
            "Expense account for reward points and product gifts given to the group's \
             customers.",
            "Akun beban untuk poin hadiah dan produk hadiah bagi pelanggan kelompok ini.",
        ),
        true,
    ),
    account(
        "write-off-account",
        t(
            "Gain/Loss on Receivable Write-off",
            "Laba/Rugi Penghapusan Piutang",
        ),
        t(
            "Account debited (or credited) when a receivable balance is written off.",
            "Akun yang didebit (atau dikredit) saat saldo piutang dihapuskan.",
        ),
        true,
    ),
    account(
        "bank-account",
        t("Bank Account", "Rekening Bank"),
        t(
            "Default bank account for receipts from the group's customers; overrides the \
             cash book default. It need not be in the group's currency.",
            "Rekening bank bawaan untuk penerimaan dari pelanggan kelompok ini; menggantikan \
             bawaan buku kas. Tidak harus dalam mata uang kelompok.",
        ),
        false,
    ),
    reference(
        "pricing-terms",
        "price-list",
        t("Default Price List", "Daftar Harga Bawaan"),
        t(
            "Price list applied to the group's customers in sales orders and invoices.",
            "Daftar harga yang dipakai untuk pelanggan kelompok ini pada pesanan dan faktur.",
        ),
        "price-list",
    ),
    reference(
        "pricing-terms",
        "price-code",
        t("Price Code", "Kode Harga"),
        t(
            "Price code the group is invoiced from; also selects GST inclusive or exclusive \
             invoicing.",
            "Kode harga untuk faktur kelompok ini; juga menentukan faktur termasuk atau belum \
             termasuk pajak.",
        ),
        "price-code",
    ),
    reference(
        "pricing-terms",
        "payment-terms",
        t("Default Payment Terms", "Syarat Pembayaran Bawaan"),
        t(
            "Payment terms template applied to the group's customers.",
            "Templat syarat pembayaran untuk pelanggan kelompok ini.",
        ),
        "payment-terms",
    ),
    setting(
        "pricing-terms",
        field::CREDIT_LIMIT,
        t("Credit Limit", "Batas Kredit"),
        t(
            "Most a customer of the group may owe, in the group's currency.",
            "Batas piutang seorang pelanggan kelompok ini, dalam mata uang kelompok.",
        ),
        FieldKind::Money,
    ),
    setting(
        "pricing-terms",
        field::SHARED_CREDIT_LIMIT,
        t("Shared Credit Limit", "Batas Kredit Bersama"),
        t(
            "Most all customers of the group and its subgroups may owe together, in the base currency.",
            "Batas piutang seluruh pelanggan kelompok ini beserta subkelompoknya bersama-sama, dalam mata uang dasar.",
        ),
        FieldKind::Money,
    ),
    setting(
        "pricing-terms",
        field::DUE_COUNT,
        t("Due Count", "Jumlah Jatuh Tempo"),
        t(
            "How many due units after the invoice date an invoice falls due.",
            "Berapa satuan waktu setelah tanggal faktur sebuah faktur jatuh tempo.",
        ),
        FieldKind::Integer,
    ),
    choice(
        "pricing-terms",
        "due-unit",
        t("Due Unit", "Satuan Jatuh Tempo"),
        t(
            "The unit of the due timeframe.",
            "Satuan waktu jatuh tempo.",
        ),
        Options::PeriodUnits,
    ),
    setting(
        "pricing-terms",
        field::DUE_DAY,
        t("Due Day", "Tanggal Jatuh Tempo"),
        t(
            "When the due unit is months: the day of the month (31 = last day).",
            "Bila satuannya bulan: tanggal dalam bulan (31 = hari terakhir).",
        ),
        FieldKind::Integer,
    ),
    setting(
        "pricing-terms",
        field::STATEMENT_COUNT,
        t("Statement Count", "Jumlah Laporan Tagihan"),
        t(
            "The number of statements for the group, 1 to 12.",
            "Jumlah laporan tagihan untuk kelompok ini, 1 sampai 12.",
        ),
        FieldKind::Integer,
    ),
    choice(
        "pricing-terms",
        "statement-aging",
        t("Statement Aging", "Umur Laporan Tagihan"),
        t(
            "The timeframe statements age balances by.",
            "Satuan waktu untuk pengelompokan umur saldo pada laporan tagihan.",
        ),
        Options::PeriodUnits,
    ),
    reference(
        "tax",
        "tax-regime",
        t("Tax Regime", "Rezim Pajak"),
        t("The group's tax regime.", "Rezim pajak kelompok ini."),
        "tax-regime",
    ),
    reference(
        "tax",
        "gst-override",
        t("GST Override", "Pengganti Kode Pajak"),
        t(
            "A tax code used for every invoice line of the group, e.g. zero-rated for export \
             customers. In most cases, leave clear.",
            "Kode pajak untuk setiap baris faktur kelompok ini, mis. tarif nol untuk pelanggan \
             ekspor. Umumnya dikosongkan.",
        ),
        "tax-code",
    ),
    choice(
        "tax",
        field::PEPPOL_EAS,
        t("Peppol EAS Code", "Kode EAS Peppol"),
        t(
            "Peppol Electronic Address Scheme of the customers' e-invoicing ids, e.g. 0088 (GLN).",
            "Skema alamat elektronik Peppol untuk id e-faktur pelanggan, mis. 0088 (GLN).",
        ),
        Options::EasCodes,
    ),
    setting(
        "rewards",
        field::PAYMENT_DISCOUNT,
        t("Payment Discount %", "Potongan Pembayaran %"),
        t(
            "Prompt payment discount for paying within the discount period.",
            "Potongan bila membayar dalam periode potongan.",
        ),
        FieldKind::Percent,
    ),
    setting(
        "rewards",
        field::DISCOUNT_COUNT,
        t("Discount Count", "Jumlah Periode Potongan"),
        t(
            "How many units the prompt payment discount period lasts.",
            "Berapa satuan waktu periode potongan pembayaran berlaku.",
        ),
        FieldKind::Integer,
    ),
    choice(
        "rewards",
        "discount-unit",
        t("Discount Unit", "Satuan Periode Potongan"),
        t(
            "The unit of the prompt payment discount period.",
            "Satuan waktu periode potongan pembayaran.",
        ),
        Options::PeriodUnits,
    ),
    setting(
        "rewards",
        field::DISCOUNT_DAY,
        t("Discount Day", "Tanggal Potongan"),
        t(
            "When the discount unit is months: the day of the month.",
            "Bila satuannya bulan: tanggal dalam bulan.",
        ),
        FieldKind::Integer,
    ),
    rules(
        "sales-discount-rules",
        t("Sales Discount Rules", "Aturan Potongan Penjualan"),
        t(
            "Percent off an invoice from a minimum amount, while valid. Rows with the same \
             minimum may not overlap in time.",
            "Potongan persen atas faktur mulai jumlah minimum, selama berlaku. Baris dengan \
             minimum yang sama tidak boleh tumpang tindih waktunya.",
        ),
        SALES_DISCOUNT_COLUMNS,
    ),
    rules(
        "payment-discount-rules",
        t("Payment Discount Rules", "Aturan Potongan Pembayaran"),
        t(
            "Tiered settlement discounts: e.g. 3% when paid within 7 days, 2% within 14.",
            "Potongan pelunasan bertingkat: mis. 3% bila dibayar dalam 7 hari, 2% dalam 14 hari.",
        ),
        PAYMENT_DISCOUNT_COLUMNS,
    ),
    rules(
        "product-gift-rules",
        t("Product Gift Rules", "Aturan Hadiah Produk"),
        t(
            "A product given free with an invoice from a minimum amount.",
            "Produk gratis untuk faktur mulai jumlah minimum.",
        ),
        PRODUCT_GIFT_COLUMNS,
    ),
    rules(
        "points-rules",
        t("Points Rules", "Aturan Poin"),
        t(
            "Reward points earned per amount spent, from a minimum invoice amount.",
            "Poin hadiah per jumlah belanja, mulai jumlah faktur minimum.",
        ),
        POINTS_COLUMNS,
    ),
    FieldSpec {
        read_only: true,
        lookup: Some("customer"),
        columns: CUSTOMER_COLUMNS,
        ..plain(
            "customers",
            "customers",
            t("Customers", "Pelanggan"),
            t(
                "The customers in this group. Move them with Reassign.",
                "Pelanggan dalam kelompok ini. Pindahkan dengan Pindahkan Pelanggan.",
            ),
            FieldKind::Table,
        )
    },
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

/// List columns: (field, caption, shown by default).
const LIST_COLUMNS: [(&str, Text, bool); 11] = [
    ("row-number", t("No.", "No."), true),
    (field::CODE, t("Group Code", "Kode Kelompok"), true),
    (field::NAME, t("Group Name", "Nama Kelompok"), true),
    (field::PARENT, t("Parent Group", "Kelompok Induk"), false),
    (field::IS_GROUP, t("Group Node", "Node Kelompok"), false),
    (field::CURRENCY, t("Currency", "Mata Uang"), false),
    (
        "receivable-account",
        t("Accounts Receivable", "Piutang Usaha"),
        false,
    ),
    (
        "price-list",
        t("Default Price List", "Daftar Harga Bawaan"),
        false,
    ),
    (
        field::CREDIT_LIMIT,
        t("Credit Limit", "Batas Kredit"),
        false,
    ),
    (field::INACTIVE, t("Inactive", "Tidak Aktif"), false),
    ("updated-at", t("Last Updated", "Terakhir Diubah"), false),
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

const ACTIONS: &[(&str, Text, Text)] = &[
    (
        "new",
        t("New", "Baru"),
        t(
            "Create a new customer group.",
            "Buat kelompok pelanggan baru.",
        ),
    ),
    (
        "add-child",
        t("Add Child", "Tambah Sub-kelompok"),
        t(
            "Create a group under the selected group node.",
            "Buat kelompok di bawah node kelompok yang dipilih.",
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
            "Delete the group: only when it has no customers, no transactions and no child \
             groups. Group 0000 cannot be deleted.",
            "Hapus kelompok: hanya bila tidak memiliki pelanggan, transaksi, dan sub-kelompok. \
             Kelompok 0000 tidak dapat dihapus.",
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
        "filter-sort",
        t("Filter / Sort List", "Saring / Urutkan Daftar"),
        t(
            "Filter the list (by parent, with its descendants) and sort it by any column.",
            "Saring daftar (menurut induk, beserta turunannya) dan urutkan menurut kolom mana pun.",
        ),
    ),
    (
        "customise",
        t("Customise", "Sesuaikan"),
        t(
            "Choose the columns the list shows.",
            "Pilih kolom yang ditampilkan daftar.",
        ),
    ),
    (
        "print",
        t("Print", "Cetak"),
        t(
            "Export the list as CSV or as a printable report.",
            "Ekspor daftar sebagai CSV atau laporan siap cetak.",
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
    (
        "default-gl-accounts",
        t("Default GL Accounts", "Akun GL Bawaan"),
        t(
            "Set the group's accounts to the AR settings defaults. Blank defaults never \
             overwrite an account.",
            "Isi akun kelompok dengan akun bawaan pengaturan piutang. Bawaan yang kosong tidak \
             menimpa akun.",
        ),
    ),
    (
        "apply-default-terms",
        t("Apply Default Terms", "Terapkan Syarat Bawaan"),
        t(
            "Update payment terms, discount terms, statement aging and price code of the \
             group's customers to the group's, after a preview.",
            "Perbarui syarat pembayaran, syarat potongan, umur laporan tagihan dan kode harga \
             pelanggan kelompok ini sesuai kelompok, setelah pratinjau.",
        ),
    ),
    (
        "reassign",
        t("Reassign Customers", "Pindahkan Pelanggan"),
        t(
            "Move every customer of the group to another group, e.g. before making it inactive.",
            "Pindahkan semua pelanggan kelompok ini ke kelompok lain, mis. sebelum dinonaktifkan.",
        ),
    ),
];

fn options(options: Options, locale: Locale) -> Vec<Choice> {
    match options {
        Options::None => Vec::new(),
        Options::PeriodUnits => PERIOD_UNITS
            .iter()
            .map(|(value, label)| Choice {
                value: (*value).to_owned(),
                label: label.get(locale).to_owned(),
            })
            .collect(),
        Options::EasCodes => crate::eas::CODES
            .iter()
            .map(|(code, scheme)| Choice {
                value: (*code).to_owned(),
                label: format!("{code} {scheme}"),
            })
            .collect(),
    }
}

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
            .map(|(field, text, visible)| ListColumn {
                field: (*field).to_owned(),
                label: s(text),
                default_visible: *visible,
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
                help: if f.inheritable {
                    format!("{} {}", s(&f.help), s(&INHERITS))
                } else {
                    s(&f.help)
                },
                kind: f.kind,
                section: f.section.to_owned(),
                required: f.required,
                inheritable: f.inheritable,
                read_only: f.read_only,
                immutable: f.immutable,
                max_length: f.max_length.map(|n| n as u32),
                lookup: f.lookup.map(str::to_owned),
                quick_create: f.quick_create.map(str::to_owned),
                options: options(f.options, locale),
                columns: f
                    .columns
                    .iter()
                    .map(|c| Column {
                        name: c.name.to_owned(),
                        label: s(&c.label),
                        kind: c.kind,
                        required: c.required,
                        options: Vec::new(),
                        lookup: c.lookup.map(str::to_owned),
                    })
                    .collect(),
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
        let accounts: Vec<_> = form
            .fields
            .iter()
            .filter(|f| f.lookup.as_deref() == Some("account"))
            .collect();
        assert_eq!(accounts.len(), 6);
        assert!(
            accounts
                .iter()
                .all(|f| f.quick_create.as_deref() == Some("/form/account"))
        );
        let required: Vec<_> = accounts
            .iter()
            .filter(|f| f.required)
            .map(|f| &f.name)
            .collect();
        assert_eq!(
            required,
            [
                "receivable-account",
                "sales-discount-account",
                "reward-expense-account",
                "write-off-account"
            ]
        );
    }
}
