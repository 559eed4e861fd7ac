"""corral's ``tree`` stdout callback."""
from corral_callback_tree.callback import CallbackModule

__all__ = ["CallbackModule"]
