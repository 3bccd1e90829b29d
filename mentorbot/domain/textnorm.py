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
from typing import Callable

__all__ = ["HARD", "COMMA", "QUESTION", "BOUNDARIES", "JOINERS", "MAX_CHARS", "Tokens", "Tokenizer",
           "fold", "is_upper"]

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


class Tokens:
    """Parallel lists: ``keys`` to match on, ``surfaces`` as written, ``glued`` (joined by '-')."""

    __slots__ = ("keys", "surfaces", "glued", "hidden")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.surfaces: list[str] = []
        self.glued: list[bool] = []
        self.hidden: Callable[[str], bool] | None = None  # words never to quote

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: str, surface: str, glued: bool = False) -> None:
        self.keys.append(key)
        self.surfaces.append(surface)
        self.glued.append(glued)

    def quote(self, start: int, end: int) -> str:
        """The surfaces of ``[start, end)`` as a person would read them ("heme/onc", "PGY-3")."""
        if end - start == 1 and self.keys[start] != HARD:
            return self.surfaces[start]
        keys, surfaces, glued, hidden = self.keys, self.surfaces, self.glued, self.hidden
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


class Tokenizer:
    """Turns text into :class:`Tokens`; ``drop_words`` and ``drop_hashtag`` say what never enters.

    Mostly C-speed: one regex pass for the surfaces, one over the lower-cased text for the keys
    (ASCII text lower-cases without moving a token boundary), and Python work only for what is
    present (hyphens, hashtags, abbreviations).
    """

    def __init__(self, drop_words: frozenset[str], drop_hashtag: Callable[[str], bool],
                 drop_inside: tuple[str, ...] = ()) -> None:
        self._drop_words = drop_words
        self._drop_hashtag = lru_cache(maxsize=1 << 14)(drop_hashtag)
        # Hashtag-like compounds written without "#" ("BlackInDerm") are left out of quotes; the
        # plain words ("woman") stay, so that a person can still state a preference in words.
        bare = frozenset(drop_inside) | {w + "s" for w in drop_inside}
        checked = self._drop_hashtag
        self._hidden = (lambda key: key not in bare and key[0].isalpha() and checked("#" + key)) \
            if drop_inside else None

    def __call__(self, text: str) -> Tokens:
        tokens = Tokens()
        tokens.hidden = self._hidden
        if not text:
            return tokens
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
        ascii_text = text.isascii()
        if not ascii_text:
            text = unicodedata.normalize("NFKC", text)
            for mark in _APOSTROPHES:
                if mark in text:
                    text = text.replace(mark, "'")
        if "@" in text or "://" in text or "www." in text:
            text = _DROP.sub(" ", text)
        surfaces = _TOKEN.findall(text)
        if not surfaces:
            return tokens
        bounds = _BOUNDARY_CHARS
        if ascii_text:
            keys = [HARD if t[0] in bounds else t.lower() for t in surfaces]
        else:
            keys = [HARD if t[0] in bounds else t.lower() if t.isascii() else fold(t) for t in surfaces]
        drop: set[int] = set()
        if "#" in text:
            drop.update(i for i, k in enumerate(keys) if k[0] == "#" and self._drop_hashtag(k))
        if not self._drop_words.isdisjoint(keys):
            drop.update(i for i, k in enumerate(keys) if k in self._drop_words)
        if not _SKIN_TONES.isdisjoint(keys):
            drop.update(i for i, k in enumerate(keys) if k in _SKIN_TONES)
        if "." in text and not _ABBREVIATIONS.isdisjoint(keys):
            drop.update(i for i in range(1, len(keys))
                        if surfaces[i] == "." and keys[i - 1] in _ABBREVIATIONS)
        if drop or "-" in text:
            self._rebuild(tokens, keys, surfaces, drop)
        else:
            tokens.keys, tokens.surfaces, tokens.glued = keys, surfaces, [False] * len(keys)
        return tokens

    @staticmethod
    def _rebuild(tokens: Tokens, keys: list[str], surfaces: list[str], drop: set[int]) -> None:
        """Leave out dropped tokens; split hyphenated words into glued parts ("PGY-3")."""
        out_keys, out_surfaces, out_glued = tokens.keys, tokens.surfaces, tokens.glued
        for i, key in enumerate(keys):
            if i in drop:
                continue
            if "-" in key and key[0] != "#" and key != HARD:
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

    def term_keys(self, term: str) -> tuple[str, ...]:
        """The keys of a vocabulary term, matched against text tokens; trailing boundaries dropped."""
        keys = self(term).keys
        while keys and keys[-1] in BOUNDARIES:
            keys.pop()
        return tuple(keys)
