"""Tests of the sparql area (graph/sparql/ and webapp/sparql/ where they exist)."""
