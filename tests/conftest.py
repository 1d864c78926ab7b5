"""Shared test fixtures: AppTest routes every run through app.py's ``st.navigation``."""

from __future__ import annotations

import pytest

from dashboard.ui import routing


@pytest.fixture(autouse=True)
def navigation_routing(request, monkeypatch):
    """Route every AppTest run through app.py's ``st.navigation``, as the server does.

    AppTest resets Streamlit's routing mode before *every* run (see ``dashboard.ui.routing``),
    so each run would start on the page file alone and the app's reroute would swallow button
    clicks. Tests named ``*legacy*`` keep AppTest's behaviour to check that reroute (the
    server's first request).
    """
    if "legacy" in request.node.name:
        return
    from streamlit.runtime import pages_manager

    class _SettledRouting(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            routing.settle_navigation_routing()

    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", _SettledRouting)
