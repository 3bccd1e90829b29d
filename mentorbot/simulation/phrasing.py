"""Small helpers for writing as people write: naming specialties, articles, gendered endings.

Shared by the bios and the posts. Everything random is drawn from the caller's ``Random``.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import EMOJI, IDENTITY_TAGS, SPECS, SUBSPECIALTIES, Spec

if TYPE_CHECKING:  # pragma: no cover
    from .people import Draft, Profile

__all__ = ["Voice", "aim", "weighted", "identity_tag", "has_caps_term", "field", "fields", "who", "cap",
           "cap1", "article", "gendered", "emoji", "spec_words", "reply_prefix", "tidy", "fresh", "vary"]

_CAPS = re.compile(r"\b[A-Z][A-Z0-9/&+-]*[A-Z0-9]\b")
_TAILS = (" 🙏", " 🙌", "!!", " ✨", " 😅", " 💙", " 🎉", " (finally)", " 🩺", " 💪", " 🤞", " ☕", " 🥹", " 🔥")


@dataclass(frozen=True, slots=True)
class Voice:
    """The campaign's words as people type them: the bot's @handle and the hashtag with '#'."""

    bot: str
    tag: str
    year: int  # the scenario's year, for conference hashtags ("#ACC27")


def aim(p: Profile | Draft) -> Spec | None:
    """For an IM resident who wants a subspecialty, that subspecialty (their units are IM, then it)."""
    units = p.units
    if p.stage == "resident" and len(units) == 2 and units[0].ids == ("internal_medicine",) \
            and len(units[1].ids) == 1 and units[1].ids[0] in SUBSPECIALTIES:
        return units[1]
    return None


def weighted(rng: random.Random, pairs) -> str:
    items = list(pairs)
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


def identity_tag(rng: random.Random, gender: str) -> str:
    """A community hashtag this person could plausibly use."""
    own = IDENTITY_TAGS.get(gender, ())
    return rng.choice(own if own and rng.random() < 0.4 else IDENTITY_TAGS[""])


def has_caps_term(text: str) -> bool:
    """True when the text has a word in capitals ("EM", "MS3"): lower-casing it would lose meaning."""
    return bool(_CAPS.search(text))


def field(unit: Spec, lang: str, rng: random.Random) -> str:
    """One way to name ``unit`` in ``lang``: "cards", "cardiología"."""
    if lang == "en":
        return rng.choice(unit.en)
    own = unit.es if lang == "es" else unit.pt
    if own:
        return rng.choice(own)
    parts = [rng.choice(SPECS[i].es if lang == "es" else SPECS[i].pt) for i in unit.ids]
    return (" y " if lang == "es" else " e ").join(parts)


def fields(units: tuple[Spec, ...], lang: str, rng: random.Random) -> str:
    names = [field(u, lang, rng) for u in units]
    if len(names) == 1:
        return names[0]
    joiner = {"en": rng.choice((" & ", " and ", "/", ", ")), "es": " y ", "pt": " e "}[lang]
    return joiner.join(names)


def who(unit: Spec, rng: random.Random) -> str:
    """The English name of the people who practise ``unit``: "cardiologist"."""
    return rng.choice(unit.who)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text and not has_caps_term(text.split(" ")[0]) else text


def cap1(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def article(word: str) -> str:
    """The English article for ``word``: "an IM mentor", "an onc mentor", "a cards mentor"."""
    if word[:1] in "aeiouAEIOU":
        return "an"
    caps = word.split(" ")[0].split("/")[0]
    return "an" if caps.isupper() and caps[:1] in "AEFHILMNORSX" else "a"


def gendered(p: Profile, fem: str, masc: str) -> str:
    return fem if p.gender == "f" else masc


def emoji(rng: random.Random, share: float = 0.4) -> str:
    return " " + rng.choice(EMOJI) if rng.random() < share else ""


def spec_words(p: Profile, rng: random.Random) -> str:
    return fields(p.units, p.lang, rng) if p.units else ""


def reply_prefix(rng: random.Random, v: Voice) -> str:
    """X puts the replied-to account's @handle at the start of a reply; a few clients hide it."""
    return f"{v.bot} " if rng.random() < 0.85 else ""


def tidy(text: str) -> str:
    """Collapse the spaces and stray punctuation left by empty pieces."""
    text = " ".join(text.split())
    for a, b in ((" ,", ","), (" .", "."), (",,", ","), ("()", ""), (" )", ")"), ("! !", "!")):
        text = text.replace(a, b)
    return " ".join(text.split())


def fresh(rng: random.Random, bank: list[str], said: set[str] | None) -> str:
    """A choice from ``bank`` that this person has not said yet (when possible); remembers it."""
    pool = [b for b in bank if said is None or b not in said] or bank
    choice = rng.choice(pool)
    if said is not None:
        said.add(choice)
    return choice


def vary(rng: random.Random, text: str, attempt: int) -> str:
    """A near-copy of ``text`` that a person might post instead (used when a text repeats)."""
    if attempt < 6:
        return text + rng.choice(_TAILS)
    return f"{text} ({attempt})"
