"""Event coding: who did what to whom, where and when, in PLOVER with CAMEO roots."""
