"""Write a full-size GPT-2 checkpoint offline: the real gpt2 config, random weights, a 50257-entry
byte-level BPE tokenizer trained here.

    <venv>/bin/python bench/gpt2/make_checkpoint.py OUT_DIR

Runs in a venv with torch, transformers and tokenizers. The weights are what transformers'
`GPT2LMHeadModel(GPT2Config())` initialises (124M parameters, gpt2's shapes), saved with
`save_pretrained`, so speed is that of the real model; the text it writes is noise. The tokenizer
is trained the way tests/fixtures/make_tiny_gpt2.py trains its small one, on the Python sources
of the venv's own packages (plenty of distinct text for 50,000 merges, and no network).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

SPECIAL = "<|endoftext|>"
VOCAB_SIZE = 50257  # gpt2's: 256 byte symbols + 50,000 merges + <|endoftext|>
CORPUS_BYTES = 40_000_000


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


def write_model(out: Path, vocab_size: int, eos_id: int) -> None:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=vocab_size, bos_token_id=eos_id, eos_token_id=eos_id)
    GPT2LMHeadModel(config).eval().save_pretrained(str(out))


def main() -> None:
    out = Path(sys.argv[1]).absolute()
    out.mkdir(parents=True, exist_ok=True)
    vocab_size, eos_id = write_tokenizer(out)
    if vocab_size != VOCAB_SIZE:
        raise SystemExit(f"trained a {vocab_size}-entry tokenizer, not {VOCAB_SIZE}")
    write_model(out, vocab_size, eos_id)
    print(json.dumps({"out": str(out), "vocabSize": vocab_size, "eosId": eos_id}))


if __name__ == "__main__":
    main()
