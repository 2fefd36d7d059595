"""Assemble data/archive/sample_news.jsonl, the offline Naver-shaped archive, from hand-written items.

The text is not generated here. Seven writers (O to U, data/archive/sources/<writer>.jsonl) each wrote
the headlines and snippets of about eleven listed companies by hand: every outlet's report of an event
separately, with the event id, outlet, publication time and their own labels (data/LABELING.md). This
script only adds what the Naver News Search API would add around that text: the outlet's article URL
(data/archive/outlets.json patterns) and the `n.news.naver.com` link, `<b>` around the searched company,
HTML entities, the RFC 822 `pubDate` in +0900, and snippets cut at Naver's length. It also keeps the
subject company in a `company` field (the archive's own field, which Naver items lack) so the service
can say which companies the archive covers. A few items appear twice under the same `originallink`, as
Naver returns an article again after an update. Everything random is seeded: the output is the same on
every run.

Run: python data/tools/make_archive.py
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
SOURCES = DATA / "archive" / "sources"
OUTLETS = DATA / "archive" / "outlets.json"
OUT = DATA / "archive" / "sample_news.jsonl"
KST = timezone(timedelta(hours=9))
SEED = 20261207
URL_DUPLICATES = 7
SNIPPET_LIMIT = 200  # Naver cuts longer descriptions (and some shorter ones) with an ellipsis
FIELDS = {"company", "event", "date", "outlet", "title", "description", "category", "sentiment"}


def read_sources() -> list[dict]:
    """Every hand-written item, with its writer's letter."""
    items = []
    for path in sorted(SOURCES.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            missing = FIELDS - set(item)
            if missing:
                raise SystemExit(f"{path.name}:{number}: missing {sorted(missing)}")
            items.append(item | {"writer": path.stem})
    return items


def article_url(rng: random.Random, outlet: dict, when: datetime) -> str:
    """A plausible article URL on the outlet's domain, dated like the article."""

    def token(match: re.Match) -> str:
        name, width = match.group(1), match.group(2)
        if name == "n":
            return "".join(rng.choice("0123456789") for _ in range(int(width)))
        if name == "A":
            return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(int(width)))
        stamps = {"ymd": f"{when:%Y%m%d}", "y": f"{when:%Y}", "m": f"{when:%m}", "d": f"{when:%d}"}
        return stamps.get(name) or rng.choice(outlet["sections"])

    return f"https://{outlet['domain']}" + re.sub(r"\{(\w+)(?::(\d+))?\}", token, outlet["path"])


def escape(text: str) -> str:
    """HTML-escape the way Naver's API does (&quot; &apos; &amp; &lt; &gt;)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&apos;")


def snippet(rng: random.Random, text: str) -> str:
    """Cut a description the way Naver's snippets are cut: at most ~200 characters, sometimes earlier."""
    limit = SNIPPET_LIMIT if rng.random() < 0.75 else rng.randint(120, 170)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 80, limit - 3)
    return text[: cut if cut > 0 else limit - 3].rstrip(" ,") + rng.choice(["...", "…"])


def bold(text: str, word: str) -> str:
    """Escaped text with the searched word in <b>…</b>, as Naver marks matches."""
    escaped = escape(text)
    return escaped.replace(escape(word), f"<b>{escape(word)}</b>") if word else escaped


def naver_item(item: dict, outlets: dict[str, dict], companies: list[str]) -> dict:
    """One Naver-shaped item around a hand-written headline and snippet."""
    rng = random.Random(f"{SEED}|{item['event']}|{item['outlet']}|{item['title']}")
    outlet = outlets[item["outlet"]]
    when = datetime.strptime(item["date"], "%Y-%m-%d %H:%M").replace(tzinfo=KST)
    original = article_url(rng, outlet, when)
    office = outlet["naver_office"]
    link = f"https://n.news.naver.com/mnews/article/{office}/{rng.randint(1_200_000, 9_900_000):010d}"
    text = item["title"] + " " + item["description"]
    # General items were found by one of the companies they name: bold the first one named.
    named = [(text.find(c), -len(c), c) for c in companies if c in text]
    word = item["company"] or (min(named)[2] if named else "")
    return {
        "title": bold(item["title"], word),
        "originallink": original,
        "link": link if office and rng.random() < 0.93 else original,
        "description": bold(snippet(rng, item["description"]), word),
        "pubDate": format_datetime(when),
        "company": item["company"],
    }


def build(items: list[dict]) -> list[dict]:
    """The archive, newest first."""
    outlets = {o["domain"]: o for o in json.loads(OUTLETS.read_text(encoding="utf-8"))}
    unknown = {i["outlet"] for i in items} - set(outlets)
    if unknown:
        raise SystemExit(f"outlets without a URL pattern in {OUTLETS.name}: {sorted(unknown)}")
    companies = sorted({i["company"] for i in items if i["company"]})
    archive = [naver_item(item, outlets, companies) for item in items]
    rng = random.Random(SEED)
    for original in rng.sample(archive, URL_DUPLICATES):
        later = _published(original) + timedelta(minutes=rng.randint(5, 40))
        archive.append(original | {"pubDate": format_datetime(later)})
    archive.sort(key=lambda i: (_published(i), i["originallink"]), reverse=True)
    return archive


def _published(item: dict) -> datetime:
    return datetime.strptime(item["pubDate"], "%a, %d %b %Y %H:%M:%S %z")


def check(items: list[dict], archive: list[dict]) -> Counter:
    """Fail loudly when the sources break the archive's promises; return stories per company."""
    titles = Counter(i["title"] for i in items)
    assert all(n == 1 for n in titles.values()), [t for t, n in titles.items() if n > 1]
    urls = Counter(i["originallink"] for i in archive)
    assert sum(n - 1 for n in urls.values()) == URL_DUPLICATES, "article URLs collide"
    events = Counter(i["company"] for i in {i["event"]: i for i in items}.values() if i["company"])
    assert len(events) >= 60 and min(events.values()) >= 10, events.most_common()[-5:]
    for item in items:
        assert not item["company"] or item["company"] in item["title"] + item["description"], item["title"]
    return events


def main() -> None:
    """Assemble, check and write the archive, then print a summary."""
    items = read_sources()
    archive = build(items)
    events = check(items, archive)
    with OUT.open("w", encoding="utf-8") as handle:
        for item in archive:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    writers = Counter(i["writer"] for i in items)
    print(f"wrote {len(archive)} items ({len(items)} hand-written by {len(writers)} writers) to {OUT}")
    print(f"{len(events)} companies, events per company {min(events.values())}–{max(events.values())}")


if __name__ == "__main__":
    main()
