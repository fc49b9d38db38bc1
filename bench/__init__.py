"""Benchmarks of assetgraph: each figure is printed with a baseline measured in the same run and their ratio.

Benchmarks are not tests: they never fail on time. Run them with `make bench` or `python -m bench --help`.
"""
