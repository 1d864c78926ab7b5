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

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard import schema
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.events import events_between, load_events
from dashboard.labels import party_distinct_short, party_label
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
                self.top_topics, title="Most frequent topics", colour=fg.ACCENT_COLOUR
            ),
        }
        if not self.top_parties.empty:
            out["parties"] = fg.make_ranking(self.top_parties, title="Parties named most often")
        return out


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
            last = ag.period_end(counts["period"].max(), granularity)
            events = events_between(load_events(), counts["period"].min(), last)
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

    @cached_property
    def figures(self) -> dict[str, go.Figure]:
        """``shares``, ``over_time``, and ``by_country`` / ``by_party`` when not all zero."""
        out = {
            "shares": fg.make_ranking(
                self.shares,
                value="share",
                title="Share of topic mentions",
                colour=fg.ACCENT_COLOUR,
            ),
            "over_time": fg.make_timeline(
                self.over_time,
                granularity=self.granularity,
                mode=self.mode,
                title="Topics over time",
            ),
        }
        for key, cross, title in (
            ("by_country", self.by_country, "Topics by party home country"),
            ("by_party", self.by_party, "Topics by party"),
        ):
            if cross["statements"].sum():
                out[key] = fg.make_heatmap(cross, title=title, row_title="Topic")
        return out


def topics(
    view: View, granularity: ag.Granularity, top_n: int = 12, mode: str = "share"
) -> TopicsData:
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
    drawn, over_time = counts_that_fit(
        view, granularity, breakdown="topic", long=topics_long, top_n=10
    )
    return TopicsData(
        granularity=drawn,
        requested=granularity,
        mode=mode,
        shares=ag.topic_shares(view.df, topics_long),
        over_time=over_time,
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
                self.partners, center_id=self.party, center_label=party_label(self.party)
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
