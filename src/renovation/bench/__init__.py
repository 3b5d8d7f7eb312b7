"""Benchmarks: each figure of docs/benchmarks.md measured beside the bare eventsourcing library.

`python -m renovation.bench [--backend sqlite|postgres] [--cases N] [--quick]` (or
`scripts/bench`) runs every figure, prints a table with its target and a pass/miss mark, and
writes the run as JSON under `bench/results/`. Heavy phases run in child processes, so each
one's peak RSS is its own.
"""
