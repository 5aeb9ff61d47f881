"""Tests of the REST API and the dashboard (dyad.web)."""
