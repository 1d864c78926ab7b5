"""The topic taxonomy: reading and checking ``data/topics.toml`` (or a user's file) into a
``Taxonomy``, and tagging statements with topic ids.

Each topic's patterns are turned into one combined regular expression that both engines
understand: pyarrow's RE2 (used by pandas' vectorised ``str.contains`` for the whole column) and
Python's ``re`` (used by ``explain_matches`` for one statement). Word boundaries are spelt as
explicit ASCII classes rather than ``\\b`` because pandas sends ``\\b`` to slow per-row Python as
soon as a column holds any non-ASCII text. ``[ignore]`` phrases (party and organisation names
such as "Workers' Party") are blanked before matching. A statement no topic matches gets
``["other"]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.errors import DatasetError
from dashboard.reference import reference_reader

OTHER = "other"
OTHER_LABEL = "Other"
TAXONOMY_FILE = "topics.toml"

_ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_TOPIC_KEYS = {"id", "label", "description", "patterns", "unless"}
# Characters that end a word. ASCII-only, like RE2's \b, so both engines agree.
_WORD = "A-Za-z0-9_"
_GAP = "[ \t\r\n\u00a0\u2009\u202f\\-\u2010\u2011\u2013]"
_APOSTROPHE = "['\u2019]?"


@dataclass(frozen=True)
class Topic:
    """One topic: its id, display label, description and the patterns as written."""

    id: str
    label: str
    description: str
    patterns: tuple[str, ...]
    regex: str = field(repr=False)
    unless: tuple[str, ...] = ()
    unless_regex: str = field(default="", repr=False)

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        """Python twin of ``regex`` for ``explain_matches``, compiled on first use."""
        return _python_regex(self.regex)

    @cached_property
    def compiled_unless(self) -> re.Pattern[str] | None:
        """Python twin of ``unless_regex`` (None when the topic has no ``unless``)."""
        return re.compile(self.unless_regex, re.IGNORECASE) if self.unless_regex else None


@dataclass(frozen=True)
class Taxonomy:
    """Topics in file order, plus the phrases blanked before matching."""

    topics: tuple[Topic, ...]
    ignore: tuple[str, ...] = ()
    ignore_regex: str = field(default="", repr=False)
    source: str = ""

    @property
    def ids(self) -> list[str]:
        """Topic ids in file order, without the ``other`` fallback."""
        return [t.id for t in self.topics]

    def with_ignored(self, phrases: Iterable[str]) -> Taxonomy:
        """A copy that also blanks ``phrases`` (taken literally, e.g. party names)."""
        extra = tuple(p for p in dict.fromkeys(phrases) if p and p.strip())
        if not extra:
            return self
        literal = [_literal_regex(p) for p in extra]
        parts = [self.ignore_regex, *literal] if self.ignore_regex else literal
        return replace(self, ignore=self.ignore + extra, ignore_regex="|".join(parts))


def _literal_regex(phrase: str) -> str:
    """A phrase matched exactly (case aside) as whole words."""
    body = (_GAP + "+").join(re.escape(w) for w in phrase.split())
    return _bounded(body, phrase.replace("*", "."))


_HEAD = f"(?:^|[^{_WORD}])"
_TAIL = f"(?:[^{_WORD}]|\\Z)"


def _bounds(phrase: str) -> tuple[bool, bool]:
    """Whether ``phrase`` needs a word boundary at its start and at its end."""
    return bool(re.match(rf"[{_WORD}]", phrase)), bool(re.search(rf"[{_WORD}*]\Z", phrase))


def _bounded(body: str, phrase: str) -> str:
    """``body`` with word boundaries at whichever ends of ``phrase`` are word characters."""
    head, tail = _bounds(phrase)
    return f"{_HEAD if head else ''}(?:{body}){_TAIL if tail else ''}"


def _combine(patterns: Iterable[str]) -> str:
    """One regex for many patterns, sharing the boundary classes.

    Alternatives with the same boundaries are grouped under one head and tail; repeating the
    boundary classes in every alternative makes RE2 compile many times slower.
    """
    groups: dict[tuple[bool, bool], list[str]] = {}
    raw: list[str] = []
    for p in patterns:
        if p.startswith("re:"):
            raw.append(pattern_regex(p))
        else:
            groups.setdefault(_bounds(p), []).append(_phrase_body(p))
    parts = [
        f"{_HEAD if head else ''}(?:{'|'.join(bodies)}){_TAIL if tail else ''}"
        for (head, tail), bodies in groups.items()
    ]
    return "|".join(parts + raw)


def _inflect(word: str) -> str:
    """Regex for the last word of a phrase, also matching its regular plural."""
    if word.endswith("*"):
        return re.escape(word[:-1]) + f"[{_WORD}]*"
    esc = re.escape(word)
    if re.search(r"[^aeiou]y\Z", word, re.IGNORECASE):
        return re.escape(word[:-1]) + "(?:y|ies)"
    if re.search(r"(?:s|x|z|ch|sh)\Z", word, re.IGNORECASE):
        return esc + "(?:es)?"
    if re.search(r"[A-Za-z]\Z", word):
        return esc + "s?"
    return esc


def _word_regex(word: str, last: bool) -> str:
    """Regex for one word of a phrase: hyphens and apostrophes may vary or be absent."""
    word_re = _inflect(word) if last else re.escape(word)
    word_re = word_re.replace("\\-", _GAP + "?")
    return word_re.replace("'", _APOSTROPHE).replace("\u2019", _APOSTROPHE)


def pattern_regex(pattern: str) -> str:
    """The regex source for one taxonomy pattern (phrase syntax or ``re:`` raw regex)."""
    if pattern.startswith("re:"):
        return f"(?:{pattern[3:]})"
    return _bounded(_phrase_body(pattern), pattern)


def _phrase_body(pattern: str) -> str:
    """The regex for a phrase pattern, without its word boundaries."""
    words = pattern.split()
    return (_GAP + "+").join(_word_regex(w, i == len(words) - 1) for i, w in enumerate(words))


def _re2(source: str) -> str:
    """RE2 spelling of a Python regex: RE2 writes the end-of-text anchor ``\\z``."""
    return source.replace("\\Z", "\\z")


def _check_regex(source: str, where: str, what: str) -> None:
    """Raise a DatasetError unless both Python's re and pyarrow's RE2 accept ``source``."""
    try:
        re.compile(source)
    except re.error as err:
        raise DatasetError(
            f"{what} is not a valid regular expression ({err})",
            where=where,
            hint="Fix the pattern, or drop the 're:' prefix to match it as plain words",
        ) from None
    try:
        # pandas rewrites Python's \\Z to RE2's \\z before calling pyarrow; do the same here.
        pc.match_substring_regex(pa.array([""]), _re2(source), ignore_case=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise DatasetError(
            f"{what} uses regex syntax the fast matcher (RE2) does not support ({err})",
            where=where,
            hint="Remove look-arounds (?=, (?!, (?<=) and back-references (\\1)",
        ) from None


def _string_list(value: Any, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(
            f"'{key}' must be a list of strings",
            where=where,
            hint=f'Write it as {key} = ["first", "second"]',
        )
    return value


def _build_topic(raw: Any, n: int, path: str, seen: set[str]) -> Topic:
    where = f"{path}, topic #{n}"
    if not isinstance(raw, dict):
        raise DatasetError("a topic must be a [[topic]] table", where=where)
    tid = raw.get("id")
    if isinstance(tid, str) and tid:
        where = f"{path}, topic '{tid}'"
    unknown = sorted(set(raw) - _TOPIC_KEYS)
    if unknown:
        raise DatasetError(
            f"unknown key(s) {', '.join(unknown)}",
            where=where,
            hint="A topic has only id, label, description, patterns and unless",
        )
    for key in ("id", "label", "patterns"):
        if key not in raw:
            raise DatasetError(f"the topic has no '{key}'", where=where, hint=f"Add {key} = ...")
    if not isinstance(tid, str) or not _ID_RE.match(tid):
        raise DatasetError(
            f"id {tid!r} is not a slug",
            where=where,
            hint="Use lower-case letters, digits and _ starting with a letter, e.g. 'trade_unions'",
        )
    if tid == OTHER:
        raise DatasetError(
            "id 'other' is reserved for statements no topic matches",
            where=where,
            hint="Choose another id",
        )
    if tid in seen:
        raise DatasetError(
            f"id '{tid}' is used by more than one topic",
            where=where,
            hint="Give each topic its own id, or merge their patterns",
        )
    label, description = raw["label"], raw.get("description", "")
    if not isinstance(label, str) or not label.strip():
        raise DatasetError("'label' must be a non-empty string", where=where)
    if not isinstance(description, str):
        raise DatasetError("'description' must be a string", where=where)
    patterns = _string_list(raw["patterns"], where, "patterns")
    patterns = [p.strip() for p in patterns if p.strip()]
    if not patterns:
        raise DatasetError("the topic has no patterns", where=where, hint="Add at least one")
    for p in patterns:
        # Phrases are escaped text and always compile; only raw regexes need checking.
        if p.startswith("re:"):
            _check_regex(pattern_regex(p), where, f"pattern {p!r}")
    regex = _combine(patterns)
    unless = [u.strip() for u in _string_list(raw.get("unless", []), where, "unless") if u.strip()]
    for u in unless:
        if u.startswith("re:"):
            _check_regex(pattern_regex(u), where, f"unless {u!r}")
    return Topic(
        id=tid,
        label=label.strip(),
        description=description.strip(),
        patterns=tuple(patterns),
        regex=regex,
        unless=tuple(unless),
        unless_regex=_combine(unless) if unless else "",
    )


def _python_regex(regex: str) -> re.Pattern[str]:
    """Python twin of a topic regex with the boundary classes as look-arounds, so a match is
    just the words (no delimiters) and neighbouring words ("war, war") are all found."""
    regex = regex.replace(_HEAD, f"(?<![{_WORD}])").replace(_TAIL, f"(?![{_WORD}])")
    return re.compile(regex, re.IGNORECASE)


@reference_reader(TAXONOMY_FILE)
def load_taxonomy(file: Path) -> Taxonomy:
    """Read and check a taxonomy file (default ``data/topics.toml``), cached until it changes.

    Raises ``DatasetError`` naming the file and topic for a missing file, bad TOML, missing or
    unknown keys, a bad id, a duplicate id, an invalid regex, or a file without topics.
    """
    where = str(file)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(
            "the topic taxonomy file does not exist",
            where=where,
            hint="Check the path, or omit it to use the bundled data/topics.toml",
        ) from None
    except UnicodeDecodeError:
        raise DatasetError("the file is not UTF-8 text", where=where) from None
    except tomllib.TOMLDecodeError as err:
        raise DatasetError(
            f"the file is not valid TOML ({err})",
            where=where,
            hint="Compare it with the bundled data/topics.toml; each topic is a [[topic]] block",
        ) from None
    topics_raw = raw.get("topic")
    if not topics_raw:
        raise DatasetError(
            "the file defines no topics",
            where=where,
            hint='Add at least one [[topic]] block with id, label and patterns (note: "topic", '
            "singular)",
        )
    if not isinstance(topics_raw, list):
        raise DatasetError("'topic' must be written as [[topic]] blocks", where=where)
    seen: set[str] = set()
    topics = []
    for n, item in enumerate(topics_raw, start=1):
        topic = _build_topic(item, n, where, seen)
        seen.add(topic.id)
        topics.append(topic)
    ignore_table = raw.get("ignore", {})
    if not isinstance(ignore_table, dict):
        raise DatasetError("[ignore] must be a table with a 'phrases' list", where=where)
    ignore = _string_list(ignore_table.get("phrases", []), f"{where}, [ignore]", "phrases")
    ignore = [p.strip() for p in ignore if p.strip()]
    for p in ignore:
        if p.startswith("re:"):
            _check_regex(pattern_regex(p), f"{where}, [ignore]", f"phrase {p!r}")
    return Taxonomy(
        topics=tuple(topics),
        ignore=tuple(ignore),
        ignore_regex=_combine(ignore),
        source=where,
    )


def _as_arrow(texts: pd.Series) -> pa.Array | pa.ChunkedArray:
    """``texts`` as an Arrow string array with missing values as ""."""
    dtype = pd.StringDtype(storage="pyarrow", na_value=np.nan)
    return pc.fill_null(pa.array(texts.astype(dtype).array), "")


def tag_topics(texts: pd.Series, taxonomy: Taxonomy) -> pd.Series:
    """Per row, the list of matching topic ids in taxonomy order (``["other"]`` if none).

    One vectorised RE2 pass per topic over the whole column (pyarrow's kernel, the one pandas'
    ``str.contains`` uses for its pyarrow strings, called directly so that pandas never falls
    back to per-row Python); the boolean columns become lists with numpy and pyarrow.
    """
    arr = _as_arrow(texts)
    if taxonomy.ignore_regex:
        # The ignore regex eats the delimiters around a phrase; a space keeps words apart.
        arr = pc.replace_substring_regex(arr, "(?i)" + _re2(taxonomy.ignore_regex), " ")
    ids = np.array([*taxonomy.ids, OTHER], dtype=object)
    hits = np.zeros((len(texts), len(ids)), dtype=bool)
    for j, topic in enumerate(taxonomy.topics):
        matched = pc.match_substring_regex(arr, _re2(topic.regex), ignore_case=True)
        hits[:, j] = matched.to_numpy(zero_copy_only=False)
        if topic.unless_regex and hits[:, j].any():
            hits[:, j] = _recheck_unless(arr, hits[:, j], topic)
    hits[:, -1] = ~hits[:, :-1].any(axis=1)
    rows, cols = np.nonzero(hits)  # row-major, so each row's topics stay in taxonomy order
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(texts)), out=offsets[1:])
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(ids[cols], type=pa.string()))
    return pd.Series(lists.to_pylist(), index=texts.index, dtype=object, name="topics")


def _recheck_unless(arr: pa.Array, matched: np.ndarray, topic: Topic) -> np.ndarray:
    """``matched`` with the rows whose only matches lie inside an ``unless`` phrase cleared
    ("air strike" is not a labour strike). Only matched rows holding such a phrase are looked
    at again, with those phrases blanked, so the cost follows the (few) rows concerned."""
    rows = np.flatnonzero(matched)
    subset = arr.take(pa.array(rows))
    unless = "(?i)" + _re2(topic.unless_regex)
    has = pc.match_substring_regex(subset, unless).to_numpy(zero_copy_only=False)
    if not has.any():
        return matched
    blanked = pc.replace_substring_regex(subset.filter(pa.array(has)), unless, " ")
    still = pc.match_substring_regex(blanked, _re2(topic.regex), ignore_case=True)
    out = matched.copy()
    out[rows[has]] = still.to_numpy(zero_copy_only=False)
    return out


def explain_matches(text: str, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Topic id -> the words that matched in ``text`` (unique, in order of appearance).

    Keys are exactly the topics ``tag_topics`` gives the same text; ``{"other": []}`` when
    nothing matches.
    """
    clean = text or ""
    if taxonomy.ignore_regex:
        clean = re.sub(taxonomy.ignore_regex, " ", clean, flags=re.IGNORECASE)
    out: dict[str, list[str]] = {}
    for topic in taxonomy.topics:
        words: dict[str, str] = {}
        own = topic.compiled_unless.sub(" ", clean) if topic.compiled_unless else clean
        for m in topic.compiled.finditer(own):
            words.setdefault(m.group(0).casefold(), m.group(0))
        if words:
            out[topic.id] = list(words.values())
    return out or {OTHER: []}


def topic_labels(taxonomy: Taxonomy) -> dict[str, str]:
    """Topic id -> display label, in taxonomy order, ending with ``other``."""
    labels = {t.id: t.label for t in taxonomy.topics}
    labels[OTHER] = OTHER_LABEL
    return labels
