"""Arrow schemas of the output tables (articles, entities, events, rejects)."""
from .tables import ARTICLES, ENTITIES, EVENTS, REJECTS, TABLES, UNKNOWN_REGION, Table

__all__ = ["ARTICLES", "ENTITIES", "EVENTS", "REJECTS", "TABLES", "UNKNOWN_REGION", "Table"]
