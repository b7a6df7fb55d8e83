"""Submissions and moderation (issue 6)."""

from flask import Blueprint

bp = Blueprint("submit", __name__)
