//! An exported program as a list of explained steps, rendered either as one commented
//! Python script or as a Jupyter notebook (a markdown cell and a code cell per step).

use serde_json::json;

use super::py::comment_block;

/// Comment lines wrap at this width.
const WIDTH: usize = 88;

/// One step: a title, its explanation in plain words (paragraphs split by `\n`), its code.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub prose: String,
    pub code: String,
    /// The notebook's version of the code, where it differs (no command line there).
    pub notebook_code: Option<String>,
}

impl Section {
    pub fn new(title: &str, prose: &str, code: impl Into<String>) -> Section {
        Section { title: title.into(), prose: prose.into(), code: code.into(), notebook_code: None }
    }

    pub fn with_notebook(mut self, code: impl Into<String>) -> Section {
        self.notebook_code = Some(code.into());
        self
    }
}

#[derive(Debug, Clone)]
pub struct Program {
    /// What the program is and how to run it (the script's top comment, the notebook's
    /// first cell).
    pub header: String,
    /// How to run it from a shell (script only).
    pub usage: String,
    pub imports: Vec<String>,
    pub sections: Vec<Section>,
}

impl Program {
    pub fn script(&self) -> String {
        let mut out = String::from("#!/usr/bin/env python3\n");
        out.push_str(&comment_block(&self.header, WIDTH));
        out.push_str("#\n");
        out.push_str(&comment_block(&self.usage, WIDTH));
        out.push('\n');
        out.push_str(&self.imports.join("\n"));
        out.push('\n');
        for s in &self.sections {
            let rule = "-".repeat(WIDTH.saturating_sub(s.title.len() + 7));
            out.push_str(&format!("\n\n# --- {} {rule}\n", s.title));
            if !s.prose.is_empty() {
                out.push_str(&comment_block(&s.prose, WIDTH));
            }
            out.push_str(s.code.trim_end());
            out.push('\n');
        }
        out
    }

    /// nbformat 4 JSON.
    pub fn notebook(&self) -> String {
        let mut cells = vec![markdown(&self.header), code(&self.imports.join("\n"))];
        for s in &self.sections {
            cells.push(markdown(&format!("## {}\n\n{}", s.title, s.prose.replace('\n', "\n\n"))));
            cells.push(code(s.notebook_code.as_deref().unwrap_or(&s.code)));
        }
        // Cell ids must be unique within a notebook (nbformat 4.5); their position will do.
        for (i, c) in cells.iter_mut().enumerate() {
            c["id"] = json!(format!("cell-{i}"));
        }
        let nb = json!({
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"}
            },
            "cells": cells,
        });
        serde_json::to_string_pretty(&nb).expect("a notebook serialises") + "\n"
    }
}

/// nbformat stores a cell's text as a list of lines, each keeping its `\n`.
fn lines(text: &str) -> Vec<String> {
    let text = text.trim_end();
    let mut v: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    if v.is_empty() {
        v.push(String::new());
    }
    v
}

fn markdown(text: &str) -> serde_json::Value {
    json!({"cell_type": "markdown", "metadata": {}, "source": lines(text)})
}

fn code(text: &str) -> serde_json::Value {
    json!({"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": lines(text)})
}
