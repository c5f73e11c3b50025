import os
import subprocess
import sys


def launch(global_rank_mapping, local_node, num_local_procs, script):
    processes = []
    for local_proc in range(0, num_local_procs):
        dist_rank = global_rank_mapping[local_node][local_proc]
        local_rank = dist_rank % num_local_procs
        env = dict(os.environ)
        env["RANK"] = str(dist_rank)
        env["LOCAL_RANK"] = str(local_rank)
        processes.append(subprocess.Popen([sys.executable, "-u", script], env=env))
    return processes
