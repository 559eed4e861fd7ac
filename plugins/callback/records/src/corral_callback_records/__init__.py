"""corral's ``records`` callback and the ``corral-runs`` command: every run recorded
in SQLite (default ``~/.corral/runs.db``) or PostgreSQL, listed, shown and compared."""
from corral_callback_records.callback import CallbackModule

__all__ = ["CallbackModule"]
