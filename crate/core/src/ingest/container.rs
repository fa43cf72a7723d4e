//! Containers: Excel workbooks (.xlsx, old binary .xls) and ZIP archives of CSVs (万相台/阿里妈妈
//! advertising reports arrive as GB18030 CSVs inside a ZIP).
//!
//! A container cannot be streamed (its directory is at the end), so its bytes are held until the
//! file ends, up to [`MAX_CONTAINER_BYTES`]. Each sheet or CSV entry then becomes a part named
//! `book.xlsx#Sheet` / `ads.zip/entry.csv` that goes through the ordinary text pipeline, with its
//! own load report. Sheets are written out as UTF-8 CSV: numbers as Excel stored them (a 19-digit
//! order number stored as a number has already lost digits, so it is written in scientific form and
//! flagged as such by the id parser), dates as Excel serials, which the time parser reads.

use std::io::{Cursor, Read};

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::report::csv_row;

/// Largest container held in memory (bytes).
pub const MAX_CONTAINER_BYTES: usize = 512 * 1024 * 1024;

/// One sheet of a workbook or entry of an archive, ready for the text pipeline (not to be confused
/// with a byte range of a file read in parallel, `ingest::parallel::Part`).
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What went wrong opening a container.
#[derive(Debug)]
pub struct ContainerError(pub String);

/// Split a ZIP or OLE2 container into text parts.
pub fn expand(file: &str, bytes: Vec<u8>, zip: bool) -> Result<Vec<Entry>, ContainerError> {
    if zip && !is_workbook_zip(&bytes) {
        return zip_entries(file, bytes);
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ContainerError(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let mut parts = Vec::new();
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(ContainerError(format!("sheet {name}: {e}"))),
        };
        if range.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut cells: Vec<String> = Vec::new();
        for row in range.rows() {
            cells.clear();
            cells.extend(row.iter().map(cell_text));
            let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            text.push_str(&csv_row(&refs));
        }
        parts.push(Entry {
            name: format!("{file}#{name}"),
            bytes: text.into_bytes(),
        });
    }
    Ok(parts)
}

/// An .xlsx is a ZIP with `xl/workbook.xml`; any other ZIP is an archive of exports.
fn is_workbook_zip(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|z| z.file_names().any(|n| n == "xl/workbook.xml"))
}

fn zip_entries(file: &str, bytes: Vec<u8>) -> Result<Vec<Entry>, ContainerError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ContainerError(e.to_string()))?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| ContainerError(e.to_string()))?;
        let name = entry.name().to_string();
        let lower = name.to_ascii_lowercase();
        if entry.is_dir()
            || !(lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv"))
        {
            continue;
        }
        if entry.size() > MAX_CONTAINER_BYTES as u64 {
            return Err(ContainerError(format!(
                "{name} is larger than {MAX_CONTAINER_BYTES} bytes"
            )));
        }
        let mut out = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut out)
            .map_err(|e| ContainerError(format!("{name}: {e}")))?;
        parts.push(Entry {
            name: format!("{file}/{name}"),
            bytes: out,
        });
    }
    Ok(parts)
}

/// A cell as CSV text, keeping what Excel stored.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        // An Excel serial (days since 1899-12-30, fraction = time of day): the time parser reads it.
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Integers up to 2^53 print as integers; larger ones have lost digits, and print in scientific
/// form so that an id column rejects them instead of merging orders.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else if f.fract() == 0.0 {
        format!("{f:E}")
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_what_excel_stored() {
        assert_eq!(float_text(128.0), "128");
        assert_eq!(float_text(12.5), "12.5");
        assert_eq!(float_text(3.7e18), "3.7E18");
    }
}
