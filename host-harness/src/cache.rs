//! The precompiled-component cache: compiling the plugin takes tens of
//! milliseconds (seconds in a debug build), loading what an earlier run
//! compiled takes a fraction of one.
//!
//! Deserialising compiled code is trusting it: wasmtime runs it as it is.
//! So the cache only ever loads files this host wrote, by these rules:
//!
//! - the host writes an artifact itself, to a temporary file in the cache
//!   directory that it then renames into place, so no reader sees half a file;
//! - the directory is created private (`0700`), and a directory or file that
//!   is a symlink, belongs to another user, or that others may write to, is
//!   not trusted: the host compiles instead and says why;
//! - the file name is a digest of the engine's compatibility hash (wasmtime
//!   version, compiler settings, CPU features) and the component's sha256, so
//!   an upgraded host or another plugin never picks up a stale artifact, and
//!   wasmtime checks the artifact's own header again on load.
//!
//! The trust boundary is the operating-system user the host runs as, as for
//! the database file beside it.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Bumped whenever the cache's layout or key changes.
const LAYOUT: &[u8] = b"erp-host compiled plugin cache v1";

/// A directory of components compiled by this host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileCache {
    dir: PathBuf,
}

/// Why a cached artifact was not used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The directory or file may have been written by someone else.
    #[error("{path} is not trusted: {why}")]
    Untrusted {
        /// The directory or file.
        path: PathBuf,
        /// What is wrong with it.
        why: &'static str,
    },
    /// Reading, creating or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// wasmtime refused the artifact (corrupt, truncated, another engine).
    #[error("{path} cannot be loaded: {message}")]
    Refused {
        /// The file.
        path: PathBuf,
        /// wasmtime's reason.
        message: String,
    },
}

impl CompileCache {
    /// The cache of the database at `db`: `<db>.plugin-cache/` beside it.
    pub fn beside(db: &Path) -> Self {
        let mut name = db.file_name().unwrap_or_default().to_os_string();
        name.push(".plugin-cache");
        Self {
            dir: db.with_file_name(name),
        }
    }

    /// A cache in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the artifact of the component with sha256 `digest` lives for
    /// `engine`.
    pub fn path_for(&self, engine: &Engine, digest: &[u8; 32]) -> PathBuf {
        let mut hasher = ShaHasher(Sha256::new());
        hasher.0.update(LAYOUT);
        engine.precompile_compatibility_hash().hash(&mut hasher);
        hasher.0.update(digest);
        let key = hex::encode(hasher.0.finalize());
        self.dir.join(format!("{key}.cwasm"))
    }

    /// The cached artifact of the component, if this host wrote one.
    /// `Ok(None)` when there is none yet.
    pub fn load(
        &self,
        engine: &Engine,
        digest: &[u8; 32],
    ) -> Result<Option<Component>, CacheError> {
        let path = self.path_for(engine, digest);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(CacheError::Io { path, source }),
            Ok(_) => {}
        }
        trusted(&self.dir, Kind::Dir)?;
        trusted(&path, Kind::File)?;
        // SAFETY: `deserialize_file` runs the file's machine code as it is.
        // The file is one this host compiled and wrote: it sits under a key
        // only this engine and component produce, in a private directory of
        // ours, and neither it nor the directory is a symlink or writable by
        // another user (checked just above). wasmtime checks its header and
        // engine compatibility again, and it is mapped, not modified, here.
        #[allow(unsafe_code)]
        let component = unsafe { Component::deserialize_file(engine, &path) };
        component.map(Some).map_err(|e| CacheError::Refused {
            path,
            message: format!("{e:#}"),
        })
    }

    /// Writes the compiled `component` to the cache, atomically.
    pub fn store(
        &self,
        engine: &Engine,
        digest: &[u8; 32],
        component: &Component,
    ) -> Result<PathBuf, CacheError> {
        let path = self.path_for(engine, digest);
        let io = |source| CacheError::Io {
            path: self.dir.clone(),
            source,
        };
        create_private_dir(&self.dir).map_err(io)?;
        trusted(&self.dir, Kind::Dir)?;
        let bytes = component.serialize().map_err(|e| CacheError::Refused {
            path: path.clone(),
            message: format!("{e:#}"),
        })?;
        // tempfile creates the file 0600 and with a name nobody can guess.
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(io)?;
        file.write_all(&bytes).map_err(io)?;
        file.as_file().sync_all().map_err(io)?;
        file.persist(&path).map_err(|e| io(e.error))?;
        Ok(path)
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Dir,
    File,
}

/// Whether `path` is ours alone: not a symlink, of the right kind, owned by
/// the user we run as, and not writable by group or others.
fn trusted(path: &Path, kind: Kind) -> Result<(), CacheError> {
    let untrusted = |why| CacheError::Untrusted {
        path: path.to_owned(),
        why,
    };
    let meta = fs::symlink_metadata(path).map_err(|source| CacheError::Io {
        path: path.to_owned(),
        source,
    })?;
    if meta.file_type().is_symlink() {
        return Err(untrusted("it is a symlink"));
    }
    match kind {
        Kind::Dir if !meta.is_dir() => return Err(untrusted("it is not a directory")),
        Kind::File if !meta.is_file() => return Err(untrusted("it is not a regular file")),
        _ => {}
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Err(untrusted("it belongs to another user"));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(untrusted("group or others may write to it"));
        }
    }
    Ok(())
}

/// Feeds what `Hash` writes into sha256, so the key is stable across runs
/// (`DefaultHasher` promises no such thing).
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        // Only the sha256 is used; `Hasher` requires a u64 view.
        let digest = self.0.clone().finalize();
        u64::from_le_bytes([
            digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
        ])
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
