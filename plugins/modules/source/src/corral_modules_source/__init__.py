"""corral's source control module: git."""
