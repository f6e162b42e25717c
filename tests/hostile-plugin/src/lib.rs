//! A Customer Group plugin that misbehaves on purpose, for the host's tests.
//!
//! It exports the real world, so the host loads it like any plugin. The
//! `locale` argument picks the misbehaviour:
//! - `loop`: spins forever (fuel or the epoch deadline must stop it);
//! - `trap`: panics with a message (the host must surface it);
//! - `oom`: allocates without bound (the memory cap must stop it);
//! - `chatty`: writes a megabyte to stderr, then panics (stderr must stay bounded);
//! - `unbalanced`, `missing`, `ghost`, `stranger`, `twice`: GL batches that
//!   are wrong (lines that do not balance, a transaction left out, an account
//!   that does not exist, a posting for a transaction nobody asked about, a
//!   transaction posted twice);
//! - anything else: behaves, returning an empty form and accepting everything,
//!   and posting every transaction as debtor 1100 against sales 4000.

#[allow(unsafe_code, missing_docs)]
mod bindings {
    wit_bindgen::generate!({ path: "../../wit", world: "plugin" });
    use super::Hostile;
    export!(Hostile with_types_in crate::bindings);
}

use bindings::erp::customer_group::types::{Customer, CustomerGroup, Span};
use bindings::exports::erp::customer_group::{form, gl, inheritance, lifecycle, validation};

struct Hostile;

fn misbehave(how: &str) {
    match how {
        "loop" => {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
        "trap" => panic!("hostile plugin panicked on purpose"),
        "oom" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1; 1 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        "chatty" => {
            let line = "x".repeat(1023);
            for _ in 0..1024 {
                eprintln!("{line}");
            }
            panic!("chatty plugin gave up");
        }
        _ => {}
    }
}

impl form::Guest for Hostile {
    fn definition(locale: String) -> form::FormDefinition {
        misbehave(&locale);
        form::FormDefinition {
            id: "customergroup".into(),
            locale,
            title: "Hostile".into(),
            description: String::new(),
            menu: form::MenuEntry {
                path: vec!["Hostile".into()],
                route: "/form/hostile".into(),
            },
            list_columns: Vec::new(),
            search_keys: Vec::new(),
            match_modes: Vec::new(),
            sections: Vec::new(),
            fields: Vec::new(),
            actions: Vec::new(),
        }
    }
}

impl validation::Guest for Hostile {
    fn validate(change: validation::Change, locale: String) -> validation::Verdict {
        misbehave(&locale);
        let normalized = match change {
            validation::Change::Create(group) => Some(group),
            validation::Change::Update(update) => Some(update.proposed),
            validation::Change::Delete(_) => None,
        };
        validation::Verdict {
            normalized,
            issues: Vec::new(),
        }
    }

    fn validate_defaults(
        defaults: bindings::erp::customer_group::types::Settings,
        locale: String,
    ) -> (
        Option<bindings::erp::customer_group::types::Settings>,
        Vec<validation::Issue>,
    ) {
        misbehave(&locale);
        (Some(defaults), Vec::new())
    }

    fn validate_company_settings(
        _company: String,
        settings: bindings::erp::customer_group::types::Settings,
        locale: String,
    ) -> (
        Option<bindings::erp::customer_group::types::Settings>,
        Vec<validation::Issue>,
    ) {
        misbehave(&locale);
        (Some(settings), Vec::new())
    }

    fn validate_many(changes: Vec<validation::Change>, locale: String) -> Vec<validation::Verdict> {
        changes
            .into_iter()
            .map(|c| Self::validate(c, locale.clone()))
            .collect()
    }

    /// Takes every code as it is (it has no locale to misbehave by).
    fn normalize_code(code: String) -> String {
        code
    }

    /// Takes every code as it is.
    fn normalize_codes(text: String, codes: Vec<Span>) -> (String, Vec<Span>) {
        (text, codes)
    }
}

impl inheritance::Guest for Hostile {
    fn effective(code: String) -> Option<inheritance::EffectiveSettings> {
        misbehave(&code);
        None
    }
}

impl lifecycle::Guest for Hostile {
    fn default_gl_accounts(
        code: String,
        locale: String,
    ) -> Result<CustomerGroup, Vec<validation::Issue>> {
        misbehave(&locale);
        Err(vec![validation::Issue {
            field: "record".into(),
            severity: validation::Severity::Error,
            rule: "hostile".into(),
            message: format!("no accounts for {code}"),
        }])
    }

    fn plan_default_terms(
        _code: String,
        locale: String,
    ) -> Result<Vec<lifecycle::CustomerUpdate>, Vec<validation::Issue>> {
        misbehave(&locale);
        Ok(Vec::new())
    }

    fn check_reassign(_from: String, _to: String, locale: String) -> Vec<validation::Issue> {
        misbehave(&locale);
        Vec::new()
    }

    fn check_customer(
        _customer: Customer,
        _is_new: bool,
        locale: String,
    ) -> Vec<validation::Issue> {
        misbehave(&locale);
        Vec::new()
    }
}

impl gl::Guest for Hostile {
    fn build_batch(
        ledger: gl::Ledger,
        transactions: gl::ArTransactions,
        locale: String,
    ) -> Result<gl::Postings, Vec<gl::BatchIssue>> {
        misbehave(&locale);
        let entries = &transactions.entries;
        let count = match locale.as_str() {
            "missing" => entries.len().saturating_sub(1),
            _ => entries.len(),
        };
        let sales = if locale == "ghost" { "9999" } else { "4000" };
        let rounding = ledger.rounding_account.unwrap_or_default();
        let mut out = gl::Postings {
            accounts: vec!["1100".into(), sales.into(), rounding],
            descriptions: "hostile".into(),
            postings: Vec::new(),
            lines: Vec::new(),
        };
        for tx in &entries[..count] {
            let line = |account: u32, role, amount: i64| gl::GlLine {
                account,
                role,
                amount,
                base_amount: amount,
            };
            let mut debit = line(0, gl::LineRole::Receivable, tx.amount);
            let mut credit = line(1, gl::LineRole::Sales, -tx.amount);
            let mut extra = Vec::new();
            match locale.as_str() {
                "unbalanced" => credit.base_amount += 1,
                "no-such-account" => credit.account = 7,
                // Balanced in both columns, but only because the base
                // amounts wrap around i64.
                "wrapping" => {
                    debit.base_amount = i64::MIN + tx.amount;
                    credit.base_amount = i64::MAX - tx.amount + 1;
                }
                // Balanced, with money moved between rounding lines.
                "rounding-pair" => {
                    extra.push(line(2, gl::LineRole::Rounding, 0));
                    extra.push(line(2, gl::LineRole::Rounding, 0));
                    extra[0].base_amount = 1_000;
                    extra[1].base_amount = -1_000;
                }
                "rounding-elsewhere" => {
                    extra.push(line(1, gl::LineRole::Rounding, 0));
                }
                _ => {}
            }
            let first = if locale == "shared-lines" {
                0
            } else {
                out.lines.len() as u32
            };
            let count = 2 + extra.len() as u32;
            if first as usize == out.lines.len() {
                out.lines.extend([debit, credit]);
                out.lines.extend(extra);
            }
            out.postings.push(gl::Posting {
                transaction: if locale == "stranger" {
                    tx.id + 1_000_000
                } else {
                    tx.id
                },
                description: Span {
                    start: 0,
                    len: if locale == "torn-description" { 99 } else { 7 },
                },
                lines: Span {
                    start: first,
                    len: count,
                },
            });
        }
        if locale == "twice"
            && let Some(first) = out.postings.first().cloned()
        {
            out.postings.push(first);
        }
        Ok(out)
    }

    fn credit_check(_request: gl::CreditRequest, locale: String) -> gl::CreditVerdict {
        misbehave(&locale);
        gl::CreditVerdict {
            allowed: true,
            lines: Vec::new(),
            reasons: Vec::new(),
            bypass: None,
        }
    }

    fn credit_check_many(
        requests: Vec<gl::CreditRequest>,
        locale: String,
    ) -> Vec<gl::CreditVerdict> {
        requests
            .into_iter()
            .map(|r| Self::credit_check(r, locale.clone()))
            .collect()
    }

    fn receipt_discount(
        _group: String,
        _invoice_date: String,
        _invoice_amount: i64,
        _paid_on: String,
        locale: String,
    ) -> Result<Option<gl::DiscountOffer>, Vec<gl::BatchIssue>> {
        misbehave(&locale);
        Ok(None)
    }
}
