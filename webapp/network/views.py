"""Network views for policymakers (issue 5)."""

from flask import Blueprint

bp = Blueprint("network", __name__)
