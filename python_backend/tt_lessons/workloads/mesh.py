"""Shard one matmul over an RxC device mesh (1x2 n300, 1x8 T3K, 8x4 Galaxy, or any shape).

JAX has no "TT mesh" option: a multi-chip layout is a `jax.sharding.Mesh` built over the devices
`jax.devices()` returns. Rows carry data parallelism (the batch is split across them) and columns
tensor parallelism (the weight's output features are split across them). The sharded product is
checked against the same product computed on a single device.
"""

from __future__ import annotations

import argparse
from typing import Any

from _emit import Clock, device_info, error, is_tt, progress, result

AXES = ("data", "model")
# Per-device block of the product: small enough to be instant, big enough to be a real matmul.
ROWS_PER_DEVICE = 4
COLS_PER_DEVICE = 8
INNER = 64


def parse_shape(text: str) -> tuple[int, int]:
    rows, _, cols = text.partition("x")
    return int(rows), int(cols)


def slice_text(index: tuple[slice, ...], shape: tuple[int, ...]) -> str:
    """`(slice(0, 4), slice(None))` on shape (8, 16) -> '[0:4, 0:16]'."""
    parts = []
    for part, size in zip(index, shape, strict=True):
        start, stop, _ = part.indices(size)
        parts.append(f"{start}:{stop}")
    return "[" + ", ".join(parts) + "]"


def too_few_devices(rows: int, cols: int, found: int, platform: str) -> None:
    need = rows * cols
    error(
        "bad-input",
        f"The {rows}x{cols} mesh needs {need} devices, but JAX sees only {found} ({platform}).",
        [
            f"Pick a shape whose rows x cols is at most {found} (for example 1x{found}).",
            "On a CPU-only machine let tt-lessons split the host into devices "
            "(leave force host devices on; drop --no-force-host-devices), or set "
            f"XLA_FLAGS=--xla_force_host_platform_device_count={need} yourself.",
            "On Tenstorrent hardware, check with tt-smi that every chip of the board is visible.",
        ],
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shape", required=True, help="rows x cols, e.g. 1x2, 1x8, 8x4")
    parser.add_argument("--why", required=True, help="how the shape was chosen, printed first")
    return parser


def main() -> None:
    args = build_parser().parse_args()
    if args.why:
        print(args.why)
    rows, cols = parse_shape(args.shape)

    clock = Clock()
    progress(1, 4, "Import JAX")
    import jax
    import jax.numpy as jnp
    import numpy as np
    from jax.sharding import Mesh, NamedSharding
    from jax.sharding import PartitionSpec as P

    devices = jax.devices()
    platform = devices[0].platform
    print(f"JAX {jax.__version__} sees {len(devices)} {platform} device(s)")
    if len(devices) < rows * cols:
        too_few_devices(rows, cols, len(devices), platform)
        raise SystemExit(1)
    timings: dict[str, float] = {"importS": clock.lap()}

    progress(2, 4, f"Build a {rows}x{cols} mesh")
    grid = np.array(devices[: rows * cols]).reshape(rows, cols)
    mesh = Mesh(grid, AXES)
    where = {int(grid[r, c].id): (r, c) for r in range(rows) for c in range(cols)}
    print(f"Mesh axes {AXES}:\n{np.vectorize(lambda d: d.id)(grid)}")

    key_x, key_w = jax.random.split(jax.random.key(0))
    x_host = jax.random.normal(key_x, (rows * ROWS_PER_DEVICE, INNER), jnp.float32)
    w_host = jax.random.normal(key_w, (INNER, cols * COLS_PER_DEVICE), jnp.float32)
    # Batch rows split over "data"; weight columns split over "model"; the inner axis stays whole
    # so each device computes its output block without talking to the others.
    x = jax.device_put(x_host, NamedSharding(mesh, P("data", None)))
    w = jax.device_put(w_host, NamedSharding(mesh, P(None, "model")))
    out_sharding = NamedSharding(mesh, P("data", "model"))
    timings["placeS"] = clock.lap()

    progress(3, 4, "Sharded matmul")
    matmul = jax.jit(jnp.matmul, out_shardings=out_sharding)
    y = matmul(x, w)
    y.block_until_ready()
    timings["shardedS"] = clock.lap()

    progress(4, 4, "Compare with one device")
    # The same product with both operands whole on the first device: the unsharded answer.
    reference = jnp.matmul(jax.device_put(x_host, devices[0]), jax.device_put(w_host, devices[0]))
    max_err = float(jnp.max(jnp.abs(np.asarray(y) - np.asarray(reference))))
    timings["referenceS"] = clock.lap()

    shards: list[dict[str, Any]] = []
    for shard in sorted(y.addressable_shards, key=lambda s: where[int(s.device.id)]):
        row, col = where[int(shard.device.id)]
        text = slice_text(shard.index, y.shape)
        shards.append({"deviceId": int(shard.device.id), "row": row, "col": col, "index": text})
        print(f"device {shard.device.id} (row {row}, col {col}) holds y{text}")
    ok = max_err <= 1e-3 and len(shards) == rows * cols
    print(f"max |sharded - single| = {max_err:.3g} -> {'ok' if ok else 'MISMATCH'}")

    result(
        {
            "kind": "mesh",
            "rows": rows,
            "cols": cols,
            "axisNames": list(AXES),
            "platform": platform,
            "ttDevice": is_tt(platform),
            "devices": [device_info(d) for d in grid.flat],
            "shards": shards,
            "maxAbsError": max_err,
            "ok": ok,
            "timings": timings,
        }
    )


if __name__ == "__main__":
    main()
