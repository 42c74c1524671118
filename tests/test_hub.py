"""``--push-to-hub``: against a fake ``HfApi`` (no network here; never run against the real Hub).

The fake records every call and works out the files an upload would send with
``huggingface_hub``'s own filter, so the tests check the exact set of files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from cli_helpers import one_error_line
from click.testing import CliRunner

from rulec.cli import main
from rulec.hub import files_to_upload

hub = pytest.importorskip("huggingface_hub")
ADD_DIGITS = str(Path(__file__).resolve().parent.parent / "examples" / "add_digits.py")


class FakeApi:
    calls: list[tuple[str, tuple, dict]] = []
    uploaded: list[str] = []
    fail_with: BaseException | None = None

    def create_repo(self, *args, **kwargs):
        FakeApi.calls.append(("create_repo", args, kwargs))
        if FakeApi.fail_with is not None:
            raise FakeApi.fail_with

    def upload_folder(self, **kwargs):
        from huggingface_hub.utils import filter_repo_objects
        from huggingface_hub.utils._paths import DEFAULT_IGNORE_PATTERNS

        FakeApi.calls.append(("upload_folder", (), kwargs))
        folder = Path(kwargs["folder_path"])
        names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        ignore = list(kwargs.get("ignore_patterns") or []) + DEFAULT_IGNORE_PATTERNS  # as upload_folder does
        FakeApi.uploaded = list(filter_repo_objects(names, allow_patterns=kwargs.get("allow_patterns"),
                                                    ignore_patterns=ignore))


@pytest.fixture
def fake_api(monkeypatch):
    FakeApi.calls, FakeApi.uploaded, FakeApi.fail_with = [], [], None
    monkeypatch.setattr(hub, "HfApi", FakeApi)
    return FakeApi


def _run(*args):
    return CliRunner().invoke(main, list(args))


def _junk(d: Path) -> None:
    """Files that are not part of the dataset: a lock, partials, temporaries, a user's notes."""
    (d / "data").mkdir(parents=True, exist_ok=True)
    for name in (".rulec.lock", "notes.txt", "data/validation-00000-of-00001.parquet.partial",
                 "data/x.jsonl.partial.json", "README.md.tmp", ".hidden/thing.parquet"):
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text("x")


def test_tasks_gen_pushes_the_dataset_only(tmp_path, fake_api):
    out = tmp_path / "d"
    r = _run("tasks", "gen", "--tasks", "coin_flip,lc_258_add_digits", "--lengths", "1", "--per-length", "2",
             "--workers", "1", "-o", str(out), "--push-to-hub", "someone/rulec-data")
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == f"pushed {out} to https://huggingface.co/datasets/someone/rulec-data"
    (name, args, kwargs), (name2, _, up) = fake_api.calls
    assert name == "create_repo" and args == ("someone/rulec-data",)
    assert kwargs == {"repo_type": "dataset", "exist_ok": True, "private": None}
    assert name2 == "upload_folder"
    assert up["folder_path"] == str(out) and up["repo_id"] == "someone/rulec-data" and up["repo_type"] == "dataset"
    assert fake_api.uploaded == ["README.md", "data/train-00000-of-00002.parquet",
                                 "data/train-00001-of-00002.parquet", "manifest.json"]


def test_synth_directory_push_skips_locks_partials_and_other_files(tmp_path, fake_api):
    out = tmp_path / "s"
    assert _run("synth", "-n", "3", "--workers", "1", "--quiet", "-o", str(out)).exit_code == 0
    _junk(out)  # beside rulec's card: a directory rulec wrote, with the user's and stale files
    r = _run("synth", "-n", "5", "--workers", "1", "--quiet", "--overwrite", "-o", str(out),
             "--push-to-hub", "me/synth", "--private")
    assert r.exit_code == 0, r.output
    assert r.stderr == ""  # --quiet
    assert fake_api.calls[0][2]["private"] is True
    assert fake_api.uploaded == ["README.md", "data/train-00000-of-00001.parquet"]
    assert files_to_upload(out) == fake_api.uploaded  # the same patterns, applied by rulec itself


def test_a_complete_directory_is_pushed_by_rerunning_with_resume(tmp_path, fake_api):
    """An upload that failed (or was not asked for) is retried without generating again."""
    out = tmp_path / "s"
    assert _run("synth", "-n", "4", "--workers", "1", "--quiet", "-o", str(out)).exit_code == 0
    before = (out / "data" / "train-00000-of-00001.parquet").read_bytes()
    r = _run("synth", "-n", "4", "--workers", "1", "--resume", "-o", str(out), "--push-to-hub", "me/s")
    assert r.exit_code == 0 and "already complete; pushed it to" in r.stderr, r.output
    assert fake_api.uploaded == ["README.md", "data/train-00000-of-00001.parquet"]
    out2 = tmp_path / "d"
    gen = ["tasks", "gen", "coin_flip", "--lengths", "1", "--per-length", "2", "--workers", "1", "-o", str(out2)]
    assert _run(*gen).exit_code == 0
    assert _run(*gen, "--resume", "--push-to-hub", "me/d").exit_code == 0
    assert fake_api.uploaded == ["README.md", "data/train-00000-of-00001.parquet", "manifest.json"]
    assert (out / "data" / "train-00000-of-00001.parquet").read_bytes() == before


def test_compile_rows_directory_push(tmp_path, fake_api):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"num": 15}\n{"num": 99}\n')
    out = tmp_path / "rows"
    r = _run("compile", ADD_DIGITS, "--args-file", str(inputs), "--rows", "-o", str(out), "--push-to-hub",
             "me/rows")
    assert r.exit_code == 0, r.output
    assert [c[0] for c in fake_api.calls] == ["create_repo", "upload_folder"]
    assert fake_api.uploaded == ["README.md", "data/train-00000-of-00001.parquet"]


@pytest.mark.parametrize("args", [
    ["synth", "-n", "3", "--workers", "1", "-o", "{tmp}/s.jsonl"],
    ["compile", ADD_DIGITS, "--args", '{"num": 15}', "--rows", "-o", "{tmp}/r.parquet"],
])
def test_push_needs_a_directory(tmp_path, fake_api, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    one_error_line(_run(*args, "--push-to-hub", "me/x"), "--push-to-hub needs a dataset directory")
    assert list(tmp_path.iterdir()) == [] and fake_api.calls == []


def test_push_usage_errors_before_any_work(tmp_path, fake_api):
    out = tmp_path / "d"
    one_error_line(_run("tasks", "gen", "coin_flip", "-o", str(out), "--push-to-hub", "a b/c"), "a b/c")
    one_error_line(_run("tasks", "gen", "coin_flip", "-o", str(out), "--private"), "--push-to-hub")
    one_error_line(_run("compile", ADD_DIGITS, "--args", '{"num": 1}', "--push-to-hub", "me/x"), "--rows -o DIR")
    assert not out.exists() and fake_api.calls == []


def test_missing_huggingface_hub_is_one_line_before_any_work(tmp_path, monkeypatch, fake_api):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "huggingface_hub" else real(name, *a))
    for args in (["tasks", "gen", "coin_flip", "--per-length", "1", "-o", str(tmp_path / "d")],
                 ["synth", "-n", "3", "-o", str(tmp_path / "s")]):
        one_error_line(_run(*args, "--push-to-hub", "me/x"), "pip install 'rulec[hub]'")
    assert list(tmp_path.iterdir()) == [] and fake_api.calls == []


def _http_error():
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    request = httpx2.Request("POST", "https://huggingface.co/api/repos/create")
    return HfHubHTTPError("401 Unauthorized: invalid token", response=httpx2.Response(401, request=request))


@pytest.mark.parametrize("error", ["http", "network", "no token"])
def test_upload_failure_is_one_line_and_keeps_the_data(tmp_path, fake_api, error):
    from huggingface_hub.errors import LocalTokenNotFoundError

    fake_api.fail_with = {"http": _http_error, "network": lambda: OSError("Network is unreachable"),
                          "no token": lambda: LocalTokenNotFoundError("no token found")}[error]()
    out = tmp_path / "s"
    r = _run("synth", "-n", "4", "--workers", "1", "--quiet", "-o", str(out), "--push-to-hub", "me/synth")
    one_error_line(r, "--push-to-hub me/synth", "upload failed", f"the data is kept in {out}")
    assert "Traceback" not in r.output
    assert (out / "data" / "train-00000-of-00001.parquet").exists() and (out / "README.md").exists()
