"""Text normalisation and tokenising for the classifier.

A post or a bio becomes a list of *keys* (NFKC, casefolded, accents stripped: "Cardiología" ->
"cardiologia") with the *surfaces* they came from (NFKC, original capitals, for terms that only
count in capitals and for evidence). Mentions and URLs are dropped; identity hashtags (and the same
names written without "#") are dropped before anything else, so nothing downstream can ever see or
echo them. Punctuation becomes boundary keys: ``"."`` (a clause ends), ``","`` and ``"?"``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain
from typing import Callable

__all__ = ["HARD", "COMMA", "QUESTION", "BOUNDARIES", "JOINERS", "MAX_CHARS", "Memo", "Tokens",
           "Tokenizer", "fold", "is_upper"]

#: Longer inputs are cut: nothing a person writes to the bot needs more, and time stays bounded.
MAX_CHARS = 20_000
HARD, COMMA, QUESTION = ".", ",", "?"
BOUNDARIES = frozenset({HARD, COMMA, QUESTION})
#: Symbols that live inside terms ("heme/onc", "PM&R", "PM+R"); evidence writes them without spaces.
JOINERS = frozenset({"/", "&", "+"})

_APOSTROPHES = ("’", "‘", "ʼ", "´")
_DROP = re.compile(r"https?://\S+|www\.\S+|@\w+")  # URLs and mentions never carry meaning here
_TOKEN = re.compile(
    r"#\w+"                                     # hashtags
    r"|\w+(?:['\-]\w+)*"                         # words, with inner apostrophes and hyphens
    r"|[/&+?,]"                                  # joiners, question mark, comma
    r"|[.!;:|•·\n\r()\[\]{}\"“”«»\u2013\u2014~*=<>-]+"  # clause boundaries
    r"|[\u2600-\u27bf\u2b50\u2b55\U0001f000-\U0001faff]"  # emoji, one per token
)
# A period after these is part of the abbreviation, not the end of a clause ("Asst. Prof.").
_ABBREVIATIONS = frozenset({
    "dr", "drs", "dra", "prof", "profs", "profa", "asst", "assoc", "st", "mr", "mrs", "jr", "sr",
    "vs", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "ene", "abr", "dic", "fev", "dez",
})
_BOUNDARY_CHARS = frozenset(".!;:|•·\n\r()[]{}\"“”«»\u2013\u2014~*=<>-")
_chain = chain.from_iterable


def _rebuild(keys: list[str], surfaces: list[str], drop: set[int], split: set[str] | None,
             hidden: Callable[[str], bool] | None) -> Tokens:
    """Leave out dropped tokens; split hyphenated words (keys in ``split``) into glued parts ("PGY-3")."""
    if split is None:  # only drops: delete them in place, last first
        for i in sorted(drop, reverse=True):
            del keys[i], surfaces[i]
        return Tokens(keys, surfaces, [False] * len(keys), hidden)
    out_keys: list[str] = []
    out_surfaces: list[str] = []
    out_glued: list[bool] = []
    for i, key in enumerate(keys):
        if i in drop:
            continue
        if key in split:
            first = True
            for part_key, part in zip(key.split("-"), surfaces[i].split("-")):
                if part_key:
                    out_keys.append(part_key)
                    out_surfaces.append(part)
                    out_glued.append(not first)
                    first = False
        else:
            out_keys.append(key)
            out_surfaces.append(surfaces[i])
            out_glued.append(False)
    return Tokens(out_keys, out_surfaces, out_glued, hidden)


_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Casefold and strip accents: ``"Cardiología"`` -> ``"cardiologia"``, ``"ÇÃO"`` -> ``"cao"``."""
    folded = word.casefold()
    if folded.isascii():
        return folded
    stripped = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def is_upper(surface: str) -> bool:
    """True when a surface has no lower-case letter ("EM", "PGY", "3")."""
    return surface == surface.upper()


class Memo(dict):
    """``memo[key]`` is ``function(key)``, computed once: ``map(memo.__getitem__, keys)`` then asks
    a question of every token at C speed. Pure functions only; it forgets all when full."""

    def __init__(self, function: Callable[[str], object], size: int = 1 << 16) -> None:
        super().__init__()
        self._function, self._size = function, size

    def __missing__(self, key: str) -> object:
        value = self._function(key)
        if len(self) >= self._size:
            self.clear()
        self[key] = value
        return value


class Tokens:
    """Parallel lists: ``keys`` to match on, ``surfaces`` as written, ``glued`` (joined by '-')."""

    __slots__ = ("keys", "surfaces", "glued", "hidden")

    def __init__(self, keys: list[str] | None = None, surfaces: list[str] | None = None,
                 glued: list[bool] | None = None, hidden: Callable[[str], bool] | None = None) -> None:
        self.keys: list[str] = [] if keys is None else keys
        self.surfaces: list[str] = [] if surfaces is None else surfaces
        self.glued: list[bool] = [] if glued is None else glued
        self.hidden = hidden  # words never to quote

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: str, surface: str, glued: bool = False) -> None:
        self.keys.append(key)
        self.surfaces.append(surface)
        self.glued.append(glued)

    def quote(self, start: int, end: int) -> str:
        """The surfaces of ``[start, end)`` as a person would read them ("heme/onc", "PGY-3")."""
        keys = self.keys
        if end - start == 1 and keys[start] != HARD:
            return self.surfaces[start]
        surfaces, glued, hidden = self.surfaces, self.glued, self.hidden
        out: list[str] = []
        for k in range(start, end):
            key, surface = keys[k], surfaces[k]
            if hidden is not None and len(key) > 6 and hidden(key):
                continue
            if out:
                if glued[k]:
                    out.append("-")
                elif surface not in JOINERS and surfaces[k - 1] not in JOINERS \
                        and key != COMMA and key != QUESTION:
                    out.append(" ")
            out.append(surface if key != HARD else surface.strip())
        return "".join(out).replace("\n", " ")


class _Keys(dict):
    """Surface -> key, learned as surfaces are met (a C-speed lookup for every later token).

    ``gone`` collects the keys that never enter (identity hashtags and words, skin tones) and
    ``split`` the hyphenated ones, so a text needs Python work only when it has such a key.
    """

    def __init__(self, gone_if: Callable[[str], bool]) -> None:
        super().__init__()
        self.gone: set[str] = set()
        self.split: set[str] = set()
        self.chunks = _Chunks()
        self._gone_if = gone_if

    def __missing__(self, surface: str) -> str:
        if surface[0] in _BOUNDARY_CHARS:
            key = HARD
        else:
            key = surface.lower() if surface.isascii() else fold(surface)
            if self._gone_if(key):
                self.gone.add(key)
            elif "-" in key and key[0] != "#":
                self.split.add(key)
        self[surface] = key
        return key


class _Chunks(dict):
    """A chunk of text between spaces -> its tokens ("mentor!" -> ("mentor", "!"))."""

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        tokens = self[chunk] = tuple(_TOKEN.findall(chunk))
        return tokens


class _Hidden(dict):
    """Key -> whether quotes leave it out; a dictionary so that each word is judged once."""

    def __init__(self, bare: frozenset[str], checked: Callable[[str], bool]) -> None:
        super().__init__()
        self._bare, self._checked = bare, checked

    def __missing__(self, key: str) -> bool:
        hidden = key not in self._bare and key[0].isalpha() and self._checked("#" + key)
        if len(self) >= _MEMORY:
            self.clear()
        self[key] = hidden
        return hidden


_MEMORY = 1 << 17  # distinct surfaces remembered by a tokenizer before it starts afresh


class Tokenizer:
    """Turns text into :class:`Tokens`; ``drop_words`` and ``drop_hashtag`` say what never enters.

    Mostly C-speed: one dictionary lookup per chunk between spaces for its surfaces (a regex pass
    the first time a chunk is seen), one per surface for its key (see :class:`_Keys`), set operations to see whether anything is dropped or split, and Python
    work only for what is present (hyphens, dropped words, abbreviations).
    """

    def __init__(self, drop_words: frozenset[str], drop_hashtag: Callable[[str], bool],
                 drop_inside: tuple[str, ...] = ()) -> None:
        self._drop_words = drop_words
        self._drop_hashtag = lru_cache(maxsize=1 << 14)(drop_hashtag)
        # Hashtag-like compounds written without "#" ("BlackInDerm") are left out of quotes; the
        # plain words ("woman") stay, so that a person can still state a preference in words.
        bare = frozenset(drop_inside) | {w + "s" for w in drop_inside}
        self._hidden = _Hidden(bare, self._drop_hashtag).__getitem__ if drop_inside else None
        self._keys = self._new_keys()

    def _gone(self, key: str) -> bool:
        return (key[0] == "#" and self._drop_hashtag(key)) or key in self._drop_words \
            or key in _SKIN_TONES

    def _new_keys(self) -> _Keys:
        return _Keys(self._gone)

    def __call__(self, text: str) -> Tokens:
        hidden = self._hidden
        if not text:
            return Tokens([], [], [], hidden)
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
            for mark in _APOSTROPHES:
                if mark in text:
                    text = text.replace(mark, "'")
        if "@" in text or "://" in text or "www." in text:
            text = _DROP.sub(" ", text)
        known = self._keys
        if len(known) >= _MEMORY or len(known.chunks) >= _MEMORY:
            known = self._keys = self._new_keys()  # fresh tables: a concurrent call keeps its own
        if "\n" in text or "\r" in text:
            surfaces = _TOKEN.findall(text)
        else:
            # No token holds whitespace then, and the pattern looks only ahead: the tokens of the
            # text are those of its whitespace-separated chunks, which repeat from text to text.
            surfaces = list(_chain(map(known.chunks.__getitem__, text.split())))
        if not surfaces:
            return Tokens([], [], [], hidden)
        keys = list(map(known.__getitem__, surfaces))
        drop: set[int] | None = None
        gone = known.gone
        if gone and not gone.isdisjoint(keys):
            drop = {i for i, k in enumerate(keys) if k in gone}
        if "." in text and not _ABBREVIATIONS.isdisjoint(keys):
            after = {i for i in range(1, len(keys)) if surfaces[i] == "." and keys[i - 1] in _ABBREVIATIONS}
            drop = after if drop is None else drop | after
        split = known.split
        split = split if split and not split.isdisjoint(keys) else None
        if drop or split:
            return _rebuild(keys, surfaces, drop or set(), split, hidden)
        return Tokens(keys, surfaces, [False] * len(keys), hidden)

    def term_keys(self, term: str) -> tuple[str, ...]:
        """The keys of a vocabulary term, matched against text tokens; trailing boundaries dropped."""
        keys = self(term).keys
        while keys and keys[-1] in BOUNDARIES:
            keys.pop()
        return tuple(keys)
