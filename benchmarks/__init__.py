"""Benchmarks: synthetic incident files at growing sizes, and the measurements run on them."""
