"""Write data/training/esg_news_ko.jsonl: a synthetic, labeled Korean ESG news corpus.

How it is made. Every row is composed by this script from *frames*: a frame is one kind of story with
a fixed label (for example "폐수 무단 방류" → E/부정), three to five headline wordings and two or three
snippet wordings. Slots in the wordings ({co} company, {site}, {fac} facility, {product}, numbers,
regulators, chemicals, regions …) are filled from the lists below with random.Random(SEED), so one
story type comes out about many companies, places and figures. Outlet habits are layered on top:
[단독]/[속보] tags, bylines, quoted headlines, snippets cut with "…". Nothing is scraped or copied
from any outlet; the events are fictional, written for this project.

Labels follow data/LABELING.md. Over a third of the frames are hard on purpose (negation and reversal, mixed
signals, E stories without environment words, S stories without labour words, G wording variants,
ESG words in passing, business news about green products, M&A and CEO news full of governance
words), and some headlines name no company (it appears only in the snippet). Rows carry no marker
of either; data/README.md lists the patterns.

Split: validation is 18 % of every category × sentiment cell, drawn as whole (frame, headline
wording) groups, so a validation headline never shares its wording with a training headline. No two
rows share a title, and no title (exact or normalised) appears in data/archive/sample_news.jsonl.

Run: python data/tools/make_corpus.py   (after make_archive.py; standard library only, about a second)
"""

# ruff: noqa: E501  (wordings and slot lists are data: one per line reads better than wrapped)
from __future__ import annotations

import html
import json
import random
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SEED = 4_2026
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "training" / "esg_news_ko.jsonl"
ARCHIVE = ROOT / "archive" / "sample_news.jsonl"
VALIDATION_SHARE = 0.18
FIELDS = ("title", "description", "category", "sentiment", "company", "split")
ANON_SHARE = 0.12  # headlines that name no company ("한 석유화학 업체, …")

# Rows per category × sentiment cell: every category 25 %, sentiments 31–35 %.
TARGETS = {
    ("E", "긍정"): 300, ("E", "중립"): 250, ("E", "부정"): 290,
    ("S", "긍정"): 280, ("S", "중립"): 260, ("S", "부정"): 300,
    ("G", "긍정"): 270, ("G", "중립"): 290, ("G", "부정"): 280,
    ("기타", "긍정"): 300, ("기타", "중립"): 250, ("기타", "부정"): 290,
}

# ---------------------------------------------------------------------------------------------
# Industries: what their companies call themselves when unnamed, where they work, what they make,
# and flags that decide which frames fit them (plant: factories; chem: hazardous chemicals;
# heavy: large emitters; consumer: products people buy; data: personal data; fin: finance;
# site: construction sites; logistics: delivery fleets; energy: power and gas utilities). `green`
# lists what the industry sells into the energy transition (business news about it is 기타).
# ---------------------------------------------------------------------------------------------
INDUSTRIES: dict[str, dict] = {
    "semi": dict(green=["전력반도체", "차량용 전력칩"], flags="plant chem", kind=["반도체 업체", "반도체 기업", "메모리 업체"],
                 site=["이천", "청주", "평택", "용인", "화성", "기흥", "천안"], fac=["반도체 공장", "팹", "생산라인"],
                 product=["HBM", "D램", "낸드플래시", "차량용 반도체", "기업용 SSD", "AI 가속기 칩"]),
    "elec": dict(green=["히트펌프", "태양광 인버터", "전기차 충전기"], flags="plant consumer data", kind=["전자 업체", "가전 업체", "전자부품 업체"],
                 site=["구미", "창원", "광주", "수원", "평택", "천안", "세종", "아산"], fac=["가전 공장", "생산라인", "사업장"],
                 product=["냉장고", "세탁기", "에어컨", "스마트폰", "OLED TV", "노트북", "로봇청소기", "정수기", "무선이어폰"]),
    "auto": dict(green=["전기차", "수소차", "하이브리드차", "전기 트럭"], flags="plant consumer data battery", kind=["완성차 업체", "자동차 업체", "자동차 부품사"],
                 site=["울산", "아산", "화성", "광주", "전주", "서산", "창원", "대전"], fac=["자동차 공장", "조립 라인", "도장 공장", "부품 공장"],
                 product=["전기차", "SUV", "하이브리드 세단", "전기 트럭", "제동장치", "에어백 모듈", "타이어", "전동식 조향장치"]),
    "battery": dict(green=["전기차 배터리", "ESS 배터리", "양극재"], flags="plant chem consumer battery", kind=["배터리 업체", "2차전지 업체", "양극재 업체"],
                    site=["오창", "청주", "울산", "포항", "구미", "세종", "익산", "광양"], fac=["배터리 공장", "양극재 공장", "전극 공정"],
                    product=["파우치형 배터리", "원통형 배터리", "LFP 배터리", "ESS용 배터리", "전동공구용 배터리"]),
    "steel": dict(green=["전기강판", "풍력용 후판"], flags="plant chem heavy", kind=["철강 업체", "철강사", "비철금속 업체"],
                  site=["포항", "광양", "당진", "인천", "울산 온산", "부산"], fac=["제철소", "제강 공장", "고로", "제련소"],
                  product=["열연강판", "전기강판", "후판", "아연", "철근"]),
    "chem": dict(green=["태양광 폴리실리콘", "바이오 플라스틱", "수소", "지속가능항공유"], flags="plant chem heavy", kind=["석유화학 업체", "화학 업체", "정유사"],
                 site=["여수", "대산", "울산", "온산", "서산", "인천"], fac=["석유화학 공장", "나프타분해설비", "정유 공장", "폴리실리콘 공장"],
                 product=["폴리에틸렌", "합성고무", "항공유", "바이오 플라스틱", "수소"]),
    "cement": dict(flags="plant heavy", kind=["시멘트 업체", "시멘트사"], site=["동해", "영월", "단양", "삼척"],
                   fac=["시멘트 공장", "소성로", "석회석 광산"], product=["시멘트", "레미콘", "슬래그 시멘트"]),
    "ship": dict(green=["원전 기자재", "해상풍력 하부구조물", "LNG 추진선", "암모니아 추진선"], flags="plant heavy site", kind=["조선사", "중공업 업체", "방산 업체"],
                 site=["울산", "거제", "목포", "창원", "영암", "사천"], fac=["조선소", "도크", "엔진 공장"],
                 product=["LNG 운반선", "컨테이너선", "원전 기자재", "가스터빈", "자주포"]),
    "build": dict(green=["원전", "수소 플랜트", "해상풍력 단지"], flags="site", kind=["건설사", "대형 건설사", "시공사"],
                  site=["서울 강남", "인천 검단", "부산 해운대", "광주 화정", "세종", "대구 수성", "경기 화성", "평택 고덕"],
                  fac=["건설 현장", "아파트 공사 현장", "터널 공사 현장", "물류센터 신축 현장"],
                  product=["아파트 단지", "데이터센터", "원전 설비", "해외 플랜트", "모듈러 주택"]),
    "platform": dict(flags="data logistics", kind=["플랫폼 업체", "IT 기업", "핀테크 업체", "이커머스 업체"],
                     site=["판교", "성남", "서울 강남", "춘천", "세종", "안산", "서울 송파"], fac=["데이터센터", "사옥", "물류센터", "고객센터"],
                     product=["간편결제 서비스", "AI 챗봇", "모바일 앱", "구독 멤버십", "배달 앱", "지도 서비스", "중고거래 앱", "숙박 예약 앱"]),
    "game": dict(flags="data", kind=["게임사", "게임 업체"], site=["판교", "성남", "서울 구로"], fac=["사옥", "데이터센터"],
                 product=["신작 모바일 게임", "PC 온라인 게임", "콘솔 신작", "게임 구독 서비스"]),
    "telecom": dict(flags="data", kind=["통신사", "이동통신사"], site=["서울 을지로", "성남 분당", "대전", "서울 용산", "과천"],
                    fac=["데이터센터", "기지국", "IDC", "고객센터"], product=["5G 요금제", "AI 전화 비서", "인터넷TV", "위성통신 서비스", "알뜰폰 요금제"]),
    "fin": dict(flags="data fin", kind=["금융지주", "은행", "보험사", "증권사", "카드사"],
                site=["서울 여의도", "서울 명동", "부산 문현", "서울 을지로"], fac=["본점", "콜센터", "영업점", "전산센터"],
                product=["모바일뱅킹 앱", "적금 상품", "퇴직연금 상품", "신용카드", "ETF", "실손보험"]),
    "bio": dict(flags="plant consumer chem", kind=["바이오 업체", "제약사", "바이오시밀러 업체", "백신 업체"],
                site=["송도", "오송", "화성 향남", "청주", "안동", "오창"], fac=["바이오 공장", "생산 공장", "연구소"],
                product=["바이오시밀러", "항체 신약", "백신", "비만 치료제", "감기약", "위탁생산 의약품"]),
    "food": dict(flags="plant consumer logistics", kind=["식품 업체", "식품 기업", "주류 업체", "제과 업체", "유업체"],
                 site=["진천", "이천", "논산", "청주", "안산", "구미", "김천", "평택"], fac=["식품 공장", "생산 공장", "물류센터"],
                 product=["냉동만두", "즉석밥", "라면", "과자", "아이스크림", "소주", "음료", "우유"]),
    "beauty": dict(flags="plant consumer", kind=["화장품 업체", "생활용품 업체"], site=["오산", "청주", "세종", "음성"],
                   fac=["화장품 공장", "생산 공장"], product=["선크림", "샴푸", "스킨케어 세트", "치약", "세제"]),
    "retail": dict(flags="data consumer logistics", kind=["유통 업체", "대형마트", "편의점 업체", "백화점"],
                   site=["서울 성수", "용인", "부산", "대구", "이천", "김포"], fac=["물류센터", "매장", "백화점 점포", "풀필먼트센터"],
                   product=["PB 상품", "신선식품 새벽배송", "즉석 도시락", "온라인몰"]),
    "air_sea": dict(flags="data", kind=["항공사", "해운사"], site=["인천공항", "김포", "부산 신항", "광양항"],
                    fac=["정비 격납고", "컨테이너 터미널", "화물 터미널"], product=["장거리 노선", "컨테이너 운송", "화물 노선"]),
    "logis": dict(flags="data logistics", kind=["물류 업체", "택배 업체"], site=["곤지암", "평택항", "대전", "이천", "부산"],
                  fac=["물류 터미널", "허브 터미널", "풀필먼트센터"], product=["택배 서비스", "새벽배송 대행", "물류 자동화 서비스"]),
    "energy": dict(green=["해상풍력", "원전 설비", "수소"], flags="plant heavy energy", kind=["공기업", "발전 공기업", "에너지 공기업", "가스 공기업"],
                   site=["나주", "대구", "울산", "영광", "당진", "보령", "태안", "평택"], fac=["발전소", "LNG 기지", "변전소", "원전", "정수장"],
                   product=["전기요금", "LNG 도입 물량", "해상풍력 단지", "송전망", "광역상수도"]),
    "ent": dict(flags="data", kind=["엔터테인먼트 업체", "연예기획사", "콘텐츠 기업"], site=["서울 용산", "서울 성수", "서울 상암"],
                fac=["사옥", "공연장", "스튜디오"], product=["신규 아이돌 그룹", "월드투어", "드라마", "음원 플랫폼"]),
}

# Listed and unlisted companies, many industries.
COMPANIES: dict[str, str] = {
    "삼성전자": "semi", "SK하이닉스": "semi", "DB하이텍": "semi", "한미반도체": "semi",
    "LG전자": "elec", "삼성전기": "elec", "LG디스플레이": "elec", "LG이노텍": "elec", "코웨이": "elec",
    "현대자동차": "auto", "기아": "auto", "현대모비스": "auto", "HL만도": "auto", "한온시스템": "auto",
    "한국타이어앤테크놀로지": "auto", "KG모빌리티": "auto",
    "LG에너지솔루션": "battery", "삼성SDI": "battery", "SK온": "battery", "에코프로비엠": "battery",
    "포스코퓨처엠": "battery", "엘앤에프": "battery",
    "포스코홀딩스": "steel", "현대제철": "steel", "동국제강": "steel", "고려아연": "steel", "세아베스틸": "steel",
    "LG화학": "chem", "롯데케미칼": "chem", "한화솔루션": "chem", "금호석유화학": "chem", "SK이노베이션": "chem",
    "S-Oil": "chem", "GS칼텍스": "chem", "효성화학": "chem", "OCI": "chem", "쌍용C&E": "cement", "한일시멘트": "cement",
    "HD현대중공업": "ship", "한화오션": "ship", "삼성중공업": "ship", "두산에너빌리티": "ship", "한화에어로스페이스": "ship",
    "현대건설": "build", "GS건설": "build", "DL이앤씨": "build", "대우건설": "build", "포스코이앤씨": "build",
    "HDC현대산업개발": "build",
    "네이버": "platform", "카카오": "platform", "쿠팡": "platform", "비바리퍼블리카": "platform",
    "우아한형제들": "platform", "당근": "platform", "야놀자": "platform", "컬리": "platform", "무신사": "platform",
    "크래프톤": "game", "엔씨소프트": "game", "넷마블": "game",
    "SK텔레콤": "telecom", "KT": "telecom", "LG유플러스": "telecom",
    "KB금융": "fin", "신한금융지주": "fin", "하나금융지주": "fin", "우리금융지주": "fin", "카카오뱅크": "fin",
    "삼성생명": "fin", "삼성화재": "fin", "미래에셋증권": "fin", "현대카드": "fin",
    "셀트리온": "bio", "삼성바이오로직스": "bio", "유한양행": "bio", "한미약품": "bio", "SK바이오사이언스": "bio",
    "대웅제약": "bio",
    "CJ제일제당": "food", "오리온": "food", "농심": "food", "롯데웰푸드": "food", "하이트진로": "food",
    "오뚜기": "food", "빙그레": "food", "매일유업": "food",
    "아모레퍼시픽": "beauty", "LG생활건강": "beauty",
    "이마트": "retail", "롯데쇼핑": "retail", "현대백화점": "retail", "GS리테일": "retail", "BGF리테일": "retail",
    "대한항공": "air_sea", "HMM": "air_sea", "CJ대한통운": "logis", "현대글로비스": "logis",
    "한국전력": "energy", "한국가스공사": "energy", "한국수력원자력": "energy", "한국수자원공사": "energy",
    "한국지역난방공사": "energy",
    "하이브": "ent", "CJ ENM": "ent", "에스엠": "ent",
}

# Companies without listed shares get no stock-market stories (dividends, buybacks, share price …).
UNLISTED = {"SK온", "GS칼텍스", "포스코이앤씨", "비바리퍼블리카", "우아한형제들", "당근", "야놀자", "컬리", "무신사",
            "현대카드", "한국수력원자력", "한국수자원공사"}

# Slot lists shared by all frames.
POOLS: dict[str, list[str]] = {
    "region": ["충남 당진", "경북 포항", "전남 여수", "울산 남구", "경기 평택", "강원 삼척", "전북 새만금", "경남 거제",
               "인천 영종도", "충북 청주", "제주", "부산 강서", "전남 신안", "경북 안동", "강원 강릉", "충남 서산"],
    "env_agency": ["환경부", "한강유역환경청", "낙동강유역환경청", "영산강유역환경청", "금강유역환경청", "대구지방환경청",
                   "원주지방환경청", "새만금지방환경청"],
    "chem": ["불산", "염산", "황산", "암모니아", "염소가스", "질산", "톨루엔", "벤젠", "수산화나트륨"],
    "accident": ["끼임 사고", "추락 사고", "질식 사고", "감전 사고", "깔림 사고", "화상 사고"],
    "defect": ["과열 가능성", "제동 관련 결함", "전원부 과열", "소프트웨어 오류", "부품 이탈 가능성", "누전 위험"],
    "violation": ["입찰 담합", "계열사 부당지원", "하도급대금 부당 감액", "대리점 갑질", "기술자료 유용", "가격 담합",
                  "일감 몰아주기"],
    "party": ["2대 주주", "사모펀드", "행동주의 펀드", "창업주 일가", "소액주주연대"],
    "agenda": ["내년도 사업계획", "대규모 투자 심의", "내부회계관리 운영실태", "자금 조달 계획", "계열사 거래 승인"],
    "auditor": ["삼일회계법인", "삼정KPMG", "딜로이트안진", "EY한영"],
    "unit": ["AI전략실", "글로벌사업부", "신사업추진단", "디지털혁신센터", "북미사업본부"],
    "deal": ["장기 공급", "해외 플랜트", "데이터센터 구축", "수출", "설비 공급", "유지보수"],
    "partner_org": ["한국에너지기술연구원", "KAIST", "서울대", "포스텍", "한국생산기술연구원", "UNIST"],
    "waste": ["폐배터리", "폐플라스틱", "폐촉매", "공정 부산물", "폐포장재", "폐유리"],
    "species": ["수달", "저어새", "두꺼비", "산양", "꿀벌", "상괭이", "금개구리", "흰목물떼새"],
    "role": ["대표", "사장", "부사장", "최고지속가능책임자(CSO)", "최고기술책임자(CTO)"],
    "org": ["시민단체", "환경단체", "기후단체", "환경운동연합"],
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심노하곽성차주우구민유나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
GIVEN = ["민준", "서연", "지훈", "하은", "도윤", "수빈", "현우", "지민", "예린", "승현", "다은", "태호", "유진", "준서",
         "서진", "하준", "지아", "은우", "나연", "성민", "혜원", "동현", "가은", "재원"]
BYLINES = ["(서울=연합뉴스) {r} 기자 = ", "[이데일리 {r} 기자] ", "(서울=뉴스1) {r} 기자 = ", "[서울=뉴시스]{r} 기자 = ",
           "[아시아경제 {r} 기자] ", "[파이낸셜뉴스] ", "[헤럴드경제={r} 기자] ", "{r} 기자 = "]
TAGS = [("[단독] ", 0.05), ("[속보] ", 0.035), ("[종합] ", 0.02), ("[이슈] ", 0.01), ("[현장] ", 0.01)]


def F(cell: str, key: str, titles: list[str], descs: list[str], *, need: str | None = None,
      hard: bool = False, listed: bool = False, weight: int = 1) -> dict:
    """One frame: a labeled story type (`cell` is "E/긍정" …) with headline and snippet wordings.

    A wording may end in "#ab": a headline only gets snippets that share one of its letters (or have
    none), so headline and snippet report the same event. `need` lists industry keys or flags of
    which a company needs one; `listed` keeps stock-market stories to listed companies; `weight` is
    how many turns the frame gets in its cell (2 for story types that are common in real news);
    `hard` marks the deliberate hard cases (reported in the summary, never written to the rows).
    """
    category, sentiment = cell.split("/")
    assert len(titles) >= 3 and len(descs) >= 2, key
    assert all("{co}" in d for d in descs), key
    frame = dict(category=category, sentiment=sentiment, key=key, titles=[], descs=[],
                 need=set(need.split()) if need else None, hard=hard, listed=listed, weight=weight)
    for kind, texts in (("titles", titles), ("descs", descs)):
        for text in texts:
            match = re.search(r"#([a-z]+)$", text)
            wording, tags = (text[: match.start()], set(match.group(1))) if match else (text, set())
            frame[kind].append((wording, tags))
    for title, tags in frame["titles"]:
        assert any(not tags or not t or tags & t for _, t in frame["descs"]), (key, title)
    return frame


FRAMES: list[dict] = [
    # =========================== E: environment ===========================
    # E/긍정
    F("E/긍정", "re100", [
        "{co}, {yr}년 RE100 달성 목표 {gap}년 앞당겨#a",
        "{co} \"{yr}년까지 전 사업장 재생에너지로\"#a",
        "재생에너지 전환율 {p2}% 넘긴 {co}…RE100 순항#a",
        "{co}, {site} {fac} 전력 100% 재생에너지로 전환#b",
    ], [
        "{co}(은) {day}일 국내외 사업장에서 쓰는 전력을 {yr}년까지 모두 재생에너지로 전환하겠다고 밝혔다. 지난해 전환율은 {p2}%로 전년보다 {p}%포인트 높아졌다.#a",
        "{co}에 따르면 {site} {fac}(은) 이달부터 필요한 전력을 전량 재생에너지로 조달한다. 회사는 전력구매계약(PPA) 비중을 늘려 RE100 이행 속도를 높일 계획이다.#b",
        "RE100 이행에 속도를 내는 {co}(이) 재생에너지 전환 목표 시점을 {yr}년으로 {gap}년 앞당겼다. {co} {role}(은) \"협력사까지 재생에너지 전환을 넓히겠다\"고 말했다.#a",
    ], need="plant"),
    F("E/긍정", "solar_ppa", [
        "{co}, {site} {fac} 지붕에 태양광 패널 {mw}MW 설치#a",
        "{co}, 풍력발전사와 {n}년 장기 전력구매계약#b",
        "{co} {site} {fac}, 지붕 태양광으로 전력 {p}% 자체 생산#a",
        "{co}, 해상풍력 전력 연 {gwh}GWh 직접 산다#b",
    ], [
        "{co}(이) {site} {fac} 건물 지붕과 주차장 부지에 {mw}MW 규모 태양광 패널을 설치해 가동을 시작했다. 연간 발전량은 {gwh}GWh로 사용 전력의 {p}%에 해당한다.#a",
        "{co}(은) {day}일 해상풍력 발전사와 {n}년 장기 전력구매계약을 맺었다고 밝혔다. 계약 물량은 연 {gwh}GWh 규모로 {site} {fac}에 공급된다.#b",
    ], need="plant", hard=True),
    F("E/긍정", "emission_cut", [
        "{co}, 온실가스 배출량 전년比 {p}% 감축#ac",
        "{co} \"작년 탄소배출 {p}% 줄였다\"#ac",
        "{co}, 탄소중립 중간목표 {gap}년 앞당겨 달성#b",
        "배출량 {p}% 줄인 {co}…공급망 감축도 속도#c",
    ], [
        "{co}(이) {day}일 공개한 자료에 따르면 지난해 온실가스 배출량은 {kt}만톤으로 전년보다 {p}% 감소했다. 공정 가스 처리 설비와 연료 전환이 효과를 냈다.#a",
        "{co}(은) 공급망 배출량(스코프3)까지 포함한 감축 실적을 공개했다. 직접 배출은 {p}%, 협력사 배출은 {pb2}% 줄었다.#c",
        "{co}(이) {yr}년 탄소중립으로 가는 중간 목표를 예정보다 {gap}년 빨리 달성했다. 연료 전환과 공정 개선이 효과를 냈다는 설명이다.#b",
    ]),
    F("E/긍정", "water_reuse", [
        "{co}, {site} {fac} 냉각수 재이용률 {pb}%로 높여#a",
        "{co}, 하루 {tons}톤 공업용수 재활용…가뭄에도 끄떡없다#b",
        "{co} {site} {fac}, 빗물·냉각수 다시 쓴다#ab",
        "{co}, 공정수 정화해 재투입…취수량 {p}% 절감#b",
    ], [
        "{co}(은) {site} {fac}에서 쓰고 난 냉각수를 정화해 다시 공정에 투입하는 설비를 가동해 재이용률을 {pb}%로 끌어올렸다고 {day}일 밝혔다.#a",
        "{co}(이) {site} {fac}에 하루 {tons}톤 규모의 용수 재이용 시설을 준공했다. 하천에서 끌어오는 물의 양은 {p}%가량 줄어든다.#b",
    ], need="plant", hard=True),
    F("E/긍정", "recycling", [
        "{co}, {waste} 재활용 설비 준공…연 {ks}만톤 처리#a",
        "{co}, {waste}에서 원료 {p2}% 회수#a",
        "{co} {site} {fac}, 매립 폐기물 '제로' 인증#b",
        "{co}, 사업장 폐기물 {pb}% 재자원화#b",
    ], [
        "{co}(이) {site}에 {waste} 재활용 설비를 준공했다고 {day}일 밝혔다. 연간 {ks}만톤을 처리해 원료로 되돌리며 매립과 소각 물량을 크게 줄인다.#a",
        "{co} {site} {fac}(이) 사업장에서 나오는 폐기물의 {pb}% 이상을 재활용해 국제 인증기관으로부터 매립 폐기물 제로 인증을 받았다.#b",
    ], need="plant"),
    F("E/긍정", "certification", [
        "{co}, CDP 기후변화 대응 '리더십 A' 획득#a",
        "{co}, 녹색기업 {n}회 연속 지정#c",
        "{co}, 탄소중립 우수기업 장관 표창#d",
        "{co} {product}, 국제 탄소발자국 인증 획득#b",
    ], [
        "{co}(이) 올해 CDP 기후변화 대응 평가에서 최고 등급인 리더십 A를 받았다. 배출량 감축 실적과 기후 리스크 관리 체계가 높은 점수를 받았다.#a",
        "{co}(은) {day}일 {product}의 생산부터 폐기까지 전 과정 탄소 배출량을 검증받아 국제 인증을 획득했다고 밝혔다.#b",
        "{co} {site} {fac}(이) 오염물질 저감 실적을 인정받아 {env_agency}의 녹색기업으로 다시 지정됐다.#c",
        "{co}(이) {day}일 열린 탄소중립 산업 시상식에서 온실가스 감축 실적을 인정받아 장관 표창을 받았다.#d",
    ]),
    F("E/긍정", "low_carbon_product", [
        "{co}, 저탄소 {product} 출시…생산 배출량 {p2}% 줄여#a",
        "{co}, 재생원료 {p2}% 쓴 {product} 선보여#a",
        "{co} \"{product} 전력소비 {p}% 낮췄다\"#b",
        "에너지효율 1등급 {product} 내놓은 {co}#b",
    ], [
        "{co}(이) 생산 과정의 탄소 배출을 {p2}% 줄인 {product}(을) 내놨다. 재생원료 사용을 늘리고 공정 에너지를 재생에너지로 바꾼 결과다.#a",
        "{co}(은) {day}일 새 {product}(을) 공개하며 \"전작보다 전력 소비를 {p}% 줄였다\"고 밝혔다. 포장재도 재활용 소재로 바꿨다.#b",
    ], need="consumer plant", hard=True),
    F("E/긍정", "green_finance", [
        "{co}, {amt}억원 규모 녹색채권 발행#a",
        "{co}, 석탄 금융 중단 선언…기후금융 {tril}조 확대#b",
        "{co}, 재생에너지 사업에 {amt}억원 투입#c",
        "{co}, 에너지 고효율 설비 대출 금리 {pp}%p 우대#d",
    ], [
        "{co}(이) {amt}억원 규모 녹색채권을 발행했다고 {day}일 밝혔다. 조달 자금은 태양광·풍력 발전과 건물 에너지 효율 개선 사업에 쓰인다.#a",
        "{co}(은) 석탄 관련 사업에 대한 신규 금융을 중단하고 {yr}년까지 기후금융을 {tril}조원으로 늘리겠다고 밝혔다.#b",
        "{co}(은) 태양광·풍력 발전 프로젝트에 {amt}억원을 투자한다고 {day}일 밝혔다. 투자 대상은 육상풍력과 영농형 태양광 단지다.#c",
        "{co}(이) 에너지 효율이 높은 설비를 들이는 기업에 대출 금리를 최대 {pp}%포인트 깎아 주는 상품을 내놨다.#d",
    ], need="fin"),
    F("E/긍정", "biodiversity", [
        "{co} 임직원, {region} 갯벌 되살리기 나서#a",
        "{co}, {region} 산불 피해지에 나무 {n}만그루 심어#c",
        "{co}, 멸종위기 {species} 서식지 보전 협약#b",
        "{co}, {region} 하천 생태 복원 {yrs}년 사업 착수#d",
    ], [
        "{co}(은) {day}일 {region} 일대에서 임직원 {big}명이 참여한 갯벌 복원 활동을 벌였다고 밝혔다. 회사는 지자체와 함께 {yrs}년간 염생식물 군락 조성을 이어간다.#a",
        "{co}(이) 국립공원공단과 멸종위기종 {species} 서식지 보전 협약을 맺고 {amt_s}억원을 지원한다. 서식지 모니터링에는 임직원 봉사단도 참여한다.#b",
        "{co}(은) {region} 산불 피해지에 {n}만그루의 나무를 심는 숲 복원 사업을 시작했다고 밝혔다.#c",
        "{co}(은) {region} 하천의 생태 복원 사업에 {yrs}년간 {amt_s}억원을 투입한다고 밝혔다. 물길을 되살리고 수변 식생을 복원하는 내용이다.#d",
    ], hard=True),
    F("E/긍정", "efficiency", [
        "{co}, 공정 개선으로 전력 사용량 {p}% 절감#a",
        "{co}, 폐열 회수 설비 도입…연간 LNG {tons}톤 아껴#b",
        "{co} {site} {fac}, 고효율 설비 교체로 에너지 {p}% 줄여#a",
        "{co}, 냉방 전력 {p2}% 줄인 비결은 '바깥 공기'#c",
    ], [
        "{co}(은) {site} {fac}의 노후 모터와 압축기를 고효율 설비로 바꿔 전력 사용량을 {p}% 줄였다고 {day}일 밝혔다.#a",
        "{co}(이) 공정에서 버려지던 열을 회수해 다시 쓰는 설비를 도입했다. 이를 통해 연간 LNG {tons}톤을 아낄 수 있게 됐다.#b",
        "{co}(은) {site} {fac}의 냉방 방식을 바깥 공기를 끌어들이는 방식으로 바꿔 냉방 전력을 {p2}% 줄였다고 밝혔다.#c",
    ], need="plant data", hard=True),
    F("E/긍정", "resolved", [
        "{co} {site} {fac} 악취 민원 해소…주민 \"이제 창문 연다\"#a",
        "{co}, 하천 오염 의혹 벗었다…\"방류수 기준치 이내\"#b",
        "{co}, 미세먼지 배출 논란 딛고 저감설비 완공#d",
        "{co} 온실가스 감축 목표 초과 달성…'미달' 우려 씻어#c",
    ], [
        "{co} {site} {fac} 주변의 악취 민원이 올해 들어 자취를 감췄다. {co}(은) {amt_s}억원을 들여 밀폐형 설비와 탈취 시설을 설치했고 지자체 측정에서도 기준 이하로 확인됐다.#a",
        "{env_agency}(은) {co} {site} {fac} 방류수를 정밀 조사한 결과 모든 항목이 배출 기준 이내였다고 {day}일 밝혔다. 그간 제기된 오염 의혹은 근거가 없는 것으로 결론 났다.#b",
        "목표 미달 우려가 나오던 {co}(이) 지난해 온실가스 감축 목표를 {p}%포인트 초과 달성했다. 연료 전환과 공정 개선이 효과를 냈다는 설명이다.#c",
        "미세먼지 배출 논란을 빚었던 {co} {site} {fac}(이) {amt_s}억원을 들인 저감설비를 완공했다. 가동 후 먼지 배출량은 기준치의 절반 이하로 떨어졌다.#d",
    ], need="plant", hard=True),
    F("E/긍정", "fleet", [
        "{co}, 배송 차량 {p2}% 전기차로 교체#a",
        "{co}, 물류 거점에 전기 화물차 {n}0대 투입#b",
        "{co}, 냉장 배송 차량 수소 트럭으로 전환#c",
        "{co} {fac} 지붕 태양광으로 배송차 충전까지#b",
    ], [
        "{co}(이) 배송 차량의 {p2}%를 전기 화물차로 바꿨다고 {day}일 밝혔다. {yr}년까지 전 차량을 무공해차로 전환하는 것이 목표다.#a",
        "{co}(은) {site} {fac}에 충전 설비를 갖추고 전기 화물차 {n}0대를 새로 투입했다. 연간 경유 사용량이 크게 줄어들 것으로 회사는 보고 있다.#b",
        "{co}(이) 냉장·냉동 배송 차량을 수소 트럭으로 바꾸기 시작했다. 올해 {n}0대를 시작으로 {yr}년까지 전량 전환한다.#c",
    ], need="platform food retail logis"),
    F("E/긍정", "coal_phaseout", [
        "{co}, 노후 석탄발전 {n}기 조기 폐지 확정#a",
        "{co}, 석탄 대신 LNG·수소 혼소로 전환#b",
        "{co} {site} 발전소, 석탄 사용량 {p2}% 줄였다#b",
    ], [
        "{co}(이) {site}의 노후 석탄발전기 {n}기를 계획보다 앞당겨 폐지하고 LNG 발전으로 대체한다고 {day}일 밝혔다.#a",
        "{co}(은) {site} 발전소의 연료를 단계적으로 수소 혼소로 바꿔 석탄 사용량을 {p2}% 줄였다고 밝혔다.#b",
    ], need="energy"),
    # E/중립
    F("E/중립", "climate_report", [
        "{co}, 기후 리스크 담은 TCFD 보고서 발간#a",
        "{co}, {year}년 온실가스 배출량 {kt}만톤 공개#ab",
        "{co} 탄소배출량 전년과 비슷…{kt}만톤 수준#a",
        "{co}, 배출량 데이터 제3자 검증 결과 공개#b",
    ], [
        "{co}(은) {day}일 기후변화 관련 재무정보공개(TCFD) 권고안에 따른 보고서를 발간했다. 지난해 온실가스 배출량은 {kt}만톤으로 전년과 비슷한 수준이었다.#a",
        "{co}(이) 외부 검증기관의 확인을 거친 온실가스 배출 데이터를 공개했다. 직접 배출과 간접 배출 모두 전년 대비 큰 변동은 없었다.#b",
    ]),
    F("E/중립", "regulation", [
        "배출권거래제 4차 계획기간 시작…{co} 등 {n}0개 업체 할당#a",
        "EU 탄소국경조정제도 본격 시행…{co} \"영향 제한적\"#b",
        "{env_agency}, {co} 등 대형 사업장 대기 배출 총량 재산정#c",
        "탄소 공시 의무화 앞두고 {co} 등 대응 점검#d",
    ], [
        "환경부가 배출권거래제 4차 계획기간 할당 계획을 확정했다. {co} 등 {n}0개 업체가 대상이며 업체별 할당량은 다음 달 통보된다.#a",
        "{co}(은) 유럽연합(EU)의 탄소국경조정제도(CBAM) 본격 시행과 관련해 \"해당 수출 물량이 크지 않아 영향은 제한적\"이라고 밝혔다.#b",
        "{env_agency}(이) {co} 등 관할 대형 사업장의 대기오염물질 배출 허용 총량을 다시 산정한다. 결과는 내년 상반기에 확정된다.#c",
        "기후 공시 의무화를 앞두고 {co} 등 주요 상장사들이 배출량 산정 체계를 점검하고 있다. 공시 기준은 내년 상반기 확정된다.#d",
    ]),
    F("E/중립", "inspection", [
        "{co}, 내달 {site} {fac} 폐수처리장 정기 보수#a",
        "{env_agency}, {co} {site} {fac} 정기 지도점검#b",
        "{co} {site} {fac} 굴뚝 측정값 실시간 공개 시작#c",
        "{co}, {site} {fac} 소음 측정 결과 주민설명회#d",
    ], [
        "{co}(은) 다음 달 {n}일부터 {site} {fac} 폐수처리 설비의 정기 보수 작업을 진행한다고 밝혔다. 보수 기간 처리 물량은 인근 설비로 분산된다.#a",
        "{env_agency}(이) {co} {site} {fac}(을) 대상으로 정기 지도점검을 벌인다. 점검은 통상 {n}일가량 걸리며 결과는 연말께 공개된다.#b",
        "{co}(은) {site} {fac} 굴뚝 자동측정기기(TMS) 측정값을 홈페이지에 실시간으로 공개하기 시작했다. 공개 항목은 먼지와 질소산화물 등이다.#c",
        "{co}(은) {site} {fac} 주변 소음 측정 결과를 주민들에게 설명하는 자리를 {month}월 중 마련한다. 측정은 외부 기관이 맡았다.#d",
    ], need="plant", hard=True),
    F("E/중립", "events", [
        "{co}, 기후테크 포럼서 감축 사례 발표#a",
        "{co}, 탄소중립 산업 협의체 참여#b",
        "{co} {role}, 기후주간 행사서 기조연설#c",
        "{co}, 국제 기후회의 부대행사 참가#c",
    ], [
        "{co}(은) {day}일 서울에서 열린 기후테크 포럼에 참석해 공정 배출 감축 사례를 소개했다. 포럼에는 국내외 기업과 연구기관 {n}0여 곳이 참여했다.#a",
        "{co}(이) 정부와 업계가 함께 꾸린 탄소중립 산업 협의체에 참여한다. 협의체는 분기마다 회의를 열고 업종별 감축 방안을 논의한다.#b",
        "{co} {role}(은) {day}일 열린 기후 행사에 연사로 나서 회사의 기후 대응 현황을 소개했다. 행사는 사흘간 이어진다.#c",
    ]),
    F("E/중립", "plan_review", [
        "{co}, RE100 이행 계획 재검토 착수#a",
        "{co}, 탄소중립 로드맵 {month}월 공개 예정#a",
        "{co}, 배출량 산정 방식 국제 기준으로 변경#b",
        "{co} \"재생에너지 조달 방식 다각화 검토\"#a",
    ], [
        "{co}(은) 재생에너지 조달 여건 변화에 맞춰 RE100 이행 계획을 다시 점검하고 있다고 {day}일 밝혔다. 세부 일정은 {month}월께 확정된다.#a",
        "{co}(이) 온실가스 배출량 산정 기준을 국제 표준에 맞춰 바꾼다. 이에 따라 과거 배출량 수치도 일부 조정될 수 있다.#b",
    ]),
    F("E/중립", "joint_research", [
        "{co}, {partner_org}(과) 탄소 포집 기술 공동연구#a",
        "{co}, 폐열 활용 방안 연구용역 발주#c",
        "{co}·{partner_org}, 수소 혼소 실증 연구 협약#d",
        "{co}, {region} 수질 모니터링 결과 '변동 없음'#b",
    ], [
        "{co}(은) {partner_org}(과) 이산화탄소 포집·활용 기술 공동연구 협약을 맺었다고 {day}일 밝혔다. 연구 기간은 {yrs}년이다.#a",
        "{co}(이) {region} 사업장 인근 하천의 수질을 분기마다 측정한 결과 지난 분기와 비교해 주요 항목에 변동이 없었다.#b",
        "{co}(이) 공정에서 나오는 폐열을 지역 난방 등에 활용하는 방안에 대한 연구용역을 발주했다. 결과는 내년 상반기에 나온다.#c",
        "{co}(은) {partner_org}(과) 발전용 가스터빈 수소 혼소 실증 연구 협약을 맺었다. 연구는 {yrs}년간 진행된다.#d",
    ]),
    F("E/중립", "mixed_data", [
        "{co} 배출량 {p}% 늘고 배출 집약도는 {pb2}% 줄어#a",
        "{co} 재생에너지 비중 {p2}%…전년과 같은 수준#b",
        "{co} {site} {fac} 연간 취수량 {kt}만톤…전년 수준#b",
        "{co}, 생산 늘었지만 배출 집약도는 개선#a",
    ], [
        "{co}의 지난해 온실가스 배출 총량은 생산 확대로 {p}% 늘었지만 매출 대비 배출 집약도는 {pb2}% 낮아졌다. 회사는 감축 경로에 큰 변화는 없다고 설명했다.#a",
        "{co}(이) 공개한 자료에 따르면 {site} {fac}의 지난해 취수량은 {kt}만톤으로 전년과 비슷했다. 재생에너지 비중도 {p2}%로 같은 수준을 유지했다.#b",
    ], need="plant", hard=True),
    # E/부정
    F("E/부정", "wastewater", [
        "{co} {site} {fac}, 폐수 무단 방류 적발#a",
        "{site} 하천에 폐수 흘려보낸 {co}…{env_agency} 고발#a",
        "{co} 협력업체, 세척수 {tons}톤 몰래 버려#c",
        "{co} {fac} 배수로서 기준치 {n}배 넘는 오수#b",
    ], [
        "{env_agency}(은) {co} {site} {fac}(이) 처리하지 않은 폐수 {tons}톤을 인근 하천에 흘려보낸 사실을 적발하고 검찰에 고발했다고 {day}일 밝혔다.#a",
        "{co} {site} {fac} 배수로에서 기준치의 {n}배가 넘는 오염물질이 검출됐다. 당국은 무단 방류 여부와 기간을 조사하고 있다.#b",
        "{co} {site} {fac} 협력업체가 설비 세척에 쓴 물 {tons}톤을 정화하지 않고 우수관으로 흘려보낸 사실이 드러났다.#c",
    ], need="plant", hard=True),
    F("E/부정", "chem_leak", [
        "{co} {site} {fac}서 {chem} 누출…인근 주민 대피#a",
        "{co} {fac} {chem} 유출 사고…{env_agency} 조사#a",
        "{co} {site} {fac} 가스 누출에 주민 불안#a",
        "{co}, {chem} 유출 {n}개월 만에 또#b",
    ], [
        "{day}일 오전 {co} {site} {fac}에서 {chem}(이) 누출돼 인근 주민 {big}여 명이 한때 대피했다. {env_agency}(은) 정확한 누출량과 원인을 조사하고 있다.#a",
        "{co} {site} {fac}에서 {chem}(이) 외부로 유출되는 사고가 {n}개월 만에 다시 일어났다. 주민들은 재발 방지 대책을 요구하고 있다.#b",
    ], need="chem"),
    F("E/부정", "target_miss", [
        "{co}, 탄소 배출 목표 미달…배출량 오히려 {p}% 증가#a",
        "{co} 온실가스 배출 {n}년 연속 증가#a",
        "{co}, RE100 이행률 {p}%에 그쳐…고객사 요구 못 미쳐#b",
        "{co} 감축 로드맵 후퇴…{yr}년 목표 사실상 포기#b",
    ], [
        "{co}의 지난해 온실가스 배출량이 전년보다 {p}% 늘어 감축 목표를 달성하지 못했다. 설비 증설로 전력 사용량이 늘어난 영향이다.#a",
        "{co}(이) {yr}년 탄소중립 중간 목표를 사실상 철회했다. 재생에너지 조달이 늦어지면서 이행률이 {p}%에 머문 탓이다.#b",
    ], need="plant"),
    F("E/부정", "pollution_fine", [
        "{env_agency}, {co}에 대기오염물질 초과 배출 과징금 {amt_s}억#a",
        "{co}, 배출가스 인증 위반으로 과징금 {amt_s}억원#c",
        "{co} {site} {fac}, 오염물질 측정기록 조작 적발#b",
        "{co}에 환경법 위반 과태료…{n}년 새 {n3}번째#d",
    ], [
        "{env_agency}(은) {co} {site} {fac}(이) 질소산화물을 허용 기준보다 많이 배출한 사실을 확인하고 과징금 {amt_s}억원을 부과했다고 {day}일 밝혔다.#a",
        "{co} {site} {fac}(이) 굴뚝 자동측정기록을 조작해 오염물질 배출량을 낮춰 보고한 사실이 드러났다. 당국은 고발 조치를 검토하고 있다.#b",
        "{co}(이) 배출가스 관련 인증 기준을 어긴 사실이 확인돼 과징금 {amt_s}억원을 부과받았다. 대상 제품은 판매가 일시 중단됐다.#c",
        "{co} {site} {fac}(이) 환경 관련 법규 위반으로 또 과태료를 물게 됐다. 최근 {n}년 동안 적발된 위반만 {n3}건이다.#d",
    ], need="plant"),
    F("E/부정", "greenwashing", [
        "{co} '친환경' 광고, 그린워싱 판단…공정위 경고#a",
        "{org} \"{co} 탄소중립 선언은 과장\"#b",
        "{co} 재생원료 {p2}% 홍보했지만 실제는 절반도 안 돼#c",
        "{co} '탄소중립 제품' 근거 자료 없어#a",
    ], [
        "공정거래위원회는 {co}(이) 근거 없이 제품에 '친환경', '탄소중립' 표현을 쓴 것은 소비자를 속이는 광고라며 경고 처분을 내렸다.#a",
        "{org}(은) {day}일 보고서를 내고 {co}의 탄소중립 선언이 실제 감축 실적과 동떨어졌다고 주장했다. {co}(은) \"산정 기준의 차이\"라고 반박했다.#b",
        "{co}(이) 제품에 재생원료를 {p2}% 썼다고 홍보했지만 실제 비중은 그 절반에도 못 미친 것으로 드러났다. 과장 광고라는 지적이 나온다.#c",
    ], need="consumer plant"),
    F("E/부정", "dust", [
        "{co} {site} {fac} 인근 미세먼지 농도 급증 논란#a",
        "{co} 비산먼지 저감 조치 미흡 지적#a",
        "{site} 주민 \"{co} {fac} 분진 탓에 빨래도 못 넌다\"#b",
        "{co} {fac} 굴뚝서 검은 연기…주민 불안#c",
    ], [
        "{co} {site} {fac} 주변의 미세먼지 농도가 다른 지역보다 크게 높다는 측정 결과가 나왔다. 주민들은 {co}에 저감 대책을 요구했다.#a",
        "{site} 주민들은 {co} {fac}에서 날아드는 분진 때문에 빨래도 밖에 널지 못한다고 호소했다. 지자체는 현장 점검에 나섰다.#b",
        "{day}일 {co} {site} {fac} 굴뚝에서 검은 연기가 한동안 뿜어져 나와 주민들이 불안에 떨었다. 회사는 설비 이상으로 불완전 연소가 일어났다고 설명했다.#c",
    ], need="heavy site"),
    F("E/부정", "noise_odor", [
        "{co} {site} {fac} 소음 민원 {n}0건…주민 반발#a",
        "{co} {fac} 야간 소음에 주민 집단 민원#b",
        "\"창문도 못 열어\"…{co} {site} {fac} 악취에 주민 고통#a",
        "{co} {fac} 저주파 소음 논란…지자체 측정 착수#b",
    ], [
        "{co} {site} {fac} 인근 주민들이 밤낮없는 소음과 악취로 고통을 겪고 있다며 지자체에 집단 민원을 냈다. 올해 접수된 민원만 {n}0건이 넘는다.#a",
        "{site} 주민 {big}여 명이 {co} {fac}의 야간 작업 소음에 대한 대책을 요구하는 서명을 제출했다. 지자체는 소음 측정에 나섰다.#b",
    ], need="plant site logistics", hard=True),
    F("E/부정", "algae_water", [
        "{co} 취수 구역 인근 녹조 확산…방류수 영향 조사#c",
        "{co} {fac} 온배수에 양식장 피해 주장#b",
        "{co} {site} {fac} 인근 하천 물고기 떼죽음#a",
        "{co} 지하수 과다 취수 논란…농가 \"물 말랐다\"#d",
    ], [
        "{co} {site} {fac} 하류 하천에서 물고기 수백 마리가 죽은 채 발견됐다. {env_agency}(은) {fac} 방류수와의 관련성을 조사하고 있다.#a",
        "{co} {fac}(이) 바다로 내보내는 온배수 때문에 양식장 피해가 났다는 어민들의 주장이 나왔다. {co}(은) 조사 결과를 지켜보겠다고 밝혔다.#b",
        "{co} {site} {fac} 인근에서 녹조가 빠르게 번지면서 방류수가 영향을 줬는지 조사가 시작됐다.#c",
        "{co} {site} {fac}(이) 지하수를 과도하게 끌어다 쓰면서 인근 농가의 관정이 말라붙었다는 민원이 잇따르고 있다.#d",
    ], need="plant", hard=True),
    F("E/부정", "illegal_waste", [
        "{co} 하청업체, 폐기물 {tons}톤 불법 매립#a",
        "폐기물 방치한 {co}…{region} 야적장 '쓰레기 산'#b",
        "{co} {fac} 폐유 드럼통 {n}0개 야산에 버려져#c",
        "{co} 협력사, 슬러지 무단 투기 적발#a",
    ], [
        "{co} 하청업체가 {site} {fac}에서 나온 폐기물 {tons}톤을 {region}의 농지에 불법 매립한 사실이 드러났다. 지자체는 원상 복구 명령을 내렸다.#a",
        "{region}의 한 야적장에 {co}(이) 처리를 맡긴 폐기물 수천 톤이 수년째 방치돼 있는 것으로 확인됐다.#b",
        "{region}의 한 야산에서 {co} {fac}에서 나온 것으로 보이는 폐유 드럼통 {n}0개가 발견됐다. 지자체는 배출 경위를 조사하고 있다.#c",
    ], need="plant site", hard=True),
    F("E/부정", "spill", [
        "{co} 선박 기름 유출…{region} 해안 오염",
        "{co} 운반선 사고로 기름띠 {n}km",
        "{co}, 해상 기름 유출 방제 난항",
    ], [
        "{co}(이) 운영하는 선박에서 기름이 새어 나와 {region} 해안 {n}km 구간에 기름띠가 형성됐다. 해경과 지자체가 방제 작업을 벌이고 있다.",
        "{day}일 {region} 앞바다에서 {co} 운반선의 연료유가 유출돼 양식장과 해변 오염이 우려된다.",
    ], need="chem ship air_sea"),
    F("E/부정", "coal_finance", [
        "{co}, 해외 석탄발전 투자 논란#a",
        "{co} 석탄 금융 {amt}억…탈석탄 선언 무색#a",
        "{org}, {co} 석탄 투자 규탄#a",
        "{co} 석탄 관련 익스포저 {p}% 늘어#b",
    ], [
        "{org}(은) {co}(이) 탈석탄 금융을 선언한 뒤에도 해외 석탄발전 사업에 {amt}억원을 지원했다고 주장했다. {co}(은) 기존 계약에 따른 것이라고 해명했다.#a",
        "{co}의 석탄 관련 익스포저가 지난해 {p}% 증가한 것으로 나타났다. 탈석탄 약속과 어긋난다는 비판이 나온다.#b",
    ], need="fin energy"),
    F("E/부정", "mixed_growth", [
        "{co}, 매출 늘었지만 탄소배출도 {p}% 급증#a",
        "{co} 사상 최대 생산에 폐기물 발생량도 최대#b",
        "증설 효과 본 {co}, 온실가스 배출은 {p}%↑#a",
        "{co} 실적 호조 뒤 그림자…용수 사용량 {p2}% 늘어#b",
    ], [
        "{co}(은) 지난해 매출이 크게 늘었지만 같은 기간 온실가스 배출량도 {p}% 증가했다. 감축 목표와는 거리가 더 멀어졌다.#a",
        "생산량이 사상 최대를 기록한 {co}의 폐기물 발생량과 용수 사용량도 함께 늘었다. 용수 사용량은 {p2}% 증가해 지속가능성 지표가 오히려 나빠졌다.#b",
    ], need="plant", hard=True),
    F("E/부정", "env_prosecution", [
        "{co} 임원, 폐수 방류 지시 혐의 기소#a",
        "검찰, {co} 배출 측정값 조작 의혹 압수수색#b",
        "{co} 환경 담당 임원 구속…\"방류 알고도 묵인\"#a",
    ], [
        "검찰이 {co} {site} {fac}의 폐수 무단 방류를 지시한 혐의로 담당 임원을 재판에 넘겼다. 방류는 {n}년 가까이 이어진 것으로 조사됐다.#a",
        "검찰이 {co} {site} {fac}의 대기오염물질 측정값 조작 의혹과 관련해 본사와 사업장을 압수수색했다.#b",
    ], need="plant", hard=True),
    F("E/부정", "deforestation", [
        "{co} 팜유 공급망 열대우림 파괴 의혹#a",
        "{org} \"{co} 원료 산지서 산림 훼손\"",
        "{co} 협력 농장 숲 불태워…원료 조달 논란",
    ], [
        "{org}(은) {co}(이) 사들이는 팜유 원료 일부가 열대우림을 불태워 만든 농장에서 생산됐다고 주장했다. {co}(은) 공급망 조사에 착수했다.#a",
        "{co}의 원료 조달 협력 농장이 산림을 무단으로 훼손했다는 의혹이 제기됐다. {co}(은) 해당 농장과의 거래를 중단할지 검토하고 있다.",
    ], need="food beauty retail"),
    # =========================== S: people, customers, suppliers, communities ===========================
    # S/긍정
    F("S/긍정", "partner", [
        "{co}, 협력사에 {amt}억원 상생펀드 조성#a",
        "{co}, 1·2차 협력사 납품대금 {amt}억 조기 지급#b",
        "{co}, 중소 협력사 {big}곳 스마트공장 구축 지원#c",
        "{co} \"협력사 기술 지킨다\"…기술임치 비용 전액 지원#c",
    ], [
        "{co}(은) {day}일 협력사의 자금난을 덜기 위해 {amt}억원 규모의 상생펀드를 조성하고 저금리 대출을 지원한다고 밝혔다.#a",
        "{co}(이) 명절을 앞두고 1·2차 협력사 {big}곳에 납품대금 {amt}억원을 평소보다 앞당겨 지급한다.#b",
        "{co}(은) 중소 협력사 {big}곳의 스마트공장 구축과 기술 보호 비용을 지원하는 상생 프로그램을 확대한다고 밝혔다.#c",
    ]),
    F("S/긍정", "safety_good", [
        "{co}, 무재해 {days}일 달성#a",
        "{co}, 안전 예산 {p2}% 늘려…작업중지권 전면 보장#b",
        "{co} {site} {fac}, 중대재해 '제로' {n}년째#a",
        "{co}, 현장 근로자 {big}명에 스마트 안전장비 지급#b",
    ], [
        "{co} {site} {fac}(이) 무재해 {days}일을 달성했다. 회사는 위험 작업 전 안전 점검을 의무화하고 근로자 누구나 작업을 멈출 수 있도록 했다.#a",
        "{co}(은) 올해 안전 예산을 {p2}% 늘려 노후 설비를 교체하고 현장 근로자 {big}명에게 충돌 경보 기능이 있는 스마트 안전장비를 지급했다.#b",
    ], need="plant site"),
    F("S/긍정", "labor_deal", [
        "{co} 노사, 임금협상 무분규 타결#ab",
        "{co} 노사 {n}년 연속 무파업 합의#b",
        "{co} 노사, 기본급 {pay}% 인상 합의…성과급 제도 개선#a",
        "{co} 노사, 상생 임금협약 체결#ab",
    ], [
        "{co} 노사가 올해 임금협상을 파업 없이 마무리했다. 기본급 {pay}% 인상과 성과급 산정 기준 개선에 합의했고 조합원 찬반투표에서 {pb}%가 찬성했다.#a",
        "{co} 노사는 {day}일 임금·단체협약 조인식을 열고 {n}년 연속 무분규 타결을 이어갔다.#b",
    ]),
    F("S/긍정", "hiring", [
        "{co}, 하반기 신입 {big}명 채용#a",
        "{co}, 청년 인턴 {big}명 정규직 채용 연계#c",
        "{co}, 비정규직 {big}명 정규직 전환#b",
        "{co}, 고졸 기능인재 {n}0명 특별채용#d",
    ], [
        "{co}(이) 하반기 신입사원 {big}명을 채용한다고 {day}일 밝혔다. 지난해보다 채용 규모를 {p}% 늘렸다.#a",
        "{co}(은) 비정규직 근로자 {big}명을 다음 달부터 정규직으로 전환한다고 밝혔다. 전환 대상자의 처우도 기존 정규직 수준으로 맞춘다.#b",
        "{co}(은) 청년 인턴 {big}명을 뽑아 평가를 거쳐 정규직으로 채용한다고 {day}일 밝혔다.#c",
        "{co}(이) 특성화고와 마이스터고 졸업생을 대상으로 기능인재 {n}0명을 특별채용한다. 입사 후에는 직무 교육을 지원한다.#d",
    ]),
    F("S/긍정", "welfare", [
        "{co}, 주4.5일제 시범 도입#a",
        "{co}, 육아휴직 2년으로…남성 사용률 {p2}%#b",
        "{co}, 사내 어린이집 {n}곳 추가 개원#b",
        "{co}, 난임 시술비 전액 지원#c",
    ], [
        "{co}(이) 다음 달부터 일부 조직에 주4.5일 근무제를 시범 도입한다. 임금은 그대로 유지하고 금요일 오후를 쉬는 방식이다.#a",
        "{co}(은) 육아휴직 기간을 최대 2년으로 늘리고 사내 어린이집 {n}곳을 추가로 연다고 {day}일 밝혔다. 지난해 남성 육아휴직 사용률은 {p2}%였다.#b",
        "{co}(은) 난임 시술비를 횟수 제한 없이 전액 지원하고 임신 기간 단축 근무도 보장하기로 했다.#c",
    ], hard=True),
    F("S/긍정", "community", [
        "{co}, 취약계층에 {amt_s}억원 기부#a",
        "{co} 임직원, {region} 수해 복구 봉사#b",
        "{co}, 자립준비청년 {big}명에 장학금#c",
        "{co}, {region} 어르신 무료 급식소 후원#d",
    ], [
        "{co}(은) 연말을 맞아 사회복지공동모금회에 취약계층 지원 성금 {amt_s}억원을 기탁했다고 {day}일 밝혔다.#a",
        "{co} 임직원 {big}여 명이 집중호우로 피해를 입은 {region} 일대에서 복구 봉사활동을 펼쳤다.#b",
        "{co}(이) 보호시설을 떠나 홀로서기에 나선 자립준비청년 {big}명에게 장학금과 주거비를 지원한다.#c",
        "{co}(이) {region}의 어르신 무료 급식소에 {amt_s}억원을 후원하고 임직원들이 배식 봉사에 참여한다.#d",
    ]),
    F("S/긍정", "recall_dispelled", [
        "{co} {product} 리콜 우려 불식…\"결함 없음\" 결론#a",
        "{co}, {product} 발화 의혹 벗어…\"외부 충격 탓\"#c",
        "{co} {product} 안전성 논란 일단락#ab",
        "소비자원 \"{co} {product} 유해물질 불검출\"#b",
    ], [
        "국가기술표준원은 {co} {product}에 대한 정밀 조사 결과 제품 결함은 발견되지 않았다고 {day}일 밝혔다. 리콜 가능성을 둘러싼 우려도 해소됐다.#a",
        "한국소비자원이 {co} {product}(을) 검사한 결과 유해물질이 검출되지 않았다. 앞서 제기된 안전성 논란은 사실과 다른 것으로 확인됐다.#b",
        "{co} {product} 화재가 제품 결함이 아니라 외부 충격 때문이라는 조사 결과가 나왔다. 제기됐던 발화 의혹도 벗게 됐다.#c",
    ], need="consumer", hard=True),
    F("S/긍정", "rights_diligence", [
        "{co}, 공급망 인권 실사 결과 공개…개선 이행률 {pb}%#a",
        "{co}, 협력사 근로자 고충처리 채널 개설#b",
        "{co}, 해외 원료 광산 아동노동 '제로' 검증#c",
        "{co}, 이주노동자 숙소 개선에 {amt_s}억#d",
    ], [
        "{co}(이) 협력사 {big}곳을 대상으로 한 인권 실사 결과를 공개했다. 지적된 사항의 {pb}%를 개선했고 남은 과제도 연내 마무리할 계획이다.#a",
        "{co}(은) 협력사 근로자들이 익명으로 고충을 제기할 수 있는 다국어 신고 채널을 열었다고 {day}일 밝혔다.#b",
        "{co}(이) 원료를 사들이는 해외 광산에 대해 제3자 검증을 받은 결과 아동노동 사례가 확인되지 않았다.#c",
        "{co}(은) 협력사 이주노동자들이 지내는 숙소의 냉난방과 위생 시설 개선에 {amt_s}억원을 지원한다고 밝혔다.#d",
    ], need="plant"),
    F("S/긍정", "data_protection", [
        "{co}, 정보보호 인증(ISMS-P) 획득#a",
        "{co}, 정보보호에 {amt}억 투자…업계 최대#d",
        "{co}, 보이스피싱 피해 {amt_s}억원 막았다#c",
        "{co} 개인정보 유출 의혹 '사실무근' 결론#b",
    ], [
        "{co}(이) 정보보호 및 개인정보보호 관리체계(ISMS-P) 인증을 받았다. 고객 정보 암호화와 접근 통제 체계가 높은 평가를 받았다.#a",
        "개인정보보호위원회는 {co}의 회원 정보 유출 의혹을 조사한 결과 외부 유출 정황은 없었다고 {day}일 밝혔다.#b",
        "{co}(은) 이상거래 탐지 시스템으로 올해 보이스피싱 피해 {amt_s}억원을 예방했다고 밝혔다.#c",
        "{co}(은) 올해 정보보호 분야에 {amt}억원을 투자해 전담 인력을 늘리고 보안 관제 체계를 강화했다고 밝혔다.#d",
    ], need="data"),
    F("S/긍정", "accessibility", [
        "{co}, 청각장애 고객 위한 수어 상담 도입#a",
        "{co}, 고령층 위한 큰 글씨 모드 선보여#b",
        "{co}, 휠체어 이용객 전용 창구 운영#c",
        "{co}, 시각장애인용 음성 안내 {product} 내놔#d",
    ], [
        "{co}(은) 청각장애 고객이 영상으로 수어 상담을 받을 수 있는 서비스를 시작한다고 {day}일 밝혔다.#a",
        "{co}(이) 글씨를 키우고 메뉴를 단순하게 바꾼 고령층 전용 화면을 내놨다. 디지털 기기에 익숙하지 않은 이용자들의 불편을 줄이기 위해서다.#b",
        "{co}(이) 휠체어 이용객이 편하게 이용할 수 있도록 높이를 낮춘 전용 창구를 운영한다고 {day}일 밝혔다.#c",
        "{co}(은) 시각장애인이 소리로 기능을 확인할 수 있는 음성 안내 {product}(을) 내놨다.#d",
    ], hard=True),
    F("S/긍정", "mixed_support", [
        "{co}, 실적 부진에도 협력사 지원 {amt}억 유지#a",
        "{co}, 적자 속에서도 채용 {big}명 늘려#b",
        "{co}, 업황 한파에도 \"인력 감축 없다\"#b",
        "{co}, 감산 중에도 협력사 물량 보전#a",
    ], [
        "영업이익이 크게 줄어든 {co}(이) 협력사 지원 예산 {amt}억원은 그대로 유지하기로 했다. 어려울 때일수록 공급망과 함께 가야 한다는 판단이다.#a",
        "{co}(은) 적자가 이어지는 상황에서도 올해 채용 인원을 {big}명으로 늘리고 인위적인 구조조정은 하지 않겠다고 밝혔다.#b",
    ], hard=True),
    F("S/긍정", "strike_averted", [
        "{co} 노조, 잠정합의안 가결…파업 우려 해소#a",
        "{co} 파업 철회…노사 극적 타결#b",
        "{co} 노사 갈등 봉합…{n}주 만에 정상 조업#b",
        "{co} 노조 \"파업 유보\"…대화 재개#c",
    ], [
        "{co} 노조가 잠정합의안을 {pb}% 찬성으로 가결하면서 파업 우려가 사라졌다. 노사는 {day}일 조인식을 열 예정이다.#a",
        "파업을 벌이던 {co} 노조가 사측과 막판 교섭에서 합의에 이르면서 생산 차질 우려를 덜었다.#b",
        "{co} 노조가 예고했던 파업을 유보하고 사측과 교섭을 다시 시작하기로 했다.#c",
    ], hard=True),
    F("S/긍정", "heat_dust_care", [
        "{co}, 미세먼지 심한 날 야외 작업 중단#a",
        "{co}, 폭염 대비 현장 쉼터 {n}0곳 확충#b",
        "{co}, 유해물질 취급 근로자 건강검진 확대#c",
    ], [
        "{co}(은) 미세먼지 경보가 내려지면 현장의 야외 작업을 멈추고 근로자에게 보호 마스크를 지급하기로 했다.#a",
        "{co}(이) 폭염에 대비해 {site} {fac} 등 현장에 냉방 쉼터 {n}0곳을 새로 만들었다. 한낮에는 작업 시간도 줄인다.#b",
        "{co}(은) 유해물질을 다루는 근로자들의 특수 건강검진 항목을 늘리고 검진 주기를 줄였다고 {day}일 밝혔다.#c",
    ], need="plant site logistics", hard=True),
    F("S/긍정", "customer_care", [
        "{co}, 장애 피해 이용자에 {amt_s}억 보상#a",
        "{co}, 환불 절차 간소화…{n}일 안에 처리#b",
        "{co}, 먹통 사태 재발 방지에 {amt}억 투입#c",
    ], [
        "{co}(은) 지난달 서비스 장애로 불편을 겪은 이용자 전원에게 모두 {amt_s}억원 규모의 보상을 하기로 했다.#a",
        "{co}(이) 환불 신청 절차를 줄이고 {n}일 안에 처리하도록 바꿨다. 이용자 불만이 많던 부분이다.#b",
        "{co}(은) 서비스 중단 사태가 다시 일어나지 않도록 이중화 설비에 {amt}억원을 투입한다고 밝혔다.#c",
    ], need="data", hard=True),
    # S/중립
    F("S/중립", "negotiation", [
        "{co} 노사, 임금협상 {n}차 교섭 진행#a",
        "{co} 노조, 올해 요구안 확정…기본급 {pay}% 인상 요구#b",
        "{co} 노사 상견례…임단협 시작#c",
        "{co} 노조 새 위원장 선출#d",
    ], [
        "{co} 노사가 {day}일 올해 임금협상 {n}차 교섭을 진행했다. 양측은 다음 주 교섭에서 세부 안건을 다시 논의하기로 했다.#a",
        "{co} 노조는 기본급 {pay}% 인상과 성과급 기준 변경 등을 담은 올해 요구안을 확정해 사측에 전달했다.#b",
        "{co} 노사가 {day}일 상견례를 갖고 올해 임금·단체협약 교섭을 시작했다.#c",
        "{co} 노조가 {day}일 위원장 선거를 치러 새 집행부를 꾸렸다. 새 위원장의 임기는 {n}년이다.#d",
    ]),
    F("S/중립", "safety_inspection", [
        "고용노동부, {co} {site} {fac} 정기 안전점검#a",
        "{co}, 전 사업장 안전점검 주간 운영#b",
        "{co}, 하반기 안전보건 교육 일정 공개#c",
        "{co} {site} {fac}, 합동 비상대응 훈련#b",
    ], [
        "고용노동부가 {co} {site} {fac}에 대한 정기 안전점검을 실시한다. 점검은 {n}일간 진행되며 결과는 다음 달 통보된다.#a",
        "{co}(은) {day}일부터 일주일간 전 사업장에서 안전점검 주간을 운영한다고 밝혔다. 소방서와 합동 비상대응 훈련도 진행한다.#b",
        "{co}(은) 하반기 안전보건 교육 일정을 공개했다. 교육은 {month}월부터 사업장별로 진행된다.#c",
    ], need="plant site"),
    F("S/중립", "labor_policy", [
        "중대재해처벌법 시행 {n}년…{co} 등 대기업 대응 점검#a",
        "주 52시간 유연화 논의…{co} 등 업계 촉각#c",
        "{co}, 정년 연장 논의 착수#b",
        "노란봉투법 시행 앞두고 {co} 하청 교섭 준비#d",
    ], [
        "중대재해처벌법 시행 {n}년을 맞아 {co} 등 주요 기업들이 안전 관리 체계를 점검하고 있다. 정부는 연말까지 제도 개선안을 내놓을 예정이다.#a",
        "{co} 노사가 정년 연장 방안을 논의하기 위한 실무 협의체를 꾸렸다. 구체적인 방향은 내년 교섭에서 다뤄진다.#b",
        "주 52시간제 유연화 논의가 본격화하면서 {co} 등 업계가 정부안 발표를 지켜보고 있다.#c",
        "{co}(이) 하청 노조와의 교섭 절차를 정비하고 있다. 관련 법 시행에 맞춰 교섭 창구를 마련할 계획이다.#d",
    ]),
    F("S/중립", "workforce_stats", [
        "{co} 직원 평균 연봉 {salary}만원…근속연수 {n}년#a",
        "{co} 임직원 {big}명…전년과 비슷#b",
        "{co} 여성 직원 비율 {p2}%…전년 수준#c",
        "{co}, 고용 현황 공시…기간제 비중 {p}%#b",
    ], [
        "{co}의 사업보고서에 따르면 직원 평균 연봉은 {salary}만원, 평균 근속연수는 {n}년으로 집계됐다.#a",
        "{co}(이) 공시한 고용 현황을 보면 전체 임직원은 {big}명으로 전년과 비슷했고 기간제 근로자 비중은 {p}%였다.#b",
        "{co}의 여성 직원 비율은 {p2}%로 전년과 같은 수준이었다. 관리자 가운데 여성 비중도 큰 변화가 없었다.#c",
    ], hard=True),
    F("S/중립", "hiring_process", [
        "{co} 하반기 공채 서류 접수 {day}일 마감#a",
        "{co}, 신입 채용 인적성검사 일정 공개#a",
        "{co}, 채용 절차에 AI 면접 도입 검토#b",
        "{co} 채용설명회 {region}서 개최#c",
    ], [
        "{co}의 하반기 신입사원 공개채용 서류 접수가 {day}일 마감된다. 인적성검사는 다음 달 중순 치러진다.#a",
        "{co}(은) 채용 과정에 AI 면접을 도입하는 방안을 검토하고 있다고 밝혔다. 적용 시점은 정해지지 않았다.#b",
        "{co}(은) {day}일 {region}에서 채용설명회를 연다. 설명회에서는 직무 소개와 채용 절차가 안내된다.#c",
    ]),
    F("S/중립", "privacy_policy", [
        "{co}, 개인정보 처리방침 {month}월 개정#a",
        "{co} 고객정보 보관 기간 변경 안내#a",
        "개인정보위, {co} 등 플랫폼 {n}곳 실태점검#b",
        "{co}, 개인정보 영향평가 착수#c",
    ], [
        "{co}(은) {month}월부터 개인정보 처리방침을 개정해 적용한다고 밝혔다. 보관 기간과 제3자 제공 항목 일부가 바뀐다.#a",
        "개인정보보호위원회가 {co} 등 대형 온라인 서비스 {n}곳의 개인정보 처리 실태를 점검한다. 결과는 연말께 발표된다.#b",
        "{co}(이) 새 서비스 출시에 앞서 개인정보 영향평가를 시작했다. 평가는 외부 전문기관이 맡는다.#c",
    ], need="data"),
    F("S/중립", "court_pending", [
        "{co} 하청노동자 불법파견 소송 항소심 오늘 선고#a",
        "{co} 통상임금 소송 대법원 판결 앞둬#b",
        "{co} 산재 사고 재판, 다음 달 결론#c",
        "{co} 노조 부당노동행위 구제신청 심문#d",
    ], [
        "{co} 하청노동자들이 낸 근로자지위 확인 소송의 항소심 선고가 {day}일 내려진다. 1심에서는 일부 원고만 승소했다.#a",
        "{co}의 통상임금 소송이 대법원 판단을 앞두고 있다. 판결 결과에 따라 인건비 부담이 달라질 수 있다.#b",
        "{co} 사업장에서 일어난 산재 사고와 관련된 재판의 선고가 다음 달로 잡혔다. 재판부는 안전 조치 이행 여부를 따지고 있다.#c",
        "노동위원회가 {co} 노조가 낸 부당노동행위 구제신청에 대한 심문을 {day}일 연다.#d",
    ]),
    F("S/중립", "consumer_notice", [
        "{co}, 소비자 안전 설명회 개최#a",
        "{co}, {product} 사용 안내문 개정#a",
        "{co}, 고객 불만 처리 현황 공개#b",
        "{co}, 고객센터 운영 시간 조정#c",
    ], [
        "{co}(은) {day}일 소비자단체와 함께 {product} 안전 사용 설명회를 열었다. 설명회에서는 올바른 보관 방법과 점검 주기가 안내됐다.#a",
        "{co}(이) 지난 분기 고객 불만 처리 현황을 공개했다. 접수 건수와 평균 처리 기간은 전 분기와 비슷했다.#b",
        "{co}(은) 다음 달부터 고객센터 운영 시간을 평일 오전 9시부터 오후 6시까지로 조정한다고 밝혔다.#c",
    ], need="consumer data"),
    F("S/중립", "supply_chain_survey", [
        "EU 공급망 실사지침 대응…{co} 협력사 {big}곳 설문#a",
        "{co} 협력사 간담회 개최#b",
        "{co}, 인권영향평가 결과 {month}월 공개 예정#c",
        "{co}, 해외 법인 현지 직원 {big}명 전환 배치#d",
    ], [
        "{co}(이) 유럽연합 공급망 실사지침에 대비해 협력사 {big}곳을 대상으로 근로 환경 설문을 진행한다. 결과는 {month}월 보고서에 담긴다.#a",
        "{co}(은) {day}일 주요 협력사 대표들과 간담회를 열고 올해 거래 조건과 지원 제도를 설명했다.#b",
        "{co}(이) 사업장별 인권영향평가를 진행하고 있으며 결과를 {month}월에 공개할 예정이라고 밝혔다.#c",
        "{co}(은) 해외 법인 현지 직원 {big}명을 새 사업 조직으로 옮기는 인력 재배치를 진행한다. 고용 조건은 그대로 유지된다.#d",
    ], hard=True),
    # S/부정
    F("S/부정", "accident", [
        "{co} {site} {fac}서 하청노동자 숨져#a",
        "{co} 하청노동자 {accident}로 숨져…올해 {n}번째#a",
        "{co} {site} {fac} 화재…{n}명 부상#b",
        "{co} {fac} {accident}…{age}대 노동자 중상#c",
    ], [
        "{day}일 {co} {site} {fac}에서 작업하던 하청업체 소속 노동자가 {accident}로 숨졌다. 올해 들어 이 사업장에서만 {n}번째 사망 사고다.#a",
        "{co} {site} {fac}에서 불이 나 작업자 {n}명이 다쳤다. 경찰과 노동당국은 안전 수칙 준수 여부를 조사하고 있다.#b",
        "{day}일 {co} {site} {fac}에서 {accident}(이) 일어나 {age}대 노동자가 크게 다쳤다. 노동당국은 안전 수칙 준수 여부를 조사하고 있다.#c",
    ], need="plant site"),
    F("S/부정", "sapa", [
        "{co} 대표, 중대재해처벌법 위반 혐의 입건#a",
        "노동부, {co} 중대재해 특별감독 착수#b",
        "{co} 경영책임자 중대재해법 기소#d",
        "{co}, 중대재해 또 발생…작업중지 명령#c",
    ], [
        "고용노동부는 {co} {site} {fac} 사망 사고와 관련해 경영책임자를 중대재해처벌법 위반 혐의로 입건했다고 {day}일 밝혔다.#a",
        "노동부가 잇따른 사망 사고가 난 {co}에 대해 특별감독에 착수했다. 감독 결과에 따라 경영진 처벌 가능성도 거론된다.#b",
        "{co} {site} {fac}에서 또 사망 사고가 나자 노동부가 작업중지 명령을 내렸다. 올해 들어 {n}번째 중대재해다.#c",
        "검찰이 {co} 경영책임자를 중대재해처벌법 위반 혐의로 재판에 넘겼다. {site} {fac} 사망 사고의 책임을 물은 것이다.#d",
    ], need="plant site"),
    F("S/부정", "strike", [
        "{co} 노조, {day}일부터 전면 파업#a",
        "{co} 노사 교섭 결렬…쟁의행위 찬반투표#c",
        "{co} 노조 부분 파업 {n}주째#b",
        "{co} 파업 장기화…협력사 '발 동동'#b",
    ], [
        "{co} 노조가 사측과의 임금 교섭이 결렬되자 {day}일부터 전면 파업에 들어가기로 했다. 노조는 기본급 {pay}% 인상을 요구하고 있다.#a",
        "{co} 노조의 부분 파업이 {n}주째 이어지면서 차질이 커지고 있다. 협력사들도 일감이 줄어 어려움을 호소한다.#b",
        "{co} 노사 교섭이 결렬되면서 노조가 쟁의행위 찬반투표를 진행한다. 가결되면 다음 달 파업에 들어간다.#c",
    ]),
    F("S/부정", "data_breach", [
        "{co} 고객 {man}만명 개인정보 유출#a",
        "{co} 해킹 피해…회원 정보 {man}만건 새나가#a",
        "{co} 회원 정보 유출 정황…경찰 수사#a",
        "개인정보위, {co}에 과징금 {amt_s}억…안전조치 소홀#b",
    ], [
        "{co}(은) 외부 해킹으로 고객 {man}만명의 이름과 연락처, 주소가 유출된 사실을 확인했다고 {day}일 밝혔다. 2차 피해 우려가 커지고 있다.#a",
        "개인정보보호위원회는 고객 정보 유출 사고를 낸 {co}에 과징금 {amt_s}억원을 부과했다. 접근 통제와 암호화 등 안전조치가 미흡했다는 판단이다.#b",
    ], need="data"),
    F("S/부정", "recall", [
        "{co}, {product} {man}만대 리콜…{defect}#a",
        "{co} {product} 발화 사고 잇따라#b",
        "{co} {product}서 이물질…당국 회수 명령#c",
        "{co} {product} 결함 은폐 의혹#d",
    ], [
        "{co}(이) {product} {man}만대에 대해 리콜을 실시한다. {defect}(이) 확인됐기 때문으로, 관련 사고 신고도 {n}건 접수됐다.#a",
        "{co} {product}에서 불이 나는 사고가 잇따르면서 소비자 불안이 커지고 있다. 당국은 제품 결함 여부를 조사하고 있다.#b",
        "{co} {product}에서 이물질이 나왔다는 신고가 잇따르자 당국이 해당 제품의 회수를 명령했다.#c",
        "{co}(이) {product}의 {defect}(을) 알고도 숨겼다는 의혹이 제기됐다. 당국은 조사에 착수했다.#d",
    ], need="consumer"),
    F("S/부정", "human_rights", [
        "{co} 해외 공장 강제노동 의혹#a",
        "{co} 협력사 아동노동 의혹 제기#b",
        "{co} 해외 광산 인권 침해 논란#b",
        "국제 인권단체 \"{co} 공급망서 노동착취\"#a",
    ], [
        "국제 인권단체가 {co}의 해외 협력사에서 여권 압수와 강제 초과근무가 이뤄졌다는 보고서를 냈다. {co}(은) 사실관계를 확인하고 있다.#a",
        "{co}(이) 원료를 사들이는 해외 광산에서 아동노동이 이뤄졌다는 의혹이 제기됐다. 현지 인권단체는 어린이들이 위험한 작업에 동원됐다고 주장했다.#b",
    ], need="plant consumer"),
    F("S/부정", "workplace", [
        "{co} 직장 내 괴롭힘 의혹…노동부 조사#a",
        "{co} 임금체불 {amt_s}억원 적발#b",
        "{co} 채용 성차별 의혹#c",
        "{co} 부당해고 판정…\"복직시켜야\"#d",
    ], [
        "고용노동부가 {co}에서 상사의 폭언과 따돌림이 이어졌다는 신고를 받고 조사에 나섰다. 피해를 호소한 직원은 {n}명에 이른다.#a",
        "{co}(이) 직원 {big}여 명의 연장근로 수당 {amt_s}억원을 지급하지 않은 사실이 근로감독에서 드러났다.#b",
        "{co}(이) 신입 채용 과정에서 여성 지원자에게 불리하게 점수를 매겼다는 의혹이 제기됐다. 노동부는 사실관계를 확인하고 있다.#c",
        "노동위원회가 {co}의 직원 해고가 부당하다고 판정하고 복직과 밀린 임금 지급을 명령했다.#d",
    ]),
    F("S/부정", "layoffs", [
        "{co}, 희망퇴직 {big}명 감원#a",
        "{co}, 생산직 {big}명 구조조정 추진#a",
        "{co} 사업부 매각에 직원 고용 불안#c",
        "{co}, {site} {fac} 폐쇄…직원 {big}명 전환배치 갈등#b",
    ], [
        "{co}(이) 근속 {n}년 이상 직원을 대상으로 희망퇴직을 받아 {big}명을 줄이기로 했다. 노조는 일방적인 인력 감축이라며 반발했다.#a",
        "{co}(은) {site} {fac}(을) 닫고 직원 {big}명을 다른 사업장으로 보내기로 했다. 직원들은 생활 기반을 잃게 됐다며 반발하고 있다.#b",
        "{co}(이) 일부 사업부 매각을 추진하면서 해당 부서 직원 {big}여 명의 고용 불안이 커지고 있다.#c",
    ]),
    F("S/부정", "hidden_labor", [
        "{co} 콜센터 상담사 \"화장실도 못 가\"#a",
        "{co} 배송기사 폭염 속 {hours}시간 연속 근무#b",
        "{co} {fac} 에어컨 없는 휴게실…\"쉴 곳이 없다\"#c",
        "{co} 택배기사 잇단 과로 쓰러짐#b",
    ], [
        "{co} 콜센터 상담사들은 통화 실적 압박 때문에 화장실도 제때 못 간다고 호소했다. 하루 평균 상담 건수는 {big}건에 이른다.#a",
        "{co}의 배송을 맡은 기사들이 폭염 속에서 쉬는 시간 없이 {hours}시간 넘게 일하고 있다는 증언이 나왔다.#b",
        "{co} {site} {fac} 직원들이 쉬는 공간에 냉방 시설이 없어 한여름에도 제대로 쉬지 못한다고 호소했다.#c",
    ], hard=True),
    F("S/부정", "toxic_exposure", [
        "{co} {fac} 유해물질 노출 의혹…직원 {n}명 희귀질환#a",
        "{co} {fac} 근로자 백혈병, 산재 인정#b",
        "폭염 속 {co} {fac} 작업자 온열질환으로 쓰러져#c",
        "{co} 석면 노출 퇴직자들 집단 소송#d",
    ], [
        "{co} {site} {fac}에서 일한 직원 {n}명이 잇따라 희귀질환 진단을 받으면서 작업 중 유해물질에 노출됐다는 의혹이 제기됐다.#a",
        "근로복지공단이 {co} {fac}에서 일하다 백혈병에 걸린 근로자에 대해 산업재해를 인정했다. 유족은 회사의 사과를 요구했다.#b",
        "{day}일 {co} {site} {fac}에서 폭염 속에 일하던 작업자가 온열질환으로 쓰러져 병원으로 옮겨졌다. 휴식 시간이 충분하지 않았다는 지적이 나온다.#c",
        "{co}에서 일하다 석면에 노출된 퇴직자들이 회사를 상대로 손해배상 소송을 냈다. 원고는 {n}0여 명이다.#d",
    ], need="plant site", hard=True),
    F("S/부정", "service_outage", [
        "{co} 서비스 {hours}시간 먹통…이용자 분통#a",
        "{co} 결제 오류로 이중 출금 {man}만건#b",
        "{co}, 멤버십 혜택 일방 축소에 이용자 반발#c",
    ], [
        "{co}의 {product}(이) {day}일 {hours}시간 가까이 멈추면서 이용자들이 큰 불편을 겪었다. 보상 기준을 두고 불만도 커지고 있다.#a",
        "{co}에서 결제 오류로 같은 금액이 두 번 빠져나간 건이 {man}만건에 이르는 것으로 확인됐다.#b",
        "{co}(이) 사전 안내 없이 멤버십 혜택을 줄이자 이용자들이 집단 반발하고 있다.#c",
    ], need="data", hard=True),
    F("S/부정", "mixed_labor", [
        "{co}, 사상 최대 실적에도 노조 파업 예고#a",
        "{co}, 분기 최대 이익에도 하청 임금은 동결#b",
        "실적 잔치 {co}, 현장선 산재 잇따라#b",
        "{co} 흑자 전환 이면…희망퇴직 {big}명#c",
    ], [
        "사상 최대 실적을 낸 {co}의 노조가 성과 배분을 요구하며 파업을 예고했다. 노사는 성과급 규모를 두고 평행선을 달리고 있다.#a",
        "{co}(은) 분기 최대 이익을 냈지만 하청 노동자들의 임금은 {n}년째 동결돼 있다. 같은 기간 현장 사고도 잇따랐다.#b",
        "흑자로 돌아선 {co}(이) 같은 시기에 직원 {big}명을 대상으로 희망퇴직을 받기로 해 반발을 사고 있다.#c",
    ], hard=True),
    # =========================== G: board, shareholders, ownership, compliance ===========================
    # G/긍정
    F("G/긍정", "dividend", [
        "{co}, 주당 {won}원 배당 결정…배당성향 {p2}%#a",
        "{co}, 분기배당 도입…주주환원 확대#c",
        "{co} 결산배당 {p}% 늘려#a",
        "{co}, 배당액 먼저 알리고 기준일 정한다#b",
    ], [
        "{co}(이) {day}일 이사회에서 보통주 1주당 {won}원의 현금배당을 결의했다. 배당성향은 {p2}%로 전년보다 높아졌다.#a",
        "{co}(은) 정관을 고쳐 배당액을 먼저 확정한 뒤 배당 기준일을 정하기로 했다. 투자자가 배당 규모를 보고 투자할 수 있게 된다.#b",
        "{co}(이) 분기배당을 도입해 주주들에게 1년에 네 번 배당금을 지급하기로 했다.#c",
    ], listed=True),
    F("G/긍정", "buyback", [
        "{co}, {amt}억원 규모 자사주 매입·소각#a",
        "{co} 보유 자사주 {p}% 전량 소각 결정#b",
        "{co}, 자사주 소각으로 주주가치 제고#ab",
        "{co}, {amt}억 자사주 추가 매입#a",
    ], [
        "{co}(이) {amt}억원 규모의 자기주식을 사들여 전량 소각하기로 했다고 {day}일 공시했다. 발행 주식 수가 줄어 주당 가치가 높아지는 효과가 있다.#a",
        "{co}(은) 보유 중인 자사주 전량을 소각한다고 밝혔다. 발행주식 총수의 {p}%에 해당하는 규모다.#b",
    ], listed=True),
    F("G/긍정", "board_independence", [
        "{co}, 이사회 의장에 사외이사 선임#a",
        "{co}, 감사위원 전원 사외이사로#b",
        "{co} 이사회, 여성 사외이사 {n3}명 신규 선임#c",
        "{co}, 사외이사 비율 {pb}%로 확대#b",
    ], [
        "{co}(은) {day}일 이사회를 열고 사외이사를 이사회 의장으로 선임했다. 대표이사와 의장을 분리해 경영진 견제 기능을 강화하려는 취지다.#a",
        "{co}(이) 이사회 내 사외이사 비율을 {pb}%로 높이고 감사위원을 모두 사외이사로 채웠다.#b",
        "{co}(은) 여성 사외이사 {n3}명을 새로 선임해 이사회의 다양성을 높였다.#c",
    ]),
    F("G/긍정", "valueup", [
        "{co}, 기업가치 제고 계획 공시…ROE {p}% 목표#a",
        "{co} 밸류업 공시…주주환원율 {p2}% 제시#a",
        "{co}, 중장기 주주환원 정책 발표#b",
        "{co}, 코리아 밸류업 지수 편입#c",
    ], [
        "{co}(이) {day}일 기업가치 제고 계획을 공시하고 {yr1}년까지 자기자본이익률(ROE) {p}%, 주주환원율 {p2}%를 달성하겠다고 밝혔다.#a",
        "{co}(은) 배당과 자사주 소각을 합한 주주환원 규모를 순이익의 {p2}%까지 늘리는 중장기 정책을 내놨다.#b",
        "{co}(이) 한국거래소의 코리아 밸류업 지수 구성 종목에 새로 편입됐다. 수익성과 주주환원 지표가 좋은 평가를 받았다.#c",
    ], listed=True),
    F("G/긍정", "gov_rating", [
        "{co}, 지배구조 평가 A+ 획득#a",
        "{co}, 지배구조 핵심지표 15개 중 {kpi}개 준수#b",
        "{co} 지배구조 등급 한 단계 상향#a",
        "{co}, ESG 평가 지배구조 부문 최고등급#a",
    ], [
        "{co}(이) 올해 ESG 평가에서 지배구조 부문 A+ 등급을 받았다. 이사회 독립성과 주주권리 보호 항목에서 높은 점수를 얻었다.#a",
        "{co}의 기업지배구조보고서에 따르면 핵심지표 15개 가운데 {kpi}개를 지켜 전년보다 준수율이 높아졌다.#b",
    ], listed=True),
    F("G/긍정", "simplification", [
        "{co}, 순환출자 완전 해소#a",
        "{co}, 지주사 전환 마무리…지배구조 단순화#c",
        "{co}, 오너 일가 지분 정리로 일감 몰아주기 논란 해소#b",
        "{co}, 상호출자 고리 끊었다#a",
    ], [
        "{co}(이) 계열사 간 남아 있던 순환출자 고리를 모두 끊었다고 {day}일 밝혔다. 출자 구조가 단순해지면서 지배구조 투명성이 높아졌다는 평가다.#a",
        "{co}(은) 오너 일가가 보유한 비상장 계열사 지분을 정리해 내부거래 논란을 해소했다.#b",
        "{co}(이) 지주회사 체제 전환을 마무리했다. 복잡했던 계열사 지분 구조가 지주사 중심으로 단순해졌다.#c",
    ], hard=True),
    F("G/긍정", "court_win", [
        "{co}, 공정위 과징금 취소 판결 받아내#a",
        "{co} 경영진 배임 혐의 무죄 확정#b",
        "법원, {co} 과징금 {amt_s}억 처분 취소#a",
        "{co} 분식회계 의혹 '혐의 없음' 결론#c",
    ], [
        "서울고등법원은 {co}(이) 공정거래위원회를 상대로 낸 과징금 취소 소송에서 원고 승소 판결을 내렸다. 과징금 {amt_s}억원은 돌려받게 됐다.#a",
        "대법원이 {co} 전직 경영진의 배임 혐의에 대해 무죄를 확정했다. 수년간 이어진 사법 리스크가 해소됐다.#b",
        "금융당국이 {co}의 분식회계 의혹에 대해 혐의가 없다고 결론 내렸다. 회사를 둘러싼 불확실성도 걷혔다.#c",
    ], hard=True),
    F("G/긍정", "shareholder_rights", [
        "{co}, 전자투표 도입…주총 분산 개최#a",
        "{co}, 집중투표제 도입 정관 개정#c",
        "{co}, 소액주주 추천 사외이사 선임#b",
        "{co}, 주총 소집공고 4주 전으로 앞당겨#d",
    ], [
        "{co}(은) 주주총회에 전자투표 제도를 도입하고 개최일을 다른 기업과 겹치지 않게 조정한다고 {day}일 밝혔다.#a",
        "{co}(이) 소액주주들이 추천한 후보를 사외이사로 선임했다. 소수주주의 목소리를 이사회에 반영하겠다는 취지다.#b",
        "{co}(은) 소수주주도 이사 선임에 영향력을 행사할 수 있도록 집중투표제를 도입하는 정관 개정을 추진한다.#c",
        "{co}(이) 주주들이 안건을 충분히 검토할 수 있도록 주총 소집공고를 4주 전에 내기로 했다.#d",
    ], listed=True),
    F("G/긍정", "internal_control", [
        "{co}, 준법감시 조직 확대…내부통제 강화#a",
        "{co}, 이사회에 내부통제위원회 신설#a",
        "{co}, 임원별 책무구조도 조기 도입#b",
        "{co}, 임직원 주식 거래 사전신고제 도입#c",
    ], [
        "{co}(이) 준법감시 인력을 두 배로 늘리고 이사회 안에 내부통제위원회를 새로 만들었다고 {day}일 밝혔다.#a",
        "{co}(은) 임원별 책임 범위를 명시한 책무구조도를 법정 시한보다 앞당겨 도입했다.#b",
        "{co}(은) 임직원이 자사 주식을 사고팔 때 미리 신고하도록 하는 사전신고제를 도입했다.#c",
    ]),
    F("G/긍정", "dispute_resolved", [
        "{co} 경영권 분쟁 일단락…\"불확실성 해소\"#a",
        "{co} 형제 간 지분 다툼 합의로 마무리#c",
        "{co}, {party}(과) 이사회 구성 합의#b",
        "{co} 주주 소송 취하…갈등 봉합#b",
    ], [
        "{co}의 경영권 분쟁이 {party}(과) 현 경영진의 합의로 일단락됐다. 시장에서는 경영 불확실성이 걷혔다는 평가가 나온다.#a",
        "{co}(은) {party}(과) 이사회 구성에 합의하고 진행 중이던 소송을 모두 취하하기로 했다.#b",
        "경영권을 두고 다투던 {co} 창업주 형제가 지분 정리에 합의했다. 회사는 경영 안정에 집중할 수 있게 됐다.#c",
    ], hard=True),
    F("G/긍정", "board_wording", [
        "{co}, 사내이사 줄이고 독립이사 과반으로#a",
        "{co}, 보상위원회 신설…경영진 보수 심의#b",
        "{co} 최고경영자 승계 프로그램 공개#c",
        "{co}, 이사회 평가 외부기관에 맡긴다#b",
    ], [
        "{co}(은) 사내이사 수를 줄이고 독립이사가 이사회 과반을 차지하도록 구성을 바꿨다.#a",
        "{co}(이) 이사회 산하에 보상위원회를 신설해 경영진 보수를 심의하고, 매년 외부 기관에 이사회 활동 평가를 맡기기로 했다.#b",
        "{co}(이) 최고경영자 후보군 육성과 선임 절차를 담은 승계 프로그램을 공개했다. 이사회가 후보군을 매년 점검한다.#c",
    ], hard=True),
    F("G/긍정", "labor_director", [
        "{co}, 노동이사제 도입…노조 추천 이사 선임#a",
        "{co} 이사회에 근로자 대표 참여#a",
        "{co}, 사외이사에 환경·안전 전문가 영입#b",
    ], [
        "{co}(이) 노조가 추천한 인사를 이사로 선임하는 노동이사제를 도입했다. 이사회 의사결정의 투명성을 높이려는 취지다.#a",
        "{co}(은) 환경·안전 분야 전문가 {n3}명을 사외이사로 새로 선임해 이사회의 전문성을 보강했다.#b",
    ], hard=True),
    F("G/긍정", "pro_management", [
        "{co}, 전문경영인 체제로 전환#a",
        "{co} 창업주, 경영 일선서 물러난다#a",
        "{co}, 독립이사 중심으로 이사진 재편#b",
        "{co}, 의장직·CEO 분리…견제 장치 마련#b",
    ], [
        "{co} 창업주 일가가 경영 일선에서 물러나고 전문경영인이 회사를 이끈다. 오너 일가는 지분만 보유하고 경영 판단에는 관여하지 않기로 했다.#a",
        "{co}(은) 이사진의 과반을 회사와 이해관계가 없는 독립이사로 채우고 의장직을 최고경영자와 분리했다. 경영진에 대한 견제가 강해질 것이라는 평가다.#b",
    ], hard=True),
    F("G/긍정", "mixed_return", [
        "{co}, 적자에도 배당 유지…주주 신뢰 지켜#a",
        "{co}, 실적 부진 속 자사주 소각 단행#b",
        "{co}, 업황 부진에도 주주환원 약속 이행#ab",
    ], [
        "{co}(은) 올해 영업적자가 예상되는데도 주당 배당금을 전년 수준으로 유지하기로 했다. 주주와의 약속을 지키겠다는 취지다.#a",
        "실적이 부진한 {co}(이) 예정대로 {amt}억원 규모의 자사주 소각을 진행한다. 주주환원 정책을 흔들림 없이 이행하겠다는 설명이다.#b",
    ], hard=True, listed=True),
    # G/중립
    F("G/중립", "agm", [
        "{co}, 다음달 {day}일 임시주총 소집#a",
        "{co} 정기주총 안건 공개…사외이사 {n3}명 선임 건#b",
        "{co}, 주주총회 소집 결의#a",
        "{co} 임시주총, 분할 안건 표결 예정#c",
    ], [
        "{co}(은) 이사회를 열고 다음 달 {day}일 임시 주주총회를 소집하기로 결의했다. 안건은 사외이사 선임과 정관 일부 변경이다.#a",
        "{co}(이) 정기 주주총회 안건을 공시했다. 사외이사 {n3}명 선임과 이사 보수 한도 승인 건이 포함됐다.#b",
        "{co}(은) 다음 달 열리는 임시주총에서 사업부 분할 안건을 표결에 부친다고 밝혔다.#c",
    ]),
    F("G/중립", "board_meeting", [
        "{co} 이사회, {agenda} 안건 논의#b",
        "{co}, ESG위원회 정례회의 개최#a",
        "{co} 지속가능경영위원회 {n}차 회의#a",
        "{co} 이사회, 정기 회의서 {agenda} 보고받아#b",
    ], [
        "{co}(은) {day}일 이사회 산하 ESG위원회 정례회의를 열어 {agenda} 안건을 보고받았다. 위원회는 분기마다 열린다.#a",
        "{co} 이사회가 정기 회의에서 {agenda} 안건을 논의했다. 최종 결정은 다음 회의에서 내려진다.#b",
    ], hard=True),
    F("G/중립", "disclosure", [
        "{co}, {year} 지속가능경영보고서 발간#a",
        "{co}, 기업지배구조보고서 공시#b",
        "{co}, 통합보고서 온라인 공개#a",
        "{co}, 영문 공시 범위 확대#c",
    ], [
        "{co}(이) {year}년 지속가능경영보고서를 발간했다. 보고서에는 이사회 운영 현황과 주요 지표가 담겼다.#a",
        "{co}(은) {day}일 기업지배구조보고서를 공시했다. 보고서는 한국거래소 전자공시시스템에서 볼 수 있다.#b",
        "{co}(이) 외국인 투자자를 위해 영문으로 제공하는 공시 범위를 늘린다. 주요 경영 사항 공시가 대상이다.#c",
    ], hard=True),
    F("G/중립", "ownership", [
        "{co} 최대주주 지분율 {p2}%…변동 없어#a",
        "국민연금, {co} 지분 {p}%로 소폭 조정#b",
        "{co} 특수관계인 지분 변동 공시#a",
        "{co} 외국인 지분율 {p2}% 수준 유지#c",
    ], [
        "{co}의 최대주주 및 특수관계인 지분율은 {p2}%로 지난 분기와 같았다. 주요 주주 구성에도 변화가 없었다.#a",
        "국민연금이 보유한 {co} 지분이 {p}%로 소폭 조정됐다. 운용 전략에 따른 통상적인 비중 조절이라는 설명이다.#b",
        "{co}의 외국인 지분율은 {p2}% 안팎에서 큰 변화 없이 유지되고 있다.#c",
    ], listed=True),
    F("G/중립", "proxy", [
        "의결권 자문사들, {co} 주총 안건 검토#a",
        "{co} 주총 앞두고 자문사 권고 엇갈려#b",
        "국민연금 수탁위, {co} 안건 논의 예정#b",
        "{co} 주총 안건 놓고 기관 의견 수렴#a",
    ], [
        "국내외 의결권 자문사들이 {co} 임시주총 안건에 대한 검토에 들어갔다. 권고안은 주총 일주일 전쯤 공개된다.#a",
        "{co} 주총 안건에 대해 의결권 자문사들의 권고가 찬성과 반대로 엇갈렸다. 국민연금의 판단에 관심이 쏠린다.#b",
    ], listed=True),
    F("G/중립", "inquiry", [
        "거래소, {co}에 조회공시 요구#a",
        "{co}, 풍문 관련 조회공시에 \"미확정\"#b",
        "{co}, 지배구조 개편설에 \"결정된 바 없어\"#b",
        "{co} 계열사 합병설 조회공시 답변#ab",
    ], [
        "한국거래소는 {co}에 계열사 합병 추진설에 대한 조회공시를 요구했다. 답변 시한은 {day}일 오후 6시까지다.#a",
        "{co}(은) 지배구조 개편설과 관련한 조회공시 요구에 \"검토 중이나 확정된 사항은 없다\"고 답변했다.#b",
    ], listed=True),
    F("G/중립", "audit", [
        "{co}, 외부감사인 {auditor}(으)로 교체#a",
        "{co} 지정감사 대상 선정#a",
        "{co}, 내부회계관리제도 운영실태 보고#b",
        "{co}, 감사위원 선임 주총 안건 상정#c",
    ], [
        "{co}(은) 다음 회계연도부터 외부감사인을 {auditor}(으)로 바꾼다고 공시했다. 주기적 지정감사제에 따른 교체다.#a",
        "{co} 감사위원회가 {day}일 이사회에 내부회계관리제도 운영실태를 보고했다.#b",
        "{co}(은) 다음 주총에 감사위원 선임 안건을 올린다고 공시했다. 후보는 회계 전문가다.#c",
    ]),
    F("G/중립", "gov_rules", [
        "지배구조 모범규준 개정…{co} 등 적용#a",
        "상법 개정안 국회 통과…{co} 등 이사회 영향#b",
        "자사주 소각 의무화 논의…{co} 보유 자사주 {p}%#c",
        "거래소, 밸류업 공시 가이드 개정…{co} 등 대상#d",
    ], [
        "금융당국이 지배구조 모범규준을 개정하면서 {co} 등 금융회사의 이사회 운영 방식이 일부 바뀐다.#a",
        "이사의 충실의무 대상을 주주로 넓히는 상법 개정안이 국회를 통과했다. {co} 등 대기업 이사회의 의사결정 절차에도 영향이 예상된다.#b",
        "자사주 소각 의무화 논의가 이어지면서 자사주 {p}%를 보유한 {co}의 대응에 관심이 쏠린다.#c",
        "한국거래소가 기업가치 제고 계획 공시 가이드라인을 고쳤다. {co} 등 상장사는 개정 지침에 따라 공시를 보완해야 한다.#d",
    ], listed=True),
    F("G/중립", "succession", [
        "{co}, 차기 회장 후보군 {n3}명 압축#b",
        "{co} 회장추천위원회 첫 회의#a",
        "{co}, CEO 선임 절차 일정 공개#a",
        "{co} 대표 임기 만료 앞두고 후임 논의#c",
    ], [
        "{co} 회장후보추천위원회가 {day}일 첫 회의를 열고 차기 회장 선임 절차에 들어갔다. 최종 후보는 다음 달 확정된다.#a",
        "{co}(이) 최고경영자 후보군을 {n3}명으로 압축했다. 위원회는 면접과 외부 평가를 거쳐 단독 후보를 추천한다.#b",
        "{co} 대표의 임기 만료를 앞두고 이사회가 후임 선임 논의에 들어갔다.#c",
    ]),
    F("G/중립", "dividend_same", [
        "{co}, 결산배당 주당 {won}원…전년과 동일#a",
        "{co} 배당 정책 유지#b",
        "{co}, 배당 기준일 {month}월로 확정#b",
    ], [
        "{co}(이) 결산배당으로 보통주 1주당 {won}원을 지급한다고 공시했다. 배당금은 전년과 같은 수준이다.#a",
        "{co}(은) 기존 배당 정책을 그대로 유지하고 배당 기준일을 {month}월 말로 정했다고 밝혔다.#b",
    ], listed=True),
    F("G/중립", "ownership_shift", [
        "{co}, 계열 분리 검토#a",
        "{co} 오너 3세 지분 {p}%로…후계 구도 관심#b",
        "{co} 창업주, 자녀에 주식 증여#b",
        "{co}, 경영위원회 신설 검토#c",
    ], [
        "{co}(이) 일부 사업의 계열 분리를 검토하고 있다고 {day}일 밝혔다. 분리 여부와 시점은 정해지지 않았다.#a",
        "{co} 창업주가 보유 주식 일부를 자녀에게 넘겼다. 이에 따라 오너 3세의 지분율은 {p}%로 높아졌다.#b",
        "{co}(이) 주요 경영 사안을 협의하는 경영위원회를 새로 두는 방안을 검토하고 있다. 구성과 권한은 연말께 확정된다.#c",
    ], hard=True),
    # G/부정
    F("G/부정", "embezzlement", [
        "{co} 직원 {amt_s}억원 횡령 적발#a",
        "{co} 전 임원 배임 혐의 수사#b",
        "{co} 자금 담당자 {amt_s}억 빼돌려#a",
        "검찰, {co} 경영진 배임 의혹 압수수색#b",
    ], [
        "{co}에서 자금 업무를 맡던 직원이 {n}년간 회사 돈 {amt_s}억원을 빼돌린 사실이 내부 감사에서 드러났다. 회사는 해당 직원을 고소했다.#a",
        "검찰이 {co} 전직 임원의 배임 혐의와 관련해 본사를 압수수색했다. 계열사 거래 과정에서 회사에 손해를 끼친 혐의다.#b",
    ]),
    F("G/부정", "ftc_fine", [
        "공정위, {co}에 {violation} 과징금 {amt_s}억원#a",
        "{co}, 담합 적발로 과징금 {amt_s}억#c",
        "{co}, 하도급대금 부당 감액 과징금#d",
        "공정위, {co} 일감 몰아주기 제재#b",
    ], [
        "공정거래위원회는 {co}의 {violation} 행위를 적발해 시정명령과 과징금 {amt_s}억원을 부과한다고 {day}일 밝혔다.#a",
        "{co}(이) 계열사에 일감을 몰아주고 유리한 조건으로 거래한 사실이 공정위 조사에서 드러나 과징금 {amt_s}억원을 물게 됐다.#b",
        "공정거래위원회는 {co}(이) 경쟁사들과 짜고 입찰 가격을 정한 사실을 적발해 과징금 {amt_s}억원을 부과했다.#c",
        "{co}(이) 협력사에 줄 하도급대금을 부당하게 깎은 사실이 적발돼 공정위로부터 과징금 {amt_s}억원을 부과받았다.#d",
    ]),
    F("G/부정", "control_dispute", [
        "{co} 경영권 분쟁 격화…{party} 주주제안#a",
        "{co} 형제 간 경영권 다툼 법정으로#b",
        "{co} 주총 표 대결 예고#a",
        "{co} 최대주주-경영진 갈등 장기화#b",
    ], [
        "{co}의 {party}(이) 이사 교체를 요구하는 주주제안을 내면서 경영권 분쟁이 격화하고 있다. 양측은 주총 표 대결을 준비하고 있다.#a",
        "{co} 경영권을 둘러싼 다툼이 법정 공방으로 번졌다. 경영 공백이 길어질 수 있다는 우려가 나온다.#b",
    ]),
    F("G/부정", "control_failure", [
        "{co} 내부통제 부실 드러나…금감원 중징계 예고#a",
        "{co} 부당대출 {amt}억 적발#a",
        "{co}, 금감원 검사서 내부통제 미흡 지적#b",
        "{co} 임원 징계 수위 '문책경고'#b",
    ], [
        "금융감독원 검사 결과 {co}에서 {amt}억원 규모의 부당대출이 이뤄진 사실이 확인됐다. 금감원은 내부통제 부실 책임을 물어 중징계를 예고했다.#a",
        "{co}의 내부통제 체계가 제대로 작동하지 않았다는 지적이 나왔다. 감독당국은 관련 임원에게 문책경고를 통보했다.#b",
    ], need="fin"),
    F("G/부정", "accounting", [
        "{co} 회계처리 위반…증선위 제재#a",
        "{co} 감사의견 '한정'#b",
        "{co} 분식회계 의혹 제기#c",
        "{co}, 내부회계관리제도 '비적정'#d",
    ], [
        "증권선물위원회는 {co}(이) 매출을 부풀리는 방식으로 회계기준을 위반했다며 과징금과 감사인 지정 조치를 내렸다.#a",
        "{co}의 외부감사인이 재고자산 평가를 문제 삼아 '한정' 감사의견을 냈다. 거래소는 투자 유의 안내를 냈다.#b",
        "{co}(이) 매출을 부풀렸다는 분식회계 의혹이 제기됐다. 금융감독원은 감리 착수 여부를 검토하고 있다.#c",
        "{co}의 외부감사인이 내부회계관리제도에 대해 '비적정' 의견을 냈다. 재무 보고 과정의 통제에 중요한 취약점이 있다는 판단이다.#d",
    ]),
    F("G/부정", "agm_defeat", [
        "{co} 주총서 사외이사 선임안 부결#a",
        "국민연금, {co} 이사 선임 반대#b",
        "{co} 정관 변경안, 소액주주 반대로 무산#c",
        "{co} 대표 재선임 찬성률 {pt}%…'턱걸이'#d",
    ], [
        "{co} 임시주총에서 회사가 추천한 사외이사 선임안이 주주들의 반대로 부결됐다. 독립성이 부족하다는 지적이 나온 후보다.#a",
        "국민연금이 {co} 사내이사 선임 안건에 반대표를 던지기로 했다. 기업가치 훼손 이력이 있다는 이유다.#b",
        "{co}(이) 주총에 올린 정관 변경안이 소액주주들의 반대로 통과되지 못했다.#c",
        "{co} 대표 재선임 안건이 찬성률 {pt}%로 간신히 통과됐다. 반대표가 예상보다 많았다.#d",
    ], listed=True),
    F("G/부정", "gov_criticism", [
        "{co} 사외이사 '거수기' 논란…찬성률 100%#a",
        "{co} 일감 몰아주기 의혹#c",
        "{co} 오너 일가 고액 보수 논란#d",
        "{co} 쪼개기 상장 추진에 주주 반발#b",
    ], [
        "{co} 사외이사들이 지난해 이사회 안건 {n}0건에 모두 찬성한 것으로 나타났다. 경영진 견제 역할을 못 한다는 비판이 나온다.#a",
        "{co}(이) 알짜 사업부를 떼어내 따로 상장하려 하자 소액주주들이 주주가치 훼손이라며 반발하고 있다.#b",
        "{co}(이) 오너 일가 회사에 일감을 몰아줬다는 의혹이 제기됐다. 내부거래 비중은 매출의 {p2}%에 이른다.#c",
        "{co} 오너 일가가 실적 부진에도 거액의 보수를 받은 것으로 나타나 주주들의 비판이 나온다.#d",
    ], listed=True),
    F("G/부정", "return_cut", [
        "{co}, 배당 {p2}% 삭감…주주 반발#a",
        "{co} 배당 미지급 결정#c",
        "{co}, 자사주 소각 약속 뒤집어#b",
        "{co} 주주환원 축소…밸류업 역행#a",
    ], [
        "{co}(이) 주당 배당금을 전년보다 {p2}% 줄이기로 했다. 주주들은 약속했던 주주환원 정책을 뒤집었다며 반발하고 있다.#a",
        "{co}(은) 앞서 밝혔던 자사주 소각 계획을 철회했다. 시장에서는 주주와의 신뢰가 무너졌다는 평가가 나온다.#b",
        "{co}(이) 올해 배당을 하지 않기로 했다. 주주들은 사전 설명도 없었다며 불만을 터뜨렸다.#c",
    ], listed=True),
    F("G/부정", "rating_down", [
        "{co} 지배구조 등급 B로 하향#a",
        "{co} ESG 평가서 지배구조 'C'…최하위권#a",
        "{co} ESG 등급 강등…\"지배구조 리스크\"#b",
        "{co}, 밸류업 지수서 제외#c",
    ], [
        "{co}의 지배구조 등급이 한 단계 낮아졌다. 이사회 독립성 부족과 잇따른 내부통제 사고가 반영됐다.#a",
        "글로벌 평가기관이 {co}의 ESG 등급을 강등하며 지배구조 리스크를 이유로 들었다.#b",
        "{co}(이) 코리아 밸류업 지수 정기 변경에서 제외됐다. 주주환원과 지배구조 지표가 기준에 못 미쳤다.#c",
    ], listed=True),
    F("G/부정", "insider", [
        "{co} 임원, 미공개정보 이용 주식 매매 의혹#a",
        "{co} 대주주 지분 매각 직전 악재 공시 논란#b",
        "금감원, {co} 불공정거래 조사#a",
        "{co} 시세조종 혐의 수사#c",
    ], [
        "금융감독원이 {co} 임원들이 악재 공시 직전 보유 주식을 팔아치운 정황을 포착하고 조사에 나섰다. 매도 규모는 {amt_s}억원에 이른다.#a",
        "{co} 대주주가 지분을 매각한 다음 날 실적 악화가 공시되면서 미공개정보 이용 의혹이 제기됐다.#b",
        "검찰이 {co} 주가를 인위적으로 끌어올린 혐의로 관련자들을 수사하고 있다.#c",
    ], listed=True),
    F("G/부정", "mixed_gov", [
        "{co}, 최대 실적에도 배당 동결…주주 불만#a",
        "{co}, 흑자 전환했지만 자사주 소각은 '0'#c",
        "{co} 실적 개선에도 지배구조 리스크에 발목#b",
        "{co}, 지배구조 개선 약속 {n}년째 '공회전'#b",
    ], [
        "사상 최대 실적을 낸 {co}(이) 배당을 동결하자 주주들 사이에서 불만이 커지고 있다. 이익을 주주와 나누지 않는다는 지적이다.#a",
        "{co}(은) {n}년 전 약속한 지배구조 개선안을 아직 이행하지 않았다. 실적은 좋아졌지만 시장의 할인 요인은 그대로다.#b",
        "흑자로 돌아선 {co}(이) 자사주 소각 계획은 내놓지 않았다. 주주환원에 소극적이라는 지적이 나온다.#c",
    ], hard=True, listed=True),
    F("G/부정", "union_accuses", [
        "{co} 노조, 경영진 배임 혐의 고발#a",
        "{co} 노조 \"이사회가 대주주 편들어\"…주총 반대 운동#b",
        "노조 \"{co} 회장 일가 회사에 일감 몰아줘\"#c",
    ], [
        "{co} 노조가 경영진이 계열사를 부당하게 지원해 회사에 손해를 끼쳤다며 배임 혐의로 고발했다.#a",
        "{co} 노조는 이사회가 대주주에게 유리한 합병 비율을 승인했다며 주총에서 반대표를 모으겠다고 밝혔다.#b",
        "{co} 노조가 회장 일가가 소유한 회사에 일감을 몰아줬다며 공정거래위원회에 신고했다.#c",
    ], hard=True),
    F("G/부정", "owner_abuse", [
        "{co} 오너 일가 사익 편취 의혹#a",
        "{co} 회장 장남, 회사 돈으로 개인 빚 갚아#b",
        "{co} 총수 일가 '황제 경영' 비판#c",
    ], [
        "{co} 오너 일가가 소유한 회사가 {co}(과)의 거래로 큰 이익을 챙겼다는 의혹이 제기됐다. 거래 조건이 시장 가격보다 유리했다는 것이다.#a",
        "{co} 회장의 장남이 회사 자금 {amt_s}억원을 개인 빚을 갚는 데 쓴 사실이 드러났다. 회사는 뒤늦게 돈을 돌려받았다.#b",
        "{co} 오너 일가가 주요 결정을 독단적으로 내린다는 비판이 나온다. 이를 견제할 장치도 없다는 지적이다.#c",
    ], hard=True),
    F("G/부정", "board_conflict", [
        "{co} 감사위원회, 이해충돌 논란#a",
        "{co} 이사회, 대주주 거래 심의 없이 승인#b",
        "{co}, 감사위원 독립성 훼손 지적#a",
        "{co} 사외이사 {n3}명, 계열사 출신 '회전문'#a",
    ], [
        "{co} 감사위원 가운데 {n3}명이 최대주주 측 계열사 출신인 것으로 확인돼 이해충돌 논란이 일고 있다.#a",
        "{co} 이사회가 대주주와의 대규모 거래를 별도 심의 없이 승인한 사실이 드러났다. 견제 장치가 작동하지 않았다는 비판이 나온다.#b",
    ], hard=True),
    # =========================== 기타: business news outside ESG ===========================
    # 기타/긍정
    F("기타/긍정", "earnings_beat", [
        "{co}, {q}분기 영업이익 {ab}억원…시장 기대 상회#a",
        "{co} {q}분기 깜짝 실적#a",
        "{co}, 분기 최대 매출 경신#b",
        "{co} {q}분기 영업익 {p2}% 증가…{n}분기 연속 성장#a",
    ], [
        "{co}(은) {q}분기 연결 기준 영업이익이 {ab}억원으로 전년 같은 기간보다 {p2}% 늘었다고 {day}일 공시했다. 시장 전망치를 웃도는 실적이다.#a",
        "{co}의 {q}분기 매출이 분기 기준 사상 최대를 기록했다. 주력 제품 판매가 늘고 원가 부담이 줄어든 덕분이다.#b",
    ], listed=True),
    F("기타/긍정", "launch", [
        "{co}, 신형 {product} 출시#a",
        "{co} {product} 사전예약 {man}만건 돌파#a",
        "{co} {product}, 출시 {n}주 만에 {man}만개 판매#b",
        "{co}, AI 기능 강화한 {product} 공개#a",
    ], [
        "{co}(이) 성능을 높인 새 {product}(을) {day}일 출시했다. 사전 판매에서만 {man}만건의 주문이 몰렸다.#a",
        "{co}의 {product}(이) 출시 {n}주 만에 판매량 {man}만개를 넘어섰다. 회사는 해외 판매 지역도 넓힐 계획이다.#b",
    ], need="consumer data"),
    F("기타/긍정", "contract", [
        "{co}, {amt}억원 규모 {deal} 수주#a",
        "{co}, 글로벌 고객사와 {product} 공급 계약#b",
        "{co}, 중동서 {tril}조원 프로젝트 따내#c",
        "{co} 수주잔고 {tril}조 돌파#d",
    ], [
        "{co}(이) {amt}억원 규모의 {deal} 계약을 따냈다고 {day}일 공시했다. 지난해 매출의 {p}%에 해당하는 규모다.#a",
        "{co}(은) 글로벌 고객사와 {yrs}년간 {product}(을) 공급하는 계약을 맺었다. 계약 규모는 {tril}조원으로 추산된다.#b",
        "{co}(이) 중동 지역에서 {tril}조원 규모의 프로젝트를 따냈다고 {day}일 밝혔다.#c",
        "{co}의 수주잔고가 {tril}조원을 넘어섰다. 향후 {yrs}년 치 일감을 확보한 셈이다.#d",
    ]),
    F("기타/긍정", "stock_up", [
        "{co} 주가 {mv}% 급등…52주 신고가#a",
        "외국인 순매수에 {co} 강세#b",
        "{co} 시가총액 {tril}조 돌파#c",
        "[특징주] {co}, 호실적 기대에 {mv}%↑#a",
    ], [
        "{day}일 유가증권시장에서 {co} 주가가 전 거래일보다 {mv}% 오른 채 마감하며 52주 신고가를 새로 썼다.#a",
        "외국인 투자자들이 {co} 주식을 {amt}억원어치 순매수하면서 주가가 {mv}% 뛰었다.#b",
        "{co} 시가총액이 {tril}조원을 넘어섰다. 올해 들어 주가는 꾸준히 올랐다.#c",
    ], listed=True),
    F("기타/긍정", "upgrade", [
        "{co} 신용등급 'AA+'로 상향#a",
        "증권가, {co} 목표주가 줄상향#b",
        "{co} 투자의견 '매수'로 상향#b",
        "{co} 등급 전망 '긍정적'#a",
    ], [
        "국내 신용평가사들이 {co}의 신용등급을 한 단계 올렸다. 수익성 개선과 안정적인 현금 흐름이 반영됐다.#a",
        "증권사들이 {co}의 목표주가를 잇따라 올리고 있다. 다음 분기에도 실적 개선이 이어질 것이라는 전망 때문이다.#b",
    ], listed=True),
    F("기타/긍정", "expansion", [
        "{co}, {site}에 {tril}조원 투자…신규 라인 증설#a",
        "{co}, 미국 공장 본격 가동#c",
        "{co}, 해외 법인 설립…현지 공략 속도#b",
        "{co}, 신사업 인수 마무리#d",
    ], [
        "{co}(이) {site}에 {tril}조원을 들여 신규 생산라인을 짓는다고 {day}일 밝혔다. 완공되면 생산능력이 {p2}% 늘어난다.#a",
        "{co}(은) 해외 법인을 세우고 현지 시장 공략에 나선다. 첫해 매출 목표는 {amt}억원이다.#b",
        "{co}의 미국 공장이 본격 가동에 들어갔다. 현지 생산으로 관세 부담을 줄일 수 있게 됐다.#c",
        "{co}(이) 신사업 진출을 위한 인수 작업을 마무리했다. 인수 금액은 {amt}억원이다.#d",
    ]),
    F("기타/긍정", "award", [
        "{co} {product}, 글로벌 디자인 어워드 수상#a",
        "{co}, 브랜드 가치 순위 {n}계단 상승#b",
        "{co} {product}, 해외 매체 '올해의 제품' 선정#c",
    ], [
        "{co}의 {product}(이) 세계 3대 디자인상 가운데 하나에서 최고상을 받았다. 사용자 편의를 고려한 설계가 높은 평가를 받았다.#a",
        "{co}(이) 올해 국내 브랜드 가치 평가에서 순위를 {n}계단 끌어올렸다.#b",
        "{co} {product}(이) 해외 유력 매체가 뽑은 '올해의 제품'에 이름을 올렸다.#c",
    ], need="consumer data"),
    F("기타/긍정", "mixed_results", [
        "{co}, 노조 파업 여파에도 {q}분기 영업익 {p2}% 증가#a",
        "리콜 악재 딛고 {co} {q}분기 최대 실적#b",
        "{co}, 과징금 부담에도 분기 흑자 유지#b",
        "{co}, 규제 비용 늘었지만 매출 {p}% 성장#b",
    ], [
        "{co}(은) 파업에 따른 생산 차질에도 {q}분기 영업이익이 전년 동기보다 {p2}% 늘었다고 {day}일 밝혔다. 고부가 제품 판매가 실적을 이끌었다.#a",
        "일회성 비용이 반영됐지만 {co}의 {q}분기 실적은 시장 예상을 웃돌았다. 매출은 {p}% 늘었고 영업이익도 흑자를 이어갔다.#b",
    ], hard=True, listed=True),
    F("기타/긍정", "market_share", [
        "{co}, {product} 점유율 {p2}%…세계 1위 탈환#a",
        "{co} 수출 {p}% 증가…역대 최대#b",
        "{co} {product} 국내 판매 1위#a",
    ], [
        "{co}(이) {product} 시장에서 점유율 {p2}%를 기록해 1위 자리를 되찾았다. 경쟁사와의 격차도 벌렸다.#a",
        "{co}의 올해 수출액이 지난해보다 {p}% 늘어 역대 최대를 기록할 전망이다.#b",
    ]),
    F("기타/긍정", "green_business_up", [
        "{co}, {green} 공급 계약…{amt}억원 규모#a",
        "{co} {green} 판매 {p2}% 증가…분기 최대#b",
        "{co}, {green} 호조에 {q}분기 실적 개선#b",
        "{co} {green} 수출 역대 최대#c",
    ], [
        "{co}(이) 해외 고객사와 {amt}억원 규모의 {green} 공급 계약을 맺었다고 {day}일 공시했다. 지난해 매출의 {p}%에 해당한다.#a",
        "{co}의 {q}분기 {green} 판매량이 전년 같은 기간보다 {p2}% 늘었다. 주요 시장의 수요가 살아나면서 실적도 좋아졌다.#b",
        "{co}의 올해 {green} 수출액이 지난해보다 {p2}% 늘어 역대 최대를 기록했다. 북미와 유럽 수요가 성장을 이끌었다.#c",
    ], need="semi elec auto battery steel chem ship build energy", hard=True, weight=2),
    F("기타/긍정", "equity_deal", [
        "{co}, 해외 업체 지분 {p2}% 인수…신사업 진출#a",
        "{co}, 美 AI 스타트업 지분 투자#b",
        "{co}, 계열사와 손잡고 차세대 {product} 개발#c",
        "{co}(이) 인수한 해외 법인, 첫 흑자#d",
    ], [
        "{co}(이) 해외 업체 지분 {p2}%를 {amt}억원에 인수해 신사업에 진출한다고 {day}일 공시했다.#a",
        "{co}(은) 미국 AI 스타트업에 {amt_s}억원을 투자해 지분을 확보했다. 기술 협력도 함께 추진한다.#b",
        "{co}(이) 계열사와 함께 차세대 {product}(을) 개발한다. 두 회사는 연구 인력과 설비를 공유한다.#c",
        "{co}(이) 인수한 해외 법인이 인수 {n}년 만에 처음으로 흑자를 냈다. 현지 판매가 빠르게 늘었다.#d",
    ], hard=True, weight=2),
    F("기타/긍정", "service_growth", [
        "{co} 가입 고객 {man}만명 돌파#a",
        "{co}, 보안 관제 서비스 {amt}억 수주#b",
        "{co}, 고객 수 늘며 {q}분기 매출 최대#a",
    ], [
        "{co}의 가입 고객이 {man}만명을 넘어섰다. 신규 서비스가 인기를 끌면서 매출도 함께 늘었다.#a",
        "{co}(이) 공공기관의 보안 관제 서비스 사업을 {amt}억원에 수주했다고 {day}일 밝혔다.#b",
    ], need="data", hard=True),
    # 기타/중립
    F("기타/중립", "personnel", [
        "{co}, 정기 임원 인사…부사장 {n}명 승진#a",
        "{co}, 조직개편 단행…{unit} 신설#b",
        "{co} 신임 대표에 {name} 부사장#b",
        "{co}, {yr1}년 임원 인사 다음 주 발표#c",
    ], [
        "{co}(이) {day}일 정기 임원 인사를 단행해 부사장 {n}명, 상무 {n2}명을 승진시켰다. 조직 개편도 함께 이뤄졌다.#a",
        "{co}(은) {unit}(을) 새로 만들고 일부 사업부를 통합하는 조직개편을 했다. 신임 대표에는 {name} 부사장이 내정됐다.#b",
        "{co}(은) {yr1}년 정기 임원 인사를 다음 주 발표할 예정이다. 조직 개편도 함께 이뤄질 전망이다.#c",
    ]),
    F("기타/중립", "earnings_inline", [
        "{co} {q}분기 영업이익 {ab}억원…시장 예상 부합#a",
        "{co}, {q}분기 실적 발표 {day}일 예정#b",
        "{co} {q}분기 매출 {ab}억…전년과 비슷#a",
        "{co}, 잠정실적 공시 일정 안내#b",
    ], [
        "{co}의 {q}분기 영업이익은 {ab}억원으로 시장 전망치와 비슷한 수준이었다. 매출도 전년 같은 기간과 큰 차이가 없었다.#a",
        "{co}(은) {day}일 {q}분기 실적을 발표하고 컨퍼런스콜을 연다고 공시했다.#b",
    ], listed=True),
    F("기타/중립", "ir_event", [
        "{co}, {month}월 기업설명회 개최#a",
        "{co}, CES {nyear} 참가 확정#b",
        "{co} {role}, 국제 콘퍼런스서 기조연설#c",
        "{co}, 투자자 대상 기술 설명회 연다#a",
    ], [
        "{co}(은) {month}월 국내외 기관투자자를 대상으로 기업설명회를 연다고 {day}일 공시했다. 설명회에서는 사업 현황이 소개된다.#a",
        "{co}(이) 내년 1월 열리는 CES {nyear}에 참가해 전시관을 꾸린다. 구체적인 전시 품목은 추후 공개한다.#b",
        "{co} {role}(이) {day}일 열리는 국제 콘퍼런스에서 기조연설을 한다. 주제는 업계 기술 동향이다.#c",
    ]),
    F("기타/중립", "stock_flat", [
        "{co} 주가 보합 마감#a",
        "{co}, 코스피200 편입 여부 관심#c",
        "{co} 주가 박스권…거래량 감소#b",
        "{co} 등 {kind}, 美 금리 결정 앞두고 관망세#a",
    ], [
        "{day}일 {co} 주가는 전 거래일과 같은 가격에 거래를 마쳤다. 투자자들은 다음 주 발표될 경제 지표를 기다리며 관망했다.#a",
        "{co} 주가가 몇 주째 좁은 범위에서 움직이고 있다. 거래량도 평소의 절반 수준으로 줄었다.#b",
        "정기 변경을 앞두고 {co}의 코스피200 편입 여부에 시장의 관심이 모인다. 결과는 다음 달 발표된다.#c",
    ], listed=True),
    F("기타/중립", "corporate_admin", [
        "{co}, 본사 {region}(으)로 이전 추진#a",
        "{co}, 사명 변경 검토#b",
        "{co}, 신규 사업목적 추가#c",
        "{co}, 새 CI 공개#d",
    ], [
        "{co}(이) 본사를 {region}(으)로 옮기는 방안을 추진한다. 이전 시점은 {yr1}년 이후가 될 전망이다.#a",
        "{co}(은) 사업 영역 확대에 맞춰 회사 이름을 바꾸는 방안을 검토하고 있다고 밝혔다.#b",
        "{co}(은) 정관 변경을 통해 신규 사업목적을 추가한다고 공시했다.#c",
        "{co}(이) 새 기업 이미지(CI)를 공개했다. 새 CI는 다음 달부터 쓰인다.#d",
    ]),
    F("기타/중립", "market_note", [
        "{co} 등 {kind}, {q}분기 수요 '보합' 전망#a",
        "{co}, {product} 가격 동결#b",
        "{co} {product} 국내 판매량 전년 수준#c",
        "{co}, 해외 법인 실적 지역별 엇갈려#d",
    ], [
        "업계에서는 {co} 등 주요 {kind}의 {q}분기 수요가 전 분기와 비슷할 것으로 보고 있다.#a",
        "{co}(은) 원가 변동에도 {product} 가격을 당분간 동결한다고 {day}일 밝혔다.#b",
        "{co} {product}의 국내 판매량은 전년과 비슷한 수준을 유지했다.#c",
        "{co}의 해외 법인 실적이 지역별로 엇갈렸다. 북미는 늘었고 유럽은 줄었다.#d",
    ]),
    F("기타/중립", "mixed_flat", [
        "{co} 매출 늘고 영업익 줄어…{q}분기 실적 엇갈려#a",
        "{co} {q}분기 내수 부진, 수출은 호조#a",
        "{co}, 주가 장중 급등락 끝 보합#b",
        "{co} 신사업 적자, 본업 이익으로 메워#c",
    ], [
        "{co}의 {q}분기 매출은 {p}% 늘었지만 영업이익은 {pb2}% 줄었다. 지역별로는 내수가 부진하고 수출은 늘었다.#a",
        "{co} 주가가 {day}일 장중 큰 폭으로 오르내린 끝에 보합으로 마감했다.#b",
        "{co}의 신사업 부문은 적자를 이어갔지만 본업에서 낸 이익이 이를 메우며 전체 실적은 전년 수준을 유지했다.#c",
    ], hard=True, listed=True),
    F("기타/중립", "green_business_flat", [
        "{co} {green} 판매량 전년 수준 유지#a",
        "{co}, {green} 공급 가격 동결#b",
        "{co}, {green} 신규 라인 착공 시점 조율#c",
        "{co}, {green} 사업 설명회 개최#d",
    ], [
        "{co}의 {green} 판매량은 전년과 비슷한 수준을 유지했다. 회사는 하반기 시장 흐름을 지켜본다는 입장이다.#a",
        "{co}(은) 원가 변동에도 당분간 {green} 공급 가격을 동결한다고 밝혔다.#b",
        "{co}(이) {green} 신규 생산라인 착공 시점을 시장 상황에 맞춰 다시 정하기로 했다.#c",
        "{co}(은) {day}일 투자자들을 대상으로 {green} 사업 설명회를 열고 중장기 사업 계획을 소개했다.#d",
    ], need="semi elec auto battery steel chem ship build energy", hard=True, weight=2),
    F("기타/중립", "ceo_message", [
        "{co} 대표 \"내년은 수익성 중심 경영\"#a",
        "{co} 신임 CEO에 {name} 사장 내정#b",
        "{co} 대표, 기자간담회서 사업 전략 발표#a",
    ], [
        "{co} 대표는 {day}일 기자간담회에서 내년 사업 전략을 설명했다. 수익성 중심으로 사업 구조를 다듬겠다는 내용이다.#a",
        "{co}(은) 신임 최고경영자(CEO)에 {name} 사장을 내정했다고 밝혔다. 공식 선임은 다음 달 이사회에서 이뤄진다.#b",
    ], hard=True, weight=2),
    # 기타/부정
    F("기타/부정", "earnings_miss", [
        "{co}, {q}분기 영업이익 {p2}% 급감…어닝쇼크#a",
        "{co} {q}분기 적자전환#b",
        "{co} {q}분기 영업손실 {ab}억원…적자 지속#b",
        "{co}, 시장 기대 밑돈 {q}분기 실적#a",
    ], [
        "{co}의 {q}분기 영업이익이 전년 같은 기간보다 {p2}% 줄어 시장 전망치를 크게 밑돌았다. 판매 부진과 재고 부담이 겹쳤다.#a",
        "{co}(이) {q}분기 영업손실 {ab}억원을 기록하며 적자를 냈다고 {day}일 공시했다.#b",
    ], listed=True),
    F("기타/부정", "stock_drop", [
        "{co} 주가 {mv}% 급락…52주 신저가#a",
        "{co} 시가총액 {trs}조 증발#b",
        "[특징주] {co}, 실적 우려에 {mv}%↓#a",
        "외국인 매도 폭탄에 {co} 약세#b",
    ], [
        "{day}일 {co} 주가가 {mv}% 떨어지며 52주 신저가로 추락했다. 실적 둔화 우려가 투자 심리를 짓눌렀다.#a",
        "외국인 투자자들이 {co} 주식을 {amt}억원어치 내다 팔면서 시가총액이 하루 새 {trs}조원 줄었다.#b",
    ], listed=True),
    F("기타/부정", "downgrade", [
        "{co} 신용등급 전망 '부정적' 하향#a",
        "증권가, {co} 목표주가 잇따라 하향#b",
        "{co} 투자의견 '중립'으로 낮춰#b",
        "{co} 신용등급 한 단계 강등#a",
    ], [
        "신용평가사들이 {co}의 신용등급 전망을 '안정적'에서 '부정적'으로 낮췄다. 차입금이 늘고 수익성이 떨어졌다는 이유다.#a",
        "증권사들이 {co}의 목표주가를 잇따라 내리고 있다. 다음 분기 실적도 기대에 못 미칠 것이라는 분석이다.#b",
    ], listed=True),
    F("기타/부정", "product_flop", [
        "{co} {product} 출시 연기#a",
        "{co} {product} 판매 부진…재고 쌓여#b",
        "{co}, {product} 사업 철수#c",
        "{co} 야심작 {product} 흥행 실패#b",
    ], [
        "{co}(이) 올해 하반기로 예정했던 {product} 출시를 내년으로 미뤘다. 핵심 부품 수급이 늦어졌기 때문이다.#a",
        "{co}의 {product} 판매가 목표의 절반에도 못 미치면서 재고가 쌓이고 있다.#b",
        "{co}(이) 수익성이 떨어진 {product} 사업에서 손을 떼기로 했다.#c",
    ], need="consumer data"),
    F("기타/부정", "market_loss", [
        "{co}, 점유율 {p}%p 하락…경쟁사에 밀려#a",
        "{co} 수출 {p2}% 감소#c",
        "{co}, 중국 업체 저가 공세에 고전#a",
        "{co} 수주 가뭄…올해 목표 {p2}%에 그쳐#b",
    ], [
        "{co}의 시장 점유율이 1년 새 {p}%포인트 떨어졌다. 경쟁사들의 저가 공세에 밀렸다는 분석이다.#a",
        "{co}의 올해 수주 실적이 연간 목표의 {p2}%에 머물고 있다.#b",
        "{co}의 수출액이 전년보다 {p2}% 줄었다. 주력 시장의 수요가 꺾인 탓이다.#c",
    ]),
    F("기타/부정", "deal_lost", [
        "{co}, {amt}억원 규모 공급계약 해지#a",
        "{co} 대형 수주 무산#c",
        "{co}, 해외 프로젝트 손실 {amt}억 반영#b",
        "{co} 고객사 이탈에 매출 타격#c",
    ], [
        "{co}(이) 해외 고객사와 맺은 {amt}억원 규모의 공급계약이 해지됐다고 {day}일 공시했다.#a",
        "{co}(은) 해외 프로젝트에서 발생한 손실 {amt}억원을 이번 분기 실적에 반영했다.#b",
        "{co}(이) 기대를 모았던 대형 계약을 따내지 못했다. 주요 고객사가 경쟁사를 택하면서 매출에도 타격이 예상된다.#c",
    ]),
    F("기타/부정", "slowdown", [
        "{co} {site} {fac} 가동률 {p2}%로 뚝#a",
        "{co}, {site} 라인 감산 돌입#b",
        "{co}, 수요 부진에 {fac} 일시 가동 중단#c",
        "{co} 재고 {tril}조 쌓여#b",
    ], [
        "{co} {site} {fac}의 가동률이 {p2}%까지 떨어졌다. 수요가 줄면서 생산을 줄일 수밖에 없었다.#a",
        "{co}(은) 재고가 쌓이자 {site} 라인의 생산량을 줄이는 감산에 들어갔다.#b",
        "{co}(이) 수요 부진으로 {site} {fac} 가동을 일시 중단했다. 재가동 시점은 정해지지 않았다.#c",
    ], need="plant"),
    F("기타/부정", "green_business_down", [
        "{co}, {green} 수요 둔화에 {q}분기 적자#a",
        "{co} {green} 판매 가격 급락…수익성 악화#a",
        "{co}, {green} 생산라인 가동률 {p2}%로 하락#b",
        "{co} {green} 수주 취소…{amt}억 규모#c",
    ], [
        "{co}(은) {green} 수요가 둔화하고 판매 가격이 떨어지면서 {q}분기 영업손실을 냈다고 {day}일 밝혔다.#a",
        "{co}의 {green} 생산라인 가동률이 {p2}%까지 떨어졌다. 재고가 쌓이면서 감산에 들어갔다.#b",
        "{co}(이) 따냈던 {amt}억원 규모의 {green} 공급 계약이 고객사 사정으로 취소됐다.#c",
    ], need="semi elec auto battery steel chem ship build energy", hard=True, weight=2),
    F("기타/부정", "deal_failed", [
        "{co}, 해외 업체 인수 무산#a",
        "{co}(이) 인수한 자회사 손실 눈덩이#b",
        "{co}, 지분 투자 손실 {amt_s}억 반영#c",
    ], [
        "{co}(이) 추진하던 해외 업체 인수가 가격 이견으로 무산됐다. 신사업 진출 계획에도 차질이 생겼다.#a",
        "{co}(이) 인수한 해외 자회사의 손실이 {n}년째 이어지고 있다. 올해 손실은 {amt_s}억원이다.#b",
        "{co}(은) 지분을 투자한 기업의 가치가 떨어져 {amt_s}억원의 평가 손실을 이번 분기에 반영했다.#c",
    ], hard=True, weight=2),
    F("기타/부정", "mixed_esg_business", [
        "{co}, 친환경 투자 늘렸지만 {q}분기 적자 전환#a",
        "{co}, 배당 늘렸지만 주가는 {mv}% 급락#c",
        "ESG 최고등급 {co}, 실적은 '어닝쇼크'#b",
        "{co}, 상생 지원 확대 속 영업이익 {p2}% 감소#d",
    ], [
        "{co}(은) {q}분기 영업손실을 내며 적자로 돌아섰다. 친환경 설비 투자는 늘었지만 본업 수요 부진이 실적을 끌어내렸다.#a",
        "ESG 평가에서 최고 등급을 받은 {co}의 {q}분기 영업이익이 {p2}% 줄었다. 시장 전망치에도 크게 못 미쳤다.#b",
        "{co}(이) 배당을 늘렸는데도 주가가 {mv}% 급락했다. 실적 전망이 나빠진 탓이다.#c",
        "협력사 지원을 늘려 온 {co}의 영업이익이 {p2}% 감소했다. 주력 제품 수요가 줄어든 영향이다.#d",
    ], hard=True, listed=True),
]

# Closing sentences outlets add to short snippets. Most fit any story; the sentiment-specific ones are
# a minority so that a closing sentence is not a give-away of the label.
TAILS_ANY = ["관련 업계도 이번 소식을 주의 깊게 지켜보고 있다.",
             "회사 측은 \"구체적인 내용은 정해지는 대로 알리겠다\"고 밝혔다.",
             "업계에서는 이번 일이 동종 업체들에 미칠 영향에도 관심을 보이고 있다."]
TAILS = {
    "긍정": ["시장에서는 긍정적인 평가가 나온다.", "업계에서는 긍정적인 신호로 받아들이고 있다."],
    "중립": ["구체적인 일정은 추후 공개될 예정이다.", "회사 측은 \"절차에 따라 진행하고 있다\"고 설명했다."],
    "부정": ["회사 측은 \"사실관계를 확인하고 있다\"고 말했다.", "파장이 커질 수 있다는 우려도 나온다."],
}

# Korean particles depend on the last sound of the word before them: "삼성전자가" but "셀트리온이".
# Wordings write "{co}(이)"; attach_particles picks the form. Latin letters and digits are read aloud.
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

    return _PARTICLE.sub(pick, text.replace("(으)로", "(으로)"))


def eok(amount: int) -> str:
    """An amount in 억원 as headlines write it: 8,450 or 5조2,610 (the wording adds 억)."""
    trillions, rest = divmod(amount if amount % 10_000 else amount + 170, 10_000)
    return f"{trillions}조{rest:,}" if trillions else f"{rest:,}"


def fill_slots(rng: random.Random, company: str) -> dict:
    """Every slot a wording may use, drawn for one row."""
    industry = INDUSTRIES[COMPANIES[company]]
    slots: dict = {name: rng.choice(values) for name, values in POOLS.items()}
    slots.update(
        co=company, kind=rng.choice(industry["kind"]), site=rng.choice(industry["site"]),
        fac=rng.choice(industry["fac"]), product=rng.choice(industry["product"]),
        green=rng.choice(industry.get("green", industry["product"])),
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        p=rng.randint(2, 30), pt=rng.randint(51, 58), ks=rng.randint(1, 30), pb2=rng.randint(3, 25),
        p2=rng.randint(10, 70), pb=rng.randint(60, 99),
        pp=f"{rng.randint(1, 5) / 10:g}", trs=f"{rng.randint(2, 40) / 10:g}", mv=f"{rng.randint(21, 298) / 10:g}",
        amt=f"{rng.randint(2, 180) * 50:,}", amt_s=rng.randint(2, 300), tril=f"{rng.randint(11, 300) / 10:g}",
        ab=eok(rng.randint(30, 3_000) * 10 + rng.choice([0, 0, 10, 20, 50])),
        man=rng.randint(1, 250), n=rng.randint(2, 9), n2=rng.randint(10, 18), n3=rng.randint(2, 5),
        kpi=rng.randint(11, 15), big=f"{rng.randint(1, 40) * 50:,}", days=f"{rng.randint(300, 3_000):,}",
        kt=rng.randint(2, 900), tons=f"{rng.randint(2, 900) * 10:,}", mw=rng.randint(2, 80),
        gwh=rng.randint(5, 400),
        yr=rng.choice([2030, 2035, 2040, 2045, 2050]), gap=rng.randint(2, 8), year=rng.choice([2025, 2026]),
        nyear=2027, yr1=rng.choice([2027, 2028]), q=rng.randint(1, 4), month=rng.randint(1, 12),
        day=rng.randint(1, 28), won=f"{rng.randint(2, 80) * 50:,}", yrs=rng.randint(2, 10),
        pay=rng.choice(["3.2", "3.8", "4.1", "4.5", "5.0", "5.4", "6.1", "7.0"]),
        salary=f"{rng.randint(55, 140) * 100:,}", hours=rng.randint(10, 16),
        age=rng.choice([20, 30, 40, 50, 60]),
    )
    return slots


def snippet(rng: random.Random, text: str) -> str:
    """Cut a description as Naver's snippets are cut: at most ~200 characters, sometimes earlier."""
    limit = 200 if rng.random() < 0.8 else rng.randint(120, 170)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 80, limit - 3)
    return text[: cut if cut > 0 else limit - 3].rstrip(" ,") + rng.choice(["...", "…"])


_LEADING_TAGS = re.compile(r"^\s*(\[[^\]]{1,10}\]\s*)+")


def normalize_title(title: str) -> str:
    """Comparison key: NFKC, case-folded, leading [tags] and every non-word character removed."""
    text = _LEADING_TAGS.sub("", unicodedata.normalize("NFKC", title).casefold())
    return re.sub(r"[\W_]+", "", text)


def archive_titles() -> set[str]:
    """Normalised titles of the offline archive (its tags stripped and entities unescaped)."""
    if not ARCHIVE.exists():
        raise SystemExit(f"{ARCHIVE} is missing: run data/tools/make_archive.py first")
    titles = set()
    for line in ARCHIVE.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)["title"]
        titles.add(normalize_title(html.unescape(re.sub(r"<[^>]+>", "", raw))))
    return titles


def eligible(frame: dict) -> list[str]:
    """Companies whose industry fits the frame."""
    def fits(company: str, industry: str) -> bool:
        kinds = set(INDUSTRIES[industry]["flags"].split()) | {industry}
        need_ok = frame["need"] is None or bool(frame["need"] & kinds)
        return need_ok and not (frame["listed"] and company in UNLISTED)

    return sorted(c for c, ind in COMPANIES.items() if fits(c, ind))


def compose(rng: random.Random, frame: dict, company: str) -> dict:
    """One row from a frame: headline (maybe unnamed company, maybe tagged) and a matching snippet."""
    slots = fill_slots(rng, company)
    wording = rng.randrange(len(frame["titles"]))
    pattern, tags = frame["titles"][wording]
    anonymous = pattern.startswith("{co}") and rng.random() < ANON_SHARE
    if anonymous:
        unnamed = rng.choice(["국내 {kind}", "대형 {kind}", "한 {kind}", "{kind} A사"]).format(kind=slots["kind"])
        pattern = unnamed + pattern.removeprefix("{co}")
    title = attach_particles(pattern.format_map(slots))
    for tag, share in TAGS:
        if not title.startswith("[") and rng.random() < share:
            title = tag + title
    snippets = [d for d, t in frame["descs"] if not tags or not t or tags & t]
    body = attach_particles(rng.choice(snippets).format_map(slots))
    tails = rng.sample(TAILS_ANY, 2) if rng.random() < 0.6 else rng.sample(TAILS[frame["sentiment"]], 2)
    if rng.random() < 0.1:
        body += " " + tails.pop()
    while len(body) < 80 and tails:
        body += " " + tails.pop()
    if rng.random() < 0.2:
        reporter = rng.choice(SURNAMES) + rng.choice(GIVEN)
        body = rng.choice(BYLINES).format(r=reporter) + body
    return dict(title=title, description=snippet(rng, body), category=frame["category"],
                sentiment=frame["sentiment"], company=company, _group=(frame["key"], wording),
                _hard=frame["hard"] or anonymous)


def generate(rng: random.Random, taken: set[str]) -> list[dict]:
    """TARGETS rows per cell, frames used in turn, every title new (also against `taken`)."""
    rows: list[dict] = []
    seen = set(taken)
    for (category, sentiment), target in TARGETS.items():
        frames = [f for f in FRAMES if (f["category"], f["sentiment"]) == (category, sentiment)]
        weighted = [f for f in frames for _ in range(f["weight"])]
        turns: list[dict] = []
        while len(turns) < target:
            turns += rng.sample(weighted, len(weighted))
        for frame in turns[:target]:
            companies = eligible(frame)
            for _ in range(50):
                row = compose(rng, frame, rng.choice(companies))
                key = normalize_title(row["title"])
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
                    break
            else:
                raise RuntimeError(f"frame {frame['key']} ran out of new titles")
    return rows


def split(rng: random.Random, rows: list[dict]) -> None:
    """Mark whole (frame, headline wording) groups as validation until each cell has ~18 %."""
    by_cell: dict[tuple, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        row["split"] = "train"
        by_cell[(row["category"], row["sentiment"])][row["_group"]].append(row)
    wordings = {f["key"]: len(f["titles"]) for f in FRAMES}
    for groups in by_cell.values():
        need = round(VALIDATION_SHARE * sum(len(g) for g in groups.values()))
        held: Counter = Counter()
        taken = 0
        for key in rng.sample(sorted(groups), len(groups)):
            # Every frame keeps at least two of its wordings in training.
            if taken >= need or held[key[0]] + 2 >= wordings[key[0]] or taken + len(groups[key]) > need + 4:
                continue
            held[key[0]] += 1
            taken += len(groups[key])
            for row in groups[key]:
                row["split"] = "validation"


def check(rows: list[dict], taken: set[str]) -> None:
    """Fail loudly when the corpus breaks its own promises."""
    n = len(rows)
    assert n >= 3200, n
    categories = Counter(r["category"] for r in rows)
    sentiments = Counter(r["sentiment"] for r in rows)
    assert set(categories) == {"E", "S", "G", "기타"} and set(sentiments) == {"긍정", "중립", "부정"}
    assert all(0.22 <= c / n <= 0.28 for c in categories.values()), categories
    assert all(0.28 <= c / n <= 0.38 for c in sentiments.values()), sentiments
    cells = Counter((r["category"], r["sentiment"]) for r in rows)
    assert len(cells) == 12 and min(cells.values()) / n >= 0.05, cells
    for cell, count in cells.items():
        held = sum(1 for r in rows if (r["category"], r["sentiment"]) == cell and r["split"] == "validation")
        assert 0.15 <= held / count <= 0.22, (cell, held, count)
    keys = [normalize_title(r["title"]) for r in rows]
    assert len(set(keys)) == n and not set(keys) & taken
    assert len({r["title"] for r in rows}) == n
    markup = re.compile(r"<[^>]+>|&(quot|amp|lt|gt|apos|#\d+);")
    assert not any(markup.search(r["title"] + r["description"]) for r in rows)
    assert not any(re.search(r"\((이|은|을|과|으로)\)|[{}]", r["title"] + r["description"]) for r in rows)
    assert len({r["company"] for r in rows}) >= 60
    assert sum(r["_hard"] for r in rows) / n >= 0.15
    train = {r["_group"] for r in rows if r["split"] == "train"}
    assert not any(r["_group"] in train for r in rows if r["split"] == "validation")


def summary(rows: list[dict]) -> str:
    """The class-balance table pasted into data/README.md."""
    cats, sents = ["E", "S", "G", "기타"], ["긍정", "중립", "부정"]
    count = Counter((r["category"], r["sentiment"], r["split"]) for r in rows)
    lines = ["| category | " + " | ".join(f"{s} (train/val)" for s in sents) + " | total | share |",
             "|---|" + "---|" * (len(sents) + 2)]
    for c in cats:
        cells = [f"{count[c, s, 'train']}/{count[c, s, 'validation']}" for s in sents]
        total = sum(count[c, s, sp] for s in sents for sp in ("train", "validation"))
        lines.append(f"| {c} | " + " | ".join(cells) + f" | {total} | {total / len(rows):.1%} |")
    totals = [sum(count[c, s, sp] for c in cats for sp in ("train", "validation")) for s in sents]
    shares = " | ".join(f"{t} ({t / len(rows):.1%})" for t in totals)
    lines.append(f"| total | {shares} | {len(rows)} | |")
    n_val = sum(r["split"] == "validation" for r in rows)
    hard = sum(r["_hard"] for r in rows)
    vocab = {w for r in rows for w in (r["title"] + " " + r["description"]).split()}
    lines += ["", f"rows {len(rows)}, validation {n_val} ({n_val / len(rows):.1%}), companies "
              f"{len({r['company'] for r in rows})}, frames {len(FRAMES)}, hard-case rows {hard} "
              f"({hard / len(rows):.1%}), distinct whitespace tokens {len(vocab)}"]
    return "\n".join(lines)


def main() -> None:
    """Generate, split, check and write the corpus; print the class-balance table."""
    rng = random.Random(SEED)
    taken = archive_titles()
    rows = generate(rng, taken)
    split(rng, rows)
    check(rows, taken)
    rng.shuffle(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            public = {k: row[k] for k in FIELDS}
            handle.write(json.dumps(public, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")
    print(summary(rows))


if __name__ == "__main__":
    main()
