//! The exercise pack: every file in www/exercises/ loads, its starting state does not
//! meet its goals, and its reference solution (tests/fixtures/exercise_solutions.json,
//! kept out of the site so students do not see it) meets all of them, natively, as
//! `mlplay check` would grade it.

use mlplay::app::exercise::{context, Exercise, GoalResult};
use mlplay::data::builtin;
use mlplay::engine::session::Session;
use mlplay::state::AppState;
use serde_json::Value;

fn run(state: AppState) -> Result<Vec<GoalResult>, String> {
    let ds = builtin::load(&state.dataset, data_file(&state.dataset.id).as_deref(), state.seed)
        .map_err(|e| e.to_string())?;
    let ds = match state.task {
        Some(t) => ds.as_task(t).map_err(|e| e.to_string())?,
        None => ds,
    };
    let mut s = Session::new(state, &ds).map_err(|e| e.to_string())?;
    s.run_to_end().map_err(|e| e.to_string())?;
    Ok(EXERCISE.with(|ex| ex.borrow().as_ref().unwrap().check(&context(&s, s.state()))))
}

thread_local!(static EXERCISE: std::cell::RefCell<Option<Exercise>> = const { std::cell::RefCell::new(None) });

fn data_file(id: &str) -> Option<String> {
    builtin::file_of(id).unwrap().map(|f| std::fs::read_to_string(format!("www/data/{f}")).unwrap())
}

fn show(r: &[GoalResult]) -> String {
    r.iter()
        .map(|g| format!("{} {} {}", if g.passed { "PASS" } else { "FAIL" }, g.text, g.detail))
        .collect::<Vec<_>>()
        .join("\n  ")
}

#[test]
fn every_exercise_starts_unsolved_and_its_solution_passes() {
    let solutions: Value = serde_json::from_str(include_str!("fixtures/exercise_solutions.json")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir("www/exercises")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the pack has {} exercises", files.len());
    let mut failures = vec![];
    for f in &files {
        let ex = Exercise::from_json(&std::fs::read_to_string(f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let start = ex.start_state().unwrap();
        let solution = &solutions[&ex.id];
        assert!(solution.is_object(), "{}: no reference solution in the fixtures", ex.id);
        let mut sol = AppState::from_json(&solution["state"].to_string()).unwrap();
        if solution["final_evaluation"] == true {
            sol.record_test_evaluation();
        }
        EXERCISE.with(|e| *e.borrow_mut() = Some(ex.clone()));
        let started = run(start);
        if let Ok(r) = &started {
            if r.iter().all(|g| g.passed) {
                failures.push(format!("{}: the starting state already passes:\n  {}", ex.id, show(r)));
            }
        }
        match run(sol) {
            Ok(r) if r.iter().all(|g| g.passed) => eprintln!("{}: solution passes", ex.id),
            Ok(r) => failures.push(format!("{}: the solution fails:\n  {}", ex.id, show(&r))),
            Err(e) => failures.push(format!("{}: the solution does not run: {e}", ex.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_exercise_files_are_refused_with_the_reason() {
    let ok = r#"{"id":"x","title":"t","instructions":"i","goals":[{"text":"g","check":"validation.accuracy >= 0.9"}]}"#;
    assert!(Exercise::from_json(ok).is_ok());
    for (text, why) in [
        (r#"{"id":"x","title":"t","instructions":"i"}"#.to_string(), "malformed"),
        (ok.replace(r#""id":"x""#, r#""id":"../../etc""#), "exercise id"),
        (ok.replace("validation.accuracy >= 0.9", "alert(1)"), "not a name"),
        (ok.replace("validation.accuracy >= 0.9", "validation.accuracy"), "comparison"),
        (ok.replace(r#""goals""#, r#""locked":["everything"],"goals""#), "not a control"),
        (ok.replace(r#""goals""#, r#""start":{"seed":-5},"goals""#), "-5"),
        (ok.replace(r#""goals""#, r#""start":{"model":{"kind":"nope"}},"goals""#), "nope"),
        (ok.replace(r#""instructions":"i""#, &format!(r#""instructions":"{}""#, "x".repeat(70_000))), "bytes"),
        (ok.replace("0.9", "1e999"), "not a finite number"),
    ] {
        let e = Exercise::from_json(&text)
            .err()
            .unwrap_or_else(|| panic!("accepted: {}", &text[..text.len().min(120)]))
            .to_string();
        assert!(e.contains(why), "{why}: {e}");
    }
}
