"""The Ansible version corral behaves as (``ansible.release``)."""
__version__ = "2.21.0"
__author__ = "Ansible, Inc."
__codename__ = "The Rain Song"
