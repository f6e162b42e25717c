//! The keys a group table may hold come from the plugin's form definition:
//! the host's field table (where each value goes in the group record),
//! which the daemon reads through, is checked against the bundled plugin's
//! form, so that a field added to the plugin without a place there fails
//! here, and a file using such a field is refused rather than read and
//! dropped.

use std::path::PathBuf;

use daemon::config::GROUP_KEYS;
use daemon::parse::parse_with;
use daemon::parse::schema::Schema;
use host_harness::fields;
use host_harness::wit::{Column, FieldKind, FormDefinition};
use host_harness::{Admin, Db, PLUGIN_WASM, admin};

/// The bundled plugin's form definition, as the daemon asks for it.
fn form() -> FormDefinition {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("erp.sqlite")).expect("db");
    admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
    let admin = Admin::open(db).expect("admin");
    admin
        .plugin()
        .form(admin.db().facts(), "en")
        .expect("form definition")
}

#[test]
fn every_field_of_the_form_has_a_place_and_the_table_has_nothing_else() {
    let form = form();
    let schema = Schema::from_form(&form);
    assert_eq!(
        schema.unplaced(),
        Vec::<String>::new(),
        "fields of the plugin's form the daemon cannot write: give them a place in \
         host-harness/src/fields/table.rs"
    );
    assert_eq!(fields::check(&form), Vec::<String>::new());
    let editable: Vec<&str> = form
        .fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| f.name.as_str())
        .collect();
    let table: Vec<&str> = fields::all().iter().map(|f| f.name).collect();
    assert_eq!(table, editable, "the field table is the form's, in order");
    assert_eq!(&GROUP_KEYS[..2], ["code", "name"]);
    for field in form.fields.iter().filter(|f| !f.read_only) {
        let ours = fields::find(&field.name).expect("placed");
        assert!(
            ours.shape.form_kinds().contains(&field.kind),
            "`{}` is a {} field in the form; the daemon reads it as {:?}",
            field.name,
            field.kind.as_str(),
            ours.shape
        );
        let key = schema.key(&field.name).expect("accepted");
        let columns: Vec<&str> = field.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(key.columns.names(), columns, "columns of `{}`", field.name);
    }
    // The form's keys are the daemon's own table's, `adopt` included.
    let builtin = Schema::builtin();
    let mut ours = builtin.names();
    let mut theirs = schema.names();
    ours.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ours, theirs);
}

/// `text` as one file `g.toml`, parsed with `schema`: the errors' messages.
fn errors(schema: Schema, text: &str) -> Vec<String> {
    let files = vec![(PathBuf::from("g.toml"), text.as_bytes().to_vec())];
    match parse_with(files, schema) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
            .collect(),
    }
}

#[test]
fn the_installed_plugin_s_form_decides_which_keys_a_file_may_hold() {
    let group = "[[group]]\ncode = \"G1\"\nname = \"G\"\n";
    // A field the form has and the daemon cannot place: refused at its key.
    let mut newer = form();
    let mut field = newer
        .fields
        .iter()
        .find(|f| f.name == "price-code")
        .expect("price-code")
        .clone();
    field.name = "loyalty-tier".into();
    newer.fields.push(field);
    let table = newer
        .fields
        .iter_mut()
        .find(|f| f.kind == FieldKind::Table && !f.read_only)
        .expect("a rule table");
    let mut column: Column = table.columns[0].clone();
    column.name = "channel".into();
    table.columns.push(column);
    let table = table.name.clone();
    let found = errors(
        Schema::from_form(&newer),
        &format!(
            "{group}loyalty-tier = \"GOLD\"\n{table} = [ {{ channel = \"web\", valid-from = 2026-01-01 }} ]\n"
        ),
    );
    assert!(
        found.iter().any(|e| e.starts_with("4:1: ")
            && e.contains("field `loyalty-tier` that this erp-sync cannot write")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|e| e.contains(&format!("column `channel` in `{table}`"))),
        "{found:#?}"
    );
    // A field the daemon knows and the installed plugin's form does not
    // have: an unknown key.
    let mut older = form();
    older.fields.retain(|f| f.name != "peppol-eas");
    let found = errors(
        Schema::from_form(&older),
        &format!("{group}peppol-eas = \"0088\"\n"),
    );
    assert_eq!(found, ["4:1: unknown key `peppol-eas`"], "{found:#?}");
    // The bundled plugin's form: every key of the README's example reads.
    let readme = include_str!("../../README.md");
    let example: String = readme
        .lines()
        .skip_while(|l| *l != "```toml")
        .skip(1)
        .take_while(|l| *l != "```")
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(example.contains("points-rules"), "{example}");
    assert_eq!(
        errors(Schema::from_form(&form()), &example),
        Vec::<String>::new()
    );
}
