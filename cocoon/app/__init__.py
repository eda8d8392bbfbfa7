"""Use cases: one module per job, sharing a context; `installation` wires them together."""
