//! A clickstream in a site's own event vocabulary (DEFINITIONS §5): every row is kept, the report
//! lists the names, and the default and custom funnels equal a brute-force count written here from
//! the definition alone (every chain of events tried, nothing shared with the engine's code).

use std::collections::{BTreeMap, BTreeSet};

use shoplens::analysis::funnel::{FunnelMode, FunnelOptions, FunnelReport, StepSpec};
use shoplens::model::EventType;
use shoplens::report::{analyze_files, AnalyzeOptions, Report};

const NAMES: [&str; 7] = [
    "home",
    "search",
    "product_view",
    "add_to_cart",
    "checkout",
    "purchase",
    "login",
];
const WEEK: i64 = 7 * 86_400;

/// One event: user, name, seconds from the log's start.
type Event = (usize, &'static str, i64);

/// A deterministic pseudo-random generator (64-bit LCG), so the log is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// 40 users, 2–9 events each over up to 20 days (so many chains run past the 7-day window), users
/// skipping steps and doing them out of order; a few events share a timestamp.
fn clickstream() -> Vec<Event> {
    let mut rng = Lcg(20_240_301);
    let mut events = Vec::new();
    for user in 0..40 {
        let n = 2 + rng.below(8);
        let mut t = rng.below(3 * 86_400) as i64;
        for _ in 0..n {
            let name = NAMES[rng.below(NAMES.len() as u64) as usize];
            events.push((user, name, t));
            t += match rng.below(4) {
                0 => 0,
                1 => rng.below(3600) as i64,
                2 => rng.below(86_400) as i64,
                _ => rng.below(5 * 86_400) as i64,
            };
        }
    }
    events
}

/// 2024-03-01 00:00:00 + `seconds`, as `YYYY-MM-DD HH:MM:SS`.
fn timestamp(seconds: i64) -> String {
    let day = 1 + seconds / 86_400;
    let s = seconds % 86_400;
    let (month, day) = if day > 31 { (4, day - 31) } else { (3, day) };
    format!(
        "2024-{month:02}-{day:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn csv(events: &[Event]) -> String {
    let mut out = String::from("user_id,event_type,product_id,event_time\n");
    for (i, &(user, name, t)) in events.iter().enumerate() {
        out.push_str(&format!("U{user},{name},P{},{}\n", i % 5, timestamp(t)));
    }
    out
}

fn report(events: &[Event], funnel: FunnelOptions) -> Report {
    let opts = AnalyzeOptions {
        funnel,
        ..AnalyzeOptions::default()
    };
    let text = csv(events);
    match analyze_files(&[("site.csv", text.as_bytes())], &opts) {
        Ok(report) => report,
        Err(e) => panic!("{e:?}"),
    }
}

fn funnel(report: &Report) -> &FunnelReport {
    match report.funnel.ready() {
        Some(f) => f,
        None => panic!("funnel unavailable: {:?}", report.funnel),
    }
}

fn counts(f: &FunnelReport) -> Vec<u64> {
    f.steps.iter().map(|s| s.count).collect()
}

/// The highest step a user reaches: the longest prefix of `steps` matched by events e1…ei with
/// t1 ≤ … ≤ ti and ti − t1 ≤ window, every chain tried (events may be in any order in the list).
fn brute_level(events: &[(&str, i64)], steps: &[&[&str]], window: Option<i64>) -> usize {
    fn extend(
        events: &[(&str, i64)],
        steps: &[&[&str]],
        window: Option<i64>,
        t1: i64,
        previous: i64,
        step: usize,
    ) -> usize {
        if step == steps.len() {
            return step;
        }
        let mut best = step;
        for &(name, t) in events {
            let in_window = window.map_or(true, |w| t - t1 <= w);
            if steps[step].contains(&name) && t >= previous && in_window {
                best = best.max(extend(events, steps, window, t1, t, step + 1));
            }
        }
        best
    }
    let mut best = 0;
    for &(name, t1) in events {
        if steps[0].contains(&name) {
            best = best.max(extend(events, steps, window, t1, t1, 1));
        }
    }
    best
}

/// Per step, users reaching it (sequential) or with any of its events (distinct).
fn brute_counts(
    log: &[Event],
    steps: &[&[&str]],
    mode: FunnelMode,
    window: Option<i64>,
) -> Vec<u64> {
    let mut by_user: BTreeMap<usize, Vec<(&str, i64)>> = BTreeMap::new();
    for &(user, name, t) in log {
        by_user.entry(user).or_default().push((name, t));
    }
    let mut counts = vec![0u64; steps.len()];
    for events in by_user.values() {
        match mode {
            FunnelMode::Sequential => {
                let level = brute_level(events, steps, window);
                for count in &mut counts[..level] {
                    *count += 1;
                }
            }
            FunnelMode::Distinct => {
                for (step, names) in steps.iter().enumerate() {
                    if events.iter().any(|(name, _)| names.contains(name)) {
                        counts[step] += 1;
                    }
                }
            }
        }
    }
    counts
}

fn names_step(names: &[&str]) -> StepSpec {
    StepSpec::Names(names.iter().map(|n| n.to_string()).collect())
}

#[test]
fn a_site_vocabulary_keeps_every_row_and_counts_the_default_funnel() {
    let log = clickstream();
    assert!(log.len() >= 50, "{} events", log.len());
    // Some chains are longer than the window: the test would not tell windows apart otherwise.
    let unbounded = brute_counts(
        &log,
        &[&["product_view"], &["add_to_cart"], &["purchase"]],
        FunnelMode::Sequential,
        None,
    );
    let weekly = brute_counts(
        &log,
        &[&["product_view"], &["add_to_cart"], &["purchase"]],
        FunnelMode::Sequential,
        Some(WEEK),
    );
    assert_ne!(unbounded, weekly, "no chain runs past 7 days");

    for mode in [FunnelMode::Sequential, FunnelMode::Distinct] {
        let r = report(
            &log,
            FunnelOptions {
                mode,
                ..FunnelOptions::default()
            },
        );
        let load = &r.loads[0];
        assert_eq!(load.rows_read, log.len() as u64);
        assert_eq!(load.rows_rejected, 0, "{:?}", load.rejected);
        assert_eq!(r.data.events, log.len());
        let f = funnel(&r);
        let want = brute_counts(
            &log,
            &[&["product_view"], &["add_to_cart"], &["purchase"]],
            mode,
            Some(WEEK),
        );
        assert_eq!(counts(f), want, "{mode:?}");
        assert!(want[0] > 0 && want[2] > 0, "{want:?}");
        let step_names: Vec<&[String]> = f.steps.iter().map(|s| &s.names[..]).collect();
        assert_eq!(
            step_names,
            [["product_view"], ["add_to_cart"], ["purchase"]]
        );
    }
}

#[test]
fn the_report_lists_every_name_with_its_counts_and_step() {
    let log = clickstream();
    let r = report(&log, FunnelOptions::default());
    let f = funnel(&r);
    let mut want: Vec<(String, u64, u64)> = NAMES
        .iter()
        .map(|&name| {
            let events = log.iter().filter(|e| e.1 == name).count() as u64;
            let users: BTreeSet<usize> = log.iter().filter(|e| e.1 == name).map(|e| e.0).collect();
            (name.to_string(), events, users.len() as u64)
        })
        .collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let got: Vec<(String, u64, u64)> = f
        .event_names
        .iter()
        .map(|n| (n.name.clone(), n.events, n.users))
        .collect();
    assert_eq!(got, want);
    let meaning_and_step = |name: &str| {
        let stat = f.event_names.iter().find(|n| n.name == name);
        stat.map(|n| (n.meaning, n.step))
    };
    assert_eq!(meaning_and_step("home"), Some((None, None)));
    assert_eq!(
        meaning_and_step("product_view"),
        Some((Some(EventType::View), Some(0)))
    );
    assert_eq!(
        meaning_and_step("checkout"),
        Some((Some(EventType::Checkout), None))
    );
    assert_eq!(
        meaning_and_step("purchase"),
        Some((Some(EventType::Purchase), Some(2)))
    );
    // Serialised for JS with the same field names.
    let json = serde_json::to_value(f).unwrap_or_default();
    assert_eq!(json["event_names"][0]["name"], want[0].0.as_str());
    assert_eq!(json["steps"][0]["names"][0], "product_view");
}

#[test]
fn a_custom_funnel_of_names_equals_brute_force() {
    let log = clickstream();
    let steps: [&[&str]; 4] = [&["home"], &["product_view"], &["checkout"], &["purchase"]];
    for (mode, window) in [
        (FunnelMode::Sequential, Some(WEEK)),
        (FunnelMode::Sequential, None),
        (FunnelMode::Sequential, Some(3600)),
        (FunnelMode::Distinct, None),
    ] {
        let opts = FunnelOptions {
            // Canonical codes and names mixed: `checkout` and `purchase` mean their steps.
            steps: vec![
                names_step(&["Home"]),
                names_step(&["product_view"]),
                StepSpec::Canonical(EventType::Checkout),
                StepSpec::Canonical(EventType::Purchase),
            ],
            mode,
            window_seconds: window,
            ..FunnelOptions::default()
        };
        let r = report(&log, opts);
        let f = funnel(&r);
        assert_eq!(
            counts(f),
            brute_counts(&log, &steps, mode, window),
            "{mode:?} {window:?}"
        );
        assert_eq!(f.steps[0].names, ["home"]);
    }
    // Two names in one step: either one counts.
    let steps: [&[&str]; 2] = [&["home", "search"], &["add_to_cart"]];
    let opts = FunnelOptions {
        steps: vec![
            names_step(&["home", "search"]),
            names_step(&["add_to_cart"]),
        ],
        ..FunnelOptions::default()
    };
    let r = report(&log, opts);
    let f = funnel(&r);
    assert_eq!(
        counts(f),
        brute_counts(&log, &steps, FunnelMode::Sequential, Some(WEEK))
    );
    // A step's names come in the order the log first uses them.
    let mut names = f.steps[0].names.clone();
    names.sort();
    assert_eq!(names, ["home", "search"]);
}

#[test]
fn a_name_in_two_steps_makes_the_funnel_unavailable() {
    let log = clickstream();
    let unavailable = |steps: Vec<StepSpec>| {
        let r = report(
            &log,
            FunnelOptions {
                steps,
                ..FunnelOptions::default()
            },
        );
        match r.funnel {
            shoplens::report::Section::Unavailable { reason } => reason.code.into(),
            shoplens::report::Section::Ready { .. } => "ready".to_string(),
        }
    };
    // Listed in a step and meaning another (canonical) one: only the log can tell.
    assert_eq!(
        unavailable(vec![
            StepSpec::Canonical(EventType::View),
            names_step(&["Product View"]),
        ]),
        "event_name_in_two_steps"
    );
    assert_eq!(
        unavailable(vec![names_step(&["home"]), names_step(&["HOME"])]),
        "event_name_in_two_steps"
    );
    assert_eq!(unavailable(vec![names_step(&["home"])]), "too_few_steps");
    let nine = (0..9).map(|i| names_step(&[NAMES[i % 7]])).collect();
    assert_eq!(unavailable(nine), "too_many_steps");
    assert_eq!(
        unavailable(vec![names_step(&["home"]), names_step(&[])]),
        "empty_step"
    );
}

#[test]
fn page_views_are_the_view_step_only_without_product_views() {
    let page_only: Vec<Event> = vec![
        (0, "Page Viewed", 0),
        (0, "Product Added", 60),
        (0, "Order Completed", 120),
        (1, "Page Viewed", 0),
        (1, "search", 30),
    ];
    let f = funnel(&report(&page_only, FunnelOptions::default())).clone();
    assert_eq!(counts(&f), [2, 1, 1]);
    assert_eq!(f.steps[0].names, ["Page Viewed"]);

    let mut both = page_only.clone();
    both.push((2, "view_item", 10));
    let f = funnel(&report(&both, FunnelOptions::default())).clone();
    assert_eq!(counts(&f), [1, 0, 0]);
    assert_eq!(f.steps[0].names, ["view_item"]);
    let page = f.event_names.iter().find(|n| n.name == "Page Viewed");
    assert_eq!(page.map(|n| (n.meaning, n.step)), Some((None, None)));
}

#[test]
fn steps_from_json_take_codes_or_names() {
    let parse = |s: &str| serde_json::from_str::<FunnelOptions>(s).map(|o| o.steps);
    assert_eq!(
        parse(r#"{"steps": ["view", "cart", "purchase"]}"#).ok(),
        Some(FunnelOptions::default().steps)
    );
    assert_eq!(
        parse(r#"{"steps": [["home"], ["product_view", "view_item"], "purchase"]}"#).ok(),
        Some(vec![
            names_step(&["home"]),
            names_step(&["product_view", "view_item"]),
            StepSpec::Canonical(EventType::Purchase),
        ])
    );
    assert!(parse(r#"{"steps": ["views", "cart"]}"#).is_err());
    assert!(parse(r#"{"steps": [1, 2]}"#).is_err());
}

#[test]
fn names_past_the_table_are_kept_under_their_meaning() {
    use shoplens::model::{MAX_EVENT_NAMES, OVERFLOW_EVENT_NAME};
    // A log whose "event names" are really ids: 65,600 distinct ones, then a user's pv → cart →
    // buy, all new names once the table is full. Every row is kept; the ids share one name, and
    // the user's events are kept under their meaning, so the default funnel still counts them.
    let mut text = String::from("user_id,event_type,event_time\n");
    for i in 0..65_600 {
        text.push_str(&format!("u0,id{i},2024-03-01 10:00:00\n"));
    }
    for (name, minute) in [("pv", 1), ("cart", 2), ("buy", 3)] {
        text.push_str(&format!("u1,{name},2024-03-01 10:{minute:02}:00\n"));
    }
    let opts = AnalyzeOptions::default();
    let r = match analyze_files(&[("ids.csv", text.as_bytes())], &opts) {
        Ok(r) => r,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(r.loads[0].rows_rejected, 0);
    assert_eq!(r.data.events, 65_603);
    let f = funnel(&r);
    assert_eq!(counts(f), [1, 1, 1]);
    assert!(f.event_names.len() < MAX_EVENT_NAMES);
    let overflow = f.event_names.iter().find(|n| n.name == OVERFLOW_EVENT_NAME);
    assert!(overflow.is_some_and(|n| n.events > 0 && n.users == 1));
    let total: u64 = f.event_names.iter().map(|n| n.events).sum();
    assert_eq!(total, 65_603);
}

#[test]
fn tianchi_numeric_codes_still_mean_pv_fav_cart_buy() {
    // Some UserBehavior copies write behaviour types as 1–4 (pv, fav, cart, buy); with a header,
    // since a headerless file is recognised by its textual types.
    let coded = "user_id,item_id,category_id,behavior_type,timestamp\n\
                 1000217,2268318,2520377,1,1511539200\n\
                 1000217,2268318,2520377,2,1511539300\n\
                 1000217,2268318,2520377,3,1511539400\n\
                 1000217,2268318,2520377,4,1511539500\n\
                 1000218,2268318,2520377,1,1511539200\n\
                 1000218,2268318,2520377,3,1511539300\n";
    let named = coded
        .replace(",1,", ",pv,")
        .replace(",2,", ",fav,")
        .replace(",3,", ",cart,")
        .replace(",4,", ",buy,");
    let run = |text: &str| {
        let opts = AnalyzeOptions::default();
        match analyze_files(&[("UserBehavior.csv", text.as_bytes())], &opts) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        }
    };
    let (coded, named) = (run(coded), run(&named));
    assert_eq!(coded.loads[0].rows_rejected, 0);
    assert_eq!(counts(funnel(&coded)), [2, 2, 1]);
    assert_eq!(counts(funnel(&coded)), counts(funnel(&named)));
    let meanings: BTreeMap<&str, Option<EventType>> = funnel(&coded)
        .event_names
        .iter()
        .map(|n| (n.name.as_str(), n.meaning))
        .collect();
    assert_eq!(meanings["1"], Some(EventType::View));
    assert_eq!(meanings["2"], Some(EventType::Fav));
    assert_eq!(meanings["4"], Some(EventType::Purchase));
}
