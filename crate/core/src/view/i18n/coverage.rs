//! Every code the engine can put in a report has a text in both languages.
//!
//! The codes are read from the engine's own source, the way one would grep for them, so a code
//! added to ingest or an analysis without a zh-CN text fails here instead of showing in English on
//! the Chinese page. What is read (test code left out):
//! - `note.*`: `.note("code", …)` on a load report;
//! - `reason.*`: `.reject("code", …)`, `.skip("code", …)`, `Reject::new("code", …)`,
//!   `code: "code"` (a `Reject` built in place), the code argument of `.required(…)`, and the codes
//!   of `ValueError::code` (schema/value.rs);
//! - `unavailable.*`: `Unavailable::new("code", …)`;
//! - `error.*`: the codes of `ErrorKind::code` (error.rs), a file's read error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{lookup, Lang};

/// The engine's source: `src/` of this crate.
fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The non-test Rust source of every file under `dir` (or of `dir` itself when it is a file).
/// Test files (`tests.rs`, `testkit.rs`, `tests/`) are left out, and a file's inline
/// `#[cfg(test)] mod tests { … }`, which comes last, is cut off.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "tests") {
                continue;
            }
            let entries = std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            pending.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        } else if path.extension().is_some_and(|x| x == "rs")
            && !path
                .file_stem()
                .is_some_and(|s| s == "tests" || s == "testkit")
        {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            out.push((path, without_inline_tests(&text).to_string()));
        }
    }
    out.sort();
    out
}

fn without_inline_tests(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "#[cfg(test)]" {
            let next = text[offset + line.len()..].trim_start();
            if next.starts_with("mod ") && next.lines().next().is_some_and(|l| l.ends_with('{')) {
                return &text[..offset];
            }
        }
        offset += line.len();
    }
    text
}

/// A snake_case code: what the engine's codes look like (and a message never does).
fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The string literal at the start of `text` (after whitespace), if any.
fn leading_literal(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

/// Codes written as the first argument after each `marker` (e.g. `.note(`).
fn first_arguments(source: &str, marker: &str) -> Vec<String> {
    source
        .match_indices(marker)
        .filter_map(|(at, _)| leading_literal(&source[at + marker.len()..]))
        .filter(|s| is_code(s))
        .map(str::to_string)
        .collect()
}

/// The code argument of each `.required(value, field, "code", "what")?;` call: the first
/// snake_case literal of the statement.
fn required_codes(source: &str) -> Vec<String> {
    source
        .match_indices(".required(")
        .filter_map(|(at, _)| {
            let call = &source[at..];
            let statement = &call[..call.find(';').unwrap_or(call.len())];
            statement.split('"').skip(1).step_by(2).find(|s| is_code(s))
        })
        .map(str::to_string)
        .collect()
}

/// The codes returned by the `fn code(` of `file`: its `=> "code"` arms.
fn code_fn_arms(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let start = text
        .find("fn code(")
        .unwrap_or_else(|| panic!("{file:?} has no fn code"));
    let body = &text[start..];
    let body = &body[..body.find("\n    }\n").unwrap_or(body.len())];
    first_arguments(body, "=>")
}

/// Every code the engine can emit, with the i18n prefix the views look it up under.
fn emitted_codes() -> BTreeSet<(&'static str, String)> {
    let src = src_dir();
    let mut codes = BTreeSet::new();
    for dir in ["ingest", "analysis", "schema", "report.rs"] {
        for (_, source) in sources(&src.join(dir)) {
            for code in first_arguments(&source, ".note(") {
                codes.insert(("note", code));
            }
            for marker in [".reject(", ".skip(", "Reject::new(", "code: "] {
                for code in first_arguments(&source, marker) {
                    codes.insert(("reason", code));
                }
            }
            for code in required_codes(&source) {
                codes.insert(("reason", code));
            }
            for code in first_arguments(&source, "Unavailable::new(") {
                codes.insert(("unavailable", code));
            }
        }
    }
    for code in code_fn_arms(&src.join("schema/value.rs")) {
        codes.insert(("reason", code));
    }
    // Invalid funnel options make the funnel section unavailable under their code.
    for code in code_fn_arms(&src.join("analysis/funnel/mod.rs")) {
        codes.insert(("unavailable", code));
    }
    for code in code_fn_arms(&src.join("error.rs")) {
        codes.insert(("error", code));
    }
    codes
}

#[test]
fn every_code_the_engine_emits_has_both_languages() {
    let codes = emitted_codes();
    // The scan finds what it should: one code of each way of writing one.
    for (prefix, code) in [
        ("note", "container"),
        ("note", "unknown_status_ignored"),
        ("note", "no_customer_ids"),
        ("reason", "ragged_row"),
        ("reason", "blank_line"),
        ("reason", "title_line"),
        ("reason", "order_not_loaded"),
        ("reason", "implausible_date"),
        ("reason", "missing_user_id"),
        ("reason", "scientific_id"),
        ("unavailable", "no_events"),
        ("error", "unclosed_quote"),
    ] {
        assert!(
            codes.contains(&(prefix, code.to_string())),
            "the scan missed {prefix}.{code}: {codes:?}"
        );
    }
    let missing: Vec<String> = codes
        .iter()
        .map(|(prefix, code)| format!("{prefix}.{code}"))
        .filter(|key| lookup(Lang::Zh, key).is_none() || lookup(Lang::En, key).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a text in the i18n table: {missing:?}"
    );
}

#[test]
fn the_scan_reads_calls_as_written() {
    let source = r#"
        report.note(
            "first_note",
            "Message with \"quotes\".",
        );
        report.note(code_in_a_variable, "not a literal");
        iter.skip(1);
        let r = self.required(None::<()>, f, "missing_time", "The order time")?;
        let s = self.required(
            self.id(rec, Field::UserId)?,
            Field::UserId,
            "missing_user_id",
            "The user id",
        )?;
    "#;
    assert_eq!(first_arguments(source, ".note("), ["first_note"]);
    assert!(first_arguments(source, ".skip(").is_empty());
    assert_eq!(required_codes(source), ["missing_time", "missing_user_id"]);
    let with_tests =
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    x.note(\"only_in_a_test\", \"\");\n}\n";
    assert_eq!(without_inline_tests(with_tests), "fn a() {}\n");
    let out_of_line = "#[cfg(test)]\nmod tests;\nfn a() {}\n";
    assert_eq!(without_inline_tests(out_of_line), out_of_line);
}
