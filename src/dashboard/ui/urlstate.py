"""Page settings in the URL: each page widget seeded from ``?param=`` and written back.

Owns the round trip between a page's own widgets (the Timeline's period, the map's mode, the
country whose statements are listed, ...) and the query string, so a copied link reproduces the
view and the browser's Back/Forward move between views:

* ``bind(key, param, options, default)`` is called just before the widget with ``key`` is drawn.
  When the URL's value of ``param`` is not the one this session last wrote - a fresh session, a
  pasted link, Back/Forward (Streamlit reruns with the older query string) - the URL is the
  truth and seeds the widget; an unknown or stale value is dropped with a notice. Otherwise the
  widget is the truth.
* ``write(base)`` runs once at the end of every run (``app.py``): the run context's filters plus the
  current value of every widget bound in this run, written in one go. Streamlit pushes a browser
  history entry per query-string message, so one write per run is one step for Back.

Values equal to the default are left out of the URL, so an untouched page keeps a short link.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.ui.safe import md

_SS_WRITTEN = "_urlstate_written"  # the query string this session last wrote (dict of lists)
MULTI_SEP = ","


@dataclass(frozen=True)
class Binding:
    key: str
    param: str
    default: Any
    to_url: Callable[[Any], str]
    multi: bool


_RUN = threading.local()


def start_run() -> None:
    """Forget the previous run's bindings (called by ``app.py`` before the page runs)."""
    _RUN.bindings = {}
    _RUN.notices = []
    _RUN.extra = {}
    _RUN.slot = None


def _bindings() -> dict[str, Binding]:
    if not hasattr(_RUN, "bindings"):
        start_run()
    return _RUN.bindings  # type: ignore[no-any-return]


def notices() -> list[str]:
    """Notices about link values dropped in this run (the page shows them)."""
    if not hasattr(_RUN, "notices"):
        start_run()
    return _RUN.notices  # type: ignore[no-any-return]


def url_values(param: str) -> list[str]:
    """The URL's values of ``param`` (a list: a parameter may repeat)."""
    return [str(v) for v in st.query_params.get_all(param)]


def changed_outside(params: Sequence[str]) -> bool:
    """True when the URL holds other values for ``params`` than this session last wrote.

    That is a fresh session, a link opened in this tab, or Back/Forward: the URL is the truth.
    """
    written = st.session_state.get(_SS_WRITTEN)
    if not isinstance(written, Mapping):
        return True
    return any(url_values(p) != list(written.get(p, [])) for p in params)


def _notice(param: str, raw: str, label: str) -> None:
    notices().append(
        f"Ignored {param}=“{raw[:40]}” in the link: no such {label} here, so the page shows its "
        "default instead."
    )


def bind(
    key: str,
    param: str,
    options: Sequence[Any],
    default: Any,
    *,
    label: str = "setting",
    to_url: Callable[[Any], str] = str,
    multi: bool = False,
) -> Any:
    """Seed widget ``key`` from ``?param=`` when the URL is the truth; register it for ``write``.

    ``options`` are the values the widget accepts (matched by ``to_url(option)``); ``default``
    is used when the URL says nothing or names only unknown values, and is left out of the URL.
    With ``multi`` the value is a list and the URL holds it comma-separated. A value kept in the
    session that is no longer among ``options`` (the filters changed) falls back to the default.
    Returns the value the widget will show.
    """
    by_text = {to_url(o): o for o in options}
    if changed_outside([param]) or key not in st.session_state:
        raw = MULTI_SEP.join(url_values(param)).strip()
        value = default
        if raw:
            if multi:
                parts = [p.strip() for p in raw.split(MULTI_SEP) if p.strip()]
                known = [by_text[p] for p in parts if p in by_text]
                for p in parts:
                    if p not in by_text:
                        _notice(param, p, label)
                value = known or default
            elif raw in by_text:
                value = by_text[raw]
            else:
                _notice(param, raw, label)
        st.session_state[key] = list(value) if multi else value
    current = st.session_state.get(key)
    if multi:
        kept = [v for v in (current or []) if to_url(v) in by_text]
        if len(kept) != len(current or []):
            st.session_state[key] = kept
    elif to_url(current) not in by_text if current is not None else default is not None:
        st.session_state[key] = default
    _bindings()[key] = Binding(key, param, default, to_url, multi)
    return st.session_state[key]


def bound_query() -> dict[str, str]:
    """URL parameters for every widget bound in this run whose value is not its default."""
    query: dict[str, str] = {}
    for b in _bindings().values():
        if b.key not in st.session_state:
            continue
        value = st.session_state[b.key]
        if b.multi:
            if list(value or []) == list(b.default or []):
                continue
            query[b.param] = MULTI_SEP.join(b.to_url(v) for v in value)
        elif value is not None and value != b.default:
            query[b.param] = b.to_url(value)
    return query


def set_param(param: str, values: Sequence[str]) -> None:
    """Register a parameter that is not a widget (e.g. the chart bars clicked) for ``write``."""
    if values:
        _RUN.extra = {**getattr(_RUN, "extra", {}), param: list(values)}


def write(base: Mapping[str, str], keep: Sequence[str] = ()) -> None:
    """Write ``base`` plus this run's bound page settings as the URL, in one message.

    Parameters named in ``keep`` (not owned by the app, e.g. Streamlit's ``embed``) stay.
    """
    desired: dict[str, list[str]] = {k: [v] for k, v in base.items()}
    desired.update({k: [v] for k, v in bound_query().items()})
    desired.update(getattr(_RUN, "extra", {}))
    _RUN.extra = {}
    for k in keep:
        if k in st.query_params and k not in desired:
            desired[k] = url_values(k)
    current = {k: url_values(k) for k in st.query_params}
    if current != desired:
        st.query_params.from_dict(desired)
    st.session_state[_SS_WRITTEN] = desired


def notice_slot() -> None:
    """Reserve the place (under the page's heading) where ``show_notices`` puts its warnings."""
    _RUN.slot = st.container()


def show_notices() -> None:
    """Warnings for link values dropped in this run, in the reserved slot (each shown once)."""
    slot = getattr(_RUN, "slot", None)
    if slot is None:
        return
    with slot:
        for text in notices():
            st.warning(md(text), icon=":material/link_off:")
    notices().clear()
