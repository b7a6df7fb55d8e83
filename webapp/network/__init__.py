"""Blueprint 'network' (see views.py)."""

from webapp.network.views import bp

__all__ = ["bp"]
