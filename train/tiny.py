"""The `tiny` model: a few-layer Qwen2 built from a config, with a byte-level BPE tokenizer
trained on rulec's own data, one token per digit (as Qwen2.5 splits digits) and the ChatML
chat template. It is saved as an ordinary Hugging Face checkpoint directory, so it goes
through exactly the code path a real checkpoint (``Qwen/Qwen2.5-7B-Instruct``) does.

    from rulec.train.tiny import tiny_model_path
    path = tiny_model_path()           # built once, cached under $RULEC_CACHE
    AutoModelForCausalLM.from_pretrained(path); AutoTokenizer.from_pretrained(path)

No weights or data are downloaded: the tokenizer's corpus is generated in-process from the
task registry and the snippet synthesiser.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

# Qwen2's pre-tokenisation pattern: contractions, letter runs, single digits, punctuation
# runs, newlines, spaces. `\p{N}` alone is what makes every digit its own token.
PRETOKENIZE_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
PAD_TOKEN = "<|endoftext|>"
IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
SPECIAL_TOKENS = [PAD_TOKEN, IM_START, IM_END]

# ChatML, the markup Qwen2.5-Instruct uses (without its default system message, which
# would only cost the tiny model tokens). The assistant turn ends with <|im_end|>, the
# model's end-of-sequence token.
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


@dataclass(frozen=True)
class TinySpec:
    """The tiny model's architecture and tokenizer; its hash names the cache entry."""

    vocab_size: int = 1024
    hidden_size: int = 256
    intermediate_size: int = 512
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    max_position_embeddings: int = 32768
    rope_theta: float = 10000.0
    seed: int = 0
    corpus_lengths: tuple[int, ...] = (1, 2, 3, 5, 8)
    version: int = 1  # bump when the corpus or the recipe changes

    def key(self) -> str:
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


def cache_dir() -> Path:
    """``$RULEC_CACHE``, else ``$XDG_CACHE_HOME/rulec``, else ``~/.cache/rulec``."""
    if os.environ.get("RULEC_CACHE"):
        return Path(os.environ["RULEC_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rulec"


def corpus(spec: TinySpec = TinySpec()) -> Iterator[str]:
    """Text the tokenizer learns from: every task in every format at a few lengths, a few
    synthetic rules, wrapped in the chat markup exactly as training will see it."""
    from rulec.tasks.formats import FORMATS, compiled, render
    from rulec.tasks.registry import all_tasks

    rng = random.Random(spec.seed)
    for task in all_tasks():
        rule = compiled(task)
        for length in spec.corpus_lengths:
            inputs = task.generate(length, rng)
            for fmt in FORMATS:
                prompt, response, _ = render(task, rule, inputs, fmt)
                yield f"{IM_START}user\n{prompt}{IM_END}\n{IM_START}assistant\n{response}{IM_END}\n"


def train_tokenizer(texts: Iterator[str], vocab_size: int):
    """A byte-level BPE with Qwen2's digit-splitting pre-tokeniser, as a fast HF tokenizer."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PRETOKENIZE_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=None,
        eos_token=IM_END,
        pad_token=PAD_TOKEN,
        unk_token=None,
        additional_special_tokens=[IM_START, IM_END],
        model_max_length=TinySpec.max_position_embeddings,
        clean_up_tokenization_spaces=False,
        padding_side="right",
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build_tiny_model(out_dir: str | Path, spec: TinySpec = TinySpec()) -> Path:
    """Train the tokenizer, build the model from a config with seeded random weights, and
    save both to ``out_dir`` (written to a temporary sibling, then renamed into place)."""
    import torch
    from transformers import AutoModelForCausalLM, GenerationConfig, Qwen2Config

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    try:
        tokenizer = train_tokenizer(corpus(spec), spec.vocab_size)
        config = Qwen2Config(
            vocab_size=len(tokenizer),
            hidden_size=spec.hidden_size,
            intermediate_size=spec.intermediate_size,
            num_hidden_layers=spec.num_hidden_layers,
            num_attention_heads=spec.num_attention_heads,
            num_key_value_heads=spec.num_key_value_heads,
            max_position_embeddings=spec.max_position_embeddings,
            rope_theta=spec.rope_theta,
            tie_word_embeddings=True,
            bos_token_id=None,
            eos_token_id=tokenizer.convert_tokens_to_ids(IM_END),
            pad_token_id=tokenizer.convert_tokens_to_ids(PAD_TOKEN),
        )
        torch.manual_seed(spec.seed)
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
        model.generation_config = GenerationConfig(
            eos_token_id=config.eos_token_id, pad_token_id=config.pad_token_id, do_sample=False
        )
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / "rulec_tiny.json").write_text(json.dumps(asdict(spec), indent=1) + "\n")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def tiny_model_path(spec: TinySpec = TinySpec()) -> Path:
    """The cached tiny model for ``spec``, built on first use (safe across processes)."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"tiny-{spec.key()}"
    if (path / "rulec_tiny.json").exists():
        return path
    with open(root / f".tiny-{spec.key()}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / "rulec_tiny.json").exists():
            build_tiny_model(path, spec)
    return path
