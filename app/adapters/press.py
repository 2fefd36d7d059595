"""Press (outlet) name from an article URL; Naver items carry no press-name field."""

from __future__ import annotations

from urllib.parse import urlsplit

UNKNOWN_PRESS = "알 수 없음"

# Keys are registrable domains, or a more specific host where a subdomain is a distinct outlet
# (biz.chosun.com is 조선비즈, not 조선일보). The most specific matching suffix wins.
PRESS_BY_DOMAIN: dict[str, str] = {
    # national dailies
    "chosun.com": "조선일보",
    "joongang.co.kr": "중앙일보",
    "joins.com": "중앙일보",
    "donga.com": "동아일보",
    "hani.co.kr": "한겨레",
    "khan.co.kr": "경향신문",
    "hankookilbo.com": "한국일보",
    "seoul.co.kr": "서울신문",
    "segye.com": "세계일보",
    "kmib.co.kr": "국민일보",
    "munhwa.com": "문화일보",
    "naeil.com": "내일신문",
    "asiatoday.co.kr": "아시아투데이",
    "koreatimes.co.kr": "코리아타임스",
    "koreaherald.com": "코리아헤럴드",
    "koreajoongangdaily.joins.com": "코리아중앙데일리",
    # business and finance
    "biz.chosun.com": "조선비즈",
    "investchosun.com": "인베스트조선",
    "weekly.chosun.com": "주간조선",
    "hankyung.com": "한국경제",
    "wowtv.co.kr": "한국경제TV",
    "mk.co.kr": "매일경제",
    "sedaily.com": "서울경제",
    "mt.co.kr": "머니투데이",
    "moneys.mt.co.kr": "머니S",
    "moneys.co.kr": "머니S",
    "edaily.co.kr": "이데일리",
    "fnnews.com": "파이낸셜뉴스",
    "asiae.co.kr": "아시아경제",
    "heraldcorp.com": "헤럴드경제",
    "ajunews.com": "아주경제",
    "ajunews.co.kr": "아주경제",
    "newspim.com": "뉴스핌",
    "etoday.co.kr": "이투데이",
    "businesspost.co.kr": "비즈니스포스트",
    "thebell.co.kr": "더벨",
    "bizwatch.co.kr": "비즈워치",
    "newsway.co.kr": "뉴스웨이",
    "fntimes.com": "한국금융신문",
    "dnews.co.kr": "대한경제",
    "seoulfn.com": "서울파이낸스",
    "joseilbo.com": "조세일보",
    "m-i.kr": "매일일보",
    "viva100.com": "브릿지경제",
    "g-enews.com": "글로벌이코노믹",
    "newstomato.com": "뉴스토마토",
    "enewstoday.co.kr": "이뉴스투데이",
    "infostockdaily.co.kr": "인포스탁데일리",
    "einfomax.co.kr": "연합인포맥스",
    "paxnetnews.com": "팍스넷뉴스",
    "dealsite.co.kr": "딜사이트",
    "ebn.co.kr": "EBN",
    "economist.co.kr": "이코노미스트",
    "segyebiz.com": "세계비즈",
    "metroseoul.co.kr": "메트로신문",
    "hansbiz.co.kr": "한스경제",
    "daily.hankooki.com": "데일리한국",
    "theguru.co.kr": "더구루",
    "consumernews.co.kr": "소비자가만드는신문",
    # wire services and broadcasters
    "yna.co.kr": "연합뉴스",
    "yonhapnewstv.co.kr": "연합뉴스TV",
    "newsis.com": "뉴시스",
    "news1.kr": "뉴스1",
    "kbs.co.kr": "KBS",
    "imbc.com": "MBC",
    "sbs.co.kr": "SBS",
    "biz.sbs.co.kr": "SBS Biz",
    "ytn.co.kr": "YTN",
    "jtbc.co.kr": "JTBC",
    "mbn.co.kr": "MBN",
    "tvchosun.com": "TV조선",
    "ichannela.com": "채널A",
    "nocutnews.co.kr": "노컷뉴스",
    "cbs.co.kr": "CBS",
    "newdaily.co.kr": "뉴데일리",
    "dailian.co.kr": "데일리안",
    "ohmynews.com": "오마이뉴스",
    "pressian.com": "프레시안",
    "sisajournal.com": "시사저널",
    "sisajournal-e.com": "시사저널e",
    "mediatoday.co.kr": "미디어오늘",
    "newstapa.org": "뉴스타파",
    "kukinews.com": "쿠키뉴스",
    "ilyo.co.kr": "일요신문",
    "womennews.co.kr": "여성신문",
    "nongmin.com": "농민신문",
    # technology
    "etnews.com": "전자신문",
    "zdnet.co.kr": "지디넷코리아",
    "inews24.com": "아이뉴스24",
    "dt.co.kr": "디지털타임스",
    "ddaily.co.kr": "디지털데일리",
    "bloter.net": "블로터",
    "byline.network": "바이라인네트워크",
    "techm.kr": "테크M",
    "dongascience.com": "동아사이언스",
    # ESG, energy and environment
    "esgeconomy.com": "ESG경제",
    "impacton.net": "임팩트온",
    "greenpostkorea.co.kr": "그린포스트코리아",
    "energy-news.co.kr": "에너지신문",
    "ekn.kr": "에너지경제신문",
    "electimes.com": "전기신문",
    "energydaily.co.kr": "에너지데일리",
    "todayenergy.kr": "투데이에너지",
    "greened.kr": "녹색경제신문",
    "hkbs.co.kr": "환경일보",
    "dailyimpact.co.kr": "데일리임팩트",
    "eroun.net": "이로운넷",
    # regional
    "busan.com": "부산일보",
    "kookje.co.kr": "국제신문",
    "imaeil.com": "매일신문",
    "kyeongin.com": "경인일보",
    "kwnews.co.kr": "강원일보",
    # portals (when an item has no original link)
    "news.naver.com": "네이버뉴스",
    "v.daum.net": "다음뉴스",
}


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except (ValueError, AttributeError):
        return None
    host = (host or "").rstrip(".").lower()
    return host or None


def press_name(url: str) -> str:
    """Press name for an article URL; the bare host when the outlet is unknown."""
    host = _host(url)
    if host is None:
        return UNKNOWN_PRESS
    labels = host.split(".")
    # Most specific suffix first: m.biz.chosun.com → biz.chosun.com (조선비즈) before chosun.com.
    for i in range(len(labels) - 1):
        name = PRESS_BY_DOMAIN.get(".".join(labels[i:]))
        if name is not None:
            return name
    return host.removeprefix("www.")
