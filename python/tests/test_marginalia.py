"""The Python package checked against the command line: the binary's own output files are the truth.

The binary is MARGINALIA_BIN (tools/test sets it to the one `cargo test` built)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import marginalia
import marginalia.dask

ROOT = Path(__file__).resolve().parents[2]
REVIEW = ROOT / "texts" / "never-let-me-go-review.txt"
BIN = os.environ.get("MARGINALIA_BIN", str(ROOT / "target" / "debug" / "marginalia"))


def cli(*args, cwd=None):
    """Runs the binary; returns what it printed on stderr, failing the test if it failed."""
    done = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done


def review_text():
    return REVIEW.read_bytes().decode("utf-8")


def csvs(folder):
    """Every table in `folder`, by name, as bytes."""
    return {path.name: path.read_bytes() for path in sorted(Path(folder).glob("*.csv"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A folder of five reviews (the sample review's paragraphs, a few to a file, and a short one), for shards."""
    folder = tmp_path_factory.mktemp("corpus")
    paragraphs = [p for p in review_text().split("\n\n") if p.strip()]
    for i in range(4):
        (folder / f"part-{i}.txt").write_text("\n\n".join(paragraphs[i::4]), encoding="utf-8")
    # A quotation never closed: a warning, which a shard run on a Dask worker must bring back to the caller.
    (folder / "part-4.txt").write_text('She said, "never closed.\n\nThe end.\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def one_run(corpus, tmp_path_factory):
    """The binary's one run over the corpus, without charts."""
    out = tmp_path_factory.mktemp("one-run")
    cli("analyze", corpus, "--out", out, "--charts", "none")
    return csvs(out)


def as_written(value, kind):
    """A DataFrame cell written back as the binary writes it (floats compared as numbers: see the caller)."""
    if pd.isna(value):
        return ""
    if kind == "flag":
        return "true" if value else "false"
    if kind in ("integer", "optional integer"):
        return str(int(value))
    return value if kind == "text" else float(value)


def test_every_table_of_analyze_text_has_the_cells_the_binary_writes(tmp_path):
    cli("analyze", REVIEW, "--out", tmp_path, "--charts", "none", "--report", "none")
    tables = marginalia.analyze_text(review_text(), id="never-let-me-go-review")
    written = sorted(path.stem for path in tmp_path.glob("*.csv"))
    assert sorted(tables) == written and len(written) >= 20
    kinds = {file.removesuffix(".csv"): dict(columns) for file, columns in marginalia._native.table_columns()}
    for name in written:
        # The binary's cells as text, each compared with the DataFrame's value written back.
        raw = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        got = tables[name]
        assert list(got.columns) == list(raw.columns), name
        assert len(got) == len(raw), name
        for column in raw.columns:
            kind = kinds[name][column]
            expected = [float(v) if kind == "number" and v != "" else v for v in raw[column]]
            if name == "documents" and column == "path":
                # Text given in memory has its id for a path; the binary's is the file's.
                assert list(got[column]) == ["never-let-me-go-review"] and expected == [str(REVIEW)]
                continue
            assert [as_written(v, kind) for v in got[column]] == expected, f"{name}.{column}"


def test_analyze_text_writes_no_file(tmp_path):
    # In a process of its own: an audit hook sees every file and folder Python makes, and cannot be taken away. The
    # library is given no path; the working folder and TMPDIR, where it could still make files, must stay empty.
    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir(), scratch.mkdir()
    script = textwrap.dedent(
        f"""
        import os, sys, marginalia
        made = []
        def hook(event, args):
            if event in ("os.mkdir", "tempfile.mkdtemp", "tempfile.mkstemp", "os.rename", "os.remove", "shutil.rmtree"):
                made.append(event)
            elif event == "open" and len(args) > 2:
                path, mode, flags = args[0], args[1], args[2]
                if (mode and any(c in mode for c in "wax+")) or (flags or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                    made.append(f"open {{path}} {{mode}}")
        sys.addaudithook(hook)
        tables = marginalia.analyze_text(open({str(REVIEW)!r}, encoding="utf-8").read(), id="review")
        assert tables["documents"]["tokens"].tolist() == [901]
        print(made)
        """
    )
    env = {**os.environ, "TMPDIR": str(scratch)}
    done = subprocess.run([sys.executable, "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert list(work.iterdir()) == [] and list(scratch.iterdir()) == []


def test_analyze_text_refuses_what_only_a_run_over_files_reads_or_makes():
    for option in ({"out": "x"}, {"charts": "png"}, {"report": "html"}, {"format": "csv"}, {"shard": (1, 2)}):
        with pytest.raises(TypeError, match="writes no file"):
            marginalia.analyze_text("A text.", **option)
    # Asking for none of them is asking for nothing.
    assert "documents" in marginalia.analyze_text("A text.", charts=False, report="none")


def test_columns_have_their_types_and_an_id_of_digits_stays_text():
    tables = marginalia.analyze_text("“Told and not told,” she said. It was 1984.", id="001")
    # Parsed when asked for, not before.
    assert tables._read == {} and "documents" in tables and tables._read == {}
    documents = tables["documents"]
    assert documents["document"].tolist() == ["001"]
    assert documents["tokens"].dtype == "int64" and documents["tokens"].tolist() == [9]
    vocabulary = tables["vocabulary"]
    assert vocabulary["stopword"].dtype == "boolean"
    # The word 1984 stays the text it is, beside the words.
    assert "1984" in vocabulary["term"].tolist()
    assert tables["sentences"]["compound"].dtype == "float64"
    kinds = dict(dict(marginalia._native.table_columns())["quotes.csv"])
    optional = [c for c, kind in kinds.items() if kind == "optional integer"]
    assert optional and all(tables["quotes"][c].dtype == "Int64" for c in optional)


def test_a_texts_tables_show_in_a_notebook_as_a_summary_without_being_read():
    text = "“Told and not told,” she said."
    tables = marginalia.analyze_text(text, id="a&b")
    shown = tables._repr_html_()
    assert tables._read == {}
    # One row a table, its columns from the schema and its size in bytes; the id escaped.
    assert shown.count("<tr>") == len(tables) + 1 and "a&amp;b" in shown and "a&b" not in shown
    documents = [row for row in shown.split("<tr>") if row.startswith("<td>documents</td>")][0]
    assert "document, group, path" in documents
    size = len(marginalia._native.analyze_text(text, "a&b", [])[0][0][1])  # the first table, documents.csv
    assert f"<td>{size:,}</td>" in documents


def test_quotes_and_kwic_are_the_binarys(tmp_path):
    # Read as analyze_text's tables are, whose cells the test above checks against the binary's.
    done = cli("quotes", REVIEW)
    expected = marginalia.read_table(done.stdout.encode(), "quotes")
    got = marginalia.quotes(review_text(), id="never-let-me-go-review")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    done = cli("kwic", "memor*", "clone", REVIEW)
    expected = marginalia.read_table(done.stdout.encode(), "concordance")
    got = marginalia.kwic(["memor*", "clone"], review_text(), id="never-let-me-go-review")
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_analyze_writes_what_the_binary_writes_and_reads_it_lazily(corpus, one_run, tmp_path):
    result = marginalia.analyze(corpus, out=tmp_path / "out", charts=False)
    assert csvs(tmp_path / "out") == one_run
    assert "themes" in result.tables and len(result.tables) == len(one_run)
    assert result.tables["themes"].equals(marginalia.read_table(tmp_path / "out" / "themes.csv"))
    assert result.report is not None and "<iframe srcdoc=" in result._repr_html_()


def test_shards_merged_are_one_run(corpus, one_run, tmp_path):
    folders = []
    for k in (1, 2):
        folder = tmp_path / f"shard-{k}"
        marginalia.analyze(corpus, out=folder, shard=(k, 2), charts=False)
        folders.append(folder)
    marginalia.merge(folders, out=tmp_path / "merged")
    assert csvs(tmp_path / "merged") == one_run


def test_an_analysis_after_a_merge_in_the_same_process_starts_its_threads(tmp_path):
    # A merge sorts the corpus's n-grams on rayon's thread pool (thousands of them, repeated: in parallel) before
    # any analysis has sized it: an analysis after it, in the same process, once failed with "The global thread
    # pool has already been initialized". A fresh process, so that nothing runs before the merge.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    letters = "bcdfghjklmnpqrstvwxz"
    for k in "ab":
        words = " ".join(k + letters[n // 400] + letters[n // 20 % 20] + letters[n % 20] for n in range(3000))
        (corpus / f"{k}.txt").write_text(f"{words}. " * 3, encoding="utf-8")
    folders = [str(tmp_path / f"shard-{k}") for k in (1, 2)]
    for k, folder in enumerate(folders, start=1):
        cli("analyze", corpus, "--out", folder, "--shard", f"{k}/2", "--charts", "none")
    cli("analyze", corpus, "--out", tmp_path / "binary", "--charts", "none")
    script = textwrap.dedent(
        f"""
        import marginalia
        marginalia.merge({folders!r}, out={str(tmp_path / "merged")!r})
        marginalia.analyze({str(corpus)!r}, out={str(tmp_path / "one")!r}, threads=1, charts=False)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert csvs(tmp_path / "merged") == csvs(tmp_path / "binary") == csvs(tmp_path / "one")


@pytest.mark.parametrize("workers, threads", [(2, 1), (1, 2)], ids=["two-workers", "two-shards-in-one-worker"])
def test_dask_on_a_local_cluster_is_one_run(corpus, one_run, tmp_path, workers, threads):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client, pytest.warns(UserWarning, match=r"part-4.txt: line 1, column 11: \" is never closed"):
            result = marginalia.dask.analyze(corpus, out=tmp_path / "out", client=client, charts=False)
    assert csvs(result.folder) == one_run
    # Twice the cluster's two threads: four shards were merged (`marginalia merge S1 S2 S3 S4 --out OUT`).
    command = json.loads((result.folder / "manifest.json").read_text())["command"]
    assert command[:2] == ["marginalia", "merge"] and len(command[2:-2]) == 4, command
    # The shards' folders are gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_bad_lexicon_raises_the_binarys_message_naming_the_line(tmp_path):
    lexicon = tmp_path / "my-tone.toml"
    lexicon.write_text('[hedging]\nlable = "Hedging"\nterms = ["perhaps"]\n', encoding="utf-8")
    done = subprocess.run([BIN, "analyze", REVIEW, "--out", tmp_path / "out", "--tone", lexicon], capture_output=True, text=True)
    assert done.returncode == 2
    message = done.stderr.strip().removeprefix("marginalia: error: ")
    assert f"{lexicon}:2:" in message
    with pytest.raises(marginalia.MarginaliaError) as raised:
        marginalia.analyze_text(review_text(), tone=lexicon)
    assert str(raised.value) == message
    with pytest.raises(ValueError, match="--no-such-flag"):
        marginalia.analyze_text("A text.", no_such_flag=True)


def test_ctrl_c_stops_a_run_and_keeps_nothing(tmp_path):
    corpus = tmp_path / "big"
    corpus.mkdir()
    text = review_text() * 40
    for i in range(200):
        (corpus / f"r{i:03}.txt").write_text(text, encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import marginalia, sys
        print("started", flush=True)
        try:
            marginalia.analyze({str(corpus)!r}, out={str(tmp_path / "out")!r}, threads=1, charts=False)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            # The process goes on, and so can its next run.
            marginalia.analyze_text("They were told and not told.")
            print("ran again", flush=True)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.5)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    assert out.splitlines() == ["interrupted", "ran again"]
    assert not (tmp_path / "out").exists()
