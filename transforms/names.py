"""Names the transforms share: the metrics namespace, metric names the command reads,
the reject output's tag."""
METRICS = "newsbeam"
REJECTS = "rejects"
UNREADABLE_FILES = "unreadable_files"  # a string set: output files that could not be read
