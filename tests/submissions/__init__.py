"""Tests of the submissions area (graph/submissions/ and webapp/submissions/ where they exist)."""
