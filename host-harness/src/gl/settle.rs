//! Transactions stored before entry was checked (migration 007): what
//! each does to its customer's balance, asked of the plugin once.

use std::collections::HashMap;

use rusqlite::params;

use crate::gl::checker::{Checker, Pending};
use crate::gl::{CHUNK, Gl, GlError, NewTransaction};
use crate::store::Scope;
use crate::wit::TransactionKind;

impl Gl<'_> {
    /// Asks the plugin what the transactions stored before entry was checked
    /// (migration 007) do to their customers' balances: a batched one is
    /// what its batch posted, an unbatched one what its posting would be.
    /// Those the posting rules refuse stay unknown and count in no balance
    /// ([`crate::report::uncounted`]). How many became known.
    pub fn settle_unknown_effects(&self, locale: &str) -> Result<usize, GlError> {
        let batches: Vec<i64> = {
            let conn = self.db().conn();
            let unknown: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM ar_transactions WHERE receivable_minor IS NULL)",
                [],
                |r| r.get(0),
            )?;
            if !unknown {
                return Ok(0);
            }
            let mut stmt = conn.prepare(
                "SELECT DISTINCT m.batch_id FROM ar_transactions t \
                 JOIN gl_batch_members m ON m.transaction_id = t.id \
                 WHERE t.receivable_minor IS NULL ORDER BY 1",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        // What each batch posted, per transaction.
        let mut posted: HashMap<i64, (i64, i64)> = HashMap::new();
        for batch in batches {
            for line in self.db().batch_lines(batch, usize::MAX)? {
                if line.role == crate::wit::LineRole::Receivable.as_str() {
                    let sum = posted.entry(line.transaction).or_default();
                    sum.0 = sum.0.saturating_add(line.amount);
                    sum.1 = sum.1.saturating_add(line.base_amount);
                }
            }
        }
        self.db().write(|w| {
            let tx = w.tx();
            let mut set = tx.prepare_cached(
                "UPDATE ar_transactions SET receivable_minor = ?2, receivable_base = ?3 \
                 WHERE id = ?1 AND receivable_minor IS NULL",
            )?;
            let mut settled = 0;
            for (id, (minor, base)) in &posted {
                settled += set.execute(params![id, minor, base])?;
            }
            // Only a store from before companies has such transactions, and
            // it has one company, the default.
            let checker = Checker::load(*self, tx, locale, &Scope::default_company())?;
            let mut read = tx.prepare(
                "SELECT t.id, t.kind, t.date, t.customer_code, t.currency, t.rate_nanos, \
                        t.amount_minor, t.tax_minor, t.discount_minor, t.account, t.tax_account, \
                        t.reference, coalesce(t.group_code, c.group_code, ''), t.reverses \
                 FROM ar_transactions t LEFT JOIN customers c ON c.code = t.customer_code \
                 WHERE t.receivable_minor IS NULL \
                   AND NOT EXISTS (SELECT 1 FROM gl_batch_members m WHERE m.transaction_id = t.id) \
                 ORDER BY t.id",
            )?;
            let rows: Vec<(i64, Pending)> = read
                .query_map([], |r| {
                    let kind: String = r.get(1)?;
                    let rate: Option<i64> = r.get(5)?;
                    Ok((
                        r.get(0)?,
                        Pending {
                            line: 0,
                            entry: NewTransaction {
                                kind: TransactionKind::parse(&kind)
                                    .unwrap_or(TransactionKind::Journal),
                                date: r.get(2)?,
                                customer: r.get(3)?,
                                currency: r.get(4)?,
                                rate_nanos: rate.map(|r| u64::try_from(r).unwrap_or(0)),
                                amount: r.get(6)?,
                                tax: r.get(7)?,
                                discount: r.get(8)?,
                                account: r.get(9)?,
                                tax_account: r.get(10)?,
                                reference: r.get(11)?,
                            },
                            group: r.get(12)?,
                            reverses: r.get(13)?,
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            for chunk in rows.chunks(CHUNK) {
                let pending: Vec<Pending> = chunk
                    .iter()
                    .map(|(_, p)| Pending {
                        line: 0,
                        entry: p.entry.clone(),
                        group: p.group.clone(),
                        reverses: p.reverses,
                    })
                    .collect();
                let (verdicts, _) = checker.check(&pending)?;
                for ((id, _), verdict) in chunk.iter().zip(verdicts) {
                    if let Ok((minor, base)) = verdict {
                        settled += set.execute(params![id, minor, base])?;
                    }
                }
            }
            Ok(settled)
        })
    }
}
