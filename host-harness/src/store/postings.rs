//! How `gl_batch_postings` stores a batch's postings (postcard, each
//! account and role once per chunk), and migration 005's step that
//! re-encoded the JSON of 003.

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::{StoreError, from_json};

/// A posting as stored: (transaction, description, lines as (account, role,
/// amount, base amount)).
pub type StoredPosting = (i64, String, Vec<(String, String, i64, i64)>);

/// A chunk of a batch's postings as `gl_batch_postings.postings` holds it,
/// encoded with postcard: the accounts and roles its lines name, each once;
/// every description, one after another; per posting its transaction, the
/// length of its description and how many lines it has; the lines in
/// posting order as (account, role, amount, base amount), account and role
/// by index. About 60 bytes a transaction.
#[derive(Serialize, serde::Deserialize)]
pub(crate) struct StoredChunk<'a> {
    #[serde(borrow)]
    pub(crate) accounts: Vec<&'a str>,
    #[serde(borrow)]
    pub(crate) roles: Vec<&'a str>,
    pub(crate) descriptions: &'a str,
    pub(crate) postings: Vec<(i64, u32, u32)>,
    pub(crate) lines: Vec<(u32, u32, i64, i64)>,
}

fn unreadable(what: impl std::fmt::Display) -> StoreError {
    StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Blob,
        what.to_string().into(),
    ))
}

/// The postings of a stored chunk.
pub fn stored_postings(blob: &[u8]) -> Result<Vec<StoredPosting>, StoreError> {
    let chunk: StoredChunk<'_> = postcard::from_bytes(blob).map_err(unreadable)?;
    let (mut text, mut lines) = (chunk.descriptions, chunk.lines.as_slice());
    let mut out = Vec::with_capacity(chunk.postings.len());
    for &(transaction, length, count) in &chunk.postings {
        let cut = (length as usize <= text.len() && text.is_char_boundary(length as usize))
            .then(|| text.split_at(length as usize))
            .ok_or_else(|| unreadable("a stored description is cut short"))?;
        let (description, rest) = cut;
        text = rest;
        let (mine, rest) = lines
            .split_at_checked(count as usize)
            .ok_or_else(|| unreadable("stored lines are cut short"))?;
        lines = rest;
        let mine = mine
            .iter()
            .map(|&(account, role, amount, base)| {
                let name = |list: &[&str], at: u32| {
                    list.get(at as usize)
                        .map(|s| (*s).to_owned())
                        .ok_or_else(|| unreadable("a stored line names nothing"))
                };
                Ok((
                    name(&chunk.accounts, account)?,
                    name(&chunk.roles, role)?,
                    amount,
                    base,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        out.push((transaction, description.to_owned(), mine));
    }
    Ok(out)
}

/// Postings as `gl_batch_postings` stores them.
pub fn encode_postings(postings: &[StoredPosting]) -> Vec<u8> {
    fn index<'a>(list: &mut Vec<&'a str>, name: &'a str) -> u32 {
        let at = list.iter().position(|n| *n == name).unwrap_or_else(|| {
            list.push(name);
            list.len() - 1
        });
        u32::try_from(at).unwrap_or(u32::MAX)
    }
    let mut descriptions = String::new();
    let mut chunk = StoredChunk {
        accounts: Vec::new(),
        roles: Vec::new(),
        descriptions: "",
        postings: Vec::with_capacity(postings.len()),
        lines: Vec::new(),
    };
    for (transaction, description, lines) in postings {
        descriptions.push_str(description);
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        chunk
            .postings
            .push((*transaction, at(description.len()), at(lines.len())));
        for (account, role, amount, base) in lines {
            let account = index(&mut chunk.accounts, account);
            let role = index(&mut chunk.roles, role);
            chunk.lines.push((account, role, *amount, *base));
        }
    }
    chunk.descriptions = &descriptions;
    postcard::to_allocvec(&chunk).unwrap_or_default()
}

/// Migration 005's step: the postings that 003's schema kept as JSON,
/// re-encoded into the new `gl_batch_postings`.
pub(crate) fn convert_postings_v5(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let mut read = tx.prepare("SELECT batch_id, chunk, postings FROM gl_batch_postings_v3")?;
    let mut write = tx
        .prepare("INSERT INTO gl_batch_postings (batch_id, chunk, postings) VALUES (?1, ?2, ?3)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(2)?;
        let postings: Vec<StoredPosting> = from_json(2, &json)?;
        write.execute(params![
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            encode_postings(&postings)
        ])?;
    }
    drop(rows);
    tx.execute_batch("DROP TABLE gl_batch_postings_v3")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_postings_round_trip_and_refuse_a_torn_chunk() {
        let postings: Vec<StoredPosting> = vec![
            (
                1,
                "Invoice \u{e9} C1".into(),
                vec![
                    ("1100".into(), "receivable".into(), 11, 11),
                    ("4000".into(), "sales".into(), -11, -11),
                ],
            ),
            (
                -2,
                String::new(),
                vec![("1100".into(), "receivable".into(), i64::MIN, i64::MAX)],
            ),
        ];
        let blob = encode_postings(&postings);
        assert_eq!(stored_postings(&blob).expect("decodes"), postings);
        for cut in [1, blob.len() / 2, blob.len() - 1] {
            assert!(stored_postings(&blob[..cut]).is_err(), "cut at {cut}");
        }
        // A description length inside a character is refused, not split.
        let mut chunk: StoredChunk<'_> = postcard::from_bytes(&blob).expect("chunk");
        chunk.postings[0].1 = 9;
        let torn = postcard::to_allocvec(&chunk).expect("encode");
        assert!(stored_postings(&torn).is_err());
    }
}
