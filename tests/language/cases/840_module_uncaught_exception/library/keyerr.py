#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
def main():
    module = AnsibleModule(argument_spec={})
    raise KeyError('x')
main()
