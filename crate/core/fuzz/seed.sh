#!/usr/bin/env bash
# Seed both fuzz targets' corpora: the project's fixtures and recognition corpus, plus public
# corpora of odd and broken CSV files when their checkouts are given (files under 64 KiB):
#
#   ./seed.sh [DUCKDB_CHECKOUT] [RUST_CSV_CHECKOUT] [PAPAPARSE_CHECKOUT]
#
# DuckDB's data/csv, the csv crate's examples/data and PapaParse's tests/*.csv. The corpora land in
# corpus/ingest and corpus/parts (ignored by git: the public files are not part of the product).
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
mkdir -p corpus/ingest corpus/parts
seed() { # seed FILE NAME: one ingest seed (chunk byte 0x07) and three parts seeds (cut points)
  local f=$1 name=$2
  (printf '\x07'; cat "$f") > "corpus/ingest/$name"
  for c in 32 64 100; do (printf "\\x$(printf %02x $c)"; cat "$f") > "corpus/parts/$name.$c"; done
}
for f in "$root"/tests/fixtures/*.* "$root"/tests/fixtures/bad/* "$root"/tests/recognition/*.csv; do
  [ -f "$f" ] && seed "$f" "$(basename "$f")"
done
pub() { # pub DIR PREFIX PATTERN
  [ -n "$1" ] && [ -d "$1" ] || return 0
  find "$1" -type f -size -64k -name "$3" | while read -r f; do
    seed "$f" "$2_$(echo "${f#$1/}" | tr '/' '_')"
  done
}
pub "${1:+$1/data/csv}" duckdb '*'
pub "${2:+$2/examples/data}" rustcsv '*.csv'
pub "${3:+$3/tests}" papaparse '*.csv'
echo "ingest: $(ls corpus/ingest | wc -l) seeds, parts: $(ls corpus/parts | wc -l) seeds"
