"""Migration scripts, applied in order by revision."""
