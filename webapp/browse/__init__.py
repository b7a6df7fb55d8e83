"""Blueprint 'browse' (see views.py)."""

from webapp.browse.views import bp

__all__ = ["bp"]
