//! Bootstrap (spec §5): component dependency graph, topological order, FIG 8 sequence.
