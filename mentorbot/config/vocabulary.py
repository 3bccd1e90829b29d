"""Loading and checking the shared vocabulary (stages, specialties, hashtags).

Where the vocabulary lives: the canonical file ships inside the package, at
``mentorbot/data/vocabulary.toml``, so an installed mentorbot works from any directory;
``load_vocabulary()`` with no argument reads it. ``config/vocabulary.toml`` in the repository is an
identical copy for organizers to read (a test keeps the two identical). To use a customised
vocabulary, copy the file, edit it, and pass its path: ``load_vocabulary("my_vocabulary.toml")``.

Rules checked: the six stage ids in order with strictly increasing ranks; exactly the 38 specialty
ids of :data:`~mentorbot.domain.vocabulary.SPECIALTY_IDS`; parents and related ids known (and no
parent loops); no term or hashtag claimed by two specialties (nor two stages); combined terms name
two or more known specialties; no specialty hashtag is an identity or general hashtag.
"""
from __future__ import annotations

import re
from difflib import get_close_matches
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

from ..domain.vocabulary import (SPECIALTY_IDS, STAGE_IDS, Specialty, Stage, Vocabulary,
                                 normalize_hashtag)
from ._validate import Problems, Table, describe, read_toml

__all__ = ["load_vocabulary", "default_vocabulary_path", "HASHTAG_PATTERN"]

#: A hashtag body: letters, digits, underscores (any script), not only digits.
HASHTAG_PATTERN = re.compile(r"^(?!\d+$)\w{1,100}$")


def default_vocabulary_path() -> Path:
    """The packaged vocabulary file (a real path for normal and editable installs)."""
    with as_file(files("mentorbot") / "data" / "vocabulary.toml") as path:
        return Path(path)


@lru_cache(maxsize=1)
def _default() -> Vocabulary:
    return _load(default_vocabulary_path())


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read and check a vocabulary file; ``None`` means the one shipped with mentorbot."""
    return _default() if path is None else _load(Path(path))


def _load(path: Path) -> Vocabulary:
    problems = Problems(path)
    root = Table(read_toml(path), "", problems)
    root.check_keys(("stages", "specialties", "combined", "hashtags"), what="section")
    stages = _stages(root.section("stages", required=True))
    hashtags = root.section("hashtags")
    hashtags.check_keys(("identity", "identity_words", "general"))
    identity = frozenset(normalize_hashtag(t) for t in hashtags.text_list("identity", []) or [])
    identity_words = tuple(w.casefold() for w in hashtags.text_list("identity_words", []) or [])
    general = frozenset(normalize_hashtag(t) for t in hashtags.text_list("general", []) or [])
    probe = Vocabulary((), (), (), identity, identity_words, general)
    specialties, claimed = _specialties(root.section("specialties", required=True), probe)
    combined = _combined(root.section("combined"), claimed)
    problems.raise_if_any()
    return Vocabulary(stages=tuple(stages), specialties=tuple(specialties), combined=combined,
                      identity_hashtags=identity, identity_words=identity_words, general_hashtags=general)


def _stages(table: Table) -> list[Stage]:
    table.check_keys(STAGE_IDS, what="stage")
    stages: list[Stage] = []
    claimed: dict[str, str] = {}
    previous: Stage | None = None
    for stage_id in STAGE_IDS:
        if not table.has(stage_id):
            table.problems.add(table.key(stage_id), "this stage is missing",
                               f"add a [{table.key(stage_id)}] section with rank, label and words "
                               f"(the stages are, in order: {', '.join(STAGE_IDS)})")
            continue
        section = table.section(stage_id)
        section.check_keys(("rank", "label", "words", "weak_words"))
        rank = section.integer("rank", example=len(stages) + 1)
        label = section.text("label", example='"medical student"')
        words = section.text_list("words", [], example='["medical student", "MS3"]')
        weak = section.text_list("weak_words", [], example='["MD"]')
        if rank is None or label is None or words is None or weak is None:
            continue
        if previous is not None and rank <= previous.rank:
            table.problems.add(section.key("rank"),
                               f"ranks must increase from {STAGE_IDS[0]} to {STAGE_IDS[-1]}, but {stage_id} "
                               f"has {rank} and {previous.id} before it has {previous.rank}",
                               f"give {stage_id} a rank above {previous.rank}, e.g. {previous.rank + 1}")
        for field, terms in (("words", words), ("weak_words", weak)):
            for term in terms:
                owner = claimed.setdefault(term.casefold(), f"{stage_id}.{field}")
                if not owner.startswith(stage_id + "."):
                    table.problems.add(section.key(field),
                                       f"'{term}' is also listed under stages.{owner}",
                                       "keep each word in one stage only")
        stage = Stage(stage_id, rank, label, tuple(words), tuple(weak))
        stages.append(stage)
        previous = stage
    return stages


def _specialties(table: Table, probe: Vocabulary) -> tuple[list[Specialty], dict[str, str]]:
    """The 38 specialties, and every term they claim (casefolded) -> "cardiology.synonyms"."""
    known = set(SPECIALTY_IDS)
    for name in table.data:
        if name not in known:
            close = get_close_matches(name, SPECIALTY_IDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            table.problems.add(table.key(name), f"unknown specialty id '{name}'{hint}",
                               "mentorbot knows exactly 38 specialty ids; add new names as synonyms of one "
                               "of them" + (f", or rename the section to [specialties.{close[0]}]" if close else ""))
    specialties: list[Specialty] = []
    claimed: dict[str, str] = {}  # casefolded term -> "cardiology.synonyms"
    for spec_id in SPECIALTY_IDS:
        if not table.has(spec_id):
            table.problems.add(table.key(spec_id), "this specialty is missing",
                               f"add a [{table.key(spec_id)}] section with at least a label")
            continue
        section = table.section(spec_id)
        section.check_keys(("label", "synonyms", "abbreviations", "hashtags", "parent", "related"))
        label = section.text("label", example='"Cardiology"')
        lists = {name: section.text_list(name, []) for name in ("synonyms", "abbreviations", "hashtags")}
        parent = section.text("parent", None, example='"internal_medicine"')
        related = section.text_list("related", [], example='["pulmonology"]')
        if label is None or related is None or any(v is None for v in lists.values()):
            continue
        tags = [t.strip().lstrip("#") for t in lists["hashtags"]]
        for tag in tags:
            _check_hashtag(section, tag, probe)
        for ref, key in ([(parent, "parent")] if parent else []) + [(r, "related") for r in related]:
            if ref == spec_id:
                section.problems.add(section.key(key), f"{spec_id} refers to itself", f"remove '{ref}'")
            elif ref not in known:
                close = get_close_matches(ref, SPECIALTY_IDS, n=1)
                section.problems.add(section.key(key), f"'{ref}' is not a specialty id"
                                     + (f" (did you mean '{close[0]}'?)" if close else ""),
                                     "use one of the 38 specialty ids, e.g. "
                                     + (close[0] if close else "internal_medicine"))
        terms = {"label": [label], **{k: v for k, v in lists.items() if k != "hashtags"},
                 "hashtags": ["#" + t for t in tags]}
        for field, values in terms.items():
            for term in values:
                owner = claimed.setdefault(term.casefold(), f"{spec_id}.{field}")
                if not owner.startswith(spec_id + "."):
                    section.problems.add(section.key(field),
                                         f"'{term}' is also claimed by specialties.{owner}",
                                         "keep it in one specialty only; for a term that means two "
                                         "specialties at once, list it under [combined]")
        specialties.append(Specialty(spec_id, label, tuple(lists["synonyms"]),
                                     tuple(lists["abbreviations"]), tuple(tags), parent, tuple(related)))
    _check_parent_loops(table, specialties)
    return specialties, claimed


def _check_hashtag(section: Table, tag: str, probe: Vocabulary) -> None:
    key = section.key("hashtags")
    if not HASHTAG_PATTERN.match(tag):
        section.problems.add(key, f"'#{tag}' is not a hashtag X would recognise",
                             "use letters, digits and underscores only, e.g. \"#CardioTwitter\"")
    elif probe.is_identity_hashtag(tag):
        section.problems.add(key, f"'#{tag}' is an identity hashtag; it must never count as a specialty",
                             "remove it from the specialty (identity hashtags are never used or stored)")
    elif probe.is_general_hashtag(tag):
        section.problems.add(key, f"'#{tag}' is listed as a general hashtag that names no specialty",
                             "remove it from the specialty, or from [hashtags] general")


def _check_parent_loops(table: Table, specialties: list[Specialty]) -> None:
    parents = {s.id: s.parent for s in specialties}
    for start in parents:
        seen, node = [start], parents.get(start)
        while node is not None and node in parents:
            if node in seen:
                if node == start:
                    table.problems.add(table.key(f"{start}.parent"),
                                       f"parents go round in a circle: {' -> '.join([*seen, node])}",
                                       "remove one of these parent settings")
                break
            seen.append(node)
            node = parents.get(node)


def _combined(table: Table, claimed: dict[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Terms naming several specialties at once: "heme/onc" = ["hematology", "oncology"]."""
    problems, seen = table.problems, set()
    result: list[tuple[str, tuple[str, ...]]] = []
    for term, ids in table.items():
        key = f'combined."{term}"'
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.add(key, f"expected a list of specialty ids, got {describe(ids)}",
                         'write e.g. "heme/onc" = ["hematology", "oncology"]')
            continue
        unknown = [i for i in ids if i not in SPECIALTY_IDS]
        if unknown:
            close = get_close_matches(unknown[0], SPECIALTY_IDS, n=1)
            problems.add(key, f"'{unknown[0]}' is not a specialty id"
                         + (f" (did you mean '{close[0]}'?)" if close else ""),
                         "use the 38 specialty ids, e.g. " + (close[0] if close else "hematology"))
            continue
        if len(set(ids)) < 2:
            problems.add(key, "a combined term must name at least two specialties",
                         "list two or more ids, or make the term a synonym of its one specialty")
            continue
        folded = term.strip().casefold()  # hashtags are claimed as "#tag", like here
        if folded in claimed:
            problems.add(key, f"'{term}' is also claimed by specialties.{claimed[folded]}",
                         "keep it in one place: under [combined] if it names several specialties")
            continue
        if folded in seen:
            problems.add(key, f"'{term}' is listed twice (in another capitalisation)", "keep one")
            continue
        seen.add(folded)
        result.append((term, tuple(ids)))
    return tuple(result)
