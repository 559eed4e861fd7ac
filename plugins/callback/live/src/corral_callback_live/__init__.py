"""corral's ``live`` stdout callback: watch a long run as it happens."""
from corral_callback_live.callback import CallbackModule

__all__ = ["CallbackModule"]
