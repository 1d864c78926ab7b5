"""Party linking: which organisations of the gazetteer each statement names, in order.

One Aho-Corasick scan (``textscan.TextScanner``) finds every party name, abbreviation and alias
in all statements at once; the longest match wins, so "Communist Party of India" inside
"Communist Party of India (Marxist)" and "CPI" inside "CPI(M)" do not count. Names of
international meetings and federations (IMCWP, European Communist Initiative, WFTU, ...) are
scanned too but only to swallow their text: they are not parties. A short name shared by several
parties ("CPC": Canada or China) is resolved, in this order, by (a) an unambiguous mention of one
candidate in the same statement, (b) a candidate whose home country the statement mentions or
whose context cue (leader, newspaper, city, demonym) it contains, (c) the row's source country /
source party. Otherwise it is reported in ``unresolved`` and never guessed. The rules are applied
with array operations over all ambiguous mentions at once; the only per-item Python is cutting
the text of each unresolved name.

Beyond the gazetteer's own names the scan holds: the generated names of each country's party
(``variants.py``); bare names ("Communist Party", "الحزب الشيوعي", "the Party") that a leader, the
one country named or the source site resolve; "the communist parties of A, B and C" lists.
Short names that are common acronyms elsewhere ("CPU", "PCE") count only with party context
(``_clash_in_context``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import arrays
from dashboard.countries import CountryMatcher
from dashboard.gazetteer import Gazetteer
from dashboard.reference import load_name_words
from dashboard.textscan import PreparedTexts, TextScanner, lists_by_row, prepare

# Names that look like party names but belong to meetings, initiatives and federations
# (data/not_party_names.csv). They are matched only so that no party alias can match inside
# them (longest match wins); matches of these names are then discarded.
BLOCK_KEY = "\x00not-a-party"
# Bare names ("Communist Party", "the Party") from data/generic_party_names.csv: resolved from
# a leader, the one country named or the source (BARE_KEY), or from the source only.
BARE_KEY = "\x00bare:context"
BARE_SOURCE_KEY = "\x00bare:source"
LIST_KEY = "\x00bare:list"
# Between the countries of "the communist parties of Greece, Turkey and Russia".
_LIST_GLUE = re.compile(
    r"\s*(?:,\s*(?:and\s+|y\s+|et\s+|e\s+|und\s+)?|\s+(?:and|y|et|e|und|&)\s+)\Z"
)


@dataclass(frozen=True, eq=False)
class LinkResult:
    """What ``link_parties`` found, each Series aligned with the input texts.

    ``parties``: party ids in order of first mention, unique. ``unresolved``: ambiguous short
    names as written ("CPC") that no rule could resolve, unique. ``spans``: ``row, start, end`` of
    every party-name mention (resolved or not), so country detection can skip party names.
    """

    parties: pd.Series
    unresolved: pd.Series
    spans: pd.DataFrame


@dataclass(frozen=True, eq=False)
class _Context:
    """Reference data for bare names: leaders (scanner and years) and each country's party."""

    leaders: TextScanner
    leader_years: pd.DataFrame
    main_party: dict[str, str]
    clashes: frozenset[str]
    clash_ids: frozenset[str]
    party_words: TextScanner
    strong_cues: TextScanner


@functools.lru_cache(maxsize=8)
def _scanners(gazetteer: Gazetteer) -> tuple[TextScanner, TextScanner, _Context]:
    from dashboard.countries import load_country_matcher
    from dashboard.partycontext import (
        load_acronym_clashes,
        load_generic_names,
        load_leaders,
        load_not_party_names,
        load_party_words,
    )
    from dashboard.variants import main_parties, template_patterns

    matcher = load_country_matcher()
    pairs = list(zip(gazetteer.patterns["pattern"], gazetteer.patterns["id"], strict=True))
    generated = template_patterns(gazetteer, matcher)
    pairs += list(zip(generated["pattern"], generated["id"], strict=True))
    pairs += [(name, BLOCK_KEY) for name in load_not_party_names()["name"]]
    generic = load_generic_names()
    bare_key = generic["resolve_from"].map(
        {"context": BARE_KEY, "source": BARE_SOURCE_KEY, "list": LIST_KEY}
    )
    pairs += list(zip(generic["phrase"], bare_key, strict=True))
    context = list(zip(gazetteer.context["cue"], gazetteer.context["id"], strict=True))
    leaders = load_leaders()
    leaders = leaders[leaders["party"].isin(gazetteer.ids)].reset_index(drop=True)
    extra = _Context(
        leaders=TextScanner(zip(leaders["leader"], leaders.index.astype(str), strict=True)),
        leader_years=leaders,
        main_party=main_parties(gazetteer, matcher),
        clashes=(clashes := frozenset(load_acronym_clashes()["acronym"])),
        clash_ids=frozenset(
            gazetteer.patterns.loc[gazetteer.patterns["pattern"].isin(clashes), "id"]
        ),
        party_words=TextScanner((w, "party") for w in load_party_words()["word"]),
        # A country or city says nothing about a party in general news ("India's CPI
        # inflation"); leaders and newspapers do.
        strong_cues=TextScanner(
            pair
            for pair, place in zip(context, _names_a_place(matcher, context), strict=True)
            if not place
        ),
    )
    # Bare names count only as written ("Communist Party"): "the only communist party in Nepal"
    # describes, it does not name.
    # Short names with a qualifier ("CPI(m)", "KKE (m-l)") are matched as written like other
    # short names, though they hold a lower-case letter: "cpi(m)" in running text is noise.
    short_qualified = {p for p, _ in pairs if "(" in p and sum(c.isalpha() for c in p) <= 6}
    scanner = TextScanner(pairs, case_sensitive=set(generic["phrase"]) | short_qualified)
    return scanner, TextScanner(context), extra


def _names_a_place(matcher: CountryMatcher, cues: list[tuple[str, str]]) -> np.ndarray:
    """Per context cue, whether it holds a country, demonym or city (one scan of all cues)."""
    found = matcher.scan([cue for cue, _ in cues])
    place = np.zeros(len(cues), dtype=bool)
    place[found["row"].to_numpy()] = True
    return place


def party_scanner(gazetteer: Gazetteer) -> TextScanner:
    """The scanner of every party name (plus the blocked non-party names), built once."""
    return _scanners(gazetteer)[0]


def _hint_array(hints: pd.Series | Sequence[object] | None, n: int) -> np.ndarray:
    """Per-row hint values as an object array, "" where missing."""
    if hints is None:
        return np.full(n, "", dtype=object)
    values = pd.Series(list(hints) if not isinstance(hints, pd.Series) else hints.to_numpy())
    values = values.astype(object)
    return values.where(values.notna(), "").astype(str).to_numpy(dtype=object)


def _mentioned_long(
    mentioned: pd.Series | pd.DataFrame | None, prepared: PreparedTexts, rows: np.ndarray
) -> pd.DataFrame:
    """``row, iso3`` pairs of the countries mentioned in ``rows``."""
    if isinstance(mentioned, pd.DataFrame):
        return mentioned.loc[arrays.isin(mentioned["row"].to_numpy(), rows), ["row", "iso3"]]
    if mentioned is None:
        from dashboard.countries import load_country_matcher

        found = load_country_matcher().scan([prepared.items[r] for r in rows])
        return pd.DataFrame({"row": rows[found["row"].to_numpy()], "iso3": found["iso3"]})
    lists = [mentioned.iloc[r] for r in rows]
    lists = [v if isinstance(v, list | tuple | np.ndarray) else [] for v in lists]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = [str(c) for v in lists for c in v]
    return pd.DataFrame({"row": np.repeat(rows, lengths), "iso3": pd.Series(flat, dtype=object)})


def link_parties(
    texts: pd.Series | Sequence[str] | PreparedTexts,
    gazetteer: Gazetteer,
    *,
    country_hints: pd.Series | None = None,
    party_hints: pd.Series | None = None,
    mentioned_countries: pd.Series | pd.DataFrame | None = None,
    matches: pd.DataFrame | None = None,
    years: np.ndarray | None = None,
    party_press: np.ndarray | None = None,
) -> LinkResult:
    """Find the parties each text names.

    ``country_hints`` (ISO-3) and ``party_hints`` (party id) are per-row metadata such as a
    dataset's ``source_country``/``source_party`` columns; ``mentioned_countries`` tells which
    countries each full text mentions, either per-row ISO-3 lists or the ``row, iso3`` frame of
    ``CountryMatcher.scan`` (computed here, for the ambiguous rows only, when not given). All are
    aligned with ``texts`` by position. ``matches`` reuses a ``party_scanner(gazetteer)`` scan
    of the same texts (``enrich`` scans parties and countries in one merged pass). ``years``
    (float, NaN when undated) limits leaders to those in office that year, give or take one.
    ``party_press`` (bool per row) marks statements from party or party-press sites, where a
    short name that is also a common acronym needs no further party context.

    A bare name ("Communist Party", "Partido Comunista", "the Party") in a statement that names
    no party otherwise is resolved, in this order, from a leader named in it, the one country it
    names (that country's communist party, see ``variants.main_parties``), the source party,
    or the source country; "the Party" and other source-only names only from the source party.
    """
    prepared = prepare(texts)
    n = prepared.n
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(n)
    scanner, context_scanner, extra = _scanners(gazetteer)
    if matches is None:
        matches = scanner.scan(prepared)
    keys = scanner.keys
    special = [
        keys.index(k) if k in keys else -1 for k in (BLOCK_KEY, BARE_KEY, BARE_SOURCE_KEY, LIST_KEY)
    ]
    code = matches["key"].cat.codes.to_numpy().astype(np.int64)
    lists = np.flatnonzero(code == special[3])
    bare = arrays.isin(code, special[1:3])
    if bare.any():
        # A bare name that is part of a longer name the gazetteer lacks ("Revolutionary
        # Communist Party", "الحزب الشيوعي العمالي") names some other party: drop it.
        where = np.flatnonzero(bare)
        items, starts, ends = prepared.items, matches["start"].to_numpy(), matches["end"].to_numpy()
        words = load_name_words()
        alone = [
            _standalone(items[r], starts[i], ends[i], words)
            for i, r in zip(where, matches["row"].to_numpy()[where], strict=True)
        ]
        bare[where[~np.asarray(alone, dtype=bool)]] = False
    bare_row = matches["row"].to_numpy()[bare]
    bare_source_only = code[bare] == special[2]
    keep = ~arrays.isin(code, special)
    row = matches["row"].to_numpy()[keep]
    start = matches["start"].to_numpy()[keep]
    end = matches["end"].to_numpy()[keep]
    code = code[keep]
    if extra.clash_ids:
        ok = _clash_in_context(
            prepared, keys, (row, start, end, code), extra, party_hints, party_press
        )
        row, start, end, code = row[ok], start[ok], end[ok], code[ok]

    # Rows of one span are adjacent (scan sorts by row, start): count keys per span.
    new_span = np.ones(len(row), dtype=bool)
    new_span[1:] = (row[1:] != row[:-1]) | (start[1:] != start[:-1])
    span_id = np.cumsum(new_span) - 1
    ambiguous = np.bincount(span_id)[span_id] > 1 if len(span_id) else np.zeros(0, dtype=bool)

    res_row, res_start, res_code = row[~ambiguous], start[~ambiguous], code[~ambiguous]
    unresolved = lists_by_row(np.empty(0, np.int64), [], n)
    if ambiguous.any():
        chosen, unresolved = _resolve_ambiguous(
            prepared,
            gazetteer,
            keys,
            (row, start, end, code, ambiguous, span_id),
            context_scanner,
            (_hint_array(country_hints, n), _hint_array(party_hints, n)),
            mentioned_countries,
        )
        res_row = np.concatenate([res_row, row[chosen]])
        res_start = np.concatenate([res_start, start[chosen]])
        res_code = np.concatenate([res_code, code[chosen]])
    if len(bare_row):
        add_row, add_code = _resolve_bare(
            prepared,
            keys,
            (bare_row, bare_source_only, arrays.unique(np.concatenate([res_row, row]))),
            extra,
            (_hint_array(country_hints, n), _hint_array(party_hints, n)),
            mentioned_countries,
            years,
        )
        bare_start = matches["start"].to_numpy()[bare]
        first = np.unique(bare_row, return_index=True)[1]
        start_of = dict(zip(bare_row[first].tolist(), bare_start[first].tolist(), strict=True))
        res_row = np.concatenate([res_row, add_row])
        res_start = np.concatenate(
            [res_start, np.array([start_of[r] for r in add_row.tolist()], dtype=np.int64)]
        )
        res_code = np.concatenate([res_code, add_code])

    extra_spans = pd.DataFrame({"row": [], "start": [], "end": []}, dtype=np.int64)
    if len(lists):
        l_row, l_start, l_code, extra_spans = _resolve_lists(
            prepared, keys, matches.iloc[lists], extra, mentioned_countries
        )
        res_row = np.concatenate([res_row, l_row])
        res_start = np.concatenate([res_start, l_start])
        res_code = np.concatenate([res_code, l_code])

    # Order of first mention, each party once per row.
    order = np.lexsort((res_start, res_row))
    res_row, res_code = res_row[order], res_code[order]
    _, first = np.unique(res_row * max(len(keys), 1) + res_code, return_index=True)
    first.sort()
    key_array = np.asarray(keys, dtype=object)
    parties = lists_by_row(res_row[first], key_array[res_code[first]], n)
    spans = pd.DataFrame({"row": row[new_span], "start": start[new_span], "end": end[new_span]})
    if len(extra_spans):
        spans = pd.concat([spans, extra_spans], ignore_index=True)
    return LinkResult(
        parties=pd.Series(parties, index=index, dtype=object, name="parties"),
        unresolved=pd.Series(unresolved, index=index, dtype=object, name="unresolved"),
        spans=spans.reset_index(drop=True),
    )


def _span_any(flag: np.ndarray, span: np.ndarray, n_spans: int) -> np.ndarray:
    """Per element: does any element of its span have ``flag``?"""
    return np.bincount(span, weights=flag, minlength=n_spans)[span] > 0


def _resolve_ambiguous(
    prepared: PreparedTexts,
    gazetteer: Gazetteer,
    keys: list[str],
    matches: tuple[np.ndarray, ...],
    context_scanner: TextScanner,
    hints: tuple[np.ndarray, np.ndarray],
    mentioned_countries: pd.Series | pd.DataFrame | None,
) -> tuple[np.ndarray, list[list[str]]]:
    """Rules (a)-(c) over every ambiguous mention at once.

    Returns the positions (into the match arrays) of the chosen candidates and the per-row
    lists of unresolved names.
    """
    row, start, end, code, ambiguous, span_id = matches
    n_keys = max(len(keys), 1)
    amb = np.flatnonzero(ambiguous)
    a_row, a_code = row[amb], code[amb]
    # Renumber the ambiguous spans 0..k-1 for bincount.
    _, a_span = np.unique(span_id[amb], return_inverse=True)
    n_spans = int(a_span.max()) + 1
    rows = arrays.unique(a_row)

    # (a) a candidate the statement already names unambiguously: nothing new to add.
    plain = ~ambiguous
    linked = arrays.isin(a_row * n_keys + a_code, row[plain] * n_keys + code[plain])
    settled = _span_any(linked, a_span, n_spans)

    # (b) home country mentioned, or a context cue present.
    country_of = gazetteer.country_of
    key_country = np.array([country_of.get(k, "") for k in keys], dtype=object)
    a_country = key_country[a_code]
    mentioned = _mentioned_long(mentioned_countries, prepared, rows)
    # Countries as small integers, so (row, country) pairs compare as int64.
    vocabulary = sorted(set(key_country) - {""})
    width = len(vocabulary) + 1
    country_code = {c: i for i, c in enumerate(vocabulary)}
    key_country_code = np.array([country_code.get(c, -1) for c in key_country], dtype=np.int64)
    said = mentioned["iso3"].astype(object).map(country_code).fillna(-1).to_numpy(dtype=np.int64)
    said_pairs = mentioned["row"].to_numpy()[said >= 0] * width + said[said >= 0]
    a_country_code = key_country_code[a_code]
    by_country = (a_country_code >= 0) & arrays.isin(a_row * width + a_country_code, said_pairs)
    cues = context_scanner.scan([prepared.items[r] for r in rows])
    code_of = {k: i for i, k in enumerate(keys)}
    cue_code = np.array([code_of.get(k, -1) for k in context_scanner.keys], dtype=np.int64)
    hit_code = cue_code[cues["key"].cat.codes.to_numpy()] if len(cues) else cue_code[:0]
    known = hit_code >= 0  # a cue of a party no name of which was found cannot matter
    cue_pairs = rows[cues["row"].to_numpy()[known]] * n_keys + hit_code[known]
    by_cue = arrays.isin(a_row * n_keys + a_code, cue_pairs)
    fits = by_country | by_cue
    n_fit = np.bincount(a_span, weights=fits, minlength=n_spans)[a_span]
    chosen = fits & (n_fit == 1)

    # (c) the row's source party, else its source country, among the candidates still in play.
    country_hint, party_hint = hints[0][a_row], hints[1][a_row]
    country_hint = np.where(
        country_hint == "", [country_of.get(p, "") for p in party_hint], country_hint
    )
    in_play = np.where(n_fit > 0, fits, True)
    a_id = np.asarray(keys, dtype=object)[a_code]
    by_party = in_play & (a_id == party_hint)
    by_source = in_play & (a_country == country_hint) & (country_hint != "")
    n_source = np.bincount(a_span, weights=by_source, minlength=n_spans)[a_span]
    open_ = ~settled & ~_span_any(chosen, a_span, n_spans)
    chosen |= open_ & by_party
    open_ &= ~_span_any(by_party, a_span, n_spans)
    chosen |= open_ & by_source & (n_source == 1)
    chosen &= ~settled

    # Unresolved: spans with nothing linked or chosen; report each name once per row.
    left = ~settled & ~_span_any(chosen, a_span, n_spans)
    first_of_span = np.ones(len(amb), dtype=bool)
    first_of_span[1:] = a_span[1:] != a_span[:-1]
    todo = amb[left & first_of_span]
    items = prepared.items
    names = [items[r][s:e] for r, s, e in zip(row[todo], start[todo], end[todo], strict=True)]
    frame = pd.DataFrame({"row": row[todo], "name": pd.Series(names, dtype=object)})
    frame = frame.drop_duplicates()
    unresolved = lists_by_row(frame["row"].to_numpy(), frame["name"].to_numpy(), prepared.n)
    return amb[chosen], unresolved


@functools.lru_cache(maxsize=8)
def _packed(acronyms: frozenset[str]) -> np.ndarray:
    """Each acronym's characters packed into one integer, 8 bits each (see _clash_in_context).
    A non-Latin-1 character packs as 255, so it can only equal itself or another such."""
    out = []
    for acronym in acronyms:
        value = 0
        for k, char in enumerate(acronym):
            value |= min(ord(char), 255) << (8 * k)
        out.append(value)
    return np.array(out, dtype=np.uint64)


def _clash_in_context(
    prepared: PreparedTexts,
    keys: list[str],
    matches: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    extra: _Context,
    party_hints: pd.Series | None,
    party_press: np.ndarray | None = None,
) -> np.ndarray:
    """Which matches to keep: all but short names that are also common acronyms ("CPU",
    "PCE", "SFI", data/acronym_clashes.csv) written as that acronym in a statement without
    party context.

    Party context is a word such as "party", "communist", "central committee" in any of the
    statement's languages (data/party_context_words.csv), a context cue of that party (its
    leader, newspaper, city), another party named, a source party, or a party or party-press
    site in the statement's own address. It is decided per statement, never for a whole batch:
    a dataset of party press with general news beside it must not turn chip news into news of
    the Communist Party of Ukraine.
    """
    row, start, end, code = matches
    n = prepared.n
    ok = np.ones(len(row), dtype=bool)
    key_array = np.asarray(keys, dtype=object)
    clash_codes = np.array([i for i, k in enumerate(keys) if k in extra.clash_ids], dtype=np.int64)
    maybe = np.flatnonzero(arrays.isin(code, clash_codes))
    if len(maybe) == 0:
        return ok
    items = prepared.items
    # Is the matched text exactly one of the acronyms? Compared as integers built from the
    # code points (acronyms are short), without cutting strings out of the texts.
    cp = prepared.codepoints
    g_start = prepared.row_start[row[maybe]] + start[maybe]
    size = end[maybe] - start[maybe]
    width = max(len(a) for a in extra.clashes)
    packed = np.zeros(len(maybe), dtype=np.uint64)
    for k in range(width):
        char = cp[np.minimum(g_start + k, len(cp) - 1)].astype(np.uint64)
        packed |= np.where(k < size, np.minimum(char, 255), 0).astype(np.uint64) << np.uint64(8 * k)
    clash = (size <= width) & arrays.isin(packed, _packed(extra.clashes))
    suspect = maybe[clash]
    if len(suspect) == 0:
        return ok
    # Rows that name a party by something other than a clashing acronym.
    plain = np.ones(len(row), dtype=bool)
    plain[suspect] = False
    named = arrays.unique(row[plain])
    rows = arrays.unique(row[suspect])
    hint = _hint_array(party_hints, n)[rows] != ""
    if party_press is not None:
        hint |= np.asarray(party_press, dtype=bool)[rows]
    texts = [items[r] for r in rows]
    worded = rows[arrays.unique(extra.party_words.scan(texts)["row"].to_numpy())]
    cues = extra.strong_cues.scan(texts)
    cue_pairs = set(
        zip(rows[cues["row"].to_numpy()].tolist(), cues["key"].astype(str).tolist(), strict=True)
    )
    good_rows = set(rows[hint].tolist()) | set(worded.tolist()) | set(named.tolist())
    for i in suspect:
        r = int(row[i])
        ok[i] = r in good_rows or (r, key_array[code[i]]) in cue_pairs
    return ok


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)\s*$")
_WORD_AFTER = re.compile(r"^\s*(\S+)")


def _standalone(text: str, start: int, end: int, words: Mapping[str, frozenset[str]]) -> bool:
    """Whether a bare name at ``start:end`` is not a piece of a longer, unknown party name.

    Not when a capitalised word runs into it from before (a sentence's first word, an article
    or a possessive aside) or after it (unless a party organ: "Communist Party Congress"), nor
    when a continuation ("of", "de") or an Arabic adjective with the article follows.
    ``words``: ``reference.load_name_words()``.
    """
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    if before and before.group(1)[0].isupper():
        word = before.group(1)
        head = text[: start - len(before.group(0))].rstrip()
        sentence_start = not head or head[-1] in ".:!?\n\"'«»“”-–—|(" or head.endswith("\x00")
        possessive = word.endswith(("'s", "’s"))
        if not (sentence_start or possessive or word.casefold() in words["bare_lead"]):
            return False
    after = _WORD_AFTER.match(text[end : end + 40])
    if after:
        word = after.group(1).strip(".,;:!?\"'()")
        if word and word[0].isupper() and word.casefold() not in words["party_organ"]:
            return False
        if word.startswith("ال") or word.casefold() in words["bare_continuation"]:
            return False
    return True


def _resolve_lists(
    prepared: PreparedTexts,
    keys: list[str],
    lists: pd.DataFrame,
    extra: _Context,
    mentioned_countries: pd.Series | pd.DataFrame | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Parties of "the communist parties of Greece, Turkey and Russia": for each such phrase,
    the chain of country names right after it, joined by commas and "and", each giving that
    country's communist party. Returns rows, starts and codes of the parties, and the spans of
    those country names (they are parts of party names now, not countries mentioned)."""
    rows = arrays.unique(lists["row"].to_numpy())
    if isinstance(mentioned_countries, pd.DataFrame) and "start" in mentioned_countries:
        found = mentioned_countries[arrays.isin(mentioned_countries["row"].to_numpy(), rows)]
    else:
        from dashboard.countries import load_country_matcher

        found = load_country_matcher().scan([prepared.items[r] for r in rows])
        found = found.assign(row=rows[found["row"].to_numpy()])
    by_row = {r: g.sort_values("start") for r, g in found.groupby("row")}
    code_of = {k: i for i, k in enumerate(keys)}
    out_row, out_start, out_code, spans = [], [], [], []
    for r, s, e in zip(lists["row"], lists["start"], lists["end"], strict=True):
        text, pos = prepared.items[r], e
        mentions = by_row.get(r)
        if mentions is None:
            continue
        for m_start, m_end, iso3 in zip(
            mentions["start"], mentions["end"], mentions["iso3"].astype(str), strict=True
        ):
            if m_start < pos:
                continue
            gap = text[pos:m_start]
            first = pos == e
            if (first and gap.strip()) or (not first and not _LIST_GLUE.match(gap)):
                break
            party = extra.main_party.get(iso3, "")
            if party in code_of:
                out_row.append(r)
                out_start.append(s)
                out_code.append(code_of[party])
            spans.append((r, m_start, m_end))
            pos = m_end
    span_frame = pd.DataFrame(spans, columns=["row", "start", "end"], dtype=np.int64)
    return (
        np.asarray(out_row, dtype=np.int64),
        np.asarray(out_start, dtype=np.int64),
        np.asarray(out_code, dtype=np.int64),
        span_frame,
    )


def _resolve_bare(
    prepared: PreparedTexts,
    keys: list[str],
    bare: tuple[np.ndarray, np.ndarray, np.ndarray],
    extra: _Context,
    hints: tuple[np.ndarray, np.ndarray],
    mentioned_countries: pd.Series | pd.DataFrame | None,
    years: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and party codes for the bare names of rows that name no party otherwise."""
    bare_row, source_only, named_rows = bare
    code_of = {k: i for i, k in enumerate(keys)}
    # Per row: is any bare name there one that context may resolve (not source-only)?
    frame = pd.DataFrame({"row": bare_row, "context": ~source_only})
    frame = frame[~frame["row"].isin(named_rows)]
    per_row = frame.groupby("row")["context"].any()
    rows = per_row.index.to_numpy(dtype=np.int64)
    if len(rows) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    by_context = per_row.to_numpy(dtype=bool)
    choice = np.full(len(rows), "", dtype=object)

    # 1. a leader named in the statement (in office that year when the row is dated)
    hits = extra.leaders.scan([prepared.items[r] for r in rows])
    if len(hits):
        leader = extra.leader_years.iloc[hits["key"].astype(int).to_numpy()]
        year = years[rows[hits["row"].to_numpy()]] if years is not None else np.nan
        year = np.broadcast_to(np.asarray(year, dtype=float), len(hits))
        fits = np.isnan(year) | (
            (np.nan_to_num(leader["from"].to_numpy(), nan=0) - 1 <= year)
            & (year <= np.nan_to_num(leader["to"].to_numpy(), nan=9999) + 1)
        )
        found = pd.DataFrame({"row": hits["row"].to_numpy()[fits], "id": leader["party"][fits]})
        unique = found.drop_duplicates().groupby("row")["id"].agg(["first", "size"])
        one = unique[unique["size"] == 1]
        choice[one.index.to_numpy()] = one["first"].to_numpy()

    # 2. the site's own party ("the Party" on kke.gr)
    country_hint, party_hint = hints[0][rows], hints[1][rows]
    choice = np.where(choice == "", party_hint, choice)

    # 3. the one country the statement names, when that country has a communist party
    mentioned = _mentioned_long(mentioned_countries, prepared, rows)
    countries = mentioned.drop_duplicates().groupby("row")["iso3"].agg(["first", "size"])
    countries = countries[countries["size"] == 1]
    position = np.searchsorted(rows, countries.index.to_numpy())
    party = countries["first"].map(extra.main_party).fillna("").to_numpy(dtype=object)
    open_ = (choice[position] == "") & by_context[position]
    choice[position[open_]] = party[open_]

    # 4. (context names only) the communist party of the source's country
    by_source = np.array([extra.main_party.get(c, "") for c in country_hint], dtype=object)
    choice = np.where((choice == "") & by_context, by_source, choice)

    codes = np.array([code_of.get(c, -1) for c in choice], dtype=np.int64)
    ok = codes >= 0
    return rows[ok], codes[ok]
