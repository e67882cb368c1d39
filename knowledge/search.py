"""BM25 search over the document's sentences, for questions no intent covers."""

import math
from collections import Counter
from dataclasses import dataclass
from typing import FrozenSet, List, Optional

from knowledge.text import content_words, similar


@dataclass(frozen=True)
class Hit:
    """A passage that matches a query: its position, BM25 score and the words it shares."""

    index: int
    text: str
    score: float
    terms: FrozenSet[str]


class SentenceIndex:
    """Okapi BM25 over sentences; the same word function for sentences and queries."""

    def __init__(self, sentences: List[str], k1: float = 1.2, b: float = 0.75) -> None:
        if not sentences:
            raise ValueError("SentenceIndex needs at least one sentence")
        self.sentences = sentences
        self.docs = [Counter(content_words(s)) for s in sentences]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / len(self.lengths)
        self.k1, self.b = k1, b
        frequency: Counter = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in frequency.items()}

    def _query_terms(self, query: str) -> List[str]:
        """Query words mapped onto the index vocabulary, typos included."""
        terms = []
        for word in content_words(query):
            if word in self.idf:
                terms.append(word)
                continue
            match = next((v for v in self.idf if similar(word, v)), None)
            if match:
                terms.append(match)
        return terms

    def score(self, query: str, index: int) -> float:
        """BM25 score of one sentence for a query."""
        return self._score(self._query_terms(query), index)

    def _score(self, terms: List[str], index: int) -> float:
        doc, total = self.docs[index], 0.0
        norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
        for term in terms:
            f = doc.get(term, 0)
            if f:
                total += self.idf[term] * f * (self.k1 + 1) / (f + norm)
        return total

    def best(self, query: str, exclude: FrozenSet[str] = frozenset()) -> Optional[Hit]:
        """The best passage for a query (ignoring `exclude` words), or None when no word matches."""
        terms = [t for t in self._query_terms(query) if t not in exclude]
        if not terms:
            return None
        scores = [(self._score(terms, i), i) for i in range(len(self.sentences))]
        top, index = max(scores)
        if top <= 0:
            return None
        shared = frozenset(t for t in terms if t in self.docs[index])
        return Hit(index, self.sentences[index], top, shared)
