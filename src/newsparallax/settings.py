"""Every setting in one place, with its default, environment variable and meaning.

Precedence, lowest to highest: the defaults below < the environment < command-line options.
Secrets are never stored in files: they are read from the environment only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "PARALLAX_DB", "parallax.db", "Path of the SQLite store (created on first use)."),
    Setting("watch", "PARALLAX_WATCH", "iran-russia", "Watch used when none is named."),
    Setting(
        "watch_dir",
        "PARALLAX_WATCH_DIR",
        "",
        "Extra folders of user watch files (NAME.toml), separated like PATH; searched before"
        " ~/.config/parallax/watches and the watches shipped in the package.",
    ),
    Setting(
        "outlets",
        "PARALLAX_OUTLETS",
        "",
        "A TOML file of extra [[outlets]] merged into whichever watch is loaded.",
    ),
    Setting(
        "max_page_bytes",
        "PARALLAX_MAX_PAGE_BYTES",
        str(16 * 1024 * 1024),
        "Largest HTML page or record read; larger inputs are recorded as too-large errors.",
    ),
    Setting(
        "dedupe_threshold",
        "PARALLAX_DEDUPE_THRESHOLD",
        "0.7",
        "Estimated Jaccard similarity of word 3-shingles at which an article is a near-duplicate.",
    ),
    Setting(
        "demo_data",
        "PARALLAX_DEMO_DATA",
        "../shared/data/demo",
        "Folder of the offline demo corpus (JSON Lines, gzip).",
    ),
    Setting(
        "workers",
        "PARALLAX_WORKERS",
        "auto",
        "Processes running the stateless stages during ingest (auto: one per core, at most 2;"
        " 1 runs everything in one process).",
    ),
    Setting(
        "batch_size",
        "PARALLAX_BATCH_SIZE",
        "500",
        "Articles written per store transaction during ingest.",
    ),
    Setting(
        "actors",
        "PARALLAX_ACTORS",
        "",
        "User actor dictionary files (TOML, YAML or CSV; separated like PATH) applied over the"
        " shipped dictionary: new entries, overrides and patches.",
    ),
    Setting(
        "actors_ner",
        "PARALLAX_ACTORS_NER",
        "off",
        "Add names a statistical NER model finds (needs the 'ner' extra): on or off.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment if set, else the default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env) or setting.default


def get_int(name: str) -> int:
    return int(get(name))


def get_float(name: str) -> float:
    return float(get(name))


def demo_data_dir() -> Path:
    """The demo corpus folder: the setting relative to the current folder, else beside the
    source checkout (``<repo>/../shared/data/demo``)."""
    configured = Path(get("demo_data"))
    if configured.is_dir() or os.environ.get("PARALLAX_DEMO_DATA"):
        return configured
    beside_checkout = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "demo"
    return beside_checkout if beside_checkout.is_dir() else configured
