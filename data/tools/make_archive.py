"""Write data/archive/sample_news.jsonl: a synthetic, Naver-shaped offline news archive.

Every item is written by this script (story templates x company slot lists x outlet URL patterns,
random.Random(SEED)); nothing is scraped or copied from any outlet, and the events are fictional.
Items look like what the Naver News Search API returns: the company (or the search keyword) wrapped
in <b>…</b>, HTML entities in title and description, RFC 822 pubDate in +0900, `originallink` on a
Korean outlet's domain, `link` on n.news.naver.com or equal to `originallink`.

Near-duplicate stories are deliberate: some stories are carried by 2–5 outlets with reworded titles
and a shared lead, and a few articles appear twice with the same `originallink`.

Run: python data/tools/make_archive.py
"""

# ruff: noqa: E501  (story wordings and outlet patterns are data: one per line reads better than wrapped)
from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

SEED = 20261120
OUT = Path(__file__).resolve().parents[1] / "archive" / "sample_news.jsonl"
KST = timezone(timedelta(hours=9))
FIRST_DAY, LAST_DAY = date(2026, 9, 1), date(2026, 11, 20)
STORIES_PER_COMPANY = {"삼성전자": 24, "LG전자": 24}
DEFAULT_STORIES = 16
DUP_GROUPS = 56  # company stories carried by 2–5 outlets; general stories add more
URL_DUPLICATES = 7

# ---------------------------------------------------------------------------------------------
# Outlets: domain, Naver office code (None: no in-Naver copy, `link` = `originallink`), path.
# Path tokens: {ymd} {y} {m} {d}, {n:K} K random digits, {A:K} K random capitals/digits, {sec}.
# ---------------------------------------------------------------------------------------------
OUTLETS: list[tuple[str, str | None, str, tuple[str, ...]]] = [
    ("www.chosun.com", "023", "/economy/{sec}/{y}/{m}/{d}/{A:26}/", ("industry-company", "tech_it", "stock-finance")),
    ("biz.chosun.com", "366", "/{sec}/{y}/{m}/{d}/{A:26}/", ("it-science/ict", "industry/company", "stock/stock_general")),
    ("www.hankyung.com", "015", "/article/{ymd}{n:4}i", ()),
    ("www.mk.co.kr", "009", "/news/{sec}/{n:8}", ("business", "economy", "stock", "it")),
    ("www.yna.co.kr", "001", "/view/AKR{ymd}{n:6}{n:3}", ()),
    ("www.donga.com", "020", "/news/Economy/article/all/{ymd}/{n:9}/1", ()),
    ("www.joongang.co.kr", "025", "/article/{n:8}", ()),
    ("www.hani.co.kr", "028", "/arti/economy/{sec}/{n:7}.html", ("economy_general", "industry", "finance")),
    ("www.khan.co.kr", "032", "/article/{ymd}{n:7}", ()),
    ("www.sedaily.com", "011", "/NewsView/2D{A:8}", ()),
    ("news.mt.co.kr", "008", "/mtview.php?no={ymd}{n:10}", ()),
    ("www.mt.co.kr", "008", "/{sec}/{y}/{m}/{d}/{ymd}{n:8}", ("industry", "stock", "tech")),
    ("www.edaily.co.kr", "018", "/News/Read?newsId={n:17}&mediaCodeNo=257", ()),
    ("www.fnnews.com", "014", "/news/{ymd}{n:10}", ()),
    ("www.etnews.com", "030", "/{ymd}{n:6}", ()),
    ("www.zdnet.co.kr", "092", "/view/?no={ymd}{n:6}", ()),
    ("www.newsis.com", "003", "/view/NISX{ymd}_{n:10}", ()),
    ("www.news1.kr", "421", "/{sec}/{n:7}", ("industry/general-industry", "finance/general-finance", "it-science/general-it")),
    ("www.asiae.co.kr", "277", "/article/{ymd}{n:10}", ()),
    ("www.heraldcorp.com", "016", "/article/{n:8}", ()),
    ("biz.heraldcorp.com", "016", "/view.php?ud={ymd}{n:6}", ()),
    ("www.inews24.com", "031", "/view/{n:7}", ()),
    ("www.ajunews.com", None, "/view/{ymd}{n:9}", ()),
    ("www.newspim.com", None, "/news/view/{ymd}{n:6}", ()),
    ("www.dt.co.kr", "029", "/contents.html?article_no={ymd}{n:14}", ()),
    ("www.ddaily.co.kr", "138", "/page/view/{ymd}{n:11}", ()),
    ("www.bloter.net", "293", "/news/articleView.html?idxno={n:6}", ()),
    ("news.kbs.co.kr", "056", "/news/pc/view/view.do?ncd={n:7}", ()),
    ("imnews.imbc.com", "214", "/news/{y}/econo/article/{n:7}_{n:5}.html", ()),
    ("news.sbs.co.kr", "055", "/news/endPage.do?news_id=N{n:10}", ()),
    ("www.ytn.co.kr", "052", "/_ln/0102_{ymd}{n:10}", ()),
    ("news.jtbc.co.kr", "437", "/article/NB{n:8}", ()),
    ("www.nocutnews.co.kr", "079", "/news/{n:7}", ()),
    ("www.seoul.co.kr", "081", "/news/economy/{y}/{m}/{d}/{ymd}{n:6}", ()),
    ("www.segye.com", "022", "/newsView/{ymd}{n:6}", ()),
    ("www.kmib.co.kr", "005", "/article/view.asp?arcid={n:10}", ()),
    ("www.munhwa.com", "021", "/article/{n:8}", ()),
    ("www.hankookilbo.com", "469", "/News/Read/A{ymd}{n:10}", ()),
    ("www.businesspost.co.kr", None, "/BP?command=article_view&num={n:6}", ()),
    ("www.thebell.co.kr", None, "/free/content/ArticleView.asp?key={ymd}{n:10}&lcode=00", ()),
    ("www.esgeconomy.com", None, "/news/articleView.html?idxno={n:5}", ()),
    ("www.impacton.net", None, "/news/articleView.html?idxno={n:5}", ()),
    ("www.greenpostkorea.co.kr", None, "/news/articleView.html?idxno={n:6}", ()),
    ("www.energy-news.co.kr", None, "/news/articleView.html?idxno={n:6}", ()),
    ("www.etoday.co.kr", None, "/news/view/{n:7}", ()),
    ("www.dailian.co.kr", "119", "/news/view/{n:7}", ()),
    ("www.sisajournal-e.com", None, "/news/articleView.html?idxno={n:6}", ()),
    ("www.ebn.co.kr", None, "/news/articleView.html?idxno={n:7}", ()),
]
ESG_OUTLETS = ("www.esgeconomy.com", "www.impacton.net", "www.greenpostkorea.co.kr", "www.energy-news.co.kr")
ESG_KEYS = {"re100", "report", "solar", "water", "battery_recycle", "plastic", "emission_fine", "target_miss",
            "green_bond", "coal_exit", "cdp", "datacenter_power", "ev_fleet", "human_rights", "diversity",
            "partner", "esg_rating", "general"}
BYLINES = {  # how a few outlets open their snippets
    "www.yna.co.kr": "(서울=연합뉴스) {r} 기자 = ",
    "www.newsis.com": "[서울=뉴시스]{r} 기자 = ",
    "www.news1.kr": "(서울=뉴스1) {r} 기자 = ",
    "www.edaily.co.kr": "[이데일리 {r} 기자] ",
    "www.asiae.co.kr": "[아시아경제 {r} 기자] ",
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "지훈", "하은", "도윤", "수빈", "현우", "지민", "예린", "승현", "다은", "태호", "유진", "준서"]

# ---------------------------------------------------------------------------------------------
# Companies: name -> flags (plant: factories; consumer: products people buy; data: personal data;
# fin: financial group) and the slot lists their stories draw from.
# ---------------------------------------------------------------------------------------------
COMPANIES: dict[str, dict] = {
    "삼성전자": dict(flags="plant chem consumer data", prod=["갤럭시 S27", "갤럭시 Z 폴드8", "비스포크 AI 냉장고", "HBM4", "2나노 모바일 AP"], site=["평택", "기흥", "화성", "구미", "광주"], unit=["DS부문", "DX부문", "파운드리사업부", "메모리사업부"],
                 ctx=["{c}(은) 올해 들어 HBM 등 고부가 메모리 중심으로 사업 구조를 재편하고 있다.", "{c}(은) 내년 2나노 공정 양산을 앞두고 파운드리 고객사 확보에 힘을 쏟고 있다."]),
    "LG전자": dict(flags="plant consumer data", prod=["올레드 TV", "휘센 에어컨", "트롬 워시타워", "그램 노트북", "스탠바이미 2"], site=["창원", "구미", "평택", "청주"], unit=["H&A사업본부", "HE사업본부", "VS사업본부", "ES사업본부"],
                 ctx=["{c}(은) 가전 구독 사업과 전장 부품을 새 성장축으로 키우고 있다.", "{c}(은) 냉난방공조(HVAC)와 B2B 사업 비중을 늘리는 중이다."]),
    "SK하이닉스": dict(flags="plant chem", prod=["HBM4", "HBM3E 12단", "기업용 SSD", "LPDDR6"], site=["이천", "청주", "용인"], unit=["HBM사업", "낸드사업", "미래기술연구원"],
                   ctx=["{c}(은) AI 서버용 HBM 수요 증가로 실적 개선 흐름을 이어가고 있다.", "{c}(은) 용인 반도체 클러스터 첫 팹 건설을 진행하고 있다."]),
    "현대자동차": dict(flags="plant consumer data battery", prod=["아이오닉 9", "팰리세이드 하이브리드", "그랜저", "수소트럭 엑시언트"], site=["울산", "아산", "전주"], unit=["국내생산본부", "R&D본부"],
                  ctx=["{c}(은) 미국 조지아 전기차 공장 가동률을 끌어올리고 있다.", "{c}(은) 하이브리드 차량 판매 호조로 수익성을 방어하고 있다."]),
    "기아": dict(flags="plant consumer data battery", prod=["EV4", "EV5", "PV5", "쏘렌토 하이브리드"], site=["광명", "화성", "광주"], unit=["국내생산본부", "PBV사업부"],
               ctx=["{c}(은) 목적기반차량(PBV) 사업을 중장기 성장 동력으로 내세우고 있다.", "{c}(은) 유럽 시장에서 소형 전기차 판매를 늘리고 있다."]),
    "포스코홀딩스": dict(flags="plant chem heavy battery", prod=["수소환원제철 설비", "리튬 정제 공장", "전기강판"], site=["포항", "광양"], unit=["철강부문", "이차전지소재부문"],
                    ctx=["{c}(은) 철강 업황 부진 속에 이차전지 소재 사업 재편을 추진하고 있다.", "{c}(은) 수소환원제철 상용화를 2030년대 중반 목표로 하고 있다."]),
    "LG에너지솔루션": dict(flags="plant chem consumer battery", prod=["46시리즈 원통형 배터리", "LFP 배터리", "ESS용 배터리"], site=["오창", "미국 미시간", "폴란드 브로츠와프"], unit=["자동차전지사업부", "ESS전지사업부"],
                      ctx=["{c}(은) 전기차 수요 둔화에 대응해 ESS 배터리 생산을 늘리고 있다.", "{c}(은) 북미 합작 공장의 일부 라인을 ESS용으로 전환했다."]),
    "삼성SDI": dict(flags="plant chem consumer battery", prod=["46파이 원통형 배터리", "전고체 배터리 시제품", "각형 배터리"], site=["울산", "천안", "헝가리 괴드"], unit=["중대형전지사업부", "소형전지사업부"],
                  ctx=["{c}(은) 전고체 배터리 양산 시점을 2027년으로 제시한 바 있다.", "{c}(은) 미국 완성차 업체와 합작 공장을 짓고 있다."]),
    "네이버": dict(flags="data", prod=["하이퍼클로바X", "네이버페이", "치지직", "AI 브리핑"], site=["춘천 데이터센터", "세종 데이터센터", "판교 1784 사옥"], unit=["커머스부문", "클라우드부문"],
                ctx=["{c}(은) 검색과 커머스 전반에 생성형 AI를 적용하고 있다.", "{c}(은) 소버린 AI를 앞세워 해외 클라우드 사업을 넓히고 있다."]),
    "카카오": dict(flags="data", prod=["카카오톡", "카나나", "카카오맵"], site=["판교 아지트", "안산 데이터센터"], unit=["플랫폼부문", "AI부문"],
                ctx=["{c}(은) 카카오톡 개편과 AI 서비스 출시로 성장 돌파구를 찾고 있다.", "{c}(은) 계열사 정리를 통해 경영 효율화를 추진하고 있다."]),
    "셀트리온": dict(flags="plant consumer", prod=["짐펜트라", "램시마SC", "아이덴젤트"], site=["송도", "오창"], unit=["바이오의약품사업부"],
                  ctx=["{c}(은) 미국 시장에서 신약 짐펜트라 처방 확대에 주력하고 있다.", "{c}(은) 미국 현지 생산 거점 확보를 추진 중이다."]),
    "삼성바이오로직스": dict(flags="plant", prod=["5공장", "ADC 전용 생산시설", "위탁개발생산(CDMO) 물량"], site=["송도"], unit=["CDMO사업부"],
                      ctx=["{c}(은) 송도 제2바이오캠퍼스 증설로 생산능력을 늘리고 있다.", "{c}(은) 올해 누적 수주액이 역대 최대를 기록했다."]),
    "KB금융": dict(flags="data fin", prod=["KB스타뱅킹", "KB국민카드", "KB손해보험"], site=["여의도 본사"], unit=["KB국민은행", "KB증권"],
                 ctx=["{c}(은) 비은행 계열사 이익 비중을 높이는 데 주력하고 있다.", "{c}(은) 주주환원 확대를 골자로 한 밸류업 계획을 이행하고 있다."]),
    "신한금융지주": dict(flags="data fin", prod=["신한 SOL뱅크", "신한카드", "신한라이프"], site=["명동 본사"], unit=["신한은행", "신한투자증권"],
                    ctx=["{c}(은) 디지털 플랫폼 통합과 해외 법인 수익성 개선을 추진하고 있다.", "{c}(은) 자사주 소각 규모를 단계적으로 늘리고 있다."]),
    "한화솔루션": dict(flags="plant chem heavy", prod=["태양광 모듈", "페로브스카이트 탠덤셀", "큐셀 통합 솔루션"], site=["진천", "음성", "여수", "미국 조지아 달튼"], unit=["큐셀부문", "케미칼부문"],
                  ctx=["{c}(은) 미국 태양광 통합 생산단지를 중심으로 사업을 키우고 있다.", "{c}(은) 케미칼 부문의 적자 폭을 줄이는 데 힘쓰고 있다."]),
    "SK이노베이션": dict(flags="plant chem heavy battery", prod=["지속가능항공유(SAF)", "폐플라스틱 열분해유", "SK온 배터리"], site=["울산"], unit=["SK에너지", "SK지오센트릭", "SK온"],
                     ctx=["{c}(은) SK E&S와의 합병 이후 에너지 사업 포트폴리오를 재정비하고 있다.", "{c}(은) 배터리 자회사 SK온의 흑자 전환을 최우선 과제로 삼고 있다."]),
    "롯데케미칼": dict(flags="plant chem heavy", prod=["재생 PET 소재", "청정수소", "고부가 스페셜티 소재"], site=["여수", "대산", "울산"], unit=["기초소재사업", "첨단소재사업"],
                  ctx=["{c}(은) 범용 석유화학 설비를 줄이고 스페셜티 비중을 높이는 구조조정을 진행하고 있다."]),
    "CJ제일제당": dict(flags="plant consumer", prod=["비비고 만두", "햇반", "PHA 생분해 소재"], site=["진천", "인천", "논산"], unit=["식품사업부문", "바이오사업부문"],
                   ctx=["{c}(은) 해외 식품 매출 비중이 절반에 육박한다.", "{c}(은) 바이오사업부 매각 이후 식품 본업 경쟁력 강화에 집중하고 있다."]),
    "쿠팡": dict(flags="consumer data", prod=["로켓배송", "쿠팡이츠", "와우 멤버십"], site=["동탄 물류센터", "대구 풀필먼트센터", "부천 물류센터"], unit=["로켓배송 부문", "쿠팡풀필먼트서비스"],
               ctx=["{c}(은) 전국 물류 인프라를 늘려 배송 가능 지역을 넓히고 있다.", "{c}(은) 대만 등 해외 시장 확장에도 속도를 내고 있다."]),
    "한국전력": dict(flags="plant heavy data fin", prod=["전기요금", "서해안 송전망", "해상풍력 연계망"], site=["나주 본사", "당진", "신안"], unit=["송변전부문", "전력연구원"],
                  ctx=["{c}의 누적 부채는 여전히 200조원을 웃돈다.", "{c}(은) 송전망 확충 사업의 속도를 높이고 있다."]),
}

VIOLATIONS = ["하도급대금 부당 감액", "계열사 부당 지원", "입찰 담합", "대리점 갑질", "기술자료 유용", "부당 광고"]
REASONS = ["외국인 매도세", "업황 둔화 우려", "실적 전망 하향", "미국 금리 불확실성", "차익 실현 매물"]


def T(key: str, need: str | None, titles: list[str], descs: list[str], after: date | None = None) -> dict:
    """One story template: title wordings (outlets reword headlines) and description variants."""
    return dict(key=key, need=need, titles=titles, descs=descs, after=after)


EARNINGS_SEASON = date(2026, 10, 8)
TEMPLATES = [
    # E: climate, energy, water, pollution, resources
    T("re100", "plant", ["{c}, {yr}년 RE100 조기 달성 선언", "{c} \"{yr}년까지 RE100 조기 달성\"", "[속보] {c}, {yr}년 RE100 조기 달성 선언", "RE100 속도 내는 {c}…\"{yr}년 재생에너지 100%\"", "{c}, RE100 목표 {gap}년 앞당겨 {yr}년으로"],
      ["{c}(이) 국내외 모든 사업장의 사용 전력을 {yr}년까지 재생에너지로 바꾸겠다고 {day}일 밝혔다. 기존 목표보다 {gap}년 앞당긴 것으로, 지난해 재생에너지 전환율은 {pm}% 수준이었다.",
       "{c}(은) {day}일 사업장 전력을 {yr}년까지 100% 재생에너지로 전환하는 RE100 조기 달성 계획을 내놨다. 당초 목표보다 {gap}년 빠르며, 지난해 전환율은 {pm}%였다."]),
    T("report", None, ["{c}, 온실가스 배출 {ps}% 줄였다…지속가능경영보고서 발간", "{c} <2026 지속가능경영보고서> 공개…배출량 {ps}% 감축", "{c} \"작년 탄소배출 {ps}% 감축\"…보고서 발간", "지속가능경영보고서 낸 {c}, 스코프3 공시 범위 넓혀"],
      ["{c}(이) {day}일 발간한 '2026 지속가능경영보고서'에 따르면 지난해 온실가스 배출량(스코프1·2)은 전년보다 {ps}% 줄었다. 공급망 배출량(스코프3) 산정 범위도 처음으로 넓혔다.",
       "{c}(은) {day}일 지속가능경영보고서를 내고 지난해 온실가스 배출량을 전년 대비 {ps}% 감축했다고 밝혔다. 협력사 배출량까지 포함한 스코프3 공시 범위도 확대했다."]),
    T("solar", "plant", ["{c}, {site} 사업장 지붕에 태양광 {mw}MW 설치", "{c} {site} 사업장, 지붕형 태양광 {mw}MW 가동", "{site} 지붕 태양광으로 채운 {c}…\"전력 {ps}% 직접 만든다\"", "{c}, {site}에 {mw}MW 자가 태양광 완공"],
      ["{c}(은) {site} 사업장 건물 지붕과 주차장에 {mw}MW 규모 태양광 발전 설비를 설치해 가동에 들어갔다고 {day}일 밝혔다. 연간 발전량은 사업장 사용 전력의 {ps}% 수준이다.",
       "{c}(이) {site} 사업장 유휴 부지와 지붕을 활용한 {mw}MW 태양광 설비를 완공했다. 사업장에서 쓰는 전력의 {ps}%를 자체 발전으로 충당하게 된다."]),
    T("water", "plant", ["{c}, {site} 사업장 용수 재이용률 {pb}% 달성…가뭄 대비", "{c} \"{site} 사업장 물 {pb}% 다시 쓴다\"", "물 아끼는 {c}…{site} 사업장 재이용 설비 증설", "{c}, 공정 용수 재이용 확대로 하루 {kt}톤 절감"],
      ["{c}(은) {site} 사업장의 공정 용수를 정화해 다시 쓰는 재이용 설비를 증설해 재이용률을 {pb}%로 끌어올렸다고 {day}일 밝혔다. 하루 취수량은 {kt}톤가량 줄어든다.",
       "{c}(이) 가뭄에 대비해 {site} 사업장에 용수 재이용 설비를 추가로 설치했다. 재이용률은 {pb}%로 높아지고 하루 {kt}톤의 취수량을 아낄 수 있다."]),
    T("battery_recycle", "battery", ["{c}, 폐배터리 재활용 합작사 설립…연 {nk}만톤 처리", "{c}, 폐배터리서 리튬·니켈 회수…재활용 사업 본격화", "{c} 폐배터리 재활용 합작법인 출범", "\"폐배터리도 자원\"…{c}, 재활용 합작사 세운다"],
      ["{c}(이) 폐배터리에서 리튬·니켈·코발트 등 핵심 광물을 회수하는 재활용 합작법인을 세운다고 {day}일 밝혔다. 연간 처리 능력은 {nk}만톤 규모로 {yr1}년 가동이 목표다.",
       "{c}(은) {day}일 배터리 재활용 전문 기업과 합작법인 설립 계약을 맺었다. 사용 후 배터리에서 광물을 뽑아내 연간 {nk}만톤을 처리할 계획이다."]),
    T("plastic", "plant", ["{c}, 폐플라스틱 {kt}톤 재활용 원료로", "{c} \"플라스틱 포장재 {ps}% 줄였다\"", "{c}, 제품 포장에 재생 플라스틱 {pm}% 적용", "재생 소재 늘리는 {c}…포장재 플라스틱 {ps}% 감축"],
      ["{c}(은) 올해 제품 포장재에 재생 플라스틱 사용 비중을 {pm}%까지 높이고 일회용 플라스틱을 지난해보다 {ps}% 줄였다고 {day}일 밝혔다.",
       "{c}(이) 생산 과정에서 나온 폐플라스틱 {kt}톤을 재활용 원료로 되살렸다. 포장재의 플라스틱 사용량도 전년 대비 {ps}% 감축했다."]),
    T("chem_leak", "chem", ["{c} {site} 사업장서 화학물질 누출…작업자 {ns}명 병원 이송", "{c} {site} 공장 화학물질 유출 사고…당국 조사", "[속보] {c} {site} 사업장 화학물질 누출", "{c} {site} 사업장 배관서 유해물질 새어…{ns}명 치료"],
      ["{day}일 오전 {c} {site} 사업장에서 배관 정비 중 화학물질이 누출돼 작업자 {ns}명이 어지럼증을 호소하며 병원으로 옮겨졌다. 관할 환경청은 누출량과 원인을 조사하고 있다.",
       "{c} {site} 사업장에서 {day}일 화학물질이 새어 나와 작업자 {ns}명이 병원 치료를 받았다. 환경당국과 소방당국은 누출 경위와 외부 유출 여부를 확인하고 있다."]),
    T("emission_fine", "heavy", ["환경부, {c} {site} 사업장 대기오염물질 초과 배출 적발", "{c} {site} 사업장, 대기오염물질 기준 초과…과징금 {as}억원", "{c}, 질소산화물 초과 배출로 과징금 {as}억", "\"배출 기준 어겼다\"…{c} {site} 사업장 과징금 처분"],
      ["환경부는 {c} {site} 사업장이 질소산화물 등 대기오염물질을 허용 기준보다 최대 {ps}% 많이 배출한 사실을 확인하고 과징금 {as}억원을 부과했다고 {day}일 밝혔다.",
       "{c} {site} 사업장이 대기오염물질 배출 허용 기준을 넘겨 과징금 {as}억원 처분을 받았다. 굴뚝 자동측정기록에서 기준 초과가 {ns}차례 확인됐다."]),
    T("dust", "heavy", ["{c} {site} 사업장 인근 주민 \"분진·미세먼지 피해\" 집단 민원", "\"창문도 못 연다\"…{c} {site} 사업장 주변 미세먼지 민원 잇따라", "{site} 주민들, {c} 사업장 비산먼지에 집단 반발", "{c} {site} 사업장 분진 민원 {nh}건…지자체 점검"],
      ["{c} {site} 사업장 인근 주민 {nh}여 명이 분진과 미세먼지 피해를 호소하며 지자체에 집단 민원을 냈다. {c}(은) \"저감 설비를 추가하고 측정 결과를 공개하겠다\"고 밝혔다.",
       "{site} 주민들이 {c} 사업장에서 날아드는 비산먼지로 생활 피해를 겪고 있다며 대책을 요구했다. 지자체는 이달 중 현장 점검에 나설 예정이다."]),
    T("target_miss", "plant", ["{c}, 탄소중립 중간목표 미달…배출량 오히려 {ps}% 늘어", "{c} 온실가스 배출 {ps}% 증가…감축 목표 '빨간불'", "감축 약속 못 지킨 {c}…작년 배출량 {ps}%↑", "{c} 탄소배출 다시 늘어…\"설비 증설 영향\""],
      ["{c}의 지난해 온실가스 배출량이 전년보다 {ps}% 늘어 {yr}년 탄소중립 중간목표 달성에 빨간불이 켜졌다. 생산 설비 증설로 전력 사용량이 늘어난 영향이라는 분석이다.",
       "{c}(이) 공개한 배출량 자료를 보면 지난해 온실가스 배출은 전년 대비 {ps}% 증가했다. 회사가 제시한 연평균 감축 경로를 크게 벗어난 수치다."]),
    T("green_bond", "fin", ["{c}, {am}억원 규모 녹색채권 발행…재생에너지 금융 확대", "{c} 녹색채권 {am}억원 완판", "{c}, 녹색채권으로 {am}억 조달…태양광·풍력에 쓴다", "기후금융 늘리는 {c}, 녹색채권 {am}억 발행"],
      ["{c}(이) {am}억원 규모 원화 녹색채권을 발행했다고 {day}일 밝혔다. 조달 자금은 태양광·풍력 발전 사업과 에너지 효율 개선 대출에 쓰일 예정이다.",
       "{c}(은) {day}일 {am}억원 규모의 녹색채권 발행을 마쳤다. 수요예측에 발행 예정액의 {ns}배가 넘는 자금이 몰렸다."]),
    T("coal_exit", "fin", ["{c}, 석탄 관련 신규 투자·대출 전면 중단", "{c} \"석탄발전 신규 금융 더는 안 한다\"", "탈석탄 선언 {c}…기존 익스포저 {yr}년까지 축소", "{c}, 탈석탄 금융 선언"],
      ["{c}(이) 석탄발전소 건설과 탄광 개발 등 석탄 관련 사업에 대한 신규 투자와 대출을 전면 중단한다고 {day}일 밝혔다. 기존 익스포저도 {yr}년까지 단계적으로 줄인다.",
       "{c}(은) {day}일 탈석탄 금융을 선언하고 석탄 관련 프로젝트 파이낸싱과 채권 인수를 중단하기로 했다."]),
    T("cdp", None, ["{c}, CDP 기후변화 대응 '리더십 A' 등급", "{c} CDP 평가 최고등급…\"기후 대응 성과 인정\"", "{c}, CDP 물 경영 부문 'A'"],
      ["{c}(이) 글로벌 환경 정보공개 기구 CDP의 올해 평가에서 기후변화 대응 부문 최고 등급인 '리더십 A'를 받았다. 배출량 감축 실적과 정보 공개 수준이 높게 평가됐다.",
       "CDP 한국위원회가 {day}일 발표한 평가 결과에서 {c}(이) 기후변화 대응 최고 등급을 받았다. 온실가스 감축 목표의 과학적 근거와 이행 실적이 좋은 평가를 받았다."]),
    T("datacenter_power", "data", ["{c}, {site} 냉각 방식 바꿔 전력 {ps}% 절감", "{c} {site}, 외기 냉각으로 전력 사용 {ps}% 줄여", "{c} 데이터센터 전력효율 개선…연 {nk}GWh 절감"],
      ["{c}(은) {site}의 냉각 설비를 외부 공기를 활용하는 방식으로 바꿔 전력 사용량을 {ps}% 줄였다고 {day}일 밝혔다. 연간 절감량은 {nk}GWh 수준이다."]),
    T("ev_fleet", "consumer", ["{c}, 업무용 차량 {pm}% 전기·수소차로 전환", "{c} \"업무용 차량 {yr}년까지 100% 무공해차로\"", "{c}, 배송·업무 차량 무공해차 전환 속도"],
      ["{c}(이) 업무용 차량의 {pm}%를 전기차와 수소차로 바꿨다고 {day}일 밝혔다. {yr}년까지 전량을 무공해차로 전환하는 것이 목표다."]),
    # S: people, safety, labour, customers, suppliers, communities
    T("accident", "plant", ["{c} {site} 사업장서 협력사 직원 사망…중대재해법 조사", "[단독] {c} {site} 사업장 협력사 근로자 끼임 사고로 숨져", "{c} {site} 사업장 또 사망사고…노동부 작업중지", "{site} 사업장서 근로자 숨져…{c} \"유가족께 사과\""],
      ["{day}일 {c} {site} 사업장에서 설비 점검 작업을 하던 협력업체 소속 근로자가 기계에 끼여 숨졌다. 고용노동부는 작업중지 명령을 내리고 중대재해처벌법 위반 여부를 조사하고 있다.",
       "{c} {site} 사업장에서 {day}일 협력사 직원이 설비에 끼이는 사고로 숨졌다. 노동부는 해당 공정에 작업중지를 명령하고 중대재해처벌법 적용 여부를 들여다보고 있다."]),
    T("wage_deal", None, ["{c} 노사, 임금협상 잠정 합의…기본급 {pt}% 인상", "{c} 노사 임협 타결 눈앞…기본급 {pt}%↑", "{c} 노사, 임금협상 잠정합의안 도출", "{c} 노사 \"기본급 {pt}% 인상\" 잠정 합의"],
      ["{c} 노사가 올해 임금협상에서 기본급 {pt}% 인상과 성과급 제도 개선 등을 담은 잠정합의안을 마련했다. 잠정합의안은 조합원 찬반투표를 거쳐 최종 확정된다.",
       "{c} 노사는 {day}일 기본급 {pt}% 인상을 골자로 한 임금협상 잠정합의안을 도출했다. 노조는 다음 주 조합원 찬반투표를 진행한다."]),
    T("strike", None, ["{c} 노조, 쟁의행위 찬반투표 가결…파업 수순", "{c} 노조 파업 찬성 {pb}%…\"교섭 결렬\"", "{c} 노사 교섭 결렬, 노조 파업 예고", "파업 초읽기 {c}…노조 쟁의행위 가결"],
      ["{c} 노동조합이 쟁의행위 찬반투표에서 {pb}%의 찬성으로 파업을 가결했다. 노사는 성과급 산정 기준과 인력 충원을 두고 평행선을 달리고 있다.",
       "{c} 노조가 {day}일 쟁의행위 찬반투표를 가결하며 파업 수순에 들어갔다. 찬성률은 {pb}%로 성과급 기준을 둘러싼 이견이 좁혀지지 않았다."]),
    T("partner", None, ["{c}, 협력사와 {am}억원 규모 상생협력 협약", "{c}, 협력사 상생에 {am}억원 푼다", "{c} \"협력사와 함께 큰다\"…{am}억 상생 지원", "{c}, 중소 협력사 {nh}곳에 {am}억 지원"],
      ["{c}(은) {day}일 1·2차 협력사 대표들과 상생협력 협약을 맺고 {am}억원 규모의 금융 지원과 기술 개발, 안전 설비 투자 지원에 나선다고 밝혔다.",
       "{c}(이) 중소 협력사 {nh}곳을 대상으로 {am}억원 규모의 상생 지원 프로그램을 가동한다. 납품대금 조기 지급과 스마트공장 구축 비용이 포함된다."]),
    T("privacy", "data", ["{c} 고객 개인정보 {nk}만건 유출 정황…개인정보위 조사", "[단독] {c}, 고객정보 {nk}만건 유출 의혹", "{c} 개인정보 유출 사고…\"결제정보는 안전\"", "개인정보위, {c} 고객정보 유출 조사 착수"],
      ["{c}에서 고객 이름과 연락처, 주소 등 개인정보 {nk}만건이 외부로 유출된 정황이 확인돼 개인정보보호위원회가 조사에 착수했다. 회사는 \"결제 정보는 유출되지 않았다\"고 밝혔다.",
       "개인정보보호위원회가 {c} 고객 {nk}만명의 개인정보 유출 의혹에 대해 조사를 시작했다. {c}(은) \"비밀번호와 결제 정보는 암호화돼 있어 안전하다\"고 설명했다."]),
    T("recall", "consumer", ["{c}, {prod} 일부 자발적 리콜…{nk}만대 규모", "{c} {prod} 리콜…부품 결함 가능성", "{prod} {nk}만대 리콜 나선 {c}", "[속보] {c}, {prod} 자발적 리콜 결정"],
      ["{c}(이) {prod} 일부 물량에서 부품 결함 가능성이 확인돼 {nk}만대 규모의 자발적 리콜을 진행한다고 {day}일 밝혔다. 무상 점검과 부품 교체를 받을 수 있다.",
       "{c}(은) {day}일 {prod} 일부 제품에서 결함 가능성이 발견됐다며 자발적 리콜 계획을 발표했다. 대상은 {nk}만대 규모다."]),
    T("human_rights", "plant", ["{c}, 공급망 인권 실사 결과 공개…협력사 {ns}곳 개선 조치", "{c} \"협력사 인권 리스크 {ns}건 개선\"", "{c}, 해외 협력사 인권 실사 첫 공개", "인권 실사 나선 {c}…협력사 {ns}곳에 시정 요구"],
      ["{c}(이) 해외 협력사를 포함한 공급망 인권 실사 결과를 {day}일 공개했다. 강제노동과 과도한 근로시간 등 위험 요인이 발견된 협력사 {ns}곳에 개선 조치를 요구했다.",
       "{c}(은) {day}일 협력사 대상 인권 실사 보고서를 내고 근로시간 위반 등 {ns}건의 위험 요인을 찾아 시정했다고 밝혔다."]),
    T("hiring", None, ["{c}, 하반기 신입사원 공개채용…{nh}명 규모", "{c} 하반기 공채 시작…{nh}명 뽑는다", "{c}, 하반기 {nh}명 채용…AI 인재 비중 확대"],
      ["{c}(이) 하반기 신입사원 공개채용을 시작한다고 {day}일 밝혔다. 채용 규모는 {nh}명 수준으로, 서류 접수는 이달 말까지 진행된다.",
       "{c}(은) {day}일 하반기 채용 계획을 공개했다. 올해 채용 인원은 {nh}명으로 AI·소프트웨어 직군 비중을 늘렸다."]),
    T("diversity", None, ["{c}, 여성 관리자 비율 {pm}%로 확대", "{c}, 다양성 보고서 첫 발간…여성 관리자 {pm}%", "{c} 여성 관리자 {pm}% 넘어…장애인 고용도 확대"],
      ["{c}(이) 처음으로 발간한 다양성·포용성 보고서에 따르면 여성 관리자 비율은 {pm}%로 3년 전보다 크게 늘었다. 장애인 고용률도 법정 기준을 넘어섰다."]),
    T("safety_invest", "plant", ["{c}, 3년간 안전 투자 {tr}조원…\"중대재해 제로\"", "{c} 안전 예산 {tr}조원 투입…작업중지권 전면 보장", "{c}, 현장 안전에 {tr}조 쓴다"],
      ["{c}(이) 향후 3년간 안전 설비와 인력에 {tr}조원을 투입하고 모든 현장 근로자에게 작업중지권을 보장한다고 {day}일 밝혔다.",
       "{c}(은) {day}일 안전 경영 계획을 발표하고 3년간 {tr}조원을 들여 노후 설비를 교체하겠다고 했다."]),
    T("donation", None, ["{c}, 수해 복구 성금 {as}억원 기탁", "{c} 임직원, 수해 지역 복구 봉사…성금 {as}억원도", "{c}, 이웃돕기 성금 {as}억 전달"],
      ["{c}(이) 집중호우 피해 지역 복구를 위해 사회복지공동모금회에 성금 {as}억원을 기탁했다고 {day}일 밝혔다. 임직원 봉사단도 현장 복구 작업에 참여한다."]),
    T("harassment", None, ["{c} 직장 내 괴롭힘 의혹…노동부 특별감독", "[단독] {c} 팀장 폭언·괴롭힘 신고 잇따라", "노동부, {c} 직장 내 괴롭힘 특별근로감독 착수"],
      ["고용노동부가 {c}에서 직장 내 괴롭힘 신고가 잇따르자 특별근로감독에 착수했다고 {day}일 밝혔다. 노동부는 조직문화 전반과 근로시간 관리 실태도 함께 들여다볼 계획이다."]),
    T("four_day", None, ["{c}, 주 4.5일 근무제 시범 도입", "{c} \"금요일 오후는 쉰다\"…주 4.5일제 도입", "{c}, 격주 주 4일제 시행"],
      ["{c}(이) 다음 달부터 일부 부서를 대상으로 주 4.5일 근무제를 시범 운영한다고 {day}일 밝혔다. 근로시간은 줄이되 임금은 유지한다."]),
    # G: board, shareholders, ownership, compliance
    T("board_chair", None, ["{c}, 사외이사를 이사회 의장으로 선임", "{c} 이사회 의장에 사외이사…이사회 독립성 강화", "{c}, 대표이사·이사회 의장 분리"],
      ["{c}(이) {day}일 이사회를 열고 사외이사를 새 이사회 의장으로 선임했다. 대표이사와 의장을 분리해 이사회의 경영진 감독 기능을 높이려는 취지다."]),
    T("dividend", None, ["{c}, 주당 {won}원 분기배당 결정", "{c} 분기배당 주당 {won}원…전년 대비 확대", "{c}, 분기 현금배당 {won}원"],
      ["{c}(이) {day}일 이사회에서 보통주 1주당 {won}원의 분기 현금배당을 결정했다고 공시했다. 배당금 총액은 {am}억원 규모다."]),
    T("buyback", None, ["{c}, {am}억원 규모 자사주 매입…전량 소각", "{c} 자사주 {am}억 사서 태운다", "[속보] {c}, {am}억원 자사주 매입·소각 결정", "{c} \"자사주 {am}억 소각\"…주주가치 제고"],
      ["{c}(이) {am}억원 규모의 자기주식을 매입해 전량 소각하기로 했다고 {day}일 공시했다. 주주가치 제고 계획의 일환으로 매입은 3개월에 걸쳐 진행된다.",
       "{c}(은) {day}일 이사회에서 {am}억원 규모 자사주 취득과 소각을 결의했다. 매입 기간은 약 3개월이며 주주가치 제고 차원이라고 회사 측은 설명했다."]),
    T("embezzle", None, ["{c} 직원 {as}억원 횡령 적발…내부통제 도마", "[단독] {c}서 {as}억원대 횡령 사고", "{c} {as}억 횡령 사고…\"내부통제 구멍\"", "{c}, 직원 횡령 {as}억 적발…경찰 고소"],
      ["{c}에서 자금 업무를 맡던 직원이 회사 자금 {as}억원을 빼돌린 사실이 자체 감사에서 드러났다. 회사는 해당 직원을 고소하고 내부통제 시스템을 전면 점검하기로 했다.",
       "{c} 직원이 수년간 회사 자금 {as}억원을 횡령한 사실이 내부 감사로 적발됐다. {c}(은) 형사 고소와 함께 자금 관리 절차를 재점검하고 있다."]),
    T("ftc", None, ["공정위, {c}에 과징금 {am}억원…{viol}", "{c}, '{viol}' 과징금 {am}억원 부과받아", "공정위 \"{c}, {viol}\"…과징금 {am}억", "{viol} 적발된 {c}, 과징금 {am}억"],
      ["공정거래위원회는 {c}의 {viol} 행위를 적발해 시정명령과 함께 과징금 {am}억원을 부과한다고 {day}일 밝혔다. {c}(은) \"의결서를 받는 대로 대응 방안을 검토하겠다\"고 말했다.",
       "{c}(이) {viol} 혐의로 공정거래위원회로부터 과징금 {am}억원을 부과받았다. 공정위는 {day}일 전원회의 결과를 이같이 발표했다."]),
    T("egm", None, ["{c}, 임시주총 소집…사외이사 {nd}명 선임 안건 상정", "{c} 다음 달 임시주총…사외이사 선임 안건", "{c}, 임시 주주총회 열고 정관 변경 추진"],
      ["{c}(이) 다음 달 임시 주주총회를 열고 사외이사 {nd}명 선임과 정관 일부 변경 안건을 다룬다고 {day}일 공시했다."]),
    T("activist", None, ["행동주의 펀드, {c}에 주주제안…\"이사회 구성 바꿔야\"", "{c}, 행동주의 펀드 주주제안에 \"검토 중\"", "{c} 지분 {st}% 보유한 행동주의 펀드 \"자사주 소각하라\""],
      ["{c} 지분 {st}%를 보유한 행동주의 펀드가 이사회에 감사위원 분리 선출과 자사주 소각을 요구하는 주주제안 서한을 보냈다. {c}(은) \"내용을 검토 중\"이라고 밝혔다."]),
    T("compliance", None, ["{c}, 준법감시 조직 확대…내부통제 체계 개편", "{c} 내부통제 강화…준법감시인 권한 확대", "{c}, 이사회 직속 준법지원 조직 신설"],
      ["{c}(이) 준법감시 조직을 확대하고 준법감시인이 이사회에 직접 보고하도록 내부통제 체계를 개편한다고 {day}일 밝혔다."]),
    T("valueup", None, ["{c}, 기업가치 제고 계획 공시…주주환원율 {pm}% 목표", "{c} 밸류업 계획 발표…\"주주환원 {pm}%\"", "{c}, {yr1}년까지 주주환원율 {pm}%로"],
      ["{c}(이) {day}일 기업가치 제고 계획을 공시하고 {yr1}년까지 주주환원율을 {pm}%로 높이겠다고 밝혔다. 자사주 소각과 배당 확대를 병행한다."]),
    T("esg_rating", None, ["{c}, 한국ESG기준원 평가서 통합 'A' 등급", "{c} ESG 통합등급 'A'…지배구조 점수 상승", "{c}, ESG 평가 지배구조 부문 A+"],
      ["한국ESG기준원이 발표한 올해 ESG 평가에서 {c}(이) 통합 A 등급을 받았다. 이사회 독립성과 주주권 보호 부문 점수가 전년보다 올랐다."]),
    T("nps_vote", None, ["국민연금, {c} 사내이사 선임안 반대…\"기업가치 훼손 우려\"", "국민연금 수탁위, {c} 안건에 반대 의견", "{c} 주총 앞두고 국민연금 '반대' 행사"],
      ["국민연금기금 수탁자책임전문위원회가 {c} 임시주총의 사내이사 선임 안건에 반대 의결권을 행사하기로 했다. 과거 내부통제 소홀에 대한 책임을 물었다는 설명이다."]),
    T("insider", None, ["{c} 임원, 미공개정보 이용 주식 매매 의혹", "[단독] 금감원, {c} 임원 내부자거래 조사", "{c} 임원 자사주 매도 직후 악재 공시…내부자거래 논란"],
      ["금융감독원이 {c} 임원들이 실적 악화 공시 직전 보유 주식을 처분한 정황을 포착하고 조사에 나섰다. 매도 규모는 {as}억원 안팎으로 알려졌다."]),
    T("audit_committee", None, ["{c}, 감사위원회 전원 사외이사로 구성", "{c} 감사위원회 독립성 강화…전원 사외이사로", "{c}, 감사위원회에 회계 전문가 추가 선임"],
      ["{c}(이) 감사위원회를 전원 사외이사로 구성하고 회계·재무 전문가를 추가로 선임했다고 {day}일 밝혔다. 경영진에 대한 견제 기능을 높이려는 조치다."]),
    # business
    T("earn_beat", None, ["{c}, {q}분기 영업이익 {ab}억원…시장 전망 웃돌아", "{c} {q}분기 '깜짝 실적'…영업익 {ab}억", "[속보] {c} {q}분기 영업이익 {ab}억원", "{c} {q}분기 호실적…영업익 전망치 {ps}% 상회"],
      ["{c}(이) {q}분기 연결 기준 영업이익이 {ab}억원으로 집계됐다고 {day}일 공시했다. 증권가 평균 전망치를 {ps}% 웃돈 수준으로, 매출도 전년 같은 기간보다 늘었다.",
       "{c}의 {q}분기 영업이익이 {ab}억원을 기록해 시장 전망치를 {ps}% 웃돌았다. {day}일 공시에 따르면 매출도 전년 동기 대비 증가했다."], after=EARNINGS_SEASON),
    T("earn_miss", None, ["{c} {q}분기 영업익 {pm}% 감소…어닝쇼크", "{c}, {q}분기 실적 부진…영업이익 {pm}% 줄어", "{c} {q}분기 '어닝쇼크'…시장 기대 크게 밑돌아"],
      ["{c}의 {q}분기 영업이익이 전년 같은 기간보다 {pm}% 줄어 시장 기대에 크게 못 미쳤다. 수요 둔화와 비용 증가가 겹친 영향이다.",
       "{c}(이) {day}일 발표한 {q}분기 영업이익은 전년 동기 대비 {pm}% 감소했다. 시장 평균 전망치를 크게 밑돈 '어닝쇼크'다."], after=EARNINGS_SEASON),
    T("preview", None, ["{c} {q}분기 실적 전망 '맑음'…영업익 {ab}억 예상", "증권가 \"{c} {q}분기 영업익 {ab}억\"", "{c}, {q}분기 실적 기대감…목표주가 줄상향"],
      ["증권가에서는 {c}의 {q}분기 영업이익이 {ab}억원 안팎으로 전년 동기보다 늘어날 것으로 보고 있다. 주요 증권사들은 목표주가를 잇따라 올렸다."]),
    T("stock_up", None, ["{c} 주가 {mv}% 급등…외국인 순매수", "{c} 강세…장중 {mv}% 올라", "{c}, 외국인 매수세에 {mv}%↑"],
      ["{day}일 유가증권시장에서 {c} 주가가 전 거래일보다 {mv}% 오른 채 마감했다. 외국인 투자자가 {am}억원어치를 순매수하며 상승을 이끌었다."]),
    T("stock_down", None, ["{c} 주가 {mv}% 하락…{reason}", "{c} 약세…{reason}에 {mv}% 빠져", "{c}, {reason}(으로) 52주 신저가"],
      ["{day}일 {c} 주가가 {mv}% 하락 마감했다. 시장에서는 {reason}(이) 투자심리를 위축시켰다는 분석이 나온다."]),
    T("product", "consumer", ["{c}, {prod} 공개…AI 기능 대폭 강화", "{c} {prod} 베일 벗었다", "{c}, 신형 {prod} 다음 달 출시"],
      ["{c}(이) {day}일 {prod}(을) 공개했다. 자체 AI 기능을 강화하고 사용 편의성을 높였으며, 다음 달부터 국내외 시장에 순차 출시한다."]),
    T("invest", "plant", ["{c}, {site}에 {tr}조원 투자…생산능력 확대", "{c} {site} 신규 라인 {tr}조 투자", "{c}, {site} 증설 결정…{yr1}년 양산"],
      ["{c}(이) {site} 사업장에 {tr}조원을 투자해 신규 생산라인을 짓는다고 {day}일 밝혔다. {yr1}년 하반기 양산이 목표다."]),
    T("personnel", None, ["{c}, {yr1}년 정기 임원인사…신규 임원 {nh2}명 선임", "{c} 임원인사 단행…세대교체 가속", "{c}, 40대 임원 대거 발탁"],
      ["{c}(이) {yr1}년 정기 임원인사를 단행해 신규 임원 {nh2}명을 선임했다고 {day}일 밝혔다. 40대 임원과 AI·소프트웨어 분야 인재를 전진 배치했다."]),
    T("contract", None, ["{c}, {am}억원 규모 공급계약 체결", "{c} {am}억 수주…\"연간 매출 {ps}% 규모\"", "{c}, 해외 고객사와 {am}억 계약"],
      ["{c}(이) 해외 고객사와 {am}억원 규모의 공급계약을 맺었다고 {day}일 공시했다. 지난해 매출의 {ps}%에 해당하는 규모다."]),
    T("r_and_d", None, ["{c}, R&D 투자 {tr}조원…역대 최대", "{c} 올해 연구개발비 {tr}조원 넘어", "{c} R&D 비중 {ps}%…역대 최고"],
      ["{c}의 올해 누적 연구개발(R&D) 투자액이 {tr}조원을 넘어 역대 최대를 기록했다. 매출 대비 R&D 비중은 {ps}% 수준이다."]),
    T("credit", None, ["{c} 신용등급 전망 '긍정적'으로 상향", "S&P, {c} 신용등급 전망 '긍정적' 상향", "{c}, 신용등급 전망 상향…\"수익성 개선\""],
      ["국제 신용평가사 S&P가 {c}의 신용등급 전망을 '안정적'에서 '긍정적'으로 올렸다고 {day}일 밝혔다. 수익성 개선과 재무구조 안정이 반영됐다."]),
    T("ai_service", "data", ["{c}, {prod}에 AI 에이전트 탑재", "{c} {prod} 개편…생성형 AI 전면 적용", "{c}, AI 기반 {prod} 새 버전 공개"],
      ["{c}(이) {prod}에 생성형 AI 에이전트 기능을 적용했다고 {day}일 밝혔다. 이용자의 요청을 이해하고 예약·결제까지 대신 처리하는 것이 특징이다."]),
]

# Stories that are not about one company; the bolded word is the search keyword.
GENERAL = [
    ("ESG", ["금융위, <b>ESG</b> 공시 의무화 로드맵 확정…2028년 자산 2조 이상부터", "<b>ESG</b> 공시 의무화 2028년 시행…\"기업 준비 시간 부족\"", "[속보] 금융위, <b>ESG</b> 공시 로드맵 발표"],
     "금융위원회가 자산 2조원 이상 상장사를 대상으로 2028년부터 <b>ESG</b> 공시를 의무화하는 로드맵을 확정했다. 스코프3 배출량 공시는 유예 기간을 두기로 했다."),
    ("ESG", ["<b>ESG</b> 펀드 3분기에만 {am}억원 빠져나가", "<b>ESG</b> 펀드 자금 유출 지속…수익률 부진 영향"],
     "국내 <b>ESG</b> 주식형 펀드에서 3분기에만 {am}억원이 순유출됐다. 수익률 부진과 '그린워싱' 논란이 겹치면서 투자자 관심이 식었다는 분석이다."),
    ("ESG", ["'그린워싱' 제재 강화…공정위, 환경성 표시 광고 지침 개정", "\"친환경 과장 광고 안 된다\"…그린워싱 심사지침 손질"],
     "공정거래위원회가 근거 없이 '친환경', '탄소중립'을 내세우는 광고를 제재하는 환경성 표시·광고 심사지침 개정안을 마련했다. 기업 <b>ESG</b> 홍보 관행에도 영향이 예상된다."),
    ("ESG", ["대기업 {pm}% \"<b>ESG</b> 경영 예산 줄였다\"", "경기 둔화에 <b>ESG</b> 예산 축소…대기업 {pm}% 응답"],
     "한 경제단체가 매출 상위 기업을 조사한 결과 {pm}%가 올해 <b>ESG</b> 경영 관련 예산을 줄였다고 답했다. 공시 의무화 대응 비용은 오히려 늘었다는 응답도 많았다."),
    ("ESG", ["국민연금, <b>ESG</b> 투자 대상 {pm}%로 확대", "국민연금 <b>ESG</b> 통합 전략 전 자산군 적용"],
     "국민연금이 <b>ESG</b> 요소를 고려해 투자하는 자산 비중을 {pm}%로 늘리기로 했다. 기후 위험이 큰 업종에 대한 주주활동도 강화한다. 기금운용위원회는 연말까지 세부 지침을 마련할 예정이다."),
    ("탄소중립", ["2035 NDC 확정…산업계 \"<b>탄소중립</b> 비용 부담 커져\"", "정부 2035 감축목표 발표에 산업계 '비상'"],
     "정부가 2035년 국가 온실가스 감축목표(NDC)를 확정하자 철강·석유화학 업계는 <b>탄소중립</b> 전환 비용이 급증할 것이라며 지원책을 요구했다. 정부는 배출권 유상할당 확대 시기를 업종별로 조정하겠다는 입장이다."),
    ("탄소중립", ["<b>탄소중립</b> 기본계획 수정안 공개…산업 부문 감축률 상향", "산업 부문 감축률 높인 <b>탄소중립</b> 기본계획 수정안"],
     "정부가 <b>탄소중립</b>·녹색성장 기본계획 수정안을 공개했다. 산업 부문 감축률을 높이는 대신 CCUS와 수소환원제철 등 기술 지원을 확대하기로 했다. 환경단체는 \"감축 부담을 미래로 미뤘다\"고 비판했다."),
    ("탄소중립", ["EU 탄소국경조정제도 본격 시행 앞두고 철강 수출기업 '비상'", "CBAM 본격 시행 D-{ns}…철강·알루미늄 수출 '빨간불'"],
     "유럽연합(EU)의 탄소국경조정제도(CBAM) 본격 시행을 앞두고 국내 철강·알루미늄 수출기업들이 배출량 검증 준비에 속도를 내고 있다. <b>탄소중립</b> 대응 여력이 부족한 중소기업이 특히 취약하다."),
    ("탄소중립", ["<b>탄소중립</b> 산업 전환에 5년간 {tr}조원 정책금융 투입", "정부, 산업 <b>탄소중립</b> 전환 정책금융 {tr}조 공급"],
     "정부가 철강·석유화학·시멘트 등 다배출 업종의 <b>탄소중립</b> 전환을 돕기 위해 향후 5년간 {tr}조원 규모의 정책금융을 공급한다. 저탄소 설비로 전환하는 중견·중소기업에는 금리 우대도 적용된다."),
    ("탄소중립", ["배출권 가격 {ps}% 급등…<b>탄소중립</b> 부담 현실화", "탄소배출권 가격 급등에 기업들 '긴장'"],
     "국내 탄소배출권 가격이 한 달 새 {ps}% 올랐다. 유상할당 비중 확대를 앞두고 <b>탄소중립</b> 비용 부담이 현실화하고 있다는 평가다. 철강·시멘트 등 배출권 구매 비중이 큰 업종의 원가 부담이 커질 전망이다."),
    ("공급망", ["<b>공급망</b> 실사법 대응 비상…중소 협력사 {pm}% '준비 부족'", "EU <b>공급망</b> 실사지침에 협력사 {pm}% \"대응 못해\""],
     "유럽연합의 <b>공급망</b> 실사지침 적용을 앞두고 국내 중소 협력사 {pm}%가 인권·환경 실사 준비가 부족하다고 답한 것으로 나타났다. 고객사의 실사 요구는 빠르게 늘고 있어 정부 차원의 지원이 필요하다는 지적이 나온다."),
    ("공급망", ["핵심광물 <b>공급망</b> 재편…정부, 희토류 비축 {ns}개월분으로 확대", "정부 \"희토류 비축 확대\"…핵심광물 <b>공급망</b> 대책"],
     "정부가 핵심광물 <b>공급망</b> 안정화 대책을 내놓고 희토류 등 전략 광물 비축량을 {ns}개월분으로 늘리기로 했다. 특정국 의존도를 낮추기 위한 수입처 다변화도 지원한다."),
    ("공급망", ["美 IRA 세액공제 축소 검토에 배터리 <b>공급망</b> 긴장", "배터리 업계, IRA 개편 가능성에 <b>공급망</b> 재점검"],
     "미국이 인플레이션감축법(IRA) 세액공제 축소를 검토하면서 국내 배터리 업계가 북미 <b>공급망</b> 전략을 재점검하고 있다. 현지 투자 속도 조절 가능성도 거론된다."),
    ("공급망", ["반도체 <b>공급망</b> 협의체 출범…소부장 국산화 속도", "반도체 소부장 <b>공급망</b> 협의체 첫 회의"],
     "반도체 소재·부품·장비 기업과 수요 기업이 참여하는 <b>공급망</b> 협의체가 출범했다. 핵심 소재 국산화율을 {pm}%까지 끌어올리는 것이 목표다. 정부는 협의체를 통해 공동 연구개발과 수요 연계를 지원한다."),
    ("공급망", ["<b>공급망</b> 탄소 배출 공개 요구 커진다…협력사 부담 가중", "글로벌 고객사 \"<b>공급망</b> 탄소 데이터 내라\""],
     "글로벌 완성차·전자 기업들이 협력사에 제품 탄소발자국 데이터 제출을 요구하면서 국내 <b>공급망</b> 전반의 부담이 커지고 있다. 데이터 관리 역량이 부족한 2·3차 협력사는 거래 유지마저 걱정하는 처지다."),
]


def rand_token(rng: random.Random, kind: str, width: int) -> str:
    """Random digits or capital/digit characters for an article path."""
    pool = "0123456789" if kind == "n" else "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(pool) for _ in range(width))


def article_url(rng: random.Random, outlet: tuple, when: datetime) -> str:
    """A plausible article URL on the outlet's domain, dated like the article."""
    domain, _, pattern, sections = outlet
    ymd = when.strftime("%Y%m%d")

    def token(match: re.Match) -> str:
        name, width = match.group(1), match.group(2)
        if name in ("n", "A"):
            return rand_token(rng, name, int(width))
        return {"ymd": ymd, "y": f"{when:%Y}", "m": f"{when:%m}", "d": f"{when:%d}"}.get(name) or rng.choice(sections)

    return f"https://{domain}" + re.sub(r"\{(\w+)(?::(\d+))?\}", token, pattern)


def naver_link(rng: random.Random, office: str) -> str:
    """An n.news.naver.com article link for a partner outlet."""
    return f"https://n.news.naver.com/mnews/article/{office}/{rng.randint(1_200_000, 9_900_000):010d}"


def escape(text: str) -> str:
    """HTML-escape the way Naver's API does (&quot; &apos; &amp; &lt; &gt;), keeping <b> tags."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("'", "&apos;")
    return text.replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")


def snippet(rng: random.Random, text: str) -> str:
    """Cut a description the way Naver's snippets are cut: at most ~200 characters, sometimes earlier."""
    limit = 200 if rng.random() < 0.7 else rng.randint(110, 160)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 80, limit - 3)
    return text[: cut if cut > 0 else limit - 3].rstrip(" ,") + rng.choice(["...", "…"])


def eok(amount: int) -> str:
    """An amount in 억원 the way headlines write it: 8,450 or 5조2,610 (the template adds 억원)."""
    trillions, rest = divmod(amount if amount % 10_000 else amount + 170, 10_000)
    return f"{trillions}조{rest:,}" if trillions else f"{rest:,}"


def story_slots(rng: random.Random, company: str | None, when: datetime) -> dict:
    """Every slot a template may use, drawn once per story so outlets repeat the same facts."""
    info = COMPANIES.get(company or "", dict(prod=[""], site=[""], unit=[""]))
    yr = rng.choice([2030, 2035, 2040])
    return dict(
        c=company or "", prod=rng.choice(info["prod"]), site=rng.choice(info["site"]),
        unit=rng.choice(info["unit"]), yr=yr, gap=rng.randint(3, 10), day=when.day, q=3, yr1=2027,
        ps=rng.randint(3, 24), pm=rng.randint(18, 62), pb=rng.randint(62, 97), pt=rng.choice(["3.5", "4.1", "4.8", "5.2", "5.6", "6.0"]),
        am=f"{rng.randint(3, 90) * 50:,}", as_=rng.randint(8, 320), ab=eok(rng.randint(40, 9_000) * 10 + rng.choice([0, 0, 0, 0, 10, 20])),
        tr=f"{rng.randint(12, 240) / 10:g}", nk=rng.randint(2, 95), ns=rng.randint(2, 14), nh=rng.randint(2, 30) * 50,
        nh2=rng.randint(25, 160), mw=rng.randint(3, 60), won=f"{rng.randint(4, 80) * 50:,}",
        viol=rng.choice(VIOLATIONS), reason=rng.choice(REASONS), kt=f"{rng.randint(2, 60) * 100:,}",
        nd=rng.randint(1, 4), st=rng.randint(1, 7), mv=f"{rng.randint(18, 96) / 10:g}",
    )


# Korean particles depend on the last sound of the word before them: "삼성전자가" but "셀트리온이".
# Templates write "{c}(이)"; attach_particles picks the form. Latin letters and digits are read aloud.
PARTICLES = {"이": ("이", "가"), "은": ("은", "는"), "을": ("을", "를"), "과": ("과", "와"), "으로": ("으로", "로")}
CODA_LETTERS = {"L": 8, "M": 16, "N": 4, "R": 8, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8, "0": 21}
_PARTICLE = re.compile(r"([^\s(]+?)[)'\"’”]*\((이|은|을|과|으로)\)")


def coda(word: str) -> int:
    """Final consonant index (0 = none, 8 = ㄹ) of the last pronounced character of a word."""
    last = next((ch for ch in reversed(word) if ch.isalnum()), "")
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    return CODA_LETTERS.get(last.upper(), 0)


def attach_particles(text: str) -> str:
    """Resolve (이)/(은)/(을)/(과)/(으로) markers against the preceding word."""

    def pick(match: re.Match) -> str:
        word = match.group(0)[: match.start(2) - match.start(0) - 1]
        final = coda(word)
        if match.group(2) == "으로" and final == 8:
            return word + "로"
        with_coda, without = PARTICLES[match.group(2)]
        return word + (with_coda if final else without)

    return _PARTICLE.sub(pick, text)


def render(pattern: str, slots: dict) -> str:
    """Fill a pattern and attach particles; `{as}` is spelled `as_` in Python."""
    return attach_particles(pattern.replace("{as}", "{as_}").format_map(slots))


def random_time(rng: random.Random, after: date | None = None) -> datetime:
    """A publication time in the archive window, mostly in working hours."""
    start = max(FIRST_DAY, after or FIRST_DAY)
    day = start + timedelta(days=rng.randint(0, (LAST_DAY - start).days))
    hour = rng.choice([6, 7, 8, 9, 9, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 17, 18, 19, 21, 23])
    return datetime(day.year, day.month, day.day, hour, rng.randrange(0, 60), tzinfo=KST)


def make_item(rng: random.Random, outlet: tuple, when: datetime, *, title: str, body: str, bold: str) -> dict:
    """One Naver-shaped item; `bold` is the word the search matched."""
    domain, office = outlet[0], outlet[1]
    byline = BYLINES.get(domain, "").format(r=rng.choice(SURNAMES) + rng.choice(GIVEN))
    description = snippet(rng, byline + body)
    original = article_url(rng, outlet, when)
    link = naver_link(rng, office) if office and rng.random() < 0.93 else original

    def mark(text: str) -> str:
        text = escape(text)
        return text.replace(escape(bold), f"<b>{escape(bold)}</b>") if bold and "<b>" not in text else text

    return {"title": mark(title), "originallink": original, "link": link, "description": mark(description),
            "pubDate": format_datetime(when)}


def build() -> list[dict]:
    """All archive items, newest first; `_story` numbers the story each item reports (not written)."""
    rng = random.Random(SEED)
    stories: list[dict] = []
    # Companies that share a template get its wordings in turn, so that two companies' dividend
    # stories do not read word for word alike (they would look like one story to a deduplicator).
    uses = {t["key"]: rng.randrange(12) for t in TEMPLATES}
    for company, info in COMPANIES.items():
        flags = set(info["flags"].split())
        usable = [t for t in TEMPLATES if t["need"] is None or t["need"] in flags]
        for template in rng.sample(usable, min(len(usable), STORIES_PER_COMPANY.get(company, DEFAULT_STORIES))):
            turn = uses[template["key"]] = uses[template["key"]] + 1
            when = random_time(rng, template["after"])
            body = template["descs"][turn % len(template["descs"])]
            if len(body) < 95 or rng.random() < 0.4:  # background sentence about the company
                body += " " + rng.choice(info["ctx"])
            titles = template["titles"][turn % len(template["titles"]):] + template["titles"][: turn % len(template["titles"])]
            stories.append(dict(bold=company, key=template["key"], titles=titles, body=body,
                                when=when, slots=story_slots(rng, company, when)))
    for keyword, titles, body in GENERAL:
        when = random_time(rng)
        stories.append(dict(bold=keyword, key="general", titles=titles, body=body, when=when,
                            slots=story_slots(rng, None, when)))

    # Which stories several outlets carry: some of the default watch list's, most general ones,
    # and a random draw of the rest.
    multi = [i for i, s in enumerate(stories) if len(s["titles"]) > 1]
    watch = [i for name in STORIES_PER_COMPANY for i in [i for i in multi if stories[i]["bold"] == name][:7]]
    general = [i for i in multi if stories[i]["key"] == "general"][:11]
    rest = [i for i in multi if i not in watch and i not in general]
    carried = set(watch) | set(general) | set(rng.sample(rest, DUP_GROUPS - len(watch)))

    items: list[dict] = []
    for index, story in enumerate(stories):
        titles = story["titles"]
        copies = rng.randint(2, min(5, len(titles) + 1)) if index in carried else 1
        # Outlets reword the headline and share the lead; with more copies than wordings, the first
        # wording repeats with a [종합] tag, as wire updates do.
        wordings = titles[:1] + rng.sample(titles[1:], min(copies, len(titles)) - 1)
        if copies > len(wordings):
            wordings.append("[종합] " + titles[0])
        # The specialist ESG and energy press covers ESG stories, and often picks them up first.
        esg_story = story["key"] in ESG_KEYS
        domains = rng.sample([o[0] for o in OUTLETS if esg_story or o[0] not in ESG_OUTLETS], copies)
        if esg_story and rng.random() < 0.3 and not set(domains) & set(ESG_OUTLETS):
            domains[0] = rng.choice(ESG_OUTLETS)
        body = render(story["body"], story["slots"])
        for n, (title, domain) in enumerate(zip(wordings, domains, strict=True)):
            outlet = next(o for o in OUTLETS if o[0] == domain)
            at = story["when"] + timedelta(minutes=n * rng.randint(4, 90))
            item = make_item(rng, outlet, at, title=render(title, story["slots"]), body=body, bold=story["bold"])
            items.append(item | {"_story": index})

    for original in rng.sample(items, URL_DUPLICATES):
        # The same article returned twice (an update republished under the same URL).
        published = datetime.strptime(original["pubDate"], "%a, %d %b %Y %H:%M:%S %z")
        items.append(original | {"pubDate": format_datetime(published + timedelta(minutes=rng.randint(5, 40)))})
    items.sort(key=lambda item: datetime.strptime(item["pubDate"], "%a, %d %b %Y %H:%M:%S %z"), reverse=True)
    return items


def check(items: list[dict]) -> Counter:
    """Fail loudly when the archive breaks its own promises; return items per company."""
    plain = [re.sub(r"<[^>]+>", "", i["title"]) for i in items]
    by_url = Counter(i["originallink"] for i in items)
    titles = Counter(t for t, i in zip(plain, items, strict=True) if by_url[i["originallink"]] == 1)
    assert all(n == 1 for n in titles.values()), [t for t, n in titles.items() if n > 1]
    assert sum(n - 1 for n in by_url.values()) == URL_DUPLICATES
    per_company = Counter(c for i in items for c in COMPANIES if c in i["title"] + i["description"])
    assert len(items) >= 450 and len(per_company) >= 18
    assert per_company["삼성전자"] >= 30 and per_company["LG전자"] >= 30, per_company
    assert len({i["originallink"].split("/")[2] for i in items}) >= 40
    groups = Counter(i["_story"] for i in items if by_url[i["originallink"]] == 1)
    assert sum(n > 1 for n in groups.values()) >= 40
    return per_company


def main() -> None:
    """Generate, check and write the archive, then print a summary."""
    items = build()
    per_company = check(items)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            public = {k: v for k, v in item.items() if k != "_story"}
            handle.write(json.dumps(public, ensure_ascii=False) + "\n")
    outlets = len({i["originallink"].split("/")[2] for i in items})
    print(f"wrote {len(items)} items to {OUT} ({outlets} outlets)")
    print("items mentioning each company:", dict(per_company.most_common()))


if __name__ == "__main__":
    main()
