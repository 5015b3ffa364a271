//! The GitHub report (`--format github`): workflow annotations, a warning per dropped line or
//! block, one on line 1 for what else changes in a file, and an error per file that failed.

use super::{DroppedLine, FileReport, Reporter, RunReport};

/// The annotations of a run, printed at its end.
#[derive(Default)]
pub(crate) struct Github {
    out: String,
}

impl Reporter for Github {
    fn file(&mut self, file: &FileReport) -> String {
        self.out.push_str(&github(&file.name, &file.detail.dropped));
        if !file.form.is_empty() {
            self.out.push_str(&github_form(&file.name, &file.form));
        }
        String::new()
    }

    fn finish(&mut self, run: &RunReport<'_>) -> String {
        for (p, m) in run.errors {
            self.out.push_str(&format!(
                "::error file={p},title=thresh::{}\n",
                m.replace('%', "%25").replace('\n', "%0A")
            ));
        }
        std::mem::take(&mut self.out)
    }
}

/// GitHub workflow annotations for one file: one per dropped line or block.
fn github(path: &str, dropped: &[DroppedLine]) -> String {
    let mut out = String::new();
    let mut k = 0;
    while k < dropped.len() {
        let d = &dropped[k];
        let mut end = d.line;
        while k + 1 < dropped.len()
            && dropped[k + 1].event == d.event
            && dropped[k + 1].rule == d.rule
        {
            k += 1;
            end = dropped[k].line;
        }
        out.push_str(&format!(
            "::warning file={},line={},endLine={},title={}::{}\n",
            escape_property(path),
            d.line,
            end,
            escape_property(&format!("thresh ({})", d.rule)),
            escape_data(&d.reason)
        ));
        k += 1;
    }
    out
}

/// A GitHub Actions annotation on line 1 of `path` that says what changes in it besides
/// dropped lines (`form`).
fn github_form(path: &str, form: &[String]) -> String {
    format!(
        "::warning file={},line=1,title={}::{}\n",
        escape_property(path),
        escape_property("thresh (normalize)"),
        escape_data(&format!("would change: {}", form.join("; ")))
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn github_groups_blocks_and_escapes() {
        let mk = |line, event| DroppedLine {
            line,
            start: 0,
            end: 1,
            rule: Arc::from("related/tail-marker"),
            reason: Arc::from("a, b: 100%"),
            event,
            text: String::new(),
        };
        let out = github("dir/a,b.txt", &[mk(3, 3), mk(4, 3), mk(5, 3), mk(9, 9)]);
        assert_eq!(
            out,
            "::warning file=dir/a%2Cb.txt,line=3,endLine=5,title=thresh (related/tail-marker)::a, b: 100%25\n\
             ::warning file=dir/a%2Cb.txt,line=9,endLine=9,title=thresh (related/tail-marker)::a, b: 100%25\n"
        );
    }
}
