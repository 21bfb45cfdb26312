"""Aggregated feedback reports: pure functions returning DataFrames, and thin writers."""
