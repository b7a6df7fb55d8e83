"""Tests of the browse area (graph/browse/ and webapp/browse/ where they exist)."""
