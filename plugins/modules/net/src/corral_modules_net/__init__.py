"""corral's HTTP modules: get_url and uri."""
