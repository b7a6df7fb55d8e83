"""Core pages: home, health."""

from webapp.core.views import bp

__all__ = ["bp"]
