"""corral's ``json`` stdout callback."""
from corral_callback_json.callback import CallbackModule

__all__ = ["CallbackModule"]
