"""Insights (PRODUCT.md §17): the event stream, its rollups, experiments and campaigns, one module
per concern."""
