"""Checks a public SPARQL query before anything runs it: read-only, no outbound requests, bounded.

Oxigraph executes `SERVICE` calls itself (from Rust, unseen by Python) and other engines fetch
`FROM` IRIs, so the only reliable protection against server-side request forgery is to refuse such
queries up front. The check works on the query's tokens, read the way the engine reads them: the
SPARQL 1.1 terminals (strings and long strings with their escapes, comments, IRIs, prefixed names
with their escapes, variables, blank nodes, language tags, numbers), keywords case-insensitively,
and `\\u`/`\\U` escapes decoded first, as the SPARQL grammar says (section 19.2). A `SERVICE` in a
comment, a string, an IRI, a variable or inside a prefixed name's local part (`ex:serviceDesk`) is
not a `SERVICE`; one in a subquery, an `OPTIONAL`, an `EXISTS` or after `SILENT` is. Working on
every token rather than on a parse tree is deliberately more conservative than an algebra walk: no
grammatical position is missed, and no second parser can read the query differently from the engine.

Oxigraph's parser is a PEG without word boundaries around keywords (`SERVICEx:y`, `trueSERVICE:u`
and `ex: SERVICE:u` all reach `SERVICE`), it ends a prefixed name's local part after its first
dotted group (`ex:a.b.SERVICE:u` is `ex:a.b`, `.`, `SERVICE:u`), when a prefixed name does not make
a valid IRI it backs off to the bare prefix and reads the local part as new tokens, and `<` is
either an IRI or the less-than operator depending on the context. The rules below follow from that:

* a keyword or a prefix that contains "service" is refused (write a full `<IRI>` or rename the prefix);
* every prefixed name must use a declared prefix and make a valid IRI;
* at the top level a keyword or prefix containing "from" other than the `FROM` keyword itself is
  refused, and `FROM`/`FROM NAMED` must name one of the dataset's own graphs (relative IRIs are
  resolved against the query's base, as the engine resolves them);
* where `<` could be the less-than operator (inside parentheses, after an operand), an IRI that
  contains a character that would change the meaning of the text after it (`#`, `'`, brackets) is
  refused as ambiguous;
* an escape of an ASCII character other than a letter or digit is refused: it would change the
  query's structure once decoded (`"\\u0022"` ends a string) while looking like data;
* updates, unbalanced brackets, unterminated strings, and nesting deeper than a limit are refused.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Container, Mapping

import pyoxigraph as ox

from graph.errors import N_, BadRequest, PayloadTooLarge, Translate
from graph.namespaces import PREFIXES
from graph.sparql import QUERY_BASE

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
MAX_OPERATORS = 5000  # operator tokens in one query; deep operator chains can exhaust the parser's stack

# -- terminals of the SPARQL 1.1 grammar (section 19.8), with Oxigraph's character ranges ----------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*"
# Oxigraph's PN_LOCAL takes at most one dotted group: `ex:a.b.c` is `ex:a.b` followed by `.c`.
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}:]|{_PLX})*(?:\\.+(?:[{_PN_CHARS}:]|{_PLX})+)?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

TOKEN_RE = re.compile(
    "|".join(
        (
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n]*)",
            # Deliberately more lenient than the grammar's IRIREF (which also excludes |^`\ but
            # allows \u escapes): anything Oxigraph reads as one IRI, this reads as one IRI too.
            r'(?P<iri><[^<>"{}\x00-\x20]*>)',
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\r\n]|\\.)*'"
            r'|"(?:[^"\\\r\n]|\\.)*")',
            f"(?P<var>[?$]{_VARNAME})",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)",
            r"(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:[eE][+-]?[0-9]+)?)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<op>\^\^|&&|\|\||<=|>=|!=)",
            r"(?P<quote>['\"])",
            r"(?P<char>.)",
        )
    ),
    re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPERATORS = frozenset({"!", "&&", "||", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"})
_OPERAND_END = frozenset({"var", "string", "number", "iri", "pname", "bnode", "langtag"})
_AMBIGUOUS_IRI_CHARS = frozenset("#'()[]")
_CLOSERS = {"}": "{", ")": "(", "]": "["}
class QueryRefused(BadRequest):
    """A query the public endpoint will not run (a bad request), with a message saying why and where."""

    def __init__(self, message: str, *, position: tuple[int, int] | None = None, **params: Any) -> None:
        self.position = position
        super().__init__(message, **params)

    def render(self, translate: Translate) -> str:
        text = super().render(translate)
        if self.position is None:
            return text
        line, column = self.position
        where = translate(N_("line %(line)s, column %(column)s")) % {"line": line, "column": column}
        return f"{text} ({where})"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


@dataclass(frozen=True)
class CheckedQuery:
    """What the endpoint needs to know about a query that passed the checks."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    default_graphs: tuple[str, ...] = ()  # FROM
    named_graphs: tuple[str, ...] = ()  # FROM NAMED
    dataset_spans: tuple[tuple[int, int], ...] = ()  # where the FROM clauses are in `text` (start, end)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)

    def without_dataset(self) -> str:
        """The query with its FROM / FROM NAMED clauses blanked out (same length and line numbers)."""
        text = self.text
        for start, end in sorted(self.dataset_spans, reverse=True):
            text = text[:start] + "".join(c if c in "\r\n" else " " for c in text[start:end]) + text[end:]
        return text


def tokens(text: str, where: Callable[[int], tuple[int, int]] | None = None) -> list[Token]:
    """The query's tokens, whitespace and comments included (raises QueryRefused on an open string).

    `where` says where a position is for the message (by default: line and column in `text`).
    """
    out: list[Token] = []
    pos = 0
    length = len(text)
    while pos < length:
        match = TOKEN_RE.match(text, pos)
        assert match is not None and match.lastgroup is not None  # the last alternative matches any char
        kind = match.lastgroup
        if kind == "quote":
            raise QueryRefused(N_("unterminated string literal"), position=where(pos) if where else _position(text, pos))
        out.append(Token(kind, match.group(), pos))
        pos = match.end()
    return out


def check_query(
    text: str,
    *,
    allowed_graphs: Container[str] | Callable[[], Container[str]] = (),
    max_length: int = 20_000,
    max_nesting: int = 64,
    prefixes: Mapping[str, str] = PREFIXES,
    base_iri: str = QUERY_BASE,
) -> CheckedQuery:
    """Refuse (QueryRefused, 400; PayloadTooLarge, 413) what the public endpoint must not run.

    `allowed_graphs`: the graph IRIs a FROM / FROM NAMED may name (or a function returning them,
    called only when the query has a dataset clause); `prefixes`: those the engine predeclares;
    `base_iri`: the base the engine resolves relative IRIs against (pass the same to the engine).
    """
    if len(text) > max_length:
        raise PayloadTooLarge(
            N_("the query is %(length)s characters long; the limit is %(limit)s"),
            length=f"{len(text):,}".replace(",", " "), limit=f"{max_length:,}".replace(",", " "),
        )
    if prefixes is PREFIXES:
        analysis = _analyse_cached(text, max_nesting, base_iri)
    else:
        analysis = _analyse(text, max_nesting, prefixes, base_iri)
    if analysis.dataset:
        allowed = allowed_graphs() if callable(allowed_graphs) else allowed_graphs
        for named, iri, where in analysis.dataset:
            if iri not in allowed:
                raise QueryRefused(
                    N_("%(clause)s <%(iri)s>: only this dataset's own graphs can be used (their names are listed at "
                       "/data/); the endpoint does not fetch data from elsewhere"),
                    clause="FROM NAMED" if named else "FROM", iri=iri, position=where,
                )
    return analysis.checked


def resolve_iri(iri: str, base: str | None) -> str:
    """`iri` resolved against `base` the way Oxigraph resolves it (ValueError if it is not valid)."""
    return _resolve_cached(iri, base)


@lru_cache(maxsize=1024)
def _resolve_cached(iri: str, base: str | None) -> str:
    if base is None:
        return ox.NamedNode(_unescape_iri(iri)).value
    # Oxigraph's own IRI resolution (RFC 3987), reached through a one-triple Turtle document.
    try:
        quad = next(iter(ox.parse(f"<{iri}> <urn:p> <urn:o> .".encode(), format=ox.RdfFormat.TURTLE, base_iri=base)))
    except SyntaxError as exc:
        raise ValueError(str(exc)) from exc
    return str(quad.subject.value)


def _unescape_iri(iri: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


@dataclass(frozen=True)
class _Analysis:
    checked: CheckedQuery
    dataset: tuple[tuple[bool, str, tuple[int, int]], ...]  # (named, IRI, (line, column)) per FROM clause


def _analyse(text: str, max_nesting: int, prefixes: Mapping[str, str], base: str | None) -> _Analysis:
    if not text.strip():
        raise QueryRefused(N_("the query is empty"))
    source = _Decoded.of(text)
    toks = [t for t in tokens(source.text, source.where) if t.kind not in ("ws", "comment")]
    if not toks:
        raise QueryRefused(N_("the query is empty (it has only comments)"))
    return _Checker(source, toks, max_nesting, prefixes, base).run()


@lru_cache(maxsize=512)
def _analyse_cached(text: str, max_nesting: int, base: str | None) -> _Analysis:
    """Editors and scripts send the same queries again and again; checking is pure, so keep answers."""
    return _analyse(text, max_nesting, PREFIXES, base)


def _position(text: str, pos: int) -> tuple[int, int]:
    """(line, column), counted from 1, of position `pos` in `text`."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


@dataclass(frozen=True)
class _Decoded:
    """The query with its `\\u`/`\\U` escapes decoded (SPARQL 1.1, 19.2), and the way back to the original.

    Escapes that do not name a character (surrogates) are left as written, as Oxigraph leaves them.
    """

    original: str
    text: str
    starts: tuple[int, ...] = ()  # position in `text` of each decoded escape's character
    origins: tuple[int, ...] = ()  # position in `original` of that escape
    removed: tuple[int, ...] = ()  # characters removed up to and including that escape

    @classmethod
    def of(cls, original: str) -> _Decoded:
        parts: list[str] = []
        starts: list[int] = []
        origins: list[int] = []
        removed: list[int] = []
        last = gone = 0
        for match in _UNICODE_ESCAPE.finditer(original):
            code = int(match.group(1) or match.group(2), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                continue
            char = chr(code)
            if code < 0x80 and not char.isalnum():
                raise QueryRefused(
                    N_("write the character itself instead of the escape %(escape)s: escapes of ASCII characters other "
                       "than letters and digits are not accepted, because SPARQL decodes them before reading the "
                       "query (so '\\u0022' would end a string; write \\\" for a quote inside a string)"),
                    escape=match.group(), position=_position(original, match.start()),
                )
            parts.append(original[last : match.start()])
            parts.append(char)
            starts.append(match.start() - gone)
            origins.append(match.start())
            gone += len(match.group()) - 1
            removed.append(gone)
            last = match.end()
        if not starts:
            return cls(original, original)
        parts.append(original[last:])
        return cls(original, "".join(parts), tuple(starts), tuple(origins), tuple(removed))

    def position(self, pos: int) -> int:
        """The position in the original text of position `pos` of the decoded text."""
        index = bisect.bisect_right(self.starts, pos) - 1
        if index < 0:
            return pos
        if self.starts[index] == pos:
            return self.origins[index]
        return pos + self.removed[index]

    def escaped(self, tok: Token) -> bool:
        """True when the token was written with escapes."""
        index = bisect.bisect_left(self.starts, tok.pos)
        return index < len(self.starts) and self.starts[index] < tok.pos + len(tok.text)

    def where(self, pos: int) -> tuple[int, int]:
        """(line, column) in the original text of position `pos` of the decoded text."""
        return _position(self.original, self.position(pos))


class _Checker:
    """One pass over the significant tokens, keeping the bracket context and the prologue."""

    def __init__(
        self,
        source: _Decoded,
        toks: list[Token],
        max_nesting: int,
        prefixes: Mapping[str, str],
        base: str | None,
    ) -> None:
        self.source = source
        self.toks = toks
        self.max_nesting = max_nesting
        self.prefixes = dict(prefixes)
        self.base = base
        self.form: str | None = None
        self.default_graphs: list[str] = []
        self.named_graphs: list[str] = []
        self.dataset: list[tuple[bool, str, tuple[int, int]]] = []
        self.spans: list[tuple[int, int]] = []  # each FROM clause, in the original text
        # (opening char, kind): kind is "group", "bnode", "paren" or "data" (VALUES blocks)
        self.stack: list[tuple[str, str]] = []
        self.values_pending = False
        self.operators = 0

    def refuse(self, message: str, tok: Token | None = None, **params: Any) -> QueryRefused:
        """The error for `message` (a message id with `params`), pointing at `tok` where given."""
        return QueryRefused(message, position=self.source.where(tok.pos) if tok is not None else None, **params)

    def run(self) -> _Analysis:
        i = 0
        prev: Token | None = None
        while i < len(self.toks):
            tok = self.toks[i]
            i = self._token(tok, prev, i)
            prev = self.toks[i - 1] if i > 0 else None
        if self.stack:
            opener = self.stack[-1][0]
            raise self.refuse(N_("unbalanced brackets: '%(opener)s' is never closed"), opener=opener)
        if self.form is None:
            raise self.refuse(N_("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"))
        checked = CheckedQuery(
            self.source.original, self.form, tuple(self.default_graphs), tuple(self.named_graphs), tuple(self.spans)
        )
        return _Analysis(checked, tuple(self.dataset))

    def _token(self, tok: Token, prev: Token | None, i: int) -> int:
        """Check one token; return the index of the next one to look at."""
        kind = tok.kind
        if kind in ("word", "pname"):
            # The part a keyword could be read from: a whole word, or a prefixed name's prefix.
            head = tok.text.split(":", 1)[0].lower()
            if "service" in head:
                raise self.refuse(self._service_message(tok, kind, head), tok)
            if kind == "word":
                return self._word(tok, i)
            if "from" in head and not self.stack:
                raise self.refuse(
                    N_("ambiguous prefixed name '%(name)s' (it could be read as FROM): write it as a full <IRI>"),
                    tok, name=tok.text,
                )
            self._term_iri(tok)
        elif kind == "iri":
            self._iri(tok, prev)
        elif kind in ("char", "op"):
            self._punctuation(tok)
        return i + 1

    def _service_message(self, tok: Token, kind: str, head: str) -> str:
        if self.source.escaped(tok):
            return N_("SERVICE (federated query) is not available: this endpoint makes no requests to other servers "
                      "(here written with \\u escapes).")
        if kind == "pname" and head != "service":
            return N_("SERVICE (federated query) is not available: this endpoint makes no requests to other servers. "
                      "(A prefix containing the word 'service' reads as SERVICE: rename the prefix.)")
        return N_("SERVICE (federated query) is not available: this endpoint makes no requests to other servers.")

    def _word(self, tok: Token, i: int) -> int:
        upper = tok.text.upper()
        if upper in UPDATE_KEYWORDS:
            raise self.refuse(
                N_("%(keyword)s: SPARQL Update is not accepted; this endpoint is read-only "
                   "(it answers SELECT, ASK, CONSTRUCT and DESCRIBE queries)"),
                tok, keyword=upper,
            )
        if upper == "FROM":
            return self._dataset_clause(i)
        if "FROM" in upper:
            raise self.refuse(N_("unknown keyword '%(keyword)s'"), tok, keyword=tok.text)
        if upper == "BASE" and self.form is None:
            return self._base(i)
        if upper == "PREFIX" and self.form is None:
            return self._prefix(i)
        if upper == "VALUES":
            self.values_pending = True
        elif upper in ("UNION", "MINUS", "OPTIONAL"):
            self._count_operator(tok)
        if self.form is None:
            if upper not in QUERY_FORMS:
                raise self.refuse(
                    N_("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found '%(found)s'"), tok, found=tok.text
                )
            self.form = upper
        return i + 1

    def _base(self, i: int) -> int:
        iri = self._next(i, "iri", N_("BASE must be followed by an <IRI>"))
        self.base = self._resolve(iri)
        return i + 2

    def _prefix(self, i: int) -> int:
        name = self._next(i, "pname", N_("PREFIX must be followed by a prefix name such as 'ex:'"))
        if not name.text.endswith(":") or name.text.count(":") != 1:
            raise self.refuse(N_("PREFIX must be followed by a prefix name such as 'ex:'"), name)
        iri = self._next(i + 1, "iri", N_("a PREFIX declaration needs an <IRI>"))
        self.prefixes[name.text[:-1]] = self._resolve(iri)
        return i + 3

    def _dataset_clause(self, i: int) -> int:
        j = i + 1
        named = False
        if j < len(self.toks) and self.toks[j].kind == "word" and self.toks[j].text.upper() == "NAMED":
            named = True
            j += 1
        if j >= len(self.toks) or self.toks[j].kind not in ("iri", "pname"):
            raise self.refuse(N_("FROM must be followed by a graph <IRI>"), self.toks[min(j, len(self.toks) - 1)])
        target = self.toks[j]
        if target.kind == "pname" and target.text.split(":", 1)[0].lower().startswith("named"):
            raise self.refuse(N_("ambiguous FROM clause: write the graph as a full <IRI>"), target)
        iri = self._resolve(target) if target.kind == "iri" else self._term_iri(target)
        self.dataset.append((named, iri, self.source.where(target.pos)))
        start, end = self.toks[i].pos, target.pos + len(target.text)
        self.spans.append((self.source.position(start), self.source.position(end - 1) + 1))
        (self.named_graphs if named else self.default_graphs).append(iri)
        return j + 1

    def _iri(self, tok: Token, prev: Token | None) -> None:
        if not self.stack or self.stack[-1][1] != "paren" or prev is None:
            return
        operand_before = prev.kind in _OPERAND_END or prev.text in (")", "]") or (
            prev.kind == "word" and prev.text.lower() in ("true", "false")
        )
        if operand_before and _AMBIGUOUS_IRI_CHARS.intersection(tok.text):
            raise self.refuse(
                N_("ambiguous '<' before %(text)r: put spaces around the less-than operator"), tok, text=tok.text[:40]
            )

    def _punctuation(self, tok: Token) -> None:
        text = tok.text
        if text in _OPERATORS:
            self._count_operator(tok)
        if text in ("{", "(", "["):
            if self.values_pending or (self.stack and self.stack[-1][1] == "data"):
                kind = "data"
                if text == "{":
                    self.values_pending = False
            else:
                kind = {"{": "group", "(": "paren", "[": "bnode"}[text]
            self.stack.append((text, kind))
            if len(self.stack) > self.max_nesting:
                raise self.refuse(
                    N_("the query is nested too deeply (more than %(max)s levels of brackets)"), tok, max=self.max_nesting
                )
        elif text in _CLOSERS:
            if not self.stack or self.stack[-1][0] != _CLOSERS[text]:
                raise self.refuse(N_("unbalanced brackets: unexpected '%(text)s'"), tok, text=text)
            self.stack.pop()

    def _count_operator(self, tok: Token) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise self.refuse(N_("the query is too complex (more than %(max)s operators)"), tok, max=MAX_OPERATORS)

    def _next(self, i: int, kind: str, message: str) -> Token:
        if i + 1 >= len(self.toks) or self.toks[i + 1].kind != kind:
            raise self.refuse(message, self.toks[min(i + 1, len(self.toks) - 1)])
        return self.toks[i + 1]

    def _term_iri(self, tok: Token) -> str:
        """The IRI of a prefixed name: its prefix must be declared and the result a valid IRI.

        Oxigraph reads a prefixed name that does not make a valid IRI as its bare prefix followed by
        new tokens (`h:SERVICE:u` with `h:` ending in '#'), so such a name is refused here.
        """
        prefix, _, local = tok.text.partition(":")
        if prefix not in self.prefixes:
            raise self.refuse(N_("unknown prefix '%(prefix)s:' (declare it with PREFIX %(prefix)s: <...>)"), tok, prefix=prefix)
        iri = self.prefixes[prefix] + local.replace("\\", "")
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise self.refuse(N_("'%(name)s' does not make a valid IRI (%(problem)s)"), tok, name=tok.text, problem=str(exc)) from None
        return iri

    def _resolve(self, tok: Token) -> str:
        try:
            return resolve_iri(tok.text[1:-1], self.base)
        except ValueError as exc:
            raise self.refuse(N_("%(iri)s is not a valid IRI (%(problem)s)"), tok, iri=tok.text[:80], problem=str(exc)) from None
