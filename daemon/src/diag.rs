//! Diagnostics in the style of cargo's: what is wrong, where (file, line,
//! column), and the line itself with the spot underlined, rendered by
//! `annotate-snippets` (the renderer cargo and rustc use). What stays here
//! is what the renderer does not do: finding the line and column of a byte
//! span (they go into JSON, the logs and the run log, not only the
//! rendering), and making text from a file safe to show (see [`printable`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
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
    /// The line the problem is on, for the snippet.
    #[serde(skip)]
    pub source: Option<SourceLine>,
}

/// The line a diagnostic points into: the file's text is shared, not
/// copied (a file's diagnostics all point into one text, and a line may be
/// megabytes long).
#[derive(Clone)]
pub struct SourceLine {
    text: Arc<str>,
    /// The line's bytes in `text` (without its line break, or a BOM).
    line: Range<usize>,
    /// The bytes underlined, within the line.
    spot: Range<usize>,
}

impl SourceLine {
    /// The line's text.
    pub fn line(&self) -> &str {
        &self.text[self.line.clone()]
    }

    /// The part of the line underlined, as byte offsets into [`Self::line`].
    pub fn spot(&self) -> Range<usize> {
        self.spot.clone()
    }
}

impl PartialEq for SourceLine {
    fn eq(&self, other: &Self) -> bool {
        self.line() == other.line() && self.spot == other.spot
    }
}

impl Eq for SourceLine {}

impl fmt::Debug for SourceLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceLine")
            .field("line", &self.line())
            .field("spot", &self.spot)
            .finish()
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How wide a snippet is drawn, in columns: a longer line is cut around the
/// spot (the renderer marks a cut with `...`), so that a minified or
/// generated file's line of megabytes prints as one screen line.
pub const SNIPPET: usize = 100;

/// How far past the spot the line is handed to the renderer: it cuts well
/// before that, and need not measure the rest of a huge line.
const TAIL: usize = 2 * SNIPPET;

impl Diagnostic {
    /// A problem at byte range `span` of `source`, the text of `file`.
    pub fn at(
        file: &Path,
        source: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let text: &str = source;
        let start = floor_char_boundary(text, span.start.min(text.len()));
        // A byte-order mark is not a column of the first line.
        let bom = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let start = start.max(bom);
        let line_start = text[..start].rfind('\n').map_or(bom, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        let shown_end = line_start + text[line_start..line_end].trim_end_matches('\r').len();
        let (start, end) = (start.min(shown_end), end.min(shown_end));
        // The renderer measures the line up to the spot (for the column it
        // prints) and a little after it.
        let tail = text[end..shown_end]
            .char_indices()
            .nth(TAIL)
            .map_or(shown_end, |(i, _)| end + i);
        Self {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            help: None,
            source: Some(SourceLine {
                text: source.clone(),
                line: line_start..tail,
                spot: start - line_start..end - line_start,
            }),
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
            source: None,
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic as cargo would print it, in colour if `colour`; each
    /// line ends with a line break.
    pub fn render(&self, colour: bool) -> String {
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .term_width(SNIPPET);
        let file = self.file.display().to_string();
        let file = printable(&file);
        let message = printable(&self.message);
        let mut group = Group::with_title(Level::ERROR.primary_title(message));
        // Shown one character for one, so the spot moves only by the
        // characters' lengths in bytes.
        let shown = self.source.as_ref().map(|source| {
            let line = source.line();
            let spot = source.spot();
            let (before, within) = (&line[..spot.start], &line[spot.clone()]);
            let (before, within) = (printable(before), printable(within));
            let start = before.len();
            (printable(line), start..start + within.len())
        });
        match (&shown, self.line) {
            (Some((line, spot)), 1..) => {
                group = group.element(
                    Snippet::source(line.as_ref())
                        .line_start(self.line)
                        .path(file)
                        .annotation(AnnotationKind::Primary.span(spot.clone())),
                );
            }
            _ => group = group.element(Origin::path(file)),
        }
        let help = self.help.as_deref().map(printable);
        if let Some(help) = help {
            group = group.element(Level::HELP.message(help));
        }
        let mut text = renderer.render(&[group]);
        text.push('\n');
        text
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
///
/// The renderer replaces C0 controls and the direction overrides and
/// isolates itself, but not C1 controls (`\u{9b}` is CSI on some
/// terminals), zero-width characters, direction marks or a byte-order mark;
/// and the plan, status and log lines are not rendered by it.
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
        f.write_str(&self.render(false))
    }
}

/// The closest of `candidates` to `word`, if close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> Arc<str> {
        Arc::from(source)
    }

    #[test]
    fn points_at_line_and_column() {
        let source = text("[[group]]\ncode = \"L001\"\nnmae = \"Lokal\"\n");
        let at = source.find("nmae").expect("present");
        let d = Diagnostic::at(
            Path::new("g.toml"),
            &source,
            at..at + 4,
            "unknown key `nmae`",
        )
        .with_help("did you mean `name`?");
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(
            d.to_string(),
            "error: unknown key `nmae`\n --> g.toml:3:1\n  |\n3 | nmae = \"Lokal\"\n  | ^^^^\n  |\n  = help: did you mean `name`?\n"
        );
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let source = text("name = \"a\x1b[2Jb\x07\"\n");
        let d = Diagnostic::at(Path::new("g\x1b.toml"), &source, 9..10, "bad `\x1b`");
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
        let source = text(&source);
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
        assert_eq!(lines[1], " --> g.toml:1:500001");
        let snippet = lines[3].strip_prefix("1 | ").expect("snippet line");
        assert!(
            snippet.starts_with("...") && snippet.ends_with("..."),
            "{snippet}"
        );
        let caret = lines[4].find('^').expect("caret") - "  | ".len();
        let under: String = snippet.chars().skip(caret).take(4).collect();
        assert_eq!(under, "nmae");
        assert_eq!(lines[4].matches('^').count(), 4);
        // Near the start of a long line: cut on the right only.
        let d = Diagnostic::at(
            Path::new("g.toml"),
            &text(&source[499_990..]),
            10..14,
            "unknown key",
        );
        let shown = d.to_string();
        let snippet = shown.lines().nth(3).expect("snippet");
        assert!(snippet.starts_with("1 | xxxxxxxxxxnmae"), "{snippet}");
        assert!(snippet.ends_with("..."));
    }

    #[test]
    fn invisible_characters_are_shown_and_a_bom_is_no_column() {
        let source = text("\u{feff}nmae = \"a\u{202e}b\u{200b}\"\n");
        let at = source.find("nmae").expect("present");
        let d = Diagnostic::at(Path::new("g.toml"), &source, at..at + 4, "unknown key");
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
    fn the_spot_stays_under_its_text_after_escaping_and_in_colour() {
        // Each ESC before the spot is three bytes once shown.
        let source = text("a\x1b\x1b\x1b = \"Köln\" # ✓\n");
        let at = source.find("Köln").expect("present");
        let d = Diagnostic::at(Path::new("g.toml"), &source, at..at + "Köln".len(), "bad");
        assert_eq!((d.line, d.column), (1, 9));
        let shown = d.to_string();
        assert!(shown.contains(" --> g.toml:1:9\n"), "{shown}");
        assert!(shown.contains("  |         ^^^^\n"), "{shown}");
        let coloured = d.render(true);
        assert!(coloured.contains('\x1b'), "{coloured:?}");
        assert!(!d.render(false).contains('\x1b'));
        // A whole file: no line, no snippet.
        let d = Diagnostic::file(Path::new("pipe.toml"), "not a regular file").with_help("no");
        assert_eq!(
            d.to_string(),
            "error: not a regular file\n--> pipe.toml\n = help: no\n"
        );
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
