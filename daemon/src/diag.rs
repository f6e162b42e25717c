//! Diagnostics in the style of cargo's: what is wrong, where (file, line,
//! column), and the line itself with the spot underlined.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One problem with the configuration, located in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file (then left
    /// out of JSON).
    #[serde(skip_serializing_if = "is_zero")]
    pub line: usize,
    /// 1-based column, in characters; 0 with line 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// The source line, for the snippet: at most [`SNIPPET`] characters of
    /// it around the spot, with `…` where it is cut.
    #[serde(skip)]
    pub snippet: Option<String>,
    /// How many characters of the snippet come before the spot.
    #[serde(skip)]
    pub lead: usize,
    /// How many characters to underline.
    #[serde(skip)]
    pub width: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The most characters of a line a snippet shows: a minified or generated
/// file can have a line of megabytes.
pub const SNIPPET: usize = 100;

impl Diagnostic {
    /// A problem at byte range `span` of `source`, the text of `file`.
    pub fn at(file: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        // A byte-order mark is not a column of the first line.
        let bom = if source.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let start = start.max(bom);
        let line_start = source[..start].rfind('\n').map_or(bom, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        let text = source[line_start..line_end].trim_end_matches('\r');
        let (before, length) = (column - 1, text.chars().count());
        // A window of the line that holds the spot, a third of it before.
        let from = if length <= SNIPPET {
            0
        } else {
            before.saturating_sub(SNIPPET / 3).min(length - SNIPPET)
        };
        let mut snippet: String = text.chars().skip(from).take(SNIPPET).collect();
        let mut lead = before - from;
        if from > 0 {
            snippet.insert(0, '…');
            lead += 1;
        }
        if from + SNIPPET < length {
            snippet.push('…');
        }
        Self {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            help: None,
            snippet: Some(snippet),
            lead,
            width: width.min(SNIPPET.saturating_sub(before - from)).max(1),
        }
    }

    /// A problem with a whole file (unreadable, say).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            snippet: None,
            lead: 0,
            width: 0,
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while at > 0 && !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` as it may be shown on a terminal: control characters other than
/// tab and newline as visible symbols (`␛` for ESC), one for one, so that a
/// file cannot send escape sequences to whoever reads its errors.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| hidden(c) && c != '\t' && c != '\n') {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' => c,
            '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\x7f' => '\u{2421}',
            c if hidden(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Whether a terminal would act on `c` or show nothing for it: control
/// characters, and the invisible format characters that reorder or hide
/// text (direction overrides, embeddings, isolates and marks, zero-width
/// characters, the byte-order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", printable(&self.message))?;
        let file = self.file.display().to_string();
        let file = printable(&file);
        if self.line == 0 {
            writeln!(f, "  --> {file}")?;
        } else {
            writeln!(f, "  --> {file}:{}:{}", self.line, self.column)?;
        }
        if let Some(snippet) = &self.snippet {
            let snippet = printable(snippet);
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {snippet}", self.line)?;
            let lead: String = snippet
                .chars()
                .take(self.lead)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {lead}{}", "^".repeat(self.width))?;
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line.to_string().len().max(1));
            writeln!(f, "{pad} = help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `word`, if close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (current + 1)
                .min(row[j] + 1)
                .min(previous + usize::from(ca != *cb));
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column() {
        let source = "[[group]]\ncode = \"L001\"\nnmae = \"Lokal\"\n";
        let at = source.find("nmae").expect("present");
        let d = Diagnostic::at(
            Path::new("g.toml"),
            source,
            at..at + 4,
            "unknown key `nmae`",
        )
        .with_help("did you mean `name`?");
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(
            d.to_string(),
            "error: unknown key `nmae`\n  --> g.toml:3:1\n  |\n3 | nmae = \"Lokal\"\n  | ^^^^\n  = help: did you mean `name`?\n"
        );
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let source = "name = \"a\x1b[2Jb\x07\"\n";
        let d = Diagnostic::at(Path::new("g\x1b.toml"), source, 9..10, "bad `\x1b`");
        let shown = d.to_string();
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07'),
            "{shown:?}"
        );
        assert!(
            shown.contains("name = \"a\u{241b}[2Jb\u{2407}\""),
            "{shown}"
        );
        assert!(shown.contains("--> g\u{241b}.toml:1:10"), "{shown}");
        assert!(shown.contains("  |          ^\n"), "{shown}");
    }

    #[test]
    fn an_overlong_line_is_shown_around_the_spot() {
        let mut source = "x".repeat(500_000);
        source.push_str("nmae");
        source.push_str(&"y".repeat(500_000));
        source.push('\n');
        let d = Diagnostic::at(
            Path::new("g.toml"),
            &source,
            500_000..500_004,
            "unknown key",
        );
        assert_eq!((d.line, d.column), (1, 500_001));
        let shown = d.to_string();
        assert!(shown.len() < 400, "{} bytes shown", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let snippet = lines[3].strip_prefix("1 | ").expect("snippet line");
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        let caret = lines[4].find('^').expect("caret") - "  | ".len();
        let under: String = snippet.chars().skip(caret).take(4).collect();
        assert_eq!(under, "nmae");
        assert_eq!(lines[4].matches('^').count(), 4);
        // Near the start of a long line: cut on the right only.
        let d = Diagnostic::at(
            Path::new("g.toml"),
            &source[499_990..],
            10..14,
            "unknown key",
        );
        let shown = d.to_string();
        let snippet = shown.lines().nth(3).expect("snippet");
        assert!(snippet.starts_with("1 | xxxxxxxxxxnmae"), "{snippet}");
        assert!(snippet.ends_with('…'));
    }

    #[test]
    fn invisible_characters_are_shown_and_a_bom_is_no_column() {
        let source = "\u{feff}nmae = \"a\u{202e}b\u{200b}\"\n";
        let at = source.find("nmae").expect("present");
        let d = Diagnostic::at(Path::new("g.toml"), source, at..at + 4, "unknown key");
        assert_eq!((d.line, d.column), (1, 1));
        let shown = d.to_string();
        assert!(
            !shown.contains('\u{feff}')
                && !shown.contains('\u{202e}')
                && !shown.contains('\u{200b}'),
            "{shown:?}"
        );
        assert!(
            shown.contains("1 | nmae = \"a\u{fffd}b\u{fffd}\"\n  | ^^^^\n"),
            "{shown}"
        );
        // Direction marks between words are invisible too; letters are not.
        assert_eq!(printable("a\u{2067}b"), "a\u{fffd}b");
        assert_eq!(printable("Köln"), "Köln");
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("nmae", &["code", "name"]), Some("name"));
        assert_eq!(
            did_you_mean("recievable-account", &["receivable-account"]),
            Some("receivable-account")
        );
        assert_eq!(did_you_mean("colour", &["code", "name"]), None);
    }
}
