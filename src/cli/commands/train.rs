//! `thresh train DIR... -o MODEL`: fit a line model to pages with gold text and print a
//! site-grouped cross-validation report.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use thresh::model::score::Counts;
use thresh::model::train::{self, Options, Page, Prepared};

use crate::cli::Exit;
use crate::cli::args::TrainArgs;
use crate::cli::config::Config;
use crate::cli::error::Error;
use crate::cli::input::decode;
use crate::cli::temp::write_atomic;
use crate::cli::workers;

pub(crate) fn run(args: &TrainArgs) -> Result<Exit, Error> {
    if args.output.is_none() && args.folds == 0 {
        return Err(Error::Usage(
            "nothing to do: expected -o FILE to write the model, or --folds N (N ≥ 2) to \
             cross-validate"
                .into(),
        ));
    }
    if args.folds == 1 {
        return Err(Error::Usage(
            "--folds 1: a cross-validation needs at least 2 folds (0: none)".into(),
        ));
    }
    for (name, p) in [
        ("--threshold", args.threshold),
        ("--restore", args.restore),
        ("--prose-threshold", args.prose_threshold),
    ] {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::Usage(format!(
                "{name} {p}: expected a probability from 0 to 1"
            )));
        }
    }
    if args.rules.model.is_some() {
        return Err(Error::Usage(
            "--model: train fits a new model; it reads no model".into(),
        ));
    }
    let (_, pipeline, normalize) = Config::for_command(&args.rules, &args.normalize, &[])?;
    let pool = workers::pool(args.threads)?;
    let mut pages = Vec::new();
    for dir in &args.dirs {
        pages.extend(read_set(dir, normalize.encoding.as_deref())?);
    }
    if pages.is_empty() {
        return Err(Error::Pages(
            "no pages: expected DIR/input/<id>.txt files with DIR/gold/<id>.txt".into(),
        ));
    }
    let options = Options {
        bits1: args.bits,
        epochs: args.epochs,
        l2: args.l2,
        threshold: args.threshold,
        restore: args.restore,
        prose: args.prose_threshold,
        ..Options::default()
    };
    let say = |m: &str| {
        if !args.quiet {
            eprintln!("thresh train: {m}");
        }
    };
    let sites = {
        let mut s: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s.len()
    };
    say(&format!(
        "{} pages from {} sites; labelling and reading features",
        pages.len(),
        sites
    ));
    pool.install(|| {
        use rayon::prelude::*;
        let prepared: Vec<Prepared> = pages
            .par_iter()
            .map(|p| train::prepare(&pipeline, p, options.bits1))
            .collect();
        let mut about = String::new();
        let _ = writeln!(
            about,
            "Trained by `thresh train` on {} pages from {} sites ({}).",
            pages.len(),
            sites,
            set_sizes(&pages)
        );
        let _ = writeln!(
            about,
            "Options: bits {}, epochs {}, l2 {}, threshold {}, prose threshold {}, restore {}.",
            options.bits1,
            options.epochs,
            options.l2,
            options.threshold,
            options.prose,
            options.restore
        );
        if args.folds >= 2 {
            say(&format!(
                "cross-validating over {} folds by site",
                args.folds
            ));
            let report = train::cross_validate(&pipeline, &pages, &prepared, args.folds, &options);
            if let Some(dir) = &args.cv_output {
                for (page, text) in pages.iter().zip(&report.outputs) {
                    let d = dir.join(&page.set);
                    fs::create_dir_all(&d).map_err(|e| Error::io(d.display(), e))?;
                    let p = d.join(format!("{}.txt", page.id));
                    fs::write(&p, text).map_err(|e| Error::io(p.display(), e))?;
                }
            }
            let table = report_table(&report);
            if !args.quiet {
                crate::cli::print_bytes(table.as_bytes())?;
            }
            about.push_str(&table);
        }
        if let Some(out) = &args.output {
            say("fitting the model on every page");
            let refs: Vec<&Prepared> = prepared.iter().collect();
            let groups: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
            let model = train::fit(&refs, &groups, &options, about);
            write_atomic(out, &model.to_bytes(), None, true)?;
            say(&format!("wrote {}", out.display()));
        }
        Ok(Exit::Ok)
    })
}

/// `wcxb 1307, andy 421`: pages per set, in the order first seen.
fn set_sizes(pages: &[Page]) -> String {
    let mut sets: Vec<(&str, usize)> = Vec::new();
    for p in pages {
        match sets.iter_mut().find(|(s, _)| *s == p.set) {
            Some((_, n)) => *n += 1,
            None => sets.push((&p.set, 1)),
        }
    }
    sets.iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cross-validation report as a table.
fn report_table(r: &train::Report) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Cross-validation, {} folds by site ({} sites): each page cleaned by a model fitted \
         without its site.",
        r.folds, r.sites
    );
    let _ = writeln!(
        t,
        "{:<12} {:>6}  {:<6} {:>6} {:>6} {:>6} {:>8} {:>8}",
        "set", "pages", "model", "F1", "P", "R", "content", "debris"
    );
    let mut all = (Counts::default(), Counts::default());
    let row = |t: &mut String, set: &str, c: &Counts, model: &str| {
        let p = c.true_positive as f64 / c.output.max(1) as f64;
        let rc = c.true_positive as f64 / c.gold.max(1) as f64;
        let _ = writeln!(
            t,
            "{:<12} {:>6}  {:<6} {:>6.3} {:>6.3} {:>6.3} {:>8.3} {:>8.3}",
            set,
            c.pages,
            model,
            c.macro_f1(),
            p,
            rc,
            c.content_kept(),
            c.debris_kept()
        );
    };
    for s in &r.sets {
        row(&mut t, &s.set, &s.without, "off");
        row(&mut t, &s.set, &s.with, "on");
        all.0.add(&s.without);
        all.1.add(&s.with);
    }
    if r.sets.len() > 1 {
        row(&mut t, "all", &all.0, "off");
        row(&mut t, "all", &all.1, "on");
    }
    let _ = writeln!(
        t,
        "F1: mean over pages of bag-of-words F1; P, R: over all tokens; content: share of the \
         gold's tokens kept; debris: share of the other tokens kept."
    );
    t
}

/// The labelled pages of one folder.
fn read_set(dir: &Path, encoding: Option<&str>) -> Result<Vec<Page>, Error> {
    let input = dir.join("input");
    let gold = dir.join("gold");
    let entries = fs::read_dir(&input).map_err(|e| Error::io(input.display(), e))?;
    let mut ids: Vec<String> = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(input.display(), e))?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name.strip_suffix(".txt") {
            ids.push(id.to_string());
        }
    }
    ids.sort();
    let groups = read_manifest(&dir.join("manifest.jsonl"))?;
    let set = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let read = |p: &Path| -> Result<String, Error> {
        let bytes = fs::read(p).map_err(|e| Error::io(p.display(), e))?;
        decode(&bytes, encoding)
            .map(|t| t.into_owned())
            .map_err(|e| e.about(p.display()))
    };
    let mut pages = Vec::with_capacity(ids.len());
    for id in ids {
        let g = gold.join(format!("{id}.txt"));
        if !g.exists() {
            return Err(Error::Pages(format!(
                "{}: no gold for this page, expected {}",
                input.join(format!("{id}.txt")).display(),
                g.display()
            )));
        }
        let group = match groups.binary_search_by(|(i, _)| i.as_str().cmp(&id)) {
            Ok(at) => groups[at].1.clone(),
            Err(_) => format!("{set}/{id}"),
        };
        pages.push(Page {
            input: read(&input.join(format!("{id}.txt")))?,
            gold: read(&g)?,
            id,
            set: set.clone(),
            group,
        });
    }
    Ok(pages)
}

/// `(id, site)` pairs from a manifest, if the folder has one.
fn read_manifest(path: &Path) -> Result<Vec<(String, String)>, Error> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path.display(), e)),
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            Error::Pages(format!(
                "{}:{}: {e}; expected one JSON object a line",
                path.display(),
                n + 1
            ))
        })?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let Some(id) = field("id") else {
            return Err(Error::Pages(format!(
                "{}:{}: no \"id\" field; expected the page's file name without .txt",
                path.display(),
                n + 1
            )));
        };
        if let Some(site) = field("host")
            .or_else(|| field("site"))
            .or_else(|| field("group"))
        {
            out.push((id, site.trim_start_matches("www.").to_string()));
        }
    }
    out.sort();
    Ok(out)
}
