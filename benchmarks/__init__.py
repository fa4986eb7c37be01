"""Benchmarks, each a module run from the repository root: ``python -m benchmarks.NAME``
(``--help`` lists a benchmark's options). They import the development sets and the test
servers from the ``tests`` package; docs/benchmarks.md has the figures.
"""
