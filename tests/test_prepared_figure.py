"""Charts reach Streamlit as a dict made once per cached figure, not a deep copy per run."""

from __future__ import annotations

import gc

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools

from dashboard.ui.page import _DERIVED, derived, prepared_figure


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[3, 4]), layout={"title": {"text": "Counts"}})


def test_streamlit_gets_the_same_spec_as_from_the_figure_itself() -> None:
    fig = _figure()
    # What st.plotly_chart does with its argument (plotly.tools, then plotly.io).
    spec = plotly.tools.return_figure_from_figure_or_data(prepared_figure(fig), True)
    assert spec == fig.to_dict()
    assert pio.to_json(spec, validate=False) == pio.to_json(fig.to_dict(), validate=False)


def test_one_dict_per_figure_object_while_it_lives() -> None:
    fig, other = _figure(), _figure()
    first = prepared_figure(fig)
    assert prepared_figure(fig) is first
    assert first.to_dict() is prepared_figure(fig).to_dict()
    assert prepared_figure(other) is not first
    key = id(fig)
    del fig, first
    gc.collect()
    assert key not in _DERIVED


def test_derived_is_built_once_per_object_and_key() -> None:
    calls: list[str] = []

    class Data:
        pass

    data = Data()
    for _ in range(3):
        assert derived(data, "a", lambda: calls.append("a") or 1) == 1
    assert derived(data, "b", lambda: calls.append("b") or 2) == 2
    assert derived(Data(), "a", lambda: calls.append("new") or 3) == 3
    assert calls == ["a", "b", "new"]
