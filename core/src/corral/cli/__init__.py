"""Command line interfaces: thin layers over the API."""
