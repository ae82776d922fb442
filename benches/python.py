"""The Python package's speed against the binary (README, Python): run with the package installed.

    python benches/python.py BINARY NOVEL CORPUS [RUNS]

1. `analyze_text` on NOVEL (a ~500 KB novel) against `BINARY analyze NOVEL --charts none --report none`, the
   same tables (the binary's into a folder in /dev/shm, `analyze_text`'s in memory), each the median of RUNS
   runs, alternating: the native run into a folder (`marginalia.analyze`, into /dev/shm), the call, and the call
   with every DataFrame parsed.
2. `marginalia.dask.analyze` on CORPUS with a LocalCluster of two workers of one thread each, against one
   process of one thread (`marginalia.analyze(..., threads=1)`), RUNS runs each, alternating (each Dask run on
   a cluster of its own, the one process with none beside it): the median of each, and the median of the
   ratios of the pairs.
"""

import importlib
import os
import statistics
import warnings
import subprocess
import sys
import tempfile
import time

import marginalia
import marginalia.dask


def timed(work):
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(binary, novel, corpus, runs=5):
    runs = int(runs)
    # The corpus's unclosed quotation marks are warned about on every run: not what is measured here.
    warnings.simplefilter("ignore")
    os.environ["PYTHONWARNINGS"] = "ignore"  # and in Dask's workers
    text = open(novel, encoding="utf-8").read()
    shm = tempfile.mkdtemp(dir="/dev/shm")
    quiet = ["--charts", "none", "--report", "none", "--quiet"]
    silent = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = {"binary": [], "native": [], "analyze_text": [], "+ every table": []}
    for _ in range(runs):
        times["binary"].append(timed(lambda: subprocess.run([binary, "analyze", novel, "--out", shm + "/b", *quiet], **silent)))
        times["native"].append(timed(lambda: marginalia.analyze(novel, out=shm + "/p", charts=False, report="none")))
        times["analyze_text"].append(timed(lambda: marginalia.analyze_text(text, id="novel")))
        times["+ every table"].append(timed(lambda: list(marginalia.analyze_text(text, id="novel").values())))
    for name, values in times.items():
        print(f"{name:>13}: median {statistics.median(values):.3f} s of {[round(v, 3) for v in values]}")
    from dask.distributed import Client, LocalCluster

    # One process and Dask alternate, so that a host slower for a while slows both: the ratio of each pair is
    # what is reported, beside each one's median. The one process runs with no cluster beside it (an idle one
    # takes a tenth of a core), Dask on a cluster started for it, its workers with the package already loaded.
    ones, twos = [], []
    cluster_options = dict(n_workers=2, threads_per_worker=1, dashboard_address=None)
    for _ in range(runs):
        with LocalCluster(**cluster_options) as cluster, Client(cluster) as client:
            client.wait_for_workers(2)
            client.run(importlib.import_module, "marginalia.dask")
            options = dict(client=client, threads=1, charts=False, report="none")
            twos.append(timed(lambda: marginalia.dask.analyze(corpus, out=shm + "/dask", **options)))
        ones.append(timed(lambda: marginalia.analyze(corpus, out=shm + "/one", threads=1, charts=False, report="none")))
    ratios = sorted(one / two for one, two in zip(ones, twos))
    one, two = statistics.median(ones), statistics.median(twos)
    print(f"one process, one thread: {one:.2f} s; dask, two workers: {two:.2f} s; {one / two:.2f}x")
    print(f"pair by pair: median {statistics.median(ratios):.2f}x of {[round(r, 2) for r in ratios]}")
    subprocess.run(["rm", "-rf", shm], check=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
