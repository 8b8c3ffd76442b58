//! A tree as indented if/else text, the way a person would read its rules.

use crate::models::explain::TreeNode;

/// A number as a person would write it: at most 4 decimals, no trailing zeros.
fn short(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn leaf_label(samples: usize, value: &[f64], class_names: &[String]) -> String {
    if class_names.is_empty() || value.len() < 2 && class_names.len() < 2 {
        return format!("{} ({samples} rows)", short(value.first().copied().unwrap_or(f64::NAN)));
    }
    let (best, p) =
        value.iter().enumerate().fold((0, f64::NEG_INFINITY), |a, (i, &p)| if p > a.1 { (i, p) } else { a });
    let name = class_names.get(best).cloned().unwrap_or_else(|| format!("class {best}"));
    if p >= 1.0 - 1e-12 {
        format!("{name} ({samples} rows)")
    } else {
        format!("{name} ({samples} rows, {:.0}%)", p * 100.0)
    }
}

/// The condition of the left branch, in the data's units and category names.
fn condition(node: &TreeNode, feature_names: &[String], category_names: &[Vec<String>]) -> String {
    let TreeNode::Split { feature, threshold, categories_left, missing_left, .. } = node else { return String::new() };
    let name = feature_names.get(*feature).cloned().unwrap_or_else(|| format!("x{feature}"));
    let base = match (threshold, categories_left) {
        (Some(t), _) if t.is_infinite() => {
            return format!("{name} is {}", if *missing_left { "missing" } else { "not missing" })
        }
        (Some(t), _) => format!("{name} <= {}", short(*t)),
        (None, Some(cats)) => {
            let names = category_names.get(*feature);
            let shown: Vec<String> = cats
                .iter()
                .map(|&c| names.and_then(|n| n.get(c as usize)).cloned().unwrap_or_else(|| c.to_string()))
                .collect();
            format!("{name} in {{{}}}", shown.join(", "))
        }
        (None, None) => name,
    };
    if *missing_left {
        format!("{base} or missing")
    } else {
        base
    }
}

/// The tree as indented if/else rules, e.g. `if petal_length <= 2.45 then setosa (50 rows)`.
/// Regression leaves show the mean target; `class_names` empty means regression. Splits
/// deeper than `max_depth` are shown as leaves ending in "...".
pub fn rules(
    node: &TreeNode,
    feature_names: &[String],
    category_names: &[Vec<String>],
    class_names: &[String],
    max_depth: usize,
) -> String {
    let mut out = String::new();
    write_rules(&mut out, node, feature_names, category_names, class_names, max_depth, 0);
    out
}

fn write_rules(
    out: &mut String,
    node: &TreeNode,
    f: &[String],
    c: &[Vec<String>],
    k: &[String],
    max_depth: usize,
    depth: usize,
) {
    let pad = "  ".repeat(depth);
    let leafish = |n: &TreeNode| match n {
        TreeNode::Leaf { samples, value, .. } => Some(leaf_label(*samples, value, k)),
        TreeNode::Split { samples, value, .. } if depth + 1 >= max_depth => {
            Some(format!("{} ...", leaf_label(*samples, value, k)))
        }
        TreeNode::Split { .. } => None,
    };
    match node {
        TreeNode::Leaf { samples, value, .. } => out.push_str(&format!("{pad}{}\n", leaf_label(*samples, value, k))),
        TreeNode::Split { samples, value, .. } if depth >= max_depth => {
            out.push_str(&format!("{pad}{} ...\n", leaf_label(*samples, value, k)));
        }
        TreeNode::Split { left, right, .. } => {
            let cond = condition(node, f, c);
            match leafish(left) {
                Some(l) => out.push_str(&format!("{pad}if {cond} then {l}\n")),
                None => {
                    out.push_str(&format!("{pad}if {cond}\n"));
                    write_rules(out, left, f, c, k, max_depth, depth + 1);
                }
            }
            match leafish(right) {
                Some(r) => out.push_str(&format!("{pad}else {r}\n")),
                None => {
                    out.push_str(&format!("{pad}else\n"));
                    write_rules(out, right, f, c, k, max_depth, depth + 1);
                }
            }
        }
    }
}
