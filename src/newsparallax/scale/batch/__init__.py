"""Batch runs: the ingest pipeline over partitions of the input, on a local loop or on Dask.

``parallax batch`` plans *units* of its inputs (:mod:`~newsparallax.scale.batch.units`: one
large file, or consecutive small files) by listing them, without reading them. Whoever runs a unit
reads it with :func:`~newsparallax.acquire.readers.read_inputs` (the same readers as ``ingest``) and
cuts its items into partitions of ``partition_size`` items, numbered ``unit * STRIDE + chunk``.
Each partition is one call of :func:`run_partition`: it builds the pipeline with
:func:`~newsparallax.ingest.build_pipeline` (the same stages, in the same order, as ``ingest``;
once per process), runs it over every doc, freezes each result with
:func:`~newsparallax.ingest.to_article` and writes four Parquet files, ``articles/``,
``mentions/``, ``events/`` and ``themes/`` ``part-NNNNN.parquet``, then a marker
``_parts/part-NNNNN.json`` with the partition's counts and problems. The marker is written last
(files are renamed into place), so a partition either has a marker and all four files or counts
as not done; a unit whose partitions are all written gets ``_units/unit-NNNNN.json``.

Engines: ``local`` runs the units one after another in this process; ``dask`` uses
``dask.distributed`` (a ``LocalCluster`` of ``workers`` processes, or the scheduler at
``scheduler``) and either sends each worker whole units to read itself (:func:`run_unit`, one
task per unit) or reads the units here and sends partitions of docs (when the input has fewer
units than the cluster has workers, e.g. one big WARC). Workers write to ``out`` themselves, so
on a real cluster it must be a path or URL every worker sees.

Resuming: a re-run over the same inputs with the same partition and unit sizes skips every unit
that has its marker (without reading it) and every partition that has its marker. A partition
whose task raises is retried (``retries`` times) and, if it still fails, listed under ``failed``
in ``manifest.json``; the unit goes on, and the other partitions are written.

Near-duplicates: the dedupe stage runs per partition with an in-memory index, so a copy is only
linked to an original in the same partition. :func:`load` runs the lookup again against the
store in input order, so after ``parallax load`` links are the same as after ``ingest``.

Modules, each importing only those before it: ``units`` (planning units), ``partitions`` (the
output folder: markers, manifest, resuming), ``extras`` (pyarrow, pandas and Dask, imported when
needed), ``parquet`` (schemas, writing and reading the files), ``task`` (what runs where a
partition or unit runs), ``cluster`` (the Dask engine), ``driver`` (:func:`run_batch`, the local
engine), ``load`` (:func:`load`).
"""

from __future__ import annotations

from .driver import run_batch
from .load import LoadSummary, load
from .parquet import read_articles, read_table
from .partitions import (
    FORMAT,
    TABLES,
    BatchError,
    BatchReport,
    partitions,
    read_manifest,
    written_partitions,
)
from .task import run_partition, run_unit

__all__ = [
    "FORMAT",
    "TABLES",
    "BatchError",
    "BatchReport",
    "LoadSummary",
    "load",
    "partitions",
    "read_articles",
    "read_manifest",
    "read_table",
    "run_batch",
    "run_partition",
    "run_unit",
    "written_partitions",
]
