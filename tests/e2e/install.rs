//! Installing the plugin: what is accepted, what is refused, and that a
//! refusal records nothing.

use e2e_tests::TestHost;
use host_harness::admin::{self, digest};
use host_harness::engine::{WIT_PACKAGE, WIT_VERSION};
use host_harness::{Admin, AdminError, PLUGIN_WASM};

/// The current contract's version with its patch number replaced: another
/// version of the same compatible series (`0.5.0` -> `0.5.9`).
fn same_series(patch: char) -> String {
    let (series, _) = WIT_VERSION.rsplit_once('.').expect("MAJOR.MINOR.PATCH");
    format!("{series}.{patch}")
}

/// A version of the next, incompatible series (`0.5.0` -> `0.6.0`).
fn next_series() -> String {
    let mut parts: Vec<u64> = WIT_VERSION
        .split('.')
        .map(|p| p.parse().expect("a number"))
        .collect();
    let at = if parts[0] == 0 { 1 } else { 0 };
    parts[at] += 1;
    for part in &mut parts[at + 1..] {
        *part = 0;
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn install(host: &TestHost, bytes: &[u8], pin: Option<&str>) -> Result<(), AdminError> {
    admin::install_plugin(&host.db(), bytes, pin, "installer").map(|_| ())
}

fn component(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("valid WAT")
}

#[test]
fn install_records_digest_version_and_menu_entry() {
    let host = TestHost::new();
    let db = host.db();
    let installed = db.installed_plugin().expect("read").expect("installed");
    assert_eq!(installed.form_id, "customergroup");
    assert_eq!(installed.sha256, digest(PLUGIN_WASM));
    assert_eq!(installed.wit_version, WIT_VERSION);
    assert_eq!(installed.size, PLUGIN_WASM.len() as i64);
    let entry = db
        .menu()
        .expect("menu")
        .into_iter()
        .find(|m| m.plugin.is_some())
        .expect("plugin entry");
    assert_eq!(
        entry.path,
        ["Sales & POS", "Customers & Sales Team", "Customer Group"]
    );
    assert_eq!(entry.route, "/form/customergroup");

    // Reinstalling replaces, never duplicates.
    install(&host, PLUGIN_WASM, Some(&installed.sha256.to_uppercase())).expect("reinstall");
    let plugin_entries = db
        .menu()
        .expect("menu")
        .iter()
        .filter(|m| m.plugin.is_some())
        .count();
    assert_eq!(plugin_entries, 1);
}

#[test]
fn install_refuses_what_is_not_our_plugin() {
    let core_module = component("(module)");
    let empty_component = component("(component)");
    let other_world = component(
        r#"(component
             (core module $m (func (export "f")))
             (core instance $i (instantiate $m))
             (func $f (canon lift (core func $i "f")))
             (instance $iface (export "run" (func $f)))
             (export "wasi:cli/run@0.2.0" (instance $iface)))"#,
    );
    let newer = next_series();
    let newer_contract = component(&format!(
        r#"(component
             (instance $form)
             (instance $validation)
             (instance $inheritance)
             (instance $lifecycle)
             (instance $gl)
             (export "erp:customer-group/form@{newer}" (instance $form))
             (export "erp:customer-group/validation@{newer}" (instance $validation))
             (export "erp:customer-group/inheritance@{newer}" (instance $inheritance))
             (export "erp:customer-group/lifecycle@{newer}" (instance $lifecycle))
             (export "erp:customer-group/gl@{newer}" (instance $gl)))"#,
    ));
    let compatible_but_empty = component(
        r#"(component
             (instance $form)
             (instance $validation)
             (instance $inheritance)
             (instance $lifecycle)
             (instance $gl)
             (export "erp:customer-group/form@0.4.3" (instance $form))
             (export "erp:customer-group/validation@0.4.3" (instance $validation))
             (export "erp:customer-group/inheritance@0.4.3" (instance $inheritance))
             (export "erp:customer-group/lifecycle@0.4.3" (instance $lifecycle))
             (export "erp:customer-group/gl@0.4.3" (instance $gl)))"#,
    );
    let not_exported = format!("does not export {WIT_PACKAGE}/form@{WIT_VERSION}");
    let built_against_newer = format!("built against {WIT_PACKAGE}@{newer}");
    let cases: [(&str, &[u8], &str); 7] = [
        (
            "not wasm at all",
            b"this is a text file",
            "not a WebAssembly component",
        ),
        (
            "truncated",
            &PLUGIN_WASM[..PLUGIN_WASM.len() / 2],
            "not a WebAssembly component",
        ),
        ("a core module", &core_module, "not a WebAssembly component"),
        ("an empty component", &empty_component, &not_exported),
        (
            "another world",
            &other_world,
            "it exports: wasi:cli/run@0.2.0",
        ),
        (
            "an incompatible contract",
            &newer_contract,
            &built_against_newer,
        ),
        (
            "a compatible version without functions",
            &compatible_but_empty,
            "cannot be linked",
        ),
    ];
    let host = TestHost::empty();
    for (name, bytes, want) in cases {
        let err = install(&host, bytes, None).expect_err(name);
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
    assert!(host.db().installed_plugin().expect("read").is_none());
    assert_eq!(
        host.db()
            .menu()
            .expect("menu")
            .iter()
            .filter(|m| m.plugin.is_some())
            .count(),
        0
    );
}

#[test]
fn install_refuses_a_digest_other_than_the_pinned_one() {
    let host = TestHost::empty();
    let err = install(&host, PLUGIN_WASM, Some(&"0".repeat(64))).expect_err("pinned");
    assert!(matches!(err, AdminError::NotPinned { .. }), "{err}");
    assert!(host.db().installed_plugin().expect("read").is_none());
}

#[test]
fn a_tampered_installation_is_not_loaded() {
    let host = TestHost::new();
    host.db()
        .conn()
        .execute(
            "UPDATE plugins SET component = zeroblob(length(component))",
            [],
        )
        .expect("tamper");
    let err = Admin::open(host.db()).err().expect("refused");
    assert!(matches!(err, AdminError::DigestMismatch { .. }), "{err}");
}

#[test]
fn no_plugin_means_a_clear_error() {
    let host = TestHost::empty();
    let err = Admin::open(host.db()).err().expect("nothing installed");
    assert!(err.to_string().contains("erp-host plugin install"), "{err}");
}

/// The bundled plugin as if built against contract version `to` instead of
/// `from` (same length): every interface name it imports and exports, in
/// the component and in its core modules, says `to`.
fn retarget(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut renamed = 0;
    for interface in [
        "form",
        "validation",
        "inheritance",
        "lifecycle",
        "gl",
        "host",
        "types",
    ] {
        let old = format!("erp:customer-group/{interface}@{from}");
        let new = format!("erp:customer-group/{interface}@{to}");
        let mut at = 0;
        while let Some(found) = out[at..]
            .windows(old.len())
            .position(|w| w == old.as_bytes())
        {
            let start = at + found;
            out[start..start + old.len()].copy_from_slice(new.as_bytes());
            at = start + old.len();
            renamed += 1;
        }
    }
    assert!(renamed > 7, "only {renamed} names renamed");
    out
}

#[test]
fn a_plugin_built_against_another_compatible_contract_version_works() {
    let host = TestHost::new();
    let skewed_version = same_series('9');
    let skewed = retarget(PLUGIN_WASM, WIT_VERSION, &skewed_version);
    assert_ne!(digest(&skewed), digest(PLUGIN_WASM));
    let installed = admin::install_plugin(&host.db(), &skewed, None, "installer")
        .expect("a compatible contract version installs");
    assert_eq!(installed.wit_version, skewed_version);
    assert_eq!(installed.sha256, digest(&skewed));

    // Every interface works through the renamed names, host imports included.
    let admin = Admin::open(host.db()).expect("load");
    assert_eq!(admin.plugin().wit_version(), skewed_version);
    assert_eq!(admin.form("id").expect("form").title, "Kelompok Pelanggan");
    let mut lokal = e2e_tests::group("LOKAL", "Local Customers");
    lokal.is_group = true;
    admin
        .create_group(lokal, &e2e_tests::actor("en"))
        .expect("create through the skewed plugin");
    let mut bad = e2e_tests::group("L 1", "");
    bad.settings.receivable_account = Some("9999".into());
    let err = admin
        .create_group(bad, &e2e_tests::actor("en"))
        .expect_err("the rules still run, with host lookups");
    assert!(err.to_string().contains("9999"), "{err}");
    assert!(admin.effective("LOKAL").is_ok());

    // A different minor version of a 0.x contract is a breaking change.
    let err = install(&host, &retarget(PLUGIN_WASM, WIT_VERSION, "0.3.0"), None)
        .expect_err("0.3 is not compatible with the current version");
    assert!(
        err.to_string()
            .contains(&format!("built against {WIT_PACKAGE}@0.3.0")),
        "{err}"
    );
}
