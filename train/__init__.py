"""rulec.train: the two-stage trainer (RF-pretraining, adaptation, Meta-RFFT, baselines, SFT).

The command line is `rulec train ...` / `python -m rulec.train ...`; the library entry points
are :func:`rulec.train.stages.run_stage` and the recipes in :mod:`rulec.train.pipeline`.
"""
