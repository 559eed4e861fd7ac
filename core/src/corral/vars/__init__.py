"""Variables: ``VariableManager`` (seed API: ``corral.vars.VariableManager``)."""
from corral.vars.manager import HostVars, VariableManager

__all__ = ["VariableManager", "HostVars"]
