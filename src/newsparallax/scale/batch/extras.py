"""The optional packages behind ``parallax batch``, ``load`` and ``corpus`` (the ``batch`` extra,
``pip install 'newsparallax[batch]'``), imported when first needed: a missing one is a
:class:`~newsparallax.scale.batch.partitions.BatchError` that says what to install."""

from __future__ import annotations

import importlib
from typing import Any

from .partitions import BatchError

_INSTALL = "pip install 'newsparallax[batch]'"


def import_extra(name: str, missing: str) -> Any:
    """The module ``name``, or a BatchError with the message ``missing``."""
    try:
        return importlib.import_module(name)
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError(missing) from err


def import_pyarrow() -> Any:
    return import_extra("pyarrow", f"batch needs pyarrow: {_INSTALL} (or pyarrow)")


def import_parquet() -> Any:
    import_pyarrow()
    return importlib.import_module("pyarrow.parquet")


def import_pandas() -> Any:
    return import_extra("pandas", f"corpus jobs need pandas: {_INSTALL}")


def import_dataframes() -> Any:
    import_pandas()
    return import_extra("dask.dataframe", f"corpus jobs need dask dataframes: {_INSTALL}")


def import_distributed() -> Any:
    return import_extra("distributed", f"the dask engine needs dask.distributed: {_INSTALL}")
