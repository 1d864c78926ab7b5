"""Free-text search over title and text: case- and accent-insensitive words and "phrases".

``SearchIndex`` is built once per dataset: every statement's title and text joined and
normalised (``normalise``: lower case, accents and curly apostrophes folded, whitespace runs made
one space) into one Arrow string array - one copy of the text, never chunked. A term matches
where it starts a word ("war" finds "wars", not "towards"). RE2 finds a plain literal three to
four times faster than a word-start pattern, so a term is first found as a literal (one pass per
half of the array, on two threads: Arrow releases the GIL) and only the rows holding it are
checked for a word start. Terms are taken rarest first (estimated on a sample), and later terms
only look at the rows the earlier ones left. Results are plain boolean masks.
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


class SearchIndex:
    """The normalised text of every statement, ready for repeated searches."""

    def __init__(self, title: pa.Array | pa.ChunkedArray, text: pa.Array | pa.ChunkedArray):
        joined = pc.binary_join_element_wise(
            pc.fill_null(_as_large_string(title), ""),
            pc.fill_null(_as_large_string(text), ""),
            pa.scalar("\n", pa.large_string()),
        )
        self._array = normalise(joined)
        n = len(self._array)
        self._sample = np.arange(0, n, max(n // SAMPLE_ROWS, 1))[:SAMPLE_ROWS]

    def __len__(self) -> int:
        return len(self._array)

    @property
    def nbytes(self) -> int:
        """Memory the index holds (the normalised text and its offsets)."""
        return int(self._array.nbytes)

    def mask(self, query: str, within: np.ndarray | None = None) -> np.ndarray:
        """Rows matching every term of ``query`` (all rows for an empty query).

        ``within`` (a boolean mask) limits the work to rows already selected by other filters.
        """
        n = len(self)
        mask = np.ones(n, dtype=bool) if within is None else within.copy()
        terms = search_terms(query)
        if not terms or not mask.any():
            return mask
        # Rarest term first: later terms only look at the rows it left.
        for _, term in sorted((self._share(t), t) for t in terms):
            selected = int(mask.sum())
            if selected == 0:
                break
            if selected < n * SUBSET_SHARE:
                mask &= self._match_rows(term, mask)
            else:
                mask &= self._match_all(term)
        return mask

    # -- ways to find a term ----------------------------------------------------------------

    def _share(self, term: str) -> float:
        """Share of rows containing ``term`` anywhere, in a spread-out sample (a few ms)."""
        if len(self._sample) == 0:
            return 0.0
        sample = pc.take(self._array, pa.array(self._sample))
        hits = pc.sum(pc.match_substring_regex(sample, _literal(term))).as_py() or 0
        return hits / len(self._sample)

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
