//! The funnel's caveat note (`FunnelReport::note`) in the reader's language.
//!
//! The analysis writes the note as English sentences, a free text without a code. Each sentence it
//! can write is in the i18n table under a `funnel.note.*` key whose English text is that sentence,
//! with `{}` where the analysis puts a value (a count of days, a column name). For Chinese, the
//! note is read sentence by sentence against those texts and each one is replaced by its Chinese
//! text with the same value. If any sentence is not in the table (the analysis has a new one), the
//! whole note stays in English: better the engine's own words than half a translation. The tests
//! pin every sentence the analysis writes today, so a new one fails them rather than the page.

use crate::view::fmt::Lang;
use crate::view::i18n::t;

/// The sentences of the funnel note the analysis can write, by i18n key.
const SENTENCES: [&str; 4] = [
    "funnel.note.events_over_traffic",
    "funnel.note.daily_sums",
    "funnel.note.item_rows_only",
    "funnel.note.missing_step",
];

/// `note` in `lang`: as written for English, sentence by sentence for Chinese (see the module doc).
pub(super) fn localised(note: &str, lang: Lang) -> String {
    match lang {
        Lang::En => note.to_string(),
        Lang::Zh => to_chinese(note).unwrap_or_else(|| note.to_string()),
    }
}

/// The Chinese note, or `None` when a sentence is not one of [`SENTENCES`].
fn to_chinese(note: &str) -> Option<String> {
    let mut rest = note.trim();
    let mut out = String::new();
    while !rest.is_empty() {
        let (key, value, after) = SENTENCES.iter().find_map(|&key| {
            let (value, after) = strip_sentence(rest, t(Lang::En, key))?;
            Some((key, value, after))
        })?;
        let zh = t(Lang::Zh, key);
        match value {
            Some(v) => out.push_str(&zh.replacen("{}", chinese_part(v), 1)),
            None => out.push_str(zh),
        }
        // English sentences are joined by a space; Chinese ones follow each other directly.
        rest = after.trim_start();
    }
    Some(out)
}

/// When `text` starts with `pattern` (one optional `{}` slot matching a non-empty value), the
/// value and the text after the sentence.
fn strip_sentence<'a>(text: &'a str, pattern: &str) -> Option<(Option<&'a str>, &'a str)> {
    match pattern.split_once("{}") {
        None => text.strip_prefix(pattern).map(|after| (None, after)),
        Some((head, tail)) => {
            let from_value = text.strip_prefix(head)?;
            let end = from_value.find(tail)?;
            let value = &from_value[..end];
            (!value.is_empty()).then_some((Some(value), &from_value[end + tail.len()..]))
        }
    }
}

/// The Chinese part of a bilingual value such as `访客数 (visitors)`, else the value as written.
fn chinese_part(value: &str) -> &str {
    match value.split_once(" (") {
        Some((zh, _)) if !zh.is_ascii() => zh,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_is_replaced_with_its_value() {
        let note = "Sum of daily unique counts over 10 day(s): a visitor who came on two days \
                    counts twice. No 加购人数 (cart users) column: that step is left out.";
        assert_eq!(
            localised(note, Lang::Zh),
            "按 10 天的每日去重人数相加：同一访客在两天来访会计为两人。\
             报表没有“加购人数”列，漏斗不含这一步。"
        );
        assert_eq!(
            localised(note, Lang::En),
            note,
            "English is the engine's own text"
        );
    }

    #[test]
    fn an_unknown_sentence_keeps_the_whole_note_in_english() {
        let note = "A traffic export is loaded too; the funnel uses the behaviour events. \
                    Something new.";
        assert_eq!(localised(note, Lang::Zh), note);
        assert_eq!(localised("", Lang::Zh), "");
        // A slot never matches an empty value.
        assert_eq!(
            strip_sentence(
                "No  column: that step is left out.",
                "No {} column: that step is left out."
            ),
            None
        );
    }

    #[test]
    fn values_keep_their_chinese_part() {
        assert_eq!(chinese_part("访客数 (visitors)"), "访客数");
        assert_eq!(chinese_part("12"), "12");
        assert_eq!(chinese_part("Sessions (all)"), "Sessions (all)");
    }
}
