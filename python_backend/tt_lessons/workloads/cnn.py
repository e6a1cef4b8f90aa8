"""Train a small Flax NNX CNN on scikit-learn's bundled 8x8 handwritten digits, with optax.

The digits ship inside scikit-learn (`load_digits`), so nothing is downloaded. Each epoch's mean
training loss streams as an `epoch` event; the result reports accuracy on a held-out 20 %.
"""

from __future__ import annotations

import argparse
from typing import Any

from _emit import Clock, emit, is_tt, progress, result

BATCH = 64
LEARNING_RATE = 3e-3
HELD_OUT = 0.2


def load_split(seed: int) -> tuple[Any, Any, Any, Any]:
    """Digits as float32 NHWC images in [0, 1] plus int labels, shuffled then split train/test."""
    import numpy as np
    from sklearn.datasets import load_digits

    digits = load_digits()
    # Pixel values run 0..16 in this dataset.
    images = (digits.images / 16.0).astype(np.float32)[..., None]
    labels = digits.target.astype(np.int32)
    order = np.random.default_rng(seed).permutation(len(labels))
    cut = int(len(labels) * (1 - HELD_OUT))
    train, test = order[:cut], order[cut:]
    return images[train], labels[train], images[test], labels[test]


def build_model(seed: int) -> Any:
    from flax import nnx

    class DigitsCnn(nnx.Module):
        """conv 3x3 (16) -> conv 3x3 (32) -> 2x2 average pool -> dense 64 -> 10 logits."""

        def __init__(self, rngs: nnx.Rngs) -> None:
            self.conv1 = nnx.Conv(1, 16, kernel_size=(3, 3), rngs=rngs)
            self.conv2 = nnx.Conv(16, 32, kernel_size=(3, 3), rngs=rngs)
            self.hidden = nnx.Linear(4 * 4 * 32, 64, rngs=rngs)
            self.logits = nnx.Linear(64, 10, rngs=rngs)

        def __call__(self, x: Any) -> Any:
            x = nnx.relu(self.conv1(x))
            x = nnx.relu(self.conv2(x))
            x = nnx.avg_pool(x, window_shape=(2, 2), strides=(2, 2))
            x = x.reshape(x.shape[0], -1)
            return self.logits(nnx.relu(self.hidden(x)))

    return DigitsCnn(nnx.Rngs(seed))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    return parser


def main() -> None:
    args = build_parser().parse_args()

    clock = Clock()
    progress(1, 3, "Load the 8x8 digits")
    import jax
    import jax.numpy as jnp
    import numpy as np
    import optax
    from flax import nnx

    x_train, y_train, x_test, y_test = load_split(args.seed)
    print(f"{len(y_train)} training and {len(y_test)} held-out images of 8x8 digits")

    model = build_model(args.seed)
    optimizer = nnx.Optimizer(model, optax.adam(LEARNING_RATE), wrt=nnx.Param)

    def loss_fn(model: Any, images: Any, labels: Any) -> Any:
        logits = model(images)
        return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()

    @nnx.jit
    def train_step(model: Any, optimizer: Any, images: Any, labels: Any) -> Any:
        loss, grads = nnx.value_and_grad(loss_fn)(model, images, labels)
        optimizer.update(model, grads)
        return loss

    @nnx.jit
    def predict(model: Any, images: Any) -> Any:
        return jnp.argmax(model(images), axis=-1)

    progress(2, 3, f"Train {args.epochs} epoch(s)")
    rng = np.random.default_rng(args.seed)
    # Whole batches only, so every step has the same shape and compiles once.
    steps = len(y_train) // BATCH
    losses: list[float] = []
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(y_train))
        total = 0.0
        for step in range(steps):
            pick = order[step * BATCH : (step + 1) * BATCH]
            total += float(train_step(model, optimizer, x_train[pick], y_train[pick]))
        loss = round(total / steps, 5)
        losses.append(loss)
        emit("epoch", epoch=epoch, loss=loss)
    train_s = clock.lap()

    progress(3, 3, "Score the held-out images")
    predicted = np.asarray(predict(model, x_test))
    accuracy = float((predicted == y_test).mean())
    platform = jax.devices()[0].platform
    print(f"Held-out accuracy {accuracy:.3f} after {args.epochs} epoch(s) on {platform}")
    result(
        {
            "kind": "cnn",
            "dataset": "sklearn digits (8x8)",
            "epochs": args.epochs,
            "losses": losses,
            "testAccuracy": accuracy,
            "trainS": train_s,
            "platform": platform,
            "ttDevice": is_tt(platform),
        }
    )


if __name__ == "__main__":
    main()
