#!/usr/bin/python
# A test module for recording Ansible's display of module warnings and deprecations.
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(text=dict(type="str", default="careful")))
    module.warn(module.params["text"])
    module.deprecate("old option used", version="9.0", collection_name="acme.tools")
    module.exit_json(changed=False, said=module.params["text"])


if __name__ == "__main__":
    main()
