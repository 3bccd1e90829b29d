"""Who is in the community: each person's kind, stage, specialties, name, handle and home.

A :class:`Profile` is a persona plus what the text generators need to stay consistent with it
(gender for Spanish and Portuguese endings, home time zone, school year, how the person names
their specialties, whether their bio already says their stage and specialties).
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .bios import bio_for
from .lexicon import (COMBOS, EMOJI, FIRST_NAMES, FLAGS, INSTITUTIONS, LAST_NAMES, SPEC_WEIGHTS, SPECS,
                      SUBSPECIALTIES, ZONES, Spec)
from .phrasing import weighted
from .scenario import Persona

__all__ = ["Profile", "Draft", "make_profiles"]

_SPEC_IDS = [k for k, w in SPEC_WEIGHTS.items() if w > 0]
_SPEC_W = [SPEC_WEIGHTS[k] for k in _SPEC_IDS]


@dataclass(frozen=True, slots=True)
class Profile:
    """A persona and the private facts its texts are written from."""

    persona: Persona
    first: str
    gender: str  # "f" | "m" | "x"
    zone: ZoneInfo
    units: tuple[Spec, ...]  # how the person names their specialties (one Spec per named interest)
    year: int  # MS year, PGY, or fellowship year
    inst: tuple[str, str]  # (institution, its X handle or "")
    bio_stage: bool  # the bio says the career stage
    bio_field: bool  # the bio says the specialties

    @property
    def handle(self) -> str:
        return self.persona.handle

    @property
    def lang(self) -> str:
        return self.persona.lang

    @property
    def stage(self) -> str | None:
        return self.persona.stage


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


_STAGES = {
    "mentee": (("premed", 15), ("student", 45), ("resident", 28), ("fellow", 12)),
    "mentor": (("fellow", 15), ("attending", 55), ("senior", 30)),
    "bystander": (("", 30), ("student", 20), ("resident", 15), ("attending", 25), ("senior", 10)),
}


def _units(rng: random.Random, stage: str | None, kind: str) -> tuple[Spec, ...]:
    if stage == "premed" and rng.random() < 0.4:
        return ()  # undecided: plenty of pre-meds are
    if kind == "bystander" and stage is None:
        return ()
    first = rng.choice(COMBOS) if rng.random() < 0.12 else SPECS[rng.choices(_SPEC_IDS, _SPEC_W)[0]]
    units = [first]
    if stage in ("attending", "senior") and rng.random() < 0.18:
        units.append(SPECS["medical_education"])
    elif stage in ("premed", "student", "attending", "senior", None) and rng.random() < 0.15:
        units.append(SPECS[rng.choices(_SPEC_IDS, _SPEC_W)[0]])  # still deciding, or practising both
    if stage == "resident" and len(first.ids) == 1 and first.ids[0] in SUBSPECIALTIES:
        units = [SPECS["internal_medicine"], first]  # an IM resident on the way to a fellowship
    out: list[Spec] = []
    for unit in units:  # drop a second interest that the first already covers
        if not any(set(unit.ids) <= set(o.ids) for o in out):
            out.append(unit)
    return tuple(out)


def _truth(units: tuple[Spec, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for u in units for i in u.ids))


def _year(rng: random.Random, stage: str | None) -> int:
    return {"student": rng.randint(1, 4), "resident": rng.choice((1, 1, 2, 2, 3, 3, 4, 5)),
            "fellow": rng.randint(1, 3), "premed": rng.randint(1, 4)}.get(stage or "", rng.randint(1, 3))


# -- names and handles -------------------------------------------------------------------------

_TROLL = ("HotTakeMD", "RealTalkDoc", "NotYourMentor", "ratio_king", "skeptic_doc", "MedBroTakes", "anon_attndg",
          "JustAskingQs", "contrarian_md", "OldSchoolDoc")


_SPAM = ("CryptoKing", "eth_airdrop", "promo_boost", "NFTdropz", "moonshot_coin", "FreeBTCnow", "GrowthHackz",
         "SolanaGems")


_BOT = ("MedTwitDigest", "HashtagTracker", "MedNewsBot", "TrendingMedBot", "MedEdDigest")


_SHORT = {"cardiology": "Cards", "pediatrics": "Peds", "emergency_medicine": "EM", "oncology": "Onc",
          "neurology": "Neuro", "dermatology": "Derm", "orthopaedic_surgery": "Ortho", "general_surgery": "Surg",
          "psychiatry": "Psych", "radiology": "Rads", "anesthesiology": "Anes", "internal_medicine": "IM",
          "gastroenterology": "GI", "infectious_disease": "ID", "family_medicine": "FM", "nephrology": "Neph",
          "obstetrics_gynecology": "OBGYN", "critical_care": "ICU", "hematology": "Heme"}


class Draft:
    """What is known about a person while their persona is being drawn."""

    def __init__(self, rng: random.Random, kind: str, lang: str):
        self.rng, self.kind, self.lang = rng, kind, lang
        self.first, self.gender = rng.choice(FIRST_NAMES[lang])
        self.last = rng.choice(LAST_NAMES[lang])
        stage = weighted(rng, _STAGES[kind]) if kind in _STAGES else ""
        self.stage: str | None = stage or None
        self.units = _units(rng, self.stage, kind) if kind in _STAGES else ()
        self.year = _year(rng, self.stage)
        self.zone = ZoneInfo(weighted(rng, ZONES[lang]))
        self.inst = rng.choice(INSTITUTIONS[lang if lang == "en" else self.zone.key])


def _handle_options(d: Draft) -> list[str]:
    f, l, F, L = _ascii(d.first).lower(), _ascii(d.last).lower(), _ascii(d.first), _ascii(d.last)
    short = _SHORT.get(d.units[0].ids[0], "Med") if d.units else "Med"
    yy = d.rng.randint(24, 31)
    if d.kind == "troll":
        return [d.rng.choice(_TROLL)]
    if d.kind == "spammer":
        return [f"{d.rng.choice(_SPAM)}{d.rng.randint(10, 9999)}"]
    if d.kind == "bot":
        return [d.rng.choice(_BOT)]
    if d.lang != "en":
        dr = "dra" if d.gender == "f" else "dr"
        senior = d.stage in ("attending", "senior", "fellow")
        plain = [f"{f}_{l}", f"{f}{l}_med", f"{f}{l}{yy}", f"{F}{L[:1]}"]
        return ([f"{dr}{f}{l}", f"{dr}_{l}"] if senior else []) + plain
    if d.kind == "mentor" or d.stage in ("attending", "senior"):
        return [f"Dr{L}", f"Dr{F}{L}", f"{F}{L}MD", f"{f}{l}md", f"{short}Doc{F}", f"Dr_{f}", f"{F}{L[:1]}_MD"]
    if d.stage == "premed":
        return [f"future_dr_{f}", f"{F}Goes2Med", f"{f}{l}{yy}", f"{f}_{l}", f"premed{F}"]
    if d.stage == "student":
        return [f"{f}_ms{d.year}", f"{f}{l}{yy}", f"{F}{L}", f"{f}_{short.lower()}", f"{f}{l[:1]}_"]
    return [f"{F}{L}", f"{f}_{l}", f"Dr{F}{L[:1]}", f"{f}{l}", f"{short}{F}"]


def _handle(d: Draft, taken: set[str]) -> str:
    options = [o for o in _handle_options(d) if o]
    d.rng.shuffle(options)
    fitting = [o for o in options if len(o) <= 15] or [options[0][:15]]
    for option in fitting:
        if option.casefold() not in taken:
            return option
    base = fitting[0]
    while True:  # numbered variants, as X suggests when a name is taken
        digits = str(d.rng.randint(1, 9999))
        option = base[: 15 - len(digits)] + digits
        if option.casefold() not in taken:
            return option


def _name(d: Draft) -> str:
    rng, F, L = d.rng, d.first, d.last
    if d.kind == "troll":
        return rng.choice(("Real Talk", "Dr. Contrarian", "just asking", "Hot Takes Only", "anon"))
    if d.kind == "spammer":
        return rng.choice(("Crypto Signals 🚀", "💰 Airdrop Alerts", "Growth Promo", "NFT Drops 💎"))
    if d.kind == "bot":
        return rng.choice(("MedTwitter Digest 🤖", "Hashtag Tracker", "Med News Bot", "Trending in Med"))
    dr = ("Dra." if d.gender == "f" else "Dr.") if d.lang != "en" else "Dr."
    flag = FLAGS.get(d.zone.key, "")
    if d.stage in ("attending", "senior") or d.kind == "mentor":
        opts = [f"{dr} {F} {L}", f"{F} {L}, MD", f"{F} {L} MD", f"{dr} {L}", f"{F} {L}"]
    else:
        opts = [f"{F} {L}", f"{F} {L[:1]}.", f"{F.lower()} {rng.choice(EMOJI)}", f"{F} {L} {rng.choice(EMOJI)}", F]
        if d.stage == "student" and d.lang == "en":
            opts.append(f"{F} | MS{d.year}")
    name = rng.choice(opts)
    if flag and rng.random() < 0.3:
        name += f" {flag}"
    return name[:50]


def _capacity(rng: random.Random, kind: str) -> int | None:
    if kind != "mentor":
        return None
    return rng.choices((1, 2, 3, None), (20, 35, 20, 25))[0]


def make_profiles(rng: random.Random, counts: dict[str, int], bot_handle: str) -> list[Profile]:
    """Draw ``counts[kind]`` people of each kind, in kind order; handles unique regardless of case."""
    taken = {bot_handle.casefold()}
    out: list[Profile] = []
    for kind in ("mentee", "mentor", "bystander", "troll", "spammer", "bot"):
        for _ in range(counts.get(kind, 0)):
            lang = "en"
            if kind in ("mentee", "mentor", "bystander"):
                lang = weighted(rng, (("en", 85), ("es", 9), ("pt", 6)))
            d = Draft(rng, kind, lang)
            handle = _handle(d, taken)
            taken.add(handle.casefold())
            bio, says_stage, says_field = bio_for(d)
            persona = Persona(
                handle=handle, name=_name(d), bio=unicodedata.normalize("NFC", bio), kind=kind, stage=d.stage,
                specialties=_truth(d.units), protected=kind in ("mentee", "bystander") and rng.random() < 0.04,
                lang=lang, capacity=_capacity(rng, kind))
            out.append(Profile(persona, d.first, d.gender, d.zone, d.units, d.year, d.inst, says_stage, says_field))
    order = list(range(len(out)))
    rng.shuffle(order)  # accounts are not created kind by kind
    return [out[i] for i in order]
