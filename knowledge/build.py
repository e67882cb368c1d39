"""Build the knowledge base (JSON) from a city document.

Usage: python -m knowledge.build --document knowledge/jinchang.txt --out knowledge/build/kb.json
"""

import argparse
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from knowledge.base import DEFAULT_OUT
from knowledge.extract import (
    AttractionExtractor,
    CityExtractor,
    load_pipeline,
    split_sentences,
    unique_kinds,
)
from knowledge.kinds import KIND_WORDS
from knowledge.read import read, title

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
DEFAULT_DOCUMENT = HERE / "jinchang.txt"
SCHEMA_VERSION = 2


def build(text: str, document_name: str = "document") -> Dict[str, Any]:
    """Extract the knowledge base from the text of a city document."""
    if not text.strip():
        raise ValueError(f"{document_name} is empty")
    nlp = load_pipeline()
    blocks = read(text)
    sentences = split_sentences(nlp, blocks)
    if not sentences:
        raise ValueError(f"{document_name} has no sentences, only headings")
    city = CityExtractor(nlp).extract(sentences, title(blocks))
    attractions = AttractionExtractor().extract(sentences, city["name"])
    kinds = unique_kinds(attractions)
    for kind, name in kinds.items():
        # (and "the waterfall" for the one falls, unless another sight is a waterfall)
        others = [
            other
            for other in KIND_WORDS.get(kind, ())
            if not any(a["kind"] == other and a["name"] != name for a in attractions)
        ]
        said = [kind, *others]
        for attraction in attractions:
            if attraction["name"] == name:
                attraction["aliases"] += [
                    f"the {word}" for word in said if f"the {word}" not in attraction["aliases"]
                ]
    missing = [key for key in ("area", "population", "region") if key not in city]
    if missing:
        logger.warning("%s: no %s found", document_name, ", ".join(missing))
    return {
        "schema": SCHEMA_VERSION,
        "document": document_name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "city": city,
        "attractions": attractions,
        "sentences": [s.text for s in sentences],
        # The paragraph (counted from 1) of each sentence: where a visitor finds it.
        "paragraphs": [s.paragraph + 1 for s in sentences],
        # The section heading of each sentence, and the place it is about when the page
        # says so by its layout (a `Key: value` bullet under a sight): evidence for answers.
        "sections": [s.section for s in sentences],
        "owners": [s.owner for s in sentences],
        # The rows of tables under a header ("Average precipitation mm" by month, a county by
        # "Population (2020)"): their cells by column, for questions over the table.
        "table_rows": [
            {"sentence": index, "row": s.key, "cells": [list(cell) for cell in s.cells]}
            for index, s in enumerate(sentences)
            if s.cells
        ],
        "page_sight": page_sight(text, attractions, [b.text for b in blocks]),
    }


def page_sight(text: str, attractions: List[Dict[str, Any]], read: Sequence[str] = ()) -> str:
    """The sight a page is the page of ("Luomei Museum 洛湄博物馆" over the museum's own
    site): one its first lines name alone, or the first lines `read` of it once its menus
    are left out (a review site's "Stone Echo Cave" under its links), else "" (a page about
    the town)."""
    opening = [line.strip() for line in text.splitlines() if line.strip()][:_TITLE_LINES]
    opening += list(read[:_TITLE_LINES])
    names = {a["name"].lower(): a["name"] for a in attractions}
    for line in opening:
        for part in re.split(r"\s+[|–-]\s+", re.sub(r"[^\x00-\x7f]+", " ", line)):
            found = names.get(" ".join(part.split()).lower())
            if found:
                return found
    return ""


# The lines a page's title is among, after a cookie banner or a site's name.
_TITLE_LINES = 3


def write(kb: Dict[str, Any], out: Path) -> None:
    """Write the knowledge base as pretty JSON, creating its folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(kb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: Optional[List[str]] = None) -> None:
    """Command line: read --document, write --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, default=DEFAULT_DOCUMENT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not args.document.is_file():
        parser.error(f"document not found: {args.document}")
    kb = build(args.document.read_text(encoding="utf-8"), args.document.name)
    write(kb, args.out)
    logger.info(
        "%s: %d sentences, %d attractions, %d honours -> %s",
        args.document,
        len(kb["sentences"]),
        len(kb["attractions"]),
        len(kb["city"]["honours"]),
        args.out,
    )


if __name__ == "__main__":
    main()
