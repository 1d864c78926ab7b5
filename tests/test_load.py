"""Loading datasets: every format and encoding, column recognition, ids, duplicates, errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import dashboard.load as load_module
from dashboard.errors import DatasetError
from dashboard.load import (
    SUPPORTED_EXTENSIONS,
    detect_columns,
    get_load_report,
    load_statements,
    preview_columns,
)
from dashboard.paths import REPO_ROOT

# Awkward on purpose: delimiters and quotes inside values, non-ASCII, a tab, a missing date.
ROWS = [
    {
        "id": "a1",
        "date": "2015-10-20",
        "title": "KKE statement",
        "text": 'The KKE condemns the "memorandum"; PAME, too.',
        "url": "https://example.org/1",
    },
    {
        "id": "a2",
        "date": "2015-10",
        "title": "TKP | Türkiye",
        "text": "Workers' rally, 1,500 people in İzmir",
        "url": "",
    },
    {
        "id": "a3",
        "date": "",
        "title": "",
        "text": "JCP: step back\ton the treaty",
        "url": "",
    },
]
FRAME = pd.DataFrame(ROWS)


def _csv(delimiter: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        FRAME.to_csv(path, index=False, sep=delimiter, encoding=encoding)

    return write


def _utf16_without_bom(path: Path) -> None:
    path.write_bytes(FRAME.to_csv(index=False).encode("utf-16-le"))


def _json_array(path: Path) -> None:
    path.write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")


def _json_object(path: Path) -> None:
    path.write_text(json.dumps({"meta": {"n": 3}, "data": ROWS}, indent=2), encoding="utf-8")


def _json_object_other_key(path: Path) -> None:
    path.write_text(json.dumps({"version": 2, "news": ROWS}), encoding="utf-8")


def _jsonl(path: Path) -> None:
    lines = [json.dumps(row, ensure_ascii=False) for row in ROWS]
    path.write_text("\n".join(lines[:2]) + "\n\n" + lines[2] + "\n", encoding="utf-8")


def _parquet(path: Path) -> None:
    FRAME.to_parquet(path, index=False)


def _xlsx(path: Path) -> None:
    FRAME.to_excel(path, index=False, engine="openpyxl")


@pytest.mark.parametrize(
    ("name", "write", "encoding"),
    [
        ("comma.csv", _csv(","), "utf-8"),
        ("semicolon.csv", _csv(";"), "utf-8"),
        ("pipe.csv", _csv("|"), "utf-8"),
        ("tab.csv", _csv("\t"), "utf-8"),
        ("tabs.tsv", _csv("\t"), "utf-8"),
        ("bom.csv", _csv(",", "utf-8-sig"), "utf-8"),
        ("utf16.csv", _csv(",", "utf-16"), "utf-16"),
        ("utf16be.csv", _csv(";", "utf-16-be"), "utf-16"),
        ("utf16le_no_bom.csv", _utf16_without_bom, "utf-16-le"),
        ("array.json", _json_array, "utf-8"),
        ("object.json", _json_object, "utf-8"),
        ("other_key.json", _json_object_other_key, "utf-8"),
        ("lines.jsonl", _jsonl, "utf-8"),
        ("lines.ndjson", _jsonl, "utf-8"),
        ("table.parquet", _parquet, ""),
        ("book.xlsx", _xlsx, ""),
    ],
)
def test_every_format_gives_the_same_frame(
    tmp_path: Path, name: str, write: Callable[[Path], None], encoding: str
) -> None:
    path = tmp_path / name
    write(path)
    if name == "utf16be.csv":
        # pandas writes no BOM for utf-16-be; add one as Windows tools do.
        path.write_bytes(b"\xfe\xff" + path.read_bytes())
    df = load_statements(path)
    assert list(df.columns) == ["id", "title", "text", "date", "date_precision", "url"]
    assert list(df["id"]) == ["a1", "a2", "a3"]
    assert list(df["title"]) == [r["title"] for r in ROWS]
    assert list(df["text"]) == [r["text"] for r in ROWS]
    assert list(df["url"]) == [r["url"] for r in ROWS]
    assert df["date"].iloc[0] == pd.Timestamp("2015-10-20")
    assert df["date"].iloc[1] == pd.Timestamp("2015-10-01")
    assert pd.isna(df["date"].iloc[2])
    assert list(df["date_precision"]) == ["day", "month", "none"]
    report = get_load_report(df)
    assert (report.rows_read, report.rows_kept, report.undated, report.unparsed_dates) == (
        3,
        3,
        1,
        0,
    )
    assert report.encoding == encoding
    assert report.source == name
    if encoding.startswith("utf-16"):
        assert any("UTF-16" in w for w in report.warnings)


def test_frame_dtypes(tmp_path: Path) -> None:
    path = tmp_path / "typed.csv"
    frame = FRAME.assign(party=["KKE", "TKP", "KKE"], country=["Greece", "Turkey", ""])
    frame.assign(region="Europe", lang="en").to_csv(path, index=False)
    df = load_statements(path)
    for column in ("id", "title", "text", "url"):
        assert df[column].dtype == "str", column
    assert df["date"].dtype == "datetime64[ns]"
    assert list(df["date_precision"].cat.categories) == ["day", "month", "year", "none"]
    for column in ("source_party", "source_country", "source_region", "language"):
        assert isinstance(df[column].dtype, pd.CategoricalDtype), column
    assert list(df["source_party"].cat.categories) == ["KKE", "TKP"]
    assert pd.isna(df["source_country"].iloc[2])


def test_cp1252_file_is_decoded_and_noted(tmp_path: Path) -> None:
    text = "Türkiye: “TKP” says a 5 € rise is ‘nothing’ – café"
    path = tmp_path / "windows.csv"
    path.write_bytes(f"id;text\n1;{text}\n".encode("cp1252"))
    df = load_statements(path)
    assert list(df["text"]) == [text]
    report = get_load_report(df)
    assert report.encoding == "cp1252"
    assert any("cp1252" in w for w in report.warnings)


def test_plain_text_one_statement_per_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("  First statement. \n\n\nSecond, with a comma\n \nThird\t\n", encoding="utf-8")
    df = load_statements(path)
    assert list(df["text"]) == ["First statement.", "Second, with a comma", "Third"]
    assert list(df["title"]) == ["", "", ""]
    assert df["id"].str.fullmatch(r"s-[0-9a-f]{16}").all()
    assert list(df["date_precision"]) == ["none"] * 3
    assert get_load_report(df).rows_read == 3


@pytest.mark.parametrize(
    ("name", "argument_name"),
    [("upload.csv", None), ("whatever.bin", "renamed.csv"), (None, "given.csv")],
)
def test_file_objects(name: str | None, argument_name: str | None) -> None:
    handle = io.BytesIO(FRAME.to_csv(index=False, sep=";").encode("utf-8"))
    if name:
        handle.name = name
    df = load_statements(handle, name=argument_name)
    assert list(df["id"]) == ["a1", "a2", "a3"]
    assert get_load_report(df).source == (argument_name or name)
    # An upload is read again after a preview: loading twice must give the same frame.
    assert preview_columns(handle, name=argument_name) == list(FRAME.columns)
    again = load_statements(handle, name=argument_name)
    assert again["id"].equals(df["id"])


def test_bundled_sample_matches_the_seed() -> None:
    df = load_statements(REPO_ROOT / "data" / "sample_statements.csv")
    assert len(df) == 24
    assert list(df["id"]) == [f"seed-{n:02d}" for n in range(1, 25)]
    by_id = df.set_index("id")
    assert by_id.loc["seed-05", "date"] == pd.Timestamp("2015-10-01")
    assert by_id.loc["seed-05", "date_precision"] == "month"
    assert by_id.loc["seed-08", "date"] == pd.Timestamp("2015-10-20")
    assert by_id.loc["seed-08", "date_precision"] == "day"
    seed_dates = REPO_ROOT.parent / "shared" / "seed" / "seed_dates.csv"
    if seed_dates.exists():
        with seed_dates.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                statement = by_id.loc[f"seed-{int(row['line']):02d}"]
                assert statement["date_precision"] == row["precision"], row["line"]
                assert statement["date"].strftime("%Y-%m-%d").startswith(row["date"])


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["ID", "Headline", "Body", "Published At", "Link"],
         {"id": "ID", "title": "Headline", "text": "Body", "date": "Published At", "url": "Link"}),
        (["title", "teaser", "pubDate"], {"title": "title", "text": "teaser", "date": "pubDate"}),
        (["statement_id", "Summary", "created-at", "source_url"],
         {"id": "statement_id", "text": "Summary", "date": "created-at", "url": "source_url"}),
        (["Party", "Country", "Region", "lang", "content"],
         {"source_party": "Party", "source_country": "Country", "source_region": "Region",
          "language": "lang", "text": "content"}),
        # Several text candidates: the first in order of preference wins.
        (["teaser", "body"], {"text": "body"}),
        (["foo", "bar"], {}),
    ],
)  # fmt: skip
def test_detect_columns(columns: list[str], expected: dict[str, str]) -> None:
    assert detect_columns(columns) == expected


def test_title_and_teaser_both_kept_other_columns_ignored(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text("Headline,Teaser,Views,Author\nKKE meets,The KKE met today,10,x\n")
    df = load_statements(path)
    assert (df["title"].iloc[0], df["text"].iloc[0]) == ("KKE meets", "The KKE met today")
    assert "Views" not in df.columns
    report = get_load_report(df)
    assert report.columns == {"title": "Headline", "text": "Teaser"}
    assert "ignored columns: Views, Author" in report.warnings


@pytest.mark.parametrize(
    ("mapping", "expected_text", "expected_columns"),
    [
        ({"text": "Message"}, "the body", {"text": "Message", "date": "Date"}),
        # The mapping wins over a recognised name.
        ({"text": "summary"}, "short", {"text": "summary", "date": "Date"}),
        ({"text": "Message", "date": "When"}, "the body", {"text": "Message", "date": "When"}),
        # Matching is forgiving about case, like detection.
        ({"text": "message"}, "the body", {"text": "Message", "date": "Date"}),
        # "" says: this file has no such column, even if one looks like it.
        ({"text": "Message", "date": ""}, "the body", {"text": "Message"}),
    ],
)
def test_mapping(
    tmp_path: Path, mapping: dict[str, str], expected_text: str, expected_columns: dict[str, str]
) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text("Message,Date,summary,When\nthe body,2015-10-20,short,2016-01-01\n")
    df = load_statements(path, mapping)
    assert df["text"].iloc[0] == expected_text
    assert get_load_report(df).columns == expected_columns
    expected_date = {"Date": "2015-10-20", "When": "2016-01-01"}.get(expected_columns.get("date"))
    if expected_date:
        assert df["date"].iloc[0] == pd.Timestamp(expected_date)
    else:
        assert pd.isna(df["date"].iloc[0])


def test_ids_are_stable_and_unique(tmp_path: Path) -> None:
    rows = "title,text,date,url\nA,one,2015-10-20,u1\nA,two,2015-10-20,u1\n,three,Oct 2015,\n"
    first, second = tmp_path / "first.csv", tmp_path / "second.tsv"
    first.write_text(rows)
    second.write_text(rows.replace(",", "\t"))
    a, b = load_statements(first), load_statements(second)
    assert a["id"].str.fullmatch(r"s-[0-9a-f]{16}").all()
    assert a["id"].is_unique
    assert list(a["id"]) == list(b["id"])


def test_exact_duplicates_dropped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text(
        "title,text,date\n"
        "KKE,statement one,2015-10-20\n"
        "KKE,statement one,2015-10-20\n"
        "KKE,statement  one ,2015-10-20\n"  # only spacing differs
        "KKE,statement one,2015-10-21\n"  # another day: a different statement
        "KKE,,\n"
        ",,2015-10-20\n"
    )
    df = load_statements(path)
    report = get_load_report(df)
    assert len(df) == 3
    assert (report.rows_read, report.duplicates, report.empty_text, report.rows_kept) == (
        6,
        2,
        1,
        3,
    )


def test_repeated_given_ids_made_unique(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id,text\nx,one\nx,two\ny,three\nx,four\nx-2,five\n")
    df = load_statements(path)
    assert list(df["text"]) == ["one", "two", "three", "four", "five"]
    assert df["id"].is_unique
    assert list(df["id"])[:4] == ["x", "x-2", "y", "x-3"]
    assert any("'x'" in w for w in get_load_report(df).warnings)


def test_numeric_ids_from_json_stay_integers(tmp_path: Path) -> None:
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps([{"id": 1, "text": "a"}, {"id": None, "text": "b"}, {"id": 3}]))
    df = load_statements(path)
    assert list(df["id"])[0] == "1"
    assert df["id"].iloc[1].startswith("s-")
    assert get_load_report(df).empty_text == 1


def test_unparsed_dates_are_counted_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("text,date\na,someday\nb,\nc,2015\nd,someday\n")
    df = load_statements(path)
    report = get_load_report(df)
    assert list(df["date_precision"]) == ["none", "none", "year", "none"]
    assert (report.undated, report.unparsed_dates) == (3, 2)
    assert any("someday" in w for w in report.warnings)


def test_excel_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    pd.DataFrame(
        {"text": ["a", "b", "c"], "date": [pd.Timestamp("2015-10-20 09:30"), "Oct 2015", None]}
    ).to_excel(path, index=False)
    df = load_statements(path)
    assert df["date"].iloc[0] == pd.Timestamp("2015-10-20 09:30")
    assert list(df["date_precision"]) == ["day", "month", "none"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("data.docx", b"x", ["not supported", ".csv", ".parquet"]),
        ("no_extension", b"x", ["no extension", ".csv"]),
        ("empty.csv", b"", ["empty.csv", "empty"]),
        ("blank.txt", b"\n  \n", ["blank.txt", "empty"]),
        ("header.csv", b"id,text\n", ["header.csv", "no rows"]),
        ("blank_text.csv", b"id,text\n1,\n2,  \n", ["blank_text.csv", "column text", "empty"]),
        ("ragged.csv", b"id,text\n1,ok\n2,ok\n3,a,b\n", ["ragged.csv, line 4", "3 fields", "quot"]),
        ("first_row.csv", b"id,text\n1,a,b\n2,ok\n", ["first_row.csv, line 2", "3 fields"]),
        ("semi.csv", b"id;text\n1;ok\n2;a;b\n", ["semi.csv, line 3", "semicolon"]),
        ("quote.csv", b'id,text\n1,"open\n2,x\n', ["quote.csv", "never closed", "double quote"]),
        ("binary.csv", bytes(range(256)) * 4, ["binary.csv", "binary"]),
        ("binary.txt", b"abc\x00\x00\x01\x02def" * 50, ["binary.txt", "binary"]),
        ("zipped.csv", b"PK\x03\x04" + b"\x00" * 100, ["zipped.csv", "ZIP", ".xlsx"]),
        ("bad.csv", b"id,text\n1,ok\n2,\x81\x8d\x8f\x90\x9d\x98\n", ["bad.csv, line 3", "UTF-8"]),
        (
            "bad16.csv",
            b"\xff\xfe" + "id,text\n1,ok\n".encode("utf-16-le") + b"\x00\xd8a\x00",
            ["bad16.csv, near line 3", "UTF-16"],
        ),
        ("bad.json", b'[{"text": "a"},\n {"text": "b",}]', ["bad.json, line 2, column 15"]),
        ("lines.json", b'{"text": "a"}\n{"text": "b"}\n', ["line 2, column 1", ".jsonl"]),
        ("scalar.json", b'"just text"', ["scalar.json", "a string", "list"]),
        ("keys.json", b'{"a": [1], "b": 2}', ["keys.json", '"a", "b"']),
        ("mixed.json", b'[{"text": "a"}, 5]', ["mixed.json, top-level list[1]", "a number"]),
        ("empty.json", b"[]", ["empty.json", "no rows"]),
        ("bad.jsonl", b'{"text": "a"}\n\n{"text": c}\n', ["bad.jsonl, line 3, column 10"]),
        ("list.jsonl", b'{"text": "a"}\n[1, 2]\n', ["list.jsonl, line 2", "a list"]),
        ("bad.parquet", b"PAR1 not really parquet PAR1", ["bad.parquet", "Parquet"]),
        ("bad.xlsx", b"this is not a workbook", ["bad.xlsx", "Excel"]),
        ("no_text.csv", b"foo,bar\n1,2\n", ["no_text.csv", "columns found: foo, bar", "mapping"]),
    ],
)  # fmt: skip
def test_errors_say_what_and_where(
    tmp_path: Path, name: str, content: bytes, expected: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DatasetError) as caught:
        load_statements(path)
    message = str(caught.value).lower()
    for part in expected:
        assert part.lower() in message, (part, message)


def test_truncated_parquet(tmp_path: Path) -> None:
    path = tmp_path / "cut.parquet"
    _parquet(path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(DatasetError, match=r"cut\.parquet.*Parquet") as caught:
        load_statements(path)
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"text": "body"}, ["'body'", "no such column", "columns found: Message, When"]),
        ({"txt": "Message"}, ["unknown name 'txt'", "text"]),
    ],
)
def test_bad_mapping(tmp_path: Path, mapping: dict[str, str], expected: list[str]) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text("Message,When\nhello,2015\n")
    with pytest.raises(DatasetError) as caught:
        load_statements(path, mapping)
    for part in expected:
        assert part.lower() in str(caught.value).lower()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found"):
        load_statements(tmp_path / "gone.csv")


def test_unexpected_failures_are_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(values: pd.Series) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(load_module, "parse_dates_detailed", broken)
    path = tmp_path / "fine.csv"
    path.write_text("text,date\na,2015\n")
    with pytest.raises(DatasetError, match=r"fine\.csv.*KeyError") as caught:
        load_statements(path)
    assert isinstance(caught.value.__cause__, KeyError)


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("semi.csv", _csv(";")),
        ("array.json", _json_array),
        ("lines.jsonl", _jsonl),
        ("table.parquet", _parquet),
        ("book.xlsx", _xlsx),
    ],
)
def test_preview_columns(tmp_path: Path, name: str, write: Callable[[Path], None]) -> None:
    path = tmp_path / name
    write(path)
    assert preview_columns(path) == list(FRAME.columns)


def test_supported_extensions_are_all_loadable() -> None:
    assert {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx"} == set(
        SUPPORTED_EXTENSIONS
    )


def test_report_is_required() -> None:
    with pytest.raises(DatasetError, match="load_statements"):
        get_load_report(pd.DataFrame({"text": ["a"]}))


# --- dates outside the nanosecond range, exact duplicates ---------------------------------------


@pytest.mark.parametrize("bad", ["1200", "1600-01", "Jan 2300", "1500-01-01", "9999999999"])
def test_one_date_outside_1678_2261_never_refuses_the_file(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "old.csv"
    path.write_text(f"text,date\nold,{bad}\nnew,2015-10-20\nnone,\n")
    df = load_statements(path)
    report = get_load_report(df)
    assert pd.isna(df["date"].iloc[0]) and df["date"].iloc[1] == pd.Timestamp("2015-10-20")
    assert (report.undated, report.out_of_range_dates, report.unparsed_dates) == (2, 1, 0)
    assert any(bad in w and "1678-2261" in w for w in report.warnings)
    assert "outside 1678-2261" in report.summary()


def test_a_list_in_a_json_date_is_unreadable_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "dates.json"
    path.write_text(
        json.dumps(
            [
                {"text": "a", "date": ["2015-10-20"]},
                {"text": "b", "date": {"y": 2015}},
                {"text": "c", "date": "2015-10-20"},
            ]
        )
    )
    df = load_statements(path)
    assert list(df["date_precision"]) == ["none", "none", "day"]
    assert get_load_report(df).unparsed_dates == 2


def test_date_order_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "us.csv"
    path.write_text("text,date\na,10/15/2015\nb,05/10/2015\n")
    df = load_statements(path)
    assert get_load_report(df).date_order == "month/day/year"
    assert df["date"].iloc[1] == pd.Timestamp("2015-05-10")


@pytest.mark.parametrize(
    ("header", "second"),
    [
        ("id,title,text,date", "b,Joint,We stand together.,2015-10-20"),
        ("party,title,text,date", "TKP,Joint,We stand together.,2015-10-20"),
        ("country,title,text,date", "TUR,Joint,We stand together.,2015-10-20"),
    ],
)
def test_rows_differing_in_id_party_or_country_are_not_duplicates(
    tmp_path: Path, header: str, second: str
) -> None:
    first = second.replace("b,", "a,", 1).replace("TKP,", "KKE,", 1).replace("TUR,", "GRC,", 1)
    path = tmp_path / "joint.csv"
    path.write_text(f"{header}\n{first}\n{second}\n{first}\n")
    df = load_statements(path)
    report = get_load_report(df)
    assert (len(df), report.duplicates) == (2, 1)  # only the third row repeats the first exactly
    assert df["id"].is_unique
    assert header.split(",")[0] in report.duplicate_key
    assert any(
        "duplicate" in w and "ids, parties or countries are kept" in w for w in report.warnings
    )


def test_hashed_ids_do_not_change_for_files_without_source_columns(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "plain.csv"
    path.write_text("title,text,date,url\nA,one,2015-10-20,u1\n")
    key = "A\x1fone\x1f2015-10-20\x1fu1"
    expected = "s-" + hashlib.sha1(key.encode()).hexdigest()[:16]
    assert load_statements(path)["id"].iloc[0] == expected


def test_list_bytes_and_struct_cells_become_readable_text(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "text": pa.array([["one", "two"], ["three"]], type=pa.list_(pa.string())),
            "title": pa.array([b"bytes title", b"x"], type=pa.binary()),
            "url": pa.array([{"host": "a.org"}, None], type=pa.struct([("host", pa.string())])),
        }
    )
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path)
    df = load_statements(path)
    assert list(df["text"]) == ["one; two", "three"]
    assert df["title"].iloc[0] == "bytes title"
    assert df["url"].iloc[0] == '{"host": "a.org"}'
