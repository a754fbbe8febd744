"""The output folder of a batch run: partition and unit markers, the manifest, and what a
re-run skips."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ...acquire.remote import Folder
from ...errors import ParallaxError
from .units import DEFAULT_UNIT_BYTES, Item, Unit

FORMAT = "parallax-batch/2"
FORMATS = ("parallax-batch/1", FORMAT)
"""Manifests :func:`load` and ``parallax corpus`` read (version 1 had no units)."""
LAYOUT = "units"
TABLES = ("articles", "mentions", "events", "themes")


class BatchError(ParallaxError):
    """A batch run cannot start or its output cannot be read."""


def part_name(index: int) -> str:
    return f"part-{index:05d}"


def read_marker(out: Folder, index: int) -> dict[str, Any]:
    """The marker of a written partition (its counts and problems)."""
    marker: dict[str, Any] = out.read_json(f"_parts/{part_name(index)}.json")
    return marker


def partitions(items: Iterable[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    """Cut a stream of input items into consecutive slices of ``size`` items (docs and
    problems), numbered from 0."""
    chunk: list[Item] = []
    index = 0
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


@dataclass(frozen=True)
class Job:
    """What every partition of a run shares (sent once with each unit or partition)."""

    out: str
    watch_ref: str
    dedupe_threshold: float | None
    partition_size: int
    retries: int
    max_bytes: int


@dataclass
class BatchReport:
    """What a batch run did; ``as_dict`` is also the body of ``manifest.json``."""

    out: str
    inputs: list[str]
    engine: str
    partition_size: int
    watch: str
    unit_bytes: int = DEFAULT_UNIT_BYTES
    units: int = 0
    read_on: str = "driver"
    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    failed_units: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failed_units

    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for marker in self.done.values():
            for key in ("items", "read", "articles", "duplicates", "rejected", "unchanged"):
                total[key] += int(marker.get(key, 0))
            total["problems"] += len(marker.get("problems", []))
        return dict(total)

    def processed(self) -> int:
        """Input items read in this run (partitions skipped as already written not counted)."""
        return sum(int(m.get("read", 0)) for i, m in self.done.items() if i not in self.skipped)

    def merge(self, result: dict[str, Any]) -> None:
        """Take in what :func:`run_unit` returned."""
        self.done.update(result["done"])
        self.skipped.extend(i for i in result["skipped"] if i not in self.skipped)
        for index in result["done"]:
            self.failed.pop(index, None)
        self.failed.update(result["failed"])

    def as_dict(self) -> dict[str, Any]:
        processed = self.processed()
        return {
            "format": FORMAT,
            "layout": LAYOUT,
            "out": self.out,
            "inputs": self.inputs,
            "engine": self.engine,
            "partition_size": self.partition_size,
            "unit_bytes": self.unit_bytes,
            "units": self.units,
            "read_on": self.read_on,
            "watch": self.watch,
            "dedupe": "per-partition (parallax load re-checks against the store)",
            "tables": list(TABLES),
            "partitions": [
                {k: v for k, v in self.done[i].items() if k not in ("problems", "stages")}
                | {"problems": len(self.done[i].get("problems", []))}
                for i in sorted(self.done)
            ],
            "written": len(self.done) - len(self.skipped),
            "skipped": sorted(self.skipped),
            "failed": [{"partition": i, "error": e} for i, e in sorted(self.failed.items())]
            + [{"unit": i, "error": e} for i, e in sorted(self.failed_units.items())],
            "totals": self.totals(),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(processed / self.seconds, 1) if self.seconds else None,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def check_manifest(out: Folder, inputs: list[str], partition_size: int, unit_bytes: int) -> None:
    """Refuse an ``out`` that holds a run over other inputs, or cut another way."""
    path = f"{out.url}/manifest.json"
    if not out.exists("manifest.json"):
        return
    try:
        old = out.read_json("manifest.json")
    except (OSError, ValueError) as err:
        raise BatchError(f"{path} is unreadable: {err}") from err
    if old.get("inputs") != inputs or old.get("partition_size") != partition_size:
        raise BatchError(
            f"{out.url} holds a batch run over other inputs or another --partition-size "
            f"({old.get('partition_size')}); use a new --out to start afresh"
        )
    cut_as = (old.get("layout"), old.get("unit_bytes"))
    if cut_as != (LAYOUT, unit_bytes) and written_partitions(out):
        raise BatchError(
            f"{out.url} holds partitions cut another way (an older Parallax or another"
            " unit size); use a new --out to start afresh"
        )


def _unit_name(index: int) -> str:
    return f"_units/unit-{index:05d}.json"


def todo_units(
    units: list[Unit], out: Folder, written: set[int], report: BatchReport
) -> list[Unit]:
    """The units still to run. A unit whose marker lists only written partitions is done: the
    partition markers it carries are noted as skipped and its input is not read again (one
    listing and one read per finished unit, whatever its number of partitions)."""
    finished = set(out.listdir("_units"))
    todo = []
    for unit in units:
        name = _unit_name(unit.index)
        if name.rsplit("/", 1)[1] in finished:
            data = out.read_json(name)
            parts = data.get("partitions", [])
            if all(p in written for p in parts):
                markers = data.get("markers", {})
                for p in parts:
                    report.done[p] = markers.get(str(p)) or read_marker(out, p)
                    report.skipped.append(p)
                continue
        todo.append(unit)
    return todo


def to_write(
    unit: Unit,
    job: Job,
    written: set[int] | frozenset[int],
    parts: list[int],
    skip: Callable[[int, dict[str, Any]], None],
) -> Iterator[tuple[int, list[Item]]]:
    """The partitions of ``unit`` still to write, numbered as in the output (reads the unit's
    files). Every partition number goes to ``parts``; a written one goes to ``skip`` with its
    marker instead."""
    folder = Folder(job.out)
    for chunk, items in partitions(unit.items(max_bytes=job.max_bytes), job.partition_size):
        index = unit.partition(chunk)
        parts.append(index)
        if index in written:
            skip(index, read_marker(folder, index))
            continue
        yield index, items


def finish_unit(
    out: Folder, unit: Unit, parts: list[int], markers: dict[int, dict[str, Any]]
) -> None:
    """The unit's marker: its files, its partitions and a copy of their markers."""
    body = {
        "unit": unit.index,
        "files": unit.files,
        "partitions": parts,
        "markers": {str(p): markers[p] for p in parts},
    }
    out.write_text(
        _unit_name(unit.index),
        json.dumps(body, indent=1),
    )


def read_manifest(out: str | Path | Folder) -> dict[str, Any]:
    folder = as_folder(out)
    path = f"{folder.url}/manifest.json"
    try:
        data: dict[str, Any] = folder.read_json("manifest.json")
    except (OSError, ValueError) as err:
        raise BatchError(f"no readable batch manifest at {path}: {err}") from err
    if data.get("format") not in FORMATS:
        raise BatchError(f"{path} is not a {FORMAT} manifest")
    return data


def as_folder(out: str | Path | Folder) -> Folder:
    """``out`` as a :class:`Folder` (a path, a URL or a folder already)."""
    return out if isinstance(out, Folder) else Folder(str(out))


def written_partitions(out: str | Path | Folder) -> list[int]:
    """Partitions with a marker (complete), in order."""
    names = as_folder(out).listdir("_parts")
    found = (n.removesuffix(".json").removeprefix("part-") for n in names if n.endswith(".json"))
    return sorted(int(n) for n in found if n.isdigit())
