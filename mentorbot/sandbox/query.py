"""The query language of X's recent search, as the sandbox server understands it.

``compile_query(query)`` parses a query into a tiny AST (:class:`Term`, :class:`Phrase`, :class:`Op`,
:class:`Not`, :class:`And`, :class:`Or`), checks it the way X does, and returns a predicate over any
:class:`Searchable` post. Invalid queries raise :class:`QueryError` worded like X's 400 messages,
with a 1-based character position.

Grammar: a space is AND; ``OR`` (upper case only) binds looser than AND; ``( )`` groups; a leading
``-`` negates a keyword, phrase, operator or group. Bare ``AND`` and lower-case ``or`` are refused
as ambiguous, as X does ("or" in quotes searches the word).

Matching (X's documented semantics, simplified):
- text is folded: NFKD, combining marks dropped (``músic`` matches ``music``), casefolded;
- a keyword matches whole tokens; tokens are runs of letters and digits, and single emoji
  (Unicode "So"); punctuation, ``_``, ``#`` and ``@`` separate tokens, so ``cardio`` matches
  ``#Cardio`` but not ``cardiology``; a keyword made of several tokens (``covid-19``) matches
  them consecutively;
- ``"exact phrase"`` matches the folded text, whitespace collapsed, at token boundaries;
- ``#tag``, ``@user`` and ``$tag`` match the post's hashtag, mention and cashtag entities;
- ``from:``/``to:`` take a username (no ``@``) or a numeric user id.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Protocol

__all__ = [
    "MAX_QUERY_LENGTH",
    "QueryError",
    "Searchable",
    "Term",
    "Phrase",
    "Op",
    "Not",
    "And",
    "Or",
    "Node",
    "parse_query",
    "compile_query",
]

MAX_QUERY_LENGTH = 512  # self-serve recent search
_MAX_DEPTH = 32  # nested groups; keeps recursion far from Python's limit
_PREFIX = "There were errors processing your request: "


class QueryError(Exception):
    """X would refuse the query (400 Invalid Request); ``message`` is X-style, ``position`` 1-based."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def _fail(detail: str, position: int | None = None) -> QueryError:
    where = f" (at position {position})" if position is not None else ""
    return QueryError(f"{_PREFIX}{detail}{where}", position)


class Searchable(Protocol):
    """What a query can see of a post (the server builds one per stored post)."""

    text: str
    author_username: str
    author_id: str
    in_reply_to_username: str | None
    conversation_id: str
    is_reply: bool
    is_retweet: bool
    is_quote: bool
    mentions: tuple[str, ...]  # lower-case usernames, no "@"
    hashtags: tuple[str, ...]  # lower-case, no "#"
    lang: str | None
    has_links: bool


# --- the AST -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A keyword, as written."""

    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """A double-quoted exact phrase, without its quotes."""

    text: str


@dataclass(frozen=True, slots=True)
class Op:
    """An operator: name is hashtag, mention, cashtag, from, to, conversation_id, lang, is or has."""

    name: str
    value: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Op | Not | And | Or

# Operators that may stand alone; is:, has: and lang: need one of these beside them (X's rule).
_STANDALONE_OPS = frozenset({"hashtag", "mention", "cashtag", "from", "to", "conversation_id"})
_IS_VALUES = frozenset({"retweet", "reply", "quote"})
_HAS_VALUES = frozenset({"mentions", "hashtags", "links", "cashtags"})
# Real X operators this sandbox does not evaluate: refuse them loudly rather than match wrongly.
_NOT_IMPLEMENTED = frozenset({
    "url", "retweets_of", "context", "entity", "place", "place_country", "point_radius",
    "bounding_box", "sample", "list", "in_reply_to_tweet_id", "retweets_of_tweet_id",
    "quotes_of_tweet_id", "is:verified", "is:nullcast", "has:media", "has:images",
    "has:videos", "has:video_link", "has:geo",
})
_OPERATOR_NAMES = "from:, to:, conversation_id:, lang:, is:, has:"

_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}\Z")
_NUMERIC_ID = re.compile(r"[0-9]{1,19}\Z")
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})?\Z")
_HASHTAG = re.compile(r"\w+\Z")
_CASHTAG = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,14}\Z")
_OPERATOR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(.*)\Z", re.DOTALL)
_CASHTAG_IN_TEXT = re.compile(r"(?<![\w$])\$([A-Za-z][A-Za-z0-9_]{0,14})(?!\w)")


# --- folding and tokens (shared by queries and posts, so both sides agree) ----------------------

_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_UNICODE_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")


def _fold(text: str) -> str:
    if text.isascii():  # the common case, and ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokenize(folded: str) -> tuple[str, ...]:
    if folded.isascii():
        return tuple(_ASCII_TOKEN.findall(folded))
    return tuple(
        t for t in _UNICODE_TOKEN.findall(folded)
        if t[0].isalnum() or unicodedata.category(t) == "So"  # keep emoji, drop punctuation
    )


# --- lexer ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "(", ")", "-", "OR", "PHRASE", "WORD"
    text: str
    pos: int  # 1-based, as X reports positions


def _lex(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            toks.append(_Tok(c, c, i + 1))
            i += 1
        elif c == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise _fail('Unbalanced quotes: this " opens a phrase that is never closed', i + 1)
            toks.append(_Tok("PHRASE", query[i + 1:end], i + 1))
            i = end + 1
        elif c == "-":
            nxt = query[i + 1] if i + 1 < n else ""
            if nxt == "-":
                raise _fail("A '-' cannot negate another '-': write a single '-'", i + 1)
            if not nxt or nxt.isspace() or nxt == ")":
                raise _fail(
                    "A '-' must be followed directly, without a space, by the keyword, "
                    '"phrase", operator or (group) it negates', i + 1)
            toks.append(_Tok("-", c, i + 1))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"':
                j += 1
            word = query[i:j]
            toks.append(_Tok("OR" if word == "OR" else "WORD", word, i + 1))
            i = j
    return toks


# --- parser --------------------------------------------------------------------------------------


def _and(parts: list[Node]) -> Node:
    flat: list[Node] = []
    for p in parts:
        flat.extend(p.children if isinstance(p, And) else (p,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(parts: list[Node]) -> Node:
    flat: list[Node] = []
    for p in parts:
        flat.extend(p.children if isinstance(p, Or) else (p,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary+; unary := [-] atom."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def _peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self._or_expr()
        extra = self._peek()
        if extra is not None:  # only a ')' can stop the top level early
            raise _fail("Unbalanced parentheses: this ')' has no matching '('", extra.pos)
        return node

    def _or_expr(self) -> Node:
        parts = [self._and_expr()]
        while (tok := self._peek()) is not None and tok.kind == "OR":
            self._take()
            nxt = self._peek()
            if nxt is None or nxt.kind in ("OR", ")"):
                raise _fail("OR must join two clauses, but nothing follows it", tok.pos)
            parts.append(self._and_expr())
        return _or(parts)

    def _and_expr(self) -> Node:
        parts: list[Node] = []
        while (tok := self._peek()) is not None and tok.kind not in ("OR", ")"):
            parts.append(self._unary())
        if parts:
            return _and(parts)
        if tok is None:
            raise _fail("Unbalanced parentheses: a '(' at the end is never closed", self.toks[-1].pos)
        if tok.kind == "OR":
            raise _fail("OR must join two clauses, but nothing precedes it", tok.pos)
        if self.depth == 0:
            raise _fail("Unbalanced parentheses: this ')' has no matching '('", tok.pos)
        raise _fail("Empty parentheses: a group needs at least one clause", tok.pos)

    def _unary(self) -> Node:
        tok = self._take()
        if tok.kind != "-":
            return self._atom(tok)
        nxt = self._peek()
        if nxt is None or nxt.kind in ("-", "OR", ")"):
            raise _fail("A '-' must be followed by the keyword, \"phrase\", operator or (group) "
                        "it negates", tok.pos)
        return Not(self._atom(self._take()))

    def _atom(self, tok: _Tok) -> Node:
        if tok.kind == "(":
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise _fail(f"Parentheses are nested more than {_MAX_DEPTH} deep", tok.pos)
            node = self._or_expr()
            close = self._peek()
            if close is None or close.kind != ")":
                raise _fail("Unbalanced parentheses: this '(' is never closed", tok.pos)
            self._take()
            self.depth -= 1
            return node
        if tok.kind == "PHRASE":
            if not tok.text.strip():
                raise _fail('Empty quoted phrase: put the words to match between the quotes', tok.pos)
            return Phrase(tok.text)
        return _word(tok.text, tok.pos)


def _word(word: str, pos: int) -> Node:
    if word == "AND":
        raise _fail('Ambiguous use of and as a keyword. Use a space to logically join two clauses, '
                    'or "and" to find occurrences of and in text', pos)
    if word.lower() == "or":
        raise _fail('Ambiguous use of or as a keyword. Use a space to logically join two clauses, '
                    '"OR" to logically OR them, or "or" to find occurrences of or in text', pos)
    sigil, rest = word[0], word[1:]
    if sigil == "#":
        if not _HASHTAG.match(rest):
            raise _fail(f"Invalid hashtag '{word}': # must be followed by letters, digits or _", pos)
        return Op("hashtag", _fold(rest), pos)
    if sigil == "@":
        if not _USERNAME.match(rest):
            raise _fail(f"Invalid mention '{word}': @ must be followed by a username "
                        "(letters, digits or _, at most 15)", pos)
        return Op("mention", rest.lower(), pos)
    if sigil == "$" and _CASHTAG.match(rest):
        return Op("cashtag", rest.lower(), pos)
    m = _OPERATOR.match(word)
    if m:
        return _operator(m.group(1), m.group(2), pos)
    if not _tokenize(_fold(word)):
        raise _fail(f"The keyword '{word}' has no letters, digits or emoji to search for; "
                    "put it in double quotes to match it literally", pos)
    return Term(word)


def _operator(name: str, value: str, pos: int) -> Op:
    full = f"{name}:{value}"
    if name in _NOT_IMPLEMENTED or full in _NOT_IMPLEMENTED:
        raise _fail(f"Operator '{full if full in _NOT_IMPLEMENTED else name + ':'}' exists on X but the "
                    f"sandbox X server does not implement it; it implements {_OPERATOR_NAMES}, #, @ and $",
                    pos)
    if name in ("is", "has"):
        allowed = _IS_VALUES if name == "is" else _HAS_VALUES
        if value not in allowed:
            raise _fail(f"Reference to invalid operator '{full}'. Operator is not available in current "
                        f"product or product packaging; {name}: takes one of "
                        f"{', '.join(sorted(allowed))}.", pos)
        return Op(name, value, pos)
    if name not in ("from", "to", "conversation_id", "lang"):
        raise _fail(f"Reference to invalid operator '{name}'. Operator is not available in current "
                    f"product or product packaging. Operators here: {_OPERATOR_NAMES}, #, @ and $.", pos)
    if not value:
        raise _fail(f"Operator '{name}:' needs a value right after the colon, without a space", pos)
    if name in ("from", "to"):
        if not (_USERNAME.match(value) or _NUMERIC_ID.match(value)):
            raise _fail(f"Invalid value '{value}' for operator '{name}:': give a username without @ "
                        "(letters, digits or _, at most 15) or a numeric user id", pos)
        return Op(name, value.lower(), pos)
    if name == "conversation_id":
        if not _NUMERIC_ID.match(value):
            raise _fail(f"Invalid value '{value}' for operator 'conversation_id:': give a post id "
                        "(1 to 19 digits)", pos)
        return Op(name, value, pos)
    if not _LANG.match(value):
        raise _fail(f"Invalid value '{value}' for operator 'lang:': give a language code such as en", pos)
    return Op(name, value.lower(), pos)


def _check_has_positive_standalone(node: Node) -> None:
    """X refuses queries without a non-negated standalone clause (e.g. ``-is:retweet``, ``has:links``)."""
    first_conjunction: Op | None = None
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, negated = stack.pop()
        if isinstance(n, Not):
            stack.append((n.child, True))
        elif isinstance(n, (And, Or)):
            stack.extend((c, negated) for c in reversed(n.children))
        elif not negated:
            if not isinstance(n, Op) or n.name in _STANDALONE_OPS:
                return
            if first_conjunction is None or n.position < first_conjunction.position:
                first_conjunction = n
    if first_conjunction is not None:
        raise _fail(
            f"'{first_conjunction.name}:{first_conjunction.value}' is a conjunction-required operator "
            "and cannot be used without a standalone clause that is not negated: add a keyword, "
            '"phrase", #hashtag, @mention, from:, to: or conversation_id:', first_conjunction.position)
    raise _fail(
        "The query must contain at least one clause that is not negated (a keyword, \"phrase\", "
        "#hashtag, @mention, from:, to: or conversation_id:); negations alone would match almost "
        "every post", 1)


def parse_query(query: str) -> Node:
    """Parse and validate ``query`` as X would; raise :class:`QueryError` where X answers 400."""
    if len(query) > MAX_QUERY_LENGTH:
        raise _fail(f"Query length exceeds the max allowed {MAX_QUERY_LENGTH} characters "
                    f"(it has {len(query)})")
    toks = _lex(query)
    if not toks:
        raise _fail("The query is empty: give at least one keyword or operator")
    node = _Parser(toks).parse()
    _check_has_positive_standalone(node)
    return node


# --- evaluation ----------------------------------------------------------------------------------


class _Doc:
    """One post under evaluation; folds its text at most once, and only if a text clause asks."""

    __slots__ = ("view", "_folded", "_tokens", "_hashtags", "_cashtags")

    def __init__(self, view: Searchable) -> None:
        self.view = view
        self._folded: str | None = None
        self._tokens: tuple[str, ...] | None = None
        self._hashtags: frozenset[str] | None = None
        self._cashtags: frozenset[str] | None = None

    def folded(self) -> str:
        if self._folded is None:
            self._folded = _fold(self.view.text)
        return self._folded

    def tokens(self) -> tuple[str, ...]:
        if self._tokens is None:
            self._tokens = _tokenize(self.folded())
        return self._tokens

    def hashtags(self) -> frozenset[str]:
        if self._hashtags is None:
            self._hashtags = frozenset(_fold(h) for h in self.view.hashtags)
        return self._hashtags

    def cashtags(self) -> frozenset[str]:
        if self._cashtags is None:
            self._cashtags = frozenset(m.lower() for m in _CASHTAG_IN_TEXT.findall(self.view.text))
        return self._cashtags


_Pred = Callable[[_Doc], bool]
_Search = Callable[[str, int], "re.Match[str] | None"]


def _bounded(search: _Search, start: bool, end: bool) -> Callable[[str], bool]:
    """Match only at token boundaries (no letter or digit just outside) where asked.

    Checked by hand rather than with lookarounds: a pattern that begins with a literal lets
    ``re`` skip ahead quickly, which makes matching 100,000 posts several times faster.
    """
    def found(text: str) -> bool:
        m = search(text, 0)
        while m is not None:
            i, j = m.span()
            if (not start or i == 0 or not text[i - 1].isalnum()) and \
                    (not end or j == len(text) or not text[j].isalnum()):
                return True
            m = search(text, i + 1)
        return False

    return found


def _contains_run(tokens: tuple[str, ...], run: tuple[str, ...]) -> bool:
    k = len(run)
    return any(tokens[i:i + k] == run for i in range(len(tokens) - k + 1) if tokens[i] == run[0])


def _compile_term(text: str) -> _Pred:
    # Searching the folded text beats tokenizing every post. It is exact for one token and for
    # ASCII text; otherwise (an emoji may sit between two tokens) it is only a necessary
    # condition, confirmed on the tokens.
    run = _tokenize(_fold(text))
    pattern = ""
    for prev, token in zip((None, *run), run):
        if prev is not None:
            pattern += r"[\W_]+" if prev[-1].isalnum() and token[0].isalnum() else r"[\W_]*"
        pattern += re.escape(token)
    found = _bounded(re.compile(pattern).search, run[0][0].isalnum(), run[-1][-1].isalnum())
    if len(run) == 1:
        return lambda d: found(d.folded())

    def term(d: _Doc) -> bool:
        folded = d.folded()
        return found(folded) and (folded.isascii() or _contains_run(d.tokens(), run))

    return term


def _compile_phrase(text: str) -> _Pred:
    words = _fold(text).split()
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    found = _bounded(pattern.search, words[0][0].isalnum(), words[-1][-1].isalnum())
    return lambda d: found(d.folded())


def _compile_op(op: Op) -> _Pred:
    name, value = op.name, op.value
    if name == "hashtag":
        return lambda d: value in d.hashtags()
    if name == "mention":
        return lambda d: any(m.lower() == value for m in d.view.mentions)
    if name == "cashtag":
        return lambda d: value in d.cashtags()
    if name == "from":
        return lambda d: d.view.author_username.lower() == value or d.view.author_id == value
    if name == "to":
        def to(d: _Doc) -> bool:
            user = d.view.in_reply_to_username
            # in_reply_to_user_id is optional on the view: used for to:<numeric id> when present
            return (user is not None and user.lower() == value) or \
                getattr(d.view, "in_reply_to_user_id", None) == value
        return to
    if name == "conversation_id":
        return lambda d: d.view.conversation_id == value
    if name == "lang":
        return lambda d: d.view.lang is not None and d.view.lang.lower() == value
    if name == "is":
        attr = f"is_{value}"
        return lambda d: bool(getattr(d.view, attr))
    if value == "mentions":
        return lambda d: bool(d.view.mentions)
    if value == "hashtags":
        return lambda d: bool(d.view.hashtags)
    if value == "links":
        return lambda d: bool(d.view.has_links)
    return lambda d: bool(d.cashtags())


def _cost(node: Node) -> int:
    """Rough cost, to test cheap operators before text inside AND/OR (evaluation is pure)."""
    if isinstance(node, Op):
        return 1 if node.name == "cashtag" or node.value == "cashtags" else 0
    if isinstance(node, Term):
        return 1
    if isinstance(node, Phrase):
        return 2
    if isinstance(node, Not):
        return _cost(node.child)
    return max(_cost(c) for c in node.children)


def _compile(node: Node) -> _Pred:
    if isinstance(node, Term):
        return _compile_term(node.text)
    if isinstance(node, Phrase):
        return _compile_phrase(node.text)
    if isinstance(node, Op):
        return _compile_op(node)
    if isinstance(node, Not):
        inner = _compile(node.child)
        return lambda d: not inner(d)
    preds = tuple(_compile(c) for c in sorted(node.children, key=_cost))
    wanted = isinstance(node, Or)  # AND stops at the first False, OR at the first True

    def junction(d: _Doc) -> bool:
        for p in preds:
            if p(d) is wanted:
                return wanted
        return not wanted

    return junction


def compile_query(query: str) -> Callable[[Searchable], bool]:
    """Return a predicate telling whether a post matches ``query``; raise :class:`QueryError` as X would."""
    predicate = _compile(parse_query(query))

    def match(post: Searchable) -> bool:
        return predicate(_Doc(post))

    return match
