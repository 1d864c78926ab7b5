"""Running the real app for a browser: ``dashboard serve`` on a free port, and Chromium's flags.

Test tooling, not part of the app: shared by the end-to-end tests (``tests/browser``), the
signal test and ``scripts/screenshots.py`` / ``scripts/bench_browser.py``, so all of them start
the app exactly as a user does and drive the same Debian Chromium the same way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from dashboard.paths import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
SERVER_START_TIMEOUT_S = 60.0


# Counts finished script runs so a test can wait for the run its action started (a fast run
# may go from "running" back to "notRunning" before Playwright polls, so polling the state
# alone would race). A run quicker than a frame may never show "running" at all (React renders
# both state changes at once), so every message from the server counts too: ``__stMsgs``. Both
# move ``__stLast``, which the idle check needs to have been quiet for a while.
RUN_COUNTER_JS = """
(() => {
  window.__stRuns = 0;
  window.__stMsgs = 0;
  window.__stLast = performance.now();
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      const now = m.target.getAttribute('data-test-script-state');
      window.__stLast = performance.now();
      if (m.attributeName === 'data-test-script-state'
          && now === 'notRunning' && m.oldValue !== 'notRunning') {
        window.__stRuns += 1;
      }
    }
  });
  observer.observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                              attributeFilter: ['data-test-script-state']});
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__stMsgs += 1;
        window.__stLast = performance.now();
      });
    }
  };
})();
"""


def idle_js(quiet_ms: int) -> str:
    """JS predicate: Streamlit is connected, not running, and its run state has not changed
    for ``quiet_ms`` (a page load can take two runs with a moment of "notRunning" between)."""
    return """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && performance.now() - (window.__stLast || 0) > QUIET_MS
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]');
}
""".replace("QUIET_MS", str(int(quiet_ms)))


class ServerDidNotStart(RuntimeError):
    """The app exited or did not answer its health check in time; the message has its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(data: Path | None, port: int) -> tuple[list[str], dict[str, str]]:
    """The real start command (the console script, or ``python -m dashboard.cli``) and env."""
    env = dict(os.environ)
    env.pop("DASHBOARD_DATA", None)
    args = ["serve", "--port", str(port), "--host", "127.0.0.1"]
    if data is not None:
        # A folder is a statement store (``dashboard ingest``), a file a dataset.
        args += ["--store" if data.is_dir() else "--data", str(data)]
    args += ["--browser.gatherUsageStats", "false"]
    script = shutil.which("dashboard")
    if script:
        return [script, *args], env
    src = str(REPO_ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return [sys.executable, "-m", "dashboard.cli", *args], env


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (streamlit is a grandchild), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def wait_healthy(
    base_url: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    timeout: float = SERVER_START_TIMEOUT_S,
) -> None:
    """Return once ``/_stcore/health`` answers ``ok``; else stop the server and raise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    state = f"exited with {proc.returncode}" if proc.poll() is not None else "did not answer"
    stop_process_group(proc)
    raise ServerDidNotStart(
        f"the dashboard server {state} within {timeout:.0f} s at {base_url}; its output:\n{tail}"
    )


def start_server(data: Path | None, port: int, out: BinaryIO) -> subprocess.Popen[bytes]:
    """Start ``dashboard serve`` on ``data`` at ``port`` in its own process group (streamlit is a
    grandchild, so the whole group can be stopped), its output going to ``out``."""
    command, env = serve_command(data, port)
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


@contextlib.contextmanager
def running_app(data: Path | None, log: Path, port: int | None = None) -> Iterator[str]:
    """Start ``dashboard serve`` on ``data`` (None: the bundled sample) and yield its base URL.

    The server runs in its own process group, writes its output to ``log`` and is stopped when
    the block ends.
    """
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = start_server(data, port, out)
        try:
            wait_healthy(base_url, proc, log)
            yield base_url
        finally:
            stop_process_group(proc)
