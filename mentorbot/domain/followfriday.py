"""#FollowFriday: who is featured this week (fair rotation) and how they are packed into posts.

Pure: the caller passes every fact, including which people are eligible. Eligibility (an active
participant who consented to be mentioned and has not said "no shout-outs") is the caller's
decision; :func:`select` only orders and cuts the eligible.

An edition is the list :func:`pack` returns, in order: the first post is the thread head, and the
caller posts every later one as a reply to the one before it (post ``n`` of the edition is the
``n``-th item, 1-based; it is also the ``{n}`` in its header and the ``<n>`` of its outbox key
``followfriday:<campaign>:<week>:<n>``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Collection, Iterable, Literal, Mapping, Sequence

from .templates import ANY_SPECIALTY, at, render
from .text import MAX_WEIGHTED_LENGTH, fits, weighted_length

__all__ = ["Candidate", "FFPost", "MINIMAL_HEADERS", "select", "pack", "text_key"]

Role = Literal["mentor", "mentee"]

#: Headers used only when a single handle fits after none of the campaign's headers.
MINIMAL_HEADERS: tuple[str, ...] = ("#FollowFriday {hashtag}", "#FF {hashtag}", "#FF")
_USERNAMES = re.compile(r"@\w+(?: @\w+)*", re.ASCII)
_SEPARATOR = "\n"  # between the header and the mentions; weighs 1, like a space


@dataclass(frozen=True, slots=True)
class Candidate:
    """An eligible participant. ``handle`` is the X username (with or without "@")."""

    person_id: str
    handle: str
    role: Role
    specialties: tuple[str, ...]
    joined_at: datetime
    times_featured: int
    last_featured: datetime | None


@dataclass(frozen=True, slots=True)
class FFPost:
    """One post of an edition. ``handles`` are the featured candidates' handles, as given;
    ``specialty`` is the group's specialty id, None for the general group."""

    text: str
    person_ids: tuple[str, ...]
    handles: tuple[str, ...]
    specialty: str | None


# -- selection ------------------------------------------------------------------------------------

def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Each person once, at their first appearance."""
    seen: set[str] = set()
    return [c for c in candidates if not (c.person_id in seen or seen.add(c.person_id))]


def _is_newcomer(c: Candidate, since: datetime | None) -> bool:
    return c.times_featured == 0 and (since is None or c.joined_at >= since)


def _rotation_key(c: Candidate, since: datetime | None) -> tuple:
    # Newcomers have times_featured == 0, the lowest count, so putting them first never lets
    # anyone be featured twice before everyone has been featured once.
    never = c.last_featured is None
    last = c.last_featured.timestamp() if c.last_featured is not None else 0.0
    return (not _is_newcomer(c, since), c.times_featured, not never, last, c.joined_at.timestamp(),
            c.handle.lstrip("@").casefold(), c.person_id)


def select(candidates: Iterable[Candidate], *, since: datetime | None,
           limit: int | None = None) -> list[Candidate]:
    """This edition's people, in priority order, at most ``limit`` (None: all).

    Order: people who joined at or after ``since`` (the last edition; None: the first edition)
    and were never featured, by join time; then everyone else by fewest times featured, never
    featured before featured longest ago, join time, handle. So no one is featured twice before
    everyone eligible has been featured once. A person listed twice counts once.
    """
    ordered = sorted(_unique(candidates), key=lambda c: _rotation_key(c, since))
    return ordered if limit is None else ordered[:max(0, limit)]


# -- packing --------------------------------------------------------------------------------------

def text_key(text: str) -> str:
    """What two texts must differ in for X to take both: NFC, case and runs of space ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@dataclass(slots=True)
class _Writer:
    """Chooses each post's text: rotated header, within 280, never a text already used."""

    headers: tuple[str, ...]
    hashtag: str
    values: Mapping[str, str]
    edition_index: int
    used: set[str]
    _lengths: dict[tuple[str, str, int, str], int]

    def header(self, template: str, label: str, n: int) -> str:
        return render(template, **{**self.values, "hashtag": self.hashtag, "specialty": label,
                                   "n": str(n)}).rstrip()

    def _suffixes(self) -> Iterable[str]:
        yield ""
        if self.values.get("date"):
            yield f" ({self.values['date']})"
        for k in range(2, len(self.used) + 3):  # more than there are texts to collide with
            yield f" ({k})"

    def text(self, handles: Sequence[str], label: str, n: int, minimal: bool) -> str | None:
        """The first fitting, unused text for these handles as post ``n``, else None."""
        mentions = " ".join(at(h) for h in handles)
        # Usernames weigh 1 a character: the length adds up without parsing every candidate
        # (fits() below stays the judge).
        mention_weight = len(_SEPARATOR) + (
            len(mentions) if _USERNAMES.fullmatch(mentions) else weighted_length(mentions))
        pool = MINIMAL_HEADERS if minimal else self.headers
        start = (self.edition_index + n - 1) % len(pool)
        rotation = [pool[(start + k) % len(pool)] for k in range(len(pool))]
        for suffix in self._suffixes():
            for template in rotation:
                head = self.header(template, label, n) + suffix
                key = (template, label, n, suffix)
                if key not in self._lengths:
                    self._lengths[key] = weighted_length(head)
                if self._lengths[key] + mention_weight > MAX_WEIGHTED_LENGTH:
                    continue
                text = head + _SEPARATOR + mentions
                if text_key(text) not in self.used and fits(text):
                    return text
        return None


def _group_of(c: Candidate) -> str | None:
    # A person is introduced under the first specialty they named: stable and what they lead with.
    return c.specialties[0] if c.specialties else None


def _groups(selected: Sequence[Candidate],
            specialty_label: Callable[[str], str]) -> list[tuple[str | None, str, list[Candidate]]]:
    """(specialty id, label, people) by label A-Z, the general group last; people keep their order."""
    groups: dict[str | None, list[Candidate]] = {}
    for c in selected:
        groups.setdefault(_group_of(c), []).append(c)
    labelled = [(sid, specialty_label(sid) if sid is not None else ANY_SPECIALTY, people)
                for sid, people in groups.items()]
    return sorted(labelled, key=lambda g: (g[0] is None, g[1].casefold(), g[0] or ""))


@dataclass(slots=True)
class _Post:
    """A post being filled: its number in the edition, its people, its current text."""

    n: int
    people: list[Candidate]
    minimal: bool
    text: str


def _handle_key(handle: str) -> str:
    return handle.lstrip("@").casefold()


def pack(selected: Sequence[Candidate], *, headers: Sequence[str], hashtag: str,
         specialty_label: Callable[[str], str], mentions_per_post: int,
         used_texts: Collection[str] = frozenset(), edition_index: int = 0,
         values: Mapping[str, str] | None = None) -> list[FFPost]:
    """Pack ``selected`` into an edition: the fewest posts per specialty group that fit.

    - Groups: each person's first specialty (none: the general group, labelled "medicine");
      mentors and mentees share a group. Groups come by label A-Z, the general group last.
    - Each post is a header, a newline, then up to ``mentions_per_post`` "@handle"s, within 280
      weighted characters. People are taken in selection order, each into the first post of
      the group that still takes them (first fit), else into a new post. So no two posts of a
      group could be merged into one that fits (a next-fit packing could leave such pairs when
      handle lengths vary and long headers make the weight bind).
    - Header of post ``n``: variant ``(edition_index + n - 1) % len(headers)`` or the next that
      fits and gives a text not in ``used_texts`` (compared by :func:`text_key`) nor earlier in the
      edition; failing all, the same with a suffix (" (<date>)", then " (2)", " (3)"...). When one
      handle fits after no header, :data:`MINIMAL_HEADERS` are used for that post.
    - Placeholders: ``{hashtag}`` (with "#"), ``{specialty}``, ``{n}``; others (``{week}``,
      ``{date}``, ``{bot}``) come from ``values`` and must be there if a header uses them.
    - A person listed twice, or a handle listed twice (X usernames ignore case), is featured once.
    """
    if mentions_per_post < 1:
        raise ValueError(f"mentions_per_post must be at least 1; got {mentions_per_post}")
    if not headers:
        raise ValueError("at least one #FollowFriday header is needed")
    handles_seen: set[str] = set()
    people = [c for c in _unique(selected)
              if not (_handle_key(c.handle) in handles_seen or handles_seen.add(_handle_key(c.handle)))]
    writer = _Writer(tuple(headers), hashtag, dict(values or {}), edition_index,
                     {text_key(t) for t in used_texts}, {})
    posts: list[FFPost] = []
    for specialty, label, group in _groups(people, specialty_label):
        filling: list[_Post] = []
        for person in group:
            if not any(_take(writer, post, person, label, mentions_per_post) for post in filling):
                filling.append(_start(writer, person, label, len(posts) + len(filling) + 1))
        for post in filling:
            # Texts of one edition differ by their mentions (handles are unique), so marking them
            # used only now cannot let two posts of the edition share a text.
            posts.append(FFPost(post.text, tuple(c.person_id for c in post.people),
                                tuple(c.handle for c in post.people), specialty))
            writer.used.add(text_key(post.text))
    return posts


def _take(writer: _Writer, post: _Post, person: Candidate, label: str, limit: int) -> bool:
    """Add ``person`` to ``post`` when the grown post still fits; True when added."""
    if len(post.people) >= limit:
        return False
    grown = writer.text([c.handle for c in (*post.people, person)], label, post.n, post.minimal)
    if grown is None:
        return False
    post.people.append(person)
    post.text = grown
    return True


def _start(writer: _Writer, person: Candidate, label: str, n: int) -> _Post:
    """A new post ``n`` holding ``person``: the campaign's headers, else a minimal one."""
    for minimal in (False, True):
        found = writer.text([person.handle], label, n, minimal)
        if found is not None:
            return _Post(n, [person], minimal, found)
    # Only a handle that is not an X username (too long, or characters X refuses) gets here.
    raise ValueError(f"@{person.handle.lstrip('@')} does not fit in a post")
