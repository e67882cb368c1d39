"""The page reader: headings, `Key: value` facts, bullets and the sight they belong to."""

import re

from knowledge.build import build
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


INFOBOX = "Tarrow\nCountry\t England\nArea\n • Total\t640 km2 (250 sq mi)\nPostal code\tTW1\n"


def test_an_infobox_pasted_with_tabs_is_facts_and_a_sub_item_names_its_label():
    facts = [(b.key, b.value) for b in read(INFOBOX) if b.kind == "fact"]
    assert facts == [("Country", "England"), ("Area total", "640 km2 (250 sq mi)"), ("Postal code", "TW1")]
    assert not [b for b in read(INFOBOX) if b.text == "Area"]  # a label, not a sentence


TABLE = """Climate
Month\tJan\tFeb\tYear
Daily mean °C\t−6.9\t−2.6\t9.4
Average precipitation mm\t1.2\t2.0\t242.0
Source: the weather office
"""


def test_each_row_of_a_pasted_table_is_one_fact_with_its_column_names_and_unit():
    rows = [b.text for b in read(TABLE) if b.kind == "fact"]
    assert rows == [
        "Daily mean: Jan −6.9 °C; Feb −2.6 °C; year 9.4 °C",
        "Average precipitation: Jan 1.2 mm; Feb 2.0 mm; year 242.0 mm",
    ]


def test_a_header_without_a_cell_over_the_row_names_keeps_each_figure_under_its_month():
    # Wikivoyage pastes "<TAB>Jan<TAB>Feb", the empty first cell lost with the line's margin
    table = "\tJan\tFeb\tMar\nAvg high (°C)\t-1\t3\t10\nPrecipitation (mm)\t1\t2\t5\n"
    rows = [b for b in read(table) if b.kind == "fact"]
    assert [b.text for b in rows] == [
        "Avg high: Jan -1 °C; Feb 3 °C; Mar 10 °C",
        "Precipitation: Jan 1 mm; Feb 2 mm; Mar 5 mm",
    ]
    assert rows[0].cells == (("Jan", "-1 °C"), ("Feb", "3 °C"), ("Mar", "10 °C"))


def test_an_encyclopedia_s_references_and_everything_after_them_are_left_out():
    page = (
        'Tarrow\nTarrow is a town of Wend.\n\nReferences[edit]\n^ "Census". Retrieved 2021-06-14.\n'
        "External links[edit]\nAuthority control databases Edit this at Wikidata\nCategories: Towns in Wend\n"
    )
    assert [b.text for b in read(page) if b.kind != "heading"] == ["Tarrow is a town of Wend."]


LISTICLE = """Top things to do

1. Wool Hall Museum
The old cloth exchange, now a museum of the town.
Open: 9:00-17:00
Price: 5 pounds

2. Heron Lake
A lake with boats for hire.
Price: Free

Where to eat
Try the fish pie.
"""


def test_a_numbered_entry_over_its_own_paragraph_owns_the_text_and_facts_under_it():
    owned = [(b.owner, b.kind, b.text) for b in read(LISTICLE) if b.owner]
    assert owned == [
        ("Wool Hall Museum", "prose", "The old cloth exchange, now a museum of the town."),
        ("Wool Hall Museum", "fact", "Open: 9:00-17:00"),
        ("Wool Hall Museum", "fact", "Price: 5 pounds"),
        ("Heron Lake", "prose", "A lake with boats for hire."),
        ("Heron Lake", "fact", "Price: Free"),
    ]
    assert next(b for b in read(LISTICLE) if b.text == "Try the fish pie.").owner == ""


def test_wikipedias_edit_links_are_no_part_of_a_heading():
    assert [b.text for b in read("History[edit]\nThe town is old.\n") if b.kind == "heading"] == ["History"]


def test_a_list_without_bullets_is_a_line_each_and_a_column_says_its_unit():
    page = (
        "Notable people\nWang Shou (1421–1489), commander who built the fort\nMa Lian (1887–1951), educator\n"
    )
    assert [b.text for b in read(page) if b.kind == "prose"] == [
        "Wang Shou (1421–1489), commander who built the fort",
        "Ma Lian (1887–1951), educator",
    ]
    table = "Name\tPopulation\tArea (km2)\nBaitu County\t98,600\t1,892\n"
    assert [b.text for b in read(table) if b.kind == "fact"] == [
        "Baitu County: population 98,600; area 1,892 km2"
    ]


def test_the_frame_of_a_pasted_page_is_no_part_of_its_text():
    page = (
        "塔罗市人民政府  Tarrow Municipal Government\n中文 | English | 无障碍\n"
        "Home | Government | Visiting | About Tarrow\nHome > About > City Profile\n\n"
        "Tarrow is a market town.\nOpen: 9:00 | Price: 5 pounds | Closed Mondays\n\n"
        "【Print】【Close】\nCopyright © 2024 Tarrow Government. All Rights Reserved.\n\n"
        "Contents\n1 Understand\n2 Get in\n"
    )
    said = [b.text for b in read(page)]
    assert said == [
        "Tarrow Municipal Government (塔罗市人民政府)",
        "Tarrow is a market town. Open: 9:00 | Price: 5 pounds | Closed Mondays",
    ]


def test_a_list_written_inline_or_with_bracketed_numbers_is_an_item_a_line():
    page = "The sights:\n① Reed Lake (4A), birds; ② Kiln Museum (free admission; closed on Mondays), pots.\n(1) Wool Hall.\n"
    assert [b.text for b in read(page) if b.kind == "item"] == [
        "Reed Lake (4A), birds;",
        "Kiln Museum (free admission; closed on Mondays), pots.",
        "Wool Hall.",
    ]


def test_a_guides_listing_line_is_about_the_place_it_names():
    page = (
        "See\nKiln Museum (窑博物馆), 2 Mill St. 09:00-17:00. Free.\n"
        "Reed Lake (芦湖), east of town. Boats for hire.\n\n"
        "Eat\nOld Pie House (老饼屋), Market Sq. Try the fish pie.\n"
    )
    blocks = read(page)
    assert [b.text for b in blocks if b.kind == "item"] == ["Kiln Museum", "Reed Lake"]  # not the pie house
    assert [(b.owner, b.text) for b in blocks if b.kind == "prose"] == [
        ("Kiln Museum", "Kiln Museum (窑博物馆), 2 Mill St. 09:00-17:00. Free."),
        ("Reed Lake", "Reed Lake (芦湖), east of town. Boats for hire."),
        ("Old Pie House", "Old Pie House (老饼屋), Market Sq. Try the fish pie."),
    ]


def test_a_list_of_entries_led_by_their_names_is_about_each_name():
    page = (
        "Do\nKite Festival, Reed Lake. Early May. Hotels fill up.\n"
        "Walk up Mount Ferrow. The summit is at 1,204 m. Take water.\n"
        "The town is quiet. Most shops shut at six.\n"
    )
    owned = [(b.owner, b.text) for b in read(page) if b.kind == "prose"]
    assert owned == [
        ("Kite Festival", "Kite Festival, Reed Lake. Early May. Hotels fill up."),
        ("Walk up Mount Ferrow", "Walk up Mount Ferrow. The summit is at 1,204 m. Take water."),
        ("", "The town is quiet. Most shops shut at six."),  # a sentence, not a name
    ]
    assert not [b for b in read(page) if b.kind == "item"]  # entries to do, not sights


def test_a_byline_and_a_wikis_footer_are_frame():
    page = (
        "Tarrow\n\nBy Ann Lee | Photographs by Bo Chen Published 18 November 2023 | Comments (14)\n\n"
        "Tarrow is a market town. Its hall was updated in 2019.\n\n"
        "This city travel guide to Tarrow is a usable article. Please help it grow!\n"
        "Last edited on 11 January 2024, at 08:42.\n"
    )
    assert [b.text for b in read(page) if b.kind == "prose"] == [
        "Tarrow is a market town. Its hall was updated in 2019."
    ]


def test_a_sites_menu_a_wikis_tools_and_a_forums_furniture_are_frame():
    page = (
        "Skip to main content\nTours   Destinations   Travel Guide   Reviews   About Us\n"
        "We use cookies to improve your experience. Accept   Manage settings\n\n"
        "Contents\nhide\n(Top)\n1\tHistory\n2.1\tModern town\n\n"
        "Tarrow\n31 languages\nArticle\nTalk\nView history\nFor other uses, see Tarrow (disambiguation).\n"
        "The old mill seen from the river\nThe old mill seen from the river\n\n"
        "Tarrow is a market town.\n\n"
        "2. Re: Tarrow in two days?\nLevel Contributor\n42 posts\nApr 3, 2024, 8:02 AM\n"
        "The lake ticket is 60.\nHelpful answer (5)\nReport inappropriate content\n"
    )
    told = [b.text for b in read(page) if b.kind != "heading"]
    assert told == ["The old mill seen from the river", "Tarrow is a market town.", "The lake ticket is 60."]


def test_a_short_line_between_sentences_is_a_label_not_the_start_of_the_next_one():
    page = (
        "Re: Tarrow in two days?\nmillhand_88\nLeeds, United Kingdom\nThe ferry costs 12 pounds.\n"
        "By rail\nTarrow station is 2 km north of the market square.\n"
        "The old mill was built in the\nTudor period and rebuilt in 1850.\n"
    )
    told = [b.text for b in read(page) if b.kind != "heading"]
    # (the poster's name is frame; the place under it opens the post)
    assert "Leeds, United Kingdom" in [b.text for b in read(page)] and "By rail" in told
    assert not any("millhand" in b.text for b in read(page))
    assert "The ferry costs 12 pounds." in told
    assert told[-1].startswith("Tarrow station is 2 km north of the market square.")
    assert told[-1].endswith("The old mill was built in the Tudor period and rebuilt in 1850.")


def test_a_pages_opening_menu_breadcrumb_share_buttons_and_ratings_are_frame():
    page = (
        "TravelGlobe\nDiscover\nTrips\nReview\nUSD\nSign in\nSearch\n"
        "Europe  >  Wend  >  Tarrow  >  Things to Do in Tarrow\nThings to Do in Tarrow\nTarrow, Wend Province\n"
        "Hotels\nThings to Do\nRestaurants\nFlights\n\n"
        "Share\nFacebook\nPin it\nCopy link\n\n"
        "1. Reed Lake\n4.5 of 5 bubbles\n876 reviews\nA reservoir lake 18 km south of town.\n\n"
        "Lunch ideas\nHand-pulled noodles\nMutton soup\nJujube tea\n"
    )
    told = [b.text for b in read(page) if b.kind != "heading"]
    assert "Tarrow, Wend Province" in told  # a line naming a place is no menu link
    assert not any(t in ("Discover", "Hotels", "Flights", "Facebook", "Pin it") for t in told)
    assert not any("bubbles" in t or "Europe" in t for t in told)
    # a list after the page has begun is no menu
    assert {"Hand-pulled noodles", "Mutton soup", "Jujube tea"} <= set(told)


def test_a_wikis_menu_of_words_that_never_change_form_is_frame_and_so_is_its_edit_link():
    page = (
        "Main menu\nmove to sidebar\nNavigation\nMain page\nTravel destinations\nRecent changes\n"
        "Random page\nSearch Wikivoyage\nDonate\n\nTarrow\n\nTarrow is a market town.\n\n"
        "See\n[edit]\nReed Temple (芦寺), 12 Simiao Lane. A temple founded in 1084. ¥30.\n"
    )
    blocks = read(page)
    told = [b.text for b in blocks]
    assert not any(t in ("Navigation", "Recent changes", "move to sidebar", "[edit]") for t in told)
    assert [b.section for b in blocks if b.text.startswith("Reed Temple (")] == ["See"]


def test_an_faqs_question_heads_its_answer_and_a_price_tier_keeps_its_section():
    page = (
        "How big is Tarrow and how many people live here?\nThe county covers 2,156 square kilometres.\n\n"
        "Eat\nLocal cooking is spicy.\n\nBudget\nLao Zhou Rice Noodles (老周米粉), 18 Hedong St. A bowl of noodles is ¥12.\n"
    )
    blocks = read(page)
    assert blocks[0].kind == "heading" and blocks[1].section == blocks[0].text
    assert {b.section for b in blocks if "Noodles" in b.text} == {"Eat – Budget"}
    assert not [b for b in blocks if b.kind == "item"]  # a place to eat is no sight


VIDEO = """Three Days in Tarrow!! 🇨🇳 the town nobody visits

Wander Lee
12K subscribers
48,210 views  2 months ago  #tarrow

Chapters:
0:00 Intro
0:20 Getting there
1:10 Reed Lake 🚣
2:30 Kiln Museum

Transcript

0:00
[Music]
0:04
so guys this is tarrow and it's a small town
0:08
in wend province in the south of the valley
0:12
okay so it has around 52,000 people and it is
0:16
famous for glass
0:20
so getting here I took the bus from brisk
0:24
it takes 2 hours and it's 35 yuan
1:10
okay so this is reed lake it's about 3 kilometers
1:14
from the centre and the boat is 20 yuan
1:18
[Laughter]
1:20
I love it here
2:30
so the kiln museum is open from 9 to 5
2:34
and it's free you just show your passport

Comments

@heron_fan  1 month ago
the boat is 25 now
Reply
"""


def test_a_video_transcript_is_its_chapters_speech_without_timestamps():
    blocks = read(VIDEO)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert {"Reed Lake", "Kiln Museum", "Getting there"} <= set(headings)
    said = " ".join(b.text for b in blocks)
    assert not re.search(r"\b\d:\d\d\b|\[Music\]|Laughter|0:00 Intro", said)
    lake = [b for b in blocks if b.section == "Reed Lake" and b.kind == "prose"]
    assert "the boat is 20 yuan" in " ".join(b.text for b in lake)
    assert "the boat is 25 now" in said  # the comments stay


BROCHURE = "\f".join(
    [
        "                 DISCOVER TARROW\n\n        Official Visitor Guide\n\n                 - 1 -\n",
        "DISCOVER TARROW | 2025                          塔罗旅游指南\n\n"
        "CONTENTS\n\nWelcome to Tarrow ..................... 2\nTop Sights ............................ 3\n\n"
        "WELCOME TO TARROW\n\n"
        "Tucked into the green hills of Wend Province, Tarrow is a town of\n"
        "about 61,000 people. We recom-\n"
        "mend that visitors start at the East Gate and climb to the north-\n"
        "east tower.\n\n"
        "TARROW AT A GLANCE\n\n"
        "Province                  Wend\n"
        "Area                      438 km²\n\n"
        "                               Page 2\n",
        "塔罗旅游指南                          DISCOVER TARROW | 2025\n\n"
        "1  HERON CAVE 白鹭洞\n\n"
        "Heron Cave, 18 km south-west of the town, is a limestone cave with a\n"
        "2.6 km visitor route.\n\n"
        "Open 08:30–17:30 · Tickets ¥78 (incl. boat) · Bus 15\n\n"
        "Season     Months     Avg. temp     Rainfall\n"
        "Spring     Mar–May    16.8°C        480 mm\n"
        "Year                  17.2°C        1,360 mm\n\n"
        "                                 - 3 -\n",
    ]
)


def test_a_printed_brochure_is_read_without_its_page_furniture_and_with_its_columns():
    blocks = read(BROCHURE)
    said = [b.text for b in blocks]
    assert not any("DISCOVER" in s or "Page 2" in s or "...." in s for s in said)
    # a paragraph cut at the page's width is one, a hyphen at a line's end joins a word
    assert any("is a town of about 61,000 people. We recommend that" in s for s in said)
    assert any("north-east tower" in s for s in said)
    facts = {b.key: b.value for b in blocks if b.kind == "fact"}
    assert facts["Province"] == "Wend" and facts["Area"] == "438 km²"
    # an empty cell stays in its column
    assert facts["Year"] == "avg. temp 17.2°C; rainfall 1,360 mm"
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Heron Cave" in headings and "Welcome to Tarrow" in headings
    cave = " ".join(b.text for b in blocks if b.section == "Heron Cave")
    assert "Open 08:30–17:30. Tickets ¥78 (incl. boat). Bus 15." in cave


def test_a_listing_line_may_name_its_place_before_a_colon():
    blocks = read(
        "What to see\n\nHeron Tulou Cluster (白鹭土楼群): THE reason to come. 52 km west of town, five "
        "earthen roundhouses. Ticket ¥90, open 8:00-17:30.\n"
    )
    assert [b.text for b in blocks if b.kind == "item"] == ["Heron Tulou Cluster"]
    assert all(b.owner == "Heron Tulou Cluster" for b in blocks if b.kind == "prose")


def test_a_social_site_s_buttons_points_and_user_names_are_frame():
    page = (
        "Get App\nLog In\nOpen menu\n\nOpen in app\n\nr/travelchina icon\nGo to travelchina\nr/travelchina\n"
        "2 yr. ago\nbackpack_ottilie\n\nIs Tarrow worth 2-3 days? How do I get there from Kelso?\n\n"
        "xiyun_local_lin\n88 points · 2 yr. ago\n\nThe museum is closed on Mondays.\n\n"
        "Reply Share Report Save Follow\n\n[deleted]\n\nSort by: Best\nSearch Comments\n"
    )
    said = [b.text for b in read(page)]
    assert said == [
        "Is Tarrow worth 2-3 days? How do I get there from Kelso?",
        "The museum is closed on Mondays.",
    ]


def test_a_heading_under_a_heading_is_a_sub_heading_of_it():
    page = (
        "Tickets\nAdmission to the permanent galleries:\nAdults: ¥50\nChildren under 1.2 m: free\n\n"
        "LOCAL KNOWLEDGE\nTHE HERON SUPPER\nMay Ling, guesthouse owner\n\n"
        "Area info\nWhat's nearby\nHeron Bridge\t350 m\nOld Bell Tower\t0.8 km\nClosest airports\nKell Airport\t42 km\n"
    )
    sections = {b.text: b.section for b in read(page) if b.kind != "heading"}
    assert sections["Adults: ¥50"] == "Tickets – Admission to the permanent galleries"
    assert sections["May Ling, guesthouse owner"] == "LOCAL KNOWLEDGE – THE HERON SUPPER"
    assert sections["Old Bell Tower: 0.8 km"] == "Area info – What's nearby"
    assert sections["Kell Airport: 42 km"] == "Area info – Closest airports"
    page = "Opening hours\nSummer season (1 April – 31 October)\nTuesday – Sunday: 9:00 – 17:30\n"
    sections = {b.text: b.section for b in read(page) if b.kind != "heading"}
    assert (
        sections["Tuesday – Sunday: 9:00 – 17:30"] == "Opening hours – Summer season (1 April – 31 October)"
    )


PLAIN_TEXT_GUIDE = """------------------------------------------------------------
THE ROUTE: K81 BRISK -> TARROW (daily)
------------------------------------------------------------
Station        km     Arrive    Depart
Brisk           0      --       07:42
Kell           46     08:31     08:35
Tarrow         98     09:40      --

FAQ
Q: Is there a bus instead?
A: Coaches leave Brisk at 8:00 and take about
   2 h 30 min, ¥60. Faster, yes.

FARES
Hard seat (硬座) ............................ ¥41.5
Surface:            98 km²

TIPS
1. Change money before you come: there is one ATM that takes foreign cards,
   at the Bank of China on Mill Road.

* Heron Bridge (the "Old Bridge", 白鹭桥) - the stone bridge of the town.
  Built in 1587, 96 m long.
"""


def test_a_plain_text_page_s_boxed_titles_spaced_columns_and_wrapped_lines_are_read_as_meant():
    blocks = read(PLAIN_TEXT_GUIDE)
    assert [b.text for b in blocks if b.kind == "heading"][0] == "THE ROUTE: K81 BRISK -> TARROW (daily)"
    facts = [b.text for b in blocks if b.kind == "fact"]
    # a table set in columns by spaces is one fact a row, "--" no value
    assert "Brisk: km 0; depart 07:42" in facts and "Kell: km 46; arrive 08:31; depart 08:35" in facts
    # a line indented under an answer goes on with it
    assert "A: Coaches leave Brisk at 8:00 and take about 2 h 30 min, ¥60. Faster, yes." in facts
    assert any(f.endswith("foreign cards, at the Bank of China on Mill Road.") for f in facts)
    # dots that lead a label to its value, and spaces that set a value apart, read as ": " and " "
    assert "Hard seat (硬座): ¥41.5" in facts and "Surface: 98 km²" in facts
    # (a bullet's indented lines stay its own paragraph's sentences)
    assert any(b.text == "Built in 1587, 96 m long." and b.owner == "Heron Bridge" for b in blocks)


def test_a_nickname_in_quotes_beside_the_chinese_name_is_another_name_of_the_sight():
    kb = build("Tarrow\n\nSights\n" + PLAIN_TEXT_GUIDE.split("\n\n")[-1], "guide.txt")
    (bridge,) = kb["attractions"]
    assert "Old Bridge" in bridge["aliases"]


# A county government's bilingual notice: Chinese headings and items, each item's Chinese
# sentence before its English one, a table with cells set apart by " | ", names in Chinese
# before English, and a news dateline naming another town first.
BILINGUAL_NOTICE = """石陂县人民政府
Shibei County People's Government
首页 Home | 政务公开 Open Government | 走进石陂 About Shibei
2024-05-02 | 兰州 Lanzhou 21°C

关于鹤岭景区开放时间的公告
Announcement on the Opening Hours of Heling Scenic Area

一、开放时间
Article 1  Opening Hours
（一）旺季 Peak season (1 April – 31 October): 08:00–17:30
（二）玻璃桥每周一上午停业检修。The Glass Bridge is closed on Monday mornings for inspection.

二、门票价格
Article 2  Tickets
项目 Item | 旺季 Peak | 淡季 Off-season
景区门票 Entrance ticket | 80元 | 60元
玻璃桥 Glass Bridge | 50元 | 50元
索道 Cable car | 70元 | 70元

三、优惠政策
Article 3  Concessions
（一）免票 Free admission:
1. 65周岁以上老年人凭身份证 — seniors aged 65 and over, with ID card; max. 2 children per adult.
（二）半价 Half price:
1. 全日制学生凭学生证 — full-time students with valid student ID.

About the Scenic Area
Heling lies 22 km north of the Shibei (石陂县) county seat. The Shibei Culture and Tourism Bureau (石陂县文旅局) runs it.
· 鹤鸣瀑布 Crane Call Falls — 42 m high, best in July.
· 玻璃桥 Glass Bridge — 260 m long, opened 2020.
Shibei has some 120,000 people (pop. approx. 118,000 in town). Shibei grows tea; Shibei tea is sold on every street of Shibei.
"""


def test_a_bilingual_notice_is_read_in_english_with_its_items_headings_and_table():
    blocks = read(BILINGUAL_NOTICE)
    headings = [b.text for b in blocks if b.kind == "heading"]
    # a notice's numbered items are bullets, so its English article lines are headings
    assert "Article 1 Opening Hours" in headings and "Article 3 Concessions" in headings
    texts = [b.text for b in blocks]
    # an item's Chinese sentence before its English one is left out
    assert "The Glass Bridge is closed on Monday mornings for inspection." in texts
    assert "Peak season (1 April – 31 October): 08:00–17:30" in texts
    assert any(t.startswith("seniors aged 65 and over, with ID card;") for t in texts)
    # an item ending in ":" over numbered cases heads them
    assert "Article 3 Concessions – Half price" in headings
    # a table set apart by " | " is one fact a row, names in English first
    facts = [b.text for b in blocks if b.kind == "fact"]
    assert "Entrance ticket (景区门票): peak (旺季) 80元; off-season (淡季) 60元" in facts


def test_a_bilingual_notice_names_its_town_its_sights_and_what_each_item_says_of_them():
    kb = build(BILINGUAL_NOTICE, "notice.txt")
    # the town the page glosses as a county (县), not the dateline's city
    assert kb["city"]["name"] == "Shibei"
    sights = {a["name"]: a for a in kb["attractions"]}
    # names in Chinese before English are sights; a tourism bureau is none
    assert set(sights) == {"Crane Call Falls", "Glass Bridge"}
    bridge = [f["text"] for f in sights["Glass Bridge"]["facts"]]
    # an item of the notice that names a sight is said of it
    assert "The Glass Bridge is closed on Monday mornings for inspection." in bridge
    # "max." and "approx." before a figure end no sentence
    assert any(s.endswith("max. 2 children per adult.") for s in kb["sentences"])


# A translated encyclopedia entry: an infobox of two label and value pairs a line, numbered
# sub-sections inside a section's paragraph, and a list of references.
ENCYCLOPEDIA = """Wend County
Wend County is a county of Tarrow City, Pale Province.

Basic information
Chinese name\t文德县\tForeign name\tWend County
Area\t1,240 km²\tPopulation\t186,000 people (2022)
Telephone area code\t0871\tDialect\tPale Mandarin

Table of contents
1 History
2 Geography
2.1 Location
2.2 Climate
3 Tourist attractions

1 History
edit
In 1913, Wend Hall was changed to Wend County [1].

2 Geography
edit
2.1 Location
Wend County lies in the east of Pale Province, 80 kilometers from Tarrow.
2.2 Climate
The annual average temperature is 14.2 ℃, and the annual rainfall is 1,120 mm.

3 Tourist attractions
edit
3.1 Heron Pagoda
Heron Pagoda was built in 1602 and has nine storeys. The pagoda ticket is 30 yuan.
3.2 Reed Lake Wetland
Reed Lake Wetland covers 12 square kilometers. Entry is free.

4 Reference materials
[1] Wend County Annals. Tarrow: Pale People's Publishing House, 1994
"""


def test_an_encyclopedia_entry_s_infobox_pairs_sub_sections_and_references_are_read_as_meant():
    blocks = read(ENCYCLOPEDIA)
    facts = [b.text for b in blocks if b.kind == "fact"]
    # two pairs a line: a fact each, no header row taken from the first line
    assert {"Chinese name: 文德县", "Area: 1,240 km²", "Population: 186,000 people (2022)"} <= set(facts)
    assert "Telephone area code: 0871" in facts and "Dialect: Pale Mandarin" in facts
    headings = [b.text for b in blocks if b.kind == "heading"]
    # "2.1 Location" inside the paragraph is a heading of its own, without its number
    assert {"Location", "Climate", "Heron Pagoda", "Reed Lake Wetland"} <= set(headings)
    lake = next(b for b in blocks if b.text.startswith("Reed Lake Wetland covers"))
    assert lake.section == "Reed Lake Wetland"
    # the contents and the references are no part of what the page says
    assert not any("Publishing House" in b.text or b.text.startswith("1 History 2") for b in blocks)
    # a reference mark goes with the space before it
    assert "In 1913, Wend Hall was changed to Wend County." in [b.text for b in blocks]
    kb = build(ENCYCLOPEDIA, "wend.txt")
    assert {"Heron Pagoda", "Reed Lake Wetland"} <= {a["name"] for a in kb["attractions"]}


# A review site's attraction page: its menu, then the sight's name, and labels over values.
REVIEW_SITE = """Skip to main content
Discover
Trips
Review
Sign in
Things to Do in Tarrow
Heron Cave
4.5
Heron Cave is a limestone cave 9 km north of Tarrow.
Suggested duration
2-3 hours
Hours today
8:00 AM - 5:30 PM
Restaurants
12 within 5 km
"""


def test_a_label_over_its_value_is_one_fact_and_the_page_s_sight_is_named_under_its_menu():
    facts = [b.text for b in read(REVIEW_SITE) if b.kind == "fact"]
    assert "Suggested duration: 2-3 hours" in facts and "Restaurants: 12 within 5 km" in facts
    assert "Hours today: 8:00 AM - 5:30 PM" in facts
    # a name over its rating is no label
    assert not any(f.startswith("Heron Cave:") for f in facts)
    assert build(REVIEW_SITE, "cave.txt")["page_sight"] == "Heron Cave"


def test_a_name_over_its_distance_is_one_fact():
    # a booking site's "What's nearby": a place a line, its distance on the next
    page = "What's nearby\nKiln Museum\n400 m\nTarrow Long-distance Bus Station\n1.9 km\n"
    facts = [b.text for b in read(page) if b.kind == "fact"]
    assert facts == ["Kiln Museum: 400 m", "Tarrow Long-distance Bus Station: 1.9 km"]
