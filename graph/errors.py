"""One exception base for the whole project: each error carries a user message and a status."""

from __future__ import annotations


class SocialeBasisError(Exception):
    """Base class: `message` is safe to show to a user, `status` is the HTTP status to answer with."""

    status: int = 500
    retry_after: int | None = None

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if retry_after is not None:
            self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class BadRequest(SocialeBasisError):
    status = 400


class Unauthorized(SocialeBasisError):
    status = 401


class Forbidden(SocialeBasisError):
    status = 403


class NotFound(SocialeBasisError):
    status = 404


class MethodNotAllowed(SocialeBasisError):
    status = 405


class NotAcceptable(SocialeBasisError):
    status = 406


class Conflict(SocialeBasisError):
    """The thing changed under us (another editor), or an import clashes with local data."""

    status = 409


class PayloadTooLarge(SocialeBasisError):
    status = 413


class UnsupportedMediaType(SocialeBasisError):
    status = 415


class TooManyRequests(SocialeBasisError):
    status = 429


class ServiceUnavailable(SocialeBasisError):
    status = 503


class ParseError(BadRequest):
    """A file or text that is not valid RDF or SPARQL; names the file and line where known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        where = ""
        if source:
            where = f"{source}"
            if line is not None:
                where += f":{line}"
            where += ": "
        super().__init__(f"{where}{message}")
        self.source = source
        self.line = line


class ValidationFailed(SocialeBasisError):
    """SHACL validation found violations; `violations` holds them as plain data."""

    status = 422

    def __init__(self, message: str, violations: list | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


class StoreError(SocialeBasisError):
    status = 500
