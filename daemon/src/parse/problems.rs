//! Where the reader of one file puts what it finds wrong: diagnostics at
//! byte spans of that file.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use host_harness::messages::{self as m, Locale};
use toml::Spanned;

use crate::diag::{Diagnostic, did_you_mean};

/// The problems found in one file.
pub struct Problems<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    found: &'a mut Vec<Diagnostic>,
    locale: Locale,
}

impl<'a> Problems<'a> {
    /// Problems of the file at `path` (relative to the directory), whose
    /// text is `text`, added to `found`, said in `locale`.
    pub fn new(
        path: &'a Path,
        text: &'a Arc<str>,
        found: &'a mut Vec<Diagnostic>,
        locale: Locale,
    ) -> Self {
        Self {
            path,
            text,
            found,
            locale,
        }
    }

    /// The language problems are said in.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// How many have been found so far (in every file).
    pub fn count(&self) -> usize {
        self.found.len()
    }

    /// A problem at `span`.
    pub fn push(&mut self, span: Range<usize>, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::at(self.path, self.text, span, message);
        d.help = help;
        self.found.push(d);
    }

    /// A key that is not one of `allowed` (of a `what` table): with the
    /// closest allowed key, or all of them.
    pub fn unknown_key(&mut self, key: &Spanned<Cow<'_, str>>, allowed: &[&str], what: &str) {
        let name = key.get_ref();
        let l = self.locale;
        let help = match did_you_mean(name, allowed) {
            Some(close) => m::file_did_you_mean(l, close),
            None => m::file_keys_are(l, what, &allowed.join(", ")),
        };
        self.push(key.span(), m::file_unknown_key(l, name), Some(help));
    }
}
