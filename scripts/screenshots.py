"""Full-page screenshots of every dashboard page, light and dark, for looking at by eye.

``python scripts/screenshots.py OUTPUT_DIR [--port N] [--data FILE]`` starts the app on the
bundled sample (or ``--data``) with the real ``dashboard serve`` command, drives Debian's
Chromium (``/usr/bin/chromium``) through Playwright at 1440x900, and writes
``<page>-light.png`` and ``<page>-dark.png`` for each page the app's navigation lists.
``--present --size 1280x720`` shoots presenter mode (``?present=1``) at a projector's size. The dark
variant is the browser asking for a dark colour scheme, which Streamlit follows like a user's
system setting. Requests leaving the machine are blocked and reported, as in the browser tests.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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

WIDTH, HEIGHT = 1440, 900
IDLE_JS = idle_js(quiet_ms=500)
# Streamlit scrolls inside its own container, so a "full page" screenshot of the window shows
# one screen only: measure the content and grow the viewport to it instead.
CONTENT_HEIGHT_JS = """
() => {
  const parts = ['[data-testid="stMain"]', '[data-testid="stMainBlockContainer"]',
                 '[data-testid="stSidebarContent"]', '[data-testid="stAppViewContainer"]'];
  let h = document.documentElement.scrollHeight;
  for (const sel of parts) {
    const el = document.querySelector(sel);
    if (el) h = Math.max(h, el.scrollHeight);
  }
  return h;
}
"""


def slugify(label: str) -> str:
    """``"World map"`` -> ``world-map``."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def nav_pages(page: Any) -> list[tuple[str, str]]:
    """(slug of the link text, URL path) of every page the navigation links to, in its order."""
    links = page.eval_on_selector_all(
        'a[data-testid="stSidebarNavLink"], a[data-testid="stPageLink-NavLink"], '
        'a[data-testid="stTopNavLink"]',
        "els => els.map(e => [e.innerText, e.href])",
    )
    seen: dict[str, str] = {}
    for text, href in links:
        # innerText starts with the material icon's ligature name: keep the last line only.
        label = text.strip().splitlines()[-1] if text.strip() else ""
        slug = slugify(label) or slugify(urlparse(href).path) or "home"
        seen.setdefault(slug, urlparse(href).path)
    return list(seen.items())


def wait_idle(page: Any) -> None:
    page.wait_for_function(IDLE_JS, timeout=90_000, polling=100)
    # Plotly draws after Streamlit says the run is over; give charts a moment to settle.
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')]
                     .every(el => el._fullLayout)""",
            timeout=10_000,
        )
    page.wait_for_timeout(600)


def shoot(
    browser: Any,
    base_url: str,
    out_dir: Path,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    present: bool = False,
) -> list[Path]:
    WIDTH, HEIGHT = size  # noqa: N806 - the module's defaults, overridden for this run
    query = "?present=1" if present else ""
    suffix = f"-present-{WIDTH}x{HEIGHT}" if present else ""
    written: list[Path] = []
    blocked: list[str] = []
    for scheme in ("light", "dark"):
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, color_scheme=scheme
        )

        def route(route: Any) -> None:
            host = urlparse(route.request.url).hostname
            if host is None or host in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.add_init_script(RUN_COUNTER_JS)
        page = context.new_page()
        page.goto(base_url + "/")
        wait_idle(page)
        pages = nav_pages(page)
        if not pages:
            raise SystemExit("found no page menu (st.navigation links or st.page_link menu)")
        for slug, path in pages:
            page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            page.goto(base_url + path + query)
            wait_idle(page)
            height = max(HEIGHT, int(page.evaluate(CONTENT_HEIGHT_JS)))
            page.set_viewport_size({"width": WIDTH, "height": min(height, 12_000)})
            wait_idle(page)
            target = out_dir / f"{slug}-{scheme}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
            errors = page.locator('[data-testid="stException"]').count()
            note = f"  ({errors} exception box(es)!)" if errors else ""
            print(f"{target}{note}")
        context.close()
    for url in sorted(set(blocked)):
        print(f"blocked request to {url}", file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--data", type=Path, help="dataset to open (default: bundled sample)")
    parser.add_argument("--present", action="store_true", help="presenter mode (?present=1)")
    parser.add_argument("--size", default=f"{WIDTH}x{HEIGHT}", help="viewport, e.g. 1280x720")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    if not CHROMIUM.exists():
        print(f"needs Chromium at {CHROMIUM}: apt-get install -y chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.output_dir.mkdir(parents=True, exist_ok=True)
    log = args.output_dir / "server.log"
    with (
        running_app(args.data, log, args.port or None) as base_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            written = shoot(
                browser, base_url, args.output_dir, (width, height), present=args.present
            )
        finally:
            browser.close()
    print(f"{len(written)} screenshots in {args.output_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
