//! What parsing yields: the files read, and each group they declare.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::companies::Companies;
use crate::packed::PackedGroup;

/// A source file, kept to point into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path, relative to the configuration directory.
    pub path: PathBuf,
    /// Its text (shared with the diagnostics that point into it).
    pub text: Arc<str>,
}

/// One group declared in a file.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// The file (index into [`crate::parse::Config::files`]).
    pub file: usize,
    /// The group as declared (not yet normalised: the plugin does that).
    pub group: PackedGroup,
    /// Whether the file takes over a group the host already has.
    pub adopt: bool,
    /// What the group sets for companies other than the default, as
    /// declared.
    pub companies: Companies,
    /// Digest of the declaration as written (its values, whether it
    /// adopts, what it sets per company; the host's format 2,
    /// `host_harness::store::digest::declaration_in`): equal
    /// digests need no new validation.
    pub digest: [u8; 32],
    /// Byte span of the whole table in its file.
    pub(crate) table: (u32, u32),
}

impl Declaration {
    /// Byte span of the whole table in its file.
    pub fn table(&self) -> Range<usize> {
        self.table.0 as usize..self.table.1 as usize
    }
}
