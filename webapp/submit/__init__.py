"""Blueprint 'submit' (see views.py)."""

from webapp.submit.views import bp

__all__ = ["bp"]
