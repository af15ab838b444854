"""Benchmarks (not tests: pytest never collects this package). Run with ``python -m tests.benchmarks``."""
