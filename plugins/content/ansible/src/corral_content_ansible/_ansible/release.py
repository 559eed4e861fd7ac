"""The Ansible version corral behaves as (``ansible.release``)."""
__version__ = "2.21.0"
__author__ = "corral"
__codename__ = "corral"
