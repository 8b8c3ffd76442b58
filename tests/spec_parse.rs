//! `kinds::spec_from_json` reads each kind's hyperparameter struct straight from the JSON
//! value (smaller wasm than serde's derive for the tagged enum). It must read every spec
//! exactly as the derive does: the same spec, or an error carrying the same serde message.

use mlplay::kinds::{self, ModelSpec};
use serde_json::{json, Value};

fn same_as_derive(v: Value) {
    let ours = kinds::spec_from_json(v.clone());
    let derived = serde_json::from_value::<ModelSpec>(v.clone());
    match (ours, derived) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
        (Err(a), Err(b)) => {
            let (a, b) = (a.to_string(), b.to_string());
            assert!(a.contains(&b), "{v}: ours '{a}', derive '{b}'");
        }
        (a, b) => panic!("{v}: ours {a:?}, derive {b:?}"),
    }
}

#[test]
fn every_kind_reads_as_the_derive_reads_it() {
    let odd = [
        json!(null),
        json!("x"),
        json!(-1),
        json!(0),
        json!(2.5),
        json!(1e300),
        json!(true),
        json!([1, 2]),
        json!({"a": 1}),
    ];
    let mut checked = 0;
    for kind in kinds::all() {
        same_as_derive(json!({ "kind": kind.name }));
        same_as_derive(json!({ "kind": kind.name, "not_a_parameter": 3 }));
        for p in kind.param_info() {
            // The default written back, then each odd value in its place.
            same_as_derive(json!({ "kind": kind.name, (p.name): p.default }));
            for value in &odd {
                same_as_derive(json!({ (p.name): value, "kind": kind.name }));
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} odd values were tried");
}

#[test]
fn kind_is_read_first_and_unknown_kinds_are_refused() {
    let e = kinds::spec_from_json(json!({ "kind": "no_such_model" })).unwrap_err().to_string();
    assert!(e.contains("no_such_model"), "{e}");
    assert!(kinds::spec_from_json(json!([1, 2])).is_err());
    assert!(kinds::spec_from_json(json!({ "C": 1.0 })).is_err());
}
