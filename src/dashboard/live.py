"""``LiveDataset``: the newest version of a statement store, reloaded in the background.

While ``dashboard serve --store DIR`` runs, other processes may ingest statements. The server
keeps one ``LiveDataset`` for the store, shared by every viewer: ``current()`` returns the
dataset it holds and, at most every ``poll_seconds``, compares the store's version token
(``store.store_version``: the names of its committed parts, one directory listing) with the one
it loaded. When they differ, one background thread reads the new version while every viewer
keeps the old one; the finished dataset is then swapped in at once for all of them, and the
change is recorded as an ``Update`` (when, how many statements are new) for the notice viewers
see. A failed reload keeps the old dataset and records the error; the next poll tries again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.store import store_version

POLL_SECONDS = 5.0


@dataclass(frozen=True)
class Update:
    """One swap to a newer store version: when it happened and what it brought."""

    when: dt.datetime
    added: int
    total: int
    version: int  # ``Dataset.version`` of the dataset it brought

    def describe(self) -> str:
        """``"updated 14:02 - 120 new statements"``."""
        noun = "statement" if abs(self.added) == 1 else "statements"
        change = f"{self.added:,} new {noun}" if self.added >= 0 else f"{-self.added:,} fewer"
        return f"updated {self.when:%H:%M} - {change}"


class LiveDataset:
    """The store at ``root`` as a ``Dataset`` that follows new batches."""

    def __init__(
        self,
        root: Path,
        load: Callable[[Path], Dataset],
        *,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self._load = load
        self._poll = poll_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._version = store_version(root)
        self._dataset = load(root)  # the first load happens in the caller: it has to wait
        self._checked = clock()
        self._loading: threading.Thread | None = None
        self.updates: list[Update] = []
        self.error: str = ""

    def current(self) -> Dataset:
        """The newest loaded dataset; starts a background reload when the store changed."""
        with self._lock:
            due = self._clock() - self._checked >= self._poll
            busy = self._loading is not None and self._loading.is_alive()
            if due and not busy:
                self._checked = self._clock()
                version = store_version(self.root)
                if version != self._version:
                    self._loading = threading.Thread(
                        target=self._reload, args=(version,), name="store-reload", daemon=True
                    )
                    self._loading.start()
            return self._dataset

    def update_for(self, dataset: Dataset) -> Update | None:
        """The update that brought ``dataset`` (None for the first load or another dataset)."""
        for update in reversed(self.updates):
            if update.version == dataset.version:
                return update
        return None

    def wait(self, timeout: float = 60.0) -> None:
        """Block until a running reload has finished (for tests and scripts)."""
        thread = self._loading
        if thread is not None:
            thread.join(timeout)

    def _reload(self, version: tuple[str, ...]) -> None:
        try:
            new = self._load(self.root)
        except DatasetError as err:
            with self._lock:
                self.error = str(err)
            return
        with self._lock:
            old = self._dataset
            self._dataset = new
            self._version = version
            self.error = ""
            self.updates.append(
                Update(
                    when=dt.datetime.now(),
                    added=len(new) - len(old),
                    total=len(new),
                    version=new.version,
                )
            )
            del self.updates[:-20]
