r"""Free-text search over title and text: case- and accent-insensitive words and "phrases".

``SearchIndex`` is built once per dataset: every statement's title and text joined and
normalised (``normalise``: lower case, accents and curly apostrophes folded, whitespace runs made
one space) into one Arrow string array - one copy of the text, never chunked. A term matches
where it starts a word ("war" finds "wars", not "towards"): where the character before it is not
a letter or digit (RE2's ``[\p{L}\p{N}]``), or at the start of the text.

``WordIndex`` cuts that text into words - maximal runs of letters and digits, so every word
start of the text is the start of one word - and keeps, for each word of a sorted vocabulary,
the rows holding it. A term made of one word is then answered by the index alone: the rows of
every vocabulary word it is a prefix of, one contiguous range. Any other term (a phrase, or
punctuation inside: "u.s.", "d'estaing") takes the index's rows holding all its words as
candidates and is checked exactly by RE2 on those rows only. Terms are taken rarest first and
later terms only look at the rows the earlier ones left. Results are plain boolean masks.

The full-text scan the index replaced is kept (``mask(..., scan=True)``): it answers the rare
term the index cannot narrow down (one starting with punctuation inside a word, say) and is the
reference the index is tested against. It finds a term as a plain literal first (RE2 runs one
three to four times faster than a word-start pattern; one pass per half of the array, on two
threads: Arrow releases the GIL) and checks only the rows holding it for a word start.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_TERM = re.compile(r'"([^"]*)"?|(\S+)')
# Below this share of rows, a term is checked on those rows only (a take, then RE2).
SUBSET_SHARE = 0.3
SAMPLE_ROWS = 20_000
_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search")


def _as_large_string(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values.cast(pa.large_string())


def normalise(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Lower case, accents and curly apostrophes folded, runs of whitespace made one space.

    Applied identically to the statements and to the query, so "Jeronimo" finds "Jerónimo" and
    "izmir" finds "İzmir". The Unicode steps run only on the non-ASCII rows. Always returns one
    ``large_string`` array (never chunked).
    """
    values = _as_large_string(values)
    non_ascii = pc.invert(pc.fill_null(pc.string_is_ascii(values), True))
    lowered = pc.ascii_lower(values)
    if pc.any(non_ascii).as_py():
        sub = pc.filter(values, non_ascii)
        sub = pc.utf8_normalize(sub, form="NFD")
        sub = pc.replace_substring_regex(sub, r"\p{Mn}+", "")
        sub = pc.replace_substring_regex(sub, r"[\x{2018}\x{2019}\x{02BC}\x{0060}]", "'")
        sub = pc.utf8_lower(sub)
        lowered = pc.replace_with_mask(lowered, non_ascii, sub)
    lowered = pc.replace_substring_regex(lowered, r"[^\S ]", " ")
    lowered = pc.replace_substring_regex(lowered, r"  +", " ")
    return _as_large_string(pc.fill_null(lowered, ""))


def search_terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a search box, normalised like the statements are."""
    raw = []
    for phrase, word in _TERM.findall(query.replace("“", '"').replace("”", '"')):
        term = (phrase or word).strip()
        if term:
            raw.append(term)
    if not raw:
        return []
    normalised = normalise(pa.array(raw, type=pa.large_string())).to_pylist()
    return [t.strip() for t in normalised if t and t.strip()]


def term_pattern(term: str) -> str:
    """RE2 pattern: ``term`` starting at a word start."""
    escaped = "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in term)
    if term[0].isalnum():
        return r"(?:^|[^\p{L}\p{N}])" + escaped
    return escaped


# -- words ----------------------------------------------------------------------------------

# Per byte of UTF-8 text: part of a letter or digit? Exact for ASCII; the bytes of other
# characters are settled per character by RE2 itself (``_word_bytes``), so a word ends exactly
# where ``term_pattern``'s ``[^\p{L}\p{N}]`` sees a word start.
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[list(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")] = True
_WORD_BYTE[0x80:] = True
_WORD_CHAR = r"^[\p{L}\p{N}]$"
# Rows cut into words at a time: bounds the build's memory, keeps its sorts in cache.
BLOCK_ROWS = 1 << 14


def _word_bytes(data: np.ndarray) -> np.ndarray:
    r"""Which bytes of UTF-8 ``data`` belong to a letter or digit (RE2's ``[\p{L}\p{N}]``).

    Non-ASCII characters (combining vowel signs, dashes, the zero-width joiner... are not
    letters) are decoded from their lead bytes and each distinct one asked of RE2 once.
    """
    word = _WORD_BYTE[data]
    lead = np.flatnonzero(data >= 0xC0)
    if len(lead) == 0:
        return word
    first = data[lead]
    width = 2 + (first >= 0xE0).astype(np.int64) + (first >= 0xF0)
    code = (first & (0x7F >> width)).astype(np.int64)
    last = len(data) - 1
    for k in (1, 2, 3):
        more = data[np.minimum(lead + k, last)] & 0x3F
        code = np.where(width > k, (code << 6) | more, code)
    code = np.minimum(code, 0x10FFFF)
    present = np.flatnonzero(np.bincount(code))
    is_word = np.zeros(int(code.max()) + 1, dtype=bool)
    chars = pa.array([chr(c) for c in present], type=pa.string())
    is_word[present] = pc.match_substring_regex(chars, _WORD_CHAR).to_numpy(zero_copy_only=False)
    other = ~is_word[code]
    for k in range(4):
        word[lead[other & (width > k)] + k] = False
    return word


def _word_spans(word: np.ndarray, row_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and past-the-end byte of every maximal run of ``word`` bytes; a row start (byte
    positions, each below ``len(word)``) always begins a new run."""
    if len(word) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    before = np.empty_like(word)
    before[0] = False
    before[1:] = word[:-1]
    before[row_starts] = False
    after = np.empty_like(word)
    after[-1] = False
    after[:-1] = word[1:]
    after[row_starts[row_starts > 0] - 1] = False
    return np.flatnonzero(word & ~before), np.flatnonzero(word & ~after) + 1


def _block_words(data: np.ndarray, offsets: np.ndarray) -> tuple[pa.StringArray, np.ndarray]:
    """The words of the rows whose text is ``data`` (row i: ``offsets[i]:offsets[i + 1]``), as
    one string array, and the row of each word."""
    word = _word_bytes(data)
    row_starts = offsets[:-1][offsets[:-1] < len(data)]
    starts, ends = _word_spans(word, row_starts)
    lengths = np.zeros(len(starts) + 1, dtype=np.int32)
    np.cumsum(ends - starts, out=lengths[1:])
    words = pa.StringArray.from_buffers(
        len(starts), pa.py_buffer(lengths), pa.py_buffer(np.ascontiguousarray(data[word]))
    )
    per_row = np.diff(np.searchsorted(starts, offsets))
    return words, np.repeat(np.arange(len(offsets) - 1, dtype=np.int32), per_row)


def _changes(values: np.ndarray) -> np.ndarray:
    """Where a sorted array's value differs from the one before (always at the first)."""
    out = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=out[1:])
    return out


class WordIndex:
    """The words of a normalised text array: a sorted vocabulary and, per word, its rows.

    Postings are one int32 array of row numbers grouped by vocabulary word (rows ascending and
    unique within a word; ``offsets[i]:offsets[i + 1]`` are word i's), so the rows of every word
    starting with a prefix are one slice of it.
    """

    def __init__(self, array: pa.LargeStringArray):
        n = len(array)
        self.rows = n
        offsets = np.frombuffer(
            array.buffers()[1], dtype=np.int64, count=n + 1, offset=8 * array.offset
        )
        data_buffer = array.buffers()[2]
        data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.zeros(0, np.uint8)
        # Pass 1: words of each block of rows, dictionary-encoded.
        encoded, word_rows = [], []
        for lo in range(0, n, BLOCK_ROWS):
            hi = min(lo + BLOCK_ROWS, n)
            words, rows = _block_words(
                data[offsets[lo] : offsets[hi]], offsets[lo : hi + 1] - offsets[lo]
            )
            encoded.append(pc.dictionary_encode(words))
            word_rows.append(rows)
        codes = pa.chunked_array(encoded, type=pa.dictionary(pa.int32(), pa.string()))
        codes = codes.unify_dictionaries()
        vocabulary = codes.chunk(0).dictionary if codes.num_chunks else pa.array([], pa.string())
        order = pc.sort_indices(vocabulary)  # byte order: a prefix's words are contiguous
        self.words = pc.take(vocabulary, order)
        # Pass 2: each block's (word, row) pairs sorted and made unique; words counted.
        shift = BLOCK_ROWS.bit_length() - 1
        narrow = len(order) < 1 << (31 - shift)  # int32 keys sort about twice as fast
        rank = np.empty(len(order), dtype=np.int32 if narrow else np.int64)
        rank[order.to_numpy()] = np.arange(len(order))
        blocks, counts = [], np.zeros(len(order), dtype=np.int64)
        for block, (chunk, rows) in enumerate(zip(codes.chunks, word_rows, strict=True)):
            key = rank[chunk.indices.to_numpy()]
            key <<= shift
            key |= rows
            key.sort()
            key = key[_changes(key)]
            word = (key >> shift).astype(np.int32)
            rows = (key & (BLOCK_ROWS - 1)).astype(np.int32) + block * BLOCK_ROWS
            first = np.flatnonzero(_changes(word))  # where each word's rows begin
            sizes = np.diff(first, append=len(word))
            counts[word[first]] += sizes
            blocks.append((word[first], first, sizes, rows))
        # Pass 3: each block's rows after the earlier blocks' rows of the same word.
        self.offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.postings = np.empty(int(self.offsets[-1]), dtype=np.int32)
        filled = self.offsets[:-1].copy()
        for words, first, sizes, rows in blocks:
            self.postings[np.repeat(filled[words] - first, sizes) + np.arange(len(rows))] = rows
            filled[words] += sizes
        # The vocabulary as bytes, for the binary searches of ``span``.
        self._starts = np.zeros(1, dtype=np.int64)
        self._bytes = b""
        if len(self.words):
            _, word_offsets, word_bytes = self.words.buffers()
            self._starts = np.frombuffer(word_offsets, dtype=np.int32)[
                self.words.offset : self.words.offset + len(self.words) + 1
            ]
            self._bytes = word_bytes.to_pybytes()

    @property
    def nbytes(self) -> int:
        """Memory held: vocabulary, offsets and postings."""
        return int(self.words.nbytes + self.offsets.nbytes + self.postings.nbytes)

    def _word(self, i: int) -> bytes:
        return self._bytes[self._starts[i] : self._starts[i + 1]]

    def _bisect(self, key: bytes) -> int:
        """First vocabulary index whose word is not below ``key`` (byte order)."""
        lo, hi = 0, len(self.words)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def span(self, word: str, prefix: bool) -> tuple[int, int]:
        """Postings range of ``word`` - or, with ``prefix``, of every word starting with it."""
        key = word.encode()
        lo = self._bisect(key)
        if prefix:
            hi = self._bisect(key + b"\xff")  # no UTF-8 byte is 0xff
        else:
            hi = lo + int(lo < len(self.words) and self._word(lo) == key)
        return int(self.offsets[lo]), int(self.offsets[hi])

    def mask(self, span: tuple[int, int]) -> np.ndarray:
        """Rows holding a word of the postings range ``span``."""
        out = np.zeros(self.rows, dtype=bool)
        out[self.postings[span[0] : span[1]]] = True
        return out


class SearchIndex:
    """The normalised text of every statement and its words, ready for repeated searches."""

    def __init__(self, title: pa.Array | pa.ChunkedArray, text: pa.Array | pa.ChunkedArray):
        joined = pc.binary_join_element_wise(
            pc.fill_null(_as_large_string(title), ""),
            pc.fill_null(_as_large_string(text), ""),
            pa.scalar("\n", pa.large_string()),
        )
        self._array = normalise(joined)
        n = len(self._array)
        self._sample = np.arange(0, n, max(n // SAMPLE_ROWS, 1))[:SAMPLE_ROWS]
        self._words = WordIndex(self._array)

    def __len__(self) -> int:
        return len(self._array)

    @property
    def nbytes(self) -> int:
        """Memory the index holds (the normalised text and its offsets, the word index)."""
        return int(self._array.nbytes) + self._words.nbytes

    def mask(
        self, query: str, within: np.ndarray | None = None, *, scan: bool = False
    ) -> np.ndarray:
        """Rows matching every term of ``query`` (all rows for an empty query).

        ``within`` (a boolean mask) limits the work to rows already selected by other filters.
        ``scan`` finds every term by scanning the text, as before the word index: the reference
        the index is checked against.
        """
        n = len(self)
        mask = np.ones(n, dtype=bool) if within is None else within.copy()
        terms = search_terms(query)
        if not terms or not mask.any():
            return mask
        plans = [(term, None if scan else self._plan(term)) for term in terms]
        # Rarest term first: later terms only look at the rows it left.
        for term, plan in sorted(plans, key=lambda p: self._share(*p)):
            if not mask.any():
                break
            if plan is None:
                mask = self._scan(term, mask)
                continue
            spans, decided = plan
            hits = self._words.mask(spans[0])
            for span in spans[1:]:
                hits &= self._words.mask(span)
            mask &= hits
            if not decided:
                mask = self._check(term, mask)
        return mask

    # -- ways to find a term ----------------------------------------------------------------

    def _plan(self, term: str) -> tuple[list[tuple[int, int]], bool] | None:
        """Postings ranges of the words ``term`` puts at a word start, and whether those decide
        the term alone (a single word) - None when it puts none there (scan for it instead).

        A run of letters and digits inside the term that follows a non-letter starts a word in
        any matching text, as does its first one when ``term_pattern`` wants a word start there;
        a run followed by a non-letter is a whole word, the last one may be a word's prefix.
        """
        raw = term.encode()
        data = np.frombuffer(raw, dtype=np.uint8)
        starts, ends = _word_spans(_word_bytes(data), np.zeros(1, dtype=np.int64))
        at_word_start = term[0].isalnum()
        spans = [
            self._words.span(raw[s:e].decode(), prefix=e == len(raw))
            for s, e in zip(starts, ends, strict=True)
            if s > 0 or at_word_start
        ]
        if not spans:
            return None
        whole = len(starts) == 1 and starts[0] == 0 and ends[0] == len(raw)
        return spans, whole and at_word_start

    def _share(self, term: str, plan: tuple[list[tuple[int, int]], bool] | None) -> float:
        """Estimated share of rows holding ``term``: the index's postings of its rarest word,
        else the rows containing it anywhere in a spread-out sample (a few ms)."""
        if plan is not None:
            return min(hi - lo for lo, hi in plan[0]) / max(len(self), 1)
        if len(self._sample) == 0:
            return 0.0
        sample = pc.take(self._array, pa.array(self._sample))
        hits = pc.sum(pc.match_substring_regex(sample, _literal(term))).as_py() or 0
        return hits / len(self._sample)

    def _scan(self, term: str, mask: np.ndarray) -> np.ndarray:
        """Rows of ``mask`` where ``term`` starts a word, found in the text: in those rows
        only when they are few, else in every row."""
        if mask.sum() < len(self) * SUBSET_SHARE:
            return self._match_rows(term, mask)
        return mask & self._match_all(term)

    def _check(self, term: str, candidates: np.ndarray) -> np.ndarray:
        """Rows of ``candidates`` (rows holding the term's words) where ``term`` starts a word.

        RE2 checks the candidates only; when they are many, only those holding the plain
        literal, found three to four times faster than the word-start pattern: common words
        often share a row without forming the phrase, and the pattern spends most of its time
        on rows it does not match (1M statements, '"in the"': about 340 ms CPU on every
        candidate, 230 ms after the literal).
        """
        if candidates.sum() >= len(self) * SUBSET_SHARE:
            rows = np.flatnonzero(candidates)
            found = self._regex(pc.take(self._array, pa.array(rows)), _literal(term))
            candidates = np.zeros(len(self), dtype=bool)
            candidates[rows[found]] = True
            if not term[0].isalnum():
                return candidates
        return self._match_rows(term, candidates)

    def _regex(self, array: pa.Array, pattern: str) -> np.ndarray:
        """``match_substring_regex`` over ``array``, in two halves on two threads."""
        if len(array) < 2 * SAMPLE_ROWS:
            return pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)
        half = len(array) // 2
        parts = [array.slice(0, half), array.slice(half)]
        results = list(_THREADS.map(lambda a: pc.match_substring_regex(a, pattern), parts))
        return np.concatenate([r.to_numpy(zero_copy_only=False) for r in results])

    def _match_all(self, term: str) -> np.ndarray:
        """Word-start matches over every row.

        RE2 runs a plain literal three to four times faster than the word-start pattern (it
        can skip ahead to the literal's first byte), so the literal finds the candidate rows
        and the word-start pattern checks only those - unless most rows hold the literal.
        """
        candidates = self._regex(self._array, _literal(term))
        if not term[0].isalnum():
            return candidates
        if len(candidates) and candidates.mean() > SUBSET_SHARE:
            return self._regex(self._array, term_pattern(term))
        return self._match_rows(term, candidates)

    def _match_rows(self, term: str, mask: np.ndarray) -> np.ndarray:
        """Word-start matches among the rows of ``mask`` only."""
        rows = np.flatnonzero(mask)
        out = np.zeros(len(self), dtype=bool)
        if len(rows) == 0:
            return out
        sub = pc.take(self._array, pa.array(rows))
        out[rows[self._regex(sub, term_pattern(term))]] = True
        return out


def _literal(term: str) -> str:
    """RE2 pattern matching ``term`` literally anywhere."""
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in term)
