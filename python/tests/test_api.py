"""The Python API: batches, selection, errors and their messages, pickling, forking, typing."""

from __future__ import annotations

import ast
import importlib.resources
import inspect
import multiprocessing
import pickle
import shutil
from pathlib import Path

import pytest

import thresh
from conftest import EDGE_TEXTS, SEEDS, fixture_pairs, run_cli

ARTICLE = "Rates rose again on Tuesday, the central bank said in a statement.\n"
MORE = "The governor said the bank would act again if prices kept rising this year.\n"
LAST = "Markets fell after the announcement, and the currency weakened against the dollar.\n"


def all_texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [inp.read_text("utf-8") for inp, _ in fixture_pairs()]
    texts += list(EDGE_TEXTS.values())
    return texts


# -- clean_batch ---------------------------------------------------------------------------


def test_clean_batch_equals_clean_in_order() -> None:
    texts = all_texts()
    # Enough texts, in an order unlike the pool's chunks, and repeats.
    batch = (texts[::-1] + texts) * 3
    cleaner = thresh.Cleaner()
    expected = [cleaner.clean(t) for t in batch]
    assert len(set(expected)) > 50
    assert cleaner.clean_batch(batch) == expected
    assert thresh.clean_batch(batch) == expected
    assert thresh.Cleaner(threads=1).clean_batch(batch) == expected
    assert thresh.Cleaner(threads=3).clean_batch(batch) == expected


def test_clean_batch_takes_any_iterable_of_str_and_bytes() -> None:
    cleaner = thresh.Cleaner()
    mixed = ["Share\n" + ARTICLE, ("Advertisement\n" + ARTICLE).encode(), bytearray(b"Menu\n" + ARTICLE.encode())]
    assert cleaner.clean_batch(mixed) == [ARTICLE] * 3
    assert cleaner.clean_batch(t for t in mixed) == [ARTICLE] * 3
    assert cleaner.clean_batch(tuple(mixed)) == [ARTICLE] * 3
    assert cleaner.clean_batch([]) == []


def test_clean_batch_rejects_one_text_and_bad_items() -> None:
    cleaner = thresh.Cleaner()
    with pytest.raises(TypeError, match="not one text"):
        cleaner.clean_batch(ARTICLE)
    with pytest.raises(TypeError, match="not one text"):
        cleaner.clean_batch(ARTICLE.encode())
    with pytest.raises(TypeError, match=r"^texts\[1\]: expected str or bytes, got int$"):
        cleaner.clean_batch([ARTICLE, 3])
    with pytest.raises(TypeError, match=r"^text: expected str or bytes, got NoneType$"):
        cleaner.clean(None)  # type: ignore[arg-type]


# -- rule selection ------------------------------------------------------------------------


def test_select_and_ignore_by_family_and_id() -> None:
    every = thresh.Cleaner().rule_ids
    assert "cookie/consent-notice" in every and "heuristic/footer-zone" in every
    cookie = thresh.Cleaner(select="cookie").rule_ids
    assert cookie and all(i.startswith("cookie/") for i in cookie)
    assert thresh.Cleaner(select="cookie,ads").rule_ids == thresh.Cleaner(select=["cookie", "ads"]).rule_ids
    some = [i for i in every if i.startswith("cookie/") or i == "ads/label"]
    assert thresh.Cleaner(select=["cookie", "ads/label"]).rule_ids == some
    no_heuristics = thresh.Cleaner(ignore="heuristic").rule_ids
    assert no_heuristics == [i for i in every if not i.startswith("heuristic/")]
    one_less = thresh.Cleaner(ignore=["heuristic/footer-zone"]).rule_ids
    assert one_less == [i for i in every if i != "heuristic/footer-zone"]
    assert "quotes/curly-double" not in thresh.Cleaner(quotes="keep").rule_ids


def test_selection_changes_what_is_dropped() -> None:
    text = ARTICLE + "Share\n" + MORE + "Advertisement\n" + LAST
    assert thresh.clean(text) == ARTICLE + MORE + LAST
    assert thresh.clean(text, ignore="share") == ARTICLE + "Share\n" + MORE + LAST
    assert thresh.clean(text, select=["ads"]) == ARTICLE + "Share\n" + MORE + LAST
    assert thresh.clean(text, select="ads", ignore="ads/label") == text
    dropped = [(l["number"], l["rule"]) for l in thresh.explain(text) if not l["kept"]]
    assert dropped == [(2, "share/button"), (4, "ads/label")]


# -- explain -------------------------------------------------------------------------------


def test_explain_structure() -> None:
    text = "date 2025-04-28 Title\nShare\n\n“We will act,” the governor said on Tuesday evening.\n"
    lines = thresh.explain(text)
    keys = set(thresh.Line.__annotations__)
    assert all(set(l) == keys for l in lines)
    assert [l["number"] for l in lines] == [1, 1, 2, 3, 4]
    header, title, share, blank, quote = lines
    assert header == {"number": 1, "text": "date 2025-04-28", "original": "date 2025-04-28", "kept": True,
                      "header": True, "rule": None, "reason": None, "event": None, "edits": []}
    assert title["original"] == "Title" and not title["header"]
    assert share["kept"] is False and share["rule"] == "share/button" and share["event"] == 2
    assert share["reason"] and isinstance(share["reason"], str)
    assert blank["kept"] is True and blank["text"] == "" and blank["rule"] is None
    assert quote["kept"] is True and quote["edits"] == ["quotes/curly-double"]
    assert quote["text"] == '"We will act," the governor said on Tuesday evening.'
    assert quote["original"] == "“We will act,” the governor said on Tuesday evening."


def test_explain_events_group_a_cut_tail() -> None:
    text = ARTICLE * 3 + "Related articles\nOne headline here\nAnother headline here\n"
    dropped = [l for l in thresh.explain(text) if not l["kept"]]
    assert [l["number"] for l in dropped] == [4, 5, 6]
    assert {l["event"] for l in dropped} == {4}
    assert len({l["rule"] for l in dropped}) == 1


# -- errors --------------------------------------------------------------------------------


def cli_error(cli: Path, tmp_path: Path, *flags: str) -> str:
    r = run_cli(cli, "clean", "-", "--isolated", *flags, cwd=tmp_path, check=False, stdin=b"x\n")
    assert r.returncode == 2
    line = r.stderr.decode().strip()
    assert line.startswith("thresh: ")
    return line[len("thresh: "):]


def for_python(cli_message: str) -> str:
    """The CLI's message as the module words it: keyword arguments instead of flags."""
    msg = cli_message.replace("pass --encoding NAME", "pass encoding=NAME")
    if msg.startswith("--rules "):
        folder, why = msg[len("--rules "):].split(": ", 1)
        msg = f'rules="{folder}": {why}'
    if msg.startswith("--encoding "):
        label, why = msg[len("--encoding "):].split(": ", 1)
        msg = f'encoding="{label}": {why}'
    return msg


BAD_RULE = 'description = "Bad."\n\n[[rule]]\nid = "bad/x"\nkind = "drop-line"\nmatch = "exact"\ndescription = ""\npatterns = ["x"]\n'
BAD_TOML = 'description = "Bad."\n[[rule]\n'
BAD_REGEX = 'description = "Bad."\n\n[[rule]]\nid = "badre/x"\nkind = "drop-line"\nmatch = "regex"\ndescription = "x"\npatterns = ["(unclosed"]\n'
WRONG_FAMILY = 'description = "Bad."\n\n[[rule]]\nid = "other/x"\nkind = "drop-line"\nmatch = "exact"\ndescription = "x"\npatterns = ["x"]\n'


@pytest.mark.parametrize("name, text", [("bad.toml", BAD_RULE), ("broken.toml", BAD_TOML),
                                        ("badre.toml", BAD_REGEX), ("family.toml", WRONG_FAMILY)])
def test_bad_rule_files_raise_the_cli_message(cli: Path, tmp_path: Path, name: str, text: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / name).write_text(text, "utf-8")
    expected = cli_error(cli, tmp_path, "--rules", "rules")
    assert expected.startswith("rules/" + name)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(thresh.RuleError) as e:
        thresh.Cleaner(rules="rules")
    assert str(e.value) == expected
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("flags, kwargs", [
    (["--select", "nope"], {"select": "nope"}),
    (["--ignore", "cookie/nope"], {"ignore": ["cookie/nope"]}),
    (["--select", "cook"], {"select": ["cook"]}),
    (["--rules", "missing"], {"rules": "missing"}),
    (["--rules", "empty"], {"rules": ["empty"]}),
])
def test_bad_selectors_and_rule_folders_raise_the_cli_message(cli: Path, tmp_path: Path, flags: list[str],
                                                               kwargs: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    expected = for_python(cli_error(cli, tmp_path, *flags))
    assert "--" not in expected, expected
    monkeypatch.chdir(tmp_path)
    with pytest.raises(thresh.RuleError) as e:
        thresh.Cleaner(**kwargs)
    assert str(e.value) == expected
    with pytest.raises(thresh.RuleError) as e:
        thresh.clean("x", **kwargs)
    assert str(e.value) == expected


def test_bad_option_values_raise_value_error(cli: Path, tmp_path: Path) -> None:
    expected = for_python(cli_error(cli, tmp_path, "--encoding", "klingon"))
    assert expected.startswith('encoding="klingon": ')
    with pytest.raises(ValueError) as e:
        thresh.Cleaner(encoding="klingon")
    assert str(e.value) == expected
    with pytest.raises(ValueError, match=r'^quotes must be "ascii" or "keep", got .fancy.$'):
        thresh.Cleaner(quotes="fancy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="final_newline"):
        thresh.Cleaner(final_newline="never")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threads must be at least 1"):
        thresh.Cleaner(threads=0)
    with pytest.raises(TypeError, match="select must be a str or an iterable of str"):
        thresh.Cleaner(select=[1])  # type: ignore[list-item]


def test_undecodable_bytes_raise_the_cli_message(cli: Path, tmp_path: Path) -> None:
    for name, data in [("damaged.txt", b"caf\xc3 au lait and more text\n"), ("binary.txt", b"ab\x00cd\n")]:
        (tmp_path / name).write_bytes(data)
        r = run_cli(cli, "clean", name, "--isolated", cwd=tmp_path, check=False)
        assert r.returncode == 2
        expected = for_python(r.stderr.decode().strip())
        prefix = f"thresh: {name}: "
        assert expected.startswith(prefix)
        assert "--encoding" not in expected, expected
        with pytest.raises(thresh.DecodeError) as e:
            thresh.clean(data)
        assert str(e.value) == expected[len(prefix):]
        with pytest.raises(thresh.DecodeError) as e:
            thresh.clean_batch([b"fine\n", data])
        assert str(e.value) == "texts[1]: " + expected[len(prefix):]


# -- str input, pickling, fork -------------------------------------------------------------


def test_a_leading_byte_order_mark_goes_as_from_a_file() -> None:
    text = "\ufeffdate 2025-04-28 Rates\n" + ARTICLE
    assert thresh.clean(text) == "date 2025-04-28\n" + ARTICLE
    assert thresh.clean(text) == thresh.clean(text.encode("utf-8"))


def test_a_str_with_nul_is_cleaned_not_refused() -> None:
    assert thresh.clean(ARTICLE.replace("bank", "ba\x00nk")) == ARTICLE


def test_pickle_needs_no_rule_files(tmp_path: Path) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "mine.toml").write_text(
        'description = "Mine."\n\n[[rule]]\nid = "mine/x"\nkind = "drop-line"\nmatch = "exact"\n'
        'description = "The word Sponsored-by-us."\npatterns = ["Sponsored-by-us"]\n', "utf-8")
    cleaner = thresh.Cleaner(rules=d, ignore="share", quotes="keep", threads=2, final_newline="as-input")
    text = ARTICLE + "Sponsored-by-us\n" + MORE + "Share\n“" + LAST.strip()
    expected = ARTICLE + MORE + "Share\n“" + LAST.strip()
    assert cleaner.clean(text) == expected
    data = pickle.dumps(cleaner)
    shutil.rmtree(d)
    again = pickle.loads(data)
    assert repr(again) == repr(cleaner)
    assert again.rule_ids == cleaner.rule_ids
    assert again.clean(text) == expected


def _clean_in_child(texts: list[str]) -> list[str]:
    return thresh.clean_batch(texts)


def _own_pool_in_child(texts: list[str]) -> list[str]:
    # The parent's cleaner, with a pool of its own made before the fork: used, then dropped.
    global _CLEANER
    got = _CLEANER.clean_batch(texts)
    del _CLEANER
    return got


_CLEANER = thresh.Cleaner(threads=2)


def test_clean_batch_works_in_a_forked_child() -> None:
    """A pool made before fork() has no threads in the child: it must be rebuilt there, not
    waited on forever."""
    texts = all_texts()
    expected = thresh.clean_batch(texts)  # makes the shared pool in this process
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(_clean_in_child, (texts,)).get(timeout=60)
        assert got == expected
        assert _CLEANER.clean_batch(texts) == expected  # its pool is made here, before the fork
    with ctx.Pool(1) as pool:
        got = pool.apply_async(_own_pool_in_child, (texts,)).get(timeout=60)
    assert got == expected


# -- typing and documentation --------------------------------------------------------------


def test_stubs_and_marker_are_installed() -> None:
    files = importlib.resources.files("thresh")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("_thresh.pyi").is_file()


def _stub() -> ast.Module:
    return ast.parse(importlib.resources.files("thresh").joinpath("_thresh.pyi").read_text("utf-8"))


def test_stub_matches_the_module() -> None:
    """The stub declares what the extension has, with the same parameters and docstrings."""
    stub = _stub()
    classes = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}
    assert set(classes) == {"Cleaner", "RuleError", "DecodeError"}
    for name, node in classes.items():
        runtime = getattr(thresh, name)
        assert inspect.getdoc(runtime) == ast.get_docstring(node), name
    methods = {n.name: n for n in classes["Cleaner"].body if isinstance(n, ast.FunctionDef)}
    public = {n for n in dir(thresh.Cleaner) if not n.startswith("_")}
    assert public == {n for n in methods if not n.startswith("_")}
    for name in public:
        assert inspect.getdoc(getattr(thresh.Cleaner, name)) == ast.get_docstring(methods[name]), name
    init = methods["__init__"].args
    stub_params = [(a.arg, ast.literal_eval(d)) for a, d in zip(init.kwonlyargs, init.kw_defaults)]
    runtime_params = [(p.name, p.default) for p in inspect.signature(thresh.Cleaner).parameters.values()]
    assert stub_params == runtime_params
    for name in ("clean", "clean_batch", "explain", "explain_batch"):
        args = methods[name].args
        stub_args = [a.arg for a in args.args + args.kwonlyargs]
        assert stub_args == list(inspect.signature(getattr(thresh.Cleaner, name)).parameters), name


def test_module_functions_take_the_cleaner_options() -> None:
    cleaner = {n: p.default for n, p in inspect.signature(thresh.Cleaner).parameters.items()}
    batch = dict(cleaner)
    one = {k: v for k, v in cleaner.items() if k != "threads"}
    explain = {k: v for k, v in one.items() if k != "final_newline"}
    for fn, want in [(thresh.clean, one), (thresh.clean_batch, batch), (thresh.explain, explain)]:
        params = list(inspect.signature(fn).parameters.values())[1:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), fn.__name__
        assert {p.name: p.default for p in params} == want, fn.__name__


# -- the READMEs ---------------------------------------------------------------------------


@pytest.mark.parametrize("readme", ["README.md", "python/README.md"])
def test_readme_examples_are_true(readme: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs the Python example of each README: every line after a statement that starts with
    `# ` is what that statement evaluates to (its repr) or prints."""
    text = (SEEDS.parent / readme).read_text("utf-8")
    start = text.index("```python\n") + len("```python\n")
    lines = text[start : text.index("```\n", start)].splitlines()
    chunks: list[tuple[str, str]] = []  # (code, expected output)
    code: list[str] = []
    for line in lines:
        if line.startswith("# "):
            chunks.append(("\n".join(code), line[2:]))
            code = []
        else:
            code.append(line)
    assert len(chunks) == 3 and not "".join(code).strip()
    namespace: dict[str, object] = {}
    for code_text, expected in chunks:
        block = ast.parse(code_text)
        last = block.body[-1]
        exec(compile(ast.Module(block.body[:-1], []), readme, "exec"), namespace)
        capsys.readouterr()
        if isinstance(last, ast.Expr):
            got = repr(eval(compile(ast.Expression(last.value), readme, "eval"), namespace))
        else:
            exec(compile(ast.Module([last], []), readme, "exec"), namespace)
            got = capsys.readouterr().out.rstrip("\n")
        assert got == expected, code_text


def test_module_docstring_examples() -> None:
    import doctest

    result = doctest.testmod(thresh)
    assert result.attempted >= 1 and result.failed == 0


def test_module_functions_read_an_edited_rule_file_again(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = ('[[rule]]\nid = "local/x"\nkind = "drop-line"\nmatch = "exact"\n'
            'description = "d"\npatterns = ["{}"]\n')
    (rules / "local.toml").write_text(rule.format("Alpha"), "utf-8")
    text = "Alpha\nBeta\n" + ARTICLE
    first = thresh.clean(text, rules=str(rules), no_builtin=True, select="local")
    assert "Alpha" not in first and "Beta" in first
    # The same options after an edit: the cached cleaner must not be the stale one.
    (rules / "local.toml").write_text(rule.format("Beta") + "\n", "utf-8")
    second = thresh.clean(text, rules=str(rules), no_builtin=True, select="local")
    assert "Alpha" in second and "Beta" not in second



# -- split_on, corpus mode, statistics and explain over a batch ------------------------------


def test_split_on_cleans_each_document_as_the_cli_does(cli: Path, tmp_path: Path) -> None:
    text = "Share\n" + ARTICLE + "\f\nShare\n" + MORE
    (tmp_path / "dump.txt").write_text(text, "utf-8")
    expected = run_cli(cli, "clean", "dump.txt", "--split-on", "^\f$", "--isolated",
                       cwd=tmp_path).stdout.decode()
    c = thresh.Cleaner()
    assert c.clean(text, split_on="^\f$") == expected
    assert c.clean_batch([text, text], split_on="^\f$") == [expected, expected]
    with pytest.raises(ValueError, match="matches an empty line"):
        c.clean(text, split_on="^")


def test_corpus_batch_equals_clean_corpus_on_a_folder(cli: Path, tmp_path: Path) -> None:
    ships = ["Aurora", "Borealis", "Cassiopeia", "Delphine", "Europa"]
    pages = [
        f"Get the best of the city delivered every week\nThe {s} docks after the storm\n"
        f"The harbour authority said on Monday that the {s} had docked safely after the storm.\n"
        f"Dock workers unloaded the cargo overnight, and the port reopened to traffic in the "
        f"morning.\n"
        for s in ships
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    for i, p in enumerate(pages):
        (folder / f"p{i}.txt").write_text(p, "utf-8")
    run_cli(cli, "clean", "in", "--corpus", "-o", "out", "-q", "--isolated", cwd=tmp_path)
    expected = [(tmp_path / "out" / f"p{i}.txt").read_text("utf-8") for i in range(5)]
    c = thresh.Cleaner()
    got = c.clean_batch(pages, corpus=True)
    assert got == expected
    assert all("Get the best" not in g for g in got)
    assert got != c.clean_batch(pages), "corpus mode changed nothing: the test proves nothing"


def test_batch_statistics_are_the_clis() -> None:
    c = thresh.Cleaner()
    text = "Share\n" + ARTICLE + "Advertisement\n" + MORE
    [(out, stats)] = c.clean_batch([text], stats=True)
    assert out == c.clean(text)
    assert stats["documents"] == 1 and stats["lines"] == 4
    assert stats["lines_dropped"] == 2
    assert stats["rules"]["ads/label"] == {"hits": 1, "lines": 1, "bytes": len("Advertisement")}
    assert sum(r["lines"] for r in stats["rules"].values()) == stats["lines_dropped"]


def test_explain_batch_equals_explain_in_order() -> None:
    c = thresh.Cleaner()
    texts = all_texts()[:20]
    assert c.explain_batch(texts) == [c.explain(t) for t in texts]
    with pytest.raises(TypeError, match="explain_batch takes a list of texts"):
        c.explain_batch("one text")
