"""Generate the NLU data that names attractions from the knowledge base.

Attraction names, their synonyms and lookup table are written once, here, from the
knowledge base: nobody types them twice. Usage:
python -m knowledge.nlu --kb knowledge/build/kb.json --out data/nlu/generated/attractions.yml
"""

import argparse
import json
import logging
import random
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set

import yaml

from knowledge.base import DEFAULT_OUT

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NLU = ROOT / "data" / "nlu" / "generated" / "attractions.yml"
SEED = 7

# How visitors ask about one attraction; {a} is an annotated attraction name.
TEMPLATES: Dict[str, List[str]] = {
    "ask_attraction": [
        "tell me about {a}",
        "what is {a}",
        "{a}",
        "{a}?",
        "what's {a} like",
        "info on {a}",
        "what can you tell me about {a}",
        "is {a} worth a visit",
        "describe {a}",
        "what is special about {a}",
        "i want to know about {a}",
        "what should i know about {a}",
    ],
    "ask_location": [
        "where is {a}",
        "where is {a} located",
        "{a} is in which county",
        "where can i find {a}",
        "which part of the city is {a} in",
        "location of {a}",
    ],
    "ask_history": [
        "what's the story of {a}",
        "history of {a}",
        "what is the legend of {a}",
        "tell me the history of {a}",
    ],
}


def typo(word: str, rng: random.Random) -> str:
    """One deterministic typo: a letter dropped, doubled or swapped with its neighbour."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def misspell(name: str, rng: random.Random) -> str:
    """The name in lower case with one typo in its longest word."""
    words = name.lower().split()
    longest = max(range(len(words)), key=lambda k: len(words[k]))
    words[longest] = typo(words[longest], rng)
    return " ".join(words)


def existing_examples(folder: Path, skip: Path) -> Set[str]:
    """Every example already written by hand, so generated ones never repeat them."""
    seen: Set[str] = set()
    for path in folder.rglob("*.yml"):
        if path.resolve() == skip.resolve():
            continue
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            for line in str(item.get("examples", "")).splitlines():
                seen.add(_plain(line.strip().lstrip("- ").strip()))
    return seen


def _plain(example: str) -> str:
    """An example without entity annotations, lower case."""
    return re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", r"\1\2", example).lower().strip()


def generate(kb: Dict[str, Any], seen: Iterable[str] = ()) -> Dict[str, Any]:
    """The NLU training data (examples, synonyms, lookup) for the attractions of a KB."""
    rng = random.Random(SEED)
    taken = set(seen)
    examples: Dict[str, List[str]] = {intent: [] for intent in TEMPLATES}
    nlu: List[Dict[str, Any]] = []
    lookup: List[str] = []
    for attraction in kb["attractions"]:
        name = attraction["name"]
        aliases = list(dict.fromkeys([name, *attraction["aliases"]]))
        spellings = [a.lower() for a in aliases] + [misspell(a, rng) for a in aliases if len(a) > 6]
        lookup += [a for a in aliases if not a.startswith("the ")]
        synonyms = sorted({s for s in spellings if s != name.lower()})
        nlu.append({"synonym": name, "examples": _block(synonyms)})
        for intent, templates in TEMPLATES.items():
            for template in templates:
                spelling = rng.choice(spellings)
                example = template.format(a=f'[{spelling}]{{"entity": "attraction", "value": "{name}"}}')
                plain = _plain(example)
                if plain not in taken:
                    taken.add(plain)
                    examples[intent].append(example)
    for intent, lines in examples.items():
        nlu.append({"intent": intent, "examples": _block(lines)})
    nlu.append({"lookup": "attraction", "examples": _block(sorted(set(lookup)))})
    return {"version": "3.1", "nlu": nlu}


def _block(lines: List[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


class _Literal(str):
    """A string written as a YAML literal block."""


def _literal(dumper: yaml.Dumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


def write(data: Dict[str, Any], out: Path) -> None:
    """Write the generated NLU file with a header saying where it comes from."""
    yaml.add_representer(_Literal, _literal)
    for item in data["nlu"]:
        item["examples"] = _Literal(item["examples"])
    out.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated by `python -m knowledge.nlu` from the knowledge base: do not edit.\n"
    out.write_text(
        header + yaml.dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
    )


def main(argv: Optional[List[str]] = None) -> None:
    """Command line: read --kb, write --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--out", type=Path, default=DEFAULT_NLU)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not args.kb.is_file():
        parser.error(f"knowledge base not found: {args.kb} (run `make kb`)")
    kb = json.loads(args.kb.read_text(encoding="utf-8"))
    data = generate(kb, existing_examples(args.out.parent.parent, args.out))
    write(data, args.out)
    logger.info("%d attractions -> %s", len(kb["attractions"]), args.out)


if __name__ == "__main__":
    main()
