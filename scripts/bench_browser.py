"""Benchmark: what a user waits for in headless Chromium, and what the server holds.

``python scripts/bench_browser.py [DATA] [--repeat 3] [--viewers 1,10]`` starts the real
``dashboard serve`` on DATA (an enriched .parquet, any statements file, or the bundled sample
when omitted), then with Debian's Chromium (``/usr/bin/chromium``) driven by Playwright:

1. **open** - from starting the server to a rendered Overview (the server's start, the dataset
   load and the first page);
2. **pages** - each page opened from a link carrying a filter (none, a party, a month, a topic,
   a search word), timed from navigation until Streamlit has finished its run and drawn
   everything (no stale element, no skeleton) - a fresh tab each time, so nothing is reused from
   the browser; the server's caches are warm only for views opened before;
3. **viewers** - N tabs opening the same shared link at once (and N different links): each tab's
   settle time, errors, and the server's CPU seconds and resident memory (RSS of the server's
   process group, from /proc) after the room has settled.

Prints a table per part. Every request leaving the machine is blocked (nothing is fetched from
the internet). Loopback only; the number of tabs and every wait are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))  # runnable from a checkout without installing
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the test tooling: tests/support

from support.devserver import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    RUN_COUNTER_JS,
    idle_js,
    running_app,
)

QUIET_MS = 400
IDLE_JS = idle_js(quiet_ms=QUIET_MS)
TIMEOUT_MS = 180_000
MAX_VIEWERS = 30
PAGES: dict[str, str] = {
    "overview": "",
    "timeline": "timeline",
    "world map": "world_map",
    "topics": "topics",
    "parties": "parties",
    "explore": "explore",
}
FILTERS: dict[str, dict[str, str]] = {
    "no filter": {},
    "party kke": {"party": "kke"},
    "Oct 2019": {"from": "2019-10-01", "to": "2019-10-31"},
    "topic labour": {"topic": "labour"},
    "search strike": {"q": "strike"},
}
ERROR_SELECTOR = '[data-testid="stException"]'


def group_usage(pgid: int) -> tuple[float, float]:
    """(CPU seconds, resident MB) summed over the processes of a process group."""
    tick = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    cpu = rss = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid:  # field 5 of stat: the process group
                continue
            cpu += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page / 1e6
        except (OSError, ValueError, IndexError):
            continue
    return cpu, rss


def server_pgid(port: int) -> int:
    """The process group of the server listening on ``port`` (found through /proc/net/tcp)."""
    inode = ""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":  # LISTEN
                inode = parts[9]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return os.getpgid(int(pid))
        except OSError:
            continue
    raise RuntimeError(f"no process listens on port {port}")


async def _new_tab(browser: Any) -> Any:
    context = await browser.new_context(viewport={"width": 1440, "height": 900})

    async def route(route: Any) -> None:
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", route)
    await context.add_init_script(RUN_COUNTER_JS)
    return context


async def _settle(browser: Any, url: str) -> tuple[float, bool]:
    """Seconds from navigation until the page is idle, and whether it showed an exception."""
    context = await _new_tab(browser)
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS, polling=50)
        took = time.perf_counter() - start - QUIET_MS / 1000
        failed = await page.locator(ERROR_SELECTOR).count() > 0
        return took, failed
    finally:
        await context.close()


async def measure(base: str, pgid: int, repeat: int, viewer_counts: list[int]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            print(f"\nsettle time per page from a link, seconds (median of {repeat})")
            print(f"{'page':<12}" + "".join(f"{f:>15}" for f in FILTERS))
            everything: list[float] = []
            for page, path in PAGES.items():
                cells = []
                for query in FILTERS.values():
                    url = f"{base}/{path}" + (f"?{urlencode(query)}" if query else "")
                    runs = [(await _settle(browser, url))[0] for _ in range(repeat)]
                    everything += runs
                    cells.append(statistics.median(runs))
                print(f"{page:<12}" + "".join(f"{c:>15.2f}" for c in cells))
            ordered = sorted(everything)
            worst_tenth = ordered[int(0.9 * (len(ordered) - 1))]
            print(
                f"all pages and filters: median {statistics.median(everything):.2f} s, "
                f"worst tenth {worst_tenth:.2f} s"
            )

            cpu0, rss0 = group_usage(pgid)
            print(f"\nserver after the page runs: {rss0:,.0f} MB resident")
            print(
                f"\n{'viewers':>8}{'link':>10}{'errors':>8}{'median s':>10}{'slowest s':>11}"
                f"{'server CPU s':>14}{'RSS MB':>9}{'+MB/viewer':>12}"
            )
            for n in viewer_counts:
                for kind in ("same", "different"):
                    urls = []
                    for i in range(n):
                        # A fresh filter per run so the server's caches start cold for the room.
                        month = 1 + (i if kind == "different" else 0) % 12
                        year = 2010 + n % 10 + (0 if kind == "same" else i // 12)
                        query = {"from": f"{year}-{month:02d}-01", "to": f"{year + 1}-01-31"}
                        urls.append(f"{base}/?{urlencode(query)}")
                    cpu_before, rss_before = group_usage(pgid)
                    results = await asyncio.gather(*(_settle(browser, u) for u in urls))
                    cpu_after, rss_after = group_usage(pgid)
                    times = [t for t, _ in results]
                    errors = sum(failed for _, failed in results)
                    per_viewer = (rss_after - rss0) / n
                    print(
                        f"{n:>8}{kind:>10}{errors:>8}{statistics.median(times):>10.2f}"
                        f"{max(times):>11.2f}{cpu_after - cpu_before:>14.2f}{rss_after:>9,.0f}"
                        f"{per_viewer:>12.1f}"
                    )
        finally:
            await browser.close()


async def time_open(base: str) -> float:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            took, failed = await _settle(browser, f"{base}/")
        finally:
            await browser.close()
    if failed:
        print("warning: the first Overview showed an exception")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help="dataset (default: bundled sample)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--viewers", default="1,10", help="comma-separated viewer counts")
    args = parser.parse_args()
    counts = [min(int(v), MAX_VIEWERS) for v in args.viewers.split(",") if v.strip()]
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        start = time.perf_counter()
        with running_app(args.data, log) as base:
            healthy = time.perf_counter() - start
            port = int(urlparse(base).port or 0)
            first = asyncio.run(time_open(base))
            opened = time.perf_counter() - start
            print(f"dataset: {args.data or 'bundled sample'}")
            print(
                f"open: server healthy after {healthy:.1f} s; first Overview drawn after "
                f"{opened:.1f} s from start (that page: {first:.1f} s)"
            )
            asyncio.run(measure(base, server_pgid(port), args.repeat, counts))
    print_machine()


def print_machine() -> None:
    """The line that says how busy the machine was (browser timings depend on it)."""
    with contextlib.suppress(OSError):
        print(
            "\n{} CPUs (load average {:.1f}, {:.1f}, {:.1f})".format(
                os.cpu_count(), *os.getloadavg()
            )
        )


if __name__ == "__main__":
    main()
