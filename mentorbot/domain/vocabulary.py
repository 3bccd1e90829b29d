"""The shared vocabulary: career stages, specialties, and hashtags that must never be used.

Pure values. :mod:`mentorbot.config.vocabulary` loads and validates them from TOML.

Matching rules the classifier should follow (the vocabulary file repeats them for organizers):

- a term written entirely in capitals ("ID", "EM", "IM", "ENT", "PGY1") matches only in capitals,
  so that "id", the Portuguese "em" or "I'm" do not count (:func:`is_case_sensitive`);
  every other term matches in any capitalisation;
- ``weak_words`` signal a stage only together with other evidence ("MD" alone, "fellow", "chief");
- when terms overlap, the longest wins ("chief resident" is a resident, "assistant professor" an
  attending, "sub-intern" a student);
- identity hashtags are dropped before anything else and never stored (:meth:`Vocabulary.is_identity_hashtag`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "SPECIALTY_IDS",
    "STAGE_IDS",
    "Stage",
    "Specialty",
    "Vocabulary",
    "is_case_sensitive",
    "normalize_hashtag",
]

#: The stage ids, from least to most senior. The vocabulary must define exactly these.
STAGE_IDS: tuple[str, ...] = ("premed", "student", "resident", "fellow", "attending", "senior")

#: The specialty ids the rest of mentorbot knows (stored in the database, used in matching).
SPECIALTY_IDS: tuple[str, ...] = (
    "allergy_immunology", "anesthesiology", "cardiology", "cardiothoracic_surgery", "critical_care",
    "dermatology", "emergency_medicine", "endocrinology", "family_medicine", "gastroenterology",
    "general_surgery", "geriatrics", "hematology", "infectious_disease", "internal_medicine",
    "medical_genetics", "nephrology", "neurology", "neurosurgery", "obstetrics_gynecology", "oncology",
    "ophthalmology", "orthopaedic_surgery", "otolaryngology", "palliative_care", "pathology",
    "pediatrics", "physical_medicine_rehabilitation", "plastic_surgery", "psychiatry", "public_health",
    "pulmonology", "radiation_oncology", "radiology", "rheumatology", "urology", "vascular_surgery",
    "medical_education",
)


def normalize_hashtag(tag: str) -> str:
    """``"#CardioTwitter"`` -> ``"cardiotwitter"``: the form hashtags are compared in."""
    return tag.strip().lstrip("#＃").casefold()


def is_case_sensitive(term: str) -> bool:
    """True for terms written entirely in capitals ("ID", "PGY1", "OB/GYN"): match them as written."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@dataclass(frozen=True, slots=True)
class Stage:
    """A career stage. ``rank`` orders stages; a larger rank is more senior."""

    id: str
    rank: int
    label: str
    words: tuple[str, ...] = ()
    weak_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Specialty:
    """A specialty, with every way people name it, and its neighbours for matching."""

    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()  # without "#", as written
    parent: str | None = None
    related: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        """The label, synonyms and abbreviations (hashtags are separate: they carry a '#')."""
        return (self.label, *self.synonyms, *self.abbreviations)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Stages (ordered by rank), specialties, combined terms and the hashtags to ignore."""

    stages: tuple[Stage, ...]
    specialties: tuple[Specialty, ...]
    #: a term naming several specialties at once: ("heme/onc", ("hematology", "oncology"))
    combined: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: community and identity hashtags: never a specialty, never stored about anyone (normalized)
    identity_hashtags: frozenset[str] = frozenset()
    #: words that make any hashtag containing them an identity hashtag (normalized)
    identity_words: tuple[str, ...] = ()
    #: hashtags that say nothing about stage or specialty, e.g. #MedTwitter (normalized)
    general_hashtags: frozenset[str] = frozenset()
    _stage_by_id: dict[str, Stage] = field(init=False, repr=False, compare=False)
    _specialty_by_id: dict[str, Specialty] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_stage_by_id", {s.id: s for s in self.stages})
        object.__setattr__(self, "_specialty_by_id", {s.id: s for s in self.specialties})

    # -- stages ------------------------------------------------------------------------------
    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id; ``KeyError`` if there is none."""
        return self._stage_by_id[stage_id]

    def rank(self, stage_id: str) -> int:
        return self._stage_by_id[stage_id].rank

    def stage_gap(self, senior: str, junior: str) -> int:
        """How many ranks ``senior`` is above ``junior`` (negative when it is below)."""
        return self.rank(senior) - self.rank(junior)

    # -- specialties -------------------------------------------------------------------------
    @property
    def specialty_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.specialties)

    def specialty(self, specialty_id: str) -> Specialty:
        """The specialty with this id; ``KeyError`` if there is none."""
        return self._specialty_by_id[specialty_id]

    def label(self, specialty_id: str) -> str:
        return self._specialty_by_id[specialty_id].label

    def adjacent(self, a: str, b: str) -> bool:
        """True when two different specialties are parent and child or declared related (either way).

        Siblings (two children of internal medicine) are not adjacent: cardiology and nephrology
        share a training path, not a practice.
        """
        if a == b:
            return False
        sa, sb = self._specialty_by_id[a], self._specialty_by_id[b]
        return sa.parent == b or sb.parent == a or b in sa.related or a in sb.related

    def specialty_terms(self) -> dict[str, tuple[str, ...]]:
        """Every term (labels, synonyms, abbreviations, combined terms, '#'+hashtags) -> specialty ids.

        Keys keep their spelling; use :func:`is_case_sensitive` to decide how to match each.
        """
        terms: dict[str, tuple[str, ...]] = {}
        for spec in self.specialties:
            for term in spec.terms():
                terms.setdefault(term, (spec.id,))
            for tag in spec.hashtags:
                terms.setdefault("#" + tag, (spec.id,))
        for term, ids in self.combined:
            terms.setdefault(term, ids)
        return terms

    def stage_terms(self) -> dict[str, tuple[str, bool]]:
        """Every stage word -> (stage id, weak?)."""
        terms: dict[str, tuple[str, bool]] = {}
        for stage in self.stages:
            for word in stage.words:
                terms.setdefault(word, (stage.id, False))
            for word in stage.weak_words:
                terms.setdefault(word, (stage.id, True))
        return terms

    # -- hashtags ----------------------------------------------------------------------------
    def is_identity_hashtag(self, tag: str) -> bool:
        """True for a community/identity hashtag (#WomenInMedicine, #BlackInNeuro...).

        Such a hashtag is dropped before classification: it is never evidence of a specialty or a
        stage and is never stored about a person. Matching is deliberately broad (any listed
        identity word inside the tag): a false alarm only loses a hint, a miss could store
        something sensitive.
        """
        norm = normalize_hashtag(tag)
        return norm in self.identity_hashtags or any(word in norm for word in self.identity_words)

    def is_general_hashtag(self, tag: str) -> bool:
        return normalize_hashtag(tag) in self.general_hashtags

    # -- lengths the template checker needs ---------------------------------------------------
    def stage_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.stages)

    def specialty_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.specialties)
