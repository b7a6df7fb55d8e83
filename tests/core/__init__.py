"""Tests of the core area (graph/core/ and webapp/core/ where they exist)."""
