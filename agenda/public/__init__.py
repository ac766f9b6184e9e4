"""The public wing: what the public may see of the record, as plain values (read-only)."""
