//! `Session`: streaming ingest from JS. `push(file, chunk)` any number of times per file, in any
//! order across files, `endFile(file)`, then `finish()` for the report. The JS wrapper
//! (`js/index.js`) drives it from `Blob.stream()` so a multi-GB file never sits whole in memory.

use serde::Serialize;
use shoplens::ingest::{self, FileProgress, Loaded};
use shoplens::report::{analyze, AnalyzeOptions, Report};
use wasm_bindgen::prelude::*;

use crate::errors::{from_core, internal, invalid_option};

/// Serialise to plain JS objects: maps as objects (not `Map`), and `None` as `null` (not
/// `undefined`), so the JS value has the same keys and values as the report's JSON form and
/// `JSON.stringify` keeps every field.
pub fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    v.serialize(&serializer).map_err(internal)
}

/// Options from JS. They go through JSON text because serde-wasm-bindgen reads a struct by its
/// declared fields and so never sees an unknown one: with serde_json, `deny_unknown_fields` turns
/// a typo such as `{ cohort: { grian: "week" } }` into an `invalid_option` error.
pub fn parse_options<T: serde::de::DeserializeOwned + Default>(
    options: &JsValue,
) -> Result<T, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(T::default());
    }
    let text = js_sys::JSON::stringify(options)
        .map_err(|_| invalid_option("options must be a plain object"))?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text).map_err(invalid_option)
}

fn finished() -> JsValue {
    crate::errors::js_error(
        "session_finished",
        "This session was already finished.",
        None,
        None,
        None,
    )
}

/// Files smaller than this are read in one pass: part workers cost more than they save (starting
/// one took ~0.8 s, longer than reading 150 MB; BENCHMARKS.md "Parallel reading").
pub const PARALLEL_MIN_BYTES: u64 = 48 << 20;

/// Files larger than this are read in one pass: parallel reading needs more memory than one pass
/// (see [`Session::parallel_parts`]), and beyond 1 GiB the page keeps to the leaner one.
pub const PARALLEL_MAX_BYTES: u64 = 1 << 30;

#[wasm_bindgen]
pub struct Session {
    inner: Option<ingest::Session>,
    /// The tables, kept after `finish` so `reanalyze` can apply new filters and analysis options
    /// without reading the files again.
    loaded: Option<Loaded>,
    options: AnalyzeOptions,
}

#[wasm_bindgen]
impl Session {
    /// `options`: the `AnalyzeOptions` object (or `undefined`). Unknown fields throw `invalid_option`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Session, JsValue> {
        let options: AnalyzeOptions = parse_options(&options)?;
        Ok(Session {
            inner: Some(ingest::Session::new(options.ingest.clone())),
            loaded: None,
            options,
        })
    }

    /// After `finish`: the files' load reports and the options of the last analysis (for the SQL
    /// scripts, `crate::sql`).
    pub(crate) fn finished_loads(
        &self,
    ) -> Result<(&[shoplens::ingest::LoadReport], &AnalyzeOptions), JsValue> {
        let loaded = self.loaded("toSql")?;
        Ok((&loaded.reports, &self.options))
    }

    /// The tables kept by `finish`, or `session_not_finished` saying that `what` needs them.
    fn loaded(&self, what: &str) -> Result<&Loaded, JsValue> {
        self.loaded.as_ref().ok_or_else(|| {
            crate::errors::js_error(
                "session_not_finished",
                &format!("{what} needs a finished session: call finish() first."),
                None,
                None,
                None,
            )
        })
    }

    fn session(&mut self) -> Result<&mut ingest::Session, JsValue> {
        self.inner.as_mut().ok_or_else(finished)
    }

    /// Feed the next chunk of `file`. Throws a structured error when the file cannot be read.
    pub fn push(&mut self, file: &str, chunk: &[u8]) -> Result<(), JsValue> {
        self.session()?.push(file, chunk).map_err(|e| from_core(&e))
    }

    /// Mark `file` complete.
    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self, file: &str) -> Result<(), JsValue> {
        self.session()?.end_file(file).map_err(|e| from_core(&e))
    }

    /// `[{ file, bytes, rows }]` so far.
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        match &self.inner {
            Some(s) => to_js(&s.progress()),
            None => Ok(js_sys::Array::new().into()),
        }
    }

    /// `{ file, bytes, rows }` of one file so far, or `undefined` before its first chunk: cheaper
    /// than `progress()` for a caller that reports after every chunk.
    #[wasm_bindgen(js_name = fileProgress)]
    pub fn file_progress(&self, file: &str) -> Result<JsValue, JsValue> {
        let Some(session) = &self.inner else {
            return Ok(JsValue::UNDEFINED);
        };
        match session.reports().find(|r| r.file == file) {
            Some(report) => to_js(&FileProgress {
                file: report.file.clone(),
                bytes: report.bytes,
                rows: report.rows_read,
            }),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Once `file`'s header is read (after its first 64 KiB), how a later part of it, cut at a line
    /// start, is read in another session: pass it as `ingest.files[file].continuation` there.
    /// `undefined` when the file cannot be split (see `shoplens::ingest::parallel`).
    pub fn continuation(&self, file: &str) -> Result<JsValue, JsValue> {
        match self.inner.as_ref().and_then(|s| s.continuation(file)) {
            Some(c) => to_js(&c),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// How many engine instances should read `file` (`size` bytes) when `cores` can run at once:
    /// the page's memory policy for parallel reading, asked here rather than mirrored in JS. One
    /// (a single pass) when the file cannot be cut (no `continuation` yet, or an export that must be
    /// read in one pass), when it is smaller than [`PARALLEL_MIN_BYTES`] or larger than
    /// [`PARALLEL_MAX_BYTES`], or when a parallel read would not fit the session's memory limit
    /// (`ingest.memory_limit_bytes`, default the 4 GiB of a wasm instance): while parts are
    /// appended the engine holds a part's bytes and tables beside the whole file's, measured at up
    /// to 1.5× the one-pass peak ([`ingest::estimated_peak_bytes`]; BENCHMARKS.md: 1.29× vs 1.05×
    /// the file on orders, 2.1× vs 1.4× on a log). Else `cores`.
    #[wasm_bindgen(js_name = parallelParts)]
    pub fn parallel_parts(&self, file: &str, size: f64, cores: u32) -> u32 {
        let Some(continuation) = self.inner.as_ref().and_then(|s| s.continuation(file)) else {
            return 1;
        };
        let size = size as u64;
        if cores < 2 || !(PARALLEL_MIN_BYTES..=PARALLEL_MAX_BYTES).contains(&size) {
            return 1;
        }
        let one_pass = ingest::estimated_peak_bytes(
            continuation.kind,
            // A continuation names UTF-8 or GB18030; anything else counts as the denser GBK.
            ingest::TextEncoding::from_name(&continuation.encoding)
                .unwrap_or(ingest::TextEncoding::Gb18030),
            size,
        );
        let limit = self
            .options
            .ingest
            .memory_limit_bytes
            .unwrap_or(ingest::WASM_MEMORY_LIMIT);
        if one_pass.saturating_mul(3) / 2 > limit {
            return 1;
        }
        cores
    }

    /// For a session reading a later part of `file` with a continuation: end it and hand over what
    /// it read, as bytes for `appendPart` in the session that reads the file's start. Throws
    /// `unclosed_quote` when the part ends inside a quoted field (the cut was not a record start:
    /// read the file in one pass instead). The session is finished afterwards.
    #[wasm_bindgen(js_name = finishPart)]
    pub fn finish_part(&mut self, file: &str) -> Result<Vec<u8>, JsValue> {
        let session = self.inner.take().ok_or_else(finished)?;
        let part = session.finish_part(file).map_err(|e| from_core(&e))?;
        Ok(ingest::parallel::encode(&part))
    }

    /// After `endFile(file)`: append the next part of `file` (bytes from `finishPart`), in file order.
    #[wasm_bindgen(js_name = appendPart)]
    pub fn append_part(&mut self, file: &str, part: &[u8]) -> Result<(), JsValue> {
        self.session()?
            .append_encoded_part(file, part)
            .map_err(|e| from_core(&e))
    }

    /// End all files and compute the report (a plain object; see `Report` in index.d.ts).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        crate::handover::report_to_js(&self.finish_report()?)
    }

    /// `finish`, with the report as JSON text (one `JSON.parse` in JS, or stored as it is): for
    /// callers that pass the report on as text. The benchmark measures both hand-overs.
    #[wasm_bindgen(js_name = finishJson)]
    pub fn finish_json(&mut self) -> Result<String, JsValue> {
        serde_json::to_string(&self.finish_report()?).map_err(internal)
    }

    /// `finish` for a page that draws the report from this instance (the engine worker): the
    /// report stays here as a `ReportView` (its `summary()`, `renderTree()` and exports hand over
    /// what the page shows), instead of being converted to a JS object.
    #[wasm_bindgen(js_name = finishView)]
    pub fn finish_view(&mut self) -> Result<crate::render::ReportView, JsValue> {
        Ok(crate::page::report_view(self.finish_report()?))
    }

    fn finish_report(&mut self) -> Result<Report, JsValue> {
        let session = self.inner.take().ok_or_else(finished)?;
        let loaded = self.loaded.insert(session.finish());
        analyze(loaded, &self.options).map_err(|e| from_core(&e))
    }

    /// After `finish`: the report for other filters and analysis options over the same tables,
    /// without reading the files again. `options.ingest` is not applied (column roles, kinds and
    /// the time zone shape the tables themselves): a new session re-reads the files for those.
    pub fn reanalyze(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        crate::handover::report_to_js(&self.reanalyze_report(options)?)
    }

    /// `reanalyze`, with the report kept in this instance as a `ReportView` (see `finishView`).
    #[wasm_bindgen(js_name = reanalyzeView)]
    pub fn reanalyze_view(
        &mut self,
        options: JsValue,
    ) -> Result<crate::render::ReportView, JsValue> {
        Ok(crate::page::report_view(self.reanalyze_report(options)?))
    }

    fn reanalyze_report(&mut self, options: JsValue) -> Result<Report, JsValue> {
        let options: AnalyzeOptions = parse_options(&options)?;
        let report = analyze(self.loaded("reanalyze")?, &options).map_err(|e| from_core(&e))?;
        self.options = options;
        Ok(report)
    }
}
