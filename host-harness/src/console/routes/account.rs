//! `POST /form/account/new`: the "+" beside an account lookup (the form
//! definition's `quick-create` route). The group form posts here with
//! everything typed so far; the dialog asks for the account, carrying
//! those values unchanged; "create" adds the account through the store's
//! one path for it (the same as `erp-host account new`) and returns to the
//! group form as it was, the new account's code in the lookup; "cancel"
//! returns without one. Nothing of the group is saved on the way.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::form::resume;
use super::list::the_form;
use super::{App, Stop, blocking, chrome, field, html, signed_in};
use crate::console::pages::AccountPage;
use crate::console::words::{Words, account_kind};
use crate::messages::{self as m, Localize};
use crate::store::{Role, StoreError, account_blanks};
use crate::wit::{Account, AccountKind};

/// The route this module serves `new` under.
pub(super) const ROUTE: &str = "/form/account";

/// `POST /form/account/new`.
pub(super) async fn quick_create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        who.check_csrf(&pairs)?;
        who.may(Role::edits_groups)?;
        let bad = || Stop::Status(StatusCode::BAD_REQUEST);
        let form = the_form(app, &who, field(&pairs, "console.form").ok_or_else(bad)?)?;
        let target = field(&pairs, "console.quick").ok_or_else(bad)?.to_owned();
        let lookup = form
            .fields
            .iter()
            .find(|f| f.name == target && f.quick_create.as_deref() == Some(ROUTE))
            .ok_or_else(bad)?;
        let mut carried: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "csrf" && !k.starts_with("account."))
            .cloned()
            .collect();
        if field(&pairs, "account.cancel").is_some() {
            return resume(app, &who, &form, &carried, Vec::new());
        }
        let l = who.locale();
        let typed = |name: &str| field(&pairs, name).unwrap_or_default().to_owned();
        let (code, name, kind) = match field(&pairs, "account.create") {
            // Opened from the form: the lookup's text is the code to make.
            None => (
                field(&carried, &target).unwrap_or_default().to_owned(),
                String::new(),
                String::new(),
            ),
            Some(_) => (
                typed("account.code"),
                typed("account.name"),
                typed("account.kind"),
            ),
        };
        let mut errors = Vec::new();
        if field(&pairs, "account.create").is_some() {
            let parsed = AccountKind::parse(&kind);
            let account = Account {
                code: code.clone(),
                name: name.clone(),
                kind: parsed.unwrap_or(AccountKind::Receivable),
                active: true,
            };
            match parsed {
                None => {
                    for e in account_blanks(&account) {
                        if let StoreError::Blank { field, .. } = e {
                            errors.push((field, e.localize(l)));
                        }
                    }
                    errors.push(("kind", Words::of(l).account_kind_needed.clone()));
                }
                Some(kind) => match app.admin()?.db().create_account(&account) {
                    Ok(made) => {
                        for (k, v) in &mut carried {
                            if *k == target {
                                *v = made.code.clone();
                            }
                        }
                        let said = m::account_created(l, &made.code, &made.name, kind.as_str());
                        return resume(app, &who, &form, &carried, vec![said]);
                    }
                    Err(e @ StoreError::Blank { field, .. }) => {
                        errors.push((field, e.localize(l)));
                    }
                    Err(e @ StoreError::Duplicate { .. }) => errors.push(("code", e.localize(l))),
                    Err(e) => return Err(e.into()),
                },
            }
        }
        let page = AccountPage {
            chrome: chrome(app, &who, &form_route(&form.id))?,
            for_label: lookup.label.clone(),
            code,
            name,
            kinds: AccountKind::ALL
                .iter()
                .map(|k| (k.as_str(), account_kind(l, *k), k.as_str() == kind))
                .collect(),
            errors,
            carried,
        };
        let status = super::refused_if(!page.errors.is_empty());
        Ok((status, html(page.render()?)).into_response())
    })
    .await
}

fn form_route(id: &str) -> String {
    format!("/form/{id}")
}
