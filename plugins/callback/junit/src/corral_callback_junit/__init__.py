"""corral's ``junit`` callback: a JUnit XML report of a playbook run."""
from corral_callback_junit.callback import CallbackModule

__all__ = ["CallbackModule"]
