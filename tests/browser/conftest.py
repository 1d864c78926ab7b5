"""Harness for the end-to-end browser tests: fixture dataset, one app server, headless Chromium.

Everything in ``tests/browser/`` is marked ``browser`` and skipped (with the install command)
when Debian's Chromium is absent. One ``dashboard serve`` process runs on a small hand-written
dataset for the whole session; each test gets fresh browser contexts through the ``app``
fixture, which blocks and records every request that would leave the machine, records console
errors, page errors and JavaScript dialogs, and knows when Streamlit has finished a run.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from support.devserver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    RUN_COUNTER_JS,
    ServerDidNotStart,
    idle_js,
    running_app,
)

# The caption every page shows: "3 of 16 statements · party: KKE" or "16 statements · no filters".
CAPTION_COUNT = re.compile(r"(?:([\d,]+) of )?([\d,]+) statements?\b")
# The page menu: Streamlit's own navigation, or the st.page_link menu app.py draws instead.
NAV_LINKS = 'a[data-testid="stSidebarNavLink"], a[data-testid="stPageLink-NavLink"]'
# Generous: on a busy 2-core machine plotly alone can take 20 s to parse and draw a map.
RUN_TIMEOUT_MS = 90_000

# Console messages that are not the app's fault. Chromium reports each request we abort in
# ``page.route`` as a failed resource; those are recorded (and asserted on) as ``blocked``.
BENIGN_CONSOLE = ("net::ERR_FAILED", "net::ERR_BLOCKED_BY_CLIENT")
# Opened at a page's own URL (``/timeline``), Streamlit's frontend first probes
# ``/timeline/_stcore/health`` and ``.../host-config`` to find the server's base path; the 404s
# are how it learns that the app lives at ``/``.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


# --------------------------------------------------------------------------------------------
# The fixture dataset, written as code. ``homes`` is the hand-made oracle: the ISO-3 home
# countries of the parties each statement names (what the map and party filters must show).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    id: str
    date: str
    title: str
    text: str
    homes: tuple[str, ...] = ()
    url: str = ""


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "f01",
        "2015-10-12",
        "KKE on the solidarity mission",
        "The Communist Party of Greece (KKE) issued a statement after the solidarity mission "
        "to Syria on 10-13 October.",
        ("GRC",),
    ),
    Statement(
        "f02",
        "2015-10-20",
        "Communist Party of Canada gains votes",
        "The Communist Party of Canada received around 1,500 more votes in the federal "
        "elections than in the last ones.",
        ("CAN",),
    ),
    Statement(
        "f03",
        "2015-10-08",
        "Japanese Communist Party offers a coalition",
        "The Japanese Communist Party proposed a national coalition government to repeal the "
        "security laws.",
        ("JPN",),
    ),
    Statement(
        "f04",
        "2015-10-15",
        "Portuguese Communist Party presents its candidate",
        "The Portuguese Communist Party presented Edgar Silva as its presidential candidate, "
        "defending the rights of the workers.",
        ("PRT",),
    ),
    Statement(
        "f05",
        "2015-10-14",
        "<script>alert(1)</script>",
        "The Communist Party of Greece condemns the new memorandum bill "
        "<script>alert(1)</script> and calls workers to the streets.",
        ("GRC",),
    ),
    Statement(
        "f06",
        "2015-10-16",
        "",
        '=HYPERLINK("http://example.com/x","click") The Communist Party of Argentina declares '
        "support for the Victory Front in the elections.",
        ("ARG",),
    ),
    Statement(
        "f07",
        "2015-10-22",
        "",
        "+1 vote: the Communist Party of the Peoples of Spain calls for the unity of the "
        "working class.",
        ("ESP",),
    ),
    Statement(
        "f08",
        "2015-10",
        "Communist Party of India on the attacks",
        "The Communist Party of India expresses concern about the recent attacks and the "
        "responsibility of the government.",
        ("IND",),
    ),
    Statement(
        "f09",
        "2015-10-30",
        "Parties expose the Trans-Pacific Partnership",
        "Communist parties all over the world expose the imperialist interests behind the "
        "Trans-Pacific Partnership.",
        (),
    ),
    Statement(
        "f10",
        "2019-10-18",
        "21st International Meeting opens in Izmir",
        "Co-hosted by the Communist Party of Greece (KKE) and the Communist Party of Turkey "
        "(TKP), the 21st International Meeting of Communist and Workers' Parties has started "
        "in Izmir.",
        ("GRC", "TUR"),
    ),
    Statement(
        "f11",
        "2019-10-19",
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=alert(1)> The South African Communist Party sends its greetings "
        "to the meeting.",
        ("ZAF",),
    ),
    Statement(
        "f12",
        "2019-10-20",
        "",
        "@SUM(1) The Communist Party of Sri Lanka criticises the government's position on the "
        "human rights resolution.",
        ("LKA",),
    ),
    Statement(
        "f13",
        "2019-10-02",
        "",
        "-2 per cent wages: the Communist Party of Ukraine protests against the new budget.",
        ("UKR",),
    ),
    Statement(
        "f14",
        "2019-10-25",
        "Communist Party of Turkey on the war",
        "The Communist Party of Turkey calls for peace and condemns the military operation.",
        ("TUR",),
    ),
    Statement(
        "f15",
        "",
        "Communist Party of Australia on housing",
        "The Communist Party of Australia demands public housing for working families.",
        ("AUS",),
    ),
    Statement(
        "f16",
        "2019-10-09",
        "Party for Socialism and Liberation marches",
        "The Party for Socialism and Liberation marched against the sanctions.",
        ("USA",),
    ),
)


@dataclass(frozen=True)
class FixtureData:
    """The fixture dataset as the tests see it: the file and the expected facts about it."""

    path: Path
    statements: tuple[Statement, ...] = STATEMENTS

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def home_countries(self) -> set[str]:
        return {iso for s in self.statements for iso in s.homes}

    def naming(self, iso3: str) -> list[Statement]:
        """Statements naming a party whose home country is ``iso3``."""
        return [s for s in self.statements if iso3 in s.homes]

    def by_id(self, sid: str) -> Statement:
        return next(s for s in self.statements if s.id == sid)


def write_fixture(path: Path) -> Path:
    """Write ``STATEMENTS`` as a CSV a user might bring (id, date, title, text, url)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "title", "text", "url"])
        for s in STATEMENTS:
            writer.writerow([s.id, s.date, s.title, s.text, s.url])
    return path


# --------------------------------------------------------------------------------------------
# Marking and skipping
# --------------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    reason = ""
    if not CHROMIUM.exists():
        reason = (
            f"browser tests need Debian's Chromium at {CHROMIUM}: "
            "install it with `apt-get install -y chromium` (never `playwright install`)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests need Playwright for Python: `pip install -e '.[test]'`"
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


# --------------------------------------------------------------------------------------------
# The app server
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> FixtureData:
    folder = tmp_path_factory.mktemp("browser-data")
    return FixtureData(path=write_fixture(folder / "statements.csv"))


@pytest.fixture(scope="session")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-server") / "server.log"


@pytest.fixture(scope="session")
def base_url(fixture_data: FixtureData, server_log: Path) -> Iterator[str]:
    try:
        with running_app(fixture_data.path, server_log) as url:
            yield url
    except ServerDidNotStart as err:
        pytest.fail(str(err), pytrace=False)


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


IDLE_JS = idle_js(quiet_ms=300)


@dataclass
class Tab:
    """One page in its own browser context, with everything it did that a test may check."""

    page: Any
    context: Any
    base_url: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.page.url)

    def wait_idle(self, selector: str | None = None, timeout: int = RUN_TIMEOUT_MS) -> None:
        """Wait until Streamlit is connected, idle and shows nothing stale (and ``selector``)."""
        self.page.wait_for_function(IDLE_JS, timeout=timeout, polling=100)
        if selector:
            self.page.wait_for_selector(selector, timeout=timeout)
            self.page.wait_for_function(IDLE_JS, timeout=timeout, polling=100)

    def runs(self) -> int:
        return int(self.page.evaluate("window.__stRuns || 0"))

    @contextlib.contextmanager
    def rerun(self, timeout: int = RUN_TIMEOUT_MS) -> Iterator[None]:
        """Wrap an action that makes Streamlit rerun; return when that run has finished.

        The run shows as a finished run, or - when it was too quick to ever show "running" -
        as messages from the server; then the page must be idle (quiet for a while).
        """
        runs, msgs = self.page.evaluate("[window.__stRuns || 0, window.__stMsgs || 0]")
        yield
        self.page.wait_for_function(
            f"() => (window.__stRuns || 0) > {runs} || (window.__stMsgs || 0) > {msgs}",
            timeout=timeout,
            polling=50,
        )
        self.wait_idle(timeout=timeout)

    def sidebar_widget(self, key: str) -> Any:
        """The element Streamlit drew for the widget with ``key`` (its ``st-key-*`` class)."""
        return self.page.locator(f".st-key-{key}")

    def shown_count(self) -> int:
        """How many statements the page says it shows (from the filters caption)."""
        captions = self.page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
        texts = [captions.nth(i).inner_text() for i in range(captions.count())]
        for text in texts:
            found = CAPTION_COUNT.search(text)
            if found:
                return int((found.group(1) or found.group(2)).replace(",", ""))
        raise AssertionError(f"no caption says how many statements are shown: {texts}")

    def go_to_page(self, title: str) -> None:
        """Switch page with the sidebar's page menu (in the app, as a user does: no reload)."""
        links = self.nav_links()
        if urlparse(self.url).path == links[title]:
            return  # already there: clicking the current page's link starts no run
        titles = list(links)
        with self.rerun():
            self.page.locator(NAV_LINKS).nth(titles.index(title)).click()

    def clear_records(self) -> None:
        """Forget what was recorded so far (before checking the next page of a tour)."""
        for records in (self.console_errors, self.page_errors, self.blocked, self.dialogs):
            records.clear()

    def nav_links(self) -> dict[str, str]:
        """Link text -> URL path (without the query) of every page in the sidebar's menu."""
        links = self.page.eval_on_selector_all(
            NAV_LINKS, "els => els.map(e => [e.innerText, e.href])"
        )
        # innerText starts with the material icon's ligature name: keep the last line only.
        return {text.strip().splitlines()[-1]: urlparse(href).path for text, href in links}

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.url).query)

    def pick(self, key: str, typed: str, option: str | None = None) -> None:
        """Choose the option matching ``option`` (default ``typed``) in multiselect ``key``."""
        box = self.sidebar_widget(key)
        with self.rerun():
            box.locator("input").first.click()
            box.locator("input").first.fill(typed)
            wanted = re.compile(re.escape(option or typed))
            self.page.get_by_role("option", name=wanted).first.click()
        self.page.keyboard.press("Escape")

    def grid_rows(self, grid: Any) -> int:
        """Rows of data in an ``st.dataframe`` (its grid's ``aria-rowcount`` less the header)."""
        count = grid.locator("[aria-rowcount]").first.get_attribute("aria-rowcount")
        return int(count) - 1

    def grid_text(self, grid: Any) -> str:
        """The text of the rows an ``st.dataframe`` has drawn (its accessible table's cells)."""
        return str(grid.locator("table").first.text_content())

    def exceptions(self) -> list[str]:
        boxes = self.page.locator('[data-testid="stException"]')
        return [boxes.nth(i).inner_text()[:600] for i in range(boxes.count())]

    def problems(self) -> list[str]:
        """Exception boxes, uncaught page errors and console errors: all a user could hit."""
        found = [f"exception box: {text}" for text in self.exceptions()]
        found += [f"page error: {text}" for text in self.page_errors]
        found += [f"console error: {text}" for text in self.console_errors]
        return found

    def main_text(self) -> str:
        return str(self.page.locator('[data-testid="stMain"]').inner_text())

    def plotly_data(self, index: int = 0) -> list[dict[str, Any]]:
        """The traces plotly drew in the ``index``-th chart (``_fullData``: after defaults)."""
        return self.page.evaluate(
            """(i) => {
                const el = document.querySelectorAll('.js-plotly-plot')[i];
                if (!el || !el._fullData) return null;
                return el._fullData.map(t => ({
                    type: t.type, name: t.name, visible: t.visible,
                    x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null,
                    z: t.z ? Array.from(t.z) : null,
                    locations: t.locations ? Array.from(t.locations) : null,
                    customdata: t.customdata ? Array.from(t.customdata) : null,
                    text: t.text && typeof t.text !== 'string' ? Array.from(t.text) : t.text,
                }));
            }""",
            index,
        )


class App:
    """Opens pages of the running app in fresh browser contexts and closes them afterwards."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.tabs: list[Tab] = []

    def url(self, path: str = "", query: dict[str, Any] | str | None = None) -> str:
        url = f"{self.base_url}/{path.lstrip('/')}"
        if query:
            url += "?" + (query if isinstance(query, str) else urlencode(query, doseq=True))
        return url

    def new_tab(
        self,
        *,
        color_scheme: str = "light",
        width: int = 1280,
        height: int = 720,
    ) -> Tab:
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            accept_downloads=True,
            service_workers="block",
        )
        context.add_init_script(RUN_COUNTER_JS)
        page = context.new_page()
        tab = Tab(page=page, context=context, base_url=self.base_url)

        def route(route: Any) -> None:
            host = urlparse(route.request.url).hostname
            if host is None or host in LOCAL_HOSTS:
                tab.requests.append(route.request.url)
                route.continue_()
            else:
                tab.blocked.append(route.request.url)
                route.abort()

        def on_console(msg: Any) -> None:
            if msg.type != "error" or any(b in msg.text for b in BENIGN_CONSOLE):
                return
            where = (msg.location or {}).get("url", "")
            if BASE_PATH_PROBE.search(urlparse(where).path):
                return
            tab.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

        def on_dialog(dialog: Any) -> None:
            tab.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        context.route("**/*", route)
        page.on("console", on_console)
        page.on("pageerror", lambda err: tab.page_errors.append(str(err)))
        page.on("dialog", on_dialog)
        self.tabs.append(tab)
        return tab

    def open(
        self,
        path: str = "",
        query: dict[str, Any] | str | None = None,
        *,
        selector: str | None = None,
        **tab_options: Any,
    ) -> Tab:
        """Open ``path`` (a page's URL path) with ``query`` and wait for the run to finish."""
        tab = self.new_tab(**tab_options)
        tab.page.goto(self.url(path, query))
        tab.wait_idle(selector)
        return tab

    def close(self) -> None:
        for tab in self.tabs:
            with contextlib.suppress(Exception):
                tab.context.close()
        self.tabs.clear()


@pytest.fixture
def app(browser: Any, base_url: str) -> Iterator[App]:
    """Fresh browser contexts for one test (closed after it)."""
    driver = App(browser, base_url)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture(scope="module")
def module_app(browser: Any, base_url: str) -> Iterator[App]:
    """Browser contexts shared by a module's tests, for tours that reuse one loaded page."""
    driver = App(browser, base_url)
    try:
        yield driver
    finally:
        driver.close()
