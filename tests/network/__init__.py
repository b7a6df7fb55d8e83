"""Tests of the network area (graph/network/ and webapp/network/ where they exist)."""
