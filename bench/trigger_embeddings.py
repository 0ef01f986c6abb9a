"""PLOVER category of an event phrase by static word embeddings (wordllama), for measurement.

An event phrase is a trigger with its object ("sent troops", "blew up a bridge"). Its embedding
is wordllama's mean of token vectors (L2-normalised); the category is decided by one of three
numpy-only classifiers: the nearest category centroid, the nearest single example, or a
softmax regression. Not used by the pipeline: bench/trigger_classifier.py measures it.

Training data comes from no corpus: the short phrases of `EXAMPLES`, written from the PLOVER
category definitions (Open Event Data Alliance), plus every word of the trigger lexicon
(extraction.triggers.VERBS/NOUNS). Words the lexicon marks as a happening of no category, and a
few phrases that report no event, make a `None` class.

The model ships inside the wordllama wheel (weights/l2_supercat_256.safetensors and
tokenizers/l2_supercat_tokenizer_config.json). wordllama looks for its tokenizer under
`<package>/tokenizer/`, which the wheel does not have, and would then download it; passing the
package folder as `cache_dir` (whose layout is `weights/` and `tokenizers/`) with downloads
disabled loads both files offline. Everything loads on first use.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from extraction.triggers import NOUNS, VERBS, lemmatize

Method = Literal["centroid", "nearest", "softmax"]
NONE = "NONE"  # the label of the no-category class inside the classifier

# Phrases per category, in news wording, written from the PLOVER definitions.
EXAMPLES: dict[str, str] = {
    "AGREE": "agreed to a ceasefire; signed an agreement; accepted the proposal; promised to hold "
             "elections; pledged to cooperate; offered to mediate; agreed to talks; reached a deal",
    "CONSULT": "met the president; held talks; paid a visit; telephoned his counterpart; hosted "
               "the delegation; negotiated with rebels; mediated between the parties; discussed "
               "trade",
    "SUPPORT": "praised the decision; expressed support; endorsed the candidate; welcomed the "
               "plan; voiced solidarity; recognized the new government; defended the policy; "
               "backed the resolution",
    "CONCEDE": "made concessions; eased restrictions; backed down; acceded to the demands; "
               "admitted responsibility; apologized for the incident; lifted the state of "
               "emergency; allowed opposition parties",
    "COOPERATE": "cooperated on security; shared intelligence; extradited the suspect; signed a "
                 "trade partnership; coordinated policy; formed an alliance; held joint "
                 "exercises; handed over the suspect",
    "AID": "sent humanitarian aid; provided military assistance; donated food; granted asylum; "
           "delivered medical supplies; offered financial help; funded reconstruction; shipped "
           "weapons to allies",
    "RETREAT": "withdrew troops; pulled out its forces; surrendered to the army; disarmed the "
               "militia; demobilized fighters; released prisoners; freed hostages; retreated "
               "from the town",
    "INVESTIGATE": "launched an investigation; opened an inquiry; probed the allegations; "
                   "inspected the site; sent inspectors; examined the evidence; investigated "
                   "corruption; audited the accounts",
    "DEMAND": "demanded the release; called for a ceasefire; urged restraint; insisted on "
              "elections; asked for compensation; appealed for calm; requested information; "
              "pressed for reforms",
    "DISAPPROVE": "criticized the government; condemned the attack; accused the army of abuses; "
                  "complained about the treatment; denounced the decision; blamed the rebels; "
                  "filed a lawsuit; lodged a formal complaint",
    "REJECT": "rejected the proposal; refused to negotiate; vetoed the resolution; declined the "
              "invitation; turned down the offer; dismissed the demands; defied the order; "
              "denied the request",
    "THREATEN": "threatened to retaliate; warned of consequences; issued an ultimatum; "
                "threatened military action; threatened to impose sanctions; threatened to cut "
                "off talks; vowed revenge; warned of war",
    "PROTEST": "staged a demonstration; marched through the capital; held a rally; went on "
               "strike; began a hunger strike; rioted in the streets; boycotted the vote; "
               "picketed the embassy",
    "SANCTION": "imposed sanctions; cut diplomatic ties; expelled the ambassador; recalled its "
                "envoy; suspended aid; imposed an embargo; froze assets; broke off relations",
    "MOBILIZE": "mobilized troops; deployed forces to the border; put the army on alert; massed "
                "tanks; sent troops; called up reservists; increased police patrols; reinforced "
                "positions",
    "COERCE": "arrested protesters; detained journalists; banned the party; imposed a curfew; "
              "deported migrants; seized property; cracked down on dissent; censored the press; "
              "destroyed houses; demolished homes; jailed opponents; declared martial law",
    "ASSAULT": "killed civilians; bombed a market; shot a policeman; kidnapped aid workers; "
               "tortured detainees; assassinated the mayor; carried out a suicide bombing; "
               "stabbed a man; beat the prisoners",
    "FIGHT": "clashed with troops; shelled the city; launched air strikes; fought rebels; "
             "invaded the country; occupied the territory; exchanged fire; bombarded positions; "
             "seized the town in fighting",
    NONE: "said on Tuesday; told reporters; was elected president; the economy grew; announced "
          "a plan; reported that; visited a school as a child; opened a factory",
}


def training_phrases() -> list[tuple[str, str]]:
    """(phrase, label) pairs: EXAMPLES, then the lexicon's words (None words labelled NONE)."""
    pairs = [(p.strip(), label) for label, text in EXAMPLES.items() for p in text.split(";")]
    for table in (VERBS, NOUNS):
        pairs += [(word, category or NONE) for word, category in table.items()]
    return pairs


def lemmatized(phrase: str) -> str:
    """Each word's verb lemma, else its noun lemma ("blew up bridges" -> "blow up bridge")."""
    out = []
    for word in phrase.lower().split():
        verb = lemmatize(word, "verb")
        out.append(verb if verb != word else lemmatize(word, "noun"))
    return " ".join(out)


@lru_cache(maxsize=1)
def load_model():
    """wordllama's l2_supercat model (256 dimensions) from its wheel, with no network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from importlib.resources import files

        from wordllama import WordLlama
    finally:  # importing wordllama calls logging.basicConfig(level=INFO): undo it
        for handler in root.handlers[len(handlers):]:
            root.removeHandler(handler)
        root.setLevel(level)
    return WordLlama.load("l2_supercat", dim=256, cache_dir=str(files("wordllama")),
                          disable_download=True)


def embed(phrases: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row a phrase."""
    return np.asarray(load_model().embed(list(phrases), norm=True), dtype=np.float32)


@dataclass(frozen=True)
class PhraseClassifier:
    """A trained classifier: labels, and per method its matrix (and bias for softmax)."""

    labels: tuple[str, ...]
    centroids: np.ndarray  # (labels, dim), unit rows
    examples: np.ndarray  # (examples, dim), unit rows
    example_labels: np.ndarray  # (examples,) index into labels
    weights: np.ndarray  # (dim, labels) softmax regression
    bias: np.ndarray  # (labels,)
    lemmas: bool

    def scores(self, phrases: Sequence[str], method: Method = "centroid") -> np.ndarray:
        """(phrases, labels) scores: cosine similarity, or probability for softmax."""
        x = embed([lemmatized(p) if self.lemmas else p for p in phrases])
        if method == "centroid":
            return x @ self.centroids.T
        if method == "softmax":
            return _softmax(x @ self.weights + self.bias)
        sims = x @ self.examples.T
        out = np.full((len(phrases), len(self.labels)), -1.0, dtype=np.float32)
        for k in range(len(self.labels)):
            mask = self.example_labels == k
            out[:, k] = sims[:, mask].max(axis=1)
        return out

    def classify(self, phrases: Sequence[str], method: Method = "centroid",
                 min_score: float = 0.0) -> list[str | None]:
        """The PLOVER category of each phrase, None for no category or a score below min_score."""
        scores = self.scores(phrases, method)
        best = scores.argmax(axis=1)
        return [None if self.labels[b] == NONE or s[b] < min_score else self.labels[b]
                for b, s in zip(best, scores, strict=True)]


def train(pairs: Iterable[tuple[str, str]] | None = None, lemmas: bool = True,
          epochs: int = 300, rate: float = 2.0, l2: float = 1e-3) -> PhraseClassifier:
    """Fit the three classifiers on (phrase, label) pairs (default: training_phrases())."""
    pairs = list(pairs if pairs is not None else training_phrases())
    labels = tuple(dict.fromkeys(label for _, label in pairs))
    y = np.array([labels.index(label) for _, label in pairs])
    x = embed([lemmatized(p) if lemmas else p for p, _ in pairs])
    centroids = np.stack([x[y == k].mean(axis=0) for k in range(len(labels))])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    weights, bias = _fit_softmax(x, y, len(labels), epochs, rate, l2)
    return PhraseClassifier(labels, centroids, x, y, weights, bias, lemmas)


@lru_cache(maxsize=2)
def default_classifier(lemmas: bool = True) -> PhraseClassifier:
    """The classifier trained on training_phrases(), built once."""
    return train(lemmas=lemmas)


def classify_phrase(phrase: str, method: Method = "centroid") -> str | None:
    """The PLOVER category of one event phrase ("sent troops" -> "MOBILIZE"), or None."""
    return default_classifier().classify([phrase], method)[0]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_softmax(x: np.ndarray, y: np.ndarray, classes: int, epochs: int, rate: float,
                 l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent, classes weighted equally."""
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    sample_weight = (1.0 / counts[y]) / classes  # each class contributes the same total
    onehot = np.eye(classes, dtype=np.float32)[y]
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    for _ in range(epochs):
        grad = (_softmax(x @ weights + bias) - onehot) * sample_weight[:, None]
        weights -= rate * (x.T @ grad + l2 * weights)
        bias -= rate * grad.sum(axis=0)
    return weights, bias
