//! Goals: small conditions on a run, written the way an instructor would say them:
//! `validation.recall >= 0.8 and validation.precision >= 0.5`, `test_evaluations == 1`,
//! `model in [random_forest, gradient_boosting]`. A goal is parsed once (so a bad one is
//! refused when the exercise is loaded) and evaluated against a run's `context`.

use serde_json::Value;

use crate::base::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    Ne,
    In,
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Number(f64),
    Word(String),
    List(Vec<Literal>),
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    path: Vec<String>,
    op: Op,
    value: Literal,
}

/// A parsed goal: conditions joined by `and`.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    conditions: Vec<Condition>,
}

const MAX_GOAL_CHARS: usize = 500;

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            flush(&mut cur, &mut out);
        } else if matches!(c, '[' | ']' | ',') {
            flush(&mut cur, &mut out);
            out.push(c.to_string());
        } else if matches!(c, '>' | '<' | '=' | '!') {
            flush(&mut cur, &mut out);
            let two = chars.get(i + 1) == Some(&'=');
            out.push(if two { format!("{c}=") } else { c.to_string() });
            i += two as usize;
        } else {
            cur.push(c);
        }
        i += 1;
    }
    flush(&mut cur, &mut out);
    out
}

fn literal(t: &str) -> std::result::Result<Literal, String> {
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Literal::Number(v)),
        Ok(_) => Err(format!("{t} is not a finite number")),
        _ => Ok(Literal::Word(t.trim_matches('"').trim_matches('\'').to_string())),
    }
}

impl Goal {
    pub fn parse(text: &str) -> Result<Goal> {
        let bad = |why: &str| Error::Data(format!("goal '{}': {why}", text.chars().take(80).collect::<String>()));
        if text.len() > MAX_GOAL_CHARS {
            return Err(bad(&format!("longer than {MAX_GOAL_CHARS} characters")));
        }
        let t = tokens(text);
        let mut conditions = Vec::new();
        let mut i = 0;
        loop {
            let path = t.get(i).ok_or_else(|| bad("expected a name such as validation.accuracy"))?;
            if !path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                return Err(bad(&format!("'{path}' is not a name such as validation.accuracy")));
            }
            let op = match t.get(i + 1).map(String::as_str) {
                Some(">=") => Op::Ge,
                Some("<=") => Op::Le,
                Some(">") => Op::Gt,
                Some("<") => Op::Lt,
                Some("==") | Some("=") => Op::Eq,
                Some("!=") => Op::Ne,
                Some("in") => Op::In,
                other => {
                    return Err(bad(&format!(
                        "expected a comparison (>=, <=, >, <, ==, !=, in) after '{path}', found {other:?}"
                    )))
                }
            };
            i += 2;
            let value = if op == Op::In {
                if t.get(i).map(String::as_str) != Some("[") {
                    return Err(bad("'in' needs a list such as [random_forest, gradient_boosting]"));
                }
                i += 1;
                let mut items = Vec::new();
                while let Some(tok) = t.get(i) {
                    i += 1;
                    match tok.as_str() {
                        "]" => break,
                        "," => continue,
                        _ => items.push(literal(tok).map_err(|e| bad(&e))?),
                    }
                }
                if t.get(i - 1).map(String::as_str) != Some("]") {
                    return Err(bad("the list is not closed with ]"));
                }
                Literal::List(items)
            } else {
                let tok = t.get(i).ok_or_else(|| bad("a comparison needs a value"))?;
                i += 1;
                literal(tok).map_err(|e| bad(&e))?
            };
            conditions.push(Condition { path: path.split('.').map(str::to_string).collect(), op, value });
            match t.get(i).map(String::as_str) {
                None => break,
                Some("and") => i += 1,
                Some(other) => return Err(bad(&format!("expected 'and' or the end, found '{other}'"))),
            }
        }
        Ok(Goal { conditions })
    }

    /// Whether the run described by `context` meets every condition; the first one that
    /// fails is explained (its value as found, or that it is missing).
    pub fn check(&self, context: &Value) -> (bool, String) {
        for c in &self.conditions {
            let found = c.path.iter().try_fold(context, |v, k| v.get(k));
            let name = c.path.join(".");
            let Some(found) = found.filter(|v| !v.is_null()) else {
                return (false, format!("{name} is not available yet"));
            };
            if !holds(found, c.op, &c.value) {
                return (false, format!("{name} is {}", show(found)));
            }
        }
        (true, String::new())
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Number(n) => n.as_f64().map_or(n.to_string(), |f| format!("{}", (f * 10_000.0).round() / 10_000.0)),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn equal(v: &Value, lit: &Literal) -> bool {
    match (v, lit) {
        (Value::Number(n), Literal::Number(x)) => n.as_f64() == Some(*x),
        (Value::String(s), Literal::Word(w)) => s == w,
        (Value::Bool(b), Literal::Word(w)) => w == &b.to_string(),
        _ => false,
    }
}

fn holds(v: &Value, op: Op, lit: &Literal) -> bool {
    match (op, lit) {
        (Op::In, Literal::List(items)) => items.iter().any(|i| equal(v, i)),
        (Op::Eq, _) => equal(v, lit),
        (Op::Ne, _) => !equal(v, lit),
        (_, Literal::Number(x)) => match v.as_f64() {
            Some(f) => match op {
                Op::Ge => f >= *x,
                Op::Le => f <= *x,
                Op::Gt => f > *x,
                Op::Lt => f < *x,
                _ => false,
            },
            None => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_checks_the_issue_examples() {
        let ctx =
            json!({"validation": {"recall": 0.85, "precision": 0.4}, "test_evaluations": 1, "model": "random_forest"});
        let g = Goal::parse("validation.recall >= 0.8 and validation.precision >= 0.5").unwrap();
        assert_eq!(g.check(&ctx), (false, "validation.precision is 0.4".to_string()));
        assert!(Goal::parse("test_evaluations == 1").unwrap().check(&ctx).0);
        assert!(Goal::parse("model in [random_forest, gradient_boosting]").unwrap().check(&ctx).0);
        assert!(!Goal::parse("model in [knn]").unwrap().check(&ctx).0);
        let (ok, why) = Goal::parse("test.accuracy > 0.9").unwrap().check(&ctx);
        assert!(!ok && why.contains("not available"), "{why}");
    }

    #[test]
    fn bad_goals_are_refused_with_the_reason() {
        for (text, why) in [
            ("validation.recall", "comparison"),
            ("validation.recall >=", "needs a value"),
            ("model in random_forest", "needs a list"),
            ("a >= 1 or b >= 2", "'and'"),
            ("<script> >= 1", "not a name"),
        ] {
            let e = Goal::parse(text).unwrap_err().to_string();
            assert!(e.contains(why), "{text}: {e}");
        }
        assert!(Goal::parse(&"a >= 1 and ".repeat(100)).unwrap_err().to_string().contains("longer than"));
    }
}
