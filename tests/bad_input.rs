//! Bad input, end to end through the binary: each case with its expected outcome (exit code,
//! the message naming the file, the other files still cleaned, nothing else changed). A file
//! that fails is reported and skipped; the run goes on and exits 2 at the end.
//!
//! Cases the environment cannot exercise (permissions when running as root) print a note and
//! return early rather than pass without testing anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::Dir;

const PAGE: &str = "Share\nRates rose again on Tuesday, the central bank said in a statement.\nAdvertisement:\n“We will act,” the governor said on Tuesday evening.\n";
const CLEAN: &str = "Rates rose again on Tuesday, the central bank said in a statement.\n\"We will act,\" the governor said on Tuesday evening.\n";

/// Every file under `dir` (not following symbolic links) with its bytes, sorted; folders and
/// links are listed too, so an added, removed or changed entry shows.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(entries) = fs::read_dir(&p) else {
            out.push((p, None));
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p.clone());
                out.push((p, None));
            } else if meta.file_type().is_symlink() {
                let target = fs::read_link(&p).unwrap();
                out.push((p, Some(target.as_os_str().as_encoded_bytes().to_vec())));
            } else {
                let bytes = fs::read(&p).ok();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Names of leftover temporary files (`.thresh-*.tmp`) under `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".thresh-"))
        })
        .collect()
}

/// Asserts the run exited 2 and reported exactly these `(file, message)` errors, one line each,
/// and the summary counts them.
fn assert_failed(r: &crate::util::Run, errors: &[(&str, &str)]) {
    assert_eq!(r.code, 2, "exit code; stderr:\n{}", r.stderr);
    for (file, msg) in errors {
        let line = format!("thresh: {file}: {msg}\n");
        assert!(
            r.stderr.contains(&line),
            "missing {line:?} in:\n{}",
            r.stderr
        );
    }
    let reported = r
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("thresh: ")
                && !l.starts_with("thresh: note: ")
                && !l.starts_with("thresh: cleaned")
                && !l.starts_with("thresh: checked")
        })
        .count();
    assert_eq!(reported, errors.len(), "error lines in:\n{}", r.stderr);
    if r.stderr.contains("thresh: cleaned") || r.stderr.contains("thresh: checked") {
        let tail = format!("; {} failed\n", errors.len());
        assert!(r.stderr.ends_with(&tail), "summary in:\n{}", r.stderr);
    }
}

/// True when this process can read a file it has no permission to read (root, or a
/// capability that bypasses file permissions): permission cases cannot be exercised.
#[cfg(unix)]
fn permissions_are_bypassed(d: &Dir) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = d.write(".probe", "x");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::File::open(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

/// A folder with two good files around the case under test.
fn with_neighbours(d: &Dir) {
    d.write("in/a.txt", PAGE);
    d.write("in/z.txt", PAGE);
}

fn assert_neighbours_cleaned(d: &Dir) {
    eqnice!(CLEAN, d.read("out/a.txt"));
    eqnice!(CLEAN, d.read("out/z.txt"));
}

// --- Text shapes that are fine --------------------------------------------------------------

/// `(input, expected output)` for inputs that are odd but valid: each is cleaned next to two
/// ordinary files, written to `-o`, and read from standard input.
const ODD_BUT_VALID: &[(&str, &[u8], &str)] = &[
    ("empty", b"", ""),
    ("whitespace only", b"  \n\t\n\xC2\xA0\n\n \r\n", ""),
    (
        "no final newline",
        b"Rates rose again on Tuesday.",
        "Rates rose again on Tuesday.\n",
    ),
    (
        "CRLF and lone CR",
        b"First line.\r\nSecond line.\rThird line.\r\n\r\n\r\rFourth line.\r",
        "First line.\nSecond line.\nThird line.\n\nFourth line.\n",
    ),
    (
        "byte-order mark",
        b"\xEF\xBB\xBFRates rose again on Tuesday.\n",
        "Rates rose again on Tuesday.\n",
    ),
    ("byte-order mark only", b"\xEF\xBB\xBF", ""),
];

/// The file name of case `k`.
fn case_file(k: usize) -> String {
    format!("case{k}.txt")
}

#[test]
fn odd_but_valid_text_is_cleaned() {
    let d = Dir::new();
    with_neighbours(&d);
    for (k, (_, input, _)) in ODD_BUT_VALID.iter().enumerate() {
        d.write(&format!("in/{}", case_file(k)), input);
    }
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (k, (name, _, expected)) in ODD_BUT_VALID.iter().enumerate() {
        eqnice!(expected, d.read(&format!("out/{}", case_file(k))), "{name}");
    }
    assert_neighbours_cleaned(&d);
    assert_eq!(before, snapshot(&d.join("in")), "inputs changed");
    for (name, input, expected) in ODD_BUT_VALID {
        let r = d.run_stdin(&["clean", "-"], input);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{name} from stdin");
        eqnice!(expected, r.stdout, "{name} from stdin");
    }
}

#[test]
fn odd_but_valid_text_in_place_is_rewritten_only_when_it_changes() {
    use std::time::{Duration, SystemTime};
    let d = Dir::new();
    let old = SystemTime::now() - Duration::from_secs(3600);
    for (k, (_, input, _)) in ODD_BUT_VALID.iter().enumerate() {
        let p = d.write(&format!("docs/{}", case_file(k)), input);
        fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let r = d.run(&["clean", "docs", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut changed = 0;
    for (k, (name, input, expected)) in ODD_BUT_VALID.iter().enumerate() {
        let p = d.join(&format!("docs/{}", case_file(k)));
        assert_eq!(fs::read(&p).unwrap(), expected.as_bytes(), "{name}");
        let rewritten = fs::metadata(&p).unwrap().modified().unwrap() != old;
        assert_eq!(
            rewritten,
            *input != expected.as_bytes(),
            "{name}: rewritten?"
        );
        changed += usize::from(rewritten);
    }
    let summary = format!(
        "cleaned {} files in place: {changed} changed",
        ODD_BUT_VALID.len()
    );
    assert!(r.stderr.contains(&summary), "{}", r.stderr);
    assert!(temp_files(&d.join("docs")).is_empty());
}

// --- Encodings ------------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_reported_with_its_offset_and_skipped() {
    let d = Dir::new();
    with_neighbours(&d);
    d.write(
        "in/bad.txt",
        b"Good start.\nthen \xC3\x28 broken and \xFF\n",
    );
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[(
            "in/bad.txt",
            "invalid UTF-8 at byte 17 and the encoding could not be detected with confidence: \
             pass --encoding NAME",
        )],
    );
    assert!(!d.join("out/bad.txt").exists());
    assert_neighbours_cleaned(&d);
    assert_eq!(before, snapshot(&d.join("in")));
    // Alone, to standard output: nothing printed but the error.
    let r = d.run(&["clean", "in/bad.txt"]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let text = "Rates rose again on Tuesday, the central bank said — «Україна» 🇺🇦.\r\nShare\r\n";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/le.txt", &le);
    d.write("in/be.txt", &be);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = "Rates rose again on Tuesday, the central bank said — «Україна» 🇺🇦.\n";
    eqnice!(expected, d.read("out/le.txt"));
    eqnice!(expected, d.read("out/be.txt"));
    assert_neighbours_cleaned(&d);
}

#[test]
fn utf16_without_a_byte_order_mark_is_reported_as_binary() {
    // Without a BOM, UTF-16 of Latin text is full of NUL bytes: refused, never guessed at.
    let mut le = Vec::new();
    for u in "Rates rose again.\n".encode_utf16() {
        le.extend(u.to_le_bytes());
    }
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/u16.txt", &le);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[(
            "in/u16.txt",
            "binary file: NUL byte at byte 1, expected text",
        )],
    );
    assert_neighbours_cleaned(&d);
    let r = d.run(&["clean", "in/u16.txt", "--encoding", "utf-16le"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "Rates rose again.\n"),
        "{}",
        r.stderr
    );
}

/// Too few accented letters for detection, but Windows-1252 reads the bytes cleanly as
/// Western text: the file is read so, with a note; damaged UTF-8 stays an error.
#[test]
fn short_latin1_is_read_as_windows_1252_with_a_note() {
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/fr.txt", b"Caf\xE9 cr\xE8me, s'il vous pla\xEEt.\n");
    d.write("in/utf8.txt", "Müller’s café, déjà vu\n".as_bytes());
    let mut damaged = "Müller’s café, déjà vu: ".as_bytes().to_vec();
    damaged.extend_from_slice(b"\xE9\n");
    d.write("in/damaged.txt", &damaged);
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[(
            "in/damaged.txt",
            "invalid UTF-8 at byte 30 and the encoding could not be detected with confidence: \
             pass --encoding NAME",
        )],
    );
    assert!(
        r.stderr.contains(
            "thresh: note: in/fr.txt: not UTF-8: read as windows-1252, which decodes it \
             cleanly (pass --encoding NAME to choose another)"
        ),
        "{}",
        r.stderr
    );
    eqnice!("Café crème, s'il vous plaît.\n", d.read("out/fr.txt"));
    assert!(!r.stderr.contains("in/utf8.txt"), "{}", r.stderr);
    assert_neighbours_cleaned(&d);
    assert_eq!(before, snapshot(&d.join("in")));
    // -q: no note.
    let r = d.run(&["clean", "in/fr.txt", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!("", r.stderr);
    eqnice!("Café crème, s'il vous plaît.\n", r.stdout);
}

#[test]
fn long_latin1_is_detected() {
    let text = "Le gouvernement français a annoncé mercredi une réforme décisive des \
                retraites, très contestée par les syndicats, qui prévoient déjà des grèves à \
                la rentrée. Selon le ministère, l'âge légal sera relevé progressivement.\n";
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/fr.txt", &latin1[..]);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(text, d.read("out/fr.txt"));
    assert_neighbours_cleaned(&d);
}

#[test]
fn binary_files_are_reported_and_skipped() {
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/nul.txt", b"Rates rose\0 again.\n");
    d.write(
        "in/image.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
    );
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[
            (
                "in/image.png",
                "binary file: NUL byte at byte 8, expected text",
            ),
            (
                "in/nul.txt",
                "binary file: NUL byte at byte 10, expected text",
            ),
        ],
    );
    assert!(!d.join("out/nul.txt").exists() && !d.join("out/image.png").exists());
    assert_neighbours_cleaned(&d);
    assert_eq!(before, snapshot(&d.join("in")));
    // In place: the binary file is not touched.
    let r = d.run(&["clean", "in", "--in-place"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        fs::read(d.join("in/nul.txt")).unwrap(),
        b"Rates rose\0 again.\n"
    );
    eqnice!(CLEAN, d.read("in/a.txt"));
}

// --- Size ---------------------------------------------------------------------------------------

/// One line of `size` bytes of prose, written straight to disk.
fn one_long_line(path: &Path, size: usize) -> Vec<u8> {
    let sentence = b"Rates rose again on Tuesday, the central bank said in a statement. ";
    let mut bytes = Vec::with_capacity(size);
    while bytes.len() + sentence.len() <= size {
        bytes.extend_from_slice(sentence);
    }
    bytes.pop();
    bytes.push(b'.');
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, &bytes).unwrap();
    bytes
}

/// 200 MB on one line: about 1.5 s in a release build, 10 s in a debug build.
#[test]
fn a_200_mb_single_line_comes_through() {
    let d = Dir::new();
    with_neighbours(&d);
    let line = one_long_line(&d.join("in/long.txt"), 200 << 20);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = fs::read(d.join("out/long.txt")).unwrap();
    assert_eq!(out.len(), line.len() + 1, "the line and a newline");
    assert!(out[..line.len()] == line[..] && out.ends_with(b".\n"));
    assert_neighbours_cleaned(&d);
}

#[test]
fn a_million_short_lines_come_through() {
    let d = Dir::new();
    let mut text = String::with_capacity(20 << 20);
    for i in 0..1_000_000 {
        text.push_str(&format!("Rates rose {i}.\n"));
    }
    d.write("in/million.txt", &text);
    let r = d.run(&["clean", "in/million.txt", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = d.read("out/million.txt");
    assert_eq!(out.lines().count(), 1_000_000);
    assert!(
        out == text,
        "a million distinct short lines are kept as they are"
    );
}

#[test]
fn ten_thousand_repeats_of_a_menu_line_are_dropped() {
    let d = Dir::new();
    let mut text =
        String::from("Rates rose again on Tuesday, the central bank said in a statement.\n");
    for _ in 0..10_000 {
        text.push_str("Home | News | Sport | Business\n");
    }
    text.push_str("The governor said the bank would act again if it were needed.\n");
    d.write("in/menu.txt", &text);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(
        "Rates rose again on Tuesday, the central bank said in a statement.\n\
         The governor said the bank would act again if it were needed.\n",
        d.read("out/menu.txt")
    );
    assert!(
        r.stderr.contains("10000 of 10002 lines dropped"),
        "{}",
        r.stderr
    );
}

// --- The file system ----------------------------------------------------------------------------

#[test]
fn deeply_nested_folders_are_walked_and_mirrored() {
    let d = Dir::new();
    with_neighbours(&d);
    let rel: String = (1..=200).map(|i| format!("d{i}/")).collect();
    d.write(&format!("in/{rel}deep.txt"), PAGE);
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, d.read(&format!("out/{rel}deep.txt")));
    assert_neighbours_cleaned(&d);
    assert!(r.stderr.contains("cleaned 3 files"), "{}", r.stderr);
}

/// Deeper than PATH_MAX (4096 bytes on Linux): the folder that cannot be opened is reported,
/// the rest is cleaned.
#[cfg(target_os = "linux")]
#[test]
fn folders_deeper_than_path_max_are_reported() {
    use std::process::Command;
    let d = Dir::new();
    with_neighbours(&d);
    // mkdir and `cd -P` go one relative component at a time (a logical `cd` would name the
    // whole path), so the shell builds what no single path can name.
    let script = "cd in && for i in $(seq 1 1000); do mkdir dd$i && cd -P dd$i || exit 1; done \
                  && printf 'Share\\nRates rose.\\n' > deep.txt";
    let ok = Command::new("sh")
        .args(["-c", script])
        .current_dir(d.path())
        .status()
        .unwrap()
        .success();
    assert!(ok, "building the deep tree");
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| !l.starts_with("thresh: cleaned"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].starts_with("thresh: in/dd1/dd2/") && errors[0].ends_with("file name too long"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[0].matches("in/dd1/dd2/").count(),
        1,
        "the path is named once: {}",
        errors[0]
    );
    assert!(r.stderr.ends_with("; 1 failed\n"), "{}", r.stderr);
    assert_neighbours_cleaned(&d);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_the_walk_and_are_skipped() {
    use std::os::unix::fs::symlink;
    let d = Dir::new();
    with_neighbours(&d);
    symlink(".", d.join("in/loop")).unwrap(); // a folder that contains itself
    symlink("../in", d.join("in/up")).unwrap();
    symlink("self", d.join("in/self")).unwrap(); // a link to itself
    symlink("a.txt", d.join("in/link.txt")).unwrap(); // a link to a file: cleaned
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    // Links to folders are not followed and a link that resolves to nothing is not a file:
    // both are passed over without a message, as the walk does for anything not a file.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("cleaned 3 files"), "{}", r.stderr);
    assert_neighbours_cleaned(&d);
    eqnice!(CLEAN, d.read("out/link.txt"));
    assert!(!d.join("out/loop").exists() && !d.join("out/self").exists());
    assert_eq!(before, snapshot(&d.join("in")));
    // Named directly, the looping link is an error that names it.
    let r = d.run(&["clean", "in/self", "in/a.txt", "-o", "out2"]);
    assert_failed(&r, &[("in/self", "too many levels of symbolic links")]);
    eqnice!(CLEAN, d.read("out2/a.txt"));
}

/// `--in-place` on a symbolic link cleans the file it points to and keeps the link.
#[cfg(unix)]
#[test]
fn in_place_on_a_symlink_cleans_its_target_and_keeps_the_link() {
    use std::os::unix::fs::symlink;
    let d = Dir::new();
    d.write("data/a.txt", PAGE);
    fs::create_dir_all(d.join("in")).unwrap();
    symlink("../data/a.txt", d.join("in/link.txt")).unwrap();
    for args in [
        &["clean", "in/link.txt", "--in-place"][..],
        &["clean", "in", "--in-place"][..],
    ] {
        d.write("data/a.txt", PAGE);
        let r = d.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let meta = fs::symlink_metadata(d.join("in/link.txt")).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "{args:?}: the link became a file"
        );
        eqnice!(CLEAN, d.read("data/a.txt"));
        eqnice!(CLEAN, d.read("in/link.txt"));
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    if permissions_are_bypassed(&d) {
        eprintln!(
            "note: unreadable_files_and_folders_are_reported skipped: this process reads \
             files whatever their permissions (root?)"
        );
        return;
    }
    with_neighbours(&d);
    let secret = d.write("in/secret.txt", PAGE);
    d.write("in/locked/inside.txt", PAGE);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(d.join("in/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let r = d.run(&["clean", "in", "-o", "out"]);
    // Restore, so the snapshot and the clean-up can read them.
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(d.join("in/locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_failed(
        &r,
        &[
            ("in/locked", "permission denied"),
            ("in/secret.txt", "permission denied"),
        ],
    );
    assert!(!d.join("out/secret.txt").exists());
    assert_neighbours_cleaned(&d);
    assert_eq!(d.read("in/secret.txt"), PAGE);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_kept_byte_for_byte() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    with_neighbours(&d);
    let name = OsStr::from_bytes(b"caf\xE9.txt");
    fs::write(d.join("in").join(name), PAGE).unwrap();
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, fs::read_to_string(d.join("out").join(name)).unwrap());
    assert_neighbours_cleaned(&d);
    // Reports show the name lossily.
    let r = d.run(&["clean", "in", "--check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("would change: in/caf\u{FFFD}.txt\n"),
        "{}",
        r.stdout
    );
    // In place, under the same name.
    let r = d.run(&["clean", "in", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eqnice!(CLEAN, fs::read_to_string(d.join("in").join(name)).unwrap());
}

#[test]
fn an_output_folder_inside_the_input_is_never_walked() {
    let d = Dir::new();
    with_neighbours(&d);
    // Dirty text already in the output folder: neither cleaned as input nor copied into
    // out/out.
    d.write("in/out/old.txt", PAGE);
    let r = d.run(&["clean", "in", "-o", "in/out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("cleaned 2 files"), "{}", r.stderr);
    eqnice!(CLEAN, d.read("in/out/a.txt"));
    eqnice!(CLEAN, d.read("in/out/z.txt"));
    eqnice!(PAGE, d.read("in/out/old.txt"));
    assert!(!d.join("in/out/out").exists());
    // Spelled another way (trailing slash, `./`) it is still recognised.
    let r = d.run(&["clean", "./in/", "-o", "in/./out/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("cleaned 2 files"), "{}", r.stderr);
    assert!(!d.join("in/out/out").exists());
}

#[test]
fn output_naming_an_existing_file_is_refused_before_anything_is_written() {
    let d = Dir::new();
    with_neighbours(&d);
    d.write("taken", "a file");
    let before = snapshot(d.path());
    let r = d.run(&["clean", "in", "-o", "taken"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "thresh: -o taken: exists and is not a folder; expected a folder (it is created if missing)\n"
    );
    assert_eq!(before, snapshot(d.path()), "nothing written");
}

// --- Writes that fail ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_fails_those_files_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    if permissions_are_bypassed(&d) {
        eprintln!(
            "note: a_read_only_output_folder_fails_those_files_only skipped: this process \
             writes into read-only folders (root?); see a_write_that_fails_midway_*"
        );
        return;
    }
    with_neighbours(&d);
    d.write("in/sub/b.txt", PAGE);
    fs::create_dir_all(d.join("out/sub")).unwrap();
    fs::set_permissions(d.join("out/sub"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    fs::set_permissions(d.join("out/sub"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_failed(
        &r,
        &[(
            "in/sub/b.txt",
            "cannot write out/sub/b.txt: permission denied",
        )],
    );
    assert_neighbours_cleaned(&d);
    assert!(
        snapshot(&d.join("out/sub")).is_empty(),
        "nothing left in out/sub"
    );
    assert_eq!(before, snapshot(&d.join("in")));
}

#[test]
fn a_folder_in_the_way_of_an_output_fails_that_file_only() {
    // Root cannot be kept from writing, but no one can rename a file over a folder: the
    // temporary file is written in full, the rename fails, and the temporary file goes.
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/m.txt", PAGE);
    fs::create_dir_all(d.join("out/m.txt")).unwrap();
    let before = snapshot(&d.join("in"));
    let r = d.run(&["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[(
            "in/m.txt",
            "cannot write out/m.txt: is a folder, expected a file",
        )],
    );
    assert_neighbours_cleaned(&d);
    assert!(d.join("out/m.txt").is_dir());
    assert!(
        temp_files(&d.join("out")).is_empty(),
        "{:?}",
        temp_files(&d.join("out"))
    );
    assert_eq!(before, snapshot(&d.join("in")));
}

/// Runs thresh with a file-size limit of about 50 KB (`ulimit -f 100`; SIGXFSZ ignored, so a
/// write past the limit fails with EFBIG instead of killing the process).
#[cfg(unix)]
fn run_with_file_size_limit(d: &Dir, args: &[&str]) -> crate::util::Run {
    let mut all = vec![
        "-c",
        "trap '' XFSZ; ulimit -f 100 && exec \"$0\" \"$@\"",
        env!("CARGO_BIN_EXE_thresh"),
    ];
    all.extend_from_slice(args);
    let out = std::process::Command::new("sh")
        .args(&all)
        .current_dir(d.path())
        .env_remove("CI")
        .output()
        .unwrap();
    crate::util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A big page: 1 MB of prose with debris lines between.
fn big_page() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 1 << 20 {
        s.push_str(&format!(
            "Paragraph {i}: rates rose again on Tuesday, the central bank said in a statement.\nShare\n"
        ));
        i += 1;
    }
    s
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_midway_leaves_no_partial_output() {
    let d = Dir::new();
    with_neighbours(&d);
    d.write("in/big.txt", big_page());
    let before = snapshot(&d.join("in"));
    let r = run_with_file_size_limit(&d, &["clean", "in", "-o", "out"]);
    assert_failed(
        &r,
        &[("in/big.txt", "cannot write out/big.txt: file too large")],
    );
    assert!(!d.join("out/big.txt").exists(), "no partial output");
    assert!(
        temp_files(&d.join("out")).is_empty(),
        "{:?}",
        temp_files(&d.join("out"))
    );
    assert_neighbours_cleaned(&d);
    assert_eq!(before, snapshot(&d.join("in")), "inputs untouched");
}

#[cfg(unix)]
#[test]
fn an_in_place_write_that_fails_midway_leaves_the_input_untouched() {
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    let big = big_page();
    d.write("in/big.txt", &big);
    let r = run_with_file_size_limit(&d, &["clean", "in", "--in-place"]);
    assert_failed(
        &r,
        &[("in/big.txt", "cannot write in/big.txt: file too large")],
    );
    assert!(d.read("in/big.txt") == big, "input untouched");
    assert!(
        temp_files(&d.join("in")).is_empty(),
        "{:?}",
        temp_files(&d.join("in"))
    );
    eqnice!(CLEAN, d.read("in/a.txt"));
}

// --- All at once --------------------------------------------------------------------------------

#[test]
fn the_run_goes_on_past_every_bad_file_and_exits_2() {
    let d = Dir::new();
    d.write("in/01-good.txt", PAGE);
    d.write("in/02-invalid.txt", b"Good start.\n\xC3\x28\n");
    d.write("in/03-good.txt", PAGE);
    d.write("in/04-binary.txt", b"\0\x01\x02");
    d.write("in/05-good.txt", PAGE);
    // Windows-1252 leaves 0x81 undefined: no fallback.
    d.write("in/06-latin1.txt", b"Caf\xE9 \x81.\n");
    d.write("in/07-good.txt", PAGE);
    d.write("in/08-empty.txt", b"");
    fs::create_dir_all(d.join("out/09-blocked.txt")).unwrap();
    d.write("in/09-blocked.txt", PAGE);
    d.write("in/10-good.txt", PAGE);
    let before = snapshot(&d.join("in"));
    for j in ["1", "2"] {
        let r = d.run(&["clean", "in", "-o", "out", "-j", j]);
        assert_failed(
            &r,
            &[
                (
                    "in/02-invalid.txt",
                    "invalid UTF-8 at byte 12 and the encoding could not be detected with \
                     confidence: pass --encoding NAME",
                ),
                (
                    "in/04-binary.txt",
                    "binary file: NUL byte at byte 0, expected text",
                ),
                (
                    "in/06-latin1.txt",
                    "invalid UTF-8 at byte 3 and the encoding could not be detected with \
                     confidence: pass --encoding NAME",
                ),
                (
                    "in/09-blocked.txt",
                    "cannot write out/09-blocked.txt: is a folder, expected a file",
                ),
            ],
        );
        // Errors come in input order, whatever the thread count.
        let order: Vec<&str> = r.stderr.lines().collect();
        assert!(
            order[0].contains("02-") && order[3].contains("09-"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("cleaned 6 files into out"),
            "{}",
            r.stderr
        );
        for good in ["01", "03", "05", "07", "10"] {
            eqnice!(CLEAN, d.read(&format!("out/{good}-good.txt")));
        }
        eqnice!("", d.read("out/08-empty.txt"));
        assert_eq!(before, snapshot(&d.join("in")));
    }
    // --check and --diff report the same failures and still exit 2 (not 1).
    for mode in ["--check", "--diff"] {
        let r = d.run(&["clean", "in", mode]);
        assert_eq!(r.code, 2, "{mode}: {}", r.stderr);
        assert!(
            r.stderr.contains("in/04-binary.txt: binary file"),
            "{}",
            r.stderr
        );
    }
}

// --- Temporary files of interrupted runs -----------------------------------------------------

/// A run killed mid-write leaves its `.thresh-PID-….tmp` file. Such files are never inputs,
/// even with `--no-ignore`; a later run that writes into their folder removes those whose
/// writer has ended, and leaves alone those of a run still going.
#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_interrupted_runs_are_removed_not_cleaned() {
    // No process has this id (pid_max is at most 2^22); the test process is running.
    let dead = ".thresh-999999999-aB3dE9.tmp";
    let live = format!(".thresh-{}-Zz9yY8.tmp", std::process::id());
    // The walk skips hidden files unless `--no-ignore`: the cleanup must not depend on it.
    for (mode, dir, filters) in [
        ("--in-place", "in", "--no-ignore"),
        ("--in-place", "in", ""),
        ("-o", "out", "--no-ignore"),
        ("-o", "out", ""),
    ] {
        let d = Dir::new();
        with_neighbours(&d);
        d.write(&format!("{dir}/{dead}"), PAGE);
        d.write(&format!("{dir}/sub/{dead}"), PAGE);
        d.write(&format!("{dir}/{live}"), PAGE);
        // In the input folder of a `-o` run: not an input, and not touched (nothing is
        // written there).
        let unread = ".thresh-999999999-Qq1Ww2.tmp";
        if mode == "-o" {
            d.write(&format!("in/{unread}"), PAGE);
        }
        let mut args = vec!["clean", "in", mode];
        if mode == "-o" {
            args.push("out");
        }
        if !filters.is_empty() {
            args.push(filters);
        }
        let r = d.run(&args);
        assert_eq!(r.code, 0, "{mode} {filters}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "note: removed {dir}/{dead}, a temporary file of an interrupted run"
            )) && r.stderr.contains(&format!("removed {dir}/sub/{dead}")),
            "{mode}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("cleaned 2 files"), "{mode}: {}", r.stderr);
        assert!(!d.join(&format!("{dir}/{dead}")).exists(), "{mode}");
        assert!(!d.join(&format!("{dir}/sub/{dead}")).exists(), "{mode}");
        eqnice!(PAGE, d.read(&format!("{dir}/{live}")));
        let cleaned = if mode == "-o" { "out" } else { "in" };
        eqnice!(CLEAN, d.read(&format!("{cleaned}/a.txt")));
        if mode == "-o" {
            assert!(!d.join(&format!("out/{unread}")).exists(), "never an input");
            eqnice!(PAGE, d.read(&format!("in/{unread}")));
        }
    }
}

/// Cleaning one file in place removes the stale temporary files beside it, and only there.
#[cfg(target_os = "linux")]
#[test]
fn in_place_on_a_file_removes_stale_temporary_files_beside_it() {
    let dead = ".thresh-999999999-aB3dE9.tmp";
    let d = Dir::new();
    d.write("in/a.txt", PAGE);
    d.write(&format!("in/{dead}"), PAGE);
    d.write(&format!("in/sub/{dead}"), PAGE);
    let r = d.run(&["clean", "in/a.txt", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("note: removed in/{dead}, a temporary file")),
        "{}",
        r.stderr
    );
    assert!(!d.join(&format!("in/{dead}")).exists());
    eqnice!(PAGE, d.read(&format!("in/sub/{dead}")));
    eqnice!(CLEAN, d.read("in/a.txt"));
}
