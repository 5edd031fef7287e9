"""`make bench`: the benchmarks whose figures docs/benchmarks.md records."""
