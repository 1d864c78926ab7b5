"""The catalogue of bad inputs: every one answered with a frame whose counts add up or a clear
``DatasetError`` - what is wrong, where, and what to do - and never a generic "please report".

Each row of ``CATALOGUE`` makes one input in ``tmp_path`` and names its outcome: ``Loads`` (rows
kept, report counts, a word in the report's notes) or ``Refused`` (words the message must hold).
The command line's own bad inputs (outputs that are folders, the input itself, unwritable) are in
``CLI_CATALOGUE``. Property-based tests at the end feed generated CSV and JSON Lines files.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.errors import DatasetError
from dashboard.load import get_load_report, load_statements


@dataclass(frozen=True)
class Loads:
    """Loaded with ``rows`` statements; ``counts`` are LoadReport fields; ``note`` in a warning."""

    rows: int
    counts: dict[str, object] = field(default_factory=dict)
    note: str = ""
    check: Callable[[pd.DataFrame], bool] | None = None


@dataclass(frozen=True)
class Refused:
    """A DatasetError whose message holds every one of ``words``."""

    words: tuple[str, ...]


Make = Callable[[Path], Path]


def text(name: str, content: str | bytes, encoding: str = "utf-8") -> Make:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return make


def made(name: str, write: Callable[[Path], None]) -> Make:
    def make(tmp: Path) -> Path:
        path = tmp / name
        write(path)
        return path

    return make


def _xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def _parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


GOOD = pd.DataFrame({"title": ["KKE", "TKP"], "text": ["The KKE said.", "The TKP said."]})
XLSX = _xlsx_bytes({"Statements": GOOD})
PARQUET = _parquet_bytes(pa.Table.from_pandas(GOOD, preserve_index=False))
RUSSIAN = "title,text\nКПРФ,Заявление партии о выборах\nКПСС,Рабочие всех стран соединяйтесь\n"


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.csv"
    os.mkfifo(path)
    return path


def _folder(tmp: Path) -> Path:
    path = tmp / "folder.csv"
    path.mkdir()
    return path


def _loop(tmp: Path) -> Path:
    path = tmp / "loop.csv"
    path.symlink_to(tmp / "loop.csv")
    return path


def _dangling(tmp: Path) -> Path:
    path = tmp / "dangling.csv"
    path.symlink_to(tmp / "gone.csv")
    return path


def _two_sheets(path: Path) -> None:
    extra = pd.DataFrame({"title": ["PCP"], "text": ["Another sheet."]})
    path.write_bytes(_xlsx_bytes({"First": GOOD, "Second": extra}))


def _big_cell_xlsx(path: Path) -> None:
    """A workbook of a few KB whose one cell holds 3 MB (the catalogue lowers the limit to 1 MB).

    openpyxl itself cuts cells at Excel's 32,767 characters, so the sheet is rewritten by hand,
    as a hostile file would be.
    """
    import zipfile

    small = _xlsx_bytes({"S": pd.DataFrame({"text": ["x" * 32_767]})})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"x" * 32_767, b"x" * 3_000_000)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def _ten_million_rows(path: Path) -> None:
    indices = pa.array(np.zeros(10_000_000, dtype=np.int8))
    column = pa.DictionaryArray.from_arrays(indices, pa.array(["same statement"]))
    pq.write_table(pa.table({"text": column}), path)


def _nested_parquet(path: Path) -> None:
    pq.write_table(
        pa.table(
            {
                "text": pa.array([["one", "two"], ["three"]], type=pa.list_(pa.string())),
                "title": pa.array([b"bytes title", b"t"], type=pa.binary()),
                "url": pa.array([{"host": "a.org"}, None], pa.struct([("host", pa.string())])),
            }
        ),
        path,
    )


def no_repr(df: pd.DataFrame) -> bool:
    cells = pd.concat([df["title"], df["text"], df["url"]])
    return not cells.str.contains(r"^\[|^b'|^\{'|array\(", regex=True).any()


CATALOGUE = [
    # --- empty and nearly empty ---
    pytest.param(text("empty.csv", b""), Refused(("empty",)), id="empty"),
    pytest.param(text("blank.csv", "  \n\n \n"), Refused(("empty",)), id="only-blank-lines"),
    pytest.param(text("header.csv", "title,text\n"), Refused(("no rows",)), id="header-only"),
    pytest.param(text("h.jsonl", "\n\n"), Refused(("empty",)), id="jsonl-blank"),
    pytest.param(text("e.json", "[]"), Refused(("no statements",)), id="json-empty-list"),
    pytest.param(
        text("notext.csv", "title,text\n,\n ,\n"), Refused(("every row has an empty text",)),
        id="every-text-empty",
    ),
    pytest.param(
        text("cols.csv", "colour,size\nred,1\n"), Refused(("no column with the statements' text",
        "colour")), id="no-text-column",
    ),
    # --- not text at all ---
    pytest.param(
        text("binary.csv", bytes(range(256)) * 40), Refused(("binary",)), id="binary"
    ),
    pytest.param(
        text("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(500)), Refused(("PNG image",)),
        id="png-renamed-csv",
    ),
    pytest.param(
        text("packed.csv", gzip.compress(b"title,text\na,b\n")), Refused(("gzip", "ecompress")),
        id="gzip-renamed-csv",
    ),
    pytest.param(text("doc.csv", b"%PDF-1.4\n" + bytes(300)), Refused(("PDF",)), id="pdf-renamed"),
    pytest.param(text("book.csv", XLSX), Refused(("ZIP", ".xlsx")), id="xlsx-renamed-csv"),
    pytest.param(
        text("table.csv", PARQUET), Refused(("Parquet", ".parquet")), id="parquet-renamed"
    ),
    pytest.param(text("notes.docx", "x"), Refused(("not supported", ".csv")), id="unsupported-ext"),
    pytest.param(text("noext", "title\nx\n"), Refused(("no extension",)), id="no-extension"),
    # --- truncated and malformed ---
    pytest.param(
        text("cut.json", '[{"text": "a"}, {"text": "b"'), Refused(("not valid JSON", "line 1")),
        id="truncated-json",
    ),
    pytest.param(
        text("cut.xlsx", XLSX[: len(XLSX) // 2]), Refused(("not a readable Excel",)),
        id="truncated-xlsx",
    ),
    pytest.param(
        text("cut.parquet", PARQUET[: len(PARQUET) // 2]), Refused(("not a readable Parquet",)),
        id="truncated-parquet",
    ),
    pytest.param(
        text("bad.jsonl", '{"text": "a"}\n{"text": \n{"text": "c"}\n'),
        Refused(("line 2", "not valid JSON")), id="bad-jsonl-line",
    ),
    pytest.param(
        text("arr.jsonl", '{"text": "a"}\n["b"]\n'), Refused(("line 2", "a list")),
        id="jsonl-line-not-object",
    ),
    pytest.param(
        text("ragged.csv", "title,text\na,b\nc,d,e,f\n"), Refused(("line 3", "4 fields", "quot")),
        id="ragged-rows",
    ),
    pytest.param(
        text("short.csv", "title,text\na,b\nc\n"), Loads(2), id="short-row-padded"
    ),
    pytest.param(
        text("quote.csv", 'title,text\na,"b\nc,d\n'), Refused(("never closed", "row 2")),
        id="unclosed-quote",
    ),
    pytest.param(
        text("obj.json", '{"a": 1, "b": 2}'), Refused(("exactly one list", '"a"')),
        id="json-object-without-list",
    ),
    pytest.param(text("n.json", "42"), Refused(("a number",)), id="json-scalar"),
    pytest.param(
        text("s.json", '["a", "b"]'), Refused(("item 0", "a string")), id="json-list-of-strings"
    ),
    # --- awkward but readable ---
    pytest.param(
        text("dupcols.csv", "text,text\nfirst,second\n"),
        Loads(1, note="more than once", check=lambda df: df["text"].iloc[0] == "first"),
        id="duplicate-columns",
    ),
    pytest.param(
        text("nul.csv", "title,text\n" + "a,b\n" * 3000 + "c,\x00d\n"),
        Loads(2, {"duplicates": 2999}, note="NUL byte",
              check=lambda df: "\x00" not in "".join(df["text"])),
        id="nul-bytes",
    ),
    pytest.param(
        text("long.csv", "title,text\nlong," + "x" * 10_000_000 + "\n"),
        Loads(1, check=lambda df: len(df["text"].iloc[0]) == 10_000_000), id="10mb-line",
    ),
    pytest.param(
        text("wide.csv", ",".join(["text"] + [f"c{i}" for i in range(999)]) + "\n"
             + ",".join(["words"] + ["1"] * 999) + "\n"),
        Loads(1, note="and 989 more"), id="1000-columns",
    ),
    pytest.param(
        text("semi.csv", "title;text\na;b\nc;d\n"), Loads(2, note="semicolon"), id="semicolons"
    ),
    pytest.param(
        text("ru16.csv", RUSSIAN, "utf-16-le"),
        Loads(2, {"encoding": "utf-16-le"}, check=lambda df: df["title"].iloc[0] == "КПРФ"),
        id="utf16-no-bom-cyrillic",
    ),
    pytest.param(
        text("ru16be.csv", RUSSIAN, "utf-16-be"), Loads(2, {"encoding": "utf-16-be"}),
        id="utf16be-no-bom-cyrillic",
    ),
    pytest.param(
        text("ru8.csv", RUSSIAN), Loads(2, {"encoding": "utf-8"}), id="utf8-cyrillic-not-utf16"
    ),
    pytest.param(text("bom16.csv", RUSSIAN, "utf-16"), Loads(2), id="utf16-with-bom"),
    pytest.param(
        text("latin.csv", "title,text\nGrève,La grève générale des travailleurs français "
             "continue à Paris; les ouvriers réclament des salaires décents.\n", "cp1252"),
        Loads(1, {"encoding": "cp1252"}, note="cp1252",
              check=lambda df: df["title"].iloc[0] == "Grève"), id="cp1252",
    ),
    pytest.param(
        text("cr.txt", "first statement\rsecond statement\rthird statement\r"),
        Loads(3), id="txt-cr-only",
    ),
    pytest.param(
        text("crlf.txt", "first statement\r\nsecond statement\r\n\r\n"), Loads(2), id="txt-crlf"
    ),
    pytest.param(text("cr.csv", "title,text\ra,b\rc,d\r"), Loads(2), id="csv-cr-only"),
    pytest.param(
        text("cr.jsonl", '{"text": "a"}\r{"text": "b"}\r'), Loads(2), id="jsonl-cr-only"
    ),
    pytest.param(
        text("lists.json", json.dumps([{"text": ["a", "b"], "title": {"en": "T"}}])),
        Loads(1, check=lambda df: (df["text"].iloc[0], df["title"].iloc[0])
              == ("a; b", '{"en": "T"}')),
        id="json-list-and-object-text",
    ),
    pytest.param(
        made("nested.parquet", _nested_parquet), Loads(2, check=no_repr),
        id="parquet-list-bytes-struct",
    ),
    pytest.param(
        made("two.xlsx", _two_sheets), Loads(2, note="data on 2 sheets"), id="xlsx-two-sheets"
    ),
    pytest.param(
        text("dates.json", json.dumps([
            {"text": "a", "date": "1500-01-01"}, {"text": "b", "date": ["2015"]},
            {"text": "c", "date": "Jan 2300"}, {"text": "d", "date": "2015-10-20"},
        ])),
        Loads(4, {"out_of_range_dates": 2, "unparsed_dates": 1, "undated": 3}, note="1678-2261"),
        id="dates-out-of-range-and-lists",
    ),
    pytest.param(
        text("joint.csv", "id,party,text\n1,KKE,Joint statement.\n2,TKP,Joint statement.\n"),
        Loads(2, {"duplicates": 0}), id="joint-statement-not-duplicate",
    ),
    pytest.param(
        text("headlines.csv", "publish_date,headline_text\n20150601,kke calls strike\n"),
        Loads(1, check=lambda df: str(df["date"].iloc[0].date()) == "2015-06-01"),
        id="public-headline-columns",
    ),
    # --- not a regular file ---
    pytest.param(_fifo, Refused(("named pipe", "regular file")), id="fifo"),
    pytest.param(_folder, Refused(("folder",)), id="directory"),
    pytest.param(_loop, Refused(("loop",)), id="symlink-loop"),
    pytest.param(_dangling, Refused(("does not exist",)), id="dangling-symlink"),
    pytest.param(lambda tmp: tmp / "missing.csv", Refused(("not found",)), id="missing-file"),
    # --- memory guards ---
    pytest.param(
        made("bomb.xlsx", _big_cell_xlsx),
        Refused(("MB of XML", "DASHBOARD_MAX_XLSX_MB", "CSV")), id="xlsx-huge-cell",
    ),
    pytest.param(
        made("tall.parquet", _ten_million_rows),
        Refused(("10,000,000 rows", "DASHBOARD_MAX_ROWS")), id="parquet-10m-rows",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("make", "expected"), CATALOGUE)
def test_catalogue(make: Make, expected: Loads | Refused, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_MAX_XLSX_MB", "1")
    path = make(tmp_path)
    if isinstance(expected, Refused):
        with pytest.raises(DatasetError) as caught:
            load_statements(path)
        err = caught.value
        message = str(err)
        for word in expected.words:
            assert word in message, message
        assert "please report" not in message
        assert err.where and err.hint, message  # where it is, and what to do
        return
    df = load_statements(path)
    report = get_load_report(df)
    assert len(df) == expected.rows == report.rows_kept
    for name, value in expected.counts.items():
        assert getattr(report, name) == value, name
    if expected.note:
        assert any(expected.note in w for w in report.warnings), report.warnings
    if expected.check is not None:
        assert expected.check(df)
    assert report.rows_read == report.rows_kept + report.duplicates + report.empty_text


def test_catalogue_is_at_least_forty_inputs() -> None:
    assert len(CATALOGUE) + len(CLI_CATALOGUE) >= 40


def test_guards_act_before_the_data_is_read(tmp_path: Path, monkeypatch) -> None:
    """The workbook and Parquet limits come from the ZIP directory and the footer alone."""
    import dashboard.load as load_module

    monkeypatch.setenv("DASHBOARD_MAX_XLSX_MB", "1")
    monkeypatch.setattr(load_module.pd, "read_excel", _never)
    monkeypatch.setattr(load_module.pd, "read_parquet", _never)
    for make in (made("bomb.xlsx", _big_cell_xlsx), made("tall.parquet", _ten_million_rows)):
        with pytest.raises(DatasetError):
            load_statements(make(tmp_path))


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the file was read before its size was checked")


@pytest.mark.parametrize(
    ("env", "value", "words"),
    [
        ("DASHBOARD_MAX_ROWS", "2", ("about 4 lines", "DASHBOARD_MAX_ROWS")),
        ("DASHBOARD_MAX_MB", "abc", ("whole number",)),
    ],
)
def test_limits_come_from_the_environment(tmp_path, monkeypatch, env, value, words) -> None:
    path = tmp_path / "four.csv"
    path.write_text("text\na\nb\nc\n")
    monkeypatch.setenv(env, value)
    with pytest.raises(DatasetError) as caught:
        load_statements(path)
    for word in words:
        assert word in str(caught.value)


def test_raising_the_limit_lets_the_file_in(tmp_path, monkeypatch) -> None:
    path = made("bomb.xlsx", _big_cell_xlsx)(tmp_path)
    monkeypatch.setenv("DASHBOARD_MAX_XLSX_MB", "50")
    assert len(load_statements(path)) == 1


# --- the command line -------------------------------------------------------------------------


def _sample(tmp: Path) -> Path:
    path = tmp / "in.csv"
    path.write_text("title,text\nKKE,The KKE said.\n")
    return path


CLI_CATALOGUE = [
    pytest.param(lambda t, i: ["enrich", i, "-o", str(t)], ("folder",), id="output-is-directory"),
    pytest.param(
        lambda t, i: ["enrich", i, "-o", i], ("output is the input",), id="output-csv-is-input"
    ),
    pytest.param(
        lambda t, i: ["enrich", str(Path(i).with_suffix(".jsonl")),
                      "-o", str(Path(i).with_suffix(".jsonl"))],
        ("output is the input",), id="output-equals-input",
    ),
    pytest.param(
        lambda t, i: ["enrich", i, "-o", str(Path(i) / "sub" / "out.jsonl")],
        ("could not be written",), id="output-unwritable",
    ),
    pytest.param(
        lambda t, i: ["enrich", i, "-o", str(t / "o.jsonl"), "--map", "text"],
        ("cannot read the column mapping", "text=headline_text"), id="map-bad-syntax",
    ),
    pytest.param(
        lambda t, i: ["enrich", i, "-o", str(t / "o.jsonl"), "--map", "text=nope"],
        ("no such column", "nope"), id="map-unknown-column",
    ),
    pytest.param(
        lambda t, i: ["enrich", str(t / "none.csv"), "-o", str(t / "o.jsonl")],
        ("not found",), id="input-missing",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "words"), CLI_CATALOGUE)
def test_cli_catalogue(argv, words, tmp_path: Path, capsys) -> None:
    source = _sample(tmp_path)
    source.with_suffix(".jsonl").write_text('{"text": "x"}\n')
    before = source.read_bytes()
    assert main(argv(tmp_path, str(source))) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert source.read_bytes() == before  # the input is never overwritten


def test_cli_map_reads_a_public_headline_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "abc.csv"
    source.write_text("day,words\n20150601,kke calls general strike\n")
    out = tmp_path / "out.jsonl"
    assert main(["enrich", str(source), "-o", str(out), "--map", "text=words,date=day"]) == 0
    row = json.loads(out.read_text().splitlines()[0])
    assert row["text"] == "kke calls general strike"
    assert row["date"].startswith("2015-06-01")


# --- property-based: counts add up, or a DatasetError -------------------------------------------

# More examples for a longer search: DASHBOARD_HYPOTHESIS_EXAMPLES=2000 pytest -k any_
EXAMPLES = int(os.environ.get("DASHBOARD_HYPOTHESIS_EXAMPLES", "60"))
_cell = st.text(alphabet=string.printable + "äöüΣЖ\u00a0\u2028\x00\"',;\t\r\n", max_size=12)


def _check_contract(data: bytes, name: str) -> None:
    try:
        df = load_statements(io.BytesIO(data), name=name)
    except DatasetError as err:
        assert "please report" not in str(err), str(err)
        assert err.where, str(err)
        return
    report = get_load_report(df)
    assert report.rows_read == report.rows_kept + report.duplicates + report.empty_text
    assert len(df) == report.rows_kept > 0
    assert df["id"].is_unique
    assert report.undated == int(df["date"].isna().sum())
    assert report.unparsed_dates + report.out_of_range_dates <= report.undated
    assert ((df["title"] != "") | (df["text"] != "")).all()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(["id", "title", "text", "date", "party", "x"]), max_size=5),
    rows=st.lists(st.lists(_cell, max_size=6), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_csv_gives_counts_that_add_up_or_a_dataset_error(header, rows, delimiter, newline):
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    _check_contract(newline.join(lines).encode("utf-8"), "generated.csv")


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _cell,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_cell, children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "title", "text", "date", "url", "country", "other"]),
            _json_value | st.sampled_from(["2015-10-20", "1500-01-01", "20150601", "2015-13-01"]),
            max_size=6,
        ),
        max_size=8,
    ),
    garbage=st.booleans(),
)
def test_any_jsonl_gives_counts_that_add_up_or_a_dataset_error(records, garbage):
    lines = [json.dumps(r) for r in records]
    if garbage:
        lines.insert(len(lines) // 2, '{"text": ')
    _check_contract("\n".join(lines).encode("utf-8"), "generated.jsonl")


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    data=st.binary(max_size=300),
    name=st.sampled_from(["x.csv", "x.json", "x.txt", "x.xlsx", "x.parquet"]),
)
def test_any_bytes_give_counts_that_add_up_or_a_dataset_error(data, name):
    _check_contract(data, name)


def test_zlib_is_not_mistaken_for_text() -> None:
    with pytest.raises(DatasetError):
        load_statements(io.BytesIO(zlib.compress(bytes(range(256)) * 20)), name="z.csv")
