//! What `erp-sync` says of the configuration files it reads: the problems
//! of a file's TOML, its tables, keys and values (the plugin's judgement of
//! a group is the plugin's own words).

use super::Locale;
use crate::i18n::msg;

catalogue! {
    /// A key no table of this kind has.
    file_unknown_key(name: &str) =>
        "unknown key `{name}`",
        "kunci `{name}` tidak dikenal";
    /// The allowed key closest to an unknown one.
    file_did_you_mean(close: &str) =>
        "did you mean `{close}`?",
        "maksud Anda `{close}`?";
    /// Every key a table may hold.
    file_keys_are(what: &str, keys: &str) =>
        "{what} keys are: {keys}",
        "kunci {what}: {keys}";
    /// The kind of table: the file's top level.
    file_top_level() => "top-level", "tingkat atas";
    /// The kind of table: a group.
    file_group_table() => "group", "kelompok";
    /// The kind of table: a group's settings for a company.
    file_company_table(code: &str) => "company {code}", "perusahaan {code}";
    /// The kind of table: a row of a rule table.
    file_row_table(table: &str) => "`{table}` row", "baris `{table}`";
    /// A file that is not UTF-8.
    file_not_utf8() =>
        "the file is not valid UTF-8",
        "berkas ini bukan UTF-8 yang sah";
    /// A file that is not TOML; the parser's own words follow.
    file_invalid_toml(detail: &str) =>
        "invalid TOML: {detail}",
        "TOML tidak sah: {detail}";
    /// One group in two declarations.
    file_declared_twice(code: &str) =>
        "group {code} is declared twice",
        "kelompok {code} dideklarasikan dua kali";
    /// Where the other declaration is.
    file_also_declared_at(file: &str, line: usize, column: usize) =>
        "it is also declared at {file}:{line}:{column}; keep one",
        "juga dideklarasikan di {file}:{line}:{column}; pertahankan satu";
    /// `[[group]]` holding something that is not a table.
    file_group_not_table() =>
        "each group must be a table",
        "setiap kelompok harus berupa tabel";
    /// `group` that is not an array of tables.
    file_group_not_array() =>
        "`group` must be an array of tables",
        "`group` harus berupa larik tabel";
    /// How to write groups.
    file_group_array_help() =>
        "write each group as a [[group]] section",
        "tulis setiap kelompok sebagai bagian [[group]]";
    /// A field of a newer form this host cannot place.
    file_unplaced(name: &str) =>
        "the plugin's form has a field `{name}` that this erp-sync cannot write yet (it does not know where it goes in the group record)",
        "formulir plugin memiliki kolom `{name}` yang belum dapat ditulis erp-sync ini (ia tidak tahu letaknya dalam catatan kelompok)";
    /// What to do about it.
    file_unplaced_help() =>
        "leave it out, or update erp-sync",
        "hilangkan, atau perbarui erp-sync";
    /// A group without a required key.
    file_missing_key(name: &str) =>
        "this group has no `{name}`",
        "kelompok ini tidak memiliki `{name}`";
    /// How to add it.
    file_missing_key_help(name: &str) =>
        "add {name} = \"...\"",
        "tambahkan {name} = \"...\"";
    /// How to write a group.
    file_group_sections_help() =>
        "write [[group]] sections",
        "tulis bagian [[group]]";
    /// `company` that is not a table.
    file_companies_not_table() =>
        "`company` must be a table of companies",
        "`company` harus berupa tabel perusahaan";
    /// How to write a company's table.
    file_companies_help() =>
        "write a [group.company.BETA] section after the group's",
        "tulis bagian [group.company.BETA] setelah bagian kelompoknya";
    /// A key of `company` that is no company code.
    file_not_company_code(key: &str) =>
        "`{key}` is not a company code",
        "`{key}` bukan kode perusahaan";
    /// What a company code is.
    file_company_code_help() =>
        "a company code is 1 to 8 letters A-Z and digits",
        "kode perusahaan terdiri dari 1 sampai 8 huruf A-Z dan angka";
    /// One company twice in a group.
    file_company_twice(code: &str) =>
        "company {code} is given twice in this group",
        "perusahaan {code} diberikan dua kali dalam kelompok ini";
    /// Keep one.
    file_company_twice_help() =>
        "keep one table per company",
        "pertahankan satu tabel per perusahaan";
    /// A company's settings that are not a table.
    file_company_not_table(code: &str) =>
        "company {code}'s settings must be a table",
        "pengaturan perusahaan {code} harus berupa tabel";
    /// How to write them.
    file_company_not_table_help(code: &str) =>
        "write [group.company.{code}] and its fields beneath it",
        "tulis [group.company.{code}] dan kolom-kolomnya di bawahnya";
    /// A key that is the same in every company, in a company's table.
    file_same_in_every_company(key: &str) =>
        "`{key}` is the same in every company",
        "`{key}` sama di semua perusahaan";
    /// Where it goes instead, and what is per company.
    file_same_in_every_company_help(names: &str) =>
        "set it among the group's own keys; per company: {names}",
        "tetapkan di antara kunci kelompok itu sendiri; per perusahaan: {names}";
    /// Where it goes instead, under a plugin that keeps nothing per company.
    file_nothing_per_company_help() =>
        "set it among the group's own keys; the installed plugin keeps nothing per company",
        "tetapkan di antara kunci kelompok itu sendiri; plugin terpasang tidak menyimpan apa pun per perusahaan";
    /// A rule table that is not an array of tables.
    file_rows_not_array(table: &str) =>
        "`{table}` must be an array of tables",
        "`{table}` harus berupa larik tabel";
    /// How to write a rule table.
    file_rows_example(table: &str, first: &str) =>
        "e.g. {table} = [ {{ {first} = ... }} ]",
        "mis. {table} = [ {{ {first} = ... }} ]";
    /// A column of a newer form this host cannot place.
    file_unplaced_column(name: &str, table: &str) =>
        "the plugin's form has a column `{name}` in `{table}` that this erp-sync cannot write yet; leave it out or update erp-sync",
        "formulir plugin memiliki kolom `{name}` di `{table}` yang belum dapat ditulis erp-sync ini; hilangkan atau perbarui erp-sync";
    /// A row that is not a table.
    file_row_not_table(row: usize, table: &str) =>
        "row {row} of `{table}` must be a table",
        "baris {row} dari `{table}` harus berupa tabel";
    /// A row without a required column.
    file_row_missing(table: &str, column: &str) =>
        "this `{table}` row has no `{column}`",
        "baris `{table}` ini tidak memiliki `{column}`";
    /// A value of the wrong kind: text wanted.
    file_expected_string(found: &str) =>
        "expected a string, found {found}",
        "seharusnya teks, ternyata {found}";
    /// A value of the wrong kind: a boolean wanted.
    file_expected_bool(found: &str) =>
        "expected true or false, found {found}",
        "seharusnya true atau false, ternyata {found}";
    /// A value of the wrong kind: a whole number wanted.
    file_expected_integer(found: &str) =>
        "expected a whole number, found {found}",
        "seharusnya bilangan bulat, ternyata {found}";
    /// A whole number too large.
    file_out_of_range() =>
        "the number is out of range",
        "angka di luar jangkauan";
    /// A value of the wrong kind: a number wanted.
    file_expected_number(found: &str) =>
        "expected a number, found {found}",
        "seharusnya angka, ternyata {found}";
    /// A period unit that is none.
    file_not_a_unit(text: &str) =>
        "{text:?} is not a unit",
        "{text:?} bukan satuan";
    /// The units.
    file_units_help() =>
        "use days, weeks or months",
        "gunakan days, weeks atau months";
    /// A value of the wrong kind: a date wanted.
    file_expected_date(found: &str) =>
        "expected a date (2026-01-31), found {found}",
        "seharusnya tanggal (2026-01-31), ternyata {found}";
    /// A rule table inside a rule table.
    file_table_in_cell() =>
        "a rule table cannot be a cell",
        "tabel aturan tidak bisa menjadi sel";
    /// What a value was: text.
    file_found_string() => "a string", "teks";
    /// What a value was: an integer.
    file_found_integer() => "an integer", "bilangan bulat";
    /// What a value was: a float.
    file_found_float() => "a float", "bilangan pecahan";
    /// What a value was: a boolean.
    file_found_boolean() => "a boolean", "boolean";
    /// What a value was: a date-time.
    file_found_datetime() => "a date-time", "tanggal-waktu";
    /// What a value was: an array.
    file_found_array() => "an array", "larik";
    /// What a value was: a table.
    file_found_table() => "a table", "tabel";
    /// The configuration directory cannot be opened.
    file_cannot_open_dir(error: &str) =>
        "cannot open the configuration directory: {error}",
        "direktori konfigurasi tidak dapat dibuka: {error}";
    /// What the first read of a directory was: the configuration directory.
    file_the_dir_itself() =>
        "the configuration directory itself",
        "direktori konfigurasi itu sendiri";
    /// A directory that cannot be read.
    file_cannot_read_dir(error: &str) =>
        "cannot read directory: {error}",
        "direktori tidak dapat dibaca: {error}";
    /// A link out of the directory.
    file_link_outside() =>
        "a symbolic link leads outside the configuration directory; refused",
        "tautan simbolik mengarah ke luar direktori konfigurasi; ditolak";
    /// A directory read twice through a link.
    file_same_dir(first: &str) =>
        "the same directory as {first}, already read (through a symbolic link); refused",
        "direktori yang sama dengan {first}, sudah dibaca (melalui tautan simbolik); ditolak";
    /// A pipe or a device.
    file_not_regular() =>
        "not a regular file (a named pipe or a device?); refused",
        "bukan berkas biasa (pipa bernama atau perangkat?); ditolak";
    /// A file too large.
    file_too_large(bytes: u64, most: u64) =>
        "the file has {bytes} bytes; at most {most} are read",
        "berkas ini berukuran {bytes} bita; paling banyak {most} yang dibaca";
    /// A file that grew too large while read.
    file_grew_too_large(most: u64) =>
        "the file has over {most} bytes; at most that many are read",
        "berkas ini berukuran lebih dari {most} bita; paling banyak sebanyak itu yang dibaca";
    /// A file that cannot be read.
    file_cannot_read(error: &str) =>
        "cannot read: {error}",
        "tidak dapat dibaca: {error}";
}
