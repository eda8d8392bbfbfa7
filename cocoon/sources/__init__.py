"""Readers: one per input format, each turning a file into rows of the contract columns."""
