//! The host's messages about companies (issue 14, part 5): which company a
//! record is in, and what is kept per company.

use super::Locale;
use crate::i18n::msg;

catalogue! {
    /// A transaction entered for one company names another's customer.
    other_companys_customer(code: &str, theirs: &str, here: &str) =>
        "customer: {code} is a customer of company {theirs}, not {here} (give --company {theirs})",
        "customer: {code} adalah pelanggan perusahaan {theirs}, bukan {here} (berikan --company {theirs})";
    /// An account of another company's chart.
    other_companys_account(code: &str, theirs: &str, here: &str) =>
        "account {code} is in the chart of company {theirs}, not {here}",
        "akun {code} ada dalam bagan akun perusahaan {theirs}, bukan {here}";
    /// A group's settings for the default company are its own.
    default_company_settings(company: &str) =>
        "{company} is the default company: a group's settings for it are the group's own (edit them without --company)",
        "{company} adalah perusahaan bawaan: pengaturan kelompok untuknya adalah pengaturan kelompok itu sendiri (ubah tanpa --company)";
    /// A plugin too old to keep settings per company.
    no_company_settings(version: &str) =>
        "the installed plugin (contract {version}) keeps no settings per company; install a plugin built against 0.8.0 or later",
        "plugin terpasang (kontrak {version}) tidak menyimpan pengaturan per perusahaan; pasang plugin yang dibuat untuk 0.8.0 atau lebih baru";
    /// A file sets a group's values for the default company per company.
    file_default_company(company: &str) =>
        "{company} is the default company: set its values among the group's own keys",
        "{company} adalah perusahaan bawaan: tetapkan nilainya di antara kunci kelompok itu sendiri";
    /// A file names a company the host does not have.
    file_no_such_company(company: &str) =>
        "there is no company {company}: create it first with `erp-host company new --code {company} --name ...`",
        "tidak ada perusahaan {company}: buat dulu dengan `erp-host company new --code {company} --name ...`";
    /// A field that is the same for every company, given with --company.
    not_per_company(field: &str, company: &str) =>
        "--{field} is the same for every company: give it without --company {company}",
        "--{field} sama untuk semua perusahaan: berikan tanpa --company {company}";
}

catalogue! {
    /// `company new` done.
    company_created(code: &str, name: &str) =>
        "created company {code} ({name})",
        "perusahaan {code} ({name}) dibuat";
    /// A company's ledger settings set (the console's companies page).
    company_ledger_set(code: &str) =>
        "the ledger of company {code} is set",
        "buku besar perusahaan {code} sudah diatur";
    /// `company rename` done.
    company_renamed(code: &str, name: &str) =>
        "company {code} is now called {name}",
        "perusahaan {code} sekarang bernama {name}";
    /// A column: a company's base currency.
    column_base_currency() => "Base", "Dasar";
    /// A column: a company's rounding account.
    column_rounding_account() => "Rounding account", "Akun pembulatan";
    /// A column: a company.
    column_company() => "Company", "Perusahaan";
    /// Marks the default company.
    default_word() => "default", "bawaan";
    /// `group show --company`: what the group sets for the company.
    set_for_company(company: &str) =>
        "set for company {company}:",
        "ditetapkan untuk perusahaan {company}:";
    /// `group edit --company` done.
    saved_company_settings(code: &str, company: &str) =>
        "saved group {code}'s settings for company {company}",
        "pengaturan kelompok {code} untuk perusahaan {company} disimpan";
}

catalogue! {
    /// A consolidation rate given twice.
    rate_given_twice(currency: &str) =>
        "a rate for {currency} is given twice: give each currency's rate once",
        "kurs untuk {currency} diberikan dua kali: berikan kurs tiap mata uang sekali saja";
    /// A consolidation rate that converts nothing.
    rate_not_used(currency: &str, report: &str) =>
        "a rate for {currency} converts nothing: no company of the report keeps its books in {currency} other than the report's currency {report}",
        "kurs untuk {currency} tidak mengonversi apa pun: tidak ada perusahaan dalam laporan yang berbuku dalam {currency} selain mata uang laporan {report}";
    /// A company whose base currency is not set.
    company_without_base(company: &str) =>
        "company {company} has no base currency; set it with `erp-host gl settings set --company {company} --base-currency CODE`",
        "perusahaan {company} belum memiliki mata uang dasar; tetapkan dengan `erp-host gl settings set --company {company} --base-currency KODE`";
    /// A consolidated report needs a rate.
    consolidation_needs_rate(company: &str, base: &str, target: &str) =>
        "company {company} keeps its books in {base}: give --rate {base}=R, how many {target} one {base} is",
        "perusahaan {company} mencatat dalam {base}: berikan --rate {base}=R, berapa {target} untuk satu {base}";
}
