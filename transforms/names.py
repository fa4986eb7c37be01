"""Names the transforms share: the metrics namespace and the reject output's tag."""
METRICS = "newsbeam"
REJECTS = "rejects"
