"""corral's ``log_plays`` callback: a log file per host."""
from corral_callback_log_plays.callback import CallbackModule

__all__ = ["CallbackModule"]
