"""Each page's data step as a plain function of a ``View`` and the page's settings.

The pages call these (through ``ui.cache.page_data``, which shares the results between viewers
of the same dataset, filters and settings), and so do the tests and ``scripts/bench_pages.py``:
there is one copy of what a page computes. Every function returns a small frozen dataclass of
aggregates whose size depends on the number of periods, parties, countries or topics - never on
the number of statements - plus, where a page lists statements, those few full rows. Nothing
returned here may be mutated by a caller: it may be shared with other viewers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import aggregate as ag
from dashboard import schema
from dashboard.dataset import Dataset
from dashboard.labels import party_distinct_short
from dashboard.view import View

TOP_N = 10
LATEST_N = 10


def latest_statements(view: View, rows: pd.DataFrame | None, n: int) -> pd.DataFrame:
    """The ``n`` most recent of ``rows`` (a frame of the view's analysis columns; default: the
    whole view) as full statements."""
    picked = ag.latest(view.df if rows is None else rows, n)
    return view.statements(picked.index)


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
    latest: pd.DataFrame


def overview(view: View, top_n: int = TOP_N, latest_n: int = LATEST_N) -> OverviewData:
    """Headline numbers, a monthly (or coarser) timeline, top parties and topics, latest rows."""
    parties = view.long(schema.PARTIES)
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
        latest=latest_statements(view, None, latest_n),
    )


# --- Timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineData:
    counts: pd.DataFrame
    placed: dict[str, int]
    rolling: pd.DataFrame | None


def _breakdown_long(view: View, breakdown: str) -> pd.DataFrame | None:
    column = ag.BREAKDOWN_COLUMNS.get(breakdown, ("", None))[0]
    return view.long(column) if breakdown in ag.LIST_BREAKDOWNS else None


def timeline(
    view: View,
    granularity: ag.Granularity,
    breakdown: ag.Breakdown = "none",
    top_n: int = 8,
    window: int = 0,
) -> TimelineData:
    """Statements per period (and group), where they were placed, and a rolling mean."""
    long = _breakdown_long(view, breakdown)
    counts = ag.count_by_period(view.df, granularity, breakdown=breakdown, long=long, top_n=top_n)
    return TimelineData(
        counts=counts,
        placed=ag.placement_counts(view.df, granularity),
        rolling=ag.rolling_mean(view.df, granularity, window) if window else None,
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
    shares: pd.DataFrame
    over_time: pd.DataFrame
    by_country: pd.DataFrame
    by_party: pd.DataFrame


def topics(view: View, granularity: ag.Granularity, top_n: int = 12) -> TopicsData:
    """Topic shares, topics over time, and topic x party-country / topic x party heatmaps."""
    topics_long = view.long(schema.TOPICS)
    by_party = ag.crosstab(
        view.df,
        topics_long,
        view.long(schema.PARTIES),
        row_kind="topic",
        col_kind="party",
        top_rows=top_n,
        top_cols=top_n,
    )
    # Short column labels ("KKE", "CPC (Canada)"): the country goes only where an abbreviation
    # is shared, so the labels under the cells stay short enough to read.
    by_party["col_label"] = by_party["col"].map(party_distinct_short).astype("str")
    return TopicsData(
        shares=ag.topic_shares(view.df, topics_long),
        over_time=ag.count_by_period(
            view.df, granularity, breakdown="topic", long=topics_long, top_n=10
        ),
        by_country=ag.crosstab(
            view.df,
            topics_long,
            view.long(schema.PARTY_COUNTRIES),
            row_kind="topic",
            col_kind="country",
            top_rows=top_n,
            top_cols=top_n,
        ),
        by_party=by_party,
    )


def topic_examples(view: View, topic: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` most recent statements tagged ``topic``, as full statements."""
    topics_long = view.long(schema.TOPICS)
    rows = view.df[ag.rows_with_value(view.df, topics_long, topic)]
    return latest_statements(view, rows, n)


# --- Parties ----------------------------------------------------------------------------------


def party_ranking(view: View) -> pd.DataFrame:
    """Every party the view's statements name, most often named first."""
    return ag.top_values(view.df, view.long(schema.PARTIES), "party", n=None)


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
    if column == schema.DATE and ds.dates is not None:
        order_rows = ds.dates.order
        dated = ~np.isnat(ds.dates.start[order_rows])
        in_view = view.mask[order_rows]
        dated_rows = order_rows[dated & in_view]
        undated_rows = order_rows[~dated & in_view]
        if not ascending:
            # Newest first; within a day, a day-precision statement before a month-precision
            # one of the same month start (it is at least as late).
            dated_rows = dated_rows[::-1]
        picked = np.concatenate([dated_rows, undated_rows])[:limit]
        if not ascending and len(picked):
            # Within one start day, a day-precision statement before a month- or year-precision
            # one (it is known to be at least as late); undated rows stay last.
            start = ds.dates.start[picked]
            newest = np.where(np.isnat(start), np.iinfo(np.int64).max, -start.astype(np.int64))
            picked = picked[np.lexsort((ds.dates.rank[picked], newest))]
        return view.statements(picked)
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
