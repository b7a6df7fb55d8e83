"""Checks a public SPARQL query before anything runs it: read-only, no outbound requests, bounded.

Oxigraph executes `SERVICE` calls itself (from Rust, unseen by Python) and other engines fetch
`FROM` IRIs, so the only reliable protection against server-side request forgery is to refuse such
queries up front. The check works on tokens, with a tokenizer that follows the SPARQL 1.1 grammar's
terminals (strings, long strings, comments, IRIs, prefixed names with escapes, variables), so a
`SERVICE` in a comment or a string is not a `SERVICE`, and one in a subquery, an `OPTIONAL`, an
`EXISTS` or after `SILENT` is. Working on every token rather than on a parse tree is deliberately
more conservative than an algebra walk: no grammatical position is missed.

Oxigraph's parser is a PEG without word boundaries around keywords (`SERVICEx:y`, `ex: SERVICE:u`
and `1.SERVICE:u` all reach `SERVICE`) and `<` is either an IRI or the less-than operator depending
on the context. The rules below are therefore conservative:

* "service" anywhere in a keyword, prefixed name, blank node or language tag is refused (write a
  full `<IRI>` for a term that happens to contain the word);
* a keyword or a prefix containing "from" other than the `FROM` keyword itself is refused, and
  `FROM`/`FROM NAMED` must name one of the dataset's own graphs;
* where `<` could be the less-than operator (inside parentheses, after an operand), an IRI that
  contains a character that would change the meaning of the text after it (`#`, `'`, brackets) is
  refused as ambiguous;
* Unicode escapes for ASCII characters are refused (they could hide syntax);
* updates, unbalanced brackets, unterminated strings, and nesting deeper than a limit are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Container, Mapping
from urllib.parse import urljoin

from graph.errors import N_, BadRequest, PayloadTooLarge, Translate
from graph.namespaces import PREFIXES

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
MAX_OPERATORS = 5000  # operator tokens in one query; deep operator chains can exhaust the parser's stack

# -- terminals of the SPARQL 1.1 grammar (section 19.8) ------------------------------------------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
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
            r"|'(?:[^'\\]|\\.)*'"
            r'|"(?:[^"\\]|\\.)*")',
            f"(?P<var>[?$]{_VARNAME})",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
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
        return f"{text} ({translate(N_('line %(line)s, column %(column)s')) % {'line': line, 'column': column}})"


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

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def tokens(text: str) -> list[Token]:
    """The query's tokens, whitespace and comments included (raises QueryRefused on an open string)."""
    out: list[Token] = []
    pos = 0
    length = len(text)
    while pos < length:
        match = TOKEN_RE.match(text, pos)
        assert match is not None and match.lastgroup is not None  # the last alternative matches any char
        kind = match.lastgroup
        if kind == "quote":
            raise QueryRefused(N_("unterminated string literal"), position=_position(text, pos))
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
) -> CheckedQuery:
    """Refuse (QueryRefused, 400; PayloadTooLarge, 413) what the public endpoint must not run.

    `allowed_graphs`: the graph IRIs a FROM / FROM NAMED may name (or a function returning them,
    called only when the query has a dataset clause); `prefixes`: those the engine predeclares.
    """
    if len(text) > max_length:
        raise PayloadTooLarge(
            N_("the query is %(length)s characters long; the limit is %(limit)s"),
            length=f"{len(text):,}".replace(",", " "), limit=f"{max_length:,}".replace(",", " "),
        )
    if prefixes is PREFIXES:
        analysis = _analyse_cached(text, max_nesting)
    else:
        analysis = _analyse(text, max_nesting, prefixes)
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


@dataclass(frozen=True)
class _Analysis:
    checked: CheckedQuery
    dataset: tuple[tuple[bool, str, tuple[int, int]], ...]  # (named, IRI, (line, column)) per FROM clause


def _analyse(text: str, max_nesting: int, prefixes: Mapping[str, str]) -> _Analysis:
    if not text.strip():
        raise QueryRefused(N_("the query is empty"))
    _check_escapes(text)
    toks = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    if not toks:
        raise QueryRefused(N_("the query is empty (it has only comments)"))
    return _Checker(text, toks, max_nesting, prefixes).run()


@lru_cache(maxsize=512)
def _analyse_cached(text: str, max_nesting: int) -> _Analysis:
    """Editors and scripts send the same queries again and again; checking is pure, so keep answers."""
    return _analyse(text, max_nesting, PREFIXES)


def _position(text: str, pos: int) -> tuple[int, int]:
    """(line, column) of a character position, both counted from 1."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def _check_escapes(text: str) -> None:
    for match in _UNICODE_ESCAPE.finditer(text):
        code = int(match.group(1) or match.group(2), 16)
        if code < 0x80:
            raise QueryRefused(
                N_("write the character itself instead of the escape %(escape)s: escapes of ASCII characters are not accepted"),
                escape=match.group(), position=_position(text, match.start()),
            )


class _Checker:
    """One pass over the significant tokens, keeping the bracket context and the prologue."""

    def __init__(
        self,
        text: str,
        toks: list[Token],
        max_nesting: int,
        prefixes: Mapping[str, str],
    ) -> None:
        self.text = text
        self.toks = toks
        self.max_nesting = max_nesting
        self.prefixes = dict(prefixes)
        self.base: str | None = None
        self.form: str | None = None
        self.default_graphs: list[str] = []
        self.named_graphs: list[str] = []
        self.dataset: list[tuple[bool, str, tuple[int, int]]] = []
        # (opening char, kind): kind is "group", "bnode", "paren" or "data" (VALUES blocks)
        self.stack: list[tuple[str, str]] = []
        self.values_pending = False
        self.operators = 0

    def refuse(self, message: str, tok: Token | None = None, **params: Any) -> QueryRefused:
        """The error for `message` (a message id with `params`), pointing at `tok` where given."""
        return QueryRefused(message, position=_position(self.text, tok.pos) if tok is not None else None, **params)

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
        checked = CheckedQuery(self.text, self.form, tuple(self.default_graphs), tuple(self.named_graphs))
        return _Analysis(checked, tuple(self.dataset))

    def _token(self, tok: Token, prev: Token | None, i: int) -> int:
        """Check one token; return the index of the next one to look at."""
        kind, text = tok.kind, tok.text
        lowered = text.lower()
        if kind in ("word", "pname", "bnode", "langtag") and "service" in lowered:
            raise self.refuse(
                N_("SERVICE (federated query) is not available: this endpoint makes no requests to other "
                   "servers. (A name containing the word 'service' must be written as a full <IRI>.)"),
                tok,
            )
        if kind == "word":
            return self._word(tok, i)
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if "from" in prefix.lower() or any("from" in part.lower() for part in local.split(".")[1:]):
                raise self.refuse(N_("ambiguous prefixed name '%(name)s': write it as a full <IRI>"), tok, name=text)
        elif kind == "iri":
            self._iri(tok, prev)
        elif kind in ("char", "op"):
            self._punctuation(tok)
        return i + 1

    def _word(self, tok: Token, i: int) -> int:
        upper = tok.text.upper()
        if upper in UPDATE_KEYWORDS:
            raise self.refuse(
                N_("%(keyword)s: SPARQL Update is not accepted; this endpoint is read-only "
                   "(it answers SELECT, ASK, CONSTRUCT and DESCRIBE queries)"),
                tok,
                keyword=upper,
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
        self.base = self._resolve(iri.text[1:-1])
        return i + 2

    def _prefix(self, i: int) -> int:
        name = self._next(i, "pname", N_("PREFIX must be followed by a prefix name such as 'ex:'"))
        if not name.text.endswith(":") or name.text.count(":") != 1:
            raise self.refuse(N_("PREFIX must be followed by a prefix name such as 'ex:'"), name)
        iri = self._next(i + 1, "iri", N_("a PREFIX declaration needs an <IRI>"))
        self.prefixes[name.text[:-1]] = self._resolve(iri.text[1:-1])
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
        iri = self._term_iri(target)
        self.dataset.append((named, iri, _position(self.text, target.pos)))
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
        if tok.kind == "iri":
            return self._resolve(tok.text[1:-1])
        prefix, _, local = tok.text.partition(":")
        if prefix not in self.prefixes:
            raise self.refuse(N_("unknown prefix '%(prefix)s:'"), tok, prefix=prefix)
        return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)

    def _resolve(self, iri: str) -> str:
        return urljoin(self.base, iri) if self.base else iri
