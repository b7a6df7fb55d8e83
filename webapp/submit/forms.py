"""What every rendering of the submission form needs, the public form (contribute.py) and the
editors' review (redactie.py) alike: the choices and the field labels."""

from __future__ import annotations

from typing import Any

from graph.submissions.fields import ENTITY_FIELDS, PILLARS, PUBLICATION_KINDS, SPHERES

FIELD_LABELS: dict[str, dict[str, str]] = {
    "title": {"nl": "Titel", "en": "Title"},
    "title_en": {"nl": "Engelse titel", "en": "English title"},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "summary_en": {"nl": "Engelse samenvatting", "en": "English summary"},
    "kind": {"nl": "Soort publicatie", "en": "Kind of publication"},
    "date": {"nl": "Datum of jaar", "en": "Date or year"},
    "url": {"nl": "Webadres", "en": "URL"},
    "pillars": {"nl": "Pijlers", "en": "Pillars"},
    "spheres": {"nl": "Sferen", "en": "Spheres"},
    **{f.name: {"nl": f.label_nl, "en": f.label_en} for f in ENTITY_FIELDS},
    "name": {"nl": "Uw naam", "en": "Your name"},
    "email": {"nl": "Uw e-mailadres", "en": "Your e-mail address"},
    "consent": {"nl": "Toestemming", "en": "Consent"},
    "note": {"nl": "Toelichting", "en": "Note"},
}


def form_context(**extra: Any) -> dict[str, Any]:
    """What every rendering of the form needs."""
    context: dict[str, Any] = {
        "kinds": PUBLICATION_KINDS, "pillars": PILLARS, "spheres": SPHERES, "entity_fields": ENTITY_FIELDS,
        "data": {}, "errors": {}, "assessment": None, "labels": FIELD_LABELS, "editor_form": False,
    }
    context.update(extra)
    return context
