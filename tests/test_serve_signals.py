"""``dashboard serve`` stops when told to: SIGTERM or SIGINT leave nothing serving the port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys

import pytest
from support.devserver import free_port, start_server, wait_healthy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _port_is_free(port: int) -> bool:
    """Nothing accepts connections on the port, and a new server could listen on it.

    SO_REUSEADDR as every server sets it: the health checks leave sockets in TIME_WAIT.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_serve_frees_the_port(signum, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        # In its own process group, so the test can clean up whatever is left, below.
        proc = start_server(None, port, out)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, log)
            assert not _port_is_free(port)
            proc.send_signal(signum)  # to the process we started only, as a service manager does
            proc.wait(timeout=30)
            assert _port_is_free(port), log.read_text(errors="replace")[-2000:]
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
