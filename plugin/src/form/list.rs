//! The list view (its columns, search keys and match modes) and the
//! toolbar's actions.

use crate::bindings::exports::erp::customer_group::form::MatchMode;
use crate::i18n::{Text, t};

use super::field;

/// List columns: (field, caption, shown by default).
pub(super) const LIST_COLUMNS: [(&str, Text, bool); 11] = [
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

pub(super) const SEARCH_KEYS: [&str; 2] = [field::CODE, field::NAME];

pub(super) const MATCH_MODES: [(MatchMode, Text); 3] = [
    (
        MatchMode::AnyPart,
        t("Any Part of Field", "Bagian Mana Saja dari Isian"),
    ),
    (MatchMode::Start, t("Start of Field", "Awal Isian")),
    (MatchMode::Exact, t("Exact", "Sama Persis")),
];

pub(super) const ACTIONS: &[(&str, Text, Text)] = &[
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
