"""Reads for analysis, one module per sub-topic; every figure is one selector taking the acting user."""
