"""A corpus on a Dask cluster: its shards (``marginalia analyze --shard K/N``) run as Dask tasks, one per shard,
then merged (``marginalia merge``) into the tables one run writes, byte for byte.

Every worker must see the inputs and the output's folder at the same paths as the client (one machine, or a
shared file system), and have this package installed.

>>> from dask.distributed import Client, LocalCluster
>>> import marginalia.dask
>>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
...     result = marginalia.dask.analyze(["corpus/"], out="results", client=client, threads=1)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Optional, Union

import marginalia

__all__ = ["analyze"]


def _shard(paths: list[str], out: str, shard: tuple[int, int], options: dict) -> str:
    """One shard's run, on a worker: its folder."""
    marginalia.analyze(paths, out=out, shard=shard, **options)
    return out


def analyze(
    paths: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]],
    out: Union[str, os.PathLike] = "output",
    shards: Optional[int] = None,
    client=None,
    **options,
) -> marginalia.Result:
    """Analyses ``paths`` as ``marginalia.analyze(paths, out=out, **options)`` does, in ``shards`` parts run as
    tasks on the Dask cluster of ``client`` (by default the current client; ``shards`` defaults to its number
    of workers), then merges them into ``out``. The shards' folders are made beside ``out`` and removed once
    merged. Give ``threads=`` to say how many threads each shard uses (by default every core of its worker)."""
    from dask.distributed import get_client

    client = client if client is not None else get_client()
    if shards is None:
        shards = max(1, len(client.scheduler_info()["workers"]))
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
        return marginalia.merge(done, out=out)
    finally:
        # Interrupted or failed, the shards still running are stopped; their folders go either way.
        client.cancel(futures)
        shutil.rmtree(staging, ignore_errors=True)
