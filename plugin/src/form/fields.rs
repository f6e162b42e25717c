//! The field table: every field of the form, in order, with its section,
//! kind, captions and help in every locale; and the rule tables' columns.

use crate::bindings::exports::erp::customer_group::form::{FieldKind, FieldRight};
use crate::i18n::{Text, t};

use super::field;
use super::spec::{
    ColumnSpec, FieldSpec, Options, account, audit, choice, col, needing, per_company, plain,
    reference, rules, setting,
};
use super::{CODE_MAX, NAME_MAX};

pub(super) const VALID_FROM: ColumnSpec = col(
    "valid-from",
    t("Valid From", "Berlaku Dari"),
    FieldKind::Date,
    true,
);
pub(super) const VALID_TO: ColumnSpec = col(
    "valid-to",
    t("Valid To", "Berlaku Sampai"),
    FieldKind::Date,
    false,
);
pub(super) const MIN_AMOUNT: ColumnSpec = col(
    "min-amount",
    t("Minimum Amount", "Jumlah Minimum"),
    FieldKind::Money,
    true,
);
pub(super) const PERCENT: ColumnSpec = col(
    "percent",
    t("Discount %", "Potongan %"),
    FieldKind::Percent,
    true,
);

pub(super) const SALES_DISCOUNT_COLUMNS: &[ColumnSpec] =
    &[VALID_FROM, VALID_TO, MIN_AMOUNT, PERCENT];
pub(super) const PAYMENT_DISCOUNT_COLUMNS: &[ColumnSpec] = &[
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
pub(super) const PRODUCT_GIFT_COLUMNS: &[ColumnSpec] = &[
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
pub(super) const POINTS_COLUMNS: &[ColumnSpec] = &[
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
pub(super) const CUSTOMER_COLUMNS: &[ColumnSpec] = &[
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

pub(super) const INHERITS: Text = t(
    "Left blank, it is inherited from the parent group, else from the AR settings.",
    "Bila kosong, diwarisi dari kelompok induk, atau dari pengaturan piutang.",
);

pub(super) const FIELDS: &[FieldSpec] = &[
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
    needing(
        FieldRight::Accounting,
        per_company(setting(
            "pricing-terms",
            field::CREDIT_LIMIT,
            t("Credit Limit", "Batas Kredit"),
            t(
                "Most a customer of the group may owe, in the group's currency.",
                "Batas piutang seorang pelanggan kelompok ini, dalam mata uang kelompok.",
            ),
            FieldKind::Money,
        )),
    ),
    needing(
        FieldRight::Accounting,
        per_company(setting(
            "pricing-terms",
            field::SHARED_CREDIT_LIMIT,
            t("Shared Credit Limit", "Batas Kredit Bersama"),
            t(
                "Most all customers of the group and its subgroups may owe together, in the base currency.",
                "Batas piutang seluruh pelanggan kelompok ini beserta subkelompoknya bersama-sama, dalam mata uang dasar.",
            ),
            FieldKind::Money,
        )),
    ),
    needing(
        FieldRight::CreditControl,
        per_company(setting(
            "pricing-terms",
            field::BYPASS_CREDIT_CHECK,
            t("Bypass Credit Check", "Lewati Pemeriksaan Kredit"),
            t(
                "Yes: an invoice that goes past a credit limit is entered with a warning instead of \
                 refused. Unset everywhere: no.",
                "Ya: faktur yang melewati batas kredit tetap dicatat dengan peringatan, tidak \
                 ditolak. Bila tidak diatur di mana pun: tidak.",
            ),
            FieldKind::Boolean,
        )),
    ),
    needing(
        FieldRight::Accounting,
        per_company(setting(
            "pricing-terms",
            field::CREDIT_COUNTS_UNPOSTED,
            t(
                "Count Unposted Transactions",
                "Hitung Transaksi Belum Diposting",
            ),
            t(
                "Yes: what a customer owes, against its credit limits, includes transactions not \
                 yet posted. No: posted transactions only. Unset everywhere: yes.",
                "Ya: utang pelanggan, terhadap batas kreditnya, mencakup transaksi yang belum \
                 diposting. Tidak: hanya transaksi yang sudah diposting. Bila tidak diatur di mana \
                 pun: ya.",
            ),
            FieldKind::Boolean,
        )),
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
