"""Where the GPT-2 demo's weights come from: a local folder, or the Hugging Face hub's cache.

A hub id is fetched with `huggingface_hub.snapshot_download`, which reuses the local hub cache
(HF_HOME) and only asks the network for what is missing. When the hub cannot be reached and the
files are not cached, the demo stops with a `hub-unreachable` error that says how to point it at
a folder instead; it never invents weights.
"""

from __future__ import annotations

import os
from pathlib import Path

# Short names the lesson offers -> their repositories on the hub.
VARIANTS = {
    "gpt2": "openai-community/gpt2",
    "gpt2-medium": "openai-community/gpt2-medium",
    "gpt2-large": "openai-community/gpt2-large",
    "gpt2-xl": "openai-community/gpt2-xl",
}
# Only what the demo reads: config, weights and the tokenizer, not the TF/ONNX/Rust copies.
ALLOW_PATTERNS = [
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.json",
    "merges.txt",
    "special_tokens_map.json",
]
REQUIRED = ("config.json", "model.safetensors")
FOLDER_FIXES = [
    "Put a GPT-2 checkpoint in a folder (config.json, model.safetensors, tokenizer files) and "
    "set the tenstorrent.ttXla.modelPath setting to that folder.",
    "From a terminal: tt-lessons demo --model /path/to/folder",
]


def hub_fixes(repo_id: str) -> list[str]:
    return [
        *FOLDER_FIXES,
        f"Or fetch it once where huggingface.co is reachable (`hf download {repo_id}`) and "
        "copy that folder, or the whole hub cache (HF_HOME), to this machine.",
    ]


class SourceError(Exception):
    """Why no checkpoint folder could be found; `code` is a protocol ErrorCode value."""

    def __init__(self, code: str, message: str, fixes: list[str]) -> None:
        super().__init__(message)
        self.code, self.message, self.fixes = code, message, fixes


def looks_like_path(model: str) -> bool:
    return os.sep in model or model.startswith((".", "~")) or Path(model).is_dir()


def check_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise SourceError("bad-input", f"Model folder {folder} does not exist.", FOLDER_FIXES)
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise SourceError(
            "bad-input",
            f"Model folder {folder} has no {' or '.join(missing)}; a GPT-2 checkpoint in the "
            "Hugging Face format (safetensors) is needed.",
            FOLDER_FIXES,
        )
    return folder


def from_hub(repo_id: str, local_only: bool = False) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = Path(
            snapshot_download(repo_id, allow_patterns=ALLOW_PATTERNS, local_files_only=local_only)
        )
    except LocalEntryNotFoundError as exc:
        # Raised both offline (HF_HUB_OFFLINE=1) and when the connection fails, once the local
        # cache turned out not to hold the files either.
        # One line: Hugging Face's own text (a paragraph on offline mode) would bury the point.
        raise SourceError(
            "hub-unreachable",
            f"The Hugging Face hub is not reachable and {repo_id} is not in the local cache.",
            hub_fixes(repo_id),
        ) from exc
    except Exception as exc:  # HTTP errors, auth, disk: the same way out applies
        raise SourceError(
            "hub-unreachable",
            f"Could not download {repo_id} from the Hugging Face hub: {first_line(exc)}",
            hub_fixes(repo_id),
        ) from exc
    return check_folder(folder)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[-1][:300]


def resolve(model: str, local_only: bool = False) -> Path:
    """A folder holding config.json + model.safetensors (+ tokenizer files) for `model`.

    `local_only`: never ask the hub (a standby preparing ahead works from the cache alone)."""
    if model in VARIANTS:
        return from_hub(VARIANTS[model], local_only)
    if model in VARIANTS.values():
        return from_hub(model, local_only)
    if looks_like_path(model):
        return check_folder(Path(model).expanduser().absolute())
    raise SourceError(
        "bad-input",
        f"{model!r} is neither a GPT-2 variant ({', '.join(VARIANTS)}) nor a model folder.",
        FOLDER_FIXES,
    )
