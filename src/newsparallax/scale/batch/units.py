"""Units of work of ``parallax batch``: the input files cut into groups a worker reads itself.

A *unit* is one large input file (a WARC of a news crawl, a big JSON Lines export) or a run of
consecutive small files (a folder of HTML pages) up to ``unit_bytes`` together. The driver only
lists the inputs (names and sizes, no content) to plan the units; whoever runs a unit reads its
files with the same readers as ``ingest`` and cuts its items into partitions of
``partition_size``. Partition ``c`` of unit ``u`` is numbered ``u * STRIDE + c``, so partitions
sort in input order whatever machine read them, and the layout of the output does not depend on
who read the input (the driver, or each worker for its own unit).

Inputs that are not files (standard input, and the problem of an input that cannot be listed:
not found, an empty folder, an unreachable bucket) are carried in the unit as items read
already.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from ...acquire.readers import list_input, read_inputs
from ...annotate.pipeline import Doc
from ...errors import InputProblem

Item = Doc | InputProblem

STRIDE = 10_000
"""Partition numbers per unit: a unit may hold up to ``STRIDE`` partitions (2.5 million items
at the default partition size; a WARC file of a news crawl holds some tens of thousands)."""
DEFAULT_UNIT_BYTES = 64 * 1024 * 1024
"""Small files are grouped until a unit holds this many bytes; a larger file is a unit alone."""

Source = str | Doc | InputProblem


@dataclass(frozen=True)
class Unit:
    """Consecutive inputs read together: file paths or URLs (read where the unit runs), or
    items the driver has already (standard input, listing problems)."""

    index: int
    sources: tuple[Source, ...]
    size: int

    @property
    def files(self) -> list[str]:
        return [s for s in self.sources if isinstance(s, str)]

    def items(self, *, max_bytes: int) -> Iterator[Item]:
        """The unit's docs and problems, in input order."""
        for source in self.sources:
            if isinstance(source, str):
                yield from read_inputs([source], max_bytes=max_bytes)
            else:
                yield source

    def partition(self, chunk: int) -> int:
        """The number of the unit's ``chunk``-th partition."""
        if chunk >= STRIDE:
            raise ValueError(
                f"{self.describe()} holds more than {STRIDE} partitions; use a larger"
                " --partition-size"
            )
        return self.index * STRIDE + chunk

    def describe(self) -> str:
        files = self.files
        if not files:
            return f"unit {self.index}"
        more = f" and {len(files) - 1} more" if len(files) > 1 else ""
        return f"unit {self.index} ({files[0]}{more})"


def unit_of(partition: int) -> int:
    return partition // STRIDE


def plan_units(
    inputs: Sequence[str],
    *,
    unit_bytes: int = DEFAULT_UNIT_BYTES,
    stdin: IO[bytes] | None = None,
    max_bytes: int = 16 * 1024 * 1024,
) -> list[Unit]:
    """Cut ``inputs`` into units, in input order (lists folders and buckets, reads no file)."""
    units: list[Unit] = []
    group: list[Source] = []
    size = 0

    def close() -> None:
        nonlocal group, size
        if group:
            units.append(Unit(len(units), tuple(group), size))
        group, size = [], 0

    for raw in inputs:
        if raw == "-":
            group.extend(read_inputs(["-"], stdin=stdin, max_bytes=max_bytes))
            continue
        listed = list_input(raw)
        if isinstance(listed, InputProblem):
            group.append(listed)
            continue
        for name, nbytes in listed:
            if nbytes >= unit_bytes:  # a large file: a unit of its own
                close()
                group, size = [name], nbytes
                close()
                continue
            group.append(name)
            size += nbytes
            if size >= unit_bytes:
                close()
    close()
    return units


__all__ = ["DEFAULT_UNIT_BYTES", "STRIDE", "Unit", "plan_units", "unit_of"]
