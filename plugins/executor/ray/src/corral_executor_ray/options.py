"""The ``ray`` executor's settings, declared like any plugin's (``corral-config list``
shows them); resolved from the run's configuration and environment."""
from __future__ import annotations

from corral.plugins.options import Option

__all__ = ["OPTIONS"]

OPTIONS: dict[str, Option] = {
    "address": Option(
        "address", type="str", default=None,
        description="The Ray cluster to run on: 'auto' (the cluster this machine belongs to), 'HOST:PORT' "
                    "(its head node's GCS), 'ray://HOST:PORT' (Ray Client); unset, a local Ray is started "
                    "for the run and stopped after it.",
        env=("CORRAL_RAY_ADDRESS",), ini=(("ray_executor", "address"),)),
    "actors": Option(
        "actors", type="int", default=0,
        description="How many actors share the run's hosts; 0: one per CPU of the cluster, at most forks. "
                    "The forks lanes are spread over them, each actor running its lanes' requests in threads.",
        env=("CORRAL_RAY_ACTORS",), ini=(("ray_executor", "actors"),)),
    "actor_cpus": Option(
        "actor_cpus", type="float", default=0.0,
        description="CPUs each actor reserves on its node (Ray's num_cpus); 0 lets actors share CPUs with "
                    "other work, as connections mostly wait on hosts.",
        env=("CORRAL_RAY_ACTOR_CPUS",), ini=(("ray_executor", "actor_cpus"),)),
    "namespace": Option(
        "namespace", type="str", default="corral",
        description="The Ray namespace the run's actors are made in.",
        env=("CORRAL_RAY_NAMESPACE",), ini=(("ray_executor", "namespace"),)),
    "runtime_env": Option(
        "runtime_env", type="dict", default=None,
        description="Ray runtime environment of the actors (a JSON or YAML mapping: pip, py_modules, "
                    "env_vars, working_dir...), e.g. to install corral's distributions on the nodes.",
        env=("CORRAL_RAY_RUNTIME_ENV",), ini=(("ray_executor", "runtime_env"),)),
    "connect_timeout": Option(
        "connect_timeout", type="float", default=30.0,
        description="Seconds to wait for the Ray cluster to answer before the run fails.",
        env=("CORRAL_RAY_CONNECT_TIMEOUT",), ini=(("ray_executor", "connect_timeout"),)),
    "start_timeout": Option(
        "start_timeout", type="float", default=120.0,
        description="Seconds to wait for the actors to start (Ray starts a worker process for each, and "
                    "first builds the runtime_env on a node that lacks it) before the run fails.",
        env=("CORRAL_RAY_START_TIMEOUT",), ini=(("ray_executor", "start_timeout"),)),
}
