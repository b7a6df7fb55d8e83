"""Quoted evidence: short verbatim phrases of a source document as W3C Web Annotation
`oa:TextQuoteSelector`s, and the check that every quote in the data occurs in its document.

The source documents are not part of the package: the check reads them from a folder (the
project's `../shared/sources/`), finding each source's file through `sb:sourceFile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal

MAX_QUOTE_WORDS = 12  # "a few words, at most about 12": never whole sentences
CONTEXT_CHARS = 12  # prefix/suffix length where the exact phrase occurs more than once


@dataclass(frozen=True)
class Quote:
    """A TextQuoteSelector: the exact words, with a few characters around them where needed."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    @property
    def words(self) -> int:
        return len(self.exact.split())


def quote_at(text: str, start: int, end: int) -> Quote:
    """The selector for text[start:end]; prefix and suffix only where the words occur more than once."""
    exact = text[start:end]
    if text.count(exact) <= 1:
        return Quote(exact)
    prefix = text[max(0, start - CONTEXT_CHARS):start]
    suffix = text[end:end + CONTEXT_CHARS]
    return Quote(exact, prefix, suffix)


def occurs(text: str, quote: Quote) -> bool:
    """Whether the quote, with its prefix and suffix, stands verbatim in the text."""
    return (quote.prefix + quote.exact + quote.suffix) in text


@dataclass(frozen=True)
class QuoteProblem:
    """A quote that is too long, names no readable document, or is not found in it."""

    selector: str
    source: str
    exact: str
    reason: str

    def __str__(self) -> str:
        return f"quote {self.exact!r} ({self.source}): {self.reason}"


_QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sb: <https://w3id.org/sociale-basis/def/>
SELECT DISTINCT ?selector ?source ?file ?exact ?prefix ?suffix WHERE {
  ?resource oa:hasSelector ?selector ; oa:hasSource ?source .
  ?selector a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?selector oa:prefix ?prefix }
  OPTIONAL { ?selector oa:suffix ?suffix }
  OPTIONAL { ?source sb:sourceFile ?file }
}
"""


def read_documents(sources_dir: Path) -> dict[str, str]:
    """The text of every document in the folder, by file name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(sources_dir.iterdir()) if p.is_file()
            and p.suffix in {".txt", ".md"}}


def check_quotes(graph: Graph, sources_dir: Path) -> tuple[int, list[QuoteProblem]]:
    """(how many quotes were read, the problems): each quote must be short and stand in its document."""
    documents = read_documents(sources_dir)
    problems: list[QuoteProblem] = []
    count = 0
    for row in graph.query(_QUOTES):
        selector, source, file, exact, prefix, suffix = row  # type: ignore[misc]
        count += 1
        quote = Quote(str(exact), str(prefix or ""), str(suffix or ""))
        if quote.words > MAX_QUOTE_WORDS:
            problems.append(QuoteProblem(str(selector), str(source), quote.exact,
                                         f"{quote.words} words, more than {MAX_QUOTE_WORDS}"))
        if not isinstance(file, Literal):
            problems.append(QuoteProblem(str(selector), str(source), quote.exact, "the source names no sb:sourceFile"))
            continue
        text = documents.get(str(file))
        if text is None:
            problems.append(QuoteProblem(str(selector), str(source), quote.exact,
                                         f"{file} is not in {sources_dir}"))
        elif not occurs(text, quote):
            problems.append(QuoteProblem(str(selector), str(source), quote.exact, f"not found verbatim in {file}"))
        elif not quote.prefix and text.count(quote.exact) > 1:
            problems.append(QuoteProblem(str(selector), str(source), quote.exact,
                                         f"occurs {text.count(quote.exact)} times in {file} without a prefix/suffix"))
    return count, problems
