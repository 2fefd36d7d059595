"""Benchmarks; each writes its results into docs/benchmarks.md."""
