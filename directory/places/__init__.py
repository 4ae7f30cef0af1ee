"""Places: the built-in gazetteer (GeoNames cities) and the search suggestions."""
