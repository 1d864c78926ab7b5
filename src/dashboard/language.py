"""Language of each statement, detected cheaply when the dataset does not give it.

``detect_language`` scores every statement for each language of ``data/languages.csv`` from two
kinds of evidence, both vectorised over the whole batch:

* letters: each non-ASCII character of the text votes for the languages whose ``letters`` hold
  it (Greek, Cyrillic, Arabic, Persian, Hebrew and Vietnamese letters; "ñ", "ß", "ş", "ł" ...).
  The code points come from the ``PreparedTexts`` the scanners already built, so this costs one
  comparison per character.
* words: common function words ("the", "der", "della", "için"), counted with one RE2 regex per
  language over the lower-cased first 100 characters. English is counted for every statement;
  the other languages only for statements that English words do not already settle, so an
  English dataset pays for one regex.

A function word weighs 8 points, a letter its language's ``weight`` (1 for a script's ordinary
letters, 3 for a Latin language's own diacritics, 20 for the letters Persian adds to Arabic), so
a Greek name inside an English sentence leaves it English. The best-scoring language wins when
it has at least 2 points. A statement with no evidence at all takes the language of the batch
when 80% of the decided statements share it; otherwise its language is "" (unknown). Nothing is
downloaded and no model is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.reference import read_rows, reference_reader
from dashboard.textscan import PreparedTexts, prepare

LANGUAGES_FILE = "languages.csv"
WORD_WEIGHT = 8
MIN_SCORE = 2
HEAD = 100
# English settles a statement when it has this many English function words and no letters of
# another script outweigh them.
ENGLISH_SETTLES = 2
PRIOR_SHARE = 0.8


@reference_reader(LANGUAGES_FILE)
def _profiles(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, list[str], str]:
    """Languages, a code point -> language table (-1: no vote), each language's letter weight,
    one word regex per language and one for the function words of all but English."""
    rows = read_rows(path, ("language", "letters", "words", "weight"), "language file")
    languages = [r["language"].strip() for _, r in rows]
    letters = [
        {c for ch in r["letters"].strip() for c in (ch, ch.upper()) if len(c) == 1} for _, r in rows
    ]
    top = max((ord(c) for chars in letters for c in chars), default=127) + 1
    # A letter listed for several languages votes for the first one (the file's order).
    table = np.full(top, -1, dtype=np.int64)
    for j in reversed(range(len(languages))):
        table[[ord(c) for c in letters[j]]] = j
    weights = np.array([int(r["weight"] or 1) for _, r in rows], dtype=np.int64)
    alternations = ["|".join(re.escape(w) for w in r["words"].split()) for _, r in rows]
    regexes = [_word_regex(a) if a else "" for a in alternations]
    foreign = "|".join(
        a for lang, a in zip(languages, alternations, strict=True) if a and lang != "en"
    )
    return languages, table, weights, regexes, _word_regex(foreign) if foreign else ""


def _word_regex(alternation: str) -> str:
    # Whole words: RE2's \b knows only ASCII letters, so spell the boundary with \pL.
    return f"(?:^|[^\\pL])(?:{alternation})(?:[^\\pL]|$)"


def _with_prior(
    best: np.ndarray, known: np.ndarray, silent: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Silent statements (no evidence at all: a headline without function words or telling
    letters) take the batch's language when at least PRIOR_SHARE of the decided ones share it:
    in an English dataset, "Nepal plane crash kills 68" is English."""
    if not known.any() or not (silent & ~known).any():
        return best, known
    decided = np.bincount(best[known], minlength=k)
    top = int(decided.argmax())
    if decided[top] < PRIOR_SHARE * known.sum():
        return best, known
    fill = silent & ~known
    return np.where(fill, top, best), known | fill


def apply_prior(codes: np.ndarray, silent: np.ndarray) -> np.ndarray:
    """``detect_language(..., prior=False)`` codes with the batch prior applied over all of
    them (``enrich`` detects chunk by chunk but applies the prior once, to the whole frame)."""
    values, best = np.unique(codes.astype(str), return_inverse=True)
    known = codes != ""
    best, known = _with_prior(best.ravel(), known, silent, len(values))
    return np.where(known, values[best], "").astype(object)


def detect_language(
    texts: pd.Series | list[str] | PreparedTexts,
    path: str | Path | None = None,
    *,
    prior: bool = True,
    silent: list[np.ndarray] | None = None,
) -> np.ndarray:
    """ISO 639-1 code per text ("" when unknown), as an object array.

    ``prior=False`` leaves statements without evidence unknown; pass a list as ``silent`` to
    receive the mask of those statements (for ``apply_prior`` over a larger batch).
    """
    prepared = prepare(texts)
    languages, table, weights, regexes, foreign = _profiles(path)
    n, k = prepared.n, len(languages)
    score = np.zeros((n, k), dtype=np.int64)
    if n == 0:
        return np.empty(0, dtype=object)
    # Letters: only non-ASCII code points can vote.
    codepoints = prepared.codepoints
    where = np.flatnonzero((codepoints >= 128) & (codepoints < len(table)))
    if len(where):
        vote = table[codepoints[where]]
        voted = vote >= 0
        rows = np.searchsorted(prepared.row_start, where[voted], side="right") - 1
        score += np.bincount(rows * k + vote[voted], minlength=n * k).reshape(n, k) * weights
    # Words: English for everyone; the other languages only for statements that English words
    # do not settle and that hold a function word of some other language at all (one regex
    # over all of them first), so an English dataset pays for about two regexes.
    heads = pc.utf8_lower(
        pc.utf8_slice_codeunits(pa.array(prepared.items, pa.large_string()), 0, HEAD)
    )
    english = languages.index("en") if "en" in languages else -1
    if english >= 0 and regexes[english]:
        counts = pc.count_substring_regex(heads, regexes[english]).to_numpy()
        score[:, english] += WORD_WEIGHT * counts
        letters_elsewhere = np.delete(score, english, axis=1).max(axis=1)
        settled = (score[:, english] >= WORD_WEIGHT * ENGLISH_SETTLES) & (
            letters_elsewhere <= score[:, english]
        )
        open_rows = np.flatnonzero(~settled)
    else:
        open_rows = np.arange(n)
    others = [(j, r) for j, r in enumerate(regexes) if j != english and r]
    if len(open_rows) and others:
        subset = heads.take(pa.array(open_rows))
        has = pc.match_substring_regex(subset, foreign).to_numpy(zero_copy_only=False)
        open_rows, subset = open_rows[has], subset.filter(pa.array(has))
        for j, regex in others:
            if len(open_rows):
                counts = pc.count_substring_regex(subset, regex).to_numpy()
                score[open_rows, j] += WORD_WEIGHT * counts
    best = score.argmax(axis=1)
    known = score[np.arange(n), best] >= MIN_SCORE
    if silent is not None:
        silent.append(score.max(axis=1) == 0)
    if prior:
        best, known = _with_prior(best, known, score.max(axis=1) == 0, k)
    codes = np.asarray(languages, dtype=object)[best]
    return np.where(known, codes, "").astype(object)
