#!/usr/bin/env python3
"""The seed's old Runner example, with `ansible` replaced by `corral`:
run `uptime` on every host and print which are UP, FAILED and DOWN."""
import sys

import corral.runner

results = corral.runner.Runner(
    pattern='*', forks=10,
    module_name='command', module_args='/usr/bin/uptime',
    host_list=sys.argv[1] if len(sys.argv) > 1 else None,
).run()

if results is None:
    print("No hosts found")
    sys.exit(1)

print("UP ***********")
for (hostname, result) in results['contacted'].items():
    if not 'failed' in result:
        print("%s >>> %s" % (hostname, result['stdout']))

print("FAILED *******")
for (hostname, result) in results['contacted'].items():
    if 'failed' in result:
        print("%s >>> %s" % (hostname, result['msg']))

print("DOWN *********")
for (hostname, result) in results['dark'].items():
    print("%s >>> %s" % (hostname, result))
