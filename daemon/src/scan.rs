//! Scanning: the `*.toml` files under the configuration directory, read
//! whole (sorted, symbolic links out of the directory refused, each file
//! at most [`MAX_FILE_BYTES`]), with a digest of everything read: equal
//! digests mean nothing changed.

use host_harness::messages::{self as m, Locale};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;

/// The largest configuration file read (a bigger one is refused).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The files read by [`scan`]: (path relative to the directory, bytes).
pub type Scanned = Vec<(PathBuf, Vec<u8>)>;

/// The `*.toml` files under `dir`, sorted, with a digest of their paths and
/// contents: equal digests mean nothing changed.
pub fn scan(dir: &Path, l: Locale) -> Result<(Scanned, String), Vec<Diagnostic>> {
    let root = dir.canonicalize().map_err(|e| {
        vec![Diagnostic::file(
            dir,
            m::file_cannot_open_dir(l, &e.to_string()),
        )]
    })?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    // Each directory is read once: a symbolic link back up the tree (or to a
    // directory read under another name) would read its files again.
    let mut dirs = HashMap::from([(root.clone(), m::file_the_dir_itself(l))]);
    let mut stack = vec![root.clone()];
    while let Some(current) = stack.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(Diagnostic::file(
                    &current,
                    m::file_cannot_read_dir(l, &e.to_string()),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue; // editors' swap and temporary files
            }
            let Ok(real) = path.canonicalize() else {
                continue; // a dangling link, or a file renamed away meanwhile
            };
            let relative = path.strip_prefix(&root).unwrap_or(&path).to_owned();
            if !real.starts_with(&root) {
                // The link's own name decides whether it would be read.
                if real.is_dir() || path.extension().is_some_and(|e| e == "toml") {
                    errors.push(Diagnostic::file(&relative, m::file_link_outside(l)));
                }
                continue;
            }
            if real.is_dir() {
                match dirs.entry(real) {
                    Entry::Occupied(first) => errors.push(Diagnostic::file(
                        &relative,
                        m::file_same_dir(l, first.get()),
                    )),
                    Entry::Vacant(slot) => {
                        slot.insert(format!("`{}`", relative.display()));
                        stack.push(path);
                    }
                }
            } else if path.extension().is_some_and(|e| e == "toml") {
                match std::fs::metadata(&real) {
                    // A named pipe would block the read forever, a device
                    // never end.
                    Ok(meta) if !meta.is_file() => {
                        errors.push(Diagnostic::file(&relative, m::file_not_regular(l)))
                    }
                    Ok(meta) if meta.len() > MAX_FILE_BYTES => errors.push(Diagnostic::file(
                        &relative,
                        m::file_too_large(l, meta.len(), MAX_FILE_BYTES),
                    )),
                    // Bounded again while reading: the file may have been
                    // swapped since it was looked at.
                    _ => match read_at_most(&real, MAX_FILE_BYTES) {
                        Ok(Some(bytes)) => found.push((relative, bytes)),
                        Ok(None) => errors.push(Diagnostic::file(
                            &relative,
                            m::file_grew_too_large(l, MAX_FILE_BYTES),
                        )),
                        Err(e) => errors.push(Diagnostic::file(
                            &relative,
                            m::file_cannot_read(l, &e.to_string()),
                        )),
                    },
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut digest = Sha256::new();
    for (path, bytes) in &found {
        digest.update(path.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(bytes);
    }
    Ok((found, hex::encode(digest.finalize())))
}

/// The file's bytes, or `None` when it holds more than `limit`.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}
