"""A corpus on a Dask cluster: its shards (``marginalia analyze --shard K/N``) run as Dask tasks, one per shard,
then merged (``marginalia merge``) into the tables one run writes, byte for byte.

Every worker must see the inputs and the output's folder at the same paths as the client (one machine, or a
shared file system), and have this package installed.

>>> from dask.distributed import Client, LocalCluster
>>> import marginalia.dask
>>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
...     result = marginalia.dask.analyze(["corpus/"], out="results", client=client)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Iterable, Optional, Union

import marginalia

__all__ = ["analyze"]


def _shard(paths: list[str], out: str, shard: tuple[int, int], options: dict) -> tuple[str, list[str]]:
    """One shard's run, on a worker: its folder, and its warnings (skipped inputs and the like), returned for the
    caller to raise rather than left in the worker's log. (Not caught with ``warnings.catch_warnings``, which is
    not thread-safe: a worker runs a shard on each of its threads.)"""
    _stdout, messages = marginalia._command(marginalia._analyze_command(paths, out, {**options, "shard": shard}))
    return out, messages


def analyze(
    paths: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]],
    out: Union[str, os.PathLike] = "output",
    shards: Optional[int] = None,
    client=None,
    **options,
) -> marginalia.Result:
    """Analyses ``paths`` as ``marginalia.analyze(paths, out=out, **options)`` does, in ``shards`` parts run as
    tasks on the Dask cluster of ``client`` (by default the current client), then merges them into ``out``. The
    shards' folders are made beside ``out`` and removed once merged.

    Dask's threads are the parallelism: each shard runs on one thread unless ``threads=`` says otherwise, and
    ``shards`` defaults to twice the cluster's threads, so that a worker that finishes a short shard early takes
    another (the documents are cut by count, not by size, and a corpus's documents seldom weigh the same)."""
    from dask.distributed import get_client

    client = client if client is not None else get_client()
    if shards is None:
        threads = sum(worker["nthreads"] for worker in client.scheduler_info()["workers"].values())
        shards = 2 * max(1, threads)
    options.setdefault("threads", 1)
    if "shard" in options:
        raise TypeError("marginalia.dask.analyze makes the shards itself: give shards=N, not shard=")
    single = isinstance(paths, (str, os.PathLike))
    paths = [os.path.abspath(p) for p in ([paths] if single else paths)]
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-shards-", dir=out.parent))
    folders = [str(staging / f"{k}-of-{shards}") for k in range(1, shards + 1)]
    futures = [
        client.submit(_shard, paths, folder, (k, shards), options, pure=False)
        for k, folder in enumerate(folders, start=1)
    ]
    try:
        done = client.gather(futures)
        for _folder, messages in done:
            for message in messages:
                warnings.warn(message, stacklevel=2)
        return marginalia.merge([folder for folder, _messages in done], out=out)
    finally:
        # Interrupted or failed, the shards still running are stopped; their folders go either way.
        client.cancel(futures)
        shutil.rmtree(staging, ignore_errors=True)
