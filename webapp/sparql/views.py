"""SPARQL endpoint, editor, saved queries and downloads (issue 3)."""

from flask import Blueprint

bp = Blueprint("sparql", __name__)
