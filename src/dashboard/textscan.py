"""One fast multi-pattern scanner shared by party linking and country detection.

``TextScanner`` compiles ``(pattern, key)`` pairs into one Aho-Corasick automaton over
lower-cased text and scans a whole Series of texts at once: the texts are joined into one string,
the automaton walks it once, and match positions are mapped back to rows with
``np.searchsorted``. Short all-caps names ("US", "KKE", "CPI(M)") must match as written: their
case is checked afterwards, vectorised, against the original text. Word boundaries and "longest
match wins" are enforced with numpy on the match arrays, so the only per-item Python work is
collecting the (few) raw matches. Text normalisation is length-preserving (curly quotes and
dashes to ASCII, odd whitespace to a space, per-character lowercasing) so that match positions
are positions in the original text. ``PreparedTexts`` holds the joined and normalised texts so
that several scanners share that work, and ``TextScanner.merged`` lets several pattern sets
(parties, countries) share one walk over the text.
"""

from __future__ import annotations

import functools
import gc
import itertools
import re
from collections.abc import Collection, Iterable, Sequence

import ahocorasick
import numpy as np
import pandas as pd

SEPARATOR = "\x00"

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
_DQUOTES = {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_SPACES = {c: " " for c in "\t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"}
_SPACES.update({c: " " for c in "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"})
_BASE = {**_QUOTES, **_DQUOTES, **_DASHES, **_SPACES}
# A regex over the few special characters is far faster than str.translate with a table on
# mostly-ASCII text (translate looks every character up in a dict).
_SPECIAL = re.compile("[" + "".join(_BASE) + "]")


def _replace_special(match: re.Match[str]) -> str:
    return _BASE[match.group()]


# ASCII word characters as a lookup table; other code points are classified lazily.
_ASCII_WORD = np.array([chr(i).isalnum() for i in range(128)], dtype=bool)

_EXACT_WIDTH = 10

# Characters of lower-cased news text, most frequent first (see TextScanner._build).
_COMMON_CHARS = " etaoinsrhldcumfpgwybv,.k-'\"()0123456789:;/jxqz\x00"
_STUB_END = "\x01"


def normalise(text: str, *, fold: bool) -> str:
    """The length-preserving normal form used for both patterns and texts."""
    mapped = _SPECIAL.sub(_replace_special, text)
    return _fold(mapped) if fold else mapped


def _fold(mapped: str) -> str:
    # "İ".lower() is two characters and would shift every later position; it is the only such
    # character in Unicode today. Mapping it to "i" also lets "Izmir" match "İzmir".
    if "\u0130" in mapped:
        mapped = mapped.replace("\u0130", "i")
    lowered = mapped.lower()
    if len(lowered) != len(mapped):
        # Slow path for a future length-changing character: keep such characters as they are.
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in mapped)
    return lowered


def clean_pattern(pattern: str) -> str:
    """Collapse runs of whitespace in a pattern (texts keep theirs, so positions stay exact)."""
    return " ".join(pattern.replace(SEPARATOR, " ").split())


def is_case_sensitive(pattern: str) -> bool:
    """True for short all-caps names ("US", "KP", "CPI(M)", "U.S.") that must match as written.

    Lower-cased they are ordinary words ("us") or noise, so they are matched exactly; longer
    names and anything with a lower-case letter match in any case.
    """
    if pattern != pattern.upper():  # a lower-case letter: the common case, decided in C
        return False
    letters = [c for c in pattern if c.isalpha()]
    return bool(letters) and len(letters) <= 5


def _is_spaced_word_char(char: str) -> bool:
    # Scripts written without spaces (CJK, kana) have no word boundaries to check.
    return char.isalnum() and ord(char) < 0x2E80


def _word_mask(codepoints: np.ndarray) -> np.ndarray:
    """Whether each code point is a letter or digit (vectorised; non-ASCII looked up once each)."""
    out = np.zeros(len(codepoints), dtype=bool)
    ascii_ = codepoints < 128
    out[ascii_] = _ASCII_WORD[codepoints[ascii_]]
    other = ~ascii_
    if other.any():
        uniq, inverse = np.unique(codepoints[other], return_inverse=True)
        flags = np.fromiter((chr(c).isalnum() for c in uniq), dtype=bool, count=len(uniq))
        out[other] = flags[inverse]
    return out


def as_text_list(texts: pd.Series | Sequence[str]) -> list[str]:
    """Texts as a plain list of str, missing values as ""."""
    values = texts.tolist() if isinstance(texts, pd.Series) else list(texts)
    return [
        t if type(t) is str else "" if t is None or t != t else str(t)  # noqa: PLR0124 - NaN
        for t in values
    ]


def _collapse_spaces(text: str) -> str:
    """Runs of spaces, line breaks and tabs as one space (str.replace runs at C speed)."""
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


class PreparedTexts:
    """Texts joined with a separator and normalised once, ready for any number of scanners.

    Runs of whitespace (a line break inside "Sudanese Communist \nParty", double spaces) are
    collapsed to one space in ``items`` (and so in every match position reported against them),
    so a name broken over a line still matches.
    """

    def __init__(self, texts: pd.Series | Sequence[str]) -> None:
        # Only texts holding two spaces, a line break or a tab can hold a run of whitespace;
        # the substring checks run at C speed, and so do the replacements.
        items = [
            _collapse_spaces(t) if ("  " in t or "\n" in t or "\t" in t or "\r" in t) else t
            for t in as_text_list(texts)
        ]
        collapsed = SEPARATOR.join(items)
        self.items: list[str] = items
        self.n = len(self.items)
        lengths = np.fromiter(map(len, self.items), dtype=np.int64, count=self.n)
        self.row_start = np.zeros(self.n, dtype=np.int64)
        if self.n:
            np.cumsum(lengths[:-1] + 1, out=self.row_start[1:])
        self.joined = collapsed

    @functools.cached_property
    def exact(self) -> str:
        """The joined text with quotes, dashes and spaces normalised (case kept)."""
        return normalise(self.joined, fold=False)

    @functools.cached_property
    def folded(self) -> str:
        """``exact`` lower-cased: the text the automaton walks."""
        return _fold(self.exact)

    @functools.cached_property
    def codepoints(self) -> np.ndarray:
        """Code points of ``exact``: for word boundaries and the case of case-sensitive names."""
        return np.frombuffer(self.exact.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    def __len__(self) -> int:
        return self.n


def prepare(texts: pd.Series | Sequence[str] | PreparedTexts) -> PreparedTexts:
    """``texts`` joined and normalised once (returned as is when already prepared)."""
    return texts if isinstance(texts, PreparedTexts) else PreparedTexts(texts)


def _iter_matches(automaton: ahocorasick.Automaton, text: str) -> tuple[np.ndarray, np.ndarray]:
    """End positions and values of every raw match, straight into numpy.

    Flattening the ``(end, value)`` tuples into ``np.fromiter`` frees each tuple at once; a list
    of them would keep hundreds of thousands alive and wake the garbage collector again and again.
    """
    flat = np.fromiter(itertools.chain.from_iterable(automaton.iter(text)), dtype=np.int64)
    pairs = flat.reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def keep_longest(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Indices of the spans that survive "longest match wins" (input sorted by start, -end).

    A span strictly inside another is dropped; identical spans are all kept (one pattern naming
    several keys). Partial overlaps - rare - keep the longer span, the earlier one on a tie.
    """
    if len(start) == 0:
        return np.empty(0, np.int64)
    first_of_group = np.ones(len(start), dtype=bool)
    first_of_group[1:] = (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    group_start = np.maximum.accumulate(np.where(first_of_group, np.arange(len(start)), 0))
    prev_max_end = np.empty(len(end), dtype=np.int64)
    prev_max_end[0] = -1
    prev_max_end[1:] = np.maximum.accumulate(end)[:-1]
    contained = prev_max_end[group_start] >= end
    keep = np.flatnonzero(~contained)
    # Distinct surviving spans now have increasing starts and ends; any overlap is partial.
    s, e = start[keep], end[keep]
    distinct = np.ones(len(keep), dtype=bool)
    distinct[1:] = (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    d_idx = np.flatnonzero(distinct)
    ds, de = s[d_idx], e[d_idx]
    overlaps = np.flatnonzero(ds[1:] < de[:-1])
    if len(overlaps) == 0:
        return keep
    # Clusters of overlapping spans: a new cluster starts where a span begins at or after the
    # end of every earlier one. Only clusters of two or more spans (few) are walked in Python.
    reach = np.maximum.accumulate(de)
    new_cluster = np.ones(len(ds), dtype=bool)
    new_cluster[1:] = ds[1:] >= reach[:-1]
    cluster_id = np.cumsum(new_cluster) - 1
    sizes = np.bincount(cluster_id)
    members = np.flatnonzero(sizes[cluster_id] > 1)
    drop_span: set[int] = set()
    for _, group in itertools.groupby(members.tolist(), key=lambda j: int(cluster_id[j])):
        drop_span.update(_resolve_cluster(list(group), ds, de))
    span_of_keep = np.cumsum(distinct) - 1
    dropped = np.isin(span_of_keep, np.fromiter(drop_span, dtype=np.int64))
    return keep[~dropped]


def _resolve_cluster(cluster: list[int], ds: np.ndarray, de: np.ndarray) -> list[int]:
    if len(cluster) < 2:
        return []
    remaining = sorted(cluster, key=lambda j: (-(de[j] - ds[j]), ds[j]))
    kept: list[int] = []
    dropped: list[int] = []
    for j in remaining:
        if any(ds[j] < de[k] and ds[k] < de[j] for k in kept):
            dropped.append(j)
        else:
            kept.append(j)
    return dropped


class TextScanner:
    """Find many names in many texts at once; build once, scan any number of Series."""

    def __init__(
        self, pairs: Iterable[tuple[str, str]], *, case_sensitive: Collection[str] = ()
    ) -> None:
        """Compile ``(pattern, key)`` pairs.

        A pattern is matched case-sensitively when ``is_case_sensitive(pattern)`` or when it is
        listed in ``case_sensitive``. One pattern may carry several keys (an ambiguous
        abbreviation); every key is then reported for the same span. Empty patterns are ignored.
        """
        self._sources = [(list(pairs), frozenset(clean_pattern(p) for p in case_sensitive))]
        # Keys are known at once; the automaton is compiled on first use, so a scanner that
        # is only ever merged into another (enrich's party scanner) is never compiled alone.
        seen: dict[str, None] = {}
        for raw, key in self._sources[0][0]:
            if key not in seen and clean_pattern(raw):
                seen[key] = None
        self.keys: list[str] = list(seen)

    @classmethod
    def merged(cls, scanners: Sequence[TextScanner]) -> TextScanner:
        """One scanner doing the work of several in one pass per automaton (see ``scan_each``).

        Longest-match resolution stays within each original scanner, so the results are the
        same as scanning with each of them, at the cost of one walk over the text instead of
        one per scanner.
        """
        obj = cls.__new__(cls)
        obj._sources = [source for scanner in scanners for source in scanner._sources]
        obj.keys = []
        return obj

    def __getattr__(self, name: str) -> object:
        # Only reached for attributes not set yet: the compiled tables, built on first use.
        if name.startswith("__") or name in ("_sources", "keys") or "_built" in self.__dict__:
            raise AttributeError(name)
        self._build()
        return object.__getattribute__(self, name)

    def _build(self) -> None:
        table: dict[tuple[bool, str], int] = {}
        pattern_keys: list[list[int]] = []
        patterns: list[str] = []
        exact_forms: list[str] = []
        slots: dict[str, list[int]] = {}
        key_codes: dict[tuple[int, str], int] = {}
        for group, (pairs, forced) in enumerate(self._sources):
            for raw, key in pairs:
                pattern = clean_pattern(raw)
                if not pattern:
                    continue
                exact = pattern in forced or is_case_sensitive(pattern)
                folded = normalise(pattern, fold=True)
                form = normalise(pattern, fold=False) if exact else ""
                code = key_codes.setdefault((group, key), len(key_codes))
                pid = table.setdefault((exact, form or folded), len(patterns))
                if pid == len(patterns):
                    patterns.append(pattern)
                    exact_forms.append(form)
                    pattern_keys.append([])
                    slots.setdefault(folded, []).append(pid)
                if code not in pattern_keys[pid]:
                    pattern_keys[pid].append(code)
        self._key_group = np.fromiter((g for g, _ in key_codes), dtype=np.int64)
        # Per group, its keys in order of first appearance and each global code's local code.
        self._group_keys: list[list[str]] = [[] for _ in self._sources]
        local = np.zeros(len(key_codes), dtype=np.int64)
        for code, (group, key) in enumerate(key_codes):
            local[code] = len(self._group_keys[group])
            self._group_keys[group].append(key)
        self._local_code = local
        self.keys = self._group_keys[0] if len(self._sources) == 1 else []
        self.patterns: list[str] = patterns
        self._built = True
        # One automaton over the lower-cased text holds every pattern, case-sensitive ones
        # lower-cased too: a second walk over the text costs more than checking the case of
        # the few extra raw matches afterwards. A slot is one lower-cased form; several
        # patterns may share it ("US" exact and "Us" in any case).
        self._automaton = ahocorasick.Automaton()
        # pyahocorasick looks a character up among a node's children one by one, in the order
        # they were added, and most characters of a text are looked up at the root. Adding the
        # characters of ordinary text first, most frequent first, makes the walk several times
        # faster. These stub words ("e" + "\x01") lead to slot 0, which names no pattern.
        slot_pids: list[list[int]] = [[]]
        for char in _COMMON_CHARS:
            self._automaton.add_word(char + _STUB_END, 0)
        for folded, pids in slots.items():
            self._automaton.add_word(folded, len(slot_pids))
            slot_pids.append(pids)
        self._automaton.make_automaton()
        per_slot = np.fromiter((len(p) for p in slot_pids), dtype=np.int64, count=len(slot_pids))
        self._slot_ptr = np.concatenate([[0], np.cumsum(per_slot)]).astype(np.int64)
        self._slot_count = per_slot
        self._slot_flat = np.fromiter(
            (p for ps in slot_pids for p in ps), dtype=np.int64, count=int(per_slot.sum())
        )
        n = len(patterns)
        self._length = np.fromiter((len(p) for p in patterns), dtype=np.int64, count=n)
        self._word_first = np.fromiter(
            (_is_spaced_word_char(p[0]) for p in patterns), dtype=bool, count=n
        )
        self._word_last = np.fromiter(
            (_is_spaced_word_char(p[-1]) for p in patterns), dtype=bool, count=n
        )
        self._exact = np.fromiter((bool(f) for f in exact_forms), dtype=bool, count=n)
        # Code points of each case-sensitive form, padded with 0, for a vectorised compare.
        # Only the first _EXACT_WIDTH characters are compared: enough for every short form
        # ("CPI(M)", "PKP-1930") and, for a long name matched as written, its capital letter.
        width = min(max((len(f) for f in exact_forms), default=0), _EXACT_WIDTH)
        self._exact_codes = np.zeros((n, max(width, 1)), dtype=np.uint32)
        for pid, form in enumerate(exact_forms):
            if form:
                self._exact_codes[pid, : min(len(form), width)] = [ord(c) for c in form[:width]]
        counts = np.fromiter((len(k) for k in pattern_keys), dtype=np.int64, count=n)
        self._key_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._key_flat = np.fromiter(
            (c for ks in pattern_keys for c in ks), dtype=np.int64, count=int(counts.sum())
        )
        self._key_count = counts

    def __len__(self) -> int:
        return len(self.patterns)

    def scan(
        self, texts: pd.Series | Sequence[str] | PreparedTexts, *, longest: bool = True
    ) -> pd.DataFrame:
        """All whole-word matches as a long frame ``row, start, end, key``.

        ``row`` is the position in ``texts`` (not its index label), ``start``/``end`` are
        character offsets in that text (``end`` exclusive). With ``longest`` (the default) a
        match inside a longer match is dropped, so "CPI" inside "CPI(M)" or "Greece" inside
        "Communist Youth of Greece" is not reported. Rows are sorted by ``row``, ``start``.
        Pass a ``PreparedTexts`` to share the joining and normalising with other scanners.
        """
        if len(self._sources) != 1:
            raise TypeError("a merged scanner reports per original scanner: use scan_each")
        return self.scan_each(texts, longest=longest)[0]

    def scan_each(
        self, texts: pd.Series | Sequence[str] | PreparedTexts, *, longest: bool = True
    ) -> list[pd.DataFrame]:
        """``scan`` results, one frame per scanner this one was merged from."""
        prepared = prepare(texts)
        row, start, end, code = self._scan_arrays(prepared, longest)
        group = self._key_group[code]
        frames = []
        for g, keys in enumerate(self._group_keys):
            mask = group == g
            frames.append(
                _frame(row[mask], start[mask], end[mask], self._local_code[code[mask]], keys)
            )
        return frames

    def _scan_arrays(
        self, prepared: PreparedTexts, longest: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        empty = np.empty(0, np.int64)
        if not prepared.n or not self.patterns:
            return empty, empty, empty, empty
        ends, slots = _iter_matches(self._automaton, prepared.folded)
        if len(ends) == 0:
            return empty, empty, empty, empty
        # Each lower-cased form stands for one or more patterns.
        reps = self._slot_count[slots]
        offsets = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        pid = self._slot_flat[np.repeat(self._slot_ptr[slots], reps) + offsets]
        end = np.repeat(ends, reps) + 1
        start = end - self._length[pid]
        codepoints = prepared.codepoints
        before = np.maximum(start - 1, 0)
        after = np.minimum(end, len(codepoints) - 1)
        word_before = _word_mask(codepoints[before]) & (start > 0)
        word_after = _word_mask(codepoints[after]) & (end < len(codepoints))
        ok = ~(self._word_first[pid] & word_before) & ~(self._word_last[pid] & word_after)
        exact = np.flatnonzero(ok & self._exact[pid])
        if len(exact):
            cols = np.arange(self._exact_codes.shape[1])
            at = np.minimum(start[exact, None] + cols, len(codepoints) - 1)
            want = self._exact_codes[pid[exact]]
            ok[exact] = ((codepoints[at] == want) | (want == 0)).all(axis=1)
        start, end, pid = start[ok], end[ok], pid[ok]
        # One entry per key of an ambiguous pattern, all with the same span.
        reps = self._key_count[pid]
        offsets = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        code = self._key_flat[np.repeat(self._key_ptr[pid], reps) + offsets]
        start, end = np.repeat(start, reps), np.repeat(end, reps)
        # Shifting each group into its own stretch of positions keeps "longest match wins"
        # within a group while resolving all groups in one pass.
        shift = self._key_group[code] * (len(codepoints) + 1)
        order = np.lexsort((code, -(end + shift), start + shift))
        start, end, code, shift = start[order], end[order], code[order], shift[order]
        # Two spellings of one name ("CPI(M)" as written, "CPI (m)") can match the same span
        # for the same key: report it once.
        if len(code) > 1:
            same = np.zeros(len(code), dtype=bool)
            same[1:] = (start[1:] == start[:-1]) & (end[1:] == end[:-1]) & (code[1:] == code[:-1])
            start, end, code, shift = start[~same], end[~same], code[~same], shift[~same]
        if longest:
            keep = keep_longest(start + shift, end + shift)
            start, end, code = start[keep], end[keep], code[keep]
        row = np.searchsorted(prepared.row_start, start, side="right") - 1
        order = np.lexsort((start, row))  # groups interleave again, by row and position
        row, start, end, code = row[order], start[order], end[order], code[order]
        return row, start - prepared.row_start[row], end - prepared.row_start[row], code


def _frame(
    row: np.ndarray, start: np.ndarray, end: np.ndarray, code: np.ndarray, keys: list[str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": row.astype(np.int64),
            "start": start.astype(np.int64),
            "end": end.astype(np.int64),
            "key": pd.Categorical.from_codes(code.astype(np.int64), categories=keys)
            if keys
            else pd.Categorical([]),
        }
    )


def lists_by_row(row: np.ndarray, values: np.ndarray | Sequence[str], n: int) -> list[list[str]]:
    """``n`` lists, list ``i`` holding ``values[row == i]`` in order (``row`` sorted ascending).

    The output is a list column, so one Python list per row is unavoidable; rows without values
    get a fresh empty list each (never a shared one that a caller could mutate for all rows).
    """
    # Creating a million small lists would trigger the cyclic garbage collector hundreds of
    # times over a large heap; none of these objects can form a cycle, so pause it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        out: list[list[str]] = [[] for _ in range(n)]
        if len(row) == 0:
            return out
        bounds = np.flatnonzero(np.diff(row)) + 1
        firsts = np.concatenate([[0], bounds]).tolist()
        lasts = np.concatenate([bounds, [len(row)]]).tolist()
        items = values.tolist() if isinstance(values, np.ndarray) else list(values)
        for r, a, b in zip(np.asarray(row)[firsts].tolist(), firsts, lasts, strict=True):
            out[r] = items[a:b]
        return out
    finally:
        if enabled:
            gc.enable()
