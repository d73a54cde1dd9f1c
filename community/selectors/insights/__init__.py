"""Staff insights reads (PRODUCT.md §17), one module per concern: metrics over the event stream
and its daily rollups, experiments, segments and campaigns."""
