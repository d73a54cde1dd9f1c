"""Insights over REST (API.md "Insights"): one module per concern, staff only except assignment."""
