"""Data page: what is loaded, how good it is, and loading another dataset.

Shows the source, size, date span and load report of the session's dataset, its data quality
(undated statements, statements where no party was found, ambiguous short names left unresolved)
and an uploader: the file is read and enriched with a progress bar, a column-mapping step appears
when the text column is not obvious, and a file that cannot be used leaves the current dataset
in place with a message saying why.
"""

import pandas as pd
import streamlit as st

from dashboard import pagedata
from dashboard.dates import format_at
from dashboard.errors import DatasetError
from dashboard.filters import option_counts
from dashboard.ui import cache, state
from dashboard.ui.page import dataset_key, show_statements, start_page
from dashboard.ui.safe import md
from dashboard.ui.urlstate import bind

OUR_COLUMNS = {
    "text": "Statement text",
    "title": "Title",
    "date": "Date",
    "url": "Link (URL)",
    "id": "Id",
}
NONE = "(none)"
QUALITY_ROWS_SHOWN = 200


def unresolved_rows(ds):  # noqa: ANN001, ANN201 - a cache key function of the dataset
    """Positions of statements with an unresolved short name (cached per dataset)."""
    return pagedata.quality_rows(ds, "unresolved")


# 1. selection: the session's dataset (the whole of it: filters do not apply here)
view = start_page("Data")
# The caption above is the one every page shows (shared links and tests read it); say plainly
# that this page ignores it.
st.caption(
    ":material/info: The sidebar filters do not apply here: this page describes the "
    "whole loaded dataset."
)
ds = view.dataset
df = ds.df
report = ds.report

# 2. data
n = len(df)
quality = cache.dataset_data(ds, pagedata.data_quality)
span, precision, undated, no_party = (
    quality.headline,
    quality.precision,
    quality.undated,
    quality.no_party,
)
unresolved = option_counts(ds, "unresolved").rename("statements").rename_axis("short name")

# 3. render
st.header("Loaded dataset")
# The file name as plain text (a metric would cut it to a few letters), never as markup.
st.text(f"Source: {ds.source or '(unnamed)'}", width="stretch")
cols = st.columns(3)
cols[0].metric("Statements", f"{n:,}")
# Dates at their precision: a date known only to the month reads "Oct 2015", not a day.
first = format_at(span.first, span.first_precision, "label") if span.first is not None else "-"
last = format_at(span.last, span.last_precision, "label") if span.last is not None else "-"
cols[1].metric("First date", first)
cols[2].metric("Last date", last)
if report is not None:
    st.write(f"**Load report** ({md(report.format or 'unknown format')}): {md(report.summary())}")
    if report.columns:
        mapping = pd.DataFrame(
            {
                "column in the dashboard": list(report.columns),
                "column in the file": list(report.columns.values()),
            }
        )
        st.dataframe(mapping, hide_index=True, width="content")
    for warning in report.warnings:
        st.warning(md(warning))

st.header("Data quality")
coarse = int(precision.get("month", 0) + precision.get("year", 0))
figures = {
    "undated": undated,
    "coarse": coarse,
    "no_party": no_party,
    "unresolved": len(cache.dataset_data(ds, unresolved_rows)),
}
cols = st.columns(4)
cols[0].metric(
    "Undated", f"{undated:,}", help="No date could be read; shown only without a date filter."
)
cols[1].metric("Dated to a month or year only", f"{coarse:,}")
cols[2].metric("No party found", f"{no_party:,}")
cols[3].metric("With unresolved short names", f"{figures['unresolved']:,}")
# Every figure opens the statements behind it (kept in the URL as ?issue=...).
issues = [k for k in pagedata.QUALITY_ISSUES if figures[k]]
if issues:
    bind("data_issue", "issue", issues, None, label="quality figure")
    issue = st.pills(
        "Show the statements behind a figure",
        options=issues,
        format_func=lambda k: f"{pagedata.QUALITY_ISSUES[k]} ({figures[k]:,})",
        key="data_issue",
    )
else:
    issue = None
if unresolved.empty:
    st.caption("Every short party name in the text could be resolved.")
else:
    st.caption(
        "Short names shared by several parties (e.g. CPC: Canada or China) that the context did "
        "not resolve; add context words for them in data/parties.csv."
    )
    st.dataframe(unresolved.reset_index(), hide_index=True, width="content")
if issue:
    short = ""
    if issue == "unresolved" and not unresolved.empty:
        # Each count in the short-name table opens its statements too (?short=CPC).
        names = ["", *unresolved.index.astype("str").tolist()]
        bind("data_short", "short", names, "", label="unresolved short name")
        short = st.selectbox(
            "Short name",
            options=names,
            format_func=lambda v: f"{v} ({int(unresolved[v]):,})" if v else "All short names",
            key="data_short",
        )
    positions = pagedata.quality_rows(ds, issue, short)
    st.subheader(
        f"{pagedata.QUALITY_ISSUES[issue]}{f' ({md(short)})' if short else ''}: "
        f"{len(positions):,} statements"
        + (
            f" (the first {QUALITY_ROWS_SHOWN:,} shown)"
            if len(positions) > QUALITY_ROWS_SHOWN
            else ""
        )
    )
    extra = ["Unresolved short names"] if issue == "unresolved" else []
    show_statements(
        ds.rows(positions[:QUALITY_ROWS_SHOWN]),
        key="data_issue_rows",
        limit=QUALITY_ROWS_SHOWN,
        columns=["Date", "Title", "Text", "Parties", *extra, "Link", "Id"],
    )

st.header("Load another dataset")
if dataset_key():
    st.button(
        "Back to the startup dataset",
        key="data_back_to_startup",
        on_click=state.use_startup_dataset,
        icon=":material/undo:",
    )
extensions = cache.supported_extensions()
upload = st.file_uploader(
    "Statements file (" + ", ".join(f".{e}" for e in extensions) + ")",
    type=list(extensions),
    key="data_upload",
    help="One statement per row (or per line for .txt). The file is read and enriched on this "
    "server; nothing is sent anywhere else.",
)
if upload is not None:
    data = upload.getvalue()
    file_key = cache.content_key(data)
    # Outcome per uploaded file ("" = loaded, else the error), so a rerun - or going back to
    # the startup dataset while the file is still in the uploader - does not load it again.
    outcomes: dict[str, str] = st.session_state.setdefault("_data_upload_outcomes", {})
    previews: dict[str, tuple[list[str], dict[str, str]]] = st.session_state.setdefault(
        "_data_upload_previews", {}
    )
    try:
        if file_key not in previews:
            previews[file_key] = cache.preview_upload_columns(data, upload.name)
        columns, detected = previews[file_key]
    except DatasetError as err:
        st.error(f"{md(err)} The current dataset is unchanged.", icon=":material/error:")
        st.stop()
    obvious = "text" in detected or "title" in detected
    choose = st.toggle(
        "Choose the columns myself", value=not obvious, key="data_map_manual", disabled=not obvious
    )
    mapping = None
    submitted = False
    if choose:
        if not obvious:
            st.info("Which column holds the statement text? Pick the columns below.")
        with st.form("data_mapping"):
            picks = {}
            for ours, label in OUR_COLUMNS.items():
                options = [NONE, *columns]
                guess = detected.get(ours)
                picks[ours] = st.selectbox(
                    label,
                    options=options,
                    index=options.index(guess) if guess in options else 0,
                    key=f"data_map_{ours}",
                )
            submitted = st.form_submit_button("Load with these columns")
        # "" tells the loader to ignore a column it would otherwise pick up by its name.
        mapping = {ours: ("" if theirs == NONE else theirs) for ours, theirs in picks.items()}
        if submitted and not (mapping["text"] or mapping["title"]):
            st.error("Pick the column that holds the statement text (or at least a title).")
            st.stop()
    if submitted or (not choose and file_key not in outcomes):
        bar = st.progress(0.0, text=f"Reading and enriching {md(upload.name)}…")
        _, error = state.open_upload(
            data,
            upload.name,
            mapping,
            progress=lambda done: bar.progress(min(max(float(done), 0.0), 1.0)),
        )
        bar.empty()
        outcomes[file_key] = error
        if not error:
            st.rerun()
    if outcomes.get(file_key):
        st.error(
            f"{md(outcomes[file_key])} The current dataset is unchanged.", icon=":material/error:"
        )
    elif file_key in outcomes and dataset_key():
        st.success(f"{md(upload.name)} is loaded.", icon=":material/check_circle:")
        # Served from a statement store: the upload can join it for every viewer.
        if cache.startup_live_store() is not None and st.button(
            f"Add its {len(ds):,} statements to the statement store",
            key="data_add_to_store",
            icon=":material/library_add:",
        ):
            try:
                st.success(md(state.add_upload_to_store(dataset_key())))
            except DatasetError as err:
                st.error(f"{md(err)} The store is unchanged.", icon=":material/error:")
