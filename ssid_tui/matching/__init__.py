"""Matching students against the statewide registry: names, blocking, comparisons, the registry, the matcher."""
