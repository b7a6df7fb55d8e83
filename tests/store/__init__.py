"""Tests of the store area (graph/store/ and webapp/store/ where they exist)."""
