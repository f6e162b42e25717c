//! README.md's sample outputs are what `erp-host` prints.
//!
//! A sample is a fenced block right after a marker line
//! `<!-- check (exit N): erp-host ARGS -->`: the test runs the real binary
//! with ARGS (shell quoting: `"..."` and `'...'`) on a fresh database set up
//! by `erp-host quickstart`, and compares its exit code and its output
//! (stdout, then stderr) with the block, exactly. `erp-sync`'s samples
//! are checked by `daemon/tests/cli.rs`.

#![cfg(unix)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_erp-host");
const README: &str = include_str!("../../README.md");

/// One sample: the marker's line number, arguments, exit code, and the block.
#[derive(Debug)]
struct Sample {
    line: usize,
    args: Vec<String>,
    exit: i32,
    expected: String,
}

/// Splits a command line as a shell would for plain words and quotes.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '"' | '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    w.push(q);
                }
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    words
}

fn samples(readme: &str) -> Vec<Sample> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- check (exit ")
            .and_then(|m| m.strip_suffix("-->"))
        else {
            continue;
        };
        let (exit, command) = marker.split_once("):").expect("`(exit N): command`");
        let mut args = shell_words(command);
        if args.first().map(String::as_str) != Some("erp-host") {
            continue; // erp-sync's: daemon/tests/cli.rs
        }
        args.remove(0);
        let fence = lines.get(i + 1).map(|l| l.trim());
        assert!(
            fence.is_some_and(|f| f.starts_with("```")),
            "line {}: the marker must be right above a fenced block",
            i + 1
        );
        let expected: String = lines[i + 2..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .map(|l| format!("{l}\n"))
            .collect();
        found.push(Sample {
            line: i + 1,
            args,
            exit: exit.trim().parse().expect("an exit code"),
            expected,
        });
    }
    found
}

#[test]
fn shell_words_reads_quotes() {
    assert_eq!(
        shell_words(r#"erp-host group new --code "X-1" --name "" --x 'a b'"#),
        [
            "erp-host", "group", "new", "--code", "X-1", "--name", "", "--x", "a b"
        ]
    );
}

#[test]
fn the_readme_s_sample_outputs_are_what_erp_host_prints() {
    let samples = samples(README);
    assert!(
        samples.len() >= 3,
        "README.md lost its checked samples: {samples:?}"
    );
    let mut wrong = Vec::new();
    for sample in &samples {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("erp.sqlite");
        let clean = |cmd: &mut Command| {
            for var in ["ERP_DB", "ERP_USER", "ERP_LOCALE", "NO_COLOR"] {
                cmd.env_remove(var);
            }
        };
        let mut setup = Command::new(BIN);
        setup.arg("--db").arg(&db).arg("quickstart");
        clean(&mut setup);
        assert!(setup.output().expect("quickstart").status.success());
        let mut cmd = Command::new(BIN);
        cmd.arg("--db").arg(&db).args(&sample.args);
        clean(&mut cmd);
        let output = cmd.output().expect("run erp-host");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if printed != sample.expected || output.status.code() != Some(sample.exit) {
            wrong.push(format!(
                "README.md line {}: erp-host {:?} exited {:?} and printed:\n{printed}\
                 README.md says (exit {}):\n{}",
                sample.line,
                sample.args,
                output.status.code(),
                sample.exit,
                sample.expected
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
