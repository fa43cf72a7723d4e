//! The code unions of the npm package's types (`js/index.d.ts`) are the engine's code enums
//! (`shoplens::codes`): a code added to one and not the other fails here.

use std::collections::BTreeSet;
use std::path::Path;

use shoplens::codes::{Code, ErrorCode, NoteCode, ReasonCode, UnavailableCode};

/// Error codes thrown by the wasm binding (`crate/wasm`) and the JS wrapper (`js/`), not by the
/// engine: they are in the d.ts union but not in [`ErrorCode`].
const BINDING_ERROR_CODES: &[&str] = &[
    // crate/wasm
    "session_finished",
    "session_not_finished",
    "internal_error",
    "invalid_report",
    "no_document",
    "unknown_table",
    "unknown_chart",
    // js/
    "wasm_load_failed",
    "invalid_input",
    "read_failed",
    "aborted",
    "internal_panic",
    "session_lost",
    "not_available",
];

/// Codes that never reach a caller of the package: the page's own summary report stands in for
/// sections held by its engine worker with `in_engine_worker`.
const PAGE_ONLY: &[&str] = &["in_engine_worker"];

fn dts() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../js/index.d.ts");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The string literals of `export type {name} = | 'a' | 'b' …;`.
fn union(dts: &str, name: &str) -> BTreeSet<String> {
    let start = dts
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("index.d.ts has no type {name}"));
    let body = &dts[start..];
    let body = &body[..body.find(';').expect("a type ends with ;")];
    // Comments inside the union (`/** … */`) hold backquoted words, never quoted ones.
    body.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn rust<C: Code>() -> BTreeSet<String> {
    C::ALL
        .iter()
        .map(|c| c.code().to_string())
        .filter(|c| !PAGE_ONLY.contains(&c.as_str()))
        .collect()
}

#[test]
fn reason_note_and_unavailable_unions_are_the_engines_codes() {
    let dts = dts();
    assert_eq!(union(&dts, "ReasonCode"), rust::<ReasonCode>());
    assert_eq!(union(&dts, "NoteCode"), rust::<NoteCode>());
    assert_eq!(union(&dts, "UnavailableCode"), rust::<UnavailableCode>());
}

#[test]
fn error_code_union_is_the_engines_codes_and_the_bindings() {
    let dts = union(&dts(), "ErrorCode");
    let engine = rust::<ErrorCode>();
    let missing: Vec<&String> = engine.difference(&dts).collect();
    assert!(
        missing.is_empty(),
        "ErrorCode in index.d.ts lacks {missing:?}"
    );
    let binding: BTreeSet<String> = dts.difference(&engine).cloned().collect();
    let listed: BTreeSet<String> = BINDING_ERROR_CODES.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        binding, listed,
        "codes in index.d.ts's ErrorCode that the engine does not have must be the binding's"
    );
}

#[test]
fn codes_are_unique_snake_case_with_both_texts() {
    fn check<C: Code + std::fmt::Debug>() {
        let mut seen = BTreeSet::new();
        for &c in C::ALL {
            let code = c.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.starts_with(|ch: char| ch.is_ascii_lowercase())
                    && code
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "{code} is not snake_case"
            );
            assert!(
                !c.zh().trim().is_empty() && !c.en().trim().is_empty(),
                "{c:?}"
            );
            // The serde form is the code, both ways.
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{code}\""));
        }
    }
    check::<ReasonCode>();
    check::<NoteCode>();
    check::<UnavailableCode>();
    check::<ErrorCode>();
    assert_eq!(
        serde_json::from_str::<ReasonCode>("\"invalid_money\"").unwrap(),
        ReasonCode::InvalidMoney
    );
    assert!(serde_json::from_str::<ReasonCode>("\"no_such_code\"").is_err());
}
