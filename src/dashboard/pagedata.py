"""Each page's data step as a plain function of a ``View`` and the page's settings.

The pages call these (through ``ui.cache.page_data``, which shares the results between viewers
of the same dataset, filters and settings), and so do the tests and ``scripts/bench_pages.py``:
there is one copy of what a page computes. Every function returns a small frozen dataclass of
aggregates whose size depends on the number of periods, parties, countries or topics - never on
the number of statements - plus, where a page lists statements, those few full rows - and the
page's figures (``figures``, built on first use and kept with the data, so viewers of one link
share them too). Nothing returned here may be mutated by a caller: it may be shared with other
viewers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard import geo, schema
from dashboard.dataset import Dataset
from dashboard.dates import format_at
from dashboard.errors import DatasetError
from dashboard.events import events_between, load_events
from dashboard.labels import (
    DEFAULT_PARTY_KINDS,
    label_ids,
    party_country,
    party_kind,
)
from dashboard.view import View

TOP_N = 10
LATEST_N = 10
# Bars one time chart may draw: about 90 bytes of figure JSON each, so a chart stays under 1 MB.
MAX_BARS = 8_000


def counts_that_fit(
    view: View,
    granularity: ag.Granularity,
    max_bars: int | None = None,
    **breakdown: object,
) -> tuple[ag.Granularity, pd.DataFrame]:
    """``count_by_period`` at ``granularity``, or at the finest coarser one whose chart has at
    most ``max_bars`` bars (days over 26 years broken down by party would be 87,000 bars and
    8 MB of figure). Returns the granularity used and its counts."""
    limit = MAX_BARS if max_bars is None else max_bars
    order = list(ag.GRANULARITIES)
    for candidate in order[order.index(granularity) :]:
        counts = ag.count_by_period(view.df, candidate, **breakdown)  # type: ignore[arg-type]
        if len(counts) <= limit:
            return candidate, counts  # type: ignore[return-value]
    return candidate, counts  # type: ignore[return-value]


def by_date(ds: Dataset, mask: np.ndarray, limit: int, newest: bool = True) -> np.ndarray:
    """Positions of the first ``limit`` rows of ``mask`` by date (undated last).

    The order ``aggregate.latest`` defines - newest (or oldest) day first, then a day-precision
    statement before a month- or year-precision one starting the same day, then row order -
    found by walking the dataset's date order instead of sorting the rows.
    """
    dates = ds.dates
    if dates is None or limit <= 0:
        return np.flatnonzero(mask)[: max(limit, 0)]
    n_dated = int(np.searchsorted(dates.sorted_start, np.iinfo(np.int64).max, side="left"))
    dated, undated = dates.order[:n_dated], dates.order[n_dated:]
    if newest:
        dated = dated[::-1]
    dated = dated[mask[dated]]
    if len(dated) > limit:
        # Keep every row of the boundary day, so ties are ordered below like a full sort.
        days = dates.start[dated].astype(np.int64)
        boundary = days[limit - 1]
        dated = dated[days >= boundary] if newest else dated[days <= boundary]
        undated = undated[:0]
    else:
        undated = undated[mask[undated]][: limit - len(dated)]
    picked = np.concatenate([dated, undated])
    # Among the candidates, full timestamps decide (18:00 is later than 09:00 the same day).
    stamps = ds.df[schema.DATE].to_numpy()[picked].view(np.int64)
    undated_rows = np.isnat(dates.start[picked])
    key = np.where(undated_rows, np.iinfo(np.int64).max, -stamps if newest else stamps)
    return picked[np.lexsort((picked, dates.rank[picked], key))][:limit]


def latest_statements(view: View, rows: pd.DataFrame | None, n: int) -> pd.DataFrame:
    """The ``n`` most recent of ``rows`` (a frame of the view's analysis columns; default: the
    whole view) as full statements."""
    if rows is None:
        mask = view.mask
    else:
        mask = np.zeros(len(view.dataset), dtype=bool)
        mask[rows.index.to_numpy()] = True
    return view.statements(by_date(view.dataset, mask, n))


# --- Overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewData:
    headline: ag.Headline
    granularity: ag.Granularity
    counts: pd.DataFrame
    placed: dict[str, int]
    top_parties: pd.DataFrame
    top_topics: pd.DataFrame
    parties_named: int
    topics_named: int
    latest: pd.DataFrame

    @cached_property
    def figures(self) -> dict[str, go.Figure]:
        """``timeline``, ``parties`` (absent when no party is named) and ``topics``."""
        out = {
            "timeline": fg.make_timeline(
                self.counts,
                granularity=self.granularity,
                title=f"Statements per {self.granularity}",
                compact=True,
            ),
            "topics": fg.make_ranking(
                self.top_topics,
                title=top_title("Most frequent topics", len(self.top_topics), self.topics_named),
                colour=fg.ACCENT_COLOUR,
            ),
        }
        if not self.top_parties.empty:
            out["parties"] = fg.make_ranking(
                self.top_parties,
                title=top_title(
                    "Parties named most often", len(self.top_parties), self.parties_named
                ),
            )
        return out


def top_title(title: str, shown: int, of: int) -> str:
    """``"Parties named most often (top 10 of 19)"`` when a ranking shows only part."""
    return f"{title} (top {shown:,} of {of:,})" if 0 < shown < of else title


def overview(view: View, top_n: int = TOP_N, latest_n: int = LATEST_N) -> OverviewData:
    """Headline numbers, a monthly (or coarser) timeline, top parties and topics, latest rows.

    "Parties" are organisations of kind ``party``: fronts, unions and youth organisations named
    in the statements are not counted as parties (the Parties page can include them).
    """
    parties = parties_long(view)
    head = ag.headline(view.df, parties, view.long(schema.PARTY_COUNTRIES))
    granularity = ag.auto_granularity(view.df, finest="month")
    return OverviewData(
        headline=head,
        granularity=granularity,
        counts=ag.count_by_period(view.df, granularity),
        placed=ag.placement_counts(view.df, granularity),
        top_parties=ag.top_values(view.df, parties, "party", top_n),
        top_topics=ag.top_values(view.df, view.long(schema.TOPICS), "topic", top_n),
        parties_named=head.parties,
        topics_named=int(view.long(schema.TOPICS)["value"].nunique()),
        latest=latest_statements(view, None, latest_n),
    )


# --- Timeline ---------------------------------------------------------------------------------


BREAKDOWN_NAMES: dict[str, str] = {
    "none": "Nothing (total)",
    "topic": "Topic",
    "party": "Party",
    "country": "Party home country",
    "region": "Region",
    "continent": "Continent",
}


@dataclass(frozen=True)
class TimelineData:
    granularity: ag.Granularity  # as drawn: coarser than ``requested`` when that has too many bars
    requested: ag.Granularity
    breakdown: ag.Breakdown
    mode: str
    window: int
    counts: pd.DataFrame
    placed: dict[str, int]
    rolling: pd.DataFrame | None
    events: pd.DataFrame | None
    events_error: str = ""

    @cached_property
    def figure(self) -> go.Figure:
        title = "Statements per " + self.granularity
        if self.breakdown != "none":
            title += " by " + BREAKDOWN_NAMES[self.breakdown].lower()
        return fg.make_timeline(
            self.counts,
            granularity=self.granularity,
            mode=self.mode,
            rolling=self.rolling,
            rolling_window=self.window,
            events=self.events,
            title=title,
        )


def _breakdown_long(view: View, breakdown: str) -> pd.DataFrame | None:
    column = ag.BREAKDOWN_COLUMNS.get(breakdown, ("", None))[0]
    return view.long(column) if breakdown in ag.LIST_BREAKDOWNS else None


def timeline(
    view: View,
    granularity: ag.Granularity,
    breakdown: ag.Breakdown = "none",
    top_n: int = 8,
    window: int = 0,
    mode: str = "count",
    show_events: bool = True,
) -> TimelineData:
    """Statements per period (and group), where they were placed, a rolling mean (counts
    only) and the meetings that fall in the charted span."""
    long = _breakdown_long(view, breakdown)
    requested = granularity
    granularity, counts = counts_that_fit(
        view, granularity, breakdown=breakdown, long=long, top_n=top_n
    )
    window = window if mode == "count" else 0
    events, error = None, ""
    if show_events and len(counts):
        try:
            # The axis spans the data and the date filter: a view of Oct-Nov 2015 shows the
            # 17th meeting (30 Oct - 1 Nov) even when no statement is dated after it.
            first = counts["period"].min()
            last = ag.period_end(counts["period"].max(), granularity)
            if view.spec.date_from is not None:
                first = min(first, pd.Timestamp(view.spec.date_from))
            if view.spec.date_to is not None:
                last = max(last, pd.Timestamp(view.spec.date_to))
            events = events_between(load_events(), first, last)
        except DatasetError as err:
            error = str(err)
    return TimelineData(
        granularity=granularity,
        requested=requested,
        breakdown=breakdown,
        mode=mode,
        window=window,
        counts=counts,
        placed=ag.placement_counts(view.df, granularity),
        rolling=ag.rolling_mean(view.df, granularity, window) if window else None,
        events=events,
        events_error=error,
    )


def timeline_selection(
    view: View,
    granularity: ag.Granularity,
    breakdown: ag.Breakdown,
    top_n: int,
    picked: Sequence[tuple[str, str, str]],
) -> pd.DataFrame:
    """The statements behind the clicked bars ``(period, group, placement)``, newest first."""
    long = _breakdown_long(view, breakdown)
    frames = [
        ag.rows_in_period(
            view.df,
            granularity,
            period,
            placement,
            breakdown=breakdown,
            group=group,
            long=long,
            top_n=top_n,
        )
        for period, group, placement in picked
    ]
    if not frames:
        return view.statements(np.empty(0, dtype=np.int64))
    rows = pd.concat(frames)
    rows = rows[~rows.index.duplicated()]
    return latest_statements(view, rows, len(rows))


# --- Topics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicsData:
    granularity: ag.Granularity  # as drawn (see ``counts_that_fit``)
    requested: ag.Granularity
    mode: str
    shares: pd.DataFrame
    over_time: pd.DataFrame
    by_country: pd.DataFrame
    by_party: pd.DataFrame
    countries_named: int = 0  # distinct party home countries / parties in the view, for titles
    parties_named: int = 0

    @cached_property
    def figures(self) -> dict[str, go.Figure]:
        """``shares``, ``over_time``, and ``by_country`` / ``by_party`` when not all zero."""
        out = {
            "shares": fg.make_ranking(
                self.shares,
                value="share",
                title="Share of topic mentions",
                axis_title="Share of topic mentions",
                colour=fg.ACCENT_COLOUR,
            ),
            "over_time": fg.make_timeline(
                self.over_time,
                granularity=self.granularity,
                mode=self.mode,
                title="Topics over time",
                # It stacks mentions: a statement with two topics is in two bars.
                y_title="Share of topic mentions" if self.mode == "share" else "Topic mentions",
            ),
        }
        for key, cross, title, total, noun in (
            ("by_country", self.by_country, "Topics by party home country",
             self.countries_named, "countries"),
            ("by_party", self.by_party, "Topics by party", self.parties_named, "parties"),
        ):  # fmt: skip
            if cross["statements"].sum():
                shown = int(cross["col"].nunique())
                if 0 < shown < total:  # "top N of M": the heatmap leaves some out
                    title += f" (top {shown:,} of {total:,} {noun})"
                out[key] = fg.make_heatmap(cross, title=title, row_title="Topic")
        return out


def topics(
    view: View, granularity: ag.Granularity, top_n: int = 12, mode: str = "share"
) -> TopicsData:
    """Topic shares, topics over time, and topic x party-country / topic x party heatmaps."""
    topics_long = view.long(schema.TOPICS)
    by_country, by_party = ag.crosstabs(
        view.df,
        topics_long,
        [(view.long(schema.PARTY_COUNTRIES), "country"), (view.long(schema.PARTIES), "party")],
        row_kind="topic",
        top_rows=top_n,
        top_cols=top_n,
    )
    # Short column labels ("KKE", "CPC (Canada)"): the country goes only where an abbreviation
    # is shared, so the labels under the cells stay short enough to read.
    by_party["col_label"] = label_ids(by_party["col"], "party_short")
    drawn, over_time = counts_that_fit(
        view, granularity, breakdown="topic", long=topics_long, top_n=10
    )
    return TopicsData(
        granularity=drawn,
        requested=granularity,
        mode=mode,
        shares=ag.topic_shares(view.df, topics_long),
        over_time=over_time,
        by_country=by_country,
        by_party=by_party,
        countries_named=int(view.long(schema.PARTY_COUNTRIES)["value"].nunique()),
        parties_named=int(view.long(schema.PARTIES)["value"].nunique()),
    )


def topic_examples(view: View, topic: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` most recent statements tagged ``topic``, as full statements."""
    mask = np.zeros(len(view.dataset), dtype=bool)
    mask[view.rows[ag.rows_with_value(view.df, view.long(schema.TOPICS), topic)]] = True
    return view.statements(by_date(view.dataset, mask, n))


# --- Parties ----------------------------------------------------------------------------------


def parties_long(view: View, kinds: tuple[str, ...] | None = DEFAULT_PARTY_KINDS) -> pd.DataFrame:
    """The view's (row, party) pairs, only organisations of ``kinds`` (None: every kind)."""
    long = view.long(schema.PARTIES)
    if kinds is None or long.empty:
        return long
    values = long["value"]
    keep_ids = [c for c in values.cat.categories if party_kind(str(c)) in kinds]
    return long[values.isin(keep_ids).to_numpy()]


def party_ranking(view: View, kinds: tuple[str, ...] | None = DEFAULT_PARTY_KINDS) -> pd.DataFrame:
    """Every organisation of ``kinds`` the view's statements name, most often named first."""
    return ag.top_values(view.df, parties_long(view, kinds), "party", n=None)


def party_table(view: View, kinds: tuple[str, ...] = DEFAULT_PARTY_KINDS) -> pd.DataFrame:
    """One row per organisation of ``kinds`` the view's statements name, most often first.

    Columns: ``party`` (id), ``name`` (as on screen), ``kind``, ``home`` (country name),
    ``statements``, ``countries`` (distinct countries its statements mention), ``first`` /
    ``last`` (dates at their precision), ``trend`` (statements per year over the view's years,
    a list for a sparkline).
    """
    long = parties_long(view, kinds)
    ranking = ag.top_values(view.df, long, "party", n=None)
    if ranking.empty:
        return pd.DataFrame(
            columns=["party", "name", "kind", "home", "statements", "countries", "first",
                     "last", "trend"]
        )  # fmt: skip
    ids = ranking["value"].astype("str")
    pairs = pd.DataFrame(
        {"row": long["row"].to_numpy(), "party": long["value"].astype("str").to_numpy()}
    ).drop_duplicates()
    df = view.df
    dated = df.loc[pairs["row"].to_numpy(), ["date", "date_precision", "year"]]
    pairs = pairs.assign(
        date=dated["date"].to_numpy(),
        precision=dated["date_precision"].astype("str").to_numpy(),
        year=dated["year"].to_numpy(),
    )
    with_date = pairs[pairs["date"].notna() & (pairs["precision"] != "none")]
    first = with_date.sort_values("date", kind="stable").groupby("party").head(1).set_index("party")
    last = with_date.sort_values("date", kind="stable").groupby("party").tail(1).set_index("party")
    countries_long = view.long(schema.COUNTRIES)
    mentioned = pd.DataFrame(
        {
            "row": countries_long["row"].to_numpy(),
            "country": countries_long["value"].astype("str").to_numpy(),
        }
    ).merge(pairs[["row", "party"]], on="row")
    n_countries = mentioned.groupby("party")["country"].nunique()
    years = with_date["year"]
    trend: dict[str, list[int]] = {}
    if len(years):
        span = np.arange(int(years.min()), int(years.max()) + 1)
        per_year = with_date.groupby(["party", "year"]).size().unstack(fill_value=0)
        per_year = per_year.reindex(columns=span, fill_value=0)
        trend = {
            str(p): [int(v) for v in row]
            for p, row in zip(per_year.index, per_year.to_numpy(), strict=True)
        }

    def at_precision(table: pd.DataFrame) -> pd.Series:
        found = table.reindex(ids)
        return format_at(found["date"], found["precision"], "iso").fillna("undated")

    return pd.DataFrame(
        {
            "party": ids.to_numpy(),
            "name": ranking["label"].astype("str").to_numpy(),
            "kind": [party_kind(p) for p in ids],
            "home": label_ids([party_country(p) for p in ids], "country").tolist(),
            "statements": ranking["statements"].to_numpy(),
            "countries": n_countries.reindex(ids).fillna(0).astype(int).to_numpy(),
            "first": at_precision(first).to_numpy(),
            "last": at_precision(last).to_numpy(),
            "trend": [trend.get(p, []) for p in ids],
        }
    )


@dataclass(frozen=True)
class PartyProfile:
    party: str
    summary: dict[str, object]
    granularity: ag.Granularity
    timeline: pd.DataFrame
    span: tuple[pd.Timestamp, pd.Timestamp] | None
    topics: pd.DataFrame
    countries: pd.DataFrame
    partners: pd.DataFrame
    latest: pd.DataFrame

    @cached_property
    def figures(self) -> dict[str, go.Figure]:
        """``timeline``, ``topics``, and ``countries`` / ``partners`` when there are any."""
        out = {
            "timeline": fg.make_timeline(
                self.timeline,
                granularity=self.granularity,
                title=f"Statements per {self.granularity}",
                span=self.span,
            ),
            "topics": fg.make_ranking(self.topics, title="Its topics", colour=fg.ACCENT_COLOUR),
        }
        if not self.countries.empty:
            out["countries"] = fg.make_ranking(
                self.countries, title="Countries its statements mention"
            )
        if not self.partners.empty:
            out["partners"] = fg.make_co_mention_network(
                self.partners, center_id=self.party, center_label=label_ids(self.party, "party")
            )
        return out


def party_profile(
    view: View, party: str, top_n: int = TOP_N, latest_n: int = LATEST_N
) -> PartyProfile:
    """One party within the view: its timeline, topics, countries mentioned, partners."""
    parties_long = view.long(schema.PARTIES)
    rows = view.df[ag.rows_with_value(view.df, parties_long, party)]
    # Periods and time axis of the whole selection, not of this party's statements: every
    # party's chart reads on the same axis.
    granularity = ag.auto_granularity(view.df, finest="month")
    dates = view.df[schema.DATE].dropna()
    return PartyProfile(
        party=party,
        summary=ag.party_summary(view.df, parties_long, party),
        granularity=granularity,
        timeline=ag.count_by_period(rows, granularity),
        span=(dates.min(), dates.max()) if len(dates) else None,
        topics=ag.top_values(rows, view.long(schema.TOPICS), "topic", top_n),
        countries=ag.top_values(rows, view.long(schema.COUNTRIES), "country", top_n),
        partners=ag.co_mentioned_with(view.df, parties_long, party, top_n),
        latest=latest_statements(view, rows, latest_n),
    )


# --- Explore ----------------------------------------------------------------------------------

#: Order name -> (column, ascending).
EXPLORE_ORDERS: dict[str, tuple[str, bool]] = {
    "Newest first": (schema.DATE, False),
    "Oldest first": (schema.DATE, True),
    "Title A-Z": (schema.TITLE, True),
}


def explore_rows(view: View, order: str, limit: int) -> pd.DataFrame:
    """The first ``limit`` statements of the view in ``order`` (sorted over all of them).

    By date this walks the dataset's date order (undated last), so no sort runs per request.
    """
    column, ascending = EXPLORE_ORDERS.get(order, (schema.DATE, False))
    ds = view.dataset
    if column == schema.DATE:
        return view.statements(by_date(ds, view.mask, limit, newest=not ascending))
    if column in ds.df.columns:
        keys = ds.df[column].take(view.rows)
        keys.index = view.rows
        picked = keys.sort_values(ascending=ascending, na_position="last", kind="stable").index
        return view.statements(picked[:limit])
    return view.statements(view.rows[:limit])


# --- Data page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataQuality:
    headline: ag.Headline
    precision: pd.Series
    undated: int
    no_party: int


def data_quality(ds: Dataset) -> DataQuality:
    """Figures about the whole dataset (filters do not apply): dates, precision, coverage."""
    empty = pd.DataFrame({"row": pd.Series(dtype="int32"), "value": pd.Categorical([])})
    df = ds.analysis if ds.analysis is not None else ds.df
    span = ag.headline(
        df, ds.long.get(schema.PARTIES, empty), ds.long.get(schema.PARTY_COUNTRIES, empty)
    )
    precision = (
        df[schema.DATE_PRECISION].value_counts(sort=False)
        if schema.DATE_PRECISION in df.columns
        else pd.Series(dtype="int64")
    )
    precision.index = precision.index.astype("str")
    parties = ds.long.get(schema.PARTIES)
    named = 0
    if parties is not None and len(parties):
        named = int(np.count_nonzero(np.bincount(parties["row"].to_numpy(), minlength=len(ds))))
    return DataQuality(
        headline=span,
        precision=precision,
        undated=int(precision.get("none", 0)),
        no_party=len(ds) - named,
    )


# Each quality figure of the Data page -> what it counts (the statements it opens).
QUALITY_ISSUES: dict[str, str] = {
    "undated": "Undated",
    "coarse": "Dated to a month or year only",
    "no_party": "No party found",
    "unresolved": "With unresolved short names",
}


def quality_rows(ds: Dataset, issue: str, short_name: str = "") -> np.ndarray:
    """Dataset positions of the statements behind one Data-page figure (``QUALITY_ISSUES``).

    ``unresolved`` with ``short_name`` keeps only statements where that name stayed unresolved.
    Positions are in dataset order; every figure on the page is the length of one of these.
    """
    n = len(ds)
    df = ds.analysis if ds.analysis is not None else ds.df
    precision = (
        df[schema.DATE_PRECISION].astype("str").to_numpy()
        if schema.DATE_PRECISION in df.columns
        else np.full(n, "none")
    )
    if issue == "undated":
        return np.flatnonzero(precision == "none")
    if issue == "coarse":
        return np.flatnonzero((precision == "month") | (precision == "year"))
    if issue == "no_party":
        parties = ds.long.get(schema.PARTIES)
        named = np.zeros(n, dtype=bool)
        if parties is not None and len(parties):
            named[parties["row"].to_numpy()] = True
        return np.flatnonzero(~named)
    if issue == "unresolved":
        long = ds.long.get("unresolved")
        if long is None or long.empty:
            return np.empty(0, dtype=np.int64)
        rows = long["row"].to_numpy()
        if short_name:
            rows = rows[(long["value"].astype("str") == short_name).to_numpy()]
        return np.unique(rows)
    raise ValueError(f"issue must be one of {sorted(QUALITY_ISSUES)}, got {issue!r}")


# --- World map --------------------------------------------------------------------------------


MapMode = Literal["party_countries", "countries"]
MAP_MODES: tuple[MapMode, ...] = ("party_countries", "countries")
MAP_TOP_PARTIES = 3
MAP_COLUMNS: tuple[str, ...] = (
    "iso3",
    "country",
    "continent",
    "region",
    "statements",
    "parties",
    "top_parties",
    "top_topic",
    "on_map",
)


def _map_long(view: View, col: str) -> pd.DataFrame:
    """``view.long(col)``; a ``DatasetError`` saying how to get the column when it is missing."""
    if col not in view.dataset.long:
        raise DatasetError(
            f"the dataset has no '{col}' column",
            hint="Load it through the app (or `dashboard enrich`) so parties, countries and "
            "topics are found first",
        )
    return view.long(col)


def _coded(long: pd.DataFrame, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """``row`` and integer ``name`` codes of an exploded table, plus the code -> value array.

    Everything below joins and groups on these integers: grouping a million strings costs
    seconds, grouping their category codes a fraction of that.
    """
    values = long["value"]
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    codes = values.cat.codes.to_numpy()
    keep = codes >= 0
    frame = pd.DataFrame({"row": long["row"].to_numpy()[keep], name: codes[keep]})
    return frame, values.cat.categories.astype("str").to_numpy(dtype=object)


def _years(df: pd.DataFrame) -> np.ndarray:
    """Year per row of ``df`` as float (NaN when undated); precomputed in a view's frame."""
    if schema.YEAR in df.columns:
        years = df[schema.YEAR].to_numpy()
        return np.where(years > 0, years, np.nan)
    return df["date"].dt.year.to_numpy(dtype=float, na_value=np.nan)


def _year_by_row(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Year of each statement position in ``rows`` (NaN when undated or not in ``df``)."""
    size = int(max(df.index.max() if len(df) else -1, rows.max() if len(rows) else -1)) + 1
    years = np.full(size, np.nan)
    years[df.index.to_numpy()] = _years(df)
    return years[rows]


def available_years(view: View) -> list[int]:
    """The years that dated statements in ``view`` fall in, ascending."""
    years = _years(view.df)
    present = np.unique(years[~np.isnan(years)].astype(np.int64))
    return [int(y) for y in present]


def _map_pairs(
    view: View, by: MapMode, year: int | None, per_year: bool
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per (statement, country): ``row``, country code ``c`` (and ``year``)."""
    if by not in MAP_MODES:
        raise ValueError(f"by must be one of {MAP_MODES}, got {by!r}")
    pairs, countries = _coded(_map_long(view, by), "c")
    if year is not None or per_year:
        years = _year_by_row(view.df, pairs["row"].to_numpy())
        keep = years == year if year is not None else ~np.isnan(years)
        pairs = pairs[keep]
        if per_year:
            pairs = pairs.assign(year=years[keep].astype("int64"))
    return pairs.drop_duplicates(ignore_index=True), countries


def _party_stats(
    view: View, pairs: pd.DataFrame, countries: np.ndarray, by: MapMode, keys: list[str]
) -> pd.DataFrame:
    """Distinct parties and the most active ones per key, as ``parties`` and ``top_parties``."""
    party_codes, party_ids = _coded(_map_long(view, schema.PARTIES), "p")
    joined = pairs.merge(party_codes, on="row", how="inner")
    if by == "party_countries":
        # A statement by KKE and TKP has both GRC and TUR as party countries; only KKE counts
        # for Greece. Parties the gazetteer does not know (home -1) keep every pairing.
        country_index = pd.Index(countries)
        homes = [party_country(p) for p in party_ids]
        home_code = np.array(
            [
                country_index.get_loc(h) if h in country_index else (-1 if not h else -2)
                for h in homes
            ],
            dtype=np.int64,
        )
        home = home_code[joined["p"].to_numpy()]
        joined = joined[(home == joined["c"].to_numpy()) | (home == -1)]
    per_party = joined.groupby([*keys, "p"], sort=False).size().rename("n").reset_index()
    parties = per_party.groupby(keys, sort=False).size().rename("parties")
    per_party = per_party.sort_values(
        [*keys, "n", "p"], ascending=[True] * len(keys) + [False, True], kind="stable"
    )
    top = per_party.groupby(keys, sort=False).head(MAP_TOP_PARTIES)
    short = {code: label_ids(party_ids[code], "party_abbreviation") for code in top["p"].unique()}
    top = top.assign(label=top["p"].map(short) + " (" + top["n"].map("{:,}".format) + ")")
    # One column per rank, joined column-wise: a per-group str.join is a Python call per
    # country and year, which dominates the animation's counts.
    wide = top.assign(rank=top.groupby(keys, sort=False).cumcount())
    wide = wide.set_index([*keys, "rank"])["label"].unstack("rank")
    top_parties = wide[0]
    for rank in wide.columns[1:]:
        top_parties = top_parties.where(wide[rank].isna(), top_parties + ", " + wide[rank])
    top_parties = top_parties.rename("top_parties")
    return pd.concat([parties, top_parties], axis=1)


def _top_topic(view: View, pairs: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The most frequent topic per key; ``other`` only when nothing else was found."""
    topic_codes, topic_ids = _coded(_map_long(view, schema.TOPICS), "t")
    joined = pairs.merge(topic_codes, on="row", how="inner")
    per_topic = joined.groupby([*keys, "t"], sort=False).size().rename("n").reset_index()
    per_topic["is_other"] = topic_ids[per_topic["t"].to_numpy()] == "other"
    per_topic = per_topic.sort_values(
        [*keys, "is_other", "n", "t"], ascending=[True] * len(keys) + [True, False, True]
    )
    first = per_topic.drop_duplicates(keys).set_index(keys)["t"]
    labels = {code: label_ids(topic_ids[code], "topic") for code in first.unique()}
    return first.map(labels).rename("top_topic")


def _empty_map_counts(per_year: bool) -> pd.DataFrame:
    dtypes = {"statements": "int64", "parties": "int64", "on_map": "bool", "year": "int64"}
    columns = [*MAP_COLUMNS, "year"] if per_year else list(MAP_COLUMNS)
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


def map_counts(
    view: View,
    by: MapMode = "party_countries",
    year: int | None = None,
    *,
    per_year: bool = False,
) -> pd.DataFrame:
    """Statements, parties and the top topic per ISO-3 country of the view's statements.

    ``by="party_countries"`` counts a statement for the home country of each party it names;
    ``by="countries"`` for each country its text mentions. ``year`` keeps statements dated in
    that year (undated ones drop out); ``per_year=True`` adds a ``year`` column with one row per
    country and year (for the animation).

    Columns: ``MAP_COLUMNS`` (plus ``year``): ``statements`` (int), ``parties`` (distinct
    parties: from that country in "party_countries" mode, speaking about it in "countries"
    mode), ``top_parties`` ("KKE (12), PAME (3)"), ``top_topic`` (label), ``on_map`` (the
    1:110m base map can colour it; microstates such as Malta cannot). Sorted by statements
    (by year first when ``per_year``).
    """
    pairs, countries = _map_pairs(view, by, year, per_year)
    if pairs.empty:
        return _empty_map_counts(per_year)
    keys = ["c", "year"] if per_year else ["c"]
    statements = pairs.groupby(keys, sort=False).size().rename("statements")
    out = pd.concat(
        [
            statements,
            _party_stats(view, pairs, countries, by, keys),
            _top_topic(view, pairs, keys),
        ],
        axis=1,
    ).reset_index()
    out["iso3"] = pd.Series(countries[out["c"].to_numpy()], dtype="str")
    out["parties"] = out["parties"].fillna(0).astype("int64")
    out["top_parties"] = out["top_parties"].fillna("").astype("str")
    out["top_topic"] = out["top_topic"].fillna("").astype("str")
    out["country"] = geo.country_names(out["iso3"])
    out["continent"], out["region"] = geo.country_areas(out["iso3"])
    out["on_map"] = out["iso3"].isin(geo.topojson_country_ids())
    order = ["year", "statements", "iso3"] if per_year else ["statements", "iso3"]
    out = out.sort_values(order, ascending=[o != "statements" for o in order], kind="stable")
    columns = [*MAP_COLUMNS, "year"] if per_year else list(MAP_COLUMNS)
    return out[columns].reset_index(drop=True)


def country_rows(view: View, by: MapMode, iso3: str, year: int | None = None) -> np.ndarray:
    """Dataset positions of the statements ``map_counts`` counts for ``iso3``, ascending."""
    pairs, countries = _map_pairs(view, by, year, per_year=False)
    hits = np.flatnonzero(countries == iso3)
    if not len(hits):
        return np.empty(0, dtype=np.int64)
    return np.unique(pairs.loc[pairs["c"] == hits[0], "row"].to_numpy()).astype(np.int64)
