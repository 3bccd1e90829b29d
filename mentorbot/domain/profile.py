"""Who the author is: career stage and specialties, from the vocabulary's words.

Read from tokens (see :mod:`.textnorm`), once for the post and once for the bio. A stage word
counts only when it describes the author *now*: not "former", "future", "applying to", not "my
attending", not "daughter of a surgeon", and in the post not the mentor one is looking for
("looking for an attending mentor"). Among what remains the most senior strong word wins
("Assoc Prof, program director" -> senior); weak words ("MD", "fellow", "chief") need another
sign, such as a specialty, and degrees ("MD", "Dr") yield to any more specific weak word.

With no stage word at all, a practitioner noun ("Cardiothoracic surgeon", "Endocrinologist",
"Pediatric hospitalist", "psiquiatra") says the author practises: an attending. In a bio that
needs nothing more; in a post, where people talk about others, only the author's own words
("I'm a pulmonologist", "hospitalist here") count. Any stated stage ("PGY-2", "fellow") wins.

A specialty is not the author's when it is past ("former ICU nurse"), a rotation or clerkship
("on my surgery rotation"), or, in a post, a group of people ("happy to mentor IM residents");
a department ("professor of surgery") yields to a named surgical specialty in the same text
("Vascular surgeon and professor of surgery"); "Head & Neck Surgery" is "head and neck surgery".
"""
from __future__ import annotations

from typing import NamedTuple

from .lexicon import Hit, MultiIndex, PhraseIndex, Term
from .textnorm import BOUNDARIES, Tokenizer, Tokens
from .vocabulary import Vocabulary, is_case_sensitive

__all__ = ["Mention", "Reading", "ProfileReader", "MAX_HITS", "denial", "denied"]

_FUTURE = frozenset({
    "future", "aspiring", "soon", "incoming", "prospective", "hopeful", "wannabe", "someday",
    "eventual", "next", "become", "becoming", "be", "applying", "apply", "application",
    "applications", "matching", "match", "matched", "into", "towards", "toward", "pre", "futuro",
    "futura", "aspirante", "ser", "dream", "pursuing", "considering", "interview", "interviews",
    "interviewing", "for", "thinking", "about", "interested", "planning", "plan", "plans",
    "hoping", "eyeing", "want", "wants",
})
# Before "as": the author speaks of a past self ("would have helped me as a premed").
_BACK_THEN = frozenset({"have", "had", "was", "were", "been", "would've", "back", "when", "used",
                        "once", "helped", "did", "wish"})
_PAST = frozenset({"former", "formerly", "ex", "previously", "past", "was", "used", "longer"})
_OTHER = frozenset({
    "my", "our", "your", "their", "any", "anyone", "some", "someone", "somebody", "every", "all",
    "ideally", "preferably", "prefer", "other", "with", "mi", "mis", "meu", "minha", "nuestro",
    "nuestra", "nosso", "nossa", "seeking", "wife's", "husband's",
    "you", "you're", "youre", "yourself", "if",  # "if you're an attending, sign up"
})
# Words that deny what follows ("I'm a PGY-1, not a fellow", "it's peds not pulm"). The Spanish
# and Portuguese "no" also means "in the", so it denies only before "de"/"soy"/an article.
_DENY = frozenset({"not", "nao", "ni", "nor", "isn't", "aren't", "no"})
_AFTER_NO = frozenset({"de", "soy", "es", "un", "una", "a", "an", "el", "la", "sou", "um", "uma"})
_DENY_GLUE = frozenset({"a", "an", "the", "de", "in", "into", "el", "la", "en", "un", "una", "um",
                        "uma", "really", "exactly"})
# Next to a trainee title, a year of study makes it a stage ("Estudiante de 4º año", "2nd yr student").
_YEAR = frozenset({"year", "yr", "ano", "anio"})
# An ordinal is a year of study too ("Estudiante de 4º", "3rd yr"): folded "4o", "4to", "3rd".
_ORDINAL_ENDS = frozenset({"o", "a", "to", "ta", "th", "st", "nd", "rd", "er", "vo", "mo", "do",
                           "no", "ro", "ra"})
_KIN = frozenset({
    "daughter", "son", "wife", "husband", "mom", "mother", "dad", "father", "sister", "brother",
    "partner", "spouse", "child", "kid", "kids", "fiance", "fiancee", "married", "hija", "hijo",
    "esposa", "esposo", "marido", "madre", "padre", "hermana", "hermano", "filha", "filho", "mae",
    "pai", "irma", "irmao", "granddaughter", "grandson",
})
_SELF = frozenset({"as", "i'm", "am", "soy", "sou", "como", "now", "currently", "ahora", "agora"})
# Before a trainee title, these say the author holds it ("I'm a fellow now", "sou fellow"); "as"
# does not ("as fellow residents").
_AS = frozenset({"i'm", "am", "soy", "sou", "now", "currently", "ahora", "agora"})
_DEGREES = frozenset({"md", "do", "mbbs", "mbchb", "physician", "doctor", "dr", "medico", "medica",
                      "doctora", "doutor", "doutora", "specialist", "especialista", "staff", "doc"})
# "residency applications": the program, not a person in it.
_INSTITUTION = frozenset({
    "interview", "interviews", "interviewing", "application", "applications", "applicant",
    "applicants", "apps", "season", "match", "program", "programs", "programme", "spot", "spots",
    "position", "positions", "training", "options", "choices", "advice", "prep", "personal",
    "faculty",
})
# Words next to which a term means something else ("ID card", "Anki cards", "attending a talk").
_VETO_BEFORE: dict[str, frozenset[str]] = {
    "doc": frozenset({"post", "google", "word", "shared", "this", "that", "the"}),
    "cards": frozenset({"anki", "flash", "note", "index", "business", "id", "playing", "credit",
                        "greeting", "thank", "you", "birthday", "holiday", "christmas", "trading",
                        "report", "gift", "sim", "tarot", "uno", "pokemon", "the", "these", "my"}),
    "id": frozenset({"photo", "student", "government", "your", "valid", "user", "tweet", "post",
                     "my", "an", "national", "staff", "badge"}),
    "attending": frozenset({"i'm", "im", "am", "currently", "will", "be", "been", "was", "were",
                            "is", "are", "i'll", "we're", "also", "and", "while", "after", "before"}),
    "intern": frozenset({"research", "summer", "lab", "marketing", "policy", "engineering",
                         "software", "student", "undergraduate", "undergrad", "volunteer"}),
}
_VETO_AFTER: dict[str, frozenset[str]] = {
    "id": frozenset({"card", "cards", "badge", "number", "no", "photo", "check", "verification",
                     "required", "theft", "please"}),
    "im": frozenset({"injection", "injections", "shot", "shots", "dose", "route", "not"}),
    "fm": frozenset({"radio", "station"}),
    "cards": frozenset({"against", "game", "games", "on"}),
    "attending": frozenset({"a", "an", "the", "my", "our", "this", "that", "these", "med",
                            "medical", "college", "university", "school", "conference", "meeting",
                            "class", "classes", "lecture", "lectures", "grand", "webinar",
                            "workshop", "church", "mass", "to", "at", "on", "virtually", "today",
                            "tomorrow", "tonight", "rounds", "sessions", "session", "acc",
                            "asco", "aaem", "saem", "nejm"}),
    "resident": frozenset({"of", "evil", "alien", "expert", "dj", "cat", "dog", "artist"}),
    "residency": _INSTITUTION,
    "fellowship": _INSTITUTION,
    "residencia": _INSTITUTION,
}


class Mention(NamedTuple):
    """A stage word as found: which stage, how strong, where, and what it said."""

    stage: str
    rank: int
    weak: bool
    degree: bool
    quote: str


class Reading(NamedTuple):
    """What one text (post or bio) says about its author."""

    stage: Mention | None
    specialties: tuple[tuple[str, str], ...]  # (specialty id, quote), in order found


_NOTHING = Reading(None, ())
MAX_HITS = 48
#: The stage a practitioner noun implies when no stage is stated.
PRACTISING = "attending"
# How the last word of a specialty term names someone who practises it (folded: "cardiólogo" ->
# "cardiologo"). Plurals ("surgeons") are people in general, not the author.
_PRACTITIONER_ENDINGS = ("ologist", "iatrist", "ician", "surgeon", "ist", "ologo", "ologa",
                         "iatra", "ista", "obstetra", "cirujano", "cirujana", "cirurgiao",
                         "physician", "doctor", "doc", "practitioner")
_SUBSPECIALTY_WORDS = frozenset({"interventional", "maternal", "reproductive", "gynecologic"})
_SUBSPECIALTY_TERMS = frozenset({"mfm", "rei", "electrophysiology", "urogynecology",
                                 "neuroradiology", "dermatopathology", "hematopathology",
                                 "hepatology", "cytopathology", "neuropathology"})
_STILL_TRAINING = frozenset({"in", "trainee", "wannabe", "track"})  # "surgeon in training"
# After a specialty: a part of training, not a field ("surgery rotation", "peds clerkship").
_ROTATION = frozenset({"rotation", "rotations", "clerkship", "clerkships", "shelf", "rotacion",
                       "rotacao", "rodizio", "block"})
# After a specialty in a post: a group of people, not the author ("IM residents").
_GROUP = frozenset({"residents", "students", "trainees", "mentees", "interns", "fellows",
                    "residentes", "estudiantes", "estudantes", "applicants"})
_DEPARTMENT_OF = frozenset({"of", "de", "do", "da"})  # "professor of surgery", "Dept of Surgery"
# The surgical field everything surgical trains from, and its bare words ("surgery", "surgeon").
_GENERAL_SURGERY = "general_surgery"
_new = tuple.__new__  # a named tuple without its Python-level __new__
# Words that may make _mark say something: without one of them in a text, it says None.
_MARKERS = _SELF | _FUTURE | _PAST | _KIN | _OTHER | _DENY | {"his", "her", "of"}


class ProfileReader:
    """Compiled stage and specialty terms of a vocabulary."""

    def __init__(self, vocabulary: Vocabulary, tokenizer: Tokenizer) -> None:
        self._rank = {s.id: s.rank for s in vocabulary.stages}
        spec_terms: list[Term[tuple[str, ...]]] = []
        terms = vocabulary.specialty_terms()
        for text, ids in terms.items():
            upper = is_case_sensitive(text)
            keys = tokenizer.term_keys(text)
            spec_terms.append(Term(keys, text, upper, ids))
            if "and" in keys:  # "Head & Neck Surgery"
                spec_terms.append(Term(tuple("&" if k == "and" else k for k in keys), text, upper, ids))
            if keys and not upper and keys[-1].isalpha() and not keys[-1].startswith("#"):
                # plurals: "cardiologists", "surgeons", "pediatras", "surgeries"
                spec_terms.append(Term((*keys[:-1], keys[-1] + "s"), text, upper, ids))
                if keys[-1].endswith("y"):
                    spec_terms.append(Term((*keys[:-1], keys[-1][:-1] + "ies"), text, upper, ids))
        #: specialty terms, then stage terms: scan them together with :class:`MultiIndex`
        self.specs: PhraseIndex[tuple[str, ...]] = PhraseIndex(spec_terms, _accept, _watched)
        self.stages: PhraseIndex[tuple[str, bool, bool]] = PhraseIndex(
            (Term(tokenizer.term_keys(text), text, is_case_sensitive(text),
                  (stage_id, weak, any(c.isdigit() for c in text)))
             for text, (stage_id, weak) in vocabulary.stage_terms().items()), _accept, _watched)
        self._both = MultiIndex(self.specs, self.stages)
        # A practitioner noun may come first in Spanish and Portuguese ("Cirujana general"); a
        # plural ("surgeons", "cirujanas generales") is people in general, not the author.
        base = {tokenizer.term_keys(text) for text in terms}
        self._practitioners = frozenset(
            term.keys for term in spec_terms
            if term.keys in base and any(key.endswith(_PRACTITIONER_ENDINGS) for key in term.keys)
            and not term.keys[-1].endswith("s"))
        # Subspecialty fields ("Interventional cardiology", "MFM"): named alone in a bio, the
        # author practises them (a trainee in one writes "fellow").
        self._subspecialties = frozenset(
            term.keys for term in spec_terms
            if term.keys in base and (term.keys[0] in _SUBSPECIALTY_WORDS
                                      or (len(term.keys) == 1 and term.keys[0] in _SUBSPECIALTY_TERMS)))
        self._practising_rank = self._rank.get(PRACTISING, 0)
        # Surgical specialties (a term of theirs says "surg"/"cirug"/"cirurg"), and the bare words
        # of general surgery that yield to them.
        surgical: set[str] = set()
        bare: set[str] = set()
        for text, ids in terms.items():
            keys = tokenizer.term_keys(text)
            if any(word in key for key in keys for word in ("surg", "cirug", "cirurg")):
                surgical.update(spec for spec in ids if spec != _GENERAL_SURGERY)
                if ids == (_GENERAL_SURGERY,) and len(keys) == 1:
                    bare.add(keys[0])
        self._surgical = frozenset(surgical)
        self._bare_surgery = frozenset(bare | {key + "s" for key in bare})

    def read(self, tokens: Tokens, others: list[tuple[int, int]] = ()) -> Reading:  # type: ignore[assignment]
        """Stage and specialties of ``tokens``; ``others`` are spans describing someone else."""
        if not tokens.keys:
            return _NOTHING
        (spec_hits, stage_hits), (spec_upper, stage_upper) = self._both.scan_upper(tokens)
        return self.read_hits(tokens, spec_hits, stage_hits, others,
                              spec_upper < MAX_HITS or stage_upper < MAX_HITS)

    def read_hits(self, tokens: Tokens, spec_hits: list[Hit], stage_hits: list[Hit],
                  others: list[tuple[int, int]] = (),  # type: ignore[assignment]
                  upper: bool | None = None, in_post: bool = False) -> Reading:
        """Like :meth:`read`, from hits of :attr:`specs` and :attr:`stages` found already.

        ``upper``: whether a term that counts only in capitals is among the first hits read
        (None: look). ``in_post``: the text is a post, not a bio (see the module docstring).
        """
        if not spec_hits and not stage_hits:
            return _NOTHING
        # Like the intent rules, read the first few terms only: bounded work on any input.
        if len(spec_hits) > MAX_HITS:
            spec_hits = spec_hits[:MAX_HITS]
        if len(stage_hits) > MAX_HITS:
            stage_hits = stage_hits[:MAX_HITS]
        if upper is None:
            upper = any(h.term.upper for h in spec_hits) or any(h.term.upper for h in stage_hits)
        shout = upper and _shouting(tokens)
        keys = tokens.keys
        specialties = self._specialties(tokens, spec_hits, shout, in_post) if spec_hits else ()
        if not stage_hits:
            return _new(Reading, (self._practising(tokens, spec_hits, others, in_post) if specialties
                                  else None, specialties))
        marked = not _MARKERS.isdisjoint(keys)  # most texts have no word that marks a stage
        spec_ends = {h[1] for h in spec_hits} if spec_hits else ()
        best: tuple[int, int, Hit] | None = None  # (specificity, rank, hit)
        weak_seen = 0
        rank = self._rank
        for hit in stage_hits:
            start = hit[0]
            term = hit[2]
            stage_id, weak, digits = term.value
            weak = weak or (shout and term.upper and not digits)  # "FEA", "DO" in a shouted post
            degree = weak and keys[start] in _DEGREES
            if weak and not degree and any(a[0] <= start < a[1] for a in spec_hits):
                continue  # "head" in "head and neck surgery", "interna" in "medicina interna"
            mark = _mark(keys, start) if marked else None
            if mark == "other" or (mark is None and others and any(a <= start < b for a, b in others)):
                continue
            if weak and not degree and rank[stage_id] < self._practising_rank and (
                    start in spec_ends or _year_near(keys, start, hit[1])
                    or (mark == "self" and not _AS.isdisjoint(_window(keys, start)))):
                weak = False  # "cards fellow", "peds intern", "Estudiante de 4º año", "I'm a fellow now"
            weak_seen += weak
            # strong words beat weak ones; weak titles ("fellow") beat degrees ("MD"); then rank
            order = (0 if weak else 2) + (0 if degree else 1), rank[stage_id]
            if best is None or order > best[:2]:
                best = (*order, hit)
        if best is None:
            return _new(Reading, (self._practising(tokens, spec_hits, others, in_post) if specialties
                                  else None, specialties))
        if best[0] < 2 and not specialties and weak_seen < 2:
            return _new(Reading, (None, specialties))  # a weak word alone says too little ("MD")
        if best[0] == 0 and not specialties:
            return _new(Reading, (None, specialties))  # "MD, MBBS": two degrees are not two signs
        hit = best[2]
        mention = _new(Mention, (hit[2].value[0], best[1], best[0] < 2, best[0] == 0,
                                 tokens.quote(hit[0], hit[1])))
        return _new(Reading, (mention, specialties))

    def _practising(self, tokens: Tokens, hits: list[Hit], others: list[tuple[int, int]],
                    in_post: bool) -> Mention | None:
        """An attending, from the author's own practitioner noun ("Geriatrician"), if any."""
        keys, practitioners = tokens.keys, self._practitioners
        for start, end, term in hits:
            if term.keys not in practitioners and (in_post or term.keys not in self._subspecialties):
                continue
            if end < len(keys) and keys[end] in _STILL_TRAINING:
                continue  # "surgeon in training"
            mark = _mark(keys, start)
            if mark == "other" or _kin_before(keys, start):
                continue  # "future cardiologist", "my surgeon", "daughter of a surgeon"
            if in_post:
                if others and any(a <= start < b for a, b in others):
                    continue  # "looking for a mentor who is a cardiologist"
                if mark != "self" and not (end < len(keys) and keys[end] in ("here", "aqui", "aca")):
                    continue  # "I'm a pulmonologist", "hospitalist here"
            return _new(Mention, (PRACTISING, self._practising_rank, True, False,
                                  tokens.quote(start, end)))
        return None

    def _specialties(self, tokens: Tokens, hits: list[Hit], shout: bool,
                     in_post: bool = False) -> tuple[tuple[str, str], ...]:
        strong: list[tuple[str, str]] = []
        doubtful: list[tuple[str, str]] = []
        keys = tokens.keys
        n = len(keys)
        kin = not _KIN.isdisjoint(keys)
        past = not _PAST.isdisjoint(keys)
        deny = not _DENY.isdisjoint(keys)
        bare = None  # general surgery's bare words yield to a named surgical specialty
        for start, end, term in hits:
            if kin and _kin_before(keys, start):
                continue
            if past and any(key in _PAST for key in _window(keys, start)):
                continue  # "former ICU nurse"
            if deny and denied(keys, start):
                continue  # "it's peds not pulm", "R2 de anestesiología, no de urgencias"
            if end < n and (keys[end] in _ROTATION or (in_post and keys[end] in _GROUP)):
                continue  # "surgery rotation", "happy to mentor IM residents"
            if end - start == 1 and start and keys[start - 1] in _DEPARTMENT_OF \
                    and keys[start] in self._bare_surgery:
                if bare is None:
                    bare = any(not self._surgical.isdisjoint(h[2].value) for h in hits)
                if bare:
                    continue
            quote = tokens.quote(start, end)
            target = doubtful if shout and term.upper else strong
            ids = term.value
            if len(ids) == 1:
                target.append((ids[0], quote))
            else:
                target.extend((spec, quote) for spec in ids)
        # In a shouted post "EM" may be the Portuguese word: count capitals only if nothing else.
        return tuple(strong or doubtful)


def _watched(term: Term) -> bool:
    return len(term.keys) > 1 or term.keys[0] in _VETO_BEFORE or term.keys[-1] in _VETO_AFTER


def _accept(tokens: Tokens, start: int, end: int, term: Term) -> bool:
    keys = tokens.keys
    if end - start > 1 and tokens.glued[start]:
        return False  # "first-gen med" is not "gen med"
    first, last = keys[start], keys[end - 1]
    before = _VETO_BEFORE.get(first)
    if before is not None and start > 0 and keys[start - 1] in before:
        return False
    after = _VETO_AFTER.get(last)
    if after is not None and end < len(keys) and (keys[end] in after or keys[end].startswith("#")):
        return False
    return True


def _shouting(tokens: Tokens) -> bool:
    """True when the words are (nearly) all in capitals: then capitals carry no meaning."""
    words = [s for s in tokens.surfaces if len(s) > 1 and s.isalpha()]
    return len(words) >= 3 and sum(map(str.isupper, words)) >= 0.7 * len(words)


def _window(keys: list[str], start: int, size: int = 3) -> list[str]:
    """Up to ``size`` keys before ``start`` in the same clause, nearest first."""
    out: list[str] = []
    k = start - 1
    while k >= 0 and len(out) < size and keys[k] not in BOUNDARIES:
        out.append(keys[k])
        k -= 1
    return out


def _mark(keys: list[str], start: int) -> str | None:
    """"self" ("as an MS2"), "other" (past, future, someone else's) or None for a stage word."""
    window = _window(keys, start)
    for n, key in enumerate(window):
        if key in _SELF:
            if key == "as" and _looking_back(keys, start - 1 - n):
                return "other"  # "it would have helped me as a premed"
            return "self"
        if key in _FUTURE or key in _PAST or key in _KIN or key in _OTHER:
            return "other"
        if key in _DENY and (key != "no" or (n and window[n - 1] in _AFTER_NO)):
            return "other"  # "not a fellow", "no soy residente"
        if key in ("his", "her") and not (n + 1 < len(window) and window[n + 1] == "/"):
            return "other"  # "his attending", but not the pronouns "he/his"
        if key == "of" and n > 0 and window[n - 1] in ("a", "an"):
            return "other"  # "mother of a med student"
    return None


def _looking_back(keys: list[str], at: int) -> bool:
    """True when the clause before ``keys[at]`` ("as") speaks of the past ("would have", "back when")."""
    return any(key in _BACK_THEN for key in _window(keys, at, 5))


def denied(keys: list[str], start: int) -> bool:
    """True when a denial comes just before ``start`` ("not pulm", "no de urgencias", "not a fellow")."""
    k = start - 1
    glue = 0
    while k >= 0 and glue < 2 and keys[k] in _DENY_GLUE:
        k -= 1
        glue += 1
    if k < 0 or keys[k] not in _DENY:
        return False
    return keys[k] != "no" or keys[k + 1] in _AFTER_NO


def denial(keys: list[str], hits: list[Hit]) -> tuple[int, int] | None:
    """Where a text denies one of the stage or specialty ``hits`` ("not premed"), if it does."""
    if _DENY.isdisjoint(keys):
        return None
    for start, end, _ in hits:
        if denied(keys, start):
            k = start - 1
            while keys[k] not in _DENY:
                k -= 1
            return k, end
    return None


def _year_near(keys: list[str], start: int, end: int) -> bool:
    """A year of study next to a title: up to three words after it or two before, same phrase."""
    for k in range(end, min(end + 3, len(keys))):
        if keys[k] in BOUNDARIES:
            break
        if keys[k] in _YEAR or _ordinal(keys[k]):
            return True
    return any(key in _YEAR or _ordinal(key) for key in _window(keys, start, 2))


def _ordinal(key: str) -> bool:
    """ "4o" (4º), "3rd", "2nd": a short number with an ordinal ending."""
    if not key[:1].isdigit() or len(key) > 4:
        return False
    digits = key.rstrip("abcdefghijklmnopqrstuvwxyz")
    return digits.isdigit() and len(digits) <= 2 and key[len(digits):] in _ORDINAL_ENDS


def _kin_before(keys: list[str], start: int) -> bool:
    return any(key in _KIN for key in _window(keys, start, 4))
