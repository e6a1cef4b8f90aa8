"""Sanity check: which devices JAX sees, and a dot product of two length-32 ones vectors."""

from __future__ import annotations

from _emit import Clock, device_info, is_tt, progress, result

EXPECTED = 32.0


def main() -> None:
    clock = Clock()
    progress(1, 3, "Import JAX")
    import jax
    import jax.numpy as jnp

    import_s = clock.lap()
    progress(2, 3, "List devices")
    devices = jax.devices()
    print(f"JAX {jax.__version__} sees {len(devices)} device(s): {devices}")

    progress(3, 3, "Compute jnp.dot")
    x = jnp.ones(32, dtype=jnp.float32)
    y = jnp.ones(32, dtype=jnp.float32)
    value = jnp.dot(x, y)
    value.block_until_ready()
    compute_s = clock.lap()
    (ran_on,) = value.devices()
    print(f"jnp.dot(ones(32), ones(32)) = {float(value)} on {ran_on}")

    result(
        {
            "kind": "sanity",
            "devices": [device_info(d) for d in devices],
            "platform": ran_on.platform,
            "resultDevice": str(ran_on),
            "value": float(value),
            "expected": EXPECTED,
            "ok": float(value) == EXPECTED,
            "ttDevice": is_tt(ran_on.platform),
            "jaxVersion": jax.__version__,
            "timings": {"importS": import_s, "computeS": compute_s},
        }
    )


if __name__ == "__main__":
    main()
