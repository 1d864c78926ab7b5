"""Every page opens in a real browser without an exception box, console error or outside request.

The pages are the ones ``app.py`` gives ``st.navigation``. The first test opens the app; the
others walk one tab through the sidebar's page menu like a user (each page is a fresh run, and
the page's JavaScript is loaded once), checking each page's own errors and its full count.
Opening a page at its own URL (a shared link) is covered by the other modules, which start on
``/world_map``, ``/timeline``, ``/explore`` and ``/data``.
"""

from __future__ import annotations

import pytest

from dashboard.ui.routing import APP_PAGES

# Menu title -> URL path, as app.py gives them to st.navigation. The menu links the first page
# at its own address (the root page's link had an empty one: "open in new tab" gave the page the
# user was on).
PAGES: dict[str, str] = {page.title: f"/{page.url_path}" for page in APP_PAGES}


@pytest.fixture(scope="module")
def tour(module_app):
    return module_app.open("/", selector='[data-testid="stMain"] h1')


def test_navigation_lists_every_page(tour):
    assert tour.nav_links() == PAGES


@pytest.mark.parametrize("title", list(PAGES))
def test_page_loads_cleanly(tour, fixture_data, title):
    tour.clear_records()
    tour.go_to_page(title)  # Overview too: from the root address to its own, /overview
    tour.wait_idle('[data-testid="stMain"] h1')
    assert (
        tour.page.locator('[data-testid="stMain"] h1')
        .first.inner_text()
        .startswith(title.split()[0])
    )
    assert tour.url.removeprefix(tour.base_url).split("?")[0] == PAGES[title]
    assert tour.problems() == []
    assert tour.shown_count() == len(fixture_data)


def test_no_request_leaves_the_machine(tour):
    # Visit every page in one tab and collect every request that tried to go elsewhere.
    tour.clear_records()
    for title in PAGES:
        tour.go_to_page(title)
        tour.wait_idle('[data-testid="stMain"] h1')
    assert tour.blocked == []
