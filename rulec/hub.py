"""``--push-to-hub REPO``: upload a finished dataset directory as a Hugging Face dataset repo.

Shared by ``rulec tasks gen``, ``rulec synth -o DIR`` and ``rulec compile --rows -o DIR``:
:func:`hub_options` adds the options, :func:`check_push` refuses what cannot work before
any generation starts, :func:`push_dir` uploads once the output is complete and closed.
Only the dataset is uploaded (the card, the manifest and the data files); locks, partial
and temporary files never are.

Not tested against the real Hub (rulec is developed without network access): the tests
run it against a fake ``HfApi``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from rulec.cliutil import fail

# what a dataset directory holds that belongs to the dataset
ALLOW_PATTERNS = ["README.md", "manifest.json", "data/*.parquet", "data/*.jsonl"]
# never, even where an allow pattern matches: locks, partial and temporary files, dot files
IGNORE_PATTERNS = [".rulec.lock", "*.lock", "*.partial", "*.partial.*", "*.tmp", ".*", "*/.*"]


def hub_options(command):
    """``--push-to-hub REPO`` and ``--private``, the same on every command that has them."""
    command = click.option("--private", is_flag=True,
                           help="With --push-to-hub: create the repo as private.")(command)
    return click.option("--push-to-hub", "push_to_hub", metavar="REPO", default=None,
                        help="When the dataset directory is complete, upload it as the Hugging Face "
                        "dataset repo REPO (user/name; needs huggingface_hub and a login).")(command)


def check_push(repo: str | None, private: bool, directory: bool) -> None:
    """One-line errors, before any work: no directory output, no ``huggingface_hub``, a
    malformed repo id, ``--private`` alone."""
    if repo is None:
        if private:
            fail("--private applies to --push-to-hub")
        return
    if not directory:
        fail("--push-to-hub needs a dataset directory as the output (-o DIR, a name without a "
             "suffix), not a single file")
    if importlib.util.find_spec("huggingface_hub") is None:
        fail("--push-to-hub needs huggingface_hub: pip install 'rulec[hub]'")
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo)
    except HFValidationError as e:
        fail(f"--push-to-hub {repo}: not a repo id ({str(e).splitlines()[0]})")


def files_to_upload(directory: str | Path) -> list[str]:
    """The files of ``directory`` (relative, POSIX) that an upload sends: the patterns applied
    by ``huggingface_hub``'s own filter, as ``upload_folder`` applies them."""
    from huggingface_hub.utils import filter_repo_objects

    d = Path(directory)
    names = sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())
    return list(filter_repo_objects(names, allow_patterns=ALLOW_PATTERNS, ignore_patterns=IGNORE_PATTERNS))


def _upload_errors() -> tuple[type[BaseException], ...]:
    """What an upload may raise for reasons outside rulec: the Hub's errors (HTTP, auth,
    validation, no token), network and file errors."""
    kinds: list[type[BaseException]] = [OSError, ValueError]
    from huggingface_hub import utils

    errors = importlib.import_module("huggingface_hub.errors") if importlib.util.find_spec(
        "huggingface_hub.errors") else utils
    for name in ("HfHubHTTPError", "HFValidationError", "LocalTokenNotFoundError", "HTTPError"):
        kind = getattr(errors, name, None)
        if isinstance(kind, type) and issubclass(kind, BaseException):
            kinds.append(kind)
    for module, name in (("requests", "RequestException"), ("httpx", "HTTPError"), ("httpx2", "HTTPError")):
        if importlib.util.find_spec(module) is not None:
            kind = getattr(importlib.import_module(module), name, None)
            if isinstance(kind, type) and issubclass(kind, BaseException):
                kinds.append(kind)
    return tuple(kinds)


def push_dir(directory: str | Path, repo: str, private: bool = False) -> str:
    """Create (or reuse) the dataset repo ``repo`` and upload the dataset files of
    ``directory``; the repo's URL. A failure is one line naming the repo, the local data kept."""
    from huggingface_hub import HfApi

    d = Path(directory)
    files = files_to_upload(d)
    if not files:
        fail(f"--push-to-hub {repo}: {d} holds no dataset files to upload")
    api = HfApi()
    try:
        api.create_repo(repo, repo_type="dataset", exist_ok=True, private=True if private else None)
        api.upload_folder(folder_path=str(d), repo_id=repo, repo_type="dataset",
                          allow_patterns=ALLOW_PATTERNS, ignore_patterns=IGNORE_PATTERNS,
                          commit_message=f"rulec: upload {len(files)} files")
    except _upload_errors() as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        fail(f"--push-to-hub {repo}: the upload failed ({type(e).__name__}: {reason[:200]}); "
             f"the data is kept in {d}")
    return f"https://huggingface.co/datasets/{repo}"
