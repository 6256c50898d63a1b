"""Sample data for the demo, the tests and the benchmarks: a registry and an upload with realistic variations."""
