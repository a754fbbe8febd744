"""Corpus jobs on the Parquet output of ``parallax batch``: duplicate links, stories, relations.

``parallax corpus DIR`` computes from the batch partitions what ``parallax load`` followed by
``parallax stories`` and ``parallax relations`` computes in the store, and writes it as Parquet
under ``DIR/corpus`` (or ``--dest``). No quantity is defined twice: each job runs the store job's
own code on the rows it needs.

1. **links** (always; one sequential pass in the driver over three narrow columns): the store
   order and the duplicate links ``parallax load`` would give. Articles are taken in input order
   (partition, position), an id seen before is dropped (the store keeps the first), and every
   article is looked up with :func:`~newsparallax.annotate.dedupe.find_duplicate` against the
   articles before it, so a copy in another partition is linked to its original. ``rowid`` is the
   row id the article gets when loaded into an empty store. Holds one MinHash signature per article
   in memory (about 0.5 KB each).
2. **stories**: the items (fingerprints) are built on the engine, one task per partition, with
   :func:`~newsparallax.analyze.stories.cluster.make_item`; the single-pass clustering
   (:func:`~newsparallax.analyze.stories.cluster.cluster`) is sequential by design and runs in the
   driver, as ``stories.rebuild`` does. Writes ``stories/articles.parquet`` (each article's story,
   as the ``story_articles`` table), ``stories/stories.parquet`` (with each story's arc) and
   ``stories/arcs.parquet`` (story lines: their stories, span, counts and terms).
3. **relations**: Dask dataframes read the article and event columns, join them with the links,
   the outlets' camps (from the watch, as ``load`` records them) and the stories, and shuffle the
   rows by the UTC month of publication (every day and month bucket of an article lies in that
   month). Each shuffled partition is folded by :func:`newsparallax.analyze.relations.rebuild`
   itself, on a scratch store holding only those rows, so the counting rules, grains and
   normalisation are ``analyze.relations``'s. Writes ``relations/points.parquet`` and
   ``relations/volume.parquet`` with the columns of the ``relation_points`` and ``relation_volume``
   tables.

Engines: ``local`` runs the tasks on Dask's threads in this process; ``dask`` on
``dask.distributed`` (a ``LocalCluster`` of ``workers`` processes, or ``scheduler``).

Modules: ``manifest`` (:class:`CorpusReport`), ``engine`` (where tasks run, writing a frame),
``links``, ``stories`` and ``relations`` (one job each), ``run`` (:func:`run_corpus`).
"""

from __future__ import annotations

from .links import link
from .manifest import FORMAT, JOBS, CorpusReport
from .relations import fold_relations, read_points
from .run import run_corpus
from .stories import story_items, story_rows

__all__ = [
    "FORMAT",
    "JOBS",
    "CorpusReport",
    "fold_relations",
    "link",
    "read_points",
    "run_corpus",
    "story_items",
    "story_rows",
]
