"""The one exception type users see: ``DatasetError``, with what is wrong, where and what to do."""

from __future__ import annotations

import functools


class DatasetError(ValueError):
    """A dataset (or reference file) could not be read or understood.

    ``str(err)`` is a complete sentence for the user: what is wrong, where (file, line or
    column) and what to do about it. ``where`` and ``hint`` are also kept separately so a UI can
    lay them out.
    """

    def __init__(self, problem: str, *, where: str = "", hint: str = "") -> None:
        self.problem = problem
        self.where = where
        self.hint = hint
        parts = [f"{where}: {problem}" if where else problem]
        if hint:
            parts.append(hint[:1].upper() + hint[1:])
        super().__init__(" ".join(p.rstrip(".") + "." for p in parts))

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Pickled whole (problem, where, hint): a Dask worker's error reaches the command intact.
        return functools.partial(type(self), where=self.where, hint=self.hint), (self.problem,)
