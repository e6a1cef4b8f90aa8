"""bench_gpt2.py's rows: raw runs -> metrics with their targets, and the profile's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlib import BenchResult, Metric

# The targets, through the product, on both stacks.
VS_TORCH = 1.1  # x PyTorch generate's tokens/s
OF_BOUND = 65.0  # % of the memory-bandwidth bound
STEP_GROWTH = 1.5  # decode step after the long prompt / after 5 tokens
WARM_FIRST_TOKEN_S = 0.5  # request -> first token event, warm


def add_torch_rows(
    bench: BenchResult, runs: dict[str, list[dict[str, Any]]], new: int, bound: float
) -> list[float]:
    """PyTorch's rows; returns its figure per repetition (the faster of 2 threads and 1)."""
    two = [new / r["total_s"] for r in runs["torch_2"]]
    one = [new / r["total_s"] for r in runs["torch_1"]]
    best = [max(a, b) for a, b in zip(two, one, strict=True)]
    bench.add(Metric("memory-bandwidth bound", "tokens/s", [bound]))
    bench.add(Metric(f"PyTorch generate, 2 threads, {new} tokens after 5", "tokens/s", two))
    bench.add(Metric(f"PyTorch generate, 1 thread, {new} tokens after 5", "tokens/s", one))
    bench.add(
        Metric(
            "PyTorch generate, 2 threads / 1 thread",
            "x",
            [a / b for a, b in zip(two, one, strict=True)],
        )
    )
    bench.add(Metric("PyTorch generate (faster of the two)", "tokens/s", best))
    bench.add(Metric("PyTorch, share of the bound", "%", [100 * x / bound for x in best]))
    return best


def add_product_rows(
    bench: BenchResult,
    runs: dict[str, list[dict[str, Any]]],
    stack: str,
    label: str,
    new: int,
    long: int,
    bound: float,
    torch_best: list[float],
) -> None:
    short, longer = runs[f"product_{stack}_5"], runs[f"product_{stack}_long"]
    rate = [r["tokensPerS"] for r in short]
    bench.add(Metric(f"{label}, through the product: {new} tokens after 5", "tokens/s", rate))
    ratio = [a / b for a, b in zip(rate, torch_best, strict=True)]
    bench.add(
        Metric(f"{label}, through the product / PyTorch", "x", ratio, f">= {VS_TORCH}x"),
        lambda v: v >= VS_TORCH,
    )
    bench.add(
        Metric(
            f"{label}, through the product, share of the bound",
            "%",
            [100 * x / bound for x in rate],
            f">= {OF_BOUND:.0f}%",
        ),
        lambda v: v >= OF_BOUND,
    )
    step_short = [1000 / r["decodeTokensPerS"] for r in short]
    step_long = [1000 / r["decodeTokensPerS"] for r in longer]
    bench.add(Metric(f"{label}, decode step after 5", "ms", step_short))
    bench.add(Metric(f"{label}, decode step after {long}", "ms", step_long))
    growth = [b / a for a, b in zip(step_short, step_long, strict=True)]
    bench.add(
        Metric(f"{label}, decode step growth, {long} vs 5", "x", growth, f"< {STEP_GROWTH}x"),
        lambda v: v < STEP_GROWTH,
    )
    again = runs[f"product_{stack}_again"]
    first = [r["firstTokenS"] for r in again]
    bench.add(
        Metric(
            f"{label}, warm run (the same click again): request to first token",
            "s",
            first,
            f"< {WARM_FIRST_TOKEN_S} s",
        ),
        lambda v: v < WARM_FIRST_TOKEN_S,
    )
    # What the first token waits for in a warm run: weights and tokenizer, the programs (both
    # prepared by the standby for a repeated click), the prompt's prefill.
    for key, what in (("loadS", "load"), ("compileS", "compile"), ("prefillS", "prefill")):
        bench.add(Metric(f"{label}, warm run: {what}", "s", [r[key] for r in again]))
    bench.add(
        Metric(
            f"{label}, warm run after a longer prompt: request to first token",
            "s",
            [r["firstTokenS"] for r in short],
        )
    )
    bf16 = [r["tokensPerS"] for r in runs[f"product_{stack}_bf16"]]
    bench.add(Metric(f"{label}, through the product, bfloat16 weights", "tokens/s", bf16))
    inproc = [new / r["total_s"] for r in runs[f"inproc_{stack}"]]
    bench.add(Metric(f"{label}, Generator in one process", "tokens/s", inproc))
    if not all(r["prepared"] for r in again):
        bench.note(f"{label}: not every repeated click found its programs prepared ahead.")
    adopted = [r["ahead"] for rows in (short, longer, again) for r in rows]
    if not all(adopted):
        bench.note(f"{label}: not every measured request adopted the standby interpreter.")


def medium_rows(
    bench: BenchResult,
    products: dict[str, Any],
    folder: Path,
    weight_bytes: int,
    bandwidth: float,
    labels: dict[str, str],
    reps: int,
    new: int,
) -> None:
    """gpt2-medium (355M) through the product on each stack, with its own bound."""
    bound = bandwidth / weight_bytes
    bench.add(Metric("gpt2-medium: memory-bandwidth bound", "tokens/s", [bound]))
    prompt = "The capital of France is"
    for name, product in products.items():
        product.demo(folder, prompt, new, "float32")  # compiles the medium shapes
        rate = [product.demo(folder, prompt, new, "float32")["tokensPerS"] for _ in range(reps)]
        bench.add(Metric(f"gpt2-medium, {labels[name]}, through the product", "tokens/s", rate))
        bench.add(
            Metric(
                f"gpt2-medium, {labels[name]}, share of the bound",
                "%",
                [100 * x / bound for x in rate],
            )
        )
    bench.note(f"gpt2-medium reads {weight_bytes / 1e6:.0f} MB of float32 weights per token.")


def profile_text(label: str, found: dict[str, Any]) -> str:
    lines = [
        f"{label}: one decode step after a 5-token prompt, {found['stepMs']:.1f} ms "
        f"({found['stepCores']:.2f} cores busy); {found['chunkStepMs']:.1f} ms per token when one "
        f"call makes {found['chunk']}"
    ]
    if found["ops"]:
        lines.append("  XLA ops by time per step (jax.profiler trace):")
        lines += [f"    {name:<40} {ms:6.2f} ms" for name, ms in found["ops"].items()]
    else:
        lines.append("  (this XLA emits no per-op trace events; the parts below stand in)")
    lines.append("  weight products timed alone:")
    for name, row in found["parts"].items():
        lines.append(
            f"    {name:<32} {row['ms']:6.2f} ms {row['mb']:5.0f} MB {row['gbps']:5.1f} GB/s"
            f"  {row['cores']:.2f} cores"
        )
    lines.append("  host work per token:")
    lines += [f"    {name:<40} {ms:7.3f} ms" for name, ms in found["host"].items()]
    return "\n".join(lines)
