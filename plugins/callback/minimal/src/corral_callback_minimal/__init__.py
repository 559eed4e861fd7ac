"""corral's ``minimal`` stdout callback."""
from corral_callback_minimal.callback import CallbackModule

__all__ = ["CallbackModule"]
