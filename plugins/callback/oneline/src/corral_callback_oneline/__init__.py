"""corral's ``oneline`` stdout callback."""
from corral_callback_oneline.callback import CallbackModule

__all__ = ["CallbackModule"]
