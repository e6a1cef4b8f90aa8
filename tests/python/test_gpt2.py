"""GPT-2 demo: our Flax NNX model against transformers' PyTorch GPT-2, and the demo end to end.

The checkpoints are tiny random GPT-2s written by transformers itself (tests/fixtures/
make_tiny_gpt2.py). JAX and torch only ever run inside the CPU venv's interpreter: this test
process is the backend's own environment, which has neither.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tt_lessons.protocol import DemoParams, DemoResult
from tt_lessons.routes import demo as demo_route

from .conftest import REPO, json_lines, run_cli, run_json, venv_python

pytestmark = pytest.mark.slow

FIXTURES = REPO / "tests" / "fixtures"
PROMPT = "The capital of France is"
IDS = [5, 17, 100, 3, 250, 7, 8, 9, 396, 0]


@pytest.fixture(scope="session")
def reference(torch_venv: Path, checkpoints: dict[str, Path]) -> dict[str, Any]:
    script = str(FIXTURES / "gpt2_reference.py")
    folder = str(checkpoints["prefixed"])
    return run_json(venv_python(torch_venv), script, folder, PROMPT, json.dumps(IDS), "6")


def flax_logits(venv: Path, folder: Path, weights: str = "float32") -> dict[str, Any]:
    script = str(FIXTURES / "gpt2_flax_logits.py")
    return run_json(venv_python(venv), script, str(folder), json.dumps(IDS), weights)


def max_abs_diff(a: list[list[float]], b: list[list[float]]) -> float:
    assert len(a) == len(b) and all(len(x) == len(y) for x, y in zip(a, b, strict=True))
    return max(abs(x - y) for ra, rb in zip(a, b, strict=True) for x, y in zip(ra, rb, strict=True))


@pytest.mark.parametrize("variant", ["prefixed", "bare"])
def test_flax_logits_match_pytorch(
    jax_venv: Path, checkpoints: dict[str, Path], reference: dict[str, Any], variant: str
) -> None:
    ours = flax_logits(jax_venv, checkpoints[variant])
    assert "error" not in ours, ours
    expected = reference["logits"]
    # The fixture spreads its weights out so that a wrong layer would move logits far more
    # than the tolerance; make sure that stays true.
    assert max(abs(x) for row in expected for x in row) > 1.0
    assert max_abs_diff(ours["logits"], expected) < 1e-4


# bfloat16 keeps 8 significant bits per weight (a relative rounding error up to 2**-9). On the
# tiny fixture's logits (magnitude > 1) that moves each logit by a few hundredths; the bound below
# is a tenth of the logits' spread, tight enough that a wrong layer or a weight left out fails.
BF16_LOGIT_TOLERANCE = 0.1


def test_bfloat16_weights_stay_close_to_pytorch(
    jax_venv: Path, checkpoints: dict[str, Path], reference: dict[str, Any]
) -> None:
    exact = flax_logits(jax_venv, checkpoints["prefixed"])
    ours = flax_logits(jax_venv, checkpoints["prefixed"], "bfloat16")
    assert "error" not in ours, ours
    expected = reference["logits"]
    error = max_abs_diff(ours["logits"], expected)
    assert error < BF16_LOGIT_TOLERANCE
    # Really rounded (not float32 again): further from PyTorch than the float32 model.
    assert error > 10 * max_abs_diff(exact["logits"], expected)
    # The likeliest next token is the same at every position.
    for mine, theirs in zip(ours["logits"], expected, strict=True):
        assert mine.index(max(mine)) == theirs.index(max(theirs))


def test_a_missing_tensor_is_an_error_not_random_weights(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(checkpoints["bare"], folder)
    drop = (
        "import sys; from safetensors.numpy import load_file, save_file; p = sys.argv[1];"
        " t = load_file(p); del t['h.1.mlp.c_fc.bias']; save_file(t, p)"
    )
    subprocess.run(
        [venv_python(cpu_venv), "-c", drop, str(folder / "model.safetensors")], check=True
    )
    ours = flax_logits(cpu_venv, folder)
    assert "h.1.mlp.c_fc.bias" in ours.get("error", ""), ours


def events(stdout: str, kind: str) -> list[dict[str, Any]]:
    found = []
    for line in json_lines(stdout):
        event = line.get("event")
        if isinstance(event, dict) and event.get("kind") == kind:
            found.append(event)
    return found


def outcome(stdout: str) -> dict[str, Any]:
    last = json_lines(stdout)[-1]
    assert "event" not in last, last
    return last


def demo(venv: Path, model: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    done = run_cli("demo", "--venv", str(venv), "--model", model, "--json", *extra, env=env)
    out = outcome(done.stdout)
    out["stdout"] = done.stdout
    out["returncode"] = done.returncode
    return out


def test_demo_predicts_streams_and_reuses_the_compile_cache(
    jax_venv: Path, checkpoints: dict[str, Path], reference: dict[str, Any], tmp_path: Path
) -> None:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home")}
    folder = str(checkpoints["prefixed"])
    first = demo(jax_venv, folder, env, "--generate", "3", "--prompt", PROMPT, "--top-k", "4")
    assert first["returncode"] == 0, first["stdout"][-3000:]
    result = first["result"]
    tokens = events(first["stdout"], "token")
    assert [t["index"] for t in tokens] == [0, 1, 2]
    # Greedy generation agrees with transformers' PyTorch model token for token.
    for ours, theirs in zip(tokens, reference["next"][:3], strict=True):
        assert ours["tokenId"] == theirs["tokenId"]
        assert abs(ours["probability"] - theirs["probability"]) < 1e-4
    assert result["kind"] == "gpt2" and result["prompt"] == PROMPT
    assert result["modelSource"] == folder
    assert result["nextToken"] == tokens[0]["token"]
    assert result["probability"] == pytest.approx(tokens[0]["probability"])
    top = result["topK"]
    assert len(top) == 4 and top[0]["tokenId"] == tokens[0]["tokenId"]
    assert [t["probability"] for t in top] == sorted((t["probability"] for t in top), reverse=True)
    assert result["generated"] and result["platform"] == "cpu" and result["ttDevice"] is False
    assert result["cacheHit"] is False
    timings = result["timings"]
    assert timings["tokensPerS"] > 0 and timings["compileS"] >= 0 and timings["loadS"] > 0
    assert any((tmp_path / "home" / "jax-compile-cache").iterdir())

    second = demo(jax_venv, folder, env, "--generate", "3", "--prompt", PROMPT, "--top-k", "4")
    assert second["returncode"] == 0, second["stdout"][-3000:]
    assert second["result"]["cacheHit"] is True
    assert second["result"]["topK"] == top


@pytest.mark.parametrize(
    "network",
    [
        {"HF_HUB_OFFLINE": "1"},  # told to stay offline
        {"HF_ENDPOINT": "http://127.0.0.1:9"},  # a real connection failure: nothing listens there
    ],
    ids=["offline", "connection-refused"],
)
def test_hub_unreachable_without_a_cached_model(
    cpu_venv: Path, tmp_path: Path, network: dict[str, str]
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HF_")},
        **network,
        "HF_HOME": str(tmp_path / "hf"),
        "TT_LESSONS_HOME": str(tmp_path / "home"),
    }
    out = demo(cpu_venv, "gpt2", env)
    assert out["returncode"] == 1 and out["status"] == "failed"
    error = out["error"]
    assert error["code"] == "hub-unreachable"
    assert "not reachable" in error["message"] and "openai-community/gpt2" in error["message"]
    fixes = " ".join(error["fixes"])
    assert "tenstorrent.ttXla.modelPath" in fixes and "--model /path/to/folder" in fixes
    assert not events(out["stdout"], "result")
    # One line of our own, not Hugging Face's paragraph, and buttons that lead somewhere.
    assert "\n" not in error["message"] and "(" not in error["message"]
    assert [a["label"] for a in error["actions"]] == ["Choose a Model Folder…", "Open the Setting"]
    assert error["actions"][1]["args"] == {"query": "tenstorrent.ttXla.modelPath"}
    # transformers' "PyTorch was not found" advisory does not reach the log of a JAX demo.
    assert "PyTorch was not found" not in out["stdout"]


def test_hub_id_served_from_the_local_hub_cache(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """A model already in the hub cache (HF_HOME) runs offline through snapshot_download."""
    revision = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hf" / "hub" / "models--openai-community--gpt2"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)
    shutil.copytree(checkpoints["bare"], repo / "snapshots" / revision)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "TT_LESSONS_HOME": str(tmp_path / "home"),
    }
    out = demo(cpu_venv, "gpt2", env, "--prompt", PROMPT)
    assert out["returncode"] == 0, out["stdout"][-3000:]
    assert out["result"]["model"] == "gpt2"
    assert out["result"]["modelSource"] == str(repo / "snapshots" / revision)


# ------------------------------------------------------------------ generation with a KV cache

CHECK = str(FIXTURES / "gpt2_generate_check.py")
WORKLOAD = REPO / "python_backend" / "tt_lessons" / "workloads" / "gpt2_demo.py"


def test_cached_decode_matches_full_recompute_and_pytorch(
    jax_venv: Path, checkpoints: dict[str, Path], reference: dict[str, Any]
) -> None:
    """Prefill + decode steps over the KV cache give the logits of recomputing everything."""
    steps = len(reference["next"])
    ids = json.dumps(reference["promptIds"])
    out = run_json(
        venv_python(jax_venv), CHECK, "greedy", str(checkpoints["prefixed"]), ids, str(steps)
    )
    cached, full = out["cached"], out["full"]
    theirs = [step["tokenId"] for step in reference["next"]]
    assert cached["tokens"] == full["tokens"] == theirs
    assert max_abs_diff(cached["logits"], full["logits"]) < 1e-4
    assert max_abs_diff(cached["logits"], [step["logits"] for step in reference["next"]]) < 1e-4


def run_workload(venv: Path, folder: Path, cache: Path, **fields: Any) -> dict[str, Any]:
    """gpt2_demo.py run directly with the argv the backend gives it for these DemoParams."""
    args = demo_route._args(DemoParams(model=str(folder), **fields))
    args[args.index("--cache-dir") + 1] = str(cache)
    argv = [venv_python(venv), str(WORKLOAD), *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = json_lines(done.stdout)
    tokens = [line["tokenId"] for line in lines if line.get("kind") == "token"]
    (res,) = [line["result"] for line in lines if line.get("kind") == "result"]
    assert isinstance(res, dict)
    return {"tokens": tokens, "result": res, "stdout": done.stdout}


def test_seeded_sampling_is_reproducible(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    folder, cache = checkpoints["prefixed"], tmp_path / "cache"
    sampled: dict[str, Any] = {"generate": 8, "temperature": 1.5, "top_p": 0.95}
    first = run_workload(cpu_venv, folder, cache, **sampled, stop_at_eos=False, seed=7)
    again = run_workload(cpu_venv, folder, cache, **sampled, stop_at_eos=False, seed=7)
    other = run_workload(cpu_venv, folder, cache, **sampled, stop_at_eos=False, seed=8)
    greedy = run_workload(cpu_venv, folder, cache, generate=8, stop_at_eos=False)
    assert len(first["tokens"]) == 8 and first["tokens"] == again["tokens"]
    # A different seed, or no sampling at all, picks other tokens somewhere in 8 steps.
    assert other["tokens"] != first["tokens"]
    assert greedy["tokens"] != first["tokens"]
    # The settings are data to the compiled programs: the later runs compiled nothing new.
    assert again["result"]["cacheHit"] and other["result"]["cacheHit"]
    assert greedy["result"]["cacheHit"]
    timings = first["result"]["timings"]
    assert timings["prefillS"] > 0 and timings["decodeTokensPerS"] > 0
    assert first["result"]["stopReason"] == "length"
    # The result says how it sampled, so the run can be read (and repeated) as it was.
    settings = {"temperature": 1.5, "topK": 0, "topP": 0.95, "seed": 7}
    assert first["result"]["sampling"] == settings
    assert greedy["result"]["sampling"] is None
    assert DemoResult.model_validate(first["result"]).sampling is not None


def test_generation_stops_at_end_of_text(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """A checkpoint whose every next token is <|endoftext|>: nothing is generated past it."""
    folder = tmp_path / "eos"
    shutil.copytree(checkpoints["bare"], folder)
    # Final LayerNorm outputs a constant: a large multiple of the end-of-text embedding, so the
    # tied head scores end-of-text far above every other token at every position.
    force = (
        "import sys, json; from safetensors.numpy import load_file, save_file;"
        " p = sys.argv[1] + '/model.safetensors'; t = load_file(p);"
        " eos = json.load(open(sys.argv[1] + '/config.json'))['eos_token_id'];"
        " t['ln_f.weight'][:] = 0; t['wte.weight'][eos] *= 10;"
        " t['ln_f.bias'][:] = t['wte.weight'][eos]; save_file(t, p)"
    )
    subprocess.run([venv_python(cpu_venv), "-c", force, str(folder)], check=True)
    cache = tmp_path / "cache"
    stopped = run_workload(cpu_venv, folder, cache, generate=4)
    assert stopped["tokens"] == [] and stopped["result"]["stopReason"] == "end-of-text"
    assert stopped["result"]["nextToken"] == "<|endoftext|>"
    kept_going = run_workload(cpu_venv, folder, cache, generate=4, stop_at_eos=False)
    assert len(kept_going["tokens"]) == 4 and kept_going["result"]["stopReason"] == "length"


def test_a_prompt_longer_than_the_context_keeps_its_last_tokens(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """The tiny model holds 64 positions; 3 new tokens leave room for the prompt's last 62."""
    prompt = " ".join(["The capital of France is Paris."] * 20)
    out = run_workload(
        cpu_venv,
        checkpoints["prefixed"],
        tmp_path / "cache",
        prompt=prompt,
        generate=3,
        stop_at_eos=False,
    )
    assert "keeping the last 62" in out["stdout"]
    assert out["result"]["promptTokens"] == 62 and len(out["tokens"]) == 3


@pytest.mark.parametrize(
    "sampling",
    [
        {"temperature": 0.0, "topK": 0, "topP": 1.0, "seed": 0},
        {"temperature": 1.5, "topK": 0, "topP": 0.95, "seed": 7},
    ],
    ids=["greedy", "sampled"],
)
def test_chunked_decode_matches_one_call_per_token(
    jax_venv: Path, checkpoints: dict[str, Path], sampling: dict[str, Any]
) -> None:
    """Generator.stream feeds each token back on the device, several per call: the same tokens
    and probabilities as one call per token, in a few calls, and it ends at end-of-text."""
    steps = 20
    out = run_json(
        venv_python(jax_venv),
        CHECK,
        "stream",
        str(checkpoints["prefixed"]),
        json.dumps(IDS),
        str(steps),
        json.dumps(sampling),
    )
    per_token, streamed, stopped = out["perToken"], out["streamed"], out["eosStop"]
    assert len(per_token["tokens"]) == steps and streamed["tokens"] == per_token["tokens"]
    assert max_abs_diff([streamed["probs"]], [per_token["probs"]]) < 1e-6
    # 19 tokens after the prefill's: one call each, against chunks of 2, 4, 8 and the rest.
    assert per_token["calls"] == steps - 1 and streamed["calls"] <= 5
    eos = per_token["tokens"][4]
    cut = 0 if per_token["tokens"][0] == eos else per_token["tokens"].index(eos, 1)
    assert stopped["tokens"] == per_token["tokens"][: cut + 1]


def test_the_output_head_reads_the_token_table_in_place(
    jax_venv: Path, checkpoints: dict[str, Path]
) -> None:
    """x @ table.T made XLA CPU write the whole table transposed on every decode call (154 MB
    per token for GPT-2); the head is written so that the compiled program never does."""
    out = run_json(venv_python(jax_venv), CHECK, "table-copies", str(checkpoints["prefixed"]))
    assert out["copies"] == []


def test_the_demo_benchmarks_compile_split_runs_the_demos_prefill(
    cpu_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """bench/demo/compile_split.py times the demo's own prefill program; the second run's
    compile is served by the persistent cache the demo fills."""
    from tt_lessons.workload_specs import WORKLOADS_DIR

    script = REPO / "bench" / "demo" / "compile_split.py"
    argv = [venv_python(cpu_venv), str(script), str(WORKLOADS_DIR)]
    argv += [str(checkpoints["prefixed"]), str(tmp_path / "cache")]
    first, second = run_json(*argv), run_json(*argv)
    assert first["misses"] >= 1 and first["hits"] == 0
    assert second["hits"] >= 1 and second["misses"] == 0
    assert min(first["traceLowerS"], first["compileS"]) > 0
