"""Engines that run extraction beyond one machine (optional extras)."""
