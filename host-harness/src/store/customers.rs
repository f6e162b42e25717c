//! Customers as the group form sees them: their group, currency, active
//! flag and terms (settings JSON of five settings), their credit limit, and
//! how much a group is in use.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::facts::customers_of_group;
use super::history::{Action, CUSTOMER_GROUP_FIELD, Entity, FieldChange};
use super::{Db, StoreError, Writer, duplicate};
use crate::actor::By;
use crate::fields::json::{settings_from_json_of, settings_to_json};
use crate::wit::{Customer, GroupUsage, Settings};
use serde_json::Value as Json;

/// The settings a customer has of its own, as terms (what "Apply Default
/// Terms" sets): `customers.terms` holds them as settings JSON.
pub(crate) const TERMS: [&str; 5] = [
    "payment-terms",
    "due-terms",
    "prompt-payment-discount",
    "statement-aging",
    "price-code",
];

pub(super) const CUSTOMER_COLUMNS: &str = "code, name, group_code, currency, active, terms";

impl Db {
    /// Adds a customer (the host's customer module; the plugin has checked
    /// it), recorded as by [`By::HOST`].
    pub fn create_customer(&self, customer: &Customer) -> Result<(), StoreError> {
        self.write(|w| w.create_customer(customer, By::HOST))
    }

    /// One customer.
    pub fn customer(&self, code: &str) -> Result<Option<Customer>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE code = ?1"
            ))?
            .query_row([code], customer_from_row)
            .optional()?)
    }

    /// The customers of a group, or all customers, by code.
    pub fn customers(&self, group: Option<&str>) -> Result<Vec<Customer>, StoreError> {
        let conn = self.conn();
        // Two statements, not `?1 IS NULL OR ...`: SQLite plans a statement
        // once, and that one would scan every customer for one group.
        let mut stmt = match group {
            Some(_) => conn.prepare_cached(&customers_of_group())?,
            None => conn.prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE ?1 IS NULL ORDER BY code"
            ))?,
        };
        let rows = stmt.query_map([group], customer_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the terms of many customers in one transaction, each only if it
    /// still has the terms it had when the change was planned.
    pub fn update_customer_terms(
        &self,
        updates: &[(Customer, Customer)],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (before, after) in updates {
            let changed = tx.execute(
                "UPDATE customers SET terms = ?2 WHERE code = ?1 AND terms = ?3",
                params![
                    after.code,
                    terms_json(&terms_of(after)),
                    terms_json(&terms_of(before))
                ],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "customer with the terms previewed (changed meanwhile?)",
                    key: before.code.clone(),
                });
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves every customer of `from` to `to` in one transaction (recorded
    /// as by [`By::HOST`]); how many moved.
    pub fn reassign_customers(&self, from: &str, to: &str) -> Result<usize, StoreError> {
        self.write(|w| w.reassign_customers(from, to, By::HOST))
    }

    /// How much a group is in use.
    pub fn group_usage(&self, code: &str) -> Result<GroupUsage, StoreError> {
        let conn = self.conn();
        let (customers, active_customers): (u32, u32) = conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(active), 0) FROM customers WHERE group_code = ?1",
            )?
            .query_row([code], |row| Ok((row.get(0)?, row.get(1)?)))?;
        // Entered under the group (its customers may have moved since), or
        // of its customers where no group was kept (rows written by hand).
        let transactions: i64 = conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM ar_transactions WHERE group_code = ?1) \
                 + (SELECT count(*) FROM ar_transactions t JOIN customers c \
                    ON c.code = t.customer_code WHERE t.group_code IS NULL AND c.group_code = ?1)",
            )?
            .query_row([code], |row| row.get(0))?;
        Ok(GroupUsage {
            customers,
            active_customers,
            transactions: transactions.unsigned_abs(),
        })
    }

    /// Sets a customer's own credit limit (minor units of its currency), or
    /// clears it so that its group's applies.
    pub fn set_customer_credit_limit(
        &self,
        code: &str,
        limit: Option<i64>,
    ) -> Result<(), StoreError> {
        let changed = self.conn().execute(
            "UPDATE customers SET credit_limit_minor = ?2 WHERE code = ?1",
            params![code, limit],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "customer",
                key: code.to_owned(),
            });
        }
        Ok(())
    }
}

/// A customer's terms as settings (the rest unset).
fn terms_of(customer: &Customer) -> Settings {
    Settings {
        payment_terms: customer.payment_terms.clone(),
        due_terms: customer.due_terms,
        prompt_payment_discount: customer.prompt_payment_discount,
        statement_aging: customer.statement_aging,
        price_code: customer.price_code.clone(),
        ..Settings::inherit_all()
    }
}

/// Terms as `customers.terms` holds them: the settings JSON of [`TERMS`]
/// only, so that equal terms are equal text.
pub(crate) fn terms_json(terms: &Settings) -> String {
    let mut only = Settings::inherit_all();
    for name in TERMS {
        for field in crate::fields::fields_of(name) {
            // A settings field into settings: cannot fail.
            let _ = field.set_setting(&mut only, field.get_setting(terms));
        }
    }
    settings_to_json(&only)
}

fn customer_from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    let json: String = row.get(5)?;
    let is_term = |f: &crate::fields::Field| f.setting.is_some_and(|s| TERMS.contains(&s));
    let terms = settings_from_json_of(&json, is_term).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Customer {
        code: row.get(0)?,
        name: row.get(1)?,
        group: row.get(2)?,
        currency: row.get(3)?,
        active: row.get(4)?,
        payment_terms: terms.payment_terms,
        due_terms: terms.due_terms,
        prompt_payment_discount: terms.prompt_payment_discount,
        statement_aging: terms.statement_aging,
        price_code: terms.price_code,
    })
}

impl Writer<'_> {
    /// Adds a customer, and records the group it joins.
    pub fn create_customer(&self, customer: &Customer, by: By<'_>) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            ))?
            .execute(params![
                customer.code,
                customer.name,
                customer.group,
                customer.currency,
                customer.active,
                terms_json(&terms_of(customer))
            ])
            .map_err(|e| duplicate(e, "customer", &customer.code))?;
        let joined = FieldChange {
            field: CUSTOMER_GROUP_FIELD.to_owned(),
            old: Json::Null,
            new: Json::from(customer.group.as_str()),
        };
        self.record_change(
            by,
            Entity::Customer,
            &customer.code,
            Action::Create,
            &[joined],
        )
    }

    /// Moves every customer of `from` to `to`, each move recorded; how many
    /// moved.
    pub fn reassign_customers(
        &self,
        from: &str,
        to: &str,
        by: By<'_>,
    ) -> Result<usize, StoreError> {
        let moved: Vec<String> = self
            .tx
            .prepare_cached(
                "UPDATE customers SET group_code = ?2 WHERE group_code = ?1 RETURNING code",
            )?
            .query_map(params![from, to], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let change = [FieldChange {
            field: CUSTOMER_GROUP_FIELD.to_owned(),
            old: Json::from(from),
            new: Json::from(to),
        }];
        for code in &moved {
            self.record_change(by, Entity::Customer, code, Action::Update, &change)?;
        }
        Ok(moved.len())
    }
}
