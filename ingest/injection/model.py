"""The trained instruction classifier, loaded from its JSON artifact (``model.json`` next to this file).

The artifact holds the two TF-IDF vocabularies with their idf weights, the logistic regression's weights and
the decision threshold, as plain numbers: JSON rather than a pickle, because loading a pickle runs code and
this file ships inside the package. The vectorizers are rebuilt from it with scikit-learn, so a sentence is
turned into features exactly as in training (the training script checks that both agree).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

MODEL_PATH = Path(__file__).with_name("model.json")
DATA_PATH = Path(__file__).with_name("sentences.jsonl")
FORMAT_VERSION = 1


def vectorizer_params() -> list[dict[str, Any]]:
    """The two views of a sentence: character n-grams inside word boundaries catch inflections and Indonesian
    affixes ("abaikan", "diabaikan"); word uni- and bigrams catch the addressing ("the assistant", "setiap
    pertanyaan")."""
    return [
        {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "lowercase": True},
        {"analyzer": "word", "ngram_range": (1, 2), "min_df": 1, "sublinear_tf": True, "lowercase": True,
         "token_pattern": r"(?u)\b\w+\b"},
    ]


def _rebuilt(params: dict[str, Any], vocabulary: list[str], idf: list[float]) -> TfidfVectorizer:
    # Imported here, when the model is loaded: scikit-learn's import (~1.5 s) is paid by the processes that judge
    # sentences (the parse workers' fork server, the API), not by every CLI command that imports the pipeline.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(**{**params, "ngram_range": tuple(params["ngram_range"]), "min_df": 1,
                                    "vocabulary": {term: i for i, term in enumerate(vocabulary)}})
    vectorizer.idf_ = np.asarray(idf, dtype=np.float64)
    return vectorizer


@dataclass
class InstructionModel:
    vectorizers: list[TfidfVectorizer]
    weights: np.ndarray
    intercept: float
    threshold: float
    version: str
    _analyzers: list[tuple[Callable[[str], list[str]], dict[str, int], list[float], int]] = field(
        default_factory=list, repr=False)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> InstructionModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path.name} has format {data.get('format')}, this code reads {FORMAT_VERSION}; "
                             "retrain it with scripts/train_injection.py")
        vectorizers = [_rebuilt(v["params"], v["vocabulary"], v["idf"]) for v in data["vectorizers"]]
        return cls(vectorizers, np.asarray(data["weights"], dtype=np.float64), float(data["intercept"]),
                   float(data["threshold"]), str(data["version"]))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """The probability that each text is an instruction to an assistant."""
        if not texts:
            return np.zeros(0)
        from scipy.sparse import hstack

        features = hstack([v.transform(texts) for v in self.vectorizers]).tocsr()
        scores = features @ self.weights + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-scores)), dtype=np.float64)

    def is_instruction(self, texts: list[str]) -> list[bool]:
        return [bool(p >= self.threshold) for p in self.probabilities(texts)]

    def probability(self, text: str) -> float:
        """The same probability for one text, computed in plain Python: the answer engines judge sentences one
        at a time, where building sparse matrices costs about five times the arithmetic."""
        if not self._analyzers:
            offset = 0
            for vectorizer in self.vectorizers:
                vocabulary = dict(vectorizer.vocabulary)  # type: ignore[arg-type]
                self._analyzers.append((vectorizer.build_analyzer(), vocabulary, vectorizer.idf_.tolist(), offset))
                offset += len(vocabulary)
        score = self.intercept
        for analyze, vocabulary, idf, offset in self._analyzers:
            counts = Counter(index for term in analyze(text) if (index := vocabulary.get(term)) is not None)
            values = {index: (1.0 + math.log(count)) * idf[index] for index, count in counts.items()}
            norm = math.sqrt(sum(v * v for v in values.values()))
            if norm:
                score += sum(v * self.weights[offset + i] for i, v in values.items()) / norm
        return 1.0 / (1.0 + math.exp(-score))


@lru_cache(maxsize=1)
def default_model() -> InstructionModel:
    return InstructionModel.load()
