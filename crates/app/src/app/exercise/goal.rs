//! Goals: small conditions on a run, written the way an instructor would say them:
//! `validation.recall >= 0.8 and validation.precision >= 0.5`, `test_evaluations == 1`,
//! `model in [random_forest, gradient_boosting]`. A goal is parsed once (so a bad one is
//! refused when the exercise is loaded) and evaluated against a run's `context`.
//!
//! Goals on a confusion matrix name a part and a pair of classes: `validation.confusion[3, 8]`
//! (rows of true class 3 predicted as 8), `validation.confused[3, 8]` (the pair both ways)
//! and `validation.confused_rank[3, 8]` (1 for the pair the model confuses most, ties
//! sharing a rank). `selected` in place of the two classes is the cell picked in the
//! evaluation view, so a student can point at a pair and the checker verify it.

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

/// The number a confusion-matrix goal reads (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq)]
enum PairCount {
    Cell,
    BothWays,
    Rank,
}

impl PairCount {
    fn named(name: &str) -> Option<PairCount> {
        match name {
            "confusion" => Some(PairCount::Cell),
            "confused" => Some(PairCount::BothWays),
            "confused_rank" => Some(PairCount::Rank),
            _ => None,
        }
    }
}

/// Two class names, or `None` for the cell selected in the view.
#[derive(Debug, Clone, PartialEq)]
struct Pair {
    count: PairCount,
    classes: Option<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    path: Vec<String>,
    /// For `part.confused[a, b]` and its kin: which count, of which pair.
    pair: Option<Pair>,
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
            let pair = match PairCount::named(path.rsplit('.').next().unwrap_or_default()) {
                Some(count) if path.contains('.') => {
                    if t.get(i + 1).map(String::as_str) != Some("[") {
                        return Err(bad(&format!("'{path}' needs a pair of classes such as [3, 8] or [selected]")));
                    }
                    let close = t[i + 1..].iter().position(|x| x == "]").map(|k| i + 1 + k);
                    let close = close.ok_or_else(|| bad("the pair is not closed with ]"))?;
                    let args: Vec<&String> = t[i + 2..close].iter().filter(|x| *x != ",").collect();
                    let classes = match &args[..] {
                        [one] if one.as_str() == "selected" => None,
                        [a, b] if a != b => Some([a.to_string(), b.to_string()]),
                        _ => return Err(bad("a pair is two different classes, such as [3, 8], or [selected]")),
                    };
                    i = close;
                    Some(Pair { count, classes })
                }
                _ => None,
            };
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
            conditions.push(Condition { path: path.split('.').map(str::to_string).collect(), pair, op, value });
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
            let counted;
            let (found, name) = match &c.pair {
                None => (c.path.iter().try_fold(context, |v, k| v.get(k)), c.path.join(".")),
                Some(pair) => {
                    let part = c.path[..c.path.len() - 1].join(".");
                    // In words (no dotted path): the page shows this detail as it is.
                    let which = |what: &str| {
                        pair.classes
                            .as_ref()
                            .map_or(format!("the opened {what}"), |[a, b]| format!("{what} [{a}, {b}]"))
                    };
                    let name = match pair.count {
                        PairCount::Cell => format!("the count of {} on the {part} rows", which("cell")),
                        PairCount::BothWays => format!("the confusions of {} on the {part} rows", which("pair")),
                        PairCount::Rank => format!("the rank of {} among the {part} rows' confusions", which("pair")),
                    };
                    match pair_count(context, &part, pair) {
                        Ok(n) => {
                            counted = Value::from(n);
                            (Some(&counted), name)
                        }
                        Err(why) => return (false, format!("{name}: {why}")),
                    }
                }
            };
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

/// A confusion-matrix goal's number, read from the context's `confusion` (class names,
/// one matrix per scored part, the selected cell); or why it cannot be read.
fn pair_count(context: &Value, part: &str, pair: &Pair) -> std::result::Result<u64, String> {
    let conf = context
        .get("confusion")
        .filter(|v| !v.is_null())
        .ok_or("there is no confusion matrix (classification only)")?;
    let m: Vec<Vec<u64>> = conf
        .get(part)
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .ok_or_else(|| format!("there is no confusion matrix of the {part} rows yet"))?;
    let names: Vec<String> =
        conf.get("classes").and_then(|c| serde_json::from_value(c.clone()).ok()).unwrap_or_default();
    let [a, b] = match &pair.classes {
        Some([a, b]) => {
            let index =
                |c: &String| names.iter().position(|n| n == c).ok_or_else(|| format!("there is no class '{c}'"));
            [index(a)?, index(b)?]
        }
        None => {
            let cell: [usize; 2] = conf
                .get("selected")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .ok_or("no cell of the confusion matrix is selected")?;
            cell
        }
    };
    let at = |t: usize, p: usize| m.get(t).and_then(|r| r.get(p)).copied().unwrap_or(0);
    let both = |a: usize, b: usize| at(a, b) + at(b, a);
    Ok(match pair.count {
        PairCount::Cell => at(a, b),
        PairCount::BothWays => both(a, b),
        PairCount::Rank => {
            if a == b {
                return Err("the selected cell is on the diagonal (rows the model got right)".into());
            }
            let mine = both(a, b);
            let k = m.len();
            1 + (0..k).flat_map(|c| (c + 1..k).map(move |d| (c, d))).filter(|&(c, d)| both(c, d) > mine).count() as u64
        }
    })
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
    fn goals_on_a_pair_of_the_confusion_matrix() {
        // 3 is taken for 8 four times and 8 for 3 once: the pair (3, 8) is confused 5 times,
        // more than (1, 7) with 2; the cell selected in the view is [8, 3].
        let m = json!([[9, 0, 0, 0], [0, 8, 2, 0], [0, 0, 7, 0], [0, 0, 4, 6]]);
        let mut ctx = json!({"confusion": {"classes": ["1", "8", "7", "3"], "validation": m, "selected": [1, 3]}});
        let check = |g: &str, ctx: &Value| Goal::parse(g).unwrap().check(ctx);
        assert!(check("validation.confusion[3, 7] == 4", &ctx).0);
        assert!(check("validation.confusion[7, 3] == 0", &ctx).0);
        assert!(check("validation.confused[7, 3] == 4 and validation.confused[1, 8] == 0", &ctx).0);
        assert!(check("validation.confused_rank[3, 7] == 1 and validation.confused_rank[8, 7] == 2", &ctx).0);
        assert_eq!(
            check("validation.confused_rank[selected] == 1", &ctx),
            (false, "the rank of the opened pair among the validation rows' confusions is 3".into())
        );
        ctx["confusion"]["selected"] = json!([3, 2]);
        assert!(check("validation.confused_rank[selected] == 1 and validation.confusion[selected] >= 4", &ctx).0);
        ctx["confusion"]["selected"] = json!([2, 2]);
        assert!(check("validation.confused_rank[selected] == 1", &ctx).1.contains("diagonal"));
        ctx["confusion"]["selected"] = Value::Null;
        assert!(check("validation.confused[selected] >= 1", &ctx).1.contains("no cell"));
        assert!(check("test.confused[3, 7] >= 1", &ctx).1.contains("no confusion matrix of the test rows"));
        assert!(check("validation.confused[3, 9] >= 1", &ctx).1.contains("no class '9'"));
        assert!(check("validation.confused[3, 7] >= 1", &json!({"validation": {}})).1.contains("classification only"));
        for (bad, why) in [
            ("validation.confused >= 1", "needs a pair"),
            ("validation.confused[3] >= 1", "two different classes"),
            ("validation.confused[3, 3] >= 1", "two different classes"),
            ("validation.confused[3, 8 >= 1", "not closed"),
        ] {
            let e = Goal::parse(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
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
