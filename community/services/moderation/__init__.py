"""Moderation (PRODUCT.md §15): reports, the queue and decisions, watched words, sanctions,
trust levels and appeals, one module per concern."""
