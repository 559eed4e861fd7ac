"""Running plays: the task queue manager, per-host task execution, results and stats."""
