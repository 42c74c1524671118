"""The paper's data sets as `rulec tasks gen --preset` presets.

=================  ==============================  ========  ==========  ======
preset             tasks                           lengths   per length  format
=================  ==============================  ========  ==========  ======
paper-pretrain     the 76 RF-pretraining tasks     1-15      300         rfft
paper-val          the 76 RF-pretraining tasks     31        20          rfft
paper-adapt TASK   the given target task(s)        1-5       1,000       rfft
paper-test TASK    the given target task(s)        6-30      100         rfft
=================  ==============================  ========  ==========  ======

The paper validates on length 31 without giving a size; 20 per task (1,520 rows)
is enough for a stable early-stopping loss and cheap to evaluate. Options given
explicitly on the command line (``--format``, ``--shots``, ``--per-length``, …)
override the preset's values, e.g. ``--preset paper-pretrain --shots 1`` is the
ICL corpus and ``--preset paper-adapt T --format direct`` a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rulec.errors import ConfigError


class UnknownPresetError(ConfigError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Preset:
    name: str
    split: str | None  # the tasks, when the preset names a split
    needs_task: bool  # the preset takes target task name(s)
    lengths: tuple[int, ...]
    per_length: int
    format: str = "rfft"
    description: str = ""
    dataset_split: str = "train"  # the `datasets` split the rows go to


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("paper-pretrain", "pretrain", False, tuple(range(1, 16)), 300,
               description="RF-pretraining: 76 tasks, lengths 1-15, 300 per length"),
        Preset("paper-val", "pretrain", False, (31,), 20,
               description="validation: 76 tasks, length 31, 20 per task", dataset_split="validation"),
        Preset("paper-adapt", None, True, tuple(range(1, 6)), 1000,
               description="adaptation: TASK, lengths 1-5, 1,000 per length"),
        Preset("paper-test", None, True, tuple(range(6, 31)), 100,
               description="test: TASK, lengths 6-30, 100 per length", dataset_split="test"),
    )
}


def get_preset(name: str) -> Preset:
    if name not in PRESETS:
        raise UnknownPresetError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name]


def resolve(preset: str | None, **overrides: Any):
    """The one place a preset becomes a :class:`GenConfig`: the config's defaults, then
    the preset's values, then every override that is not None."""
    from rulec.tasks.generate import GenConfig

    values: dict[str, Any] = {}
    if preset is not None:
        p = get_preset(preset)
        values.update(lengths=p.lengths, per_length=p.per_length, format=p.format, preset=p.name,
                      dataset_split=p.dataset_split)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return GenConfig(**values)
