"""The logic of each stage as plain Python on plain records (no Beam)."""
