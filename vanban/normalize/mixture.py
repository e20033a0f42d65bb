"""Two domain models as one: the administrative LM and a general-language LM, mixed per document.

The administrative model (provincial plans, decisions, the law codification) is what vanban
is for; a general model (Vietnamese Wikipedia) knows the words and turns of phrase of news,
culture and history that legal text lacks. Training one model on both texts dilutes the
administrative one (a trial: stripped dev plans 99.17% -> 99.11%). Instead each document gets
its own mixture

    P(w | h) = lam * P_admin(w | h) + (1 - lam) * P_general(w | h)

with ``lam`` estimated on the document itself (see :func:`admin_share`): the restorer decodes
with the administrative model first, measures how much of that first reading each model
explains (EM for the mixture weight), and decodes again with the mixture only when the
general model explains a clear share of it. Administrative documents thus keep the
administrative model alone (same results, same speed).

The two models have their own vocabularies; the mixture's vocabulary is the administrative
one followed by the general words it lacks (so administrative ids, and the lexicon tables
over them, stay valid), and each model sees the other's words as ``<unk>``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .lm import UNK, NgramLM

#: EM rounds for the mixture weight (it converges in a handful).
EM_ROUNDS = 30
#: The weight never goes below this: administrative wording stays likely in any document.
MIN_ADMIN_SHARE = 0.05
#: General words become candidates (and mixture vocabulary) when the general text has them
#: this often.
GENERAL_MIN_COUNT = 3


@dataclass
class MixtureLM:
    """The administrative and the general model behind the interface of :class:`NgramLM`
    (``cost``, ``order``, ``vocab``, ``index``, ``counts``, case costs, lexicon)."""
    admin: NgramLM
    general: NgramLM
    weight: float = 1.0                      # lam: the administrative model's share
    vocab: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.vocab:
            return
        admin, general = self.admin, self.general
        extra = [w for i, w in enumerate(general.vocab)
                 if i >= 3 and w not in admin.index and general.counts[i] >= GENERAL_MIN_COUNT]
        self.vocab = admin.vocab + extra
        self.index = {w: i for i, w in enumerate(self.vocab)}
        n_admin = len(admin.vocab)
        self.to_admin = np.arange(len(self.vocab), dtype=np.int64)
        self.to_admin[n_admin:] = UNK
        self.to_general = np.array([general.index.get(w, UNK) for w in self.vocab], np.int64)
        self.to_general[:3] = np.arange(3)
        gen_counts = general.counts[self.to_general]
        gen_counts[self.to_general == UNK] = 0
        # Candidate order and the minimum-count rule see both texts.
        self.counts = np.concatenate([admin.counts, np.zeros(len(extra), np.int64)]) + gen_counts
        self.title_cost = self.lower_cost = None
        if admin.title_cost is not None and general.title_cost is not None:
            g = self.to_general[n_admin:]
            self.title_cost = np.concatenate([admin.title_cost, general.title_cost[g]])
            self.lower_cost = np.concatenate([admin.lower_cost, general.lower_cost[g]])

    @property
    def order(self) -> int:
        return min(self.admin.order, self.general.order)

    @property
    def lexicon(self):
        return self.admin.lexicon

    def with_weight(self, weight: float) -> "MixtureLM":
        """The same mixture with another administrative share (tables shared)."""
        other = MixtureLM.__new__(MixtureLM)
        other.__dict__.update(self.__dict__)
        other.weight = float(weight)
        return other

    def costs(self, history: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """-ln P_admin and -ln P_general of a batch (ids of the mixture's vocabulary)."""
        history = np.asarray(history, dtype=np.int64)
        words = np.asarray(words, dtype=np.int64)
        ca = self.admin.cost(self.to_admin[history], self.to_admin[words])
        cg = self.general.cost(self.to_general[history], self.to_general[words])
        return ca, cg

    def cost(self, history: np.ndarray, words: np.ndarray) -> np.ndarray:
        """-ln of the mixed probability, float32 (N,)."""
        return self._mix(*self.costs(history, words))

    def cost_grid(self, history: np.ndarray, words: np.ndarray) -> np.ndarray:
        """:meth:`cost` of every word of row i of ``words`` after history row i: history
        (M, order-1), words (M, K) ids of the mixture's vocabulary; float32 (M, K), the very
        numbers :meth:`cost` gives for the flattened pairs. Each model scores the grid with
        its own :meth:`NgramLM.cost_grid` (the same bits as its ``cost``) and the mixing is
        element by element, as in :meth:`cost`."""
        history = np.asarray(history, dtype=np.int64)
        words = np.asarray(words, dtype=np.int64)
        ca = self.admin.cost_grid(self.to_admin[history], self.to_admin[words])
        cg = self.general.cost_grid(self.to_general[history], self.to_general[words])
        return self._mix(ca, cg)

    def _mix(self, ca: np.ndarray, cg: np.ndarray) -> np.ndarray:
        """-ln(lam * exp(-ca) + (1 - lam) * exp(-cg)), float32."""
        lam = min(max(self.weight, 1e-6), 1 - 1e-6)
        mixed = -np.logaddexp(math.log(lam) - ca.astype(np.float64),
                              math.log1p(-lam) - cg.astype(np.float64))
        return mixed.astype(np.float32)


def admin_share(ca: np.ndarray, cg: np.ndarray, rounds: int = EM_ROUNDS) -> float:
    """Maximum-likelihood administrative share lam of a text whose tokens cost ``ca`` under
    the administrative model and ``cg`` under the general one (EM on the mixture weight)."""
    if not len(ca):
        return 1.0
    # Per token, the likelihood ratio P_general / P_admin (clipped: one odd token must not
    # decide).
    ratio = np.exp(np.clip(ca.astype(np.float64) - cg.astype(np.float64), -30.0, 30.0))
    lam = 0.5
    for _ in range(rounds):
        post = lam / (lam + (1 - lam) * ratio)
        lam = float(post.mean())
    return max(lam, MIN_ADMIN_SHARE)
