"""marginalia in Python: a text's tables as pandas DataFrames, a corpus's written where you say.

Every function runs the Rust library in a thread of its own with the GIL released; Ctrl-C stops it cleanly (an
output folder is left as it was before the run). Options are the ``marginalia analyze`` flags as keywords, with
``_`` for ``-``: ``themes="my-themes.txt"`` is ``--themes my-themes.txt``, ``group_by="dir"`` is ``--group-by
dir``, ``shard=(2, 4)`` is ``--shard 2/4``, ``charts=False`` is ``--charts none``, ``excel_safe=True`` is
``--excel-safe``, a list repeats the flag (``themes=["a.txt", "b.txt"]``). A failed run raises
:class:`MarginaliaError` with the command line's message.

>>> import marginalia
>>> tables = marginalia.analyze_text("They were “told and not told.” It stays with you.", id="review")
>>> tables["vocabulary"].head()
"""

from __future__ import annotations

import html
import io
import os
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import pandas as pd

from ._native import MarginaliaError, run_command, table_columns
from ._native import analyze_text as _analyze_text

__all__ = ["MarginaliaError", "Result", "Tables", "analyze", "analyze_text", "kwic", "merge", "quotes", "read_table"]

PathLike = Union[str, "os.PathLike[str]"]

# A report larger than this is linked from a notebook rather than shown inside it.
_INLINE_REPORT_BYTES = 8 << 20


def _flags(options: dict) -> list[str]:
    """The command-line flags that keyword options stand for."""
    flags: list[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False and key != "charts":
            continue
        if key == "shard" and isinstance(value, tuple):
            k, n = value
            flags += [flag, f"{k}/{n}"]
        elif key == "charts" and isinstance(value, bool):
            flags += [flag, "png" if value else "none"]
        elif value is True:
            flags.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                flags += [flag, os.fspath(item) if isinstance(item, os.PathLike) else str(item)]
        else:
            flags += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return flags


def _command(args: list[str]) -> tuple[bytes, list[str]]:
    """Runs one command line: what it printed, and its skipped inputs and warnings, as the binary words them."""
    stdout, messages, _documents, _skipped = run_command(args)
    return stdout, _said(messages)


def _said(messages: list[tuple[str, str]]) -> list[str]:
    """The skipped inputs and warnings among a run's messages, as the binary words them."""
    return [f"marginalia: {kind}: {text}" for kind, text in messages if kind in ("skipped", "warning")]


def _run(args: list[str]) -> bytes:
    """Runs one command line; its skipped inputs and warnings become Python warnings."""
    stdout, messages = _command(args)
    for message in messages:
        warnings.warn(message, stacklevel=3)
    return stdout


def _analyze_command(paths: Union[PathLike, Iterable[PathLike]], out: PathLike, options: dict) -> list[str]:
    """The command line of ``analyze(paths, out, **options)``."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return ["analyze", *map(os.fspath, paths), "--out", os.fspath(out), *_flags(options)]


# How each kind of column the library reports (`table_columns`) is read: a count with an empty cell stays whole.
_DTYPES = {"text": str, "integer": "int64", "optional integer": "Int64", "number": "float64", "flag": "boolean"}

# Every table's columns with their dtypes, by table name ("documents").
_COLUMNS = {
    file.removesuffix(".csv"): {column: _DTYPES[kind] for column, kind in columns} for file, columns in table_columns()
}


def read_table(source: Union[PathLike, bytes], name: Optional[str] = None) -> pd.DataFrame:
    """A table of marginalia's, from its file or its bytes, with each column's type: text as text (a document
    named ``001`` stays ``"001"``, a word such as ``NA`` or ``null`` stays a word), counts as integers, measures
    as floats, flags as booleans, and an empty cell as missing. ``name`` is the table's (``"themes"``), by default
    the file's name; a table marginalia does not know is read with pandas's own guesses."""
    if name is None and not isinstance(source, bytes):
        name = Path(source).stem
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    return pd.read_csv(data, keep_default_na=False, na_values=[""], dtype=_COLUMNS.get(name or ""))


def _private_folder() -> tempfile.TemporaryDirectory:
    """A folder of the process's own for a text's run, in memory (``/dev/shm``) where the system has it."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="marginalia-", dir=where)


def _check_id(id: str) -> None:
    """Refuses an id that is not a plain name (it names a file for :func:`quotes` and :func:`kwic`)."""
    if not id or "/" in id or "\\" in id or id.startswith("."):
        raise ValueError(f"id {id!r}: give a plain name, without / or \\ and not starting with a dot")


def _text_file(folder: str, text: str, id: str) -> Path:
    """`text` saved as the document `id` (its id is its file's name without the extension)."""
    _check_id(id)
    path = Path(folder) / f"{id}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def analyze_text(text: str, id: str = "review", **options) -> "Tables":
    """Every table of ``marginalia analyze`` for one text, as DataFrames keyed by table name (``"vocabulary"``,
    ``"sentences"``, …): the same columns and values as the CSV files, each column with its type (see
    :func:`read_table`). The result is a read-only mapping, used as a dict (``tables["themes"]``,
    ``list(tables)``, ``tables.items()``), whose DataFrames are parsed when first asked for: the tables are held
    as the bytes of their CSV files, and a notebook that looks at three tables does not pay for twenty.

    Options are the ``analyze`` flags as keywords (see the module's help), but for those about reading or
    writing files. Everything is computed in memory and no file is written, so there are no charts and no report
    (:func:`analyze` makes them). The ``path`` of the document is its ``id``.
    """
    for name, value in options.items():
        if name in _FILES_ONLY or name in ("charts", "report") and value not in (None, False, "none"):
            raise TypeError(
                f"analyze_text has no {name}=: it reads the text given and writes no file; "
                "marginalia.analyze(paths, out=...) reads files and writes the tables, charts and report"
            )
    _check_id(id)
    tables, messages = _analyze_text(text, id, _flags(options))
    for message in _said(messages):
        warnings.warn(message, stacklevel=2)
    # In name order, as a folder's tables are listed.
    return Tables({file.removesuffix(".csv"): table for file, table in sorted(tables)}, f"the tables of {id!r}")


# The options of `analyze` about the files it reads and the folder it writes, which a text in memory has none of.
_FILES_ONLY = ("out", "shard", "ext", "encoding", "format", "text_column", "id_column")


def analyze(paths: Union[PathLike, Iterable[PathLike]], out: PathLike = "output", **options) -> "Result":
    """Runs exactly what ``marginalia analyze PATHS --out OUT`` runs, options as keywords (``themes=``,
    ``tone=``, ``lang=``, ``group_by=``, ``threads=``, ``charts=``, ``shard=(k, n)``, …), and returns the
    :class:`Result`, whose ``tables`` are read from ``out`` as they are asked for."""
    _run(_analyze_command(paths, out, options))
    return Result(out)


def merge(folders: Iterable[PathLike], out: PathLike = "output") -> "Result":
    """``marginalia merge``: the folders of ``analyze(..., shard=(k, n))`` runs, every k from 1 to n, combined
    into the tables one run over the whole corpus writes."""
    _run(["merge", *map(os.fspath, folders), "--out", os.fspath(out)])
    return Result(out)


def quotes(text: str, id: str = "text", **options) -> pd.DataFrame:
    """``marginalia quotes``: every quotation in ``text``, the rows of ``quotes.csv``."""
    with _private_folder() as folder:
        return read_table(_run(["quotes", str(_text_file(folder, text, id)), *_flags(options)]), "quotes")


def kwic(terms: Union[str, Iterable[str]], text: str, id: str = "text", **options) -> pd.DataFrame:
    """``marginalia kwic``: every occurrence of ``terms`` (each a word, a stem such as ``memor*`` or a phrase,
    as in lexicons) in ``text`` with its context, the rows of ``concordance.csv``."""
    terms = [terms] if isinstance(terms, str) else list(terms)
    with _private_folder() as folder:
        path = _text_file(folder, text, id)
        return read_table(_run(["kwic", *terms, str(path), *_flags(options)]), "concordance")


class Tables(Mapping):
    """A run's tables by name (``"themes"`` for ``themes.csv``), each read with :func:`read_table` the first time
    it is asked for, from its file or from its bytes. In Jupyter it shows each table's name, columns and size."""

    def __init__(self, sources: dict[str, Union[Path, bytes]], where: str):
        self._sources = sources
        self._where = where
        self._read: dict[str, pd.DataFrame] = {}

    @classmethod
    def in_folder(cls, folder: Path) -> "Tables":
        """The tables in the output folder ``folder``."""
        return cls({path.stem: path for path in sorted(folder.glob("*.csv"))}, str(folder))

    def _load(self, name: str) -> pd.DataFrame:
        return read_table(self._sources[name], name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._sources:
            raise KeyError(f"{name}: no such table in {self._where} (tables: {', '.join(self._sources)})")
        if name not in self._read:
            self._read[name] = self._load(name)
        return self._read[name]

    def __contains__(self, name: object) -> bool:
        return name in self._sources  # without reading the table, as Mapping's own would

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __repr__(self) -> str:
        return f"<marginalia tables of {self._where}: {', '.join(self._sources)}>"

    def _size(self, name: str) -> int:
        source = self._sources[name]
        return len(source) if isinstance(source, bytes) else Path(source).stat().st_size

    def _repr_html_(self) -> str:
        """In Jupyter: each table's name, columns and size, read from none of them."""
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(', '.join(_COLUMNS.get(name, {})))}</td>"
            f"<td>{self._size(name):,}</td></tr>"
            for name in self._sources
        )
        return (
            f"<p>marginalia: {html.escape(self._where)}</p>"
            f"<table><tr><th>table</th><th>columns</th><th>bytes</th></tr>{rows}</table>"
        )


class Result:
    """An output folder written by :func:`analyze` or :func:`merge`: ``tables``, ``report`` (the path of
    ``report.html``, or ``None``) and ``folder``. In Jupyter it shows its report, or (past 8 MB, or without one)
    the summary of its tables that :class:`Tables` shows."""

    def __init__(self, folder: PathLike):
        self.folder = Path(folder)
        self.tables = Tables.in_folder(self.folder)

    @property
    def report(self) -> Path | None:
        path = self.folder / "report.html"
        return path if path.is_file() else None

    def __repr__(self) -> str:
        return f"marginalia.Result({str(self.folder)!r}: {', '.join(self.tables)})"

    def _repr_html_(self) -> str:
        report = self.report
        if report is not None and report.stat().st_size <= _INLINE_REPORT_BYTES:
            page = html.escape(report.read_text(encoding="utf-8"), quote=True)
            return f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:0"></iframe>'
        link = f"<p>Report: {html.escape(str(report))}</p>" if report is not None else ""
        return f"{link}{self.tables._repr_html_()}"
