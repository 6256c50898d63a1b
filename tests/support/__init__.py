"""Builders that tests (and the benchmarks) import: students, candidates, workspaces, SENR lines, app runs.

Plain functions rather than fixtures: tests call them with arguments, many times per test,
and `bench/` uses them too. Shared fixtures built from them are in `tests/conftest.py`.
No test lives here, and no test module imports another test module.
"""
