"""The front-end middleware: Streamlit's hashed bundles from memory, everything else untouched."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dashboard.ui.assets import FrontendAssets, accepts_gzip, frontend_dir, load_asset

SCRIPT = b"console.log('a hashed bundle');\n" * 200


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "index.abc123.js").write_bytes(SCRIPT)
    (tmp_path / "static" / "media").mkdir()
    (tmp_path / "static" / "media" / "font.woff2").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path.parent / "secret.txt").write_text("not to be served")
    return tmp_path


def run(coroutine: Any) -> None:
    """Run ``coroutine`` to the end on a fresh event loop in its own thread.

    Playwright's sync API (the browser tests, which run earlier in the same pytest
    session) keeps an event loop marked running on the main thread, where
    ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


class Stock:
    """Stands in for Streamlit's app: records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.paths.append(scope.get("path", ""))
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"from streamlit"})


def request(
    app: FrontendAssets, path: str, *, method: str = "GET", gzip_ok: bool = False, kind="http"
) -> tuple[int, dict[bytes, bytes], bytes]:
    """Status, headers and body of one request through ``app``."""
    headers = [(b"accept-encoding", b"gzip, deflate, br")] if gzip_ok else []
    scope = {"type": kind, "method": method, "path": path, "headers": headers}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    run(app(scope, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def test_a_bundle_is_served_from_memory_with_streamlits_cache_header(root: Path) -> None:
    stock = Stock()
    app = FrontendAssets(stock, root)
    status, headers, body = request(app, "/static/js/index.abc123.js")
    assert (status, body) == (200, SCRIPT)
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    assert headers[b"content-type"].startswith(b"text/javascript")
    assert headers[b"content-length"] == str(len(SCRIPT)).encode()
    assert stock.paths == []
    # Read once: a changed file on disk does not change what the running server sends.
    (root / "static" / "js" / "index.abc123.js").write_bytes(b"changed")
    assert request(app, "/static/js/index.abc123.js")[2] == SCRIPT


def test_gzip_only_for_browsers_that_accept_it_and_for_text(root: Path) -> None:
    app = FrontendAssets(Stock(), root)
    status, headers, body = request(app, "/static/js/index.abc123.js", gzip_ok=True)
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT) / 10
    assert headers[b"vary"] == b"Accept-Encoding"
    _, headers, body = request(app, "/static/media/font.woff2", gzip_ok=True)
    assert b"content-encoding" not in headers and body == bytes(range(256)) * 20


def test_head_sends_headers_without_a_body(root: Path) -> None:
    status, headers, body = request(
        FrontendAssets(Stock(), root), "/static/js/index.abc123.js", method="HEAD"
    )
    assert (status, body) == (200, b"")
    assert headers[b"content-length"] == str(len(SCRIPT)).encode()


@pytest.mark.parametrize(
    ("path", "method", "kind"),
    [
        ("/", "GET", "http"),  # the HTML page: no-cache, Streamlit's
        ("/index.html", "GET", "http"),
        ("/static/js/missing.js", "GET", "http"),  # Streamlit answers (its SPA fallback)
        ("/static/js", "GET", "http"),  # a folder
        ("/static/../../secret.txt", "GET", "http"),  # outside the folder
        ("/static/js/../../../secret.txt", "GET", "http"),
        ("/static//etc/passwd", "GET", "http"),
        ("/static/js/index.abc123.js", "POST", "http"),
        ("/static/js/index.abc123.js", "GET", "websocket"),
        ("/_stcore/stream", "GET", "websocket"),
        ("/app/static/topojson/world_110m.json", "GET", "http"),  # our own static files
    ],
)
def test_everything_else_goes_to_streamlit_unchanged(
    root: Path, path: str, method: str, kind: str
) -> None:
    stock = Stock()
    app = FrontendAssets(stock, root)
    if kind == "websocket":
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        run(app({"type": kind, "path": path, "headers": []}, None, send))  # type: ignore[arg-type]
        assert stock.paths == [path] and sent[-1]["body"] == b"from streamlit"
        return
    status, _, body = request(app, path, method=method)
    assert (status, body) == (404, b"from streamlit")
    assert stock.paths == [path]


def test_load_asset_refuses_paths_that_leave_the_folder(root: Path) -> None:
    for relative in ("static/../../secret.txt", "../secret.txt", "static\\js\\x.js", "a\x00b", ""):
        assert load_asset(root, relative) is None
    assert load_asset(root, "static/js/index.abc123.js") is not None


def test_accept_encoding_is_read_by_coding_not_by_substring() -> None:
    def scope(value: bytes) -> dict[str, Any]:
        return {"headers": [(b"accept-encoding", value)]}

    assert accepts_gzip(scope(b"gzip, deflate, br"))
    assert accepts_gzip(scope(b"br;q=1.0, gzip;q=0.8"))
    assert accepts_gzip(scope(b"*"))
    assert not accepts_gzip(scope(b"br, x-gzip-not"))
    assert not accepts_gzip({"headers": []})


def test_the_real_front_end_folder_has_what_browsers_ask_for() -> None:
    """The installed Streamlit keeps index.html beside static/ - what the middleware assumes."""
    folder = frontend_dir()
    assert (folder / "index.html").is_file()
    bundles = list((folder / "static" / "js").glob("index.*.js"))
    assert bundles, "Streamlit's main bundle moved: update dashboard.ui.assets"
    relative = bundles[0].relative_to(folder).as_posix()
    asset = load_asset(folder, relative)
    assert asset is not None and asset.gzipped is not None
    assert gzip.decompress(asset.gzipped) == bundles[0].read_bytes()
