"""The language model and the gazetteer: entity mentions, places resolved to GeoNames and countries."""
