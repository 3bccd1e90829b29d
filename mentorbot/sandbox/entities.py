"""Entities parsed from a post's text when it is created: mentions, hashtags, URLs.

Like X, links are wrapped in t.co short links (the stored text carries the t.co URL, the entity
keeps ``expanded_url`` and ``display_url``). Indices are code-point offsets into the final text,
start inclusive, end exclusive, as X sends them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from twitter_text.extract_urls import extract_urls_with_indices

__all__ = ["ParsedText", "parse_text", "guess_lang"]

# twitter-text's rules, simplified: a mention is not preceded by a word character or one of
# !#$%&*@ and is 1-15 characters; a hashtag is not preceded by a word character or & and is not
# all digits.
_MENTION = re.compile(r"(?<![A-Za-z0-9_!#$%&*@＠])[@＠]([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@＠])")
_HASHTAG = re.compile(r"(?<![\w&])[#＃](\w*[^\W\d]\w*)")
_TCO = re.compile(r"^https?://t\.co/", re.IGNORECASE)
_DISPLAY_MAX = 30


@dataclass(frozen=True, slots=True)
class ParsedText:
    text: str  # the text as stored (links wrapped)
    entities: dict[str, list[dict[str, Any]]]
    mentions: tuple[str, ...]  # lower case, no "@", in order, unique
    hashtags: tuple[str, ...]  # lower case, no "#", in order, unique
    has_links: bool


def _display(url: str) -> str:
    bare = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    return bare if len(bare) <= _DISPLAY_MAX else bare[:_DISPLAY_MAX] + "…"


def parse_text(text: str, *, user_id: Callable[[str], str | None],
               shorten: Callable[[str], str] | None = None) -> ParsedText:
    """Parse ``text``; ``user_id(username)`` gives a mentioned user's id (or None), ``shorten`` a t.co URL."""
    urls: list[dict[str, Any]] = []
    out: list[str] = []
    pos = 0
    for found in extract_urls_with_indices(text):
        start, end = found["indices"]
        original = found["url"]
        out.append(text[pos:start])
        expanded = original if re.match(r"^[a-z]+://", original, re.IGNORECASE) else "http://" + original
        shown = original if (shorten is None or _TCO.match(original)) else shorten(expanded)
        new_start = sum(len(part) for part in out)
        out.append(shown)
        urls.append({"start": new_start, "end": new_start + len(shown), "url": shown,
                     "expanded_url": expanded, "display_url": _display(expanded)})
        pos = end
    out.append(text[pos:])
    final = "".join(out)
    spans = [(u["start"], u["end"]) for u in urls]

    def inside_url(start: int) -> bool:
        return any(a <= start < b for a, b in spans)

    mentions: list[dict[str, Any]] = []
    for m in _MENTION.finditer(final):
        if inside_url(m.start()):
            continue
        entity: dict[str, Any] = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        uid = user_id(m.group(1))
        if uid is not None:
            entity["id"] = uid
        mentions.append(entity)
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)}
                for m in _HASHTAG.finditer(final) if not inside_url(m.start())]
    entities = {name: items for name, items in
                (("hashtags", hashtags), ("mentions", mentions), ("urls", urls)) if items}
    return ParsedText(
        text=final,
        entities=entities,
        mentions=tuple(dict.fromkeys(e["username"].lower() for e in mentions)),
        hashtags=tuple(dict.fromkeys(e["tag"].lower() for e in hashtags)),
        has_links=bool(urls),
    )


def guess_lang(text: str) -> str:
    """A crude stand-in for X's language detection: "en" when there are Latin letters, else "und"."""
    bare = _MENTION.sub("", _HASHTAG.sub("", re.sub(r"https?://\S+", "", text)))
    return "en" if re.search(r"[A-Za-z]{2,}", bare) else "und"
