"""One exception base for the whole project: domain errors that carry a message id and its parameters.

The message id is English, marked with the no-op `N_` so that pybabel extracts it into the
catalogs; the parameters fill its `%(name)s` placeholders. graph/ never translates and never
knows HTTP: webapp/errors.py maps each error class to a status and translates the message, the
CLI prints the English `message`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark `message` as a message id for extraction (pybabel -k N_); it is translated later, in webapp."""
    return message


@dataclass(frozen=True)
class Message:
    """A message for people that is not an error to raise (a form field's problem): id and parameters."""

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = str) -> str:
        """The message through `translate` (a gettext), with its parameters filled in; English by default."""
        text = translate(self.id)
        return text % dict(self.params) if self.params else text

    def __str__(self) -> str:
        return self.render()


class SocialeBasisError(Exception):
    """Base class: `message_id` (English, marked N_) with `params`; `message` is the filled-in English text."""

    retry_after: int | None = None

    def __init__(self, message: str, *, retry_after: int | None = None, **params: Any) -> None:
        self.message_id = message
        self.params = params
        if retry_after is not None:
            self.retry_after = retry_after
        super().__init__(self.message)

    def render(self, translate: Translate) -> str:
        """The message through `translate` (a gettext), with its parameters filled in."""
        text = translate(self.message_id)
        return text % self.params if self.params else text

    @property
    def message(self) -> str:
        """The English message with its parameters filled in (for the CLI and the logs)."""
        return self.render(str)

    def __str__(self) -> str:
        return self.message


class BadRequest(SocialeBasisError):
    """The input (a form, a parameter, a query) is not acceptable."""


class Unauthorized(SocialeBasisError):
    """The action needs a signed-in editor."""


class Forbidden(SocialeBasisError):
    """The caller may not do this."""


class NotFound(SocialeBasisError):
    """The thing asked for does not exist."""


class MethodNotAllowed(SocialeBasisError):
    """The action is not available this way."""


class NotAcceptable(SocialeBasisError):
    """The result cannot be given in the asked format."""


class Conflict(SocialeBasisError):
    """The thing changed under us (another editor), or an import clashes with local data."""


class PayloadTooLarge(SocialeBasisError):
    """The input is larger than allowed."""


class UnsupportedMediaType(SocialeBasisError):
    """The input comes in a format we do not read."""


class Unprocessable(SocialeBasisError):
    """The input is well-formed but cannot be handled as asked (too large a result, failed checks)."""


class TooManyRequests(SocialeBasisError):
    """The caller asked too often; `retry_after` says when to come back."""


class ServiceUnavailable(SocialeBasisError):
    """A service is busy or not ready; `retry_after` says when to try again."""


class ParseError(BadRequest):
    """A file or text that is not valid RDF or SPARQL; names the file and line where known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None, **params: Any) -> None:
        self.source = source
        self.line = line
        super().__init__(message, **params)

    @property
    def where(self) -> str:
        """'file:line: ' or '' when the source is unknown."""
        if not self.source:
            return ""
        return f"{self.source}:{self.line}: " if self.line is not None else f"{self.source}: "

    def render(self, translate: Translate) -> str:
        return self.where + super().render(translate)


class ValidationFailed(Unprocessable):
    """SHACL validation found violations; `violations` holds them as plain data."""

    def __init__(self, message: str, violations: list | None = None, **params: Any) -> None:
        self.violations = violations or []
        super().__init__(message, **params)


class StoreError(SocialeBasisError):
    """The store or its files cannot be used (missing, damaged, misconfigured)."""


class StoreWriteRefused(StoreError):
    """The store did not take a change (a remote server refused it or could not be reached): the
    change was undone everywhere else, and the editor is told (503, try again later)."""


class ConfigError(SocialeBasisError):
    """A setting is missing or wrong."""
