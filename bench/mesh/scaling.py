"""Time one sharded matmul over N forced CPU devices; run inside the lesson's venv.

    XLA_FLAGS=--xla_force_host_platform_device_count=N python scaling.py --devices N

Strong scaling: the problem size is fixed and the weight's columns are split over a 1xN mesh
(tensor parallelism, as mesh.py's "model" axis), so each device computes an S x S/N block. The
first call (compile + run) is timed apart from the steady-state calls. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, required=True)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()

    import jax
    import jax.numpy as jnp
    import numpy as np
    from jax.sharding import Mesh, NamedSharding
    from jax.sharding import PartitionSpec as P

    devices = jax.devices()
    if len(devices) < args.devices:
        raise SystemExit(f"JAX sees {len(devices)} devices, not {args.devices}: set XLA_FLAGS")
    mesh = Mesh(np.array(devices[: args.devices]).reshape(1, args.devices), ("data", "model"))
    key_x, key_w = jax.random.split(jax.random.key(0))
    x = jax.device_put(
        jax.random.normal(key_x, (args.size, args.size), jnp.float32),
        NamedSharding(mesh, P(None, None)),
    )
    w = jax.device_put(
        jax.random.normal(key_w, (args.size, args.size), jnp.float32),
        NamedSharding(mesh, P(None, "model")),
    )
    matmul = jax.jit(jnp.matmul, out_shardings=NamedSharding(mesh, P(None, "model")))

    started = time.perf_counter()
    matmul(x, w).block_until_ready()
    first_s = time.perf_counter() - started
    times = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        matmul(x, w).block_until_ready()
        times.append(time.perf_counter() - started)
    print(
        json.dumps({"devices": args.devices, "size": args.size, "firstS": first_s, "times": times})
    )


if __name__ == "__main__":
    main()
