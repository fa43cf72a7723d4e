//! SQL scripts of the figures (issue 14, `shoplens::sql`) for JS: from a finished `Session`
//! (`toSql`, `sqlOffers`: its load reports and the options it analysed with), or from load
//! reports and options given back (`toSql`, `sqlOffers` free functions: the page's summary, a
//! report object). A refusal is a `ShoplensError` with the generator's code (`wrong_kind`,
//! `detail_lines`, `filter_not_supported`, `several_files` …).

use shoplens::ingest::LoadReport;
use shoplens::report::AnalyzeOptions;
use shoplens::sql::SqlError;
use shoplens::sql_request::{self, SqlRequest};
use wasm_bindgen::prelude::*;

use crate::errors::{invalid_option, js_error};
use crate::session::{parse_options, to_js, Session};

fn sql_error(e: &SqlError, file: Option<&str>) -> JsValue {
    js_error(e.code, &e.message, file, None, None)
}

fn request_from_js(request: &JsValue) -> Result<SqlRequest, JsValue> {
    if request.is_undefined() || request.is_null() {
        return Err(invalid_option(
            "toSql needs { dialect, section }: dialect `duckdb` or `spark`",
        ));
    }
    parse_options::<Option<SqlRequest>>(request)?
        .ok_or_else(|| invalid_option("toSql needs { dialect, section }"))
}

/// Load reports given back from JS (`report.loads`), as JSON text or objects.
fn loads_from_js(loads: &JsValue) -> Result<Vec<LoadReport>, JsValue> {
    let text = match loads.as_string() {
        Some(text) => text,
        None => js_sys::JSON::stringify(loads)
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
    };
    serde_json::from_str(&text).map_err(|e| {
        js_error(
            "invalid_report",
            &format!("These are not a shoplens report's load reports (`report.loads`): {e}"),
            None,
            None,
            None,
        )
    })
}

pub(crate) fn write(
    loads: &[LoadReport],
    options: &AnalyzeOptions,
    request: &SqlRequest,
) -> Result<JsValue, JsValue> {
    let script = sql_request::write(loads, options, request)
        .map_err(|e| sql_error(&e, request.file.as_deref()))?;
    to_js(&script)
}

pub(crate) fn offers(loads: &[LoadReport], options: &AnalyzeOptions) -> Result<JsValue, JsValue> {
    to_js(&sql_request::offers(loads, options))
}

/// The script `request` (`{ dialect, section, source?, file?, sources? }`) asks for, over `loads` (a
/// report's `loads`) analysed with `options` (its `AnalyzeOptions`): `{ file, sql }`.
#[wasm_bindgen(js_name = toSql)]
pub fn to_sql(loads: JsValue, options: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let options: AnalyzeOptions = parse_options(&options)?;
    write(
        &loads_from_js(&loads)?,
        &options,
        &request_from_js(&request)?,
    )
}

/// Every script that could be written over `loads` analysed with `options`:
/// `[{ section, file, view, error }]` (`error`: `{ code, message }` or null).
#[wasm_bindgen(js_name = sqlOffers)]
pub fn sql_offers(loads: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options: AnalyzeOptions = parse_options(&options)?;
    offers(&loads_from_js(&loads)?, &options)
}

#[wasm_bindgen]
impl Session {
    /// After `finish`: the script `request` asks for over this session's files and options
    /// (those of the last `reanalyze`): `{ file, sql }`.
    #[wasm_bindgen(js_name = toSql)]
    pub fn to_sql(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request = request_from_js(&request)?;
        let (loads, options) = self.finished_loads()?;
        write(loads, options, &request)
    }

    /// After `finish`: every script that could be written over this session's files.
    #[wasm_bindgen(js_name = sqlOffers)]
    pub fn sql_offers(&self) -> Result<JsValue, JsValue> {
        let (loads, options) = self.finished_loads()?;
        offers(loads, options)
    }
}

/// The codes of the sections with a script (`kpi`, `kpi_series`, `cohorts` …), in order.
#[wasm_bindgen(js_name = sqlSections)]
pub fn sql_sections() -> Vec<String> {
    shoplens::sql::SqlSection::all()
        .iter()
        .map(|s| s.code().to_string())
        .collect()
}
