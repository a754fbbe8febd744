"""Where corpus tasks run (Dask threads here, or ``dask.distributed``), the libraries they
need, and writing their results as Parquet."""

from __future__ import annotations

import importlib
from typing import Any

from ...acquire.remote import Folder
from ..batch import BatchError


def import_pandas() -> Any:
    """pandas, or a BatchError naming the extra to install."""
    try:
        return importlib.import_module("pandas")
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError("corpus jobs need pandas: pip install 'newsparallax[batch]'") from err


def import_dataframes() -> Any:
    """dask.dataframe, or a BatchError naming the extra to install."""
    import_pandas()
    try:
        return importlib.import_module("dask.dataframe")
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError(
            "corpus jobs need dask dataframes: pip install 'newsparallax[batch]'"
        ) from err


def write_frame(out: Folder, rel: str, frame: Any) -> None:
    """Write a pandas frame as the Parquet file ``rel`` under ``out``."""
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    out.write_bytes(rel, sink.getvalue().to_pybytes())


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
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError as err:
            raise BatchError(
                "the dask engine needs dask.distributed: pip install 'newsparallax[batch]'"
            ) from err
        if self.scheduler is None:
            self.cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=":0",
                silence_logs=40,
            )
            self.client = distributed.Client(self.cluster)
        else:
            self.client = distributed.Client(self.scheduler)
        client = self.client
        return lambda *tasks: tuple(client.compute(list(tasks), sync=True))

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
