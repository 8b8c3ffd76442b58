//! Python source fragments made from data: every text that comes from a user (column names,
//! class names, file names) reaches the generated code only through `string`, which writes
//! a string literal that no input can end early, or through `comment_text`, which keeps
//! only harmless characters. Quotes, backslashes, newlines and look-alike or invisible
//! characters (bidirectional overrides) are escaped, so the code reads as it runs.

use serde_json::Value;

/// A Python string literal holding `s` exactly: double quotes, with `\"`, `\\`, `\n`...
/// and `\u` escapes for every control, format or separator character.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_plain(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Printable ASCII, and letters or digits of any script (so names in other languages stay
/// readable). Everything else is escaped: control characters, invisible format characters
/// such as U+202E (which would show code in another order than it runs), odd spaces.
fn is_plain(c: char) -> bool {
    (' '..='~').contains(&c) || (!c.is_ascii() && c.is_alphanumeric())
}

/// `[a, b, c]` of string literals.
pub fn strings<S: AsRef<str>>(items: &[S]) -> String {
    list(items.iter().map(|s| string(s.as_ref())))
}

/// `[a, b, c]` of ready-made Python expressions, on several lines when long.
pub fn list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    let one_line = format!("[{}]", items.join(", "));
    if one_line.len() <= 80 {
        return one_line;
    }
    format!("[\n    {},\n]", items.join(",\n    "))
}

/// A number as Python reads it back exactly (`1`, `0.25`, `1e-07`); non-finite values are
/// written as `float("nan")` and the like.
pub fn number(v: f64) -> String {
    if v.is_nan() {
        return "float(\"nan\")".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "float(\"inf\")".into() } else { "-float(\"inf\")".into() };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{v:.1}");
    }
    // Rust's shortest round-trip form is valid Python (`1e-7`, `0.1`).
    format!("{v:?}")
}

/// A JSON value (a hyperparameter) as a Python literal.
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => number(f),
            _ => n.to_string(),
        },
        Value::String(s) => string(s),
        Value::Array(a) => format!("[{}]", a.iter().map(value).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            let items: Vec<String> = o.iter().map(|(k, v)| format!("{}: {}", string(k), value(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Text that may sit in a `#` comment or a docstring: letters, digits and a few
/// punctuation marks; anything else becomes `_`, and it is cut at `max` characters.
pub fn comment_text(s: &str, max: usize) -> String {
    s.chars().take(max).map(|c| if c.is_alphanumeric() || " _-.,:()+".contains(c) { c } else { '_' }).collect()
}

/// A file-name-safe slug: ASCII letters, digits and `_`.
pub fn slug(s: &str) -> String {
    let s: String =
        s.chars().take(40).map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "data".into()
    } else {
        s
    }
}

/// Whether `s` can stand as a bare Python/Spark column identifier.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 60
}

/// `# `-prefixed lines of `text`, wrapped at `width` columns (paragraphs split on `\n`).
pub fn comment_block(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split('\n') {
        if para.trim().is_empty() {
            out.push_str("#\n");
            continue;
        }
        // Keep a paragraph's own indentation (lists in the header); a command or a link
        // (indented by four) is never broken.
        let indent: String = para.chars().take_while(|c| *c == ' ').collect();
        if indent.len() >= 4 {
            out.push_str(&format!("# {}\n", para.trim_end()));
            continue;
        }
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
                out.push_str(&format!("# {indent}{line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&format!("# {indent}{line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_end_early() {
        assert_eq!(string(r#"a"b"#), r#""a\"b""#);
        assert_eq!(string("a\\"), r#""a\\""#);
        assert_eq!(string("x\ny\r"), r#""x\ny\r""#);
        assert_eq!(string("\"); import os #"), r#""\"); import os #""#);
        // Invisible and control characters are spelled out; letters of any script stay.
        assert_eq!(string("a\u{202e}b\u{0}"), r#""a\u202eb\u0000""#);
        assert_eq!(string("größe_été"), "\"größe_été\"");
        assert_eq!(string("\u{1f600}"), r#""\U0001f600""#);
    }

    #[test]
    fn numbers_and_values() {
        assert_eq!(number(1.0), "1.0");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1e-7), "1e-7");
        assert_eq!(number(f64::NAN), "float(\"nan\")");
        assert_eq!(value(&serde_json::json!([true, null, "l2", 100, 0.5])), r#"[True, None, "l2", 100, 0.5]"#);
    }

    #[test]
    fn comments_and_slugs_are_tame() {
        assert_eq!(comment_text("a\nb\"c", 10), "a_b_c");
        assert_eq!(slug("file:My Data (2).csv"), "file_my_data__2__csv");
        assert!(is_identifier("bill_length_mm") && !is_identifier("a.b") && !is_identifier("1a"));
        assert_eq!(comment_block("one two three\n\n  four", 9), "# one two\n# three\n#\n#   four\n");
    }
}
