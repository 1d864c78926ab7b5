"""Benchmark: what one more viewer of a shared link costs the server, against Streamlit's floor.

``python scripts/bench_viewer_floor.py [DATA] [--viewers 20] [--rounds 2]`` opens one link in
1 browser tab, then a new link in N tabs at once, and prints the server's CPU seconds (its
process group, from /proc) for each, their ratio and the CPU each extra viewer added, for:

1. **one-line page, stock** - a Streamlit app that shows a title and a sentence, served by
   ``streamlit run`` with Streamlit's defaults except no file watcher and no usage statistics;
2. **one-line page, as served here** - the same page behind the dashboard's serving
   (``asgi.py``'s in-memory front end, this repository's ``.streamlit/config.toml``);
3. **dashboard** - ``dashboard serve`` on DATA (the bundled sample when omitted), each link a
   date range never opened before, so the first viewer computes the page and the others are
   served from the shared caches.

Nothing in rows 1 and 2 computes anything: their cost is Streamlit's own per viewer (its session,
its websocket messages, the ~130 front-end files each new browser fetches). It is the floor
under row 3's per-viewer figure. Loopback only; every request leaving the machine is blocked,
the number of tabs and every wait are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))  # runnable from a checkout without installing
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the test tooling: tests/support
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from bench_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    MAX_VIEWERS,
    _settle,
    group_usage,
    print_machine,
    server_pgid,
)
from support.devserver import (  # noqa: E402
    free_port,
    running_app,
    stop_process_group,
    wait_healthy,
)

ONE_LINE_PAGE = 'import streamlit as st\n\nst.title("Hello")\nst.write("A one-line page.")\n'
ONE_LINE_ASGI = """import streamlit as st
from starlette.middleware import Middleware

from dashboard.ui.assets import FrontendAssets

app = st.App({page!r}, middleware=[Middleware(FrontendAssets)])
"""


async def _room(base: str, n: int, query: dict[str, str]) -> int:
    """Open ``base/?query`` in ``n`` fresh tabs at once; the number that showed an exception."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            url = f"{base}/?{urlencode(query)}"
            results = await asyncio.gather(*(_settle(browser, url) for _ in range(n)))
        finally:
            await browser.close()
    return sum(failed for _, failed in results)


def _links(round_no: int) -> Iterator[dict[str, str]]:
    """Date ranges no earlier run opened: each link is new to the server's caches."""
    for i in range(2):
        year = 2011 + 2 * round_no + i
        yield {"from": f"{year}-02-01", "to": f"{year + 1}-03-31"}


def measure(
    base: str, pgid: int, viewers: int, rounds: int, settle_s: float = 2.0
) -> list[tuple[float, float, int]]:
    """Per round: (CPU of 1 viewer, CPU of ``viewers`` viewers, errors), each on a new link.

    A first viewer warms the server (the dataset loads); ``settle_s`` later, background work it
    started (the search index) is done."""
    asyncio.run(_room(base, 1, {"from": "2000-01-01", "to": "2000-12-31"}))
    time.sleep(settle_s)
    out = []
    for r in range(rounds):
        one, many = _links(r)
        cpu0, _ = group_usage(pgid)
        errors = asyncio.run(_room(base, 1, one))
        cpu1, _ = group_usage(pgid)
        errors += asyncio.run(_room(base, viewers, many))
        cpu2, _ = group_usage(pgid)
        out.append((cpu1 - cpu0, cpu2 - cpu1, errors))
    return out


@contextlib.contextmanager
def one_line_server(folder: Path, *, as_served_here: bool) -> Iterator[tuple[str, int]]:
    """A one-line Streamlit page on a free loopback port: (base URL, process group)."""
    page = folder / "page.py"
    page.write_text(ONE_LINE_PAGE)
    script = page
    if as_served_here:
        script = folder / "asgi.py"
        script.write_text(ONE_LINE_ASGI.format(page=str(page)))
        # Streamlit reads .streamlit/config.toml from the working directory.
        shutil.copytree(REPO_ROOT / ".streamlit", folder / ".streamlit", dirs_exist_ok=True)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if not as_served_here:
        command += ["--server.fileWatcherType", "none"]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            start_new_session=True,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, proc, log)
            yield base, proc.pid
        finally:
            stop_process_group(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help="dataset (default: bundled sample)")
    parser.add_argument("--viewers", type=int, default=20, help="tabs opening one link at once")
    parser.add_argument("--rounds", type=int, default=2, help="measurements per server")
    parser.add_argument(
        "--settle",
        type=float,
        default=30.0,
        help="seconds between the dashboard's first viewer "
        "and the measurements (its background index build)",
    )
    args = parser.parse_args()
    n = max(2, min(args.viewers, MAX_VIEWERS))
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    rows: list[tuple[str, list[tuple[float, float, int]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, here in (("one-line page, stock", False), ("one-line page, served here", True)):
            folder = Path(tmp) / name.replace(" ", "_").replace(",", "")
            folder.mkdir()
            with one_line_server(folder, as_served_here=here) as (base, pgid):
                rows.append((name, measure(base, pgid, n, args.rounds)))
        with running_app(args.data, Path(tmp) / "server.log") as base:
            pgid = server_pgid(int(urlparse(base).port or 0))
            # The search index builds in the background after the load: 10-15 s at 1M.
            runs = measure(base, pgid, n, args.rounds, settle_s=args.settle)
            rows.append((f"dashboard ({args.data or 'sample'})", runs))

    print(f"\none link opened by 1 viewer, then a new link by {n} viewers at once (server CPU)")
    print(f"{'server':<44}{'1 viewer s':>11}{f'{n} viewers s':>14}{'ratio':>7}"
          f"{'ms per extra viewer':>21}{'errors':>8}")  # fmt: skip
    for name, runs in rows:
        for one, many, errors in runs:
            extra = (many - one) / (n - 1) * 1000
            print(
                f"{name:<44}{one:>11.2f}{many:>14.2f}{many / max(one, 1e-9):>7.1f}"
                f"{extra:>21.0f}{errors:>8}"
            )
    print_machine()


if __name__ == "__main__":
    main()
