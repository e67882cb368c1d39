"""The page reader: headings, `Key: value` facts, bullets and the sight they belong to."""

from knowledge.read import item_parts, read, title

PAGE = """# Tarrow: a day out

Tarrow is a market town on the river Wend.

📌 Quick facts
Population: 52,000
Area: 640 sq km

Climate
Winters are wet and mild.

⭐ Top sights
- Wool Hall Museum - the old cloth exchange
- Opening Hours: 9:00 - 17:00
- Tickets: 5 pounds
- Heron Lake
- Tickets: free
"""


def test_headings_stand_alone_and_every_block_keeps_its_section():
    blocks = read(PAGE)
    assert title(blocks) == "Tarrow: a day out"
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "Tarrow: a day out",
        "Quick facts",
        "Climate",
        "Top sights",
    ]
    winter = next(b for b in blocks if b.text.startswith("Winters"))
    assert winter.kind == "prose" and winter.section == "Climate"


def test_a_facts_block_is_key_value_lines_of_the_page_itself():
    facts = [(b.key, b.value, b.owner) for b in read(PAGE) if b.section == "Quick facts" and b.kind == "fact"]
    assert facts == [("Population", "52,000", ""), ("Area", "640 sq km", "")]


def test_key_value_bullets_belong_to_the_named_bullet_above_them():
    owned = [(b.owner, b.text) for b in read(PAGE) if b.kind == "fact" and b.owner]
    assert owned == [
        ("Wool Hall Museum", "Opening Hours: 9:00 - 17:00"),
        ("Wool Hall Museum", "Tickets: 5 pounds"),
        ("Heron Lake", "Tickets: free"),
    ]


def test_an_items_name_ends_where_its_description_starts():
    assert item_parts("Wool Hall Museum - the old cloth exchange") == (
        "Wool Hall Museum",
        "the old cloth exchange",
    )
    assert item_parts("Heron Lake 🌿") == ("Heron Lake", "")
    assert item_parts("Mogao Caves (Buddhist cave art)") == ("Mogao Caves", "Buddhist cave art")
