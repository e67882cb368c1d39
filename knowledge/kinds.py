"""Kinds of places, as English names them: plain tables shared by the builder and the
answers (no spaCy here, so answering never loads it)."""

from typing import Optional

# Head nouns that name a kind of attraction ("Jinshui Lake", "Liqian ancient city").
ATTRACTION_KINDS = (
    "ancient city",
    "scenic spot",
    "scenic area",
    "forest park",
    "national park",
    "park",
    "temple",
    "monastery",
    "mosque",
    "church",
    "pagoda",
    "grottoes",
    "grotto",
    "cave",
    "caves",
    "lake",
    "reservoir",
    "river",
    "wetland",
    "grassland",
    "stone forest",
    "forest",
    "grasslands",
    "desert",
    "mountain",
    "valley",
    "gorge",
    "museum",
    "memorial",
    "monument",
    "tomb",
    "tombs",
    "palace",
    "castle",
    "fort",
    "fortress",
    "wall",
    "gate",
    "tower",
    "bridge",
    "square",
    "garden",
    "gardens",
    "ruins",
    "site",
    "village",
    "old town",
    "ancient town",
    "street",
    "flower sea",
    "viewing platform",
    "hill",
    "peak",
    "canyon",
    "waterfall",
    "falls",
    "island",
    "beach",
    "geopark",
    "mansion",
    "residence",
    "compound",
    "theatre",
    "theater",
    "stage",
    "hall",
    "market",
    "hot springs",
    "hot spring",
)
# Other words visitors use for a kind: "the waterfall" is Baiyun Falls.
KIND_WORDS = {"falls": ("waterfall",), "waterfall": ("falls",), "grottoes": ("caves",)}
# Nouns of administrative areas: a name before them is a place, not an attraction.
ADMIN_KINDS = ("county", "city", "district", "province", "prefecture", "town", "region")


def attraction_kind(name: str) -> Optional[str]:
    """The kind a name ends in ("Jinshui Lake" -> "lake"), longest first, else None."""
    lowered = name.lower().strip()
    for kind in sorted(ATTRACTION_KINDS, key=len, reverse=True):
        if lowered.endswith(" " + kind):
            return kind
    return None
