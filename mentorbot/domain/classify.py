"""What a post to the bot means and who its author is: intent, role, stage, specialties.

Pure and fast (compiled once per vocabulary; see benchmarks/classify.py). Intent comes
from the post alone; stage and specialties from the post and the bio (the post wins for stage).
Identity hashtags are dropped while tokenising, so no field, evidence included, can mention them;
nothing about race, gender, disability, religion, orientation or health is ever inferred, and a
matching preference is returned only when the campaign allows it and the person states it.

Intent rules, in order: a question asking how to give the commands it names ("tem algum comando
pra pausar?" is HELP); a command that dominates a short post ("@bot STOP"; a STOP that says
nothing but leaving beats a NO SHOUTOUTS beside it); in reply to a check-in, the answer; in
reply to an introduction, a decline; an unambiguous command phrase ("delete my data"); joining
(looking for / offering mentorship, "sign me up", "I'm in"; not a wish taken back after a
"but": "would be nice to have guidance but I'm too busy right now"); a
command standing alone in its sentence; a capacity update ("capacity 3"; with a self-description
("I can take 2 mentees in cards") it is a join); a win worth amplifying; a correction of what
the bot understood, when the post states a stage or specialty ("actually I'm a fellow now");
else "none". Commands are set phrases ("delete my data") or a verb with its object ("erase
everything you have about me", "please don't share or retweet my posts").

Then, unless the rules read an opt-out, the learned second reading (intentmodel.py), when the
classifier was given labelled examples: its intent is kept only behind the gates of
``Classifier._second_reading`` (stricter where it overrules the rules), and marked ``guessed`` so
that the bot asks before acting on a guess that changes anyone's consent or match. A join's role
is read from explicit words, an offered capacity, a learned reading of the post's words (a guess
too where it goes against the stage), then the stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, NamedTuple

from .intentmodel import Example, IntentModel
from .intents import PHRASES
from .lexicon import MultiIndex, PhraseIndex, Term
from .postphrases import PostPhrases, Span, accept_phrase, typos, watched_phrase
from .postrules import (capacity, checkin_answer, decide, describing_others, join_request, lone_number,
                        offers, pause_until, preference, for_someone_else, negated_join, rules_spoke_of,
                        NOT_OWN_WIN)
from .profile import MAX_HITS, PRACTISING, Mention, ProfileReader, Reading, denial
from .textnorm import BOUNDARIES, Tokenizer, Tokens, fold
from .vocabulary import Vocabulary

__all__ = ["Classification", "Classifier", "INTENTS", "CONTEXTS"]

INTENTS = ("join", "stop", "pause", "resume", "delete", "help", "status", "achievement", "capacity",
           "decline", "checkin", "no_shoutouts", "correct", "none")
CONTEXTS = (None, "call", "intro", "checkin", "confirm")
_MENTOR_RANK = 4  # fellows and above mentor when their words do not say
_BIOS = 10_000  # authors whose bio reading is remembered: the newest, and as many before them
_SHORT = 1_000  # longer posts are not remembered: rare, and they would hold memory
# A decline talks about the match ("Dr. A is adult neuro", "student wants hand surgery"): only
# the parts where the author speaks of themself say who the author is.
# ("my match is in psych" is about the match: "my" is not the author as subject.)
_FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "i'd", "i'll", "myself", "yo", "soy", "estoy",
                           "eu", "sou", "estou"})
# A denial corrects the bot when the author says it of themself ("I'm an MS3, not premed", "it's
# peds not pulm"), not in a remark ("cardiology is not neurology").
_SAYS_OF_SELF = _FIRST_PERSON | {"it's", "its"}
# A correction the model reads must be said of the author ("it's peds", "my field is ID"), not a
# remark ("Cardiology is not neurology, folks").
_OF_SELF = _SAYS_OF_SELF | {"my", "me", "mi", "meu", "minha"}
# Where the rules' own reading of their words stands (see rules_spoke_of): a negated "stop", an
# erase word in another sense, a win word with a veto. Elsewhere the bot asks, or a reply is all.
_RULES_WORDS_FINAL = frozenset({"stop", "delete", "achievement", "no_shoutouts"})
_NEEDS_CONTEXT = {"checkin": "checkin", "decline": "intro"}
_SURE = 0.9
_ROLE_SURE = 0.99  # the role model is sure of nearly everything it reads: only its surest readings count
_OVERRULE = 0.999
_OVERRULE_WORDS = 6
# What the rules read as leaving, pausing or withholding consent stands: the model never reads
# such a post as anything less (honour opt-out at once).
_OPT_OUTS = frozenset({"stop", "delete", "no_shoutouts", "pause"})
_FEW_WORDS = 3
# The handles a post opens with, after a greeting at most ("hey @bot, ...", "ok @bot I finally...").
_LEADING_HANDLES = re.compile(r"\s*(?:(?:hi|hey|hello|ok|okay|dear|hola|oi|ol[aá])\b[\s,!.]*)?(?:@(\w+)[\s,:]*)+",
                              re.IGNORECASE)
_HANDLE = re.compile(r"@(\w+)")


def _mentions(text: str, bot_handle: str) -> bool:
    """The post names the bot's handle itself, not a longer one ("@MedMentorBotFan")."""
    handle = f"@{fold(bot_handle.lstrip('@'))}"
    folded = fold(text[:20_000])
    start = folded.find(handle)
    while start >= 0:
        end = start + len(handle)
        if end == len(folded) or not (folded[end].isalnum() or folded[end] == "_"):
            return True
        start = folded.find(handle, end)
    return False


def _addressee(text: str, bot_handle: str | None) -> str | None:
    """Whom the post speaks to by its opening handles: "bot" when it opens with the bot's handle
    and no other (any one handle when the bot's is not known), "others" when it opens with
    someone else's ("@DrKim @bot do you still run journal club?" asks Dr Kim), None when it
    opens with no handle (it may still mention the bot further on)."""
    lead = _LEADING_HANDLES.match(text)
    if lead is None:
        return None
    handles = _HANDLE.findall(lead.group(0))
    if not handles:
        return None
    if bot_handle is None:
        return "bot" if len(handles) == 1 else "others"
    return "bot" if [fold(h) for h in handles] == [fold(bot_handle.lstrip("@"))] else "others"


def _model_evidence(probability: float, telling: tuple[str, ...]) -> str:
    """What a learned reading rests on, for the evidence: "model(0.97: 'word', 'word pair')"."""
    quoted = ", ".join(f"'{word}'" for word in telling)
    return f"model({probability:.2f}: {quoted})"


_JOINS = BOUNDARIES | {"and", "but", "y", "pero", "e", "mas", "while", "whereas", "—", "-"}

# What is remembered holds tuples of strings and numbers only, which the garbage collector stops
# tracking: thousands of remembered bios and posts then cost it nothing.


class _Bio(NamedTuple):
    """What a bio says, with its evidence lines written once (the same for every post)."""

    stage: Mention | None
    stage_line: str
    specialties: tuple[tuple[str, str], ...]  # (id, evidence line), the first quote of each
    ids: tuple[str, ...]  # the specialty ids, sorted
    lines: tuple[str, ...]  # their evidence lines, in that order


class _Said(NamedTuple):
    """What a post says in its context, whoever wrote it: everything but the bio's part."""

    intent: str
    intent_line: str | None
    stage: Mention | None
    stage_line: str
    specialties: tuple[tuple[str, str], ...]
    ids: tuple[str, ...]
    lines: tuple[str, ...]
    tags_only: bool  # every specialty came from a hashtag: a topic, unless the author is medical
    capacity: int | None
    capacity_line: str
    capacity_why: str  # the offer quoted, for the role
    join: tuple[str, str] | None  # explicit role words: ("mentee" | "mentor" | "either", quote)
    learned_role: tuple[str, str] | None  # the role model's reading, when sure: (role, evidence)
    offers: bool  # a mentee who also offers to mentor (see Classifier._role)
    checkin: str | None
    preference: str | None
    pause: tuple[PostPhrases, Span | None] | None  # dated at each call: the date depends on today
    guessed: bool  # the intent (and a check-in answer) came from the learned reading


def _evidence(found: tuple[tuple[str, str], ...], where: str) -> tuple[tuple[str, str], ...]:
    """(id, evidence line) for each specialty, the first quote of each."""
    lines: dict[str, str] = {}
    for spec, quote in found:
        if spec not in lines:
            lines[spec] = f"specialty:{spec}<-'{quote}'{where}"
    return tuple(lines.items())


# Words for a focus that any field has ("cardiac imaging", "imaging posters" from a cards
# fellow): they name their specialty only when the author names no other.
_FOCUS_WORDS = frozenset({"imaging"})
_FOCUS_IDS = frozenset({"radiology"})


def _without_focus(ordered: tuple[str, ...], lines: "tuple[str, ...] | list[str]") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Drop the specialties quoted only by a focus word when another specialty is named."""
    keep = [(spec, line) for spec, line in zip(ordered, lines)
            if spec not in _FOCUS_IDS
            or line.partition("<-'")[2].rpartition("'")[0].casefold() not in _FOCUS_WORDS]
    if not keep:
        return ordered, tuple(lines)
    return tuple(spec for spec, _ in keep), tuple(line for _, line in keep)


def _bio(reading: Reading) -> _Bio:
    mention = reading.stage
    pairs = _evidence(reading.specialties, " (bio)")
    ids = tuple(sorted(spec for spec, _ in pairs))
    lines = dict(pairs)
    return _Bio(mention, f"stage:{mention.stage}<-'{mention.quote}' (bio)" if mention else "", pairs,
                ids, tuple(lines[spec] for spec in ids))


_NO_BIO = _bio(Reading(None, ()))


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
    #: the intent (or a check-in answer) is the learned reading's, not in words the rules know:
    #: the bot asks before it acts on one that changes consent or a match (registration.py)
    guessed: bool = False


def _own(toks: Tokens, hits: list) -> list:
    """The hits in stretches of text where the author speaks of themself (see _FIRST_PERSON)."""
    keys = toks.keys
    kept = []
    for hit in hits:
        a = hit[0]
        while a > 0 and keys[a - 1] not in _JOINS:
            a -= 1
        b = hit[1]
        while b < len(keys) and keys[b] not in _JOINS:
            b += 1
        if not _FIRST_PERSON.isdisjoint(keys[a:b]):
            kept.append(hit)
    return kept


class Classifier:
    """Compile a vocabulary once; :meth:`classify` many posts."""

    def __init__(self, vocabulary: Vocabulary, *, examples: Iterable[Example] = (),
                 remember: int = 8192) -> None:
        """``examples``: labelled posts to train the second reading of intent (and of check-in
        answers) on (see intentmodel.py); none: the phrase rules alone.
        ``remember``: how many recent short posts' readings to keep (0: none), and as many
        before them. Commands and replies repeat ("@bot STOP", "I'm in!"); a post read before
        then costs only the assembly of its result with its author's bio."""
        self._remember = remember
        # Two generations each: the newest entries, and the ones before them, from which an entry
        # used again moves back; when the newest are full they become the ones before.
        self._texts: dict[tuple[str, str | None, str | None], _Said] = {}
        self._old_texts: dict[tuple[str, str | None, str | None], _Said] = {}
        self._old_bios: dict[str, _Bio] = {}
        identity = frozenset(vocabulary.identity_hashtags)
        self._tokenize = Tokenizer(identity, vocabulary.is_identity_hashtag,
                                   tuple(vocabulary.identity_words))
        self._profile = ProfileReader(vocabulary, self._tokenize)
        self._rank = {s.id: s.rank for s in vocabulary.stages}
        self._bios: dict[str, _Bio] = {}  # bio -> what it says
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
        labelled = [(self._tokenize(e.text).keys, e.context, e) for e in examples]
        self._model = IntentModel.train((keys, context, e.intent) for keys, context, e in labelled) \
            if labelled else None
        answers = [(keys, context, e.answer) for keys, context, e in labelled if e.answer is not None]
        self._answers = IntentModel.train(answers) if answers else None
        roles = [(keys, context, e.role) for keys, context, e in labelled if e.role is not None]
        self._roles = IntentModel.train(roles) if len({role for *_, role in roles}) == 2 else None

    def classify(self, text: str, bio: str = "", *, context: str | None = None,
                 today: date | None = None, allow_preference: bool = False,
                 bot_handle: str | None = None) -> Classification:
        """Classify one post (``text``) with its author's ``bio``; see the module docstring.

        ``context`` is what the post replies to: None, "call" (the call for mentors), "intro"
        (the introduction of the author's match), "checkin" or "confirm" (the bot's confirmation of
        what it understood: a stage or field stated in reply is a correction). ``today`` dates "pause until
        Jan 15". ``bot_handle``, when given, must be mentioned for a "new mentor" outside an
        introduction to count as a decline.
        """
        if not isinstance(text, str):
            text = ""
        if (context is None or isinstance(context, str)) and (bot_handle is None or isinstance(bot_handle, str)):
            key = (text, context, bot_handle)
            said = self._texts.get(key) or self._read_text(text, context, bot_handle, key)
        else:
            said = self._read_text(text, context, bot_handle, None)
        if bio and isinstance(bio, str):
            about = self._bios.get(bio) or self._read_bio(bio)  # once per author, not per post
        else:
            about = _NO_BIO
        intent = said.intent
        evidence: list[str] = [said.intent_line] if said.intent_line is not None else []
        mention = said.stage or about.stage
        if mention is not about.stage and about.stage is not None and mention.weak \
                and mention.stage == PRACTISING and mention.rank < about.stage.rank:
            # "Sou cirurgião vascular" says the author practises; the bio's "Professor" says more
            mention = about.stage
        stage = mention.stage if mention else None
        role = None
        guessed = said.guessed
        if intent == "join":
            role, why = self._role(said, stage)
            evidence.append(f"role:{role}<-{why}")
            learned = said.learned_role
            if learned is not None and why == learned[1] and stage is not None and role != self._stage_role(stage):
                guessed = True  # the learned role against the stage: the bot asks first, as on any guess
        if mention is not None:
            evidence.append(said.stage_line if mention is said.stage else about.stage_line)
        if said.tags_only and mention is None and about is not _NO_BIO and not about.specialties:
            # "#MedEd" on a crypto coach's ad: a topic, not the author's field, when the author's
            # own words about themself (the bio) say nothing medical
            ordered, lines = (), ()
        elif not said.specialties:
            ordered, lines = about.ids, about.lines
        elif not about.specialties:
            ordered, lines = said.ids, said.lines
        else:  # the post's quote wins over the bio's
            merged = dict(about.specialties)
            merged.update(said.specialties)
            ordered = tuple(sorted(merged))
            lines = [merged[spec] for spec in ordered]
        if len(ordered) > 1 and not _FOCUS_IDS.isdisjoint(ordered):
            ordered, lines = _without_focus(ordered, lines)
        evidence.extend(lines)
        if said.capacity is not None:
            evidence.append(said.capacity_line)
        until = None
        if said.pause is not None:
            until = pause_until(*said.pause, today)
            if until is not None:
                evidence.append(f"pause_until:{until.isoformat()}")
        if said.checkin is not None:
            evidence.append(f"checkin:{said.checkin}")
        stated = said.preference if allow_preference else None
        if stated is not None:
            evidence.append("preference:stated")
        return Classification(intent, role, stage, ordered, said.capacity, until, said.checkin, stated,
                              tuple(evidence), guessed)

    def _read_text(self, text: str, context: str | None, bot_handle: str | None,
                   key: tuple[str, str | None, str | None] | None) -> _Said:
        """Read a post in its context; remember it (under ``key``) when it is short."""
        if key is not None:
            read = self._old_texts.get(key)
            if read is not None:
                self._keep_text(key, read)
                return read
        toks = self._tokenize(text)
        (intent_hits, spec_hits, stage_hits), upper = self._post_index.scan_upper(toks)
        post = PostPhrases(toks, intent_hits)
        others = describing_others(post) if intent_hits else []
        said = self._profile.read_hits(toks, spec_hits, stage_hits, others,
                                       upper[1] < MAX_HITS or upper[2] < MAX_HITS, in_post=True)
        mentioned = bot_handle is None or _mentions(text, bot_handle)
        describes = bool(said.stage or said.specialties)
        denied = denial(toks.keys, [*spec_hits, *stage_hits]) \
            if describes and not _SAYS_OF_SELF.isdisjoint(toks.keys) else None
        intent, span = decide(post, context, mentioned, describes, denied)
        confirm_fix = intent == "none" and context == "confirm" and describes
        if confirm_fix:  # "Not right? Reply with a fix": a stage or field, in reply to the confirmation
            intent = "correct"
        guessed = None
        if self._model is not None and toks.keys and intent not in _OPT_OUTS:
            guessed = self._second_reading(toks, post, context, mentioned, (text, bot_handle),
                                           describes, intent)
            if guessed is not None:
                intent = guessed[0]
        if intent == "decline" and describes:
            spec_hits, stage_hits = _own(toks, spec_hits), _own(toks, stage_hits)
            said = self._profile.read_hits(toks, spec_hits, stage_hits, others, None, in_post=True)
        offered = capacity(post) if intent == "join" or intent == "capacity" else None
        if offered is None and intent == "capacity":  # a capacity the model read: "up me to five"
            offered = lone_number(post)
        join = offering = learned_role = None
        if intent == "join":
            join = join_request(post, context)
            if join is not None:
                offering = join[0] == "mentee" and bool(offers(post) or offered)
                join = (join[0], f"'{toks.quote(*join[1])}'")
            if (join is None or join[0] == "either") and offered is None and self._roles is not None \
                    and post.words >= _OVERRULE_WORDS:  # only where it decides (see _role)
                learned_role = self._learned_role(toks, context)
        pairs = _evidence(said.specialties, "")
        ids = tuple(sorted(spec for spec, _ in pairs))
        lines = dict(pairs)
        mention = said.stage
        if guessed is not None:
            line = guessed[1]
        elif confirm_fix:
            line = "intent:correct<-a reply to the confirmation that says who the author is"
        else:
            line = f"intent:{intent}<-'{toks.quote(*span)}'" if span is not None else None
        read = _Said(
            intent, line,
            mention, f"stage:{mention.stage}<-'{mention.quote}'" if mention else "",
            pairs, ids, tuple(lines[spec] for spec in ids),
            bool(said.specialties) and all(quote.startswith("#") for _, quote in said.specialties),
            offered[0] if offered is not None else None,
            f"capacity:{offered[0]}<-'{toks.quote(*offered[1])}'" if offered is not None else "",
            f"'{toks.quote(*offered[1])}'" if offered is not None else "",
            join, learned_role, bool(offering),
            (guessed[2] if guessed is not None else checkin_answer(post)[0]) if intent == "checkin" else None,
            preference(post),
            (post, span) if intent == "pause" else None,
            guessed is not None and intent != "none")
        if key is not None and self._remember and len(text) <= _SHORT:
            self._keep_text(key, read)
        return read

    def _second_reading(self, toks: Tokens, post: PostPhrases, context: str | None, mentioned: bool,
                        posted: tuple[str, str | None], describes: bool,
                        read: str = "none") -> tuple[str, str, str | None] | None:
        """The learned model's intent for a post the rules ``read`` as something else, with its
        evidence line (and for a check-in, the answer), when the post also shows what that intent
        needs; else None (the rules' reading stands). A guess the bot would act on is marked
        ``guessed``: the registration asks before it changes anyone's consent or match on one.

        Where the rules read "none", the model's guess is believed when it is sure (tempered
        probability >= ``_SURE``) about a post of at least ``_FEW_WORDS`` words ("thanks!" is
        nobody's command) and ``_refusal`` finds nothing against it. Where the rules read a
        command, a join or a win, the model overrules them only when it is surer still
        (``_OVERRULE``), and for an intent of its own only in a post of ``_OVERRULE_WORDS`` words
        or more: the rules' phrases misfire on jokes ("sign me up for a nap"), on questions
        ("how do I sign up?" asks for help), and on posts that use one intent's words for another
        ("back from leave, happy to take mentees again" resumes). The rules' opt-outs
        (``_OPT_OUTS``) are never overruled. ``posted``: the post's text and the bot's handle, to
        see whether the post is addressed to the bot, asked only once the model disagrees.

        Measured by 10-fold cross-validation on the 3,260 labelled posts written blind to the
        rules (benchmarks/intent_cv.py): intent 0.735 (rules) -> 0.951, with 13 mistakes acted on
        (HELP or STATUS replies to jokes, mostly) and 19 only asked about. Overruling costs one
        model reading for every join and win.
        """
        assert self._model is not None
        words = post.words
        if not (context is not None or mentioned) or words < _FEW_WORDS:
            return None  # nothing the model could say would be believed: do not ask it
        guess = self._model.guess(toks.keys, context, unless=read)
        if guess is None:
            return None  # the model reads it as the rules do
        intent = guess.intent
        if read != "none" and (guess.probability < _OVERRULE
                               or words < (_FEW_WORDS if intent == "none" else _OVERRULE_WORDS)):
            return None
        if intent == "none":  # the rules' words, in a sense the model knows is none of them
            return "none", f"intent:none<-model({guess.probability:.2f} over {read})", None
        if self._refusal(intent, guess.probability, toks, post, context, mentioned, _addressee(*posted),
                         describes):
            return None
        answer = self._answer(toks, context) if intent == "checkin" else None
        telling = self._model.telling(toks.keys, intent)
        if not telling or (intent == "checkin" and answer is None):
            return None  # no word of the post speaks for it, or no answer to record
        return intent, f"intent:{intent}<-{_model_evidence(guess.probability, telling)}", answer

    @staticmethod
    def _refusal(intent: str, probability: float, toks: Tokens, post: PostPhrases, context: str | None,
                 mentioned: bool, addressee: str | None, describes: bool) -> str | None:
        """Why the model's guess of ``intent`` is not believed (see ``_second_reading``), or None.
        Each reason is the mistake it was seen to prevent:
        - a command must be addressed to the bot: a reply to one of its posts, or a post that
          opens with the bot's handle and no one else's ("@bot @DrKim do you still run journal
          club?" asks Dr Kim); a join (which is asked about first) or a win must at least
          mention it, and a join not in a post that opens with someone else's handle (a hashtag
          post's win must be worded as the rules know it: chatter is far more common than wins,
          and a repost is public);
        - never a stop, erasure, NO SHOUTOUTS or win where the post holds the rules' own words for
          it and the rules read them otherwise: negated ("please don't stop"), not a win ("our
          R01 was not funded"), the program's mechanics ("feel free to share my posts"); never a
          win where the post holds any intent's words;
        - never a join for someone else ("my resident is looking for a mentor in GI"), nor in a
          post that negates ("I don't need a mentor, I need a nap"; Portuguese "no" is "in the");
        - never a win in a post that hopes, negates, congratulates or speaks of someone else
          ("my co-resident got her first paper in");
        - a check-in answer or a decline only in reply to that post, a capacity only with a
          number, a correction only when the post says a stage or specialty, in reply to the
          confirmation or of the author ("not ENT, plastics"; not "Cardiology is not neurology,
          folks").
        """
        if probability < _SURE:
            return "unsure"
        if _NEEDS_CONTEXT.get(intent, context) != context:
            return "out of its context"
        if not (context is not None or addressee == "bot" or (intent == "achievement" and mentioned)
                or (intent == "join" and mentioned and addressee is None)):
            return "not addressed to the bot"
        if intent in _RULES_WORDS_FINAL and rules_spoke_of(post, intent):
            return "the rules read its words otherwise"
        if intent == "join" and for_someone_else(post):
            return "for someone else"
        if intent == "join" and negated_join(post):
            return "negated"
        if intent == "achievement" and not NOT_OWN_WIN.isdisjoint(toks.keys):
            return "not the author's own win"
        if intent == "capacity" and capacity(post) is None and lone_number(post) is None:
            return "no number"
        if intent == "correct" and not (describes and (context == "confirm" or not _OF_SELF.isdisjoint(toks.keys))):
            return "no stage or field said of the author"
        return None

    def _learned_role(self, toks: Tokens, context: str | None) -> tuple[str, str] | None:
        """The role a join's words ask for, where no phrase the rules know says it ("keen to
        have FY docs shadow me", "alguém topa orientar uma interna?"), when the role model is
        sure; with the words that say it most."""
        assert self._roles is not None
        guess = self._roles.guess(toks.keys, context)
        if guess is None or guess.probability < _ROLE_SURE:
            return None
        telling = self._roles.telling(toks.keys, guess.intent)
        if not telling:
            return None
        return guess.intent, _model_evidence(guess.probability, telling)

    def _answer(self, toks: Tokens, context: str | None) -> str | None:
        """The answer to a check-in the rules did not recognise, when the answer model is sure."""
        if self._answers is None:
            return None
        guess = self._answers.guess(toks.keys, context)
        return guess.intent if guess is not None and guess.probability >= _SURE else None

    def _keep_text(self, key: tuple[str, str | None, str | None], read: _Said) -> None:
        if len(self._texts) >= self._remember:
            self._old_texts, self._texts = self._texts, {}
        self._texts[key] = read

    def _read_bio(self, bio: str) -> _Bio:
        """Read a bio (or recall it from the generation before) and remember it."""
        about = self._old_bios.get(bio) or _bio(self._profile.read(self._tokenize(bio)))
        if len(self._bios) >= _BIOS:
            self._old_bios, self._bios = self._bios, {}
        self._bios[bio] = about
        return about

    def _role(self, said: _Said, stage: str | None) -> tuple[str, str]:
        """Explicit words first; then a capacity offer; then the learned reading of the post's
        words, when sure; then the stage (fellows and above mentor)."""
        join = said.join
        rank = self._rank[stage] if stage else 0
        if join is not None and join[0] != "either":
            if said.offers and rank > _MENTOR_RANK:
                return "mentor", f"stage:{stage}"  # an attending who also wants a mentor mentors here
            return join
        if said.capacity is not None:
            return "mentor", said.capacity_why
        if said.learned_role is not None:
            return said.learned_role
        if stage is not None:
            return self._stage_role(stage), f"stage:{stage}"
        return "mentee", "default"

    def _stage_role(self, stage: str) -> str:
        """Fellows and above mentor, when their words do not say."""
        return "mentor" if self._rank[stage] >= _MENTOR_RANK else "mentee"
