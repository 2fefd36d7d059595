"""What the fake Naver server says: error bodies, synthetic items, `<b>` highlighting."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from starlette.responses import JSONResponse, Response

SEARCH_PATH = "/v1/search/news.json"
KST = timezone(timedelta(hours=9))
ERRORS: dict[str, tuple[int, str]] = {
    "SE01": (400, "Incorrect query request (잘못된 쿼리요청입니다.)"),
    "SE02": (400, "Invalid display value (부적절한 display 값입니다.)"),
    "SE03": (400, "Invalid start value (부적절한 start 값입니다.)"),
    "SE04": (400, "Invalid sort value (부적절한 sort 값입니다.)"),
    "SE05": (404, "Invalid search api (존재하지 않는 검색 api 입니다.)"),
    "SE06": (400, "Malformed encoding (잘못된 형식의 인코딩입니다.)"),
    "SE99": (500, "System Error (시스템 에러)"),
    "024": (401, "Authentication failed. (인증에 실패했습니다.)"),
    "010": (429, "Quota exceeded. (호출 한도를 초과했습니다.)"),
    "012": (429, "Rate limit exceeded. (속도 제한을 초과했습니다.)"),
}
CODE_FOR_STATUS = {400: "SE01", 401: "024", 403: "024", 404: "SE05", 429: "012"}
_PRESSES = [
    "https://www.hankyung.com/article/2025",
    "https://www.mk.co.kr/news/economy/",
    "https://www.yna.co.kr/view/AKR2025",
    "https://biz.chosun.com/industry/",
    "https://www.sedaily.com/NewsView/",
    "https://www.etnews.com/2025",
    "https://www.edaily.co.kr/News/Read?newsId=",
]
_TOPICS = [
    "실적 발표",
    "ESG 경영 강화",
    "탄소중립 투자",
    "노사 협상",
    "지배구조 개편",
    "신사업 진출",
    "협력사 상생",
]
_BOLD = re.compile(r"</?b>", re.IGNORECASE)


def error_response(code: str, status: int | None = None, retry_after: float | None = None) -> Response:
    default_status, message = ERRORS.get(code, (status or 500, "Error"))
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
    return JSONResponse(
        {"errorMessage": message, "errorCode": code}, status_code=status or default_status, headers=headers
    )


def bold(text: str, words: list[str]) -> str:
    plain = _BOLD.sub("", text)
    if not words:
        return plain
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"<b>{m.group(0)}</b>", plain)


def synthetic_item(query: str, index: int) -> dict[str, str]:
    seed = hashlib.sha256(query.encode("utf-8")).hexdigest()[:8]
    topic = _TOPICS[index % len(_TOPICS)]
    escaped = html.escape(query)
    published = datetime(2025, 1, 15, 9, 0, tzinfo=KST) - timedelta(minutes=37 * index)
    return {
        "title": f"<b>{escaped}</b>, {topic} ({index + 1})",
        "originallink": f"{_PRESSES[index % len(_PRESSES)]}{seed}{index:05d}",
        "link": f"https://n.news.naver.com/mnews/article/{seed}/{index:05d}",
        "description": f"<b>{escaped}</b> 관련 &quot;{topic}&quot; 소식 &amp; 시장 반응 {index + 1}",
        "pubDate": format_datetime(published),
    }


def int_param(value: str | None, default: int, low: int, high: int) -> int | None:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None
