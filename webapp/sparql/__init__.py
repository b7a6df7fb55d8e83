"""Blueprint 'sparql' (see views.py)."""

from webapp.sparql.views import bp

__all__ = ["bp"]
