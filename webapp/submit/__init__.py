"""Blueprint 'submit': "Voeg zelf kennis toe" (/bijdragen) and moderation (/redactie)."""

from webapp.submit import redactie, views  # noqa: F401  (routes register themselves on bp)
from webapp.submit.blueprint import bp

__all__ = ["bp"]
