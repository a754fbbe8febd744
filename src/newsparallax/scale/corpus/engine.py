"""Where corpus tasks run (Dask threads here, or ``dask.distributed``), and writing their
results as Parquet."""

from __future__ import annotations

import importlib
from typing import Any

from ...acquire.remote import Folder
from ..batch.cluster import connect
from ..batch.extras import import_pyarrow
from ..batch.parquet import write_table


def write_frame(out: Folder, rel: str, frame: Any) -> None:
    """Write a pandas frame as the Parquet file ``rel`` under ``out``."""
    table = import_pyarrow().Table.from_pandas(frame, preserve_index=False)
    write_table(out, rel, table)


class Engine:
    """``compute(*tasks)`` on Dask threads here (``local``) or on ``dask.distributed``."""

    def __init__(
        self, engine: str, *, scheduler: str | None, workers: int, processes: bool
    ) -> None:
        self.engine, self.scheduler = engine, scheduler
        self.workers, self.processes = workers, processes
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> Any:
        dask = importlib.import_module("dask")
        if self.engine == "local" and self.scheduler is None:
            return lambda *tasks: dask.compute(*tasks, scheduler="threads")
        self.client, self.cluster = connect(
            self.scheduler, workers=self.workers, processes=self.processes
        )
        client = self.client
        return lambda *tasks: tuple(client.compute(list(tasks), sync=True))

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
