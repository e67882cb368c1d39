"""Read a document as real pages are written: headings, `Key: value` lines, bullet lists
and paragraphs, before any sentence is split.

Pages pasted from a travel site or an encyclopedia are not tidy prose: a heading stands on
a line of its own ("Climate", "## Getting there", "🍜 What to eat", "History:"), a facts
block is a run of `Key: value` lines, and a list of sights is a bullet per sight followed
by bullets that describe it ("- Opening Hours: 9:00 - 17:00"). `read` turns the text into
`Block`s, each with its section heading and the place it is about (a bullet naming a place
owns the `Key: value` bullets under it), so that no heading is glued into the sentence
after it and "Opening Hours:" under a sight is that sight's hours.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Optional, Sequence, Set, Tuple

from knowledge.kinds import ADMIN_KINDS, attraction_kind
from knowledge.language import CALENDAR_WORDS, dictionary_word
from knowledge.text import STOPWORDS

# Chinese numbers that count a notice's items: "（一）", "(二)", "三、", "1、", "（4）".
_CHINESE_NUMBER = r"[一二三四五六七八九十]{1,3}"
# A bullet: "- ", "* ", "• ", "1. ", "2) ", "(3) ", "④ ", and a Chinese notice's "（一）".
_BULLET = re.compile(
    r"^\s*(?:[-*•·▪◦‣–—★☆✔✓►▶➤]|\d{1,2}[.)、]|\(\d{1,2}\)|[①-⑳]"
    rf"|[(（](?:{_CHINESE_NUMBER}|\d{{1,2}})[)）]|{_CHINESE_NUMBER}、)"
    r"\s*(?<=[\s)①-⑳）、])(?P<text>.+)$"
)
# A sentence in Chinese before its English translation on a bilingual page: "（三）玻璃栈道每周二
# 停业检修。The Glass Skywalk is closed every Tuesday ...", "65周岁以上老年人 — seniors aged 65 ...".
_TRANSLATED = re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*?(?:。\s*|\s*[—–]\s+)(?=[A-Za-z])")
# The edge of a box drawn in lines: "┌────", "│ ", " │".
_BOX_EDGE = re.compile(r"^\s*[\u2500-\u257f]+\s?|\s*[\u2500-\u257f]+\s*$")
# A name in Chinese, then in English: "银屏瀑布 Silver Screen Falls — 68 m high" ...
_CHINESE_FIRST = re.compile(
    r"^(?P<native>[\u4e00-\u9fff]+)\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z&][\w'’-]*){1,5}?)(?=\s*(?:[—–:(,]|\s-\s|$))"
)
# ... and a name with words in lower case ("竹筏漂流 Bamboo rafting — a 3.5 km drift", a cell
# "旺季 Peak") only before what a list says of it, not "旺季 Peak season (1 March – ...): 07:30".
_CHINESE_FIRST_LISTED = re.compile(
    r"^(?P<native>[\u4e00-\u9fff]+)\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Za-z&][\w'’-]*){0,5}?)(?=\s+[—–-]\s|$)"
)
# A label in Chinese before the same in English: "高铁 High-speed rail: ...", "旺季 Peak season (...)".
_CHINESE_LABEL = re.compile(r"^[\u4e00-\u9fff]+\s+(?=[A-Z])")
# A table whose cells are set apart by " | " without a frame: "Item | Peak | Off-season".
_PIPED = re.compile(r"\s+\|\s+")
# ... at least this many rows, each with as many cells
_PIPED_ROWS = 3
# "① A; ② B; ③ C" in one line: a list written inline, an item each.
_INLINE_ITEMS = re.compile(r"\s*(?=[①-⑳])")
# A `Key: value` line: a short key of words (not a sentence) and a value.
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z][\w'’()/&.-]*(?: [\w'’()/&.-]+){0,4}):\s+(?P<value>\S.*)$")
# Where a bullet's name ends: "Mogao Caves - ...", "Name: ...", "Name (...)", "Name, ...".
_ITEM_SPLIT = re.compile(r"\s+[-–—]\s+|:\s+|\s*\(|,\s+")
# A markdown heading.
# The titles a name follows, their full stop no sentence's end: "Ms. Yang", "No. 2 Middle School".
TITLES = "No|Nos|Mt|Dr|Mr|Mrs|Ms|Prof"
# A sentence or a line wholly in brackets: "(Entry 40 yuan; open 7 a.m. to 5:30 p.m.)".
BRACKETED = re.compile(r"\([^()]*(?:\([^()]*\)[^()]*)*\)\.?")
# A guidebook entry's type, in capitals under its name: "DRUM TOWER", "NOODLES ¥¥".
_TYPE_LABEL = re.compile(r"[A-Z][A-Z&'’-]*(?: [A-Z&'’-]+){0,2}(?:\s*[¥$€£]{1,3})?")
# An article opens a title, never a type label ("THE LONG-TABLE BANQUET").
_ARTICLE = re.compile(r"(?:THE|A|AN)\s")
_MARKDOWN = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*$")
_CLOSING = re.compile(r"[.!?;,]['\"”’)]*$")
# Headings are short.
HEADING_WORDS = 8


@dataclass(frozen=True)
class Block:
    """A piece of the document: a heading, a `Key: value` fact, a bullet item or prose."""

    text: str
    kind: str  # "heading" | "fact" | "item" | "prose"
    section: str  # the heading above it ("" before the first)
    paragraph: int  # the blank-line separated paragraph it is in, counted from 0
    owner: str = ""  # the place a fact or a bullet under a named item is about
    key: str = ""  # a fact's key ("Opening Hours")
    value: str = ""  # a fact's value
    # a table row's cells by column ("Aug", "101.3 mm"), for questions over the table
    cells: Tuple[Tuple[str, str], ...] = ()


def read(text: str) -> List[Block]:
    """The blocks of a document, in order."""
    blocks: List[Block] = []
    section, owner = "", ""
    entry, entry_section = "", ""  # the place a titled entry is about, and its section
    text = transcript(printed(_without_back_matter(text.replace("\r\n", "\n"))))
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    paragraphs = [lines for lines in _without_menus(list(map(_lines, paragraphs))) if lines]
    for number, lines in enumerate(paragraphs):
        prose: List[str] = []
        table = Table()
        # "1. Fenglan Ancient Town" over a paragraph of its own: the rest of it is about the place.
        opening = _BULLET.match(lines[0])
        owns_paragraph = bool(
            len(lines) > 1
            and opening
            and _names_a_place(opening.group("text"))
            and not _BULLET.match(lines[1])
        )
        if entry and section == entry_section and not opening and not owns_paragraph:
            # "1. Jinta Temple" over paragraphs and "Ticket: CNY 20" lines: until the next
            # entry or heading, they are all about its place
            owner, owns_paragraph = entry, True
        # A pasted table or infobox: its other lines are captions and labels, each on its own;
        # so are the lines of a list without bullets (no line ends a sentence).
        tabular = any("\t" in line for line in lines) or (
            len(lines) > 1 and all(line[:1].isupper() and not _CLOSING.search(line) for line in lines)
        )
        # "Hike in the Longshou Mountains. The range tops out at ...": a guide's list of
        # entries, each line led by its name; two such lines (or listings) make a list.
        titles = [_run_in_title(line) for line in lines]
        listings = [_listing(line) for line in lines]
        if sum(bool(title or listing) for title, listing in zip(titles, listings)) < 2:
            titles = [""] * len(lines)
        headed = ""  # the heading this paragraph opens with
        labelled = False  # the line is the value of the label over it
        for index, line in enumerate(lines):
            if labelled:
                labelled = False
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if index and "\t" not in line + following and _labels(line, following):
                # "Suggested duration" / "2-3 hours": one fact
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                blocks.append(Block(f"{line}: {following}", "fact", section, number, owner, line, following))
                labelled = True
                continue
            under = bool(index and blocks and blocks[-1].kind == "heading" and blocks[-1].paragraph == number)
            if under and _TYPE_LABEL.fullmatch(line) and not _ARTICLE.match(line):
                continue  # a guidebook's entry: "Huilong Bridge" / "BRIDGE" / "(回龙桥; Hexi Rd; 24hr)"
            rows = table.rows(line, following)
            if rows is not None:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                for row in rows:
                    if row.key:
                        blocks.append(
                            Block(row.text, "fact", section, number, owner, row.key, row.value, row.cells)
                        )
                continue
            bullet = _BULLET.match(line)
            body = bullet.group("text").strip() if bullet else line
            # A short line opening a paragraph is its heading when the next line starts anew
            # ("Climate" above "Baiyang has..."), not when it wraps on ("...the eastern part" / "of").
            opens = (not blocks and not prose) or (index == 0 and len(lines) > 1 and _starts_anew(lines[1]))
            heading = _heading(body, is_bullet=bool(bullet), first=opens, alone=len(lines) == 1)
            # (a sub-heading, or one ending in ":" under the paragraph's heading, goes under it)
            sub = bool(heading and under and body.endswith(":"))
            if heading is None and not bullet and _outline_heading(line, following):
                heading = _heading(body, is_bullet=False, first=True, alone=True)
            elif heading is None and not bullet and _sub_heading(line, following, under, tabular, headed):
                heading = _heading(body, is_bullet=False, first=True, alone=True)
                sub = True
            elif heading is None and bullet and headed and body.endswith(":") and _BULLET.match(following):
                # a notice's "(1) Free admission:" over its numbered cases: a sub-heading
                heading = _heading(body, is_bullet=False, first=True, alone=True)
                sub = heading is not None
            if heading is not None:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                heading = _OUTLINE.sub("", heading)  # "6.1 Qianfeng Stone Forest" names the forest
                parent = section.split(" – ")[0]
                owner = _place_heading(heading)
                if headed and sub:
                    # a sub-heading: "Tickets" / "Admission to the permanent galleries:" is
                    # "Tickets – Admission to the permanent galleries"
                    heading = f"{headed} – {heading}"
                elif _PRICE_TIER.match(heading) and practical_section(parent):
                    heading = f"{parent} – {heading}"  # "Budget" under "Eat" is "Eat – Budget"
                headed = headed or heading
                section = heading
                blocks.append(Block(heading, "heading", section, number))
                continue
            fact = _KEY_VALUE.match(body)
            if fact and (bullet or owns_paragraph or _looks_like_facts(lines, index)):
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                blocks.append(
                    Block(
                        body,
                        "fact",
                        section,
                        number,
                        owner,
                        fact.group("key").strip(),
                        fact.group("value").strip(),
                    )
                )
                continue
            if bullet:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                if _names_a_thing(body):
                    name, said = item_parts(body)
                    # a bullet that says all about its place owns only the facts under it
                    # ("Tickets: free"), not the next bullet ("Tea picking in April: ...")
                    owner = name if len(said.split()) <= 8 else ""
                    blocks.append(Block(body, "item", section, number, owner=""))
                else:
                    blocks.append(Block(body, "item", section, number, owner=owner))
                continue
            listing = listings[index]
            if listing:
                # "Shengrong Temple (圣容寺), Yushan Gorge. 09:00-17:30. A temple ...": a guide's
                # listing, every sentence of its line about the place it names; a place to
                # see unless the section is a practical one (where to eat, sleep, get in).
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                if not _PRACTICAL_SECTION.search(section) and listing.split()[-1].lower() not in _DIVISIONS:
                    blocks.append(Block(listing, "item", section, number))
                blocks.append(Block(line, "prose", section, number, owner=listing))
                continue
            if titles[index]:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
                blocks.append(Block(line, "prose", section, number, owner=titles[index]))
                continue
            if owner and not _place_heading(section) and not owns_paragraph:
                owner = ""  # prose after a list is about the page again
            # (a guidebook entry's details on a line of their own: "(回龙桥; Hexi Rd; 24hr)")
            label = _label(line, lines[index + 1] if index + 1 < len(lines) else "", prose) or bool(
                BRACKETED.fullmatch(line)
            )
            if label:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
            prose.append(line)
            if tabular or label:
                _flush(blocks, prose, section, number, owner if owns_paragraph else "")
        _flush(blocks, prose, section, number, owner if owns_paragraph else "")
        if opening and owns_paragraph and owner:
            entry, entry_section = owner, section
        elif opening or section != entry_section:
            entry = ""
        if owns_paragraph:
            owner = ""
    return blocks


# A printed page's number alone on its line that says it is one: "- 4 -", "Page 5" ...
_FOOTER = r"-\s*\d{1,3}\s*-|Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?"
_PAGE_FOOTER = re.compile(rf"\s*(?:{_FOOTER})\s*")
# ... and any, in a printed text: "3" (which elsewhere may be a list's), "6 / 12".
_PAGE_NUMBER = re.compile(rf"\s*(?:{_FOOTER}|\d{{1,3}}(?:\s*/\s*\d{{1,3}})?)\s*")
# A table of contents' line: "Top 8 Sights ........ 4".
_LEADER = re.compile(r"\.{4,}\s*\d{1,3}\s*$")
# A box drawn around a panel: "┌────┐", "│".
_BOX = re.compile(r"[\u2500-\u257f]")
# A printed line's heading number: "3  LONGXING BRIDGE".
_NUMBERED = re.compile(r"^\d{1,2}\s{2,}(?=[A-Z])")
# Columns set apart by spaces: "Area          4,386 km²".
_COLUMN_GAP = re.compile(r"(?<=\S)\s{3,}(?=\S)")
# A heading's name in Chinese after it.
_GLOSS_AFTER = re.compile(r"(?<=[A-Za-z])\s+[\u4e00-\u9fff]+$")
# The heading that opens an encyclopedia's back matter, on a line of its own ("References[edit]").
_BACK_MATTER = re.compile(
    r"^[ \t#=]*(?:References|External links|Further reading|Bibliography|Citations)(?:\[edit\])?[ \t=]*$",
    re.M,
)
# Small words a title leaves in lower case.
_TITLE_SMALL = frozenset("a an and as at by for from in of on or the to with".split())


def _without_back_matter(text: str) -> str:
    """An encyclopedia's page up to its references: what follows ("References", "External
    links", the navigation boxes, "Categories: ...", the site's footer) says nothing of the
    place ("Authority control databases Edit this at Wikidata")."""
    found = _BACK_MATTER.search(text)
    return text[: found.start()] if found else text


def printed(text: str) -> str:
    """A printed document's text as a PDF reader gives it (pages apart by form feeds, a
    running header and a page number on each, words hyphenated at a line's end, lines cut at
    the page's width, columns set apart by spaces, headings in capitals) as a page gives it:
    without headers, numbers and contents, each paragraph a line, a column table's cells
    apart by tabs, headings in title case, and a sight's "Open 9:00–17:00 · Tickets ¥40 · Bus
    3" line a sentence each. Other text is unchanged."""
    pages = text.split("\f")
    footers = sum(1 for line in text.split("\n") if _PAGE_FOOTER.fullmatch(line))
    if len(pages) < 3 and footers < 3:
        return text
    running = _running_lines(pages)
    lines = [
        line.rstrip()
        for page in pages
        for line in page.split("\n")
        if not (line.strip() and (_PAGE_NUMBER.fullmatch(line) or _LEADER.search(line)))
        and _shape(line) not in running
    ]
    # the page's width: that of its longest lines of prose
    lengths = sorted(
        len(line.strip()) for line in lines if line.strip() and not _COLUMN_GAP.search(line.strip())
    )
    width = lengths[len(lengths) * 9 // 10] if lengths else 0
    kept: List[str] = []
    columns: List[int] = []  # where the columns of the table being read start
    for raw in lines:
        line = _BOX.sub(" ", raw).rstrip()
        indent = len(line) - len(line.lstrip())
        line = _NUMBERED.sub("", line.strip())
        cells = _COLUMN_GAP.split(line)
        if len(cells) > 1:
            starts = [indent + m.end() for m in _COLUMN_GAP.finditer(line)]
            columns = columns or [indent, *starts]
            line = "\t".join(_in_columns(cells, [indent, *starts], columns))
        else:
            columns = columns if not line or indent else []
            # a heading in English and Chinese ("Baishui Cave 白水洞"): its English name
            line = _GLOSS_AFTER.sub("", _title_case(line))
        previous = kept[-1] if kept else ""
        if not line:
            kept.append("")
        elif re.search(r"[a-z]-$", previous) and line[:1].islower():
            kept[-1] = _joined_at_hyphen(previous, line)
        elif previous and (
            "\t" in previous
            and "\t" not in line
            and indent  # a cell's value goes on, indented
            or "\t" not in previous + line
            and len(previous) >= width - _WRAP_SLACK
            and indent < _CONTINUED
        ):
            kept[-1] = f"{previous} {line}"
        else:
            kept.append(line)
    said: List[str] = []
    for line in kept:
        parts = [p.strip() for p in line.split(" · ")]
        if (
            len(parts) > 1
            and sum(bool(re.search(r"\d|\bfree\b", p, re.I)) for p in parts) > 1
            and all(re.match(r"[A-Z¥$€£\d]", p) for p in parts)  # not "valid for 3 days · ¥180 · sold at"
        ):
            said += [p if _CLOSING.search(p) else f"{p}." for p in parts]  # "Tickets ¥40."
        else:
            said.append(line)
    return "\n".join(said)


# How far a line's value is indented to go on in the cell above; how much shorter than the
# widest line a line cut at the page's width may be.
_CONTINUED = 8
_WRAP_SLACK = 14


def _joined_at_hyphen(line: str, after: str) -> str:
    """A line ending in a hyphen joined with the next: "recom-" + "mend ..." is one word,
    "north-" + "east ..." stays a compound of two."""
    head = re.search(r"[A-Za-z]+$", line[:-1]).group(0)
    tail = after.split(" ", 1)[0].strip(".,;:")
    whole = dictionary_word((head + tail).lower()) and not all(
        dictionary_word(part.lower()) and len(part) > 2 for part in (head, tail)
    )
    return f"{line[:-1]}{'' if whole else '-'}{after}"


def _in_columns(cells: Sequence[str], starts: Sequence[int], columns: Sequence[int]) -> List[str]:
    """A row's cells in its table's columns, an empty cell where a row says nothing (a
    "Year" row with no months): each cell in the last column starting at or before it."""
    if len(cells) >= len(columns):
        return [_title_case(c) for c in cells]
    placed = [""] * len(columns)
    for cell, start in zip(cells, starts):
        at = max((i for i, column in enumerate(columns) if column <= start + 1), default=0)
        placed[at] = f"{placed[at]} {_title_case(cell)}".strip()
    return placed


def _shape(line: str) -> str:
    """A line without its figures and spacing: a running header's shape on every page."""
    return " ".join(sorted(re.sub(r"\d+", "#", line).split()))  # (left and right pages swap its parts)


def _running_lines(pages: Sequence[str]) -> Set[str]:
    """The shapes of a printed document's running headers and footers: the first or last
    line of several pages."""
    ends: List[str] = []
    for page in pages:
        said = [line for line in page.split("\n") if line.strip() and not _PAGE_NUMBER.fullmatch(line)]
        ends += [_shape(said[0]), _shape(said[-1])] if said else []
    return {shape for shape in ends if ends.count(shape) > 1}


def _title_case(text: str) -> str:
    """A line in capitals in title case ("WHAT TO EAT" -> "What to Eat"), else as it is."""
    letters = re.sub(r"[^A-Za-z]", "", text)
    if len(letters) < 4 or not letters.isupper():
        return text
    said = re.split(r"([ -])", text.title())  # "WIND-AND-RAIN BRIDGE" -> "Wind-and-Rain Bridge"
    return "".join(w.lower() if i and w.lower() in _TITLE_SMALL else w for i, w in enumerate(said))


# A video's transcript as its page pastes it: a timestamp line over each line of speech.
_TIMESTAMP = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*$")
# A chapter of the video's description: "8:52 Moxia Gorge & the glass walkway".
_CHAPTER = re.compile(r"^\s*(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})\s+[-–—]?\s*(?P<title>\S.*?)\s*$")
# A caption of a sound ("[Music]", "[Laughter]").
_SOUND = re.compile(r"^\s*\[[^\]]*\]\s*$")
# The words a speaker starts anew with: where the speech of a transcript is cut into sentences.
_SPOKEN_START = re.compile(
    r"^(?:so|okay|ok|alright|all right|now|and now|but|oh|guys|anyway|this is|here|let's|right|well|then)\b",
    re.I,
)
_TRANSCRIPT_LINES = 10
# A sentence of speech: cut at a fresh start past the first count of words, where the speech
# does not run on past the second, anyway past the third.
_SPOKEN_WORDS = 12, 40, 60


def _seconds(time: str) -> int:
    parts = [int(p) for p in time.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def transcript(text: str) -> str:
    """A video page's transcript (a timestamp line over each line of speech, "[Music]") as
    prose a reader can follow: the speech of each chapter its description lists ("8:52
    Moxia Gorge & the glass walkway") under that title as a heading, without the list, the
    timestamps and the sound captions, cut into sentences where the speaker starts anew
    ("so", "okay") or at the latest every _SPOKEN_WORDS[1] words. Other text is unchanged."""
    lines = text.split("\n")
    stamps = [i for i, line in enumerate(lines) if _TIMESTAMP.match(line)]
    if len(stamps) < _TRANSCRIPT_LINES:
        return text
    first, last = stamps[0], stamps[-1]
    chapters = sorted(
        (_seconds(m.group("time")), plain(m.group("title")))
        for m in map(_CHAPTER.match, lines[:first])
        if m and plain(m.group("title"))
    )
    said: List[Tuple[int, str]] = []
    time, end = 0, last + 1
    for index in range(first, len(lines)):
        line = lines[index].strip()
        if _TIMESTAMP.match(line):
            time = _seconds(line)
        elif index > last and (not line or index > last + 1):
            end = index
            break
        elif line and not _SOUND.match(line):
            said.append((time, line))
    head = [line for line in lines[:first] if not (chapters and _CHAPTER.match(line))]
    spoken: List[str] = []
    for number, (start, title) in enumerate(chapters or [(0, "")]):
        stop = chapters[number + 1][0] if number + 1 < len(chapters) else None
        part = [line for time, line in said if time >= start and (stop is None or time < stop)]
        if number == 0:
            part = [line for time, line in said if stop is None or time < stop]
        if part:
            spoken += ["", title, *_spoken_sentences(part)] if title else ["", *_spoken_sentences(part)]
    return "\n".join([*head, *spoken, "", *lines[end:]])


def _spoken_sentences(said: Sequence[str]) -> List[str]:
    """Lines of speech joined into sentences, one a line (see transcript)."""
    sentences: List[List[str]] = [[]]
    for line in said:
        count = sum(len(part.split()) for part in sentences[-1])
        fresh = _SPOKEN_START.match(line) and count >= _SPOKEN_WORDS[0]
        # not after "is", "of", "the" or before "to", "and": the speech runs on there
        ended = (
            bool(sentences[-1])
            and not {sentences[-1][-1].split()[-1].lower(), line.split()[0].lower()} & STOPWORDS
        )
        if sentences[-1] and (fresh or count >= _SPOKEN_WORDS[1] and ended or count >= _SPOKEN_WORDS[2]):
            sentences.append([])
        sentences[-1].append(line)
    joined = [" ".join(words_said) for words_said in sentences if words_said]
    return [s[0].upper() + s[1:] + ("" if _CLOSING.search(s) else ".") for s in joined]


# How much further a line is indented to go on with the line above, as a wrapped answer or
# fact is ("A: Buses from there to" / "   Qiaolu take 1 h 30.").
_INDENTED = 2
# A table's cell that says there is nothing: "--", "—".
_NO_VALUE = re.compile(r"[-–—]{1,2}")
# Dots that lead a line's label to its value: "Hard seat ............ ¥41.5".
_DOT_LEADER = re.compile(r"\s*\.{4,}\s*(?=\S)")
# A line drawn across the page: "------", "=======".
_RULE = re.compile(r"([-=_*~─━═])\1{4,}")


def _goes_on(line: str, above: str, indent: int) -> bool:
    """True for a line indented under the one `above` (itself indented `indent`) to go on
    with it, as a wrapped answer or fact is; not a bullet, a table's row, or a line under a
    sight's bullet (which owns it as a sentence of its own)."""
    bullet = _BULLET.match(above)
    return (
        bool(above)
        and len(line) - len(line.lstrip()) >= indent + _INDENTED
        and not _BULLET.match(line)
        and not (bullet and _names_a_thing(bullet.group("text")))
        and len(_COLUMN_GAP.split(line.strip())) < 3
    )


def _in_english(line: str) -> str:
    """A line of a bilingual page as a page in English writes it: without the Chinese
    sentence its English one translates, each cell's name English first ("Silver Screen
    Falls (银屏瀑布)") and without a Chinese label before the English ("高铁 High-speed rail:")."""
    bullet = _BULLET.match(line)
    mark = line[: bullet.start("text")] if bullet else ""
    cells = _TRANSLATED.sub("", line[len(mark) :]).split("\t")
    return mark + "\t".join(_CHINESE_LABEL.sub("", _name_first(cell)) for cell in cells)


def _name_first(cell: str) -> str:
    """ "银屏瀑布 Silver Screen Falls — ..." -> "Silver Screen Falls (银屏瀑布) — ..."."""
    found = _CHINESE_FIRST.match(cell) or _CHINESE_FIRST_LISTED.match(cell)
    if found is None:
        return cell
    return f"{found.group('name')} ({found.group('native')}){cell[found.end() :]}"


def _lines(paragraph: str) -> List[str]:
    """A paragraph's lines as the page means them: a markdown table's rows as tab-separated
    cells (as a browser pastes a table), a list written inline ("① A; ② B") an item a line,
    and none of the page's chrome (menus, breadcrumbs, share and print buttons, copyright)."""
    lines: List[str] = []
    if re.match(r"\s*(?:table of )?contents\b", paragraph, re.I) and all(
        re.match(r"\d+(?:\.\d+)*\.?\s+\S", line.strip()) for line in paragraph.strip().split("\n")[1:]
    ):
        return []  # the page's table of contents: "1 Understand", "2. Get in", ...
    raw: List[str] = []
    indent = 0  # of the line the next may go on
    for line in paragraph.split("\n"):
        line = _BOX_EDGE.sub("", line)  # a box drawn round a page's tips: "│ • Dates: Sept 13–22"
        if raw and _goes_on(line, raw[-1], indent):
            raw[-1] = f"{raw[-1]} {line.strip()}"  # "A: Buses from there to" / "   Qiaolu take 1 h 30."
            continue
        raw.append(line.strip())
        indent = len(line) - len(line.lstrip())
    piped = [len(_PIPED.split(line)) if not line.startswith("|") else 1 for line in raw]  # (markdown's below)
    for count in set(piped) - {1}:
        if piped.count(count) >= _PIPED_ROWS:
            # "项目 Item | 旺季 Peak | 淡季 Off-season": a table's rows as tab-separated cells
            raw = [line if n != count else "\t".join(_PIPED.split(line)) for line, n in zip(raw, piped)]
    cells = [_COLUMN_GAP.split(line) for line in raw]
    if sum(len(row) > 2 for row in cells) > 2:
        # a table set in columns by spaces ("Guiyang      0     --     07:42"): tab-separated
        # cells, "--" an empty one
        raw = [
            "\t".join("" if _NO_VALUE.fullmatch(c) else c for c in row) if len(row) > 2 else line
            for line, row in zip(raw, cells)
        ]
    for index, line in enumerate(raw):
        if (
            index
            and _RULE.fullmatch(raw[index - 1])
            and any(_RULE.fullmatch(r) for r in raw[index + 1 : index + 3])
        ):
            line = f"# {line}"  # a title boxed in rules: "-----" / "THE ROUTE: K8761" / "-----"
        if line.startswith("|") and line.endswith("|") and line.count("|") > 2:
            if re.fullmatch(r"[|:\-\s]+", line):
                continue  # the rule under a markdown table's header
            line = "\t".join(cell.strip() for cell in line.strip("|").split("|"))
        elif len(re.findall(r"[①-⑳]", line)) > 1:
            lines += [item for item in _INLINE_ITEMS.split(line) if item.strip()]
            continue
        if _REFERENCE.match(line):
            continue  # an entry of the page's references: "[2] Qianfeng County Annals. Guiyang: ..."
        line = _REFERENCE_MARK.sub("", line)  # "... nickel producer.[3] Yongchang County ..."
        line = _in_english(line)
        if not line or chrome(line):
            continue  # (a menu is told by the spaces between its links)
        line = _DOT_LEADER.sub(": ", line)  # a price list's "Hard seat (硬座) ........ ¥41.5"
        line = re.sub(r" {2,}", " ", line)  # a facts box's "Surface:            2,460 km²"
        if not (lines and line == lines[-1]):
            lines.append(line)  # an image's caption is pasted twice (its alt text and caption)
    return lines


# A label on a line of its own over its value, as an app or a review site lays out a page
# ("Suggested duration" / "2-3 hours", "Call" / "+86 745 826 1983"): a word or few, no figure.
_LABEL_LINE = re.compile(r"[A-Z][A-Za-z'’&/ -]{1,40}")
# ... and a value: a figure, a price, a telephone number, a time.
_VALUE_LINE = re.compile(r"[+(¥￥$€£]?\d[^\t]{0,60}")


def _labels(label: str, value: str) -> bool:
    """True for a label on a line of its own over its value on the next."""
    distance = bool(_DISTANCE_LINE.fullmatch(value))
    return (
        bool(_VALUE_LINE.fullmatch(value))
        and len(value.split()) <= _VALUE_WORDS
        and not _CLOSING.search(value)  # "4:30pm – shuttle bus back." is an entry of its own
        and bool(_LABEL_LINE.fullmatch(label))
        and len(label.split()) <= (_NAME_WORDS if distance else _LABEL_WORDS)
        # a name over its rating ("Stone Echo Cave" / "4.5") is no label; over its distance
        # ("Drum Tower" / "400 m", a booking site's "What's nearby") it is
        and (not (len(label.split()) > 1 and all(w[0].isupper() for w in label.split())) or distance)
    )


# A distance alone: "400 m", "1.2 km".
_DISTANCE_LINE = re.compile(r"\d[\d.,]*\s*(?:m|km|mi|miles?|metres?|meters?|kilometres?|kilometers?)")
# A label is this short: "Hours today", "Suggested duration"; its value this: "52 within 5 km".
_LABEL_WORDS = 3
# ... and a place's name over its distance, this: "Shuangquan Long-distance Bus Station".
_NAME_WORDS = 6
_VALUE_WORDS = 8


def _without_menus(paragraphs: List[List[str]]) -> List[List[str]]:
    """The paragraphs without the menus a page opens with, a link a line ("Discover",
    "Trips", "Sign in", "Hotels", "Things to Do", "Sights & Landmarks (11)"): a run of
    short lines of plain English words before the page's first sentence. A run naming a
    place ("Tongyao, Jiangxi Province", "Liqian Ancient City") is no menu."""
    kept: List[List[str]] = []
    begun = False
    for lines in paragraphs:
        if begun:
            kept.append(lines)
            continue
        links = [_menu_link(line) for line in lines]
        runs = [False] * len(lines)
        start = 0
        for index in range(len(lines) + 1):
            if index == len(lines) or links[index] is None:
                run = links[start:index]
                if len(run) >= _MENU_RUN and 3 * sum(run) >= 2 * len(run):  # "Asia" among "Home", "Gear"
                    runs[start:index] = [True] * len(run)
                elif len(run) == len(lines) > 1 and all(run):  # "Travel" / "The Harbour Ledger"
                    runs[start:index] = [True] * len(run)  # (a paragraph of links; its "Search" was frame)
                start = index + 1
        kept.append([line for line, run in zip(lines, runs) if not run])
        begun = any(_CLOSING.search(line) and len(line.split()) >= 5 for line in lines)
    return kept


# A menu: this many links in a row.
_MENU_RUN = 3


def _menu_link(line: str) -> Optional[bool]:
    """For a line that reads as a menu's link (one to three words, a count in brackets
    "Museums (4)"), whether its words are plain English ("Things to Do", "USD": True) or
    name something ("Asia": False); None for any other line."""
    said = re.sub(r"\s*\(\d[\d,]*\)$", "", line).replace("&", " ").replace("-", " ").split()
    if (
        "\t" in line
        or not 1 <= len(said) <= 3
        or not all(w.isalpha() for w in said)
        or not said[0][0].isupper()
    ):
        return None
    return all(re.fullmatch(r"[A-Z]{2,4}", w) or dictionary_word(w.lower()) for w in said)


# An encyclopedia's reference marks: "[3]", "[a]", "[note 2]", "[citation needed]".
# ... and an entry of its list of references, which quotes other works.
_REFERENCE = re.compile(r"\s*\[\d{1,3}\]\s")
_REFERENCE_MARK = re.compile(r"\s*\[(?:\d{1,3}|[a-z]|note \d+|citation needed|clarification needed)\]")
# A line of a page's frame rather than its text.
_MENU = re.compile(r"\s+[|>›»]\s+|\s*[|]\s*")
_FRAME = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|ICP(?:备|\s*(?:record|licen[cs]e|no\b))|公网安备"
    r"|^(?:(?:share(?: to| this)?|print|close|back to top)\W*)+$|^from wiki\w+\b|^jump to (?:navigation|search|content)\b|^(?:related links|font size)\b|\bfont size:|\bviews:\s*[\d,]+\b|^(?:【[^】]{1,12}】\s*)+$"
    # a byline or a footer: "Published 18 November 2023", "Comments (14)", "Last edited on ...",
    # a wiki's licence and its article-status box
    r"|\b(?:published|updated|posted)(?: on)?:?\s+(?:\d{1,2}\s+[a-z]+|[a-z]+\s+\d{1,2},)\s+\d{4}\b"
    r"|\bcomments\s*\(\d+\)|\blast edited on\b|\bcontent is available under\b|\bplease help it grow\b"
    r"|\bis an? (?:usable|outline|guide|star) article\b"
    # a site's own lines: "Skip to main content", a cookie banner, "Written by ... · 8 min read"
    # a wiki's tools and contents box: "Jump to content", "hide", "(Top)", "31 languages",
    # "View history", "1\tEtymology", "2.1\tModern city", a hatnote "For other uses, see ..."
    r"|^(?:contents|hide|show|\(top\)|article|talk|read|edit|view history|tools|view source|move to sidebar)$"
    r"|^\d+ languages$"
    r"|^\[\s*edit(?: source)?\s*\]$"  # a wiki's edit link on a line of its own, under its heading
    r"|^\d+(?:\.\d+)*\t[^\t\d]+$|^for other uses, see\b"
    # a forum's furniture: "Level Contributor", "2,318 posts", "Helpful answer (5)",
    # "Report inappropriate content", "2. Re: <the thread's title>", "Apr 3, 2024, 8:02 AM"
    r"|^(?:level contributor|destination expert for .{1,40}|[\d,]+ (?:posts?|reviews?|helpful votes?)"
    r"|helpful answer(?: \(\d+\))?|report inappropriate content|search this forum|watch this topic"
    r"|browse forums|reply|sign in|log in|see all \d+ questions)$"
    r"|^(?:\d+\.\s+)?re:\s|^[a-z]{3}\.? \d{1,2}, \d{4},? \d{1,2}:\d{2}\s*(?:am|pm)?$"
    # a search box and share buttons: "Search for:", "Facebook", "Pin it", "Copy link"
    r"|^(?:search(?: for)?:?|facebook|twitter|pinterest|pin it|tweet|e-?mail|copy link|whatsapp|linkedin|reddit|weibo)$"
    # a review site's ratings: "4.5 of 5 bubbles", "Travelers' Choice 2024"
    r"|^\d(?:\.\d)? (?:of|out of) 5(?: (?:bubbles|stars))?$|^travell?ers'? choice(?: \d{4})?$"
    r"|^skip to (?:main )?content\b|\bwe use cookies\b|\bcookie policy\b|\bwritten by\b.*\bmin read\b|^read more\W*$"
    # a newspaper's: "Skip to site index", "SKIP ADVERTISEMENT", "Subscribe for $1/week",
    # "Accept all", "Listen to this article · 11:40 min", "Share full article ... 112 comments",
    # a dateline alone ("Oct. 17, 2024", "Updated 9:02 a.m. ET")
    r"|^skip to\b|^(?:skip )?advertisement$|^subscribe\b[^.!?]*$|^accept all\b|^manage (?:preferences|cookies)$"
    r"|^listen to this article\b|^share (?:full )?(?:article|story)\b|\b\d+ comments$"
    r"|^(?:updated\s+)?(?:[a-z]{3,9}\.?\s+\d{1,2},\s+\d{4}|\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s+[a-z]{2,4})?)$"
    # a social site's: "Get App", "Open in app", "Reply Share Report Save Follow", "41 points · 2
    # yr. ago", "r/travelchina", "u/xiyun_local_lin", "[deleted]"
    r"|^(?:(?:reply|share|report|save|follow|award|upvote|downvote|vote|more replies|get app|log in|sign up"
    r"|open menu|open in app|go to \S+)\s*)+$"
    r"|^[\d.,]+k? (?:points?|upvotes?|votes?)\b.*\bago$|^\d+ (?:yr|mo|d|h|min)s?\.? ago$|^[ru]/\w+(?: icon)?$"
    r"|^\[deleted\]$|^sort by:|^search comments$|^learn more$|^promoted\b"
    r"|^(?=[a-z\d_-]*[_\d])[a-z][a-z\d_-]{2,29}$",  # a user's name alone: "noodle_diplomat"
    re.I,
)


def chrome(line: str) -> bool:
    """True for a line of the page's frame: a menu or breadcrumb ("Home | Visiting | About",
    "Home > About > City Profile"), a share or print button, a copyright or site-record
    line, a line without a word of English."""
    if not re.search(r"[A-Za-z]{2}", line):
        return not re.search(r"\d", line) or bool(re.search(r"[\u4e00-\u9fff]", line))
    if "\t" not in line:
        parts = [p for p in _MENU.split(line) if p.strip()]
        if len(parts) >= 3 and all(len(p.split()) <= 4 and re.fullmatch(r"[^\d:.!?]+", p) for p in parts):
            return True
        # a breadcrumb ends with the page's own title: "Asia > China > Hunan > 3 Days in Luoxia"
        crumbs = [p for p in re.split(r"\s+[>›»]\s+", line) if p.strip()]
        if len(crumbs) >= 3 and all(
            len(p.split()) <= 4 and re.fullmatch(r"[^\d:.!?]+", p) for p in crumbs[:-1]
        ):
            return not re.search(r"[.!?]$", crumbs[-1])
        # "Tours   Destinations   Travel Guide   Reviews   About Us": a menu spaced out
        spaced = [re.sub(r"\b(?:[A-Z]\.){2,}", "US", p) for p in re.split(r"\s{3,}", line.strip()) if p]
        if len(spaced) >= 4 and all(  # ("U.S.", an abbreviation, is a link too)
            len(p.split()) <= 3 and re.fullmatch(r"[A-Z][^\d:.!?,;]*", p) for p in spaced
        ):
            return True
    # a byline: "By Eleanor Marsh" (a name, not "By Long Distance Bus")
    byline = re.fullmatch(r"By((?:\s+[A-Z][a-z'’-]+){2,3})", line)
    if byline and not all(dictionary_word(w.lower()) for w in byline.group(1).split()):
        return True
    return bool(_FRAME.search(line))


# A listing's line: a name, its name in Chinese in brackets, then what it says of it.
_LISTING = re.compile(
    r"^(?P<name>[A-Z][^(),.]{2,60}?)\s*[(（](?P<native>[^)）]*[\u4e00-\u9fff][^)）]*)[)）]\s*[,.:]"
)
# Divisions a guide lists as it lists sights ("Ganquan District (甘泉区), the city seat").
_DIVISIONS = tuple(
    kind for kind in ADMIN_KINDS if kind not in ("city", "town")
)  # a "City" or "Town" may be a sight
# Sections of a guide whose listings are practicalities, not places to see.
_PRACTICAL_SECTION = re.compile(
    r"\b(?:eat|drink|sleep|buy|get in|get around|by \w+|stay\w*|connect|cope|go next|hotels?|restaurants?"
    r"|food|shopping|accommodation|transport\w*|nightlife|getting \w+)\b",
    re.I,
)


# A guide's price tiers under "Eat" or "Sleep".
_PRICE_TIER = re.compile(
    r"(?:budget|cheap|mid-?range|moderate|splurge|luxury|top end|high end|upscale)$", re.I
)


def practical_section(heading: str) -> bool:
    """True for a guide's section of practicalities (where to eat, sleep, get in)."""
    return bool(_PRACTICAL_SECTION.search(heading))


def _listing(line: str) -> str:
    """The place a guide's listing line names ("Shengrong Temple (圣容寺), Yushan Gorge. ..."),
    else ""."""
    found = _LISTING.match(line)
    return plain(found.group("name")) if found and _names_a_place(found.group("name")) else ""


_RUN_IN = re.compile(r"^(?P<title>[A-Z][^.!?:;()]{2,100}?)\.\s+(?=\S)")
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would|should|may|might|must|do|does|did)\b",
    re.I,
)


def _run_in_title(line: str) -> str:
    """The name leading a line ("Lavender Festival, Zijinhua City. Late June to mid-July."
    -> "Lavender Festival"): two to eight words, half of them capitalised, no verb, and
    more said after it; else ""."""
    found = _RUN_IN.match(line)
    if not found:
        return ""
    title = found.group("title")
    if re.search(rf"\b(?:{TITLES}|St)$", title):
        return ""  # "Our guide Ms. Yang met us": a title's full stop ends no name
    name = title.split(",")[0]
    words = name.split()
    capitalised = [w for w in words if w[0].isupper()]
    lower_plural = [w for w in title.split() if w.islower() and w.endswith("s")]  # "speaks"
    if not 2 <= len(words) <= 8 or 2 * len(capitalised) < len(words) or _VERB.search(title) or lower_plural:
        return ""
    return plain(name)


def _flush(blocks: List[Block], prose: List[str], section: str, number: int, owner: str = "") -> None:
    """End the prose gathered so far as one block."""
    if prose:
        blocks.append(Block(" ".join(" ".join(prose).split()), "prose", section, number, owner))
        prose.clear()


@dataclass(frozen=True)
class Row:
    """A line of a table or an infobox as a `Key: value` fact ("Area code: 0953")."""

    key: str
    value: str
    cells: Tuple[Tuple[str, str], ...] = ()  # a row under a header: its cells by column

    @property
    def text(self) -> str:
        return f"{self.key}: {self.value}"


# A unit a table's row label ends with ("Daily mean °C", "Avg high (°C)"): said after each
# of its figures.
_ROW_UNIT = re.compile(r"\s+(°C|°F|mm|cm|%|hours|days)(?:\s*\([^)]*\))?$|\s*\((°C|°F|mm|cm|%|hours|days)\)$")


class Table:
    """The tab-separated lines of one paragraph, as a browser pastes a table or an infobox:
    a label and its value ("Postal code<TAB>751400"), a sub-item under the label before it
    ("Area" then "• Total<TAB>6,120 km2": "Area total"), or a row under a header row
    ("Baitu County<TAB>98,600" under "Name<TAB>Population (2020)")."""

    def __init__(self) -> None:
        self.header: List[str] = []
        self.label = ""
        self.paired = False  # an infobox of two or more label and value pairs a line

    def rows(self, line: str, following: str) -> Optional[List[Row]]:
        """The facts a line of the paragraph states (see `row`); an infobox's line of pairs
        ("Chinese name<TAB>千峰县<TAB>Foreign name<TAB>Qianfeng County") states one a pair."""
        cells = [" ".join(c.split()) for c in line.split("\t") if c.strip()]
        pairs = "\t" in line and len(cells) >= 4 and len(cells) % 2 == 0
        labelled = all(_COLUMN_NAME.fullmatch(c) for c in cells[::2])
        if pairs and labelled and not self.header and not all(_COLUMN_NAME.fullmatch(c) for c in cells):
            self.paired = True  # labels and values, not a header (which names its columns in words)
        if pairs and self.paired:
            return [Row(key, value) for key, value in zip(cells[::2], cells[1::2])]
        row = self.row(line, following)
        return None if row is None else [row]

    def row(self, line: str, following: str) -> Optional[Row]:
        """The fact a line of the paragraph states, a Row without a key for a header or a
        label, or None for a line that is no table's."""
        if "\t" not in line:
            if following.startswith("•") and "\t" in following:
                self.label = line  # "Area" over "• Total<TAB>6,120 km2"
                return Row("", "")
            return None
        placed = [" ".join(c.split()) for c in line.split("\t")]
        cells = [c for c in placed if c]
        if len(cells) < 2:
            return None
        if len(cells) == 2 and not self.header:
            key, value = cells
            if key.startswith("•"):
                key = f"{self.label} {key.lstrip('• ').lower()}".strip()
            else:
                self.label = key
            return Row(key, value)
        if not self.header:
            self.header = cells
            return Row("", "")
        if len(cells) == len(self.header) + 1:
            # a header over the rows' labels, its first cell empty and lost: "<TAB>Jan<TAB>Feb"
            self.header = ["", *self.header]
        found = _ROW_UNIT.search(cells[0])
        key = cells[0][: found.start()] if found else cells[0]
        unit = found.group(1) or found.group(2) if found else ""
        # a row of the header's length has its cells in place, an empty one among them
        values = placed[1:] if len(placed) == len(self.header) and placed[0] else cells[1:]
        cells = tuple(_cell(name, value, unit) for name, value in zip(self.header[1:], values) if value)
        return Row(key, "; ".join(f"{column} {value}" for column, value in cells), cells)


# A table's column name: words, a unit or a year in brackets ("Population (2020)"), no
# figure or Chinese of a row's.
_COLUMN_NAME = re.compile(r"[A-Za-z][A-Za-z' ./&-]*(?:\s*\([^)]*\))?")
# A column's unit: "Area (km2)".
_COLUMN_UNIT = re.compile(r"\s*\((km2|km²|sq mi|mm|cm|m|km|%)\)$")


# A column named by a month or a day ("Jan", "Mon"), which keeps its capital.
_CALENDAR_STARTS = {word[:3] for word in CALENDAR_WORDS}


def _cell(column: str, value: str, unit: str) -> Tuple[str, str]:
    """One cell's column and its value with its unit: ("Area", "1,892 km2"), ("Jan", "−6.9 °C")."""
    in_column = _COLUMN_UNIT.search(column)
    if in_column:
        column, unit = column[: in_column.start()], in_column.group(1)
    if column[:3].lower() not in _CALENDAR_STARTS:
        column = column[:1].lower() + column[1:]  # "type Mountain": a word, not a name's first
    return column, f"{value}{' ' + unit if unit else ''}"


def plain(text: str) -> str:
    """A heading or item without emoji, markdown marks and a trailing colon."""
    text = "".join(c for c in text if not _is_symbol(c))
    text = re.sub(r"[*_`#]+|\[edit\]", "", text)  # "History[edit]", as Wikipedia pastes
    return " ".join(text.split()).strip(" :-–—")


def _is_symbol(c: str) -> bool:
    return unicodedata.category(c) in ("So", "Sk", "Cs", "Co") or c in "\ufe0f\u200d"


def _heading(line: str, is_bullet: bool, first: bool, alone: bool) -> Optional[str]:
    """The heading a line is, or None: a markdown `#` line, an emoji-led line, a line ending
    in ":" with nothing after it, or a short line without closing punctuation that stands
    alone or opens its paragraph (`first`: the page title, "Climate")."""
    markdown = _MARKDOWN.match(line)
    if markdown:
        return plain(markdown.group("text"))
    if is_bullet:
        return None
    words = plain(line).split()
    if line.endswith("?") and first and not alone and len(words) <= _QUESTION_WORDS and line[0].isupper():
        return plain(line)  # an FAQ's question over its answer ("Where is Qingluo County?")
    if not words or len(words) > HEADING_WORDS:
        return None
    if line.endswith(":") and not _KEY_VALUE.match(line):
        return plain(line)
    if _is_symbol(line[0]) and not _CLOSING.search(line):
        return plain(line)
    capital = (
        line[0].isupper()
        or not line[0].isascii()
        and line[0].isalpha()  # "淮平市 Huaiping ..."
        or line[0].isdigit()
        and bool(re.search(r"\b[A-Z][a-z]", line))  # "36 Hours in Lanxiu", "1 | 4 p.m. | Temple bells"
    )
    if not _CLOSING.search(line) and not _KEY_VALUE.match(line) and (alone or first) and capital:
        return plain(line)
    return None


# A sub-section's number in an encyclopedia's outline: "3.1 Location", "6.2 Luoshui Ancient Town".
# (numbered from 1: "9.0 Superb · 231 reviews" is a rating)
_OUTLINE = re.compile(r"^[1-9]\d?(?:\.[1-9]\d?)+\.?\s+(?=[A-Z][^\d]*$)")


def _outline_heading(line: str, following: str) -> bool:
    """True for a numbered sub-section's title on a line of its own inside a paragraph
    ("3.1 Location" over "Qianfeng County is located ...")."""
    return (
        bool(_OUTLINE.match(line))
        and len(line.split()) <= HEADING_WORDS
        and not _CLOSING.search(line)
        and (not following or _starts_anew(following))
    )


def _sub_heading(line: str, following: str, under: bool, tabular: bool, headed: str) -> bool:
    """True for a line inside a paragraph that is a heading under the one the paragraph
    opens with: a title in capitals right under it ("LOCAL KNOWLEDGE" / "THE LONG-TABLE
    BANQUET"), a table's line without cells over its rows ("Closest airports"), a label
    over `Key: value` lines ("Opening hours" / "Summer season (1 April – 31 October)" /
    "Tuesday – Sunday: 9:00 – 17:30")."""
    return (
        under
        and bool(_TYPE_LABEL.fullmatch(line))
        or tabular
        and "\t" not in line
        and "\t" in following
        or bool(headed)
        and ":" not in line
        and bool(_LABELLED.match(following))
    )


# A line that labels a figure: "Last admission: 16:45", "Tuesday – Sunday: 9:00 – 17:30"
# (not a contents list's "Day 1: Old Town and the night boat").
_LABELLED = re.compile(r"[^:]{1,40}:\s+\D{0,12}\d")


def _label(line: str, after: str, prose: Sequence[str]) -> bool:
    """True for a short line standing between sentences without ending one, a label of
    the page (a forum poster's home town "Dali, China", a byline, a photo credit): it is
    a sentence of its own, not the start of the next one ("Dali, China Thanks Li, ...")."""
    said = plain(line).split()
    return (
        bool(said)
        and (
            line[:1].isupper() or len(said) == 1 or bool(re.match(r"[¥￥$€£]\s*\d", line))
        )  # "millhand_88", "¥15"
        and not _CLOSING.search(line)
        and len(said) <= HEADING_WORDS
        and said[-1].lower() not in STOPWORDS  # "The old mill was built in the" wraps on
        and (not after or _starts_anew(after))
        # after a sentence, or after a short line of its own ("4.5 of 5 bubbles")
        and (not prose or bool(_CLOSING.search(prose[-1])) or len(prose[-1].split()) <= _SHORT_LINE)
    )


# An FAQ's question heading is at most this long ("How big is Qingluo and how many people
# live here?").
_QUESTION_WORDS = 14
# A line this short that ends no sentence does not wrap on into the next.
_SHORT_LINE = 5


def _starts_anew(line: str) -> bool:
    """True for a line that begins a sentence, a bullet or a heading, not one that wraps on
    (a line in Chinese begins anew: it is no English sentence's end)."""
    return (
        bool(re.match(r"[\"“‘]?[A-Z0-9\u4e00-\u9fff]", line))  # "“Go early” Loved it", a quote opens anew
        or bool(_BULLET.match(line))
        or _is_symbol(line[0])
    )


def _looks_like_facts(lines: List[str], index: int) -> bool:
    """True when a `Key: value` line is one of a block of them (a facts box), not a sentence
    that happens to hold a colon."""
    around = lines[max(0, index - 1) : index + 2]
    return sum(1 for line in around if _KEY_VALUE.match(_BULLET.sub(r"\g<text>", line))) >= 2


def title(blocks: List[Block]) -> str:
    """The page's title: the heading it opens with, else ""."""
    return blocks[0].text if blocks and blocks[0].kind == "heading" else ""


# A guide's entry titled by what to do there: "Hike Cuiwei Mountain".
ACTIVITY_WORDS = (
    r"(?i:hike|climb|visit|explore|walk|cycle|ride|tour|see|watch|try|take|wander|stroll|hear|cross"
    r"|pick|raft|cruise|soak|swim|sample|taste|discover|experience|enjoy|admire|catch|browse|kayak"
    r"|paddle|trek|roam|get\s+lost)(?i:d|ed)?\s+"
    r"(?i:(?:up|to|around|along)\s+)?"
)
_ACTIVITY = re.compile(rf"^{ACTIVITY_WORDS}")
# What is done there, after the doing: "(Hear) the bells at Lingxi Temple", "(Pick) (and
# roast) tea at Longwu Tea Estate", "(Get lost) in the Shangkeng Bamboo Sea".
_ACTIVITY_OBJECT = re.compile(
    r"^(?:\(?[a-z][\w'’-]*\)?\s+){0,4}?(?:at|in|on|along|around|to|across|over|through|inside)\s+(?=(?:the\s+)?[A-Z])"
)


def without_activity(name: str) -> str:
    """ "Hike Cuiwei Mountain" -> "Cuiwei Mountain", "Hear the bells at Lingxi Temple" ->
    "Lingxi Temple": a guide's entry says what to do there."""
    done = _ACTIVITY.match(name)
    if done is None:
        return without_article(name)
    return without_article(_ACTIVITY_OBJECT.sub("", name[done.end() :]))


def without_article(text: str) -> str:
    """A name without its article: "the Old Bridge" -> "Old Bridge"."""
    return re.sub(r"^(?:a|an|the)\s+", "", text.strip(), flags=re.I)


def item_parts(text: str) -> Tuple[str, str]:
    """A bullet's name and what it says of it: "Mogao Caves - Buddhist cave art" ->
    ("Mogao Caves", "Buddhist cave art"), "Get lost in the Shangkeng Bamboo Sea (上坑竹海)" ->
    ("Shangkeng Bamboo Sea", ""); a bare name has nothing after it."""
    if _ACTIVITY.match(text):
        text = without_activity(text)  # "Pick (and roast) tea at Longwu Tea Estate (龙坞茶园)"
    parts = _ITEM_SPLIT.split(text, maxsplit=1)
    # "Cuiwei Mountain (翠微山), at 1,486 m ...": the name in Chinese is no part of what it says
    said = re.sub(r"^[^)）]*[\u4e00-\u9fff][^)）]*[)）][\s,.;:]*", "", parts[1]) if len(parts) > 1 else ""
    return plain(parts[0]), said.rstrip(")").strip(" ,;.-–—").strip()


# A name's Chinese after it: " (硬卧), upper berth".
_GLOSSED = re.compile(r"\s*[(（][^)）]*[\u4e00-\u9fff]")
# Words that join a name's words: "Old Town & Night Market", "Temple of the Winds".
_JOINING = frozenset(("of", "the", "and", "&", "de", "on", "in", "at"))


def _names_a_place(item: str) -> bool:
    """True for a bullet that names something ("Old Beacon Tower 🏯", "Mogao Caves - ...")
    rather than says something: capitalised words, no verb-like sentence."""
    name = item_parts(item)[0]
    words = name.split()
    if not words or len(words) > 6 or _CLOSING.search(name) or re.search(r"[a-z]{3}\. ", name):
        return False  # "Highways. The Beijing-Taipei Expressway": a run-in heading, then a sentence
    capitalised = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return len(capitalised) >= max(1, len(words) - 1) and len(words) >= 2


def _names_a_thing(item: str) -> bool:
    """True for a bullet naming a place or a thing of its own (`_names_a_place`) whose words
    in lower case are kinds ("Jinshui lake"), joining words, a name's ("Mi doufu"), or
    follow a place ("Yao River rafting"), or that names it in Chinese ("Hard sleeper
    (硬卧)"); not a tour's "Train tickets Kunming - Yunjiao" or "Optional excursions"."""
    if not _names_a_place(item):
        return False
    name = item_parts(item)[0]
    common = [w for w in name.split() if w.islower() and w not in _JOINING and dictionary_word(w)]
    return (
        all(attraction_kind(w) for w in common)
        or attraction_kind(name) is not None
        or bool(_GLOSSED.match(item[item.find(name) + len(name) :]))
    )


def _place_heading(heading: str) -> str:
    """A heading that names one place ("Old Beacon Tower"), else ""."""
    words = heading.split()
    if 2 <= len(words) <= 6 and attraction_kind(heading) and words[0][0].isupper():
        return heading
    return ""
