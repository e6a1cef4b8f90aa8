"""Write a full-size GPT-2 checkpoint offline: the real gpt2 config, random weights, a 50257-entry
byte-level BPE tokenizer trained here.

    <venv>/bin/python bench/gpt2/make_checkpoint.py OUT_DIR [--size medium --tokenizer-from DIR]

Runs in a venv with torch, transformers and tokenizers. The weights are what transformers'
`GPT2LMHeadModel(GPT2Config())` initialises (124M parameters, gpt2's shapes), saved with
`save_pretrained`, so speed is that of the real model; the text it writes is noise. The tokenizer
is trained the way tests/fixtures/make_tiny_gpt2.py trains its small one, on the Python sources
of the venv's own packages (plenty of distinct text for 50,000 merges, and no network).

--size medium writes gpt2-medium's shapes instead (355M parameters: 24 layers, width 1024, 16
heads); --tokenizer-from copies an already trained tokenizer's files instead of training again.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

SPECIAL = "<|endoftext|>"
VOCAB_SIZE = 50257  # gpt2's: 256 byte symbols + 50,000 merges + <|endoftext|>
CORPUS_BYTES = 40_000_000
# The shapes that differ from GPT2Config's defaults (which are gpt2's own), per size.
SIZES: dict[str, dict[str, int]] = {
    "base": {},
    "medium": {"n_embd": 1024, "n_layer": 24, "n_head": 16},
}
TOKENIZER_FILES = (
    "tokenizer.json",
    "vocab.json",
    "merges.txt",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


def corpus() -> Iterator[str]:
    """Source files of the installed packages, in a fixed order, up to CORPUS_BYTES."""
    import transformers

    site = Path(transformers.__file__).resolve().parents[1]
    total = 0
    for path in sorted(site.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="ignore")
        total += len(text)
        yield text
        if total >= CORPUS_BYTES:
            return


def write_tokenizer(out: Path) -> tuple[int, int]:
    from tokenizers import ByteLevelBPETokenizer
    from transformers import AutoTokenizer, GPT2Tokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        corpus(), vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=[SPECIAL]
    )
    with tempfile.TemporaryDirectory() as raw:
        bpe.save_model(raw)
        GPT2Tokenizer.from_pretrained(raw).save_pretrained(str(out))
    loaded = AutoTokenizer.from_pretrained(str(out))
    return len(loaded), int(loaded.eos_token_id)


def copy_tokenizer(source: Path, out: Path) -> tuple[int, int]:
    from transformers import AutoTokenizer

    for name in TOKENIZER_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, out / name)
    loaded = AutoTokenizer.from_pretrained(str(out))
    return len(loaded), int(loaded.eos_token_id)


def write_model(out: Path, vocab_size: int, eos_id: int, size: str) -> None:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    shapes = SIZES[size]
    config = GPT2Config(vocab_size=vocab_size, bos_token_id=eos_id, eos_token_id=eos_id, **shapes)
    GPT2LMHeadModel(config).eval().save_pretrained(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", choices=tuple(SIZES), default="base")
    parser.add_argument("--tokenizer-from", type=Path, help="a folder with a trained tokenizer")
    args = parser.parse_args()
    out = args.out.absolute()
    out.mkdir(parents=True, exist_ok=True)
    if args.tokenizer_from:
        vocab_size, eos_id = copy_tokenizer(args.tokenizer_from, out)
    else:
        vocab_size, eos_id = write_tokenizer(out)
    if vocab_size != VOCAB_SIZE:
        raise SystemExit(f"the tokenizer has {vocab_size} entries, not {VOCAB_SIZE}")
    write_model(out, vocab_size, eos_id, args.size)
    print(json.dumps({"out": str(out), "vocabSize": vocab_size, "eosId": eos_id}))


if __name__ == "__main__":
    main()
