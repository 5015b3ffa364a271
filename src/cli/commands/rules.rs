//! `thresh rules list|show|test|settings`: the rule set as users see it, read from the same
//! TOML the pipeline runs, so the docs and the behaviour cannot drift apart.

use std::io::{self, Write};

use thresh::heuristics;
use thresh::{Rule, RuleSet};

use crate::cli::args::{ListFormat, RulesArgs, RulesCommand};
use crate::cli::config::Config;
use crate::cli::error::Error;
use crate::cli::{Exit, error, stdout_written};

pub(crate) fn run(args: &RulesArgs) -> Result<Exit, Error> {
    let rule_args = args.command.rule_args();
    let set = Config::load(&rule_args.config)?.rule_set(rule_args)?;
    let mut out = io::stdout().lock();
    let written = match &args.command {
        RulesCommand::List { format, .. } => list(&set, *format, &mut out).map(|()| Exit::Ok),
        RulesCommand::Show { id, .. } => {
            show(&set, id, find(&set, id)?, &mut out).map(|()| Exit::Ok)
        }
        RulesCommand::Test { .. } => test(&set, &mut out),
        RulesCommand::Settings { .. } => out
            .write_all(set.settings().to_toml().as_bytes())
            .map(|()| Exit::Ok),
    };
    match written.and_then(|ended| out.flush().map(|()| ended)) {
        Ok(ended) => Ok(ended),
        Err(e) => stdout_written(Err(e)).map(|()| Exit::Ok),
    }
}

fn list(set: &RuleSet, format: ListFormat, out: &mut impl Write) -> io::Result<()> {
    let mut rows: Vec<(&str, &str, &str)> = set
        .rules()
        .iter()
        .map(|r| (r.id(), r.kind().as_str(), r.description()))
        .collect();
    for id in set.heuristics() {
        rows.push((id, "heuristic", heuristics::description(id).unwrap_or("")));
    }
    if set.model_enabled() {
        rows.push((thresh::model::ID, "model", MODEL_DESCRIPTION));
    }
    rows.sort_by(|a, b| a.0.cmp(b.0));
    match format {
        ListFormat::Text => {
            let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            for (id, kind, desc) in rows {
                writeln!(out, "{id:<w$}  {kind:<10}  {desc}")?;
            }
        }
        ListFormat::Json => {
            #[derive(serde::Serialize)]
            struct Item<'a> {
                id: &'a str,
                kind: &'a str,
                description: &'a str,
                file: Option<&'a str>,
            }
            let items: Vec<Item<'_>> = rows
                .iter()
                .map(|&(id, kind, description)| Item {
                    id,
                    kind,
                    description,
                    file: set.get(id).map(|r| r.location().0),
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// What `rules list` and `rules show` say of the line model.
const MODEL_DESCRIPTION: &str = "A line the rules and heuristics kept that the line model, \
     trained on pages with gold article text, puts below its threshold of being article text.";

/// What `rules show ID` shows.
enum Shown<'a> {
    Model,
    /// A heuristic, with its description.
    Heuristic(&'static str),
    Rule(&'a Rule),
}

/// What `id` names: the model, a heuristic, or one of the selected rules.
fn find<'a>(set: &'a RuleSet, id: &str) -> Result<Shown<'a>, Error> {
    if id == thresh::model::ID {
        return Ok(Shown::Model);
    }
    if let Some(desc) = heuristics::description(id) {
        return Ok(Shown::Heuristic(desc));
    }
    set.get(id).map(Shown::Rule).ok_or_else(|| {
        let mut names: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
        names.extend(set.heuristics());
        names.push(thresh::model::ID);
        let hint = match thresh::rules::did_you_mean(id, &names) {
            Some(near) => format!(" (did you mean {near}?)"),
            None => String::new(),
        };
        Error::Usage(format!(
            "rules show {id}: no such rule among the selected rules{hint}; `thresh rules list` \
             shows the ids"
        ))
    })
}

fn show(set: &RuleSet, id: &str, shown: Shown<'_>, out: &mut impl Write) -> io::Result<()> {
    match shown {
        Shown::Model => {
            let state = if set.model_enabled() {
                "selected"
            } else {
                "not selected"
            };
            writeln!(out, "{id} (model, {state})\n\n{MODEL_DESCRIPTION}")?;
            if let Some(m) = thresh::Model::builtin() {
                writeln!(
                    out,
                    "\nThe built-in model (models/README.md):\n\n{}",
                    m.about()
                )?;
            }
        }
        Shown::Heuristic(desc) => {
            let state = if set.heuristic_enabled(id) {
                "selected"
            } else {
                "not selected"
            };
            writeln!(out, "{id} (heuristic, {state})\n\n{desc}")?;
            let name = id.strip_prefix("heuristic/").unwrap_or(id);
            let settings = set.settings();
            match settings.table_toml(name) {
                Some(table) => writeln!(out, "\nIts settings in force:\n\n{}", table.trim_end())?,
                None => writeln!(out, "\nIt has no settings table of its own.")?,
            }
            writeln!(
                out,
                "\nIt also reads [prose] (what counts as a sentence) and [protect] (lines no \
                 heuristic drops); `thresh rules settings` prints every value in force."
            )?;
        }
        Shown::Rule(rule) => show_rule(rule, out)?,
    }
    Ok(())
}

fn show_rule(r: &Rule, out: &mut impl Write) -> io::Result<()> {
    let (file, line) = r.location();
    writeln!(out, "{} ({}, {file}:{line})\n", r.id(), r.kind())?;
    writeln!(out, "{}\n", r.description())?;
    if let Some(mode) = r.match_mode() {
        writeln!(out, "match: {}", mode.as_str())?;
    }
    if let Some(n) = r.max_chars() {
        writeln!(out, "max-chars: {n}")?;
    }
    if let Some(p) = r.within_first() {
        writeln!(out, "within-first: {p}")?;
    }
    if let Some(p) = r.within_last() {
        writeln!(out, "within-last: {p}")?;
    }
    if let Some(b) = r.block() {
        writeln!(out, "max-lines: {}", b.max_lines)?;
        writeln!(out, "start ({}):", b.start_mode.as_str())?;
        for p in &b.start {
            writeln!(out, "  {p}")?;
        }
        match (&b.end_mode, b.end.is_empty()) {
            (Some(mode), false) => {
                writeln!(out, "end ({}):", mode.as_str())?;
                for p in &b.end {
                    writeln!(out, "  {p}")?;
                }
            }
            _ => writeln!(out, "end: a blank line")?,
        }
    }
    if !r.patterns().is_empty() {
        writeln!(out, "patterns:")?;
        for p in r.patterns() {
            writeln!(out, "  {p}")?;
        }
    }
    if !r.map().is_empty() {
        writeln!(out, "map:")?;
        for (from, to) in r.map() {
            writeln!(out, "  {from:?} -> {to:?}")?;
        }
    }
    for (i, ex) in r.examples().iter().enumerate() {
        writeln!(out, "\nexample {}:", i + 1)?;
        writeln!(out, "  before:")?;
        indent(&ex.before, out)?;
        writeln!(out, "  after:")?;
        indent(&ex.after, out)?;
    }
    for (i, k) in r.keeps().iter().enumerate() {
        writeln!(out, "\nkeep {}:", i + 1)?;
        indent(k, out)?;
    }
    Ok(())
}

fn indent(text: &str, out: &mut impl Write) -> io::Result<()> {
    if text.is_empty() {
        return writeln!(out, "    (empty)");
    }
    for l in text.lines() {
        writeln!(out, "    |{l}")?;
    }
    Ok(())
}

/// `text` with what does not show made visible: `⏎` at each line end (none after a last line
/// without its newline), escapes for tabs, carriage returns and invisible or unusual spaces,
/// `·` for trailing spaces.
fn visible(text: &str) -> String {
    let mut out = String::new();
    for piece in text.split_inclusive('\n') {
        let (line, end) = match piece.strip_suffix('\n') {
            Some(l) => (l, "⏎\n"),
            None => (piece, " (no final newline)\n"),
        };
        let body = line.trim_end_matches(' ');
        for c in body.chars() {
            match c {
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                ' ' => out.push(' '),
                c if c.is_whitespace() || c.is_control() || is_format(c) => {
                    out.push_str(&format!("\\u{{{:x}}}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push_str(&"·".repeat(line.len() - body.len()));
        out.push_str(end);
    }
    out
}

/// Invisible formatting characters: zero-width spaces and joiners, marks, the BOM.
fn is_format(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn test(set: &RuleSet, out: &mut impl Write) -> io::Result<Exit> {
    let failures = set.check_examples();
    let examples: usize = set.rules().iter().map(|r| r.examples().len()).sum();
    let keeps: usize = set.rules().iter().map(|r| r.keeps().len()).sum();
    for f in &failures {
        writeln!(out, "FAIL {} ({}) {}", f.rule, f.location, f.case)?;
        // Texts that differ only in what does not show (a final newline, a tab, a no-break
        // space) are shown with it made visible.
        let plain = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        let show: fn(&str) -> String = if plain(&f.expected) == plain(&f.got) {
            writeln!(
                out,
                "  (the texts differ only in characters that do not show: ⏎ ends a line, \
                 \\t \\r \\u{{…}} are escapes, · is a trailing space)"
            )?;
            visible
        } else {
            str::to_string
        };
        writeln!(out, "  input:")?;
        indent(&show(&f.input), out)?;
        writeln!(out, "  expected:")?;
        indent(&show(&f.expected), out)?;
        writeln!(out, "  got:")?;
        indent(&show(&f.got), out)?;
    }
    // A rule with nothing to test passes silently otherwise.
    for r in set.rules() {
        if r.examples().is_empty() && r.keeps().is_empty() {
            let (file, line) = r.location();
            error(format!(
                "warning: {file}:{line}: rule \"{}\" has no [[rule.example]] or [[rule.keep]]: \
                 nothing tests it",
                r.id()
            ));
        }
    }
    let failed_rules: std::collections::BTreeSet<&str> =
        failures.iter().map(|f| f.rule.as_str()).collect();
    writeln!(
        out,
        "{} rules, {examples} examples, {keeps} keep texts: {} passed, {} failed",
        set.rules().len(),
        examples + keeps - failures.len(),
        failures.len()
    )?;
    if failures.is_empty() {
        Ok(Exit::Ok)
    } else {
        writeln!(
            out,
            "failing rules: {}",
            failed_rules.into_iter().collect::<Vec<_>>().join(", ")
        )?;
        Ok(Exit::Changed)
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn visible_shows_line_ends_and_invisible_characters() {
        assert_eq!(
            visible("The vote is on Monday.\n"),
            "The vote is on Monday.⏎\n"
        );
        assert_eq!(
            visible("The vote is on Monday."),
            "The vote is on Monday. (no final newline)\n"
        );
        assert_eq!(visible("a\tb\u{a0}c  \n"), "a\\tb\\u{a0}c··⏎\n");
    }
}
