//! Option validation and parsing.

use super::*;

#[test]
fn option_errors_have_stable_codes() {
    assert_eq!(FunnelOptions::default().validate(), Ok(()));
    let one_step = opts(&[View], None).validate();
    assert_eq!(one_step, Err(FunnelError::TooFewSteps { steps: 1 }));
    assert_eq!(one_step.map_err(|e| e.code().code()), Err("too_few_steps"));
    let repeated = opts(&[View, Cart, View], None).validate();
    assert_eq!(repeated.map_err(|e| e.code().code()), Err("repeated_step"));
    let negative = opts(&[View, Cart], Some(-1)).validate();
    assert_eq!(negative, Err(FunnelError::NegativeWindow { seconds: -1 }));
    assert_eq!(
        negative.map_err(|e| e.code().code()),
        Err("negative_window")
    );
    assert!(opts(&[View, Cart], Some(0)).validate().is_ok());

    let json = serde_json::to_value(FunnelError::TooFewSteps { steps: 1 }).unwrap_or_default();
    assert_eq!(
        json,
        serde_json::json!({"code": "too_few_steps", "steps": 1})
    );
}

#[test]
fn options_from_json() {
    let parse = |s: &str| serde_json::from_str::<FunnelOptions>(s);
    assert_eq!(parse("{}").ok(), Some(FunnelOptions::default()));
    assert!(parse(r#"{"stepz": ["view", "cart"]}"#).is_err());
    let o = parse(r#"{"steps": ["view", "fav"], "mode": "distinct", "window_seconds": null}"#);
    let o = o.unwrap_or_default();
    assert_eq!(o.steps, [StepSpec::from(View), StepSpec::from(Fav)]);
    assert_eq!(o.mode, FunnelMode::Distinct);
    assert_eq!(o.window_seconds, None);
    assert_eq!(o.breakdown, Breakdown::Category);
}

#[test]
fn steps_of_names_are_validated() {
    let names = |n: &[&str]| StepSpec::Names(n.iter().map(|s| s.to_string()).collect());
    let with = |steps: Vec<StepSpec>| FunnelOptions {
        steps,
        ..FunnelOptions::default()
    };
    let code = |o: FunnelOptions| o.validate().map_err(|e| e.code().code());
    assert_eq!(code(with(vec![names(&["home"]), View.into()])), Ok(()));
    assert_eq!(code(with(vec![names(&["home"]); 9])), Err("too_many_steps"));
    let eight: Vec<StepSpec> = (0..8).map(|i| names(&[&format!("s{i}")])).collect();
    assert_eq!(code(with(eight)), Ok(()));
    assert_eq!(
        code(with(vec![names(&["home"]), names(&[" ", ""])])),
        Err("empty_step")
    );
    // Case, spaces and separators do not tell names apart.
    let twice = with(vec![names(&["Add To Cart"]), names(&["add_to_cart"])]);
    assert_eq!(
        twice.validate(),
        Err(FunnelError::EventNameInTwoSteps {
            name: "add_to_cart".into()
        })
    );
    // A name twice within one step is just that name.
    assert_eq!(
        code(with(vec![names(&["home", "HOME"]), Cart.into()])),
        Ok(())
    );
    let json = serde_json::to_value(FunnelError::EventNameInTwoSteps {
        name: "home".into(),
    })
    .unwrap_or_default();
    assert_eq!(
        json,
        serde_json::json!({"code": "event_name_in_two_steps", "name": "home"})
    );
}
