"""Tests of the search area (graph/search/ and webapp/search/ where they exist)."""
