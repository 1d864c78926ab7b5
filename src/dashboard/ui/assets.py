"""Streamlit's front-end files served from memory, compressed once: what a room of viewers costs.

Every new browser that opens the dashboard fetches Streamlit's front end: about 135 files and
9.5 MB. Streamlit serves them through its full middleware stack, reading each file from disk in
64 KB chunks on worker threads, uncompressed - about 0.18 s of server CPU per browser, the largest
share of what each extra viewer of a shared link costs (``scripts/bench_browser.py --viewers``).

``FrontendAssets`` is an ASGI middleware put in front of that stack (``st.App(middleware=...)``,
see ``asgi.py``). For a ``GET``/``HEAD`` of ``/static/<file>`` - the content-hashed bundles, which
never change while the server runs - it answers from a per-process cache: the bytes read once,
a gzip copy made once for text types, the same ``Cache-Control`` Streamlit sends. Anything else
(the HTML page, the websocket, media, uploads, our own ``/app/static`` files, a path outside the
folder, a file that is not there) goes to Streamlit unchanged, so its answers and checks stay
its own.
"""

from __future__ import annotations

import asyncio
import gzip
import mimetypes
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = "/static/"
# What Streamlit sends for its hashed bundles (starlette_static_routes): a year, immutable.
CACHE_CONTROL = b"public, immutable, max-age=31536000"
# Text worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = (".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".html", ".wasm", ".ttf")
# Files larger than this are left to Streamlit (nothing in its front end comes close).
MAX_FILE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Asset:
    """One file's bytes, its gzip copy (None when not worth it) and its content type."""

    body: bytes
    gzipped: bytes | None
    content_type: bytes


def frontend_dir() -> Path:
    """The folder Streamlit serves its front end from."""
    from streamlit import file_util

    return Path(file_util.get_static_dir()).resolve()


def load_asset(root: Path, relative: str) -> Asset | None:
    """The file ``relative`` under ``root``, or None when it is not a plain file inside it."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    path = root.joinpath(*parts)
    try:
        if path.resolve().parent != root and root not in path.resolve().parents:
            return None
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        body = path.read_bytes()
    except OSError:
        return None
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith("javascript"):
        content_type += "; charset=utf-8"
    gzipped = None
    if path.suffix.lower() in COMPRESSIBLE and len(body) > 1024:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        gzipped = packed if len(packed) < len(body) * 0.9 else None
    return Asset(body=body, gzipped=gzipped, content_type=content_type.encode("latin-1"))


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip."""
    for name, value in scope.get("headers", ()):
        if name == b"accept-encoding":
            codings = [c.split(b";")[0].strip() for c in value.lower().split(b",")]
            return b"gzip" in codings or b"*" in codings
    return False


class FrontendAssets:
    """ASGI middleware answering ``GET``/``HEAD /static/<file>`` from memory (see the module)."""

    def __init__(self, app: ASGIApp, root: Path | None = None) -> None:
        self.app = app
        self.root = (root or frontend_dir()).resolve()
        self._assets: dict[str, Asset | None] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope.get("type") != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not path.startswith(PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        asset = await self._asset(path[1:])  # the folder holds index.html and static/
        if asset is None:
            await self.app(scope, receive, send)
            return
        body, headers = (
            asset.body,
            [
                (b"content-type", asset.content_type),
                (b"cache-control", CACHE_CONTROL),
            ],
        )
        if asset.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if accepts_gzip(scope):
                body = asset.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode("latin-1")))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    async def _asset(self, relative: str) -> Asset | None:
        """The cached asset, read (and compressed) off the event loop the first time."""
        with self._lock:
            if relative in self._assets:
                return self._assets[relative]
        asset = await asyncio.to_thread(load_asset, self.root, relative)
        with self._lock:
            # A miss is remembered too, but only for a bounded number of distinct paths.
            if asset is not None or len(self._assets) < 4096:
                self._assets[relative] = asset
        return asset
