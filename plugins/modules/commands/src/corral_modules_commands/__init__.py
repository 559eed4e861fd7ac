"""corral's command modules: command, shell, raw, script and ping."""
