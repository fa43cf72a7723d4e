//! Funnel tests: hand-computed small logs (`sequential`, `groups`, `traffic`, `options`) and property
//! tests against an exhaustive-search reference (`properties`). Times are wall-clock seconds from
//! `at(day, h, m, s)`, days counted from 2024-03-01 (a Friday); nothing depends on the machine's zone
//! or clock.

use super::*;
use crate::model::EventType::{Cart, Fav, Purchase, View};
use crate::time::to_seconds;

mod groups;
mod internals;
mod options;
mod properties;
mod sequential;
mod traffic;

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// 2024-03-01 00:00:00 + `day` days + h:m:s.
fn at(day: i64, h: i64, m: i64, s: i64) -> i64 {
    to_seconds(2024, 3, 1, 0, 0, 0) + day * DAY + h * HOUR + m * MINUTE + s
}

/// A dataset of events `(user, type, time)` without items or categories.
fn log(events: &[(&str, EventType, i64)]) -> Dataset {
    let mut ds = Dataset::default();
    for &(user, kind, time) in events {
        ds.add_event(user, kind, time, None, None, None);
    }
    ds
}

fn opts(steps: &[EventType], window_seconds: Option<i64>) -> FunnelOptions {
    FunnelOptions {
        steps: steps.iter().map(|&s| StepSpec::from(s)).collect(),
        window_seconds,
        ..FunnelOptions::default()
    }
}

fn counts(report: &FunnelReport) -> Vec<u64> {
    report.steps.iter().map(|s| s.count).collect()
}

fn run(ds: &Dataset, opts: &FunnelOptions) -> FunnelReport {
    match compute(ds, opts) {
        Ok(report) => report,
        Err(e) => panic!("funnel unavailable: {e:?}"),
    }
}

fn bucket_users(ttc: &TimeToConvert) -> Vec<(&str, u64)> {
    ttc.buckets
        .iter()
        .filter(|b| b.users > 0)
        .map(|b| (b.label.as_str(), b.users))
        .collect()
}

fn assert_close(actual: Option<f64>, expected: f64) {
    match actual {
        Some(a) => assert!((a - expected).abs() < 1e-12, "{a} != {expected}"),
        None => panic!("expected {expected}, found None"),
    }
}
