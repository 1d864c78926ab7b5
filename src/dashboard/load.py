"""Loading any statement dataset into the frame every later stage expects.

Owns reading a file or an uploaded file object (CSV/TSV with a sniffed delimiter, plain text with
one statement per line, JSON, JSON Lines, Parquet, Excel) - only regular files, and only within
the memory limits of ``limits.py``, checked before the content is parsed - guessing its encoding,
picking its columns (names from ``columns.py``, or an explicit mapping), parsing dates (via
``dates.py``), dropping statements without text and exact duplicates, and giving every statement
a stable ``id``. The result has the columns of ``docs/architecture.md`` ("After
load_statements") and carries a ``LoadReport`` in ``df.attrs["load_report"]``. Anything wrong
with the input becomes a ``DatasetError`` that says what is wrong, where, and what to do.
"""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
import warnings
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.columns import (
    COLUMNS,
    MAPPING_ALIASES,
    detect_columns,
    normalise_name,
)
from dashboard.dates import (
    NS_FIRST_YEAR,
    NS_LAST_YEAR,
    PRECISION_DTYPE,
    format_at,
    parse_dates_detailed,
)
from dashboard.errors import DatasetError
from dashboard.limits import Limits
from dashboard.report import LoadReport

Source = str | os.PathLike[str] | BinaryIO

SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    ".csv",
    ".tsv",
    ".txt",
    ".json",
    ".jsonl",
    ".ndjson",
    ".parquet",
    ".xlsx",
)
_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "txt",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}

CATEGORY_COLUMNS: tuple[str, ...] = tuple(c for c in schema.HINT_COLUMNS if c in COLUMNS)

_HEAD = 8192
_LINE_END = re.compile(r"\r\n|\r|\n")
_SNIFF = 65536
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_JSON_LIST_KEYS = ("data", "items", "statements", "records", "results", "rows", "entries")
# Single-byte code pages charset-normalizer may choose from when a file is not UTF-8. Multi-byte
# legacy encodings are left out: on short Western text they "succeed" with nonsense.
_LEGACY_ENCODINGS = [
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_15",
    "koi8_r",
]
_MAGIC = (
    (
        b"PK\x03\x04",
        "a ZIP archive (an Excel .xlsx workbook is one)",
        "give a workbook the .xlsx extension",
    ),
    (b"PAR1", "a Parquet file", "give it the .parquet extension"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first"),
    (b"%PDF", "a PDF document", "export the statements as CSV, JSON or Excel"),
    (b"\x89PNG", "a PNG image", "choose the dataset file instead"),
    (b"\xff\xd8\xff", "a JPEG image", "choose the dataset file instead"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel .xls or Word file", "save it as .xlsx or CSV"),
)


def get_load_report(df: pd.DataFrame) -> LoadReport:
    """The ``LoadReport`` that ``load_statements`` attached to ``df``."""
    report = df.attrs.get("load_report")
    if not isinstance(report, LoadReport):
        raise DatasetError(
            "this table carries no load report",
            hint="load it with load_statements (reports do not survive concatenating frames)",
        )
    return report


def preview_columns(source: Source, name: str | None = None) -> list[str]:
    """The column names of a dataset (its header only), for the column-mapping step."""
    label, fmt = _label_and_format(source, name)
    try:
        data = _read_bytes(source, label)
        if fmt == "txt":
            return ["text"]
        if fmt in ("parquet", "xlsx"):
            return _binary_columns(data, label, fmt)
        utf8, _encoding, _notes = _decode(data, label)
        if fmt in ("csv", "tsv"):
            delimiter = _sniff_delimiter(utf8, label, fmt)
            return [str(c) for c in _read_csv(utf8, label, delimiter, nrows=0).columns]
        return [str(c) for c in _read_json(utf8, label, fmt).columns]
    except DatasetError:
        raise
    except Exception as err:  # noqa: BLE001 - nothing raw may reach the user
        raise _unexpected(err, label) from err


def load_statements(
    source: Source,
    mapping: Mapping[str, str] | None = None,
    *,
    name: str | None = None,
) -> pd.DataFrame:
    """Read a statements dataset into the standard frame; its report is in ``attrs``.

    ``source`` is a path or a binary file object (an upload); ``name`` overrides the file name
    used to pick the format and in messages. ``mapping`` is ``{our column: their column}`` and
    wins over the names recognised automatically; map a column to ``""`` to ignore it.
    """
    label, fmt = _label_and_format(source, name)
    report = LoadReport(source=label, format=fmt)
    try:
        data = _read_bytes(source, label)
        raw = _read_frame(data, label, fmt, mapping, report)
        df = _standardise(raw, label, report)
    except DatasetError:
        raise
    except MemoryError as err:
        raise DatasetError(
            "there is not enough memory to load this file",
            where=label,
            hint="load a smaller part of it, or convert it to Parquet",
        ) from err
    except Exception as err:  # noqa: BLE001 - nothing raw may reach the user
        raise _unexpected(err, label) from err
    df.attrs["load_report"] = report
    return df


# --- reading -----------------------------------------------------------------------------------


def _label_and_format(source: Source, name: str | None) -> tuple[str, str]:
    if name:
        label = Path(name).name or name
    elif isinstance(source, (str, os.PathLike)):
        label = Path(source).name
    else:
        label = Path(str(getattr(source, "name", "") or "")).name or "uploaded file"
    suffix = Path(label).suffix.lower()
    if suffix not in _FORMATS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        problem = (
            f"files ending in {suffix} are not supported"
            if suffix
            else "the file name has no extension, so its format is unknown"
        )
        raise DatasetError(problem, where=label, hint=f"use one of {supported}")
    return label, _FORMATS[suffix]


def _check_path(path: Path) -> int:
    """The size of a regular file we may read; anything else is refused before opening it."""
    try:
        info = path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise DatasetError(
                "this path is a symbolic link that leads back to itself (a loop)",
                where=str(path),
                hint="point the link at the real file, or give the file's own path",
            ) from err
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            problem = (
                "this symbolic link points to a file that does not exist"
                if path.is_symlink()
                else "file not found"
            )
            raise DatasetError(problem, where=str(path), hint="check the path") from err
        raise DatasetError(
            f"the file could not be read ({err.strerror or err})",
            where=str(path),
            hint="check that it exists and that you may read it",
        ) from err
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(
            "this is a folder, not a file",
            where=str(path),
            hint="give the path of one dataset file inside it",
        )
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise DatasetError(
            f"this is {kind}, not a regular file; reading it might never end",
            where=str(path),
            hint="save the statements to a file first and load that",
        )
    return info.st_size


def _read_bytes(source: Source, label: str) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        size = _check_path(path)
        Limits.from_env().check_bytes(size, str(path), "the file")
        try:
            return path.read_bytes()
        except OSError as err:
            raise DatasetError(
                f"the file could not be read ({err.strerror or err})",
                where=str(path),
                hint="check that it exists and that you may read it",
            ) from err
    read = getattr(source, "read", None)
    if not callable(read):
        raise DatasetError(
            f"cannot read a {type(source).__name__}",
            where=label,
            hint="pass a file path or an open binary file",
        )
    seekable = getattr(source, "seekable", None)
    if callable(seekable) and seekable():
        # A Streamlit upload is read once for the header preview and again to load it.
        source.seek(0)
    content = read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    Limits.from_env().check_bytes(len(content), label, "the file")
    return bytes(content)


def _read_frame(
    data: bytes,
    label: str,
    fmt: str,
    mapping: Mapping[str, str] | None,
    report: LoadReport,
) -> pd.DataFrame:
    """The file's rows with only the columns we use, renamed to our names."""
    if fmt in ("parquet", "xlsx"):
        columns = _binary_columns(data, label, fmt)
        used = _resolve_columns(columns, mapping, label, report)
        if fmt == "parquet":
            _check_parquet_size(data, label, list(used.values()))
        frame = _read_binary(data, label, fmt, list(used.values()))
        if fmt == "xlsx":
            report.warnings.extend(_other_sheets(data))
    else:
        utf8, encoding, notes = _decode(data, label)
        report.encoding = encoding
        report.warnings.extend(notes)
        if not utf8[:_HEAD].strip() and not utf8.strip():
            raise DatasetError(
                "the file is empty", where=label, hint="choose a file that has statements"
            )
        nuls = utf8.count(b"\x00")
        if nuls:
            line = utf8.count(b"\n", 0, utf8.index(b"\x00")) + 1
            utf8 = utf8.replace(b"\x00", b"")
            report.warnings.append(
                f"{nuls:,} NUL byte(s) removed (the first on line {line}); check that the file "
                "is not damaged"
            )
        lines_n = max(utf8.count(b"\n"), utf8.count(b"\r"))
        Limits.from_env().check_rows(lines_n, label, about=True)
        if fmt == "txt":
            # Any line end: Windows (CRLF), Unix (LF) and old Mac (CR only).
            lines = pd.Series(_LINE_END.split(utf8.decode("utf-8")), dtype="str").str.strip()
            report.columns = {"text": "(one statement per line)"}
            return pd.DataFrame({"text": lines[lines != ""].reset_index(drop=True)})
        if fmt in ("csv", "tsv"):
            delimiter = _sniff_delimiter(utf8, label, fmt)
            if delimiter != "," and fmt == "csv":
                report.warnings.append(f"columns separated by {_DELIMITER_NAMES[delimiter]}")
            frame = _read_csv(utf8, label, delimiter)
        else:
            frame = _read_json(utf8, label, fmt)
        frame.columns = [str(c) for c in frame.columns]
        if fmt in ("csv", "tsv"):
            report.warnings.extend(_repeated_names(list(frame.columns)))
        used = _resolve_columns(list(frame.columns), mapping, label, report)
        frame = frame[list(used.values())]
    frame.columns = list(used.keys())
    return frame


def _decode(data: bytes, label: str) -> tuple[bytes, str, list[str]]:
    """Turn the file's bytes into UTF-8 without a BOM: ``(bytes, encoding, notes)``."""
    head = data[:_HEAD]
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            if encoding == "utf-8-sig":
                return _check_utf8(data[len(bom) :], label), "utf-8", []
            return _transcode(data, encoding, label)
    utf16 = _bomless_utf16(head)
    if utf16:
        return _transcode(data, utf16, label)
    _refuse_binary(head, label)
    try:
        return _check_utf8(data, label), "utf-8", []
    except DatasetError:
        pass
    encoding = _guess_legacy_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        bad = _first_bad_utf8(data)
        line = data.count(b"\n", 0, bad) + 1
        raise DatasetError(
            f"the bytes are neither UTF-8 nor {encoding} text "
            f"(byte 0x{data[bad]:02x} cannot be decoded)",
            where=f"{label}, line {line}",
            hint="save the file as UTF-8 (in Excel: Save As > CSV UTF-8) and load it again",
        ) from err
    line = data.count(b"\n", 0, _first_bad_utf8(data)) + 1
    note = f"read as {encoding} (not valid UTF-8 from line {line}); check accented letters"
    return text.encode("utf-8"), encoding, [note]


def _check_utf8(data: bytes, label: str) -> bytes:
    """Validate UTF-8 in chunks so a large file is never held twice as ``str``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 22
    for start in range(0, len(data), step):
        try:
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, start + err.start) + 1
            raise DatasetError(
                "not valid UTF-8",
                where=f"{label}, line {line}",
                hint="save the file as UTF-8 and load it again",
            ) from err
    return data


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return 0


def _transcode(data: bytes, encoding: str, label: str) -> tuple[bytes, str, list[str]]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].decode(encoding, errors="replace").count("\n") + 1
        raise DatasetError(
            f"the file looks like {encoding.upper()} text but has bytes that cannot be decoded",
            where=f"{label}, near line {line} (byte {err.start:,})",
            hint="save the file again as UTF-8 and load it again",
        ) from err
    name = encoding.upper() if encoding.startswith("utf") else encoding
    return text.lstrip("\ufeff").encode("utf-8"), encoding, [f"read as {name} text"]


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM, from the pattern of its high bytes.

    Mostly-ASCII text has a NUL in every other byte. Text in one other script (Cyrillic,
    Greek, Arabic ...) has the same one or two high bytes (0x04 and 0x00 for Russian) in every
    other position; such text is never valid UTF-8, which is checked first.
    """
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    if not _looks_binary(head):
        return None  # plain text (UTF-8 Cyrillic has the same rhythm, but no control bytes)
    sample = head[: len(head) // 2 * 2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        top_two = sum(n for _, n in Counter(high).most_common(2))
        if top_two < 0.9 * len(high) or len(set(low)) < 8:
            continue
        try:
            text = sample.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            text = sample[:-2].decode(encoding, errors="ignore")  # a pair cut at the end
        printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
        if text and printable >= 0.97 * len(text):
            return encoding
    return None


def _looks_binary(head: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes other than tab and line ends."""
    controls = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)))
    return b"\x00" in head or controls > len(head) * 0.05


def _refuse_binary(head: bytes, label: str) -> None:
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            raise DatasetError(f"this looks like {what}, not text", where=label, hint=hint)
    if _looks_binary(head):
        raise DatasetError(
            "this looks like a binary file, not text (it has NUL or control bytes near the start)",
            where=label,
            hint="choose a CSV, TSV, TXT, JSON, Parquet or Excel file with statements",
        )


def _guess_legacy_encoding(data: bytes) -> str:
    """The most likely Windows code page; cp1252 whenever it decodes the sample just as well."""
    from charset_normalizer import from_bytes

    results = from_bytes(data[:_SNIFF], cp_isolation=_LEGACY_ENCODINGS)
    best = results.best()
    if best is None:
        return "cp1252"
    for match in results:  # a tie (French reads as well in cp1250) goes to cp1252
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return "cp1252"
    return best.encoding


def _sniff_delimiter(utf8: bytes, label: str, fmt: str) -> str:
    """Pick the delimiter that splits the first lines into the most consistent columns.

    Also catches a first data row with more fields than the header, which pandas would
    otherwise silently read by shifting the columns.
    """
    sample = utf8[:_SNIFF].decode("utf-8", errors="ignore")
    if len(utf8) > _SNIFF and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    candidates = ("\t",) if fmt == "tsv" else _DELIMITERS
    best, best_score = candidates[0], (-1.0, 0)
    best_counts: list[tuple[int, int]] = []
    for delimiter in candidates:
        counts: list[tuple[int, int]] = []
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            for row in reader:
                if row:
                    counts.append((reader.line_num, len(row)))
                if len(counts) >= 50:
                    break
        except csv.Error:
            continue
        if not counts or counts[0][1] < 2:
            continue
        same = sum(1 for _, n in counts if n == counts[0][1]) / len(counts)
        score = (same, counts[0][1])
        if score > best_score:
            best, best_score, best_counts = delimiter, score, counts
    if len(best_counts) > 1 and best_counts[1][1] > best_counts[0][1]:
        line, fields = best_counts[1]
        raise DatasetError(
            f"this row has {fields} fields but the header has {best_counts[0][1]}",
            where=f"{label}, line {line}",
            hint=_quoting_hint(best),
        )
    return best


def _repeated_names(columns: list[str]) -> list[str]:
    """A note for header names used twice (pandas reads the second "text" as "text.1")."""
    present = set(columns)
    repeated = sorted(
        {
            m.group(1)
            for c in columns
            if (m := re.fullmatch(r"(.+)\.\d+", c)) and m.group(1) in present
        }
    )
    if not repeated:
        return []
    shown = ", ".join(f"'{n}'" for n in repeated[:5])
    return [
        f"the header names {shown} more than once; the first of each is used and the others "
        "are called name.1, name.2 ... (pick them with a column mapping)"
    ]


def _quoting_hint(delimiter: str) -> str:
    name = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
    return (
        f"check the quoting (a value containing a {name} or a line break must be in double "
        f"quotes) and that the delimiter really is a {name}"
    )


def _read_csv(utf8: bytes, label: str, delimiter: str, nrows: int | None = None) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            # Every column as text: ids like "007" and dates must reach us exactly as written.
            return pd.read_csv(
                io.BytesIO(utf8),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                index_col=False,
                encoding="utf-8",
                nrows=nrows,
            )
    except pd.errors.EmptyDataError as err:
        raise DatasetError(
            "the file is empty", where=label, hint="choose a file that has statements"
        ) from err
    except pd.errors.ParserError as err:
        message = str(err).strip()
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
        if fields:
            expected, line, saw = fields.groups()
            raise DatasetError(
                f"this row has {saw} fields but the header has {expected}",
                where=f"{label}, line {line}",
                hint=_quoting_hint(delimiter),
            ) from err
        eof = re.search(r"EOF inside string starting at row (\d+)", message)
        if eof:
            raise DatasetError(
                "a quoted value is never closed (the file ends inside double quotes)",
                where=f"{label}, row {int(eof.group(1)) + 1}",
                hint='check for a stray double quote ("); quotes inside a value are written ""',
            ) from err
        raise DatasetError(
            f"the file could not be split into columns ({message})",
            where=label,
            hint=_quoting_hint(delimiter),
        ) from err


def _read_json(utf8: bytes, label: str, fmt: str) -> pd.DataFrame:
    text = utf8.decode("utf-8")
    if fmt == "jsonl":
        records: list[Any] = []
        for number, line in enumerate(_LINE_END.split(text), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise DatasetError(
                    f"this line is not valid JSON ({err.msg})",
                    where=f"{label}, line {number}, column {err.colno}",
                    hint="each line of a JSON Lines file must be one complete JSON object",
                ) from err
            if not isinstance(record, dict):
                raise DatasetError(
                    f"expected a JSON object on each line, found {_json_type(record)}",
                    where=f"{label}, line {number}",
                    hint='write one object per line, like {"title": "...", "text": "..."}',
                )
            records.append(record)
        return pd.DataFrame.from_records(records) if records else _no_rows(label)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        hint = "check for a missing comma, bracket or quote just before that point"
        if err.msg == "Extra data":
            hint = "it looks like JSON Lines (one object per line): give it the .jsonl extension"
        raise DatasetError(
            f"not valid JSON ({err.msg})",
            where=f"{label}, line {err.lineno}, column {err.colno}",
            hint=hint,
        ) from err
    items, where = _json_records(document, label)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DatasetError(
                f"item {index} of the list is {_json_type(item)}, not an object",
                where=f"{label}, {where}[{index}]",
                hint='each statement must be an object like {"title": "...", "text": "..."}',
            )
    return pd.DataFrame.from_records(items) if items else _no_rows(label)


def _json_records(document: Any, label: str) -> tuple[list[Any], str]:
    """The list of statement objects in a JSON document, and where it was found."""
    if isinstance(document, list):
        return document, "top-level list"
    if isinstance(document, dict):
        lists = {k: v for k, v in document.items() if isinstance(v, list)}
        for key in _JSON_LIST_KEYS:
            if key in lists:
                return lists[key], f'"{key}"'
        of_objects = [k for k, v in lists.items() if v and isinstance(v[0], dict)]
        if len(of_objects) == 1:
            return lists[of_objects[0]], f'"{of_objects[0]}"'
        keys = ", ".join(f'"{k}"' for k in list(document)[:10]) or "none"
        raise DatasetError(
            f"the JSON object does not hold exactly one list of statements (its keys are {keys})",
            where=label,
            hint='use a list of objects, or an object with the list under "data"',
        )
    raise DatasetError(
        f"the JSON document is {_json_type(document)}, not a list of statements",
        where=label,
        hint='use a list of objects like [{"title": "...", "text": "..."}]',
    )


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _binary_columns(data: bytes, label: str, fmt: str) -> list[str]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return [str(c) for c in pq.ParquetFile(io.BytesIO(data)).schema_arrow.names]
        except Exception as err:  # noqa: BLE001 - pyarrow raises several types for bad files
            raise _corrupt(err, label, "Parquet") from err
    _check_xlsx_size(data, label)
    try:
        header = pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl", nrows=0)
    except Exception as err:  # noqa: BLE001 - openpyxl/zipfile raise many types for bad files
        raise _corrupt(err, label, "Excel .xlsx") from err
    return [str(c) for c in header.columns]


def _check_xlsx_size(data: bytes, label: str) -> None:
    """Refuse a workbook whose XML would take too much memory, from the ZIP directory alone."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _corrupt(err, label, "Excel .xlsx") from err
    Limits.from_env().check_xlsx(size, label)


def _check_parquet_size(data: bytes, label: str, columns: list[str]) -> None:
    """Refuse a Parquet file with too many rows or too much data, from its footer alone."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
        wanted = set(columns)
        size = sum(
            meta.row_group(g).column(c).total_uncompressed_size
            for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)
            if meta.row_group(g).column(c).path_in_schema.split(".")[0] in wanted
        )
    except Exception as err:  # noqa: BLE001 - pyarrow raises several types for bad files
        raise _corrupt(err, label, "Parquet") from err
    limits = Limits.from_env()
    limits.check_rows(meta.num_rows, label)
    limits.check_bytes(size, label, "the columns used")


def _other_sheets(data: bytes) -> list[str]:
    """A note when sheets after the first hold data too (only the first is read)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - the first sheet was read; this is only a note
        return []
    try:
        names = book.sheetnames
        with_data = [
            name
            for name in names[1:]
            if any(
                any(v is not None and str(v).strip() for v in row)
                for row in book[name].iter_rows(max_row=5, values_only=True)
            )
        ]
    finally:
        book.close()
    if not with_data:
        return []
    shown = ", ".join(f"'{n}'" for n in with_data[:5])
    return [
        f"the workbook has data on {len(with_data) + 1} sheets; only the first, '{names[0]}', "
        f"was read (also holding data: {shown}); save another sheet as its own file to load it"
    ]


def _read_binary(data: bytes, label: str, fmt: str, columns: list[str]) -> pd.DataFrame:
    try:
        if fmt == "parquet":
            frame = pd.read_parquet(io.BytesIO(data), columns=columns)
        else:
            wanted = set(columns)
            frame = pd.read_excel(
                io.BytesIO(data),
                sheet_name=0,
                engine="openpyxl",
                dtype=object,  # keep date cells as datetimes and ids as written
                usecols=lambda c: str(c) in wanted,
            )
            frame.columns = [str(c) for c in frame.columns]
    except Exception as err:  # noqa: BLE001 - see _binary_columns
        raise _corrupt(err, label, "Parquet" if fmt == "parquet" else "Excel .xlsx") from err
    return frame[columns]


def _corrupt(err: Exception, label: str, kind: str) -> DatasetError:
    detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
    return DatasetError(
        f"this is not a readable {kind} file ({detail})",
        where=label,
        hint="the file may be damaged or cut short, or have the wrong extension; export it again",
    )


def _no_rows(label: str) -> NoReturn:
    raise DatasetError(
        "the file has no statements (no rows)",
        where=label,
        hint="check that this is the file you meant to load",
    )


def _unexpected(err: Exception, label: str) -> DatasetError:
    detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
    return DatasetError(
        f"the file could not be read ({type(err).__name__}{': ' + detail if detail else ''})",
        where=label,
        hint="check that the file is a complete, valid dataset; if it is, please report this",
    )


# --- columns -----------------------------------------------------------------------------------


def _resolve_columns(
    columns: list[str],
    mapping: Mapping[str, str] | None,
    label: str,
    report: LoadReport,
) -> dict[str, str]:
    """``{our column: their column}`` from the mapping, then from recognised names."""
    found = ", ".join(columns[:30]) + (" ..." if len(columns) > 30 else "")
    explicit: dict[str, str | None] = {}
    for ours, theirs in (mapping or {}).items():
        key = MAPPING_ALIASES.get(ours, ours)
        if key not in COLUMNS:
            raise DatasetError(
                f"the column mapping uses an unknown name '{ours}'",
                where=label,
                hint=f"map any of {', '.join(COLUMNS)}",
            )
        if not theirs:
            explicit[key] = None  # the caller said: this file has no such column
            continue
        match = theirs if theirs in columns else None
        if match is None:
            near = [c for c in columns if normalise_name(c) == normalise_name(theirs)]
            match = near[0] if near else None
        if match is None:
            raise DatasetError(
                f"the column mapping names '{theirs}' for {key}, but there is no such column",
                where=label,
                hint=f"columns found: {found}",
            )
        explicit[key] = match
    taken = {c for c in explicit.values() if c}
    detected = detect_columns([c for c in columns if c not in taken])
    used: dict[str, str] = {}
    for ours in COLUMNS:
        theirs = explicit[ours] if ours in explicit else detected.get(ours)
        if theirs:
            used[ours] = theirs
    if "text" not in used and "title" not in used:
        raise DatasetError(
            f"no column with the statements' text was found (columns found: {found})",
            where=label,
            hint=(
                "pass a mapping such as {'text': 'your column'} or pick the column on the Data page"
            ),
        )
    ignored = [c for c in columns if c not in used.values()]
    if ignored:
        shown = ", ".join(ignored[:10]) + (
            f" and {len(ignored) - 10} more" if len(ignored) > 10 else ""
        )
        report.warnings.append(f"ignored columns: {shown}")
    report.columns = dict(used)
    return used


# --- the standard frame ------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """One cell as text: lists joined with "; ", objects as JSON, bytes decoded - never a repr."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel and JSON with gaps turn integer ids into floats
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(t for t in (_cell_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _as_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped ``str`` with "" for missing; "" everywhere when absent."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype="str")
    values = frame[column]
    if values.dtype == object or pd.api.types.is_float_dtype(values.dtype):
        values = values.map(_cell_text)
    return values.astype("str").fillna("").str.strip()


# Runs of whitespace or any whitespace other than a plain space; spelled out because a plain
# character class keeps pandas on pyarrow's fast regex engine, unlike ``\s``.
_ODD_SPACE = "  |[\t\n\r\v\f\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def _collapse(values: pd.Series) -> pd.Series:
    """Whitespace runs as one space: statements differing only in spacing are the same."""
    odd = values.str.contains(_ODD_SPACE, regex=True).to_numpy(dtype=bool)
    if not odd.any():
        return values
    fixed = values[odd].map(lambda v: " ".join(v.split())).astype("str")
    return values.mask(odd, fixed)


def _standardise(raw: pd.DataFrame, label: str, report: LoadReport) -> pd.DataFrame:
    report.rows_read = len(raw)
    if raw.empty:
        raise DatasetError(
            "the file has column names but no rows of statements",
            where=label,
            hint="check that this is the file you meant to load",
        )
    raw = raw.reset_index(drop=True)
    title, text = _as_text(raw, "title"), _as_text(raw, "text")
    has_text = ((title != "") | (text != "")).to_numpy()
    report.empty_text = int((~has_text).sum())
    if not has_text.any():
        theirs = [report.columns[c] for c in ("title", "text") if c in report.columns]
        raise DatasetError(
            "every row has an empty text",
            where=f"{label}, column {' and '.join(theirs) or 'text'}",
            hint="pick the column that holds the statements (mapping or the Data page)",
        )
    if not has_text.all():
        raw, title, text = raw[has_text], title[has_text], text[has_text]

    outside = np.zeros(len(raw), dtype=bool)
    if "date" in raw.columns:
        parsed = parse_dates_detailed(raw["date"])
        dates, precision = parsed.dates, parsed.precision
        report.warnings.extend(parsed.warnings)
        report.date_order = parsed.order
        if parsed.order and not parsed.warnings:  # an ambiguity warning already says it
            report.warnings.append(
                f"numeric dates read as {parsed.order} ({parsed.order_evidence})"
            )
        outside = parsed.outside
        raw_dates = _as_text(raw, "date")
    else:
        dates = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        precision = pd.Series(
            pd.Categorical(["none"] * len(raw), dtype=PRECISION_DTYPE), index=raw.index
        )
        raw_dates = pd.Series("", index=raw.index, dtype="str")
    url = _as_text(raw, "url")

    # The content key: the identity of a statement without a given id (its hashed id).
    key = (
        _collapse(title)
        + "\x1f"
        + _collapse(text)
        + "\x1f"
        + _date_keys(dates, precision, raw_dates)
        + "\x1f"
        + _collapse(url)
    )
    # Only exact duplicates go: a joint statement given twice with different ids, or by
    # different parties or countries, is two statements.
    report.duplicate_key = ["id", "title", "text", "date", "url"]
    source_key = pd.Series("", index=raw.index, dtype="str")
    for column in CATEGORY_COLUMNS:
        if column in raw.columns:
            source_key = source_key + "\x1f" + _collapse(_as_text(raw, column))
            report.duplicate_key.append(report.columns.get(column, column))
    if (source_key != "").any():
        key = key + source_key  # files without such columns keep their old hashed ids
    duplicate = (key + "\x1f" + _as_text(raw, "id")).duplicated().to_numpy()
    report.duplicates = int(duplicate.sum())
    if report.duplicates:
        keep = ~duplicate
        raw, title, text, url = raw[keep], title[keep], text[keep], url[keep]
        dates, precision, key = dates[keep], precision[keep], key[keep]
        outside = outside[keep]
        if "date" in raw.columns:
            raw_dates = raw_dates[keep]
        report.warnings.append(
            f"{report.duplicates:,} duplicate row(s) dropped: {report.duplicate_rule()}"
        )

    ids = _as_text(raw, "id")
    missing = (ids == "").to_numpy()
    if missing.any():
        hashed = [
            "s-" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:16] for k in key[missing].tolist()
        ]
        ids = ids.mask(missing, pd.Series(hashed, index=ids.index[missing], dtype="str"))
    ids = _unique_ids(ids, report)

    columns = {
        "id": ids,
        "title": title,
        "text": text,
        "date": dates.astype("datetime64[ns]"),
        "date_precision": precision.astype(PRECISION_DTYPE),
        "url": url,
    }
    df = pd.DataFrame({k: v.reset_index(drop=True) for k, v in columns.items()})
    for column in CATEGORY_COLUMNS:
        if column in raw.columns:
            values = _as_text(raw, column)
            df[column] = values.mask(values == "").astype("category").reset_index(drop=True)

    undated = df["date"].isna().to_numpy()
    report.rows_kept = len(df)
    report.undated = int(undated.sum())
    if "date" in raw.columns:
        report.out_of_range_dates = int(outside.sum())
        if report.out_of_range_dates:
            examples = ", ".join(f"'{v}'" for v in raw_dates[outside].unique()[:3])
            report.warnings.append(
                f"{report.out_of_range_dates:,} date(s) lie outside the years "
                f"{NS_FIRST_YEAR}-{NS_LAST_YEAR} the dashboard can show (e.g. {examples}); "
                "those statements are kept undated, not moved to another date"
            )
        unparsed = undated & (raw_dates != "").to_numpy() & ~outside
        report.unparsed_dates = int(unparsed.sum())
        if report.unparsed_dates:
            examples = ", ".join(f"'{v}'" for v in raw_dates[unparsed].unique()[:3])
            report.warnings.append(
                f"{report.unparsed_dates:,} date(s) could not be read (e.g. {examples}); "
                "those statements are undated"
            )
    return df


def _date_keys(dates: pd.Series, precision: pd.Series, raw_dates: pd.Series) -> pd.Series:
    """The date part of a statement's identity, written at its precision ("2015-10").

    Unreadable dates use the text as written so two statements differing only there stay apart.
    """
    keys = format_at(dates, precision, "key").fillna("")
    return keys.mask(dates.isna().to_numpy(), raw_dates)


def _unique_ids(ids: pd.Series, report: LoadReport) -> pd.Series:
    """Make repeated given ids unique with "-2", "-3" suffixes, in file order."""
    repeat = ids.groupby(ids, sort=False).cumcount().to_numpy()
    if not repeat.any():
        return ids
    clashes = ids[repeat > 0].unique()
    fixed = ids.mask(repeat > 0, ids + "-" + pd.Series(repeat + 1, index=ids.index).astype("str"))
    # A suffixed id could itself exist already ("a-2"); repeat until every id is unique.
    while fixed.duplicated().any():
        again = fixed.groupby(fixed, sort=False).cumcount().to_numpy()
        fixed = fixed.mask(
            again > 0, fixed + "-" + pd.Series(again + 1, index=ids.index).astype("str")
        )
    examples = ", ".join(f"'{v}'" for v in clashes[:3])
    report.warnings.append(
        f"{len(clashes):,} ids are used by more than one statement (e.g. {examples}); "
        'the later ones got "-2", "-3", ... added'
    )
    return fixed
