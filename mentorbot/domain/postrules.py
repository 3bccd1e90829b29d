"""The rules that read a post's phrases: which intent wins, joining, capacity, wins, dates.

:func:`decide` applies the rules in order (see :mod:`.classify` for the list); the others answer
the details: the role words, the number of mentees offered, the pause date, a stated preference.
"""
from __future__ import annotations

from datetime import date

from .dates import read_date, read_duration
from .intents import (ACHIEVEMENT_VETOES, COMMAND_PRIORITY, CONGRATULATIONS, FILLERS, GRATITUDE,
                      NEGATORS, NOT_SELF, NUMBERS, OWNERS, PHRASES, ROLE_NOUNS, UNITS)
from .lexicon import Hit, Term
from .postphrases import CLAUSE, PHRASE, PostPhrases, Span, is_word
from .textnorm import BOUNDARIES, COMMA, HARD, QUESTION

__all__ = ["decide", "join_request", "offers", "capacity", "checkin_answer", "describing_others",
           "pause_until", "preference"]

_NUMBER_VETO_BEFORE = frozenset({"step", "level", "pgy", "ms", "m", "year", "years", "r", "f",
                                 "fy", "oms", "part", "phase", "class", "cohort", "top", "since"})
_NUMBER_SKIP = frozenset({"more", "new", "extra", "additional", "med", "medical", "or", "to", "/",
                          "mas", "nuevos", "novos", "a"})
_TIME_UNITS = frozenset({*UNITS, "minutes", "min", "mins", "hours", "hour", "hrs", "pm", "am",
                         "years", "year", "yrs", "%", "anos", "anios", "k"})
_ASKERS = frozenset({"any", "anyone", "anybody", "someone", "somebody", "alguien", "alguem"})
_DAY_FIRST = frozenset({"pausa", "pausar", "hasta", "ate", "pausen", "pausem", "licencia", "licenca",
                        "el", "de", "enero", "janeiro"})
_LEAVING = ("stop", "delete", "pause", "no_shoutouts")
_DESCRIBING = frozenset({"seek", "offer", "cap_word", "prefer"})
# The command tags: "cmd:stop" -> ("stop", weak or strong, priority).
_COMMAND_TAGS = {tag: (tag.split(":", 1)[1], tag[3] == "!", COMMAND_PRIORITY.index(tag.split(":", 1)[1]))
                 for tag in PHRASES if tag[:3] == "cmd"}
_CAPACITY_TAGS = frozenset({"cap_word", "mentee_noun", "offer"})
_NUMBER_WORDS = frozenset(NUMBERS)
_WIN_VETOES = ACHIEVEMENT_VETOES | NOT_SELF | ROLE_NOUNS  # "my mentee just matched"
# Commands said as a verb and its object (see _paraphrased); the hits they make carry these terms.
_PARAPHRASE_TAGS = frozenset({"erase_verb", "amplify_verb", "ask_status"})
_ASK = Term(("status",), "status?", False, frozenset({"cmd!:status"}))
_ERASE = Term(("erase",), "erase", False, frozenset({"cmd!:delete"}))
_NO_AMPLIFY = Term(("no", "share"), "don't share", False, frozenset({"cmd!:no_shoutouts"}))
_CEASE = frozenset({"stop", "quit", "deja", "dejen", "dejes", "pare", "parem", "paren"})
_NOT_AMPLIFY = NEGATORS | _CEASE
_AMPLIFY_GLUE = frozenset({"or", "and", "/", ",", "o", "ou", "y", "e", "about", "of", "anything",
                           "any", "ni", "nem"})
# Between the refusal and the verb ("please don't ever share"), and who refuses: "I don't share
# my posts much" is a habit, not a request.
_REFUSAL_GLUE = frozenset({"please", "pls", "ever", "to", "do", "you", "be", "me", "te", "de"})
_THE_AUTHOR = frozenset({"me", "mi", "mim", "myself", "i", "i'm", "my", "mis", "meus", "minhas"})
_SUBJECTS = frozenset({"i", "we", "yo", "eu", "nos", "nosotros"})
_IF = frozenset({"if", "si", "se"})
_VOCATIVES = frozenset({"attendings", "residents", "fellows", "students", "everyone", "folks",
                        "friends", "colleagues", "docs", "doctors", "physicians", "y'all", "all",
                        "faculty", "mentors", "colegas", "todos", "amigos", "residentes",
                        "estudiantes", "estudantes", "medicos"})
_YOU = frozenset({"you", "you're", "youre", "u", "ur", "your", "anyone", "eres", "tienes", "voce",
                  "voces", "ustedes", "tu"})
# Before "pass" these make it a rule or a hope, not a result ("Step 1 is pass/fail").
_NOT_A_RESULT = frozenset({"is", "be", "being", "went", "goes", "going", "to", "now", "will", "would",
                           "could", "should", "might", "can", "must", "need", "needs", "/", "or"})


# -- the decision ----------------------------------------------------------------------------
_FROM = frozenset({"from", "de", "da", "do"})
_BACK = frozenset({"back", "returned", "returning", "return", "home", "vuelta", "volta", "volvi",
                   "voltei", "regrese", "regresando", "voltando"})
# Someone other than the author, between seeking and the mentor ("a bot to find you a mentor").
_FOR_OTHERS = frozenset({"you", "u", "ya", "him", "them", "y'all", "yall"})


def decide(post: PostPhrases, context: str | None, mentioned: bool,
           describes: bool, denial: Span | None = None) -> tuple[str, Span | None]:
    """The intent and the words that show it; ``describes``: the post says who its author is;
    ``denial``: where it denies a stage or specialty ("I'm an MS3, not premed")."""
    if not post.hits:
        return ("correct", denial) if describes and denial is not None else ("none", None)
    commands = _commands(post, mentioned or context == "intro")
    about = _about_commands(post, commands) if commands and QUESTION in post.keys else None
    if about is not None:
        return "help", about
    strict = [(name, h) for name, h, strong in commands
              if post.others(h, name) <= (0 if _bare_erase(name, strong) else 2)
              and not (name == "help" and post.tagged("mentor_noun"))]
    if context == "checkin":
        for name, hit in strict:
            if name in _LEAVING:
                return name, (hit.start, hit.end)
        answer, hit = checkin_answer(post)
        if hit is not None:
            return "checkin", (hit.start, hit.end)
    if strict:
        name, hit = strict[0]
        if name == "no_shoutouts":  # "I'm out. please stop tagging me": leaving ends the tagging too
            leaving = next((h for n, h, strong in commands if n == "stop" and strong and _leaves(post, h)), None)
            if leaving is not None:
                name, hit = "stop", leaving
        return name, (hit.start, hit.end)
    if context == "intro":
        for hit in (*post.tagged("decline"), *post.tagged("cmd!:decline")):
            if not post.negated(hit):
                return "decline", (hit.start, hit.end)
    for name, hit, strong in commands:
        if strong and post.words <= 30:
            return name, (hit.start, hit.end)
    join = join_request(post, context)
    if join is not None and not _not_now(post, join[1]):
        return "join", join[1]
    for name, hit, strong in commands:
        if name not in ("help", "decline") and post.alone(hit) and post.others(hit) <= 6 \
                and not post.tagged("win") and not _bare_erase(name, strong):
            return name, (hit.start, hit.end)
    offered = capacity(post)
    if offered is not None and (any(not post.negated(h) for h in post.tagged("cap_word"))
                                or post.words <= 8):
        # "I can take 2 mentees in cards" signs up; "capacity 3" updates a registration.
        return ("join" if describes else "capacity"), offered[1]
    win = _win(post)
    if win is not None:
        return "achievement", (win.start, win.end)
    if describes:
        for hit in post.tagged("correct"):
            return "correct", (hit.start, hit.end)  # "actually I'm a fellow now, not a resident"
        if denial is not None:
            return "correct", denial  # "it's peds not pulm": what the bot understood, set right
    return "none", None


def _commands(post: PostPhrases, mentioned: bool) -> list[tuple[str, Hit, bool]]:
    """Command phrases, not negated, strong ones first, then by priority: (intent, hit, strong?)."""
    by_tag = post.by_tag
    found: list[tuple[bool, int, int, str, Hit, bool]] = []
    if not by_tag.keys().isdisjoint(_PARAPHRASE_TAGS):
        for name, hit in _paraphrased(post):
            found.append((False, COMMAND_PRIORITY.index(name), hit.start, name, hit, True))
    if not found and by_tag.keys().isdisjoint(_COMMAND_TAGS):
        return []
    # (strength, priority, start) is unique per hit, so the order tags are visited in is no matter
    for tag in by_tag.keys() & _COMMAND_TAGS.keys():
        name, strong, priority = _COMMAND_TAGS[tag]
        if name == "decline" and not mentioned:
            continue
        for hit in by_tag[tag]:
            if post.negated(hit):
                continue
            if name == "pause" and _returned(post.keys, hit.start):
                continue  # "I'm back from parental leave": the leave is over
            if name == "help" and post.keys[hit.start] == QUESTION and post.words > 0:
                continue  # "?" means help only when it is all there is
            found.append((not strong, priority, hit.start, name, hit, strong))
    if len(found) > 1:
        found.sort(key=lambda f: f[:3])  # "I'm back from leave": the strong "I'm back" wins
    return [(name, hit, strong) for *_, name, hit, strong in found]


def _bare_erase(name: str, strong: bool) -> bool:
    """An erase verb without its object ("delete", "borrar"): it erases only when it is all the
    post says ("DELETE", "delete pls"), as "erase the hierarchy in medicine" is no request and an
    erasure cannot be undone."""
    return name == "delete" and not strong


# In a question that names commands, these ask how to give them: "tem algum comando pra pausar?"
_ASKING_HOW = frozenset({"command", "commands", "comando", "comandos", "option", "options", "opciones",
                         "opcoes", "list", "lista", "escribir", "escrever"})


def _about_commands(post: PostPhrases, commands: list[tuple[str, Hit, bool]]) -> Span | None:
    """A question about the commands rather than one (help): it asks how to give them ("tem
    algum comando pra pausar?", "qué tengo que escribir para pausar o salir?", "is there a list
    of things I can say to you? Pause, stop etc?"), and names each only as a bare word inside
    the question. A command in a phrase ("can you stop tagging me and delete my data?"), or
    given outside the question ("STOP. why do you have my data?"), is a command."""
    named = [hit for name, hit, _ in commands if name != "help"]
    if not named or _ASKING_HOW.isdisjoint(post.keys) \
            or not all(hit.end - hit.start == 1 and post.ends_with_question(hit.start) for hit in named):
        return None
    return named[0].start, named[0].end


_PROGRAM_NOUNS = frozenset({"program", "programme", "programa", "mentorship", "mentoria", "mentoría", "this"})
_OF = frozenset({"of", "from", "do", "del", "de"})
_THE_PROGRAM = _PROGRAM_NOUNS | _OF | {"the", "el", "o", "all", "for", "good"}


def _leaves(post: PostPhrases, hit: Hit) -> bool:
    """The stop phrase says nothing but leaving (the program): "I'm out.", "quero sair do
    programa", not "I'm out on vacation till Monday" nor "I'm out of it today"."""
    a, b = post.segment(hit.start, PHRASE)
    keys = post.keys
    rest = [keys[k] for k in range(a, b) if not hit.start <= k < hit.end and is_word(keys[k])]
    if not _OF.isdisjoint(rest) and _PROGRAM_NOUNS.isdisjoint(rest):
        return False  # out of what? not of the program
    return all(key in _THE_PROGRAM or key in FILLERS for key in rest)


_BUT = frozenset({"but", "pero", "mas", "though", "although", "except"})
# What may follow them: the end of a phrase, or "right now", "to commit", "this year", "puedo"...
_NOT_NOW_AFTER = BOUNDARIES | {"right", "now", "rn", "this", "to", "for", "sorry", "lol", "anyway",
                               "puedo", "posso", "can", "mismo", "agora", "ahora"}
# After "but", these take the wish back ("next year is fine" does not: a join that can wait).
_NOT_NOW = (("too", "busy"), ("no", "time"), ("not", "now"), ("not", "right", "now"), ("not", "this", "year"),
            ("maybe", "later"), ("no", "tengo", "tiempo"), ("ahora", "no"), ("nao", "tenho", "tempo"),
            ("agora", "nao"))


def _not_now(post: PostPhrases, span: Span) -> bool:
    """A wish to join taken back after a "but": "would be nice to have guidance but honestly I am
    too busy right now", "me encantaría un mentor pero ahora no". ("Too busy to look for one, but
    I'd love a mentor" is a request.)"""
    keys = post.keys
    but = next((k for k in range(span[1], len(keys)) if keys[k] in _BUT), None)
    if but is None:
        return False
    rest = keys[but + 1:]
    for k in range(len(rest)):
        for words in _NOT_NOW:
            end = k + len(words)
            if tuple(rest[k:end]) == words and (end == len(rest) or rest[end] in _NOT_NOW_AFTER):
                return True  # "too busy right now", not "no time pressure", "no time like the present"
    return False


def _returned(keys: list[str], start: int) -> bool:
    """True when "back from" (or "returned from", "de vuelta de") comes just before ``start``,
    or ends it ("volví de licencia": the leave phrase starts at "de")."""
    if 0 < start < len(keys) and keys[start] in _FROM and keys[start - 1] in _BACK:
        return True
    for k in range(start - 1, max(start - 4, 0), -1):
        if keys[k] in _FROM and keys[k - 1] in _BACK:
            return True
    return False


def _paraphrased(post: PostPhrases) -> list[tuple[str, Hit]]:
    """Commands said in one's own words, as a verb and its object, not as a set phrase.

    delete: an erasing verb, not negated, then what the bot holds, within a few words ("erase
    everything you have about me", "apague todos os meus dados", "wipe all my info").
    no_shoutouts: a refused amplifying verb, then the author's posts or the author ("please
    don't share or retweet my posts", "stop tagging me", "no me etiqueten").
    """
    keys, out = post.keys, []
    for hit in post.tagged("ask_status"):
        if not post.negated(hit) and post.ends_with_question(hit.start):
            out.append(("status", Hit(hit.start, hit.end, _ASK)))
            break
    data = (*post.tagged("my_data"), *post.tagged("all_data"))
    for verb in post.tagged("erase_verb") if data else ():
        if post.negated(verb):
            continue
        for obj in data:
            if verb.end <= obj.start <= verb.end + 2 and not CLAUSE.intersection(keys[verb.end:obj.start]):
                mine = "my_data" in obj.value or any(
                    key in _THE_AUTHOR for key in keys[obj.end:post.segment(obj.end, CLAUSE)[1]][:6])
                if mine:
                    out.append(("delete", Hit(verb.start, obj.end, _ERASE)))
                    break
        if out and out[-1][0] == "delete":
            break
    objects = post.tagged("my_posts")
    for verb in post.tagged("amplify_verb") if objects else ():
        start = verb.start
        if start and keys[start - 1] in ("me", "te"):
            start -= 1  # "no me etiqueten"
        refused = start - 1
        while refused >= 0 and keys[refused] in _REFUSAL_GLUE:
            refused -= 1
        if refused < 0 or not (keys[refused] in _NOT_AMPLIFY
                               or (keys[refused] == "para" and keys[refused + 1] == "de")):
            continue
        if refused and keys[refused - 1] in _SUBJECTS:
            continue  # "I don't share my posts much"
        for obj in objects:
            if start < verb.start and obj.start == start:
                out.append(("no_shoutouts", Hit(refused, verb.end, _NO_AMPLIFY)))
                break
            if verb.end <= obj.start <= verb.end + 4 and all(
                    key in _AMPLIFY_GLUE or (post.cover[k] is not None and "amplify_verb" in post.cover[k].value)
                    for k, key in enumerate(keys[verb.end:obj.start], verb.end)):
                out.append(("no_shoutouts", Hit(refused, obj.end, _NO_AMPLIFY)))
                break
        if out and out[-1][0] == "no_shoutouts":
            break
    return out


# -- joining ---------------------------------------------------------------------------------
def offers(post: PostPhrases) -> bool:
    return any(not post.negated(h) and not _asks_back(post, h) for h in post.tagged("offer"))


def _asks_back(post: PostPhrases, hit: Hit) -> bool:
    """ "happy to mentor me?": an offer phrase followed by "me" is a request."""
    return hit.end < len(post.keys) and post.keys[hit.end] in ("me", "us")


def _asks_for_offer(post: PostPhrases, hit: Hit) -> bool:
    """ "Any pulm/crit folks willing to take on a mentee?": asking to be offered mentorship."""
    a, _ = post.segment(hit.start, CLAUSE)
    return post.ends_with_question(hit.start) and any(key in _ASKERS for key in post.keys[a:hit.start])


def _to_reader(post: PostPhrases, hit: Hit) -> bool:
    """ "If you're an attending, sign up to mentor": the reader is asked, not the author, unless
    the author takes it up after the condition ("if you need one, I'm happy to mentor")."""
    if not post.mentions(_IF) and not post.mentions(_VOCATIVES):
        return False
    keys = post.keys
    if not _THE_AUTHOR.isdisjoint(keys[hit.start:hit.end]):
        return False  # "folks, sign me up"
    a, _ = post.segment(hit.start, CLAUSE)
    while a < hit.start and keys[a][0] in "@#":
        a += 1  # "@bot #MedMentorMatch Residents, sign up"
    if (a >= 2 and keys[a - 2] in _VOCATIVES and (a == 2 or keys[a - 3] in CLAUSE)) or (
            hit.start >= a + 2 and keys[a] in _VOCATIVES and keys[a + 1] == COMMA):
        # "Attendings: sign up to mentor", "Residents, sign up to be mentored"
        return _THE_AUTHOR.isdisjoint(keys[a:hit.start])
    for k in range(a, hit.start - 1):
        if keys[k] in _IF and keys[k + 1] in _YOU:
            return not any(key in _THE_AUTHOR for key in keys[k + 2:hit.start])
    return False


def _ad(post: PostPhrases, hit: Hit) -> bool:
    """Someone else's seeking, or a question to the world ("Looking for a mentor? Join us")."""
    if _to_reader(post, hit):
        return True
    a, b = post.segment(hit.start, CLAUSE)
    if post.mentions(NOT_SELF) and any(key in NOT_SELF for key in post.keys[max(a, hit.start - 3):hit.start]):
        return True
    if post.mentions(ROLE_NOUNS):
        keys = post.keys
        for k in range(max(a, hit.start - 3), hit.start):
            if keys[k] in ROLE_NOUNS and any(key in OWNERS for key in keys[max(a, k - 3):k]):
                return True  # "my resident is looking for a mentor"
    if b >= len(post.keys) or post.keys[b] != QUESTION or COMMA in post.keys[a:b]:
        return False
    first = next((k for k in range(a, b) if is_word(post.keys[k]) and post.keys[k] not in FILLERS), b)
    return first >= hit.start


#: Words that keep a post from being its author's own win when no win phrase the rules know is
#: in it (hopes, negations, someone else's news, advice to the reader, congratulations): the
#: learned reading's veto. Not "no": Portuguese "passei no ENARE" is a win.
NOT_OWN_WIN = CONGRATULATIONS | frozenset({
    "he", "she", "he's", "she's", "him", "her", "his", "they", "their", "them", "ella", "ele", "dela",
    "dele", "hope", "hoping", "hopefully", "wish", "fingers", "🤞", "praying", "ojala", "espero",
    "tomara", "if", "when", "whether", "your", "you're", "not", "don't", "dont", "never", "nunca",
    "didn't", "didnt", "wasn't", "weren't", "yet", "rejected"})

# The phrase tags that speak of each intent (commands: their "cmd" tags and paraphrase parts).
_INTENT_TAGS: dict[str, frozenset[str]] = {
    "join": frozenset({"seek_me", "offer", "join", "call"}),  # not "join?": "in" counts only alone
    "achievement": frozenset({"win"}),
    **{name: frozenset(tag for tag, (n, _, _) in _COMMAND_TAGS.items() if n == name)
       for name in COMMAND_PRIORITY},
}
_INTENT_TAGS["delete"] |= {"erase_verb"}
_INTENT_TAGS["no_shoutouts"] |= {"amplify_verb"}
_INTENT_TAGS["status"] |= {"ask_status"}


_ANY_INTENT_TAGS = frozenset().union(*_INTENT_TAGS.values())
# In a win, "me!", "here" and "🙌" (the answers to a call) are chatter, not another intent's words.
_WIN_VETO_TAGS = _ANY_INTENT_TAGS - {"call"}
_OPT_OUT_WORDS = frozenset({"stop", "delete"})
# Words that, before "feature" or "shoutout", ask for none ("avoid mentioning me", "sem shoutout").
_WITHOUT = NEGATORS | {"avoid", "sem", "sin", "ni", "nor"}
_ANYONE = frozenset({"any", "anyone", "anybody", "everyone", "alguien", "alguem", "cualquier"})
_SEEKING = frozenset({"looking", "interested", "who", "want", "wants", "need", "needs", "buscando",
                      "procurando"})
_READER = frozenset({"you", "you're", "youre", "y'all", "yall"})
# The author offering themself: "anyone interested in IR, DM me" is their offer, not a call to others.
_OFFERING = frozenset({("i'm", "here"), ("im", "here"), ("am", "here"), ("i", "can"), ("happy", "to"),
                       ("dm", "me"), ("dms", "open"), ("i", "have"), ("i've", "got"), ("my", "door"),
                       ("my", "dms"), ("i'll", "take"), ("i'll", "mentor"), ("i'd", "love"),
                       ("estoy", "aqui"), ("estou", "aqui"), ("me", "escribe"), ("me", "chama")})


def _offers_self(keys: list[str]) -> bool:
    return any((a, b) in _OFFERING for a, b in zip(keys, keys[1:]))


def rules_spoke_of(post: PostPhrases, intent: str) -> bool:
    """The post holds words the rules know for ``intent``, and the rules read them as something
    else, so a second reading must not overrule them:
    - a stop or an erasure whose own words are negated ("no pienso darme de baja nunca");
    - a NO SHOUTOUTS whose amplify words are not refused ("feel free to share my posts"; but
      "pls don't feature my match", "avoid mentioning my name" are the request itself);
    - a win, where any intent's words are in the post, but for the "me!" and "🙌" of a call
      ("our R01 was not funded", "my mentee matched into EM")."""
    tags = _WIN_VETO_TAGS if intent == "achievement" else _INTENT_TAGS.get(intent)
    if tags is None:
        return False
    keys = post.keys
    hits = [hit for tag in post.by_tag.keys() & tags for hit in post.by_tag[tag]
            if not (hit.end - hit.start == 1 and keys[hit.start] == QUESTION)]  # "?" alone is no word
    if intent in _OPT_OUT_WORDS:
        return any(post.negated(hit) for hit in hits)
    if intent == "no_shoutouts":
        return any(_WITHOUT.isdisjoint(keys[max(0, hit.start - 3):hit.start]) for hit in hits)
    return bool(hits)


_JOIN_WORDS = ("seek_me", "offer", "seek", "join", "call")


_NEGATIONS = NEGATORS - {"no"}  # Portuguese "no" is "in the": "tô no internato"


# After a negation, these say the author does not want what a join asks ("I don't need a mentor").
_WANTING = ROLE_NOUNS | frozenset({
    "mentor", "mentors", "mentora", "mentoring", "mentorship", "need", "needs", "want", "wanna",
    "looking", "interested", "seeking", "busco", "quiero", "necesito", "preciso", "quero", "procuro",
    "sign", "join", "ready", "time", "bandwidth", "capacity"})


def negated_join(post: PostPhrases) -> bool:
    """A join the post negates: words of joining the rules know, negated ("no busco mentor"), or
    a negation of wanting one ("I don't need a mentor I need a nap", "not looking for a mentor
    right now", "I don't have time to mentor"); not any negation ("I don't know where to start,
    could someone guide me?" asks for a mentor)."""
    keys = post.keys
    if any(key in _NEGATIONS and not _WANTING.isdisjoint(keys[k + 1:k + 4]) for k, key in enumerate(keys)):
        return True
    return any(post.negated(hit) for tag in _JOIN_WORDS for hit in post.tagged(tag))


def for_someone_else(post: PostPhrases) -> bool:
    """The post is about someone else's mentoring, not a request of its author's: "my resident
    is looking for a mentor in GI", "our mentee needs a mentor too", "any student looking for a
    mentor?", "if you're an attending, sign up to mentor", or a sign-up phrase the rules read as
    said to the reader ("Residents, sign up to be mentored!"). "Need someone to look over my
    list" and "alguém pode me mentorar?" are the author's own requests, and "anyone" or "if
    you" followed in the same sentence by the author offering themself is their offer ("if
    you're a student who's curious, I'm here"; not "any student who wants a mentor, I'd say
    just DM attendings", nor "any student looking for a mentor? I know a great one")."""
    if post.tagged("join"):
        return True
    keys = post.keys
    for k in range(1, len(keys)):
        before, key = keys[k - 1], keys[k]
        if before in OWNERS and key in ROLE_NOUNS and before not in _ANYONE:  # "my resident"
            return True
        if ((before in _ANYONE and (key in ROLE_NOUNS or key in _SEEKING))
                or (before == "if" and key in _READER)) \
                and not _offers_self(keys[slice(*post.segment(k, CLAUSE))]):  # "..., I'm here"
            return True
    return False


def join_request(post: PostPhrases, context: str | None) -> tuple[str, Span] | None:
    """("mentee" | "mentor" | "either", the words) when the post asks to join."""
    key = ("join", context)
    if key not in post.memo:
        post.memo[key] = _join_request(post, context)
    return post.memo[key]  # type: ignore[return-value]


def _join_request(post: PostPhrases, context: str | None) -> tuple[str, Span] | None:
    for hit in post.tagged("seek_me"):
        if not post.negated(hit) and not _to_reader(post, hit):
            return "mentee", (hit.start, hit.end)
    for hit in post.tagged("offer"):
        if not post.negated(hit):
            if _asks_back(post, hit) or _asks_for_offer(post, hit):
                return "mentee", (hit.start, min(hit.end + 1, len(post.keys)))
            if not _ad(post, hit):
                return "mentor", (hit.start, hit.end)
    nouns = post.tagged("mentor_noun")
    grateful = post.mentions(GRATITUDE) if nouns else False
    for hit in post.tagged("seek") if nouns else ():
        if post.negated(hit) or _ad(post, hit) \
                or (grateful and any(k in GRATITUDE for k in post.before(hit.start, 3))):
            continue
        for noun in nouns:
            if hit.end <= noun.start <= hit.end + 6 and HARD not in post.keys[hit.end:noun.start] \
                    and _FOR_OTHERS.isdisjoint(post.keys[hit.end:noun.start]) \
                    and not (grateful and any(key in GRATITUDE for key in post.before(noun.start, 3))):
                return "mentee", (hit.start, noun.end)
    for hit in post.tagged("join"):
        if not post.negated(hit) and not _to_reader(post, hit):
            return "either", (hit.start, hit.end)
    for hit in post.tagged("join?"):
        if post.alone(hit) and not post.negated(hit):
            return "either", (hit.start, hit.end)
    if context == "call":
        for hit in post.tagged("call"):
            if post.alone(hit):
                return "either", (hit.start, hit.end)
        offered = capacity(post)
        if offered is not None:
            return "mentor", offered[1]
    return None


def capacity(post: PostPhrases) -> tuple[int, Span] | None:
    """The number of mentees offered, and where it was said."""
    if "capacity" not in post.memo:
        post.memo["capacity"] = _capacity(post)
    return post.memo["capacity"]  # type: ignore[return-value]


def _capacity(post: PostPhrases) -> tuple[int, Span] | None:
    for hit in post.tagged("cap_zero"):
        if not post.negated(hit):
            return 0, (hit.start, hit.end)
    if post.by_tag.keys().isdisjoint(_CAPACITY_TAGS) or not post.mentions(_NUMBER_WORDS):
        return None  # no number, or nothing to count: the loop below would find nothing
    keys, cover, surfaces = post.keys, post.cover, post.toks.surfaces
    best: tuple[int, Span] | None = None
    for k, key in enumerate(keys):
        value = _count_at(post, k)
        if value is None:
            continue
        span = None
        j = k + 1
        while j < len(keys) and j <= k + 3 and (keys[j] in _NUMBER_SKIP or keys[j] in NUMBERS
                                                  or (key == "couple" and keys[j] == "of")):
            j += 1
        found = cover[j] if j < len(keys) else None
        if found is not None and "mentee_noun" in found.value:
            span = (k, found.end)  # "2 mentees", "one or two students"
        else:
            j = k - 1  # "capacity: 3", "can take 2", "happy to mentor 3"
            while j >= max(0, k - 4) and (keys[j] not in BOUNDARIES or surfaces[j] in (":", "=", "-")):
                found = cover[j]
                if found is not None and found.value & {"cap_word", "offer"}:
                    if not _asks_for_offer(post, found):  # "alguém topa orientar uma interna?" asks
                        span = (found.start, k + 1)
                    break
                j -= 1
        if span is not None and value <= 99 and (best is None or value > best[0]):
            best = (value, span)
    return best


_ARTICLES = frozenset({"un", "una", "uno", "um", "uma"})  # "un mentor": a number only in a count


def lone_number(post: PostPhrases) -> tuple[int, Span] | None:
    """The post's only number, when it has just one (said once or more) that could count
    mentees: "up me to five", "make it 5 total". Where the learned reading is sure a post sets
    a capacity, this is the number it sets; two numbers ("3 was too many, 2 is my limit") are
    left to the rules' reading, which knows which one counts mentees."""
    found: dict[int, Span] = {}
    for k, key in enumerate(post.keys):
        value = _count_at(post, k)
        if value is None or key in _ARTICLES or value > 20:
            continue
        found.setdefault(value, (k, k + 1))
    return next(iter(found.items())) if len(found) == 1 else None


def _count_at(post: PostPhrases, k: int) -> int | None:
    """The number the post's key ``k`` says, when it could count people: not a grade ("PGY-3",
    "step 2") nor a time ("2 years")."""
    keys = post.keys
    value = NUMBERS.get(keys[k])
    if value is None or (k and keys[k - 1] in _NUMBER_VETO_BEFORE):
        return None
    if post.toks.glued[k] and not keys[k - 1].isdigit():
        return None  # "PGY-3"
    if k + 1 < len(keys) and keys[k + 1] in _TIME_UNITS:
        return None  # "2 years"
    return value


def describing_others(post: PostPhrases) -> list[Span]:
    """Spans describing the mentor sought or the mentees offered, not the author."""
    spans: list[Span] = []
    if post.by_tag.keys().isdisjoint(_DESCRIBING):
        return spans
    keys = post.keys
    for tag in post.by_tag.keys() & _DESCRIBING:
        for hit in post.by_tag[tag]:
            end = post.segment(hit.end, PHRASE)[1]
            # An emoji ends the phrase too: "Looking for a mentor 🙋 MS3, ..." is the author.
            end = next((k for k in range(hit.end, end) if _is_emoji(keys[k])), end)
            spans.append((hit.end, end))
    return spans


def _is_emoji(key: str) -> bool:
    first = key[0]
    return first >= "\u2600" and not first.isalnum()


# -- wins, check-ins, dates, preferences ------------------------------------------------------
# Who else a win may be told of: "my mentee matched", "mi amiga aprobó", "my co-resident got...".
_WIN_SUBJECTS = ROLE_NOUNS | frozenset({
    "mentor", "mentora", "mentee", "mentees", "mentorada", "mentorado", "friend", "bestie", "amiga",
    "amigo", "colleague", "colega", "students", "residents", "interns", "fellow", "fellows", "daughter",
    "son", "kid", "husband", "wife", "partner", "sister", "brother", "cousin", "mom", "dad", "mother",
    "father", "hija", "hijo", "filha", "filho", "esposo", "esposa", "marido", "hermana", "hermano",
    "irma", "irmao", "prima", "primo", "boss", "attending", "aluno", "aluna", "alumno", "alumna"})
_WE = frozenset({"i", "we", "i'm", "we're", "i've", "we've", "yo", "eu", "nos", "nosotros", "nosotras"})
_ME = _WE | {"me", "mi"}
_THIRD = frozenset({"she", "he", "they", "she's", "he's", "ella", "ele", "ela", "eles", "elas"})  # not "el": "the"
# Before "my mentor", these make the mentor a helper in the author's own win ("thanks to my mentor").
_WIN_HELPED = frozenset({"to", "with", "for", "from", "thanks", "gracias", "a", "con", "com", "by"})


def _someone_elses(post: PostPhrases, hit: Hit) -> bool:
    """A win told of someone else, or the post quotes another's ("RT @x: ..."). Someone else's:
    its clause names another person as "my ..." before the win, and from there to just after
    the win says no "I", "we" or "me", or says "she" or "he" ("my co-resident just got her first
    paper accepted", "thrilled that my daughter matched", "my mentee told me she matched").
    The author's: "my mentor and I just got our paper in", "me and my mentee had our case report
    published", "my attending said I passed", "my boss just promoted me", "thanks to my mentor,
    I matched"."""
    keys = post.keys
    if keys[0] == "rt" and len(keys) > 1 and keys[1] in BOUNDARIES:  # "RT @x:", not "RT planning"
        return True
    a, _ = post.segment(hit.start, CLAUSE)
    for k in range(a, hit.start - 1):
        if keys[k] in OWNERS and not (k and keys[k - 1] in _WIN_HELPED) \
                and not (k > 1 and keys[k - 1] == "and" and keys[k - 2] in _ME):  # "me and my mentee"
            who = k + 2 if keys[k + 1] == "co" and k + 2 < hit.start else k + 1  # "my co-resident"
            between = keys[who + 1:hit.end + 1]  # "my boss just promoted me": the win is the author's
            if keys[who] in _WIN_SUBJECTS and (_ME.isdisjoint(between) or not _THIRD.isdisjoint(between)):
                return True
    return False


def _win(post: PostPhrases) -> Hit | None:
    if post.mentions(CONGRATULATIONS):
        return None  # someone else's win
    vetoes = post.mentions(_WIN_VETOES)
    for hit in post.tagged("win"):
        if not (vetoes and any(key in _WIN_VETOES for key in post.before(hit.start, 4))) \
                and not _someone_elses(post, hit):
            return hit
    nouns = post.tagged("party") and (post.tagged("win_noun") or post.tagged("exam"))
    if nouns and not _someone_elses(post, nouns[0]):  # "Step 1 🎉", not "mi amiga ... el examen 🥳"
        return post.tagged("party")[0]
    exams = post.tagged("exam")
    for hit in post.tagged("pass") if exams else ():
        keys = post.keys
        if post.negated(hit) or (hit.start and keys[hit.start - 1] in _NOT_A_RESULT) \
                or (hit.end < len(keys) and keys[hit.end] in ("/", "fail", "or")) \
                or (vetoes and any(key in _WIN_VETOES for key in post.before(hit.start, 4))):
            continue
        for exam in exams:  # "Step 1: PASS", "passed my boards", "aced the shelf"
            if (exam.end <= hit.start <= exam.end + 2 or hit.end <= exam.start <= hit.end + 3) \
                    and not _someone_elses(post, hit):
                return hit
    return None


def checkin_answer(post: PostPhrases) -> tuple[str | None, Hit | None]:
    """How the pairing is going: "not_a_fit" beats "unsure" beats "good" ("not great": unsure)."""
    for hit in post.tagged("not_a_fit"):
        if not post.negated(hit):
            return "not_a_fit", hit
    for hit in post.tagged("unsure"):
        return "unsure", hit
    for hit in post.tagged("good"):
        return ("unsure" if post.negated(hit) else "good"), hit
    return None, None


def pause_until(post: PostPhrases, span: Span | None, today: date | None) -> date | None:
    """The date in "pause until Jan 15", "pausa hasta el 15 de enero", "pause for 2 weeks"."""
    day_first = not _DAY_FIRST.isdisjoint(post.keys)
    start = span[1] if span is not None else 0
    for found in post.tagged("until"):
        if found.start >= start:
            when, used = read_date(post.keys[found.end:found.end + 10], today, day_first)
            if used:
                return when
    for found in post.tagged("for"):
        if found.start >= start:
            when = read_duration(post.keys[found.end:found.end + 2], today)
            if when is not None:
                return when
    return read_date(post.keys[start:start + 10], today, day_first)[0]


def preference(post: PostPhrases) -> str | None:
    """The person's own words from "prefer"/"ideally" to the end of that phrase, if any."""
    for hit in post.tagged("prefer"):
        if post.negated(hit):
            continue
        _, end = post.segment(hit.start, PHRASE)
        quote = post.toks.quote(hit.start, min(end, hit.start + 25)).strip()
        return quote if len(quote.split()) > 1 else None
    return None
