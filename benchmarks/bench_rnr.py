"""`rulec rnr generate` throughput against a local OpenAI-compatible server that answers every
request after a fixed latency (a stand-in for a remote model), measured in one run:

  - concurrency 1 vs concurrency C: rows per second and the speed-up (bounded concurrency
    should approach C while the latency dominates);
  - an identical rerun: rows per second replayed from the request cache, requests sent (0);
  - the pipeline's own overhead per row (validation, verification, de-duplication, writing)
    as the cached rerun's time per row.

    python benchmarks/bench_rnr.py [--n 200] [--latency 0.05] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from rnr_fake import FakeLLM, quoted, step  # noqa: E402

WORDS = ("amber basil cedar delta ember fjord grove harbor island juniper kelp lagoon meadow "
         "nectar orchard prairie quartz river summit tundra upland valley willow yarrow zephyr").split()


def role(i: int) -> str:
    words = random.Random(i).choices(WORDS, k=14)
    return f"You are a guide number {i} who knows about " + " ".join(words) + "."


def script(latency: float):
    def answer(body, fake):
        if step(body) == "ruleset":
            i = int(quoted(body, "User message:").split()[-1])
            return ("sleep", latency, json.dumps({"role": role(i), "rules": [
                {"type": "length_words", "text": "At most 40 words.", "params": {"max": 40}},
                {"type": "tone", "text": "Be calm.", "params": {}},
                {"type": "ending_phrase", "text": "End with: Safe travels!", "params": {"phrase": "Safe travels!"}},
            ]}))
        return ("sleep", latency, json.dumps({"response": "Walk slowly and look around. Safe travels!"}))
    return answer


def run(fake: FakeLLM, inp: Path, out: Path, cache: Path, concurrency: int) -> tuple[float, int]:
    from click.testing import CliRunner

    from rulec.cli import main

    hits = fake.hits
    t = time.perf_counter()
    result = CliRunner().invoke(main, [
        "rnr", "generate", "-i", str(inp), "-o", str(out), "--base-url", fake.url, "--model", "m",
        "--rules-per-prompt", "3", "--categories", "length,tone,ending", "--cache", str(cache),
        "--concurrency", str(concurrency), "--quiet"])
    assert result.exit_code == 0, result.stderr
    return time.perf_counter() - t, fake.hits - hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    from rulec.rnr import ifeval

    ifeval.registry()  # import once, outside the timings
    tmp = Path(tempfile.mkdtemp())
    try:
        inp = tmp / "ift.jsonl"
        inp.write_text("".join(json.dumps({"instruction": f"Question {i}", "output": "Answer."}) + "\n"
                               for i in range(args.n)))
        with FakeLLM(script(args.latency)) as fake:
            t1, h1 = run(fake, inp, tmp / "a", tmp / "cache-a", 1)
            tc, hc = run(fake, inp, tmp / "b", tmp / "cache-b", args.concurrency)
            tr, hr = run(fake, inp, tmp / "b", tmp / "cache-b", args.concurrency)
        same = (tmp / "a" / "rows.jsonl").read_bytes() == (tmp / "b" / "rows.jsonl").read_bytes()
        n = args.n
        kept = json.loads((tmp / "b" / "summary.json").read_text())["kept"]
        print(f"{n} rows ({kept} kept), {args.latency * 1000:.0f} ms per request")
        print(f"concurrency 1:  {n / t1:7.1f} rows/s ({h1} requests)")
        print(f"concurrency {args.concurrency}:  {n / tc:7.1f} rows/s ({hc} requests), "
              f"speed-up {t1 / tc:.1f}x; same rows as concurrency 1: {same}")
        print(f"cached rerun:   {n / tr:7.1f} rows/s ({hr} requests), {1000 * tr / n:.1f} ms per row")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
