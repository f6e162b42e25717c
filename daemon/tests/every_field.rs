//! Every field of the bundled plugin's form, through every way into and out
//! of the host, with nothing listed by hand: the fields come from the
//! plugin's form definition, their values from the form's metadata (kind,
//! lookup, choices, columns) and the store's data, kept where the plugin
//! accepts them; the host's field table says where each goes. Each field
//! must be accepted by `erp-host group new` and `group edit` (the CLI
//! entry), by `settings set` where it is a setting, by a `[[group]]` table
//! of `erp-sync` (the real binary), printed by `group show` under its
//! label, and read back from the store as written (under its form name in
//! the stored JSON). A field of the form the host's table does not know
//! fails here.

use std::path::{Path, PathBuf};
use std::process::Command;

use host_harness::cli::options::{Which, args_for, offers};
use host_harness::fields::{self, Field, Shape, Value};
use host_harness::units::{money_text, percent_text};
use host_harness::wit::{
    Change, CustomerGroup, Field as FormField, FieldKind, FormDefinition, PeriodUnit,
    ReferenceKind, Severity,
};
use host_harness::{Actor, Admin, Db, PLUGIN_WASM, admin, sample};

struct Host {
    dir: tempfile::TempDir,
}

impl Host {
    /// The sample company, the bundled plugin and the sample groups.
    fn new() -> Self {
        let host = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let db = host.db();
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        let admin = Admin::open(db).expect("admin");
        let actor = Actor {
            user: "test".into(),
            locale: "en".into(),
            via: host_harness::actor::Via::Cli,
        };
        for group in sample::groups() {
            admin.create_group(group, &actor).expect("sample group");
        }
        host
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn db(&self) -> Db {
        Db::open(&self.path()).expect("db")
    }

    fn admin(&self) -> Admin {
        Admin::open(self.db()).expect("admin")
    }

    /// `erp-host --db <this> ARGS` through the CLI's entry: (exit code, stdout + stderr).
    fn erp_host(&self, args: &[String]) -> (u8, String) {
        let mut argv = vec![
            "erp-host".to_owned(),
            "--db".to_owned(),
            self.path().display().to_string(),
        ];
        argv.extend(args.iter().cloned());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = host_harness::cli::main_with(argv, &mut out, &mut err);
        out.extend(err);
        (code, String::from_utf8_lossy(&out).into_owned())
    }

    fn stored(&self, code: &str) -> CustomerGroup {
        self.db()
            .group(code)
            .expect("read")
            .unwrap_or_else(|| panic!("group {code} is stored"))
            .group
    }
}

/// The fields of the form a user fills in, each with its place in the
/// host's table: a field the table lacks fails the test here.
fn editable(form: &FormDefinition) -> Vec<(&FormField, &'static Field)> {
    form.fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| {
            let ours = fields::find(&f.name).unwrap_or_else(|| {
                panic!(
                    "the form's field `{}` ({}) has no place in the host's field table \
                     (host-harness/src/fields/table.rs)",
                    f.name,
                    f.kind.as_str()
                )
            });
            (f, ours)
        })
        .collect()
}

/// Values worth trying for a form field, from what the form says of it and
/// what the store holds.
fn candidates(db: &Db, field: &FormField, shape: Shape) -> Vec<Value> {
    let codes = |lookup: &str| -> Vec<String> {
        match lookup {
            "account" => db
                .accounts()
                .expect("accounts")
                .into_iter()
                .filter(|a| a.active)
                .map(|a| a.code)
                .collect(),
            "customer-group" => db
                .groups(&Default::default())
                .expect("groups")
                .groups
                .into_iter()
                .filter(|g| g.group.is_group)
                .map(|g| g.group.code)
                .collect(),
            kind => db
                .references(ReferenceKind::parse(kind))
                .expect("references")
                .into_iter()
                .map(|r| r.code)
                .collect(),
        }
    };
    let texts = |values: Vec<String>| values.into_iter().map(Value::Text).collect();
    match shape {
        Shape::Text => match (&field.lookup, field.kind) {
            _ if !field.options.is_empty() => {
                texts(field.options.iter().map(|o| o.value.clone()).collect())
            }
            (Some(lookup), _) => texts(codes(lookup)),
            (None, FieldKind::Code) => {
                let max = field.max_length.unwrap_or(8) as usize;
                vec![Value::Text("EVERY".chars().take(max).collect())]
            }
            (None, _) => vec![Value::Text(format!("Every {}", field.name))],
        },
        Shape::Flag => vec![Value::Flag(true), Value::Flag(false)],
        Shape::Money => vec![Value::Money(12_345_678)],
        Shape::Percent => vec![Value::Percent(250)],
        Shape::Count => vec![Value::Count(1), Value::Count(12)],
        Shape::Day => vec![Value::Day(20), Value::Day(1)],
        Shape::Date => vec![Value::Date("2026-01-01".into())],
        Shape::Unit => {
            let options: Vec<Value> = field
                .options
                .iter()
                .filter_map(|o| PeriodUnit::parse(&o.value).map(Value::Unit))
                .collect();
            options
        }
        Shape::Rows(rules) => {
            // One row: each column its first candidate (a later end date
            // for an optional date, which is the end of a range).
            let row = rules
                .columns()
                .iter()
                .zip(&field.columns)
                .map(|(column, form)| {
                    let lookup = FormField {
                        name: column.name.into(),
                        kind: form.kind,
                        lookup: form.lookup.clone(),
                        options: form.options.clone(),
                        columns: Vec::new(),
                        ..field.clone()
                    };
                    match column.shape {
                        Shape::Date if !column.required => Some(Value::Date("2026-12-31".into())),
                        shape => candidates(db, &lookup, shape).into_iter().next(),
                    }
                })
                .collect();
            vec![Value::Rows(vec![row])]
        }
    }
}

/// The field an issue is about (`points-rules[1].percent` is `points-rules`).
fn issue_field(field: &str) -> &str {
    field.split(['[', '.']).next().unwrap_or(field)
}

/// A group with every field of the form set to a value the plugin accepts,
/// as the plugin normalised it: found by trying each setting's (or own
/// field's) candidates together until no error names one of its fields.
fn every_field_set(admin: &Admin, form: &FormDefinition) -> CustomerGroup {
    let fields = editable(form);
    let options: Vec<Vec<Value>> = fields
        .iter()
        .map(|(f, ours)| {
            let found = candidates(admin.db(), f, ours.shape);
            assert!(!found.is_empty(), "no value to try for `{}`", f.name);
            found
        })
        .collect();
    let mut chosen: Vec<usize> = vec![0; fields.len()];
    let build = |chosen: &[usize]| {
        let mut group = CustomerGroup::new("", "");
        for (i, (_, ours)) in fields.iter().enumerate() {
            ours.set(&mut group, Some(options[i][chosen[i]].clone()))
                .expect("a candidate of the field's shape");
        }
        group
    };
    let errors = |group: &CustomerGroup| {
        let verdict = admin
            .plugin()
            .validate(admin.db().facts(), &Change::Create(group.clone()), "en")
            .expect("validate");
        let errors: Vec<(String, String)> = verdict
            .issues
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| (issue_field(&i.field).to_owned(), i.message))
            .collect();
        (errors, verdict.normalized)
    };
    // A unit: one of the group's own fields, or every field of a setting.
    let mut units: Vec<Vec<usize>> = Vec::new();
    for (i, (_, ours)) in fields.iter().enumerate() {
        match units
            .iter_mut()
            .find(|u| ours.setting.is_some() && fields[u[0]].1.setting == ours.setting)
        {
            Some(unit) => unit.push(i),
            None => units.push(vec![i]),
        }
    }
    for unit in &units {
        let combinations: usize = unit.iter().map(|&i| options[i].len()).product();
        let names: Vec<&str> = unit.iter().map(|&i| fields[i].1.name).collect();
        let mut accepted = false;
        for n in 0..combinations {
            let mut rest = n;
            for &i in unit {
                chosen[i] = rest % options[i].len();
                rest /= options[i].len();
            }
            let (errors, _) = errors(&build(&chosen));
            if !errors.iter().any(|(f, _)| names.contains(&f.as_str())) {
                accepted = true;
                break;
            }
        }
        assert!(accepted, "no value tried for {names:?} is accepted");
    }
    let (errors, normalized) = errors(&build(&chosen));
    assert!(errors.is_empty(), "{errors:#?}");
    normalized.expect("accepted")
}

/// `value` of `shape` written in TOML.
fn toml(shape: Shape, value: &Value) -> String {
    let quoted = |text: &str| serde_json::to_string(text).expect("a string");
    match (shape, value) {
        (_, Value::Text(t) | Value::Date(t)) => quoted(t),
        (_, Value::Flag(b)) => b.to_string(),
        (_, Value::Money(m)) => quoted(&money_text(*m)),
        (_, Value::Percent(p)) => quoted(&percent_text(*p)),
        (_, Value::Count(n)) => n.to_string(),
        (_, Value::Day(d)) => d.to_string(),
        (_, Value::Unit(u)) => quoted(u.as_str()),
        (Shape::Rows(rules), Value::Rows(rows)) => {
            let rows: Vec<String> = rows
                .iter()
                .map(|row| {
                    let cells: Vec<String> = rules
                        .columns()
                        .iter()
                        .zip(row)
                        .filter_map(|(c, v)| {
                            Some(format!("{} = {}", c.name, toml(c.shape, v.as_ref()?)))
                        })
                        .collect();
                    format!("{{ {} }}", cells.join(", "))
                })
                .collect();
            format!("[{}]", rows.join(", "))
        }
        (_, Value::Rows(_)) => "[]".into(),
    }
}

/// Every form field of `stored` is `expected`'s (but the code, with `code`).
#[track_caller]
fn assert_same(form: &FormDefinition, stored: &CustomerGroup, expected: &CustomerGroup, how: &str) {
    for (f, ours) in editable(form) {
        if ours.is_code() {
            continue;
        }
        assert_eq!(
            ours.get(stored),
            ours.get(expected),
            "{how}: `{}` is not stored as given",
            f.name
        );
    }
}

/// The arguments giving every field command `which` offers its value in `group`.
fn arguments(form: &FormDefinition, group: &CustomerGroup, which: Which) -> Vec<String> {
    editable(form)
        .into_iter()
        .filter(|(_, ours)| offers(which, ours))
        .flat_map(|(_, ours)| {
            let value = ours.get(group).expect("every field is set");
            args_for(ours, &value)
        })
        .collect()
}

fn with_code(group: &CustomerGroup, code: &str) -> CustomerGroup {
    CustomerGroup {
        code: code.into(),
        ..group.clone()
    }
}

fn erp_sync(db: &Path, config: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_erp-sync"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ERP_DB")
        .env("ERP_SYNC_CONFIG", config)
        .env("ERP_SYNC_LOG_LEVEL", "warn")
        .output()
        .expect("run erp-sync");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn every_field_of_the_form_goes_through_the_cli_the_daemon_show_and_the_store() {
    let host = Host::new();
    let admin = host.admin();
    let form = admin.form("en").expect("form");
    assert_eq!(fields::check(&form), Vec::<String>::new());
    let expected = every_field_set(&admin, &form);
    let code = expected.code.clone();

    // `group new` with an option for every field.
    let mut new = vec!["group".to_owned(), "new".to_owned()];
    new.extend(arguments(&form, &expected, Which::New));
    let (exit, out) = host.erp_host(&new);
    assert_eq!(exit, 0, "{new:?}\n{out}");
    assert_same(&form, &host.stored(&code), &expected, "group new");

    // `group edit` of a bare group, with an option for every field but the code.
    let code_field = editable(&form)
        .into_iter()
        .find(|(_, f)| f.is_code())
        .expect("a code field")
        .1;
    let name_field = editable(&form)
        .into_iter()
        .find(|(_, f)| f.is_required() && !f.is_code())
        .expect("a name field")
        .1;
    let mut bare = vec!["group".to_owned(), "new".to_owned()];
    bare.extend(args_for(code_field, &Value::Text("EDIT1".into())));
    bare.extend(args_for(name_field, &Value::Text("Bare".into())));
    assert_eq!(host.erp_host(&bare).0, 0, "{bare:?}");
    let mut edit = vec!["group".to_owned(), "edit".to_owned(), "EDIT1".to_owned()];
    edit.extend(arguments(&form, &expected, Which::Edit));
    let (exit, out) = host.erp_host(&edit);
    assert_eq!(exit, 0, "{edit:?}\n{out}");
    assert_same(
        &form,
        &host.stored("EDIT1"),
        &with_code(&expected, "EDIT1"),
        "group edit",
    );

    // `settings set` with every setting.
    let mut set = vec!["settings".to_owned(), "set".to_owned()];
    set.extend(arguments(&form, &expected, Which::Settings));
    let (exit, out) = host.erp_host(&set);
    assert_eq!(exit, 0, "{set:?}\n{out}");
    let ar = host.db().ar_settings().expect("AR settings");
    for (f, ours) in editable(&form)
        .into_iter()
        .filter(|(_, f)| !f.is_group_own())
    {
        assert_eq!(
            ours.get_setting(&ar),
            ours.get_setting(&expected.settings),
            "settings set: `{}`",
            f.name
        );
    }

    // A `[[group]]` table with a key for every field, through the real erp-sync.
    let config = host.dir.path().join("config");
    std::fs::create_dir(&config).expect("config dir");
    let declared = with_code(&expected, "FILE1");
    let mut file = String::from("[[group]]\n");
    for (f, ours) in editable(&form) {
        let value = ours.get(&declared).expect("every field is set");
        file.push_str(&format!("{} = {}\n", f.name, toml(ours.shape, &value)));
    }
    std::fs::write(config.join("every.toml"), &file).expect("write");
    let (exit, out) = erp_sync(&host.path(), &config, &["apply", "--once"]);
    assert_eq!(exit, 0, "{file}\n{out}");
    assert_same(&form, &host.stored("FILE1"), &declared, "erp-sync");
    // Its digest reads back: nothing to do.
    let (exit, out) = erp_sync(&host.path(), &config, &["plan"]);
    assert_eq!(exit, 0, "{out}");
    std::fs::write(config.join("every.toml"), format!("# touched\n{file}")).expect("write");
    let (exit, out) = erp_sync(&host.path(), &config, &["plan"]);
    assert_eq!(exit, 0, "a declaration as applied is unchanged:\n{out}");
    assert!(out.contains("1 unchanged"), "{out}");

    // `group show`: every field under its label, in every locale, set.
    for locale in ["en", "id"] {
        let form = admin.form(locale).expect("form");
        let (exit, shown) = host.erp_host(&[
            "--locale".into(),
            locale.into(),
            "group".into(),
            "show".into(),
            code.clone(),
        ]);
        assert_eq!(exit, 0, "{shown}");
        for (f, ours) in editable(&form) {
            let line = shown
                .lines()
                .find(|l| l.starts_with(&format!("{:<36} ", f.label)))
                .unwrap_or_else(|| {
                    panic!("{locale}: `{}` ({}) not shown:\n{shown}", f.name, f.label)
                });
            let value = line[37..].trim();
            assert!(
                !value.is_empty() && !value.starts_with('-'),
                "{locale}: `{}` is shown unset: {line:?}",
                f.name
            );
            if let Some(Value::Text(text)) = ours.get(&expected) {
                assert!(value.starts_with(&text), "{locale}: `{}`: {line:?}", f.name);
            }
        }
    }

    // The store: every setting under its form field name, nothing else, and
    // every group reads back (a new connection).
    let db = host.db();
    let conn = db.conn();
    for code in [code.as_str(), "EDIT1", "FILE1"] {
        let keys: Vec<String> = conn
            .prepare("SELECT key FROM customer_groups, json_each(settings) WHERE code = ?1")
            .expect("prepare")
            .query_map([code], |r| r.get(0))
            .expect("keys")
            .collect::<Result<_, _>>()
            .expect("keys");
        let mut settings: Vec<String> = fields::settings_fields()
            .map(|f| f.name.to_owned())
            .collect();
        settings.sort();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, settings, "{code}: the stored JSON's keys");
    }
    drop(conn);
    assert_same(&form, &host.stored(&code), &expected, "read back");
}

/// A field the host's table does not know is found by the check the
/// test above makes first, and by its walk over the form.
#[test]
fn a_field_the_table_does_not_know_fails() {
    let host = Host::new();
    let mut form = host.admin().form("en").expect("form");
    let mut extra = form
        .fields
        .iter()
        .find(|f| f.name == fields::settings_fields().next().expect("a setting").name)
        .expect("the form has it")
        .clone();
    extra.name = "loyalty-tier".into();
    form.fields.push(extra);
    let problems = fields::check(&form);
    assert!(
        problems.iter().any(|p| p.contains("`loyalty-tier`")),
        "{problems:#?}"
    );
    let walk = std::panic::catch_unwind(|| editable(&form).len());
    assert!(walk.is_err(), "the walk over the form refuses it");
}
