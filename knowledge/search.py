"""BM25 search over the document's sentences, for questions no intent covers."""

import math
from collections import Counter
from typing import List, Optional, Tuple

from knowledge.text import content_words, similar


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
        doc, total = self.docs[index], 0.0
        norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
        for term in self._query_terms(query):
            f = doc.get(term, 0)
            if f:
                total += self.idf[term] * f * (self.k1 + 1) / (f + norm)
        return total

    def best(self, query: str) -> Optional[Tuple[str, float]]:
        """The best sentence and its score, or None when no word matches."""
        scores = [(self.score(query, i), i) for i in range(len(self.sentences))]
        top, index = max(scores)
        return (self.sentences[index], top) if top > 0 else None
