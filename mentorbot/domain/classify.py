"""What a post to the bot means and who its author is: intent, role, stage, specialties.

Pure and fast (compiled once per vocabulary; see benchmarks/classify.py). Intent comes
from the post alone; stage and specialties from the post and the bio (the post wins for stage).
Identity hashtags are dropped while tokenising, so no field, evidence included, can mention them;
nothing about race, gender, disability, religion, orientation or health is ever inferred, and a
matching preference is returned only when the campaign allows it and the person states it.

Intent rules, in order: a command that dominates a short post ("@bot STOP"); in reply to a
check-in, the answer; in reply to an introduction, a decline; an unambiguous command phrase
("delete my data"); joining (looking for / offering mentorship, "sign me up", "I'm in"); a
command standing alone in its sentence; a capacity update ("capacity 3"; with a self-description
("I can take 2 mentees in cards") it is a join); a win worth amplifying; else "none".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .intents import PHRASES
from .lexicon import MultiIndex, PhraseIndex, Term
from .postphrases import PostPhrases, Span, accept_phrase, typos, watched_phrase
from .postrules import (capacity, checkin_answer, decide, describing_others, join_request, offers,
                        pause_until, preference)
from .profile import ProfileReader, Reading
from .textnorm import Tokenizer, fold
from .vocabulary import Vocabulary

__all__ = ["Classification", "Classifier", "INTENTS", "CONTEXTS"]

INTENTS = ("join", "stop", "pause", "resume", "delete", "help", "status", "achievement", "capacity",
           "decline", "checkin", "no_shoutouts", "none")
CONTEXTS = (None, "call", "intro", "checkin")
_MENTOR_RANK = 4  # fellows and above mentor when their words do not say
_NOTHING = Reading(None, ())
_BIO_CACHE = 20_000  # authors whose bio reading is remembered (readings are small and immutable)


@dataclass(frozen=True, slots=True)
class Classification:
    """What the bot understood from one post and its author's bio."""

    intent: str
    role: str | None = None
    stage: str | None = None
    specialties: tuple[str, ...] = ()
    capacity: int | None = None
    pause_until: date | None = None
    checkin: str | None = None
    preference: str | None = None
    evidence: tuple[str, ...] = ()


class Classifier:
    """Compile a vocabulary once; :meth:`classify` many posts."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        identity = frozenset(vocabulary.identity_hashtags)
        self._tokenize = Tokenizer(identity, vocabulary.is_identity_hashtag,
                                   tuple(vocabulary.identity_words))
        self._profile = ProfileReader(vocabulary, self._tokenize)
        self._rank = {s.id: s.rank for s in vocabulary.stages}
        self._bios: dict[str, Reading] = {}
        merged: dict[tuple[str, ...], set[str]] = {}
        for tag, phrases in PHRASES.items():
            for phrase in phrases:
                keys = self._tokenize.term_keys(phrase) if phrase != "?" else ("?",)
                merged.setdefault(keys, set()).add(tag)
        for keys, tags in list(merged.items()):
            for n, key in enumerate(keys):
                for typo in typos(key):
                    merged.setdefault((*keys[:n], typo, *keys[n + 1:]), set(tags))
        intents: PhraseIndex[frozenset[str]] = PhraseIndex(
            (Term(keys, " ".join(keys), False, frozenset(tags)) for keys, tags in merged.items()),
            accept_phrase, watched_phrase)
        self._post_index = MultiIndex(intents, self._profile.specs, self._profile.stages)

    def classify(self, text: str, bio: str = "", *, context: str | None = None,
                 today: date | None = None, allow_preference: bool = False,
                 bot_handle: str | None = None) -> Classification:
        """Classify one post (``text``) with its author's ``bio``; see the module docstring.

        ``context`` is what the post replies to: None, "call" (the call for mentors), "intro"
        (the introduction of the author's match) or "checkin". ``today`` dates "pause until
        Jan 15". ``bot_handle``, when given, must be mentioned for a "new mentor" outside an
        introduction to count as a decline.
        """
        text = text if isinstance(text, str) else ""
        bio = bio if isinstance(bio, str) else ""
        toks = self._tokenize(text)
        intent_hits, spec_hits, stage_hits = self._post_index.scan(toks)
        post = PostPhrases(toks, intent_hits)
        others = describing_others(post) if post.hits else []
        said = self._profile.read_hits(toks, spec_hits, stage_hits, others)
        mentioned = bot_handle is None or f"@{fold(bot_handle.lstrip('@'))}" in fold(text[:20_000])
        intent, span = decide(post, context, mentioned, bool(said.stage or said.specialties))
        about = self._bios.get(bio) if bio else _NOTHING
        if about is None:  # a bio is read once per author, not once per post
            about = self._profile.read(self._tokenize(bio))
            if len(self._bios) >= _BIO_CACHE:
                self._bios.clear()
            self._bios[bio] = about
        evidence: list[str] = []
        if span is not None:
            evidence.append(f"intent:{intent}<-'{toks.quote(*span)}'")
        mention = said.stage or about.stage
        stage = mention.stage if mention else None
        offered = capacity(post) if intent in ("join", "capacity") else None
        role = None
        if intent == "join":
            role, why = self._role(post, context, stage, offered)
            evidence.append(f"role:{role}<-{why}")
        if mention is not None:
            evidence.append(f"stage:{stage}<-'{mention.quote}'{'' if said.stage else ' (bio)'}")
        specialties: dict[str, str] = {}
        for source, where in ((said, ""), (about, " (bio)")):
            for spec, quote in source.specialties:
                if spec not in specialties:
                    specialties[spec] = f"specialty:{spec}<-'{quote}'{where}"
        evidence.extend(specialties[s] for s in sorted(specialties))
        if offered is not None:
            evidence.append(f"capacity:{offered[0]}<-'{toks.quote(*offered[1])}'")
        until = pause_until(post, span, today) if intent == "pause" else None
        if until is not None:
            evidence.append(f"pause_until:{until.isoformat()}")
        answer = checkin_answer(post)[0] if intent == "checkin" else None
        if answer is not None:
            evidence.append(f"checkin:{answer}")
        stated = preference(post) if allow_preference else None
        if stated is not None:
            evidence.append("preference:stated")
        return Classification(intent, role, stage, tuple(sorted(specialties)),
                              offered[0] if offered else None, until, answer, stated, tuple(evidence))

    def _role(self, post: PostPhrases, context: str | None, stage: str | None,
              offered: tuple[int, Span] | None) -> tuple[str, str]:
        """Explicit words first; then a capacity offer; then the stage (fellows and above mentor)."""
        join = join_request(post, context)
        rank = self._rank[stage] if stage else 0
        if join is not None and join[0] != "either":
            if join[0] == "mentee" and (offers(post) or offered) and rank > _MENTOR_RANK:
                return "mentor", f"stage:{stage}"  # an attending who also wants a mentor mentors here
            return join[0], f"'{post.toks.quote(*join[1])}'"
        if offered is not None:
            return "mentor", f"'{post.toks.quote(*offered[1])}'"
        if stage is not None:
            return ("mentor" if rank >= _MENTOR_RANK else "mentee"), f"stage:{stage}"
        return "mentee", "default"
