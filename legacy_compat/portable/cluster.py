"""The legacy container's cluster as data, and the TF_CONFIG it wrote (see ``__init__``).

``legacy_compat.cluster`` starts and ends the processes of a multi-host job from
this layout; a converted script builds the same TF_CONFIG with these functions.
"""

TASK_PORT = 2222
PS_PORT = 2223

# The legacy container's cluster (tf_container trainer.build_tf_config) as data: which of
# the job's hosts, in resourceconfig.json order, run each TensorFlow job and on which
# port. Parameter servers only exist from two hosts on; one host trains without servers.
LEGACY_LAYOUT = (
    {"job": "master", "hosts": "first", "port": TASK_PORT, "min_hosts": 1},
    {"job": "worker", "hosts": "rest", "port": TASK_PORT, "min_hosts": 2},
    {"job": "ps", "hosts": "all", "port": PS_PORT, "min_hosts": 2},
)
# TF_CONFIG's "environment": "cloud" makes TensorFlow start its in-process server.
LEGACY_ENVIRONMENT = "cloud"


def legacy_cluster(hosts, addresses=None):
    """The cluster spec the legacy container built for ``hosts``.

    ``addresses`` (``{host: {"task": "ip:port", "ps": "ip:port"}}``) replaces the
    ``host:2222`` / ``host:2223`` names, for several hosts on one machine.
    """
    hosts = list(hosts)
    cluster = {}
    for row in LEGACY_LAYOUT:
        if len(hosts) < row["min_hosts"]:
            continue
        role = "ps" if row["job"] == "ps" else "task"
        chosen = {"first": hosts[:1], "rest": hosts[1:], "all": hosts}[row["hosts"]]
        cluster[row["job"]] = [
            (addresses or {}).get(host, {}).get(role) or "%s:%d" % (host, row["port"])
            for host in chosen]
    return cluster


def legacy_task(hosts, current_host):
    """This host's task: the master is hosts[0], every other host a worker."""
    hosts = list(hosts)
    if current_host not in hosts:
        raise ValueError("the current host %r is not one of the hosts %s" % (current_host, hosts))
    if current_host == hosts[0]:
        return {"type": "master", "index": 0}
    return {"type": "worker", "index": hosts.index(current_host) - 1}


def legacy_tf_config(hosts, current_host, addresses=None):
    """TF_CONFIG exactly as the legacy container wrote it (plus optional loopback addresses)."""
    return {"cluster": legacy_cluster(hosts, addresses),
            "task": legacy_task(hosts, current_host),
            "environment": LEGACY_ENVIRONMENT}
