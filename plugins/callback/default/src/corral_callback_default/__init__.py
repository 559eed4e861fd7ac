"""corral's ``default`` stdout callback: Ansible's screen format."""
from corral_callback_default.callback import CallbackModule

__all__ = ["CallbackModule"]
