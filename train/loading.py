"""Resolve what a user passes as ``--model`` and load it for inference or further training.

Accepted: ``tiny`` (the locally built tiny model), a Hugging Face model directory or hub id
(``Qwen/Qwen2.5-7B-Instruct`` on a machine that has it), or a ``rulec train`` run directory,
whose ``final/`` holds either a full model or a peft adapter (``adapter_config.json``)
whose ``base_model_name_or_path`` names the base.
"""

from __future__ import annotations

import json
from pathlib import Path

from rulec.cliutil import UserError


def resolve_model(name: str) -> str:
    """A loadable model path or hub id for ``name``; run directories resolve to ``final/``."""
    if name == "tiny":
        from rulec.train.tiny import tiny_model_path

        return str(tiny_model_path())
    p = Path(name)
    if p.is_dir():
        if (p / "final").is_dir():
            return str(p / "final")
        return str(p)
    if p.exists() or name.startswith((".", "/", "~")) or name.count("/") > 1:
        raise UserError(f"model path {name} does not exist or is not a model directory")
    return name  # a hub id: loading fails with one line if it cannot be found offline


def is_adapter(path: str) -> bool:
    return (Path(path) / "adapter_config.json").is_file()


def adapter_base(path: str) -> str:
    cfg = json.loads((Path(path) / "adapter_config.json").read_text())
    return cfg["base_model_name_or_path"]


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    src = adapter_base(path) if is_adapter(path) and not (Path(path) / "tokenizer_config.json").exists() else path
    try:
        return AutoTokenizer.from_pretrained(src)
    except OSError as e:
        raise UserError(f"cannot load a tokenizer from {src}: {str(e).splitlines()[0]}") from None


def load_for_inference(model: str, adapter: str | None = None, *, dtype=None, device: str | None = None):
    """``(model, tokenizer)`` ready for generation; an adapter (given, or a run's ``final/``)
    is loaded on its base and merged."""
    import torch
    from transformers import AutoModelForCausalLM

    path = resolve_model(model)
    if adapter is None and is_adapter(path):
        adapter, path = path, resolve_model(adapter_base(path))
    if dtype is None:
        dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    try:
        lm = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    except OSError as e:
        raise UserError(f"cannot load model {model}: {str(e).splitlines()[0]}") from None
    tokenizer = load_tokenizer(adapter if adapter and (Path(adapter) / "tokenizer_config.json").exists() else path)
    if adapter:
        from peft import PeftModel

        lm = PeftModel.from_pretrained(lm, adapter).merge_and_unload()
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    lm.to(device).eval()
    return lm, tokenizer
