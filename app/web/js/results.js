// The analysis of one company: summary, charts, article list, exports and analyst labels.

import { api, ApiError, describeError, setAdminKey } from "./api.js";
import { barChart, CATEGORY_NAMES, donutChart, stackedBars, tone } from "./charts.js";
import { ensureAdmin, loadHistory, loadOverview, setWatched, updateKeyButton } from "./companies.js";
import { $, companyPath, formatTime, h, pct, safeUrl, setState, state, toast } from "./view.js";

const PAGE = 12; // articles shown before "더 보기"

// -- search and analysis -------------------------------------------------------------------------------

export async function analyze(company, maxResults) {
  const button = $("#search-button");
  button.disabled = true;
  setState("#search-state", "loading", `'${company}' 뉴스를 검색하고 분석하는 중… (처음 분석은 수 초 걸릴 수 있습니다)`);
  try {
    const result = await api(`/search/companies/${companyPath(company)}/analyze`, {
      method: "POST",
      body: { max_results: maxResults },
    });
    state.result = result;
    state.company = result.analysis_metadata.company;
    state.showAll = false;
    renderResult(result);
    setState("#search-state", "", "");
    loadOverview();
    if (state.historyCompany === state.company) loadHistory(state.company);
  } catch (exc) {
    setState("#search-state", "error", describeError(exc));
  } finally {
    button.disabled = false;
  }
}

function renderResult(result) {
  const meta = result.analysis_metadata;
  const summary = result.summary;
  $("#results").hidden = false;
  $("#result-title").textContent = `${meta.company} 분석 결과`;
  updateWatchToggle(meta.company);
  const empty = !result.analyzed_news.length;
  $("#result-body").hidden = empty;
  $("#result-empty").hidden = !empty;
  for (const id of ["#export-csv", "#export-json"]) $(id).hidden = empty;
  if (empty) {
    $("#result-meta").textContent = `${formatTime(meta.analysis_time)} 검색`;
    $("#article-list").replaceChildren();
    renderNotFound(meta.company);
    return;
  }
  const model = meta.ml_service_status === "local_model" ? `모델 ${meta.model_name} (${meta.device})` : "키워드 규칙 (모델 없음)";
  $("#result-meta").textContent =
    `${formatTime(meta.analysis_time)} 분석 · 검색 ${meta.total_found.toLocaleString("ko-KR")}건 중 ${meta.analyzed_count}건 · ` +
    `${meta.cache_hit ? "캐시에서 불러옴" : `${Math.round(meta.processing_time_ms)} ms`}` +
    `${meta.stale ? " · 이전 결과(원본 오류)" : ""}${meta.degraded ? " · 저장소 장애로 캐시 미사용" : ""}`;
  const base = `${"/api/v1/dashboard/companies/"}${companyPath(meta.company)}/export`;
  $("#export-csv").href = `${base}?format=csv`;
  $("#export-json").href = `${base}?format=json`;

  const kpis = [
    ["분석 사건", `${summary.total_analyzed}건`],
    ["보도 기사", `${summary.by_article ? summary.by_article.total_articles : summary.total_analyzed}건`],
    ["부정 비율", pct(summary.negative_ratio), summary.negative_ratio >= 0.3 ? "neg" : ""],
    ["분류기", model, "small-text"],
  ];
  $("#kpis").replaceChildren(...kpis.map(([label, value, cls]) =>
    h("div", { class: "kpi" }, h("div", { class: "label" }, label), h("div", { class: `value ${cls || ""}` }, value))));

  barChart($("#esg-chart .chart"), summary.esg_distribution);
  donutChart($("#sentiment-chart .chart"), summary.sentiment_distribution);
  stackedBars($("#matrix-chart .chart"), summary.sentiment_by_category);
  renderArticles();
}

export function renderArticles() {
  const result = state.result;
  if (!result) return;
  const category = $("#filter-category").value;
  const sentiment = $("#filter-sentiment").value;
  const items = result.analyzed_news.filter((item) =>
    (!category || item.esg_classification.category === category) &&
    (!sentiment || item.sentiment_analysis.label === sentiment));
  $("#article-count").textContent = `${items.length}건${items.length !== result.analyzed_news.length ? ` / ${result.analyzed_news.length}건` : ""}`;
  const list = $("#article-list");
  if (!items.length) {
    list.replaceChildren(h("li", { class: "article empty muted" }, "조건에 맞는 기사가 없습니다."));
    return;
  }
  const shown = state.showAll ? items : items.slice(0, PAGE);
  const more = items.length - shown.length;
  list.replaceChildren(...shown.map(articleItem));
  if (more > 0) {
    list.append(h("li", { class: "more" }, h("button", { type: "button", class: "ghost more-button",
      onclick: () => { state.showAll = true; renderArticles(); } }, `${more}건 더 보기`)));
  }
}

function articleItem(item) {
  const esg = item.esg_classification;
  const sentiment = item.sentiment_analysis;
  const href = safeUrl(item.url) || safeUrl(item.naver_url);
  const title = href
    ? h("a", { class: "title", href, target: "_blank", rel: "noopener noreferrer" }, item.title)
    : h("span", { class: "title" }, item.title);
  const label = state.labels.get(item.id);
  const badges = h("div", { class: "badges" },
    h("span", { class: `badge esg bg-${tone(esg.category)}`, title: "ESG 분류" },
      `${esg.category}${CATEGORY_NAMES[esg.category] && esg.category !== "기타" ? ` ${CATEGORY_NAMES[esg.category]}` : ""}`),
    h("span", { class: `badge sentiment bg-${tone(sentiment.label)}`, title: "감성" }, sentiment.label),
    h("span", { class: "conf", title: "모델이 고른 분류와 감성 각각의 확률" },
      `분류 신뢰도 ${Math.round(esg.confidence * 100)}% · 감성 신뢰도 ${Math.round(sentiment.confidence * 100)}%`),
    outletCount(item) > 1 ? h("span", { class: "badge dup", title: "같은 사건을 보도한 언론사 수" }, `${outletCount(item)}개 언론사`) : null,
    label ? h("span", { class: "badge labeled" }, `라벨 ${label.category}/${label.sentiment}`) : null,
  );
  const evidence = esg.evidence && esg.evidence.length
    ? h("div", { class: "evidence" }, h("span", { class: "muted" }, "근거"),
      ...esg.evidence.slice(0, 8).map((word) => h("span", { class: "chip" }, word)))
    : null;
  return h("li", { class: "article", dataset: { id: item.id } },
    badges,
    title,
    h("div", { class: "meta" }, h("span", {}, item.news_source || "언론사 미상"), h("span", {}, formatTime(item.published_date))),
    item.summary ? h("p", { class: "summary" }, item.summary) : null,
    sourceList(item),
    h("div", { class: "article-foot" }, evidence || h("span"),
      h("button", { type: "button", class: "ghost small label-button", onclick: () => openLabel(item) }, "라벨 수정")),
  );
}

// -- nothing found --------------------------------------------------------------------------------------

/** One message instead of zeros; in archive mode, the companies the archive does cover. */
async function renderNotFound(company) {
  const box = $("#result-empty");
  box.replaceChildren(h("p", { class: "empty-title" }, `'${company}' 뉴스를 찾지 못했습니다.`));
  let source = null;
  try {
    source = await api("/system/source");
  } catch {
    source = null;
  }
  if (state.company !== company) return;
  if (source && source.archive) {
    const names = source.archive.companies.map((c) => c.company);
    box.append(h("p", { class: "muted" },
      `지금은 오프라인 아카이브(기사 ${source.archive.items.toLocaleString("ko-KR")}건)에서 검색합니다. ` +
      (names.length ? `아카이브가 다루는 기업 ${names.length}곳:` : "기업명을 확인해 주세요.")));
    if (names.length) {
      box.append(h("div", { class: "covered" }, ...names.map((name) => h("button", {
        type: "button", class: "chip link", onclick: () => {
          $("#company-input").value = name;
          analyze(name, Number($("#max-results").value));
        },
      }, name))));
    }
  } else {
    box.append(h("p", { class: "muted" }, "기업명(예: 삼성전자)을 확인하거나 다른 이름으로 검색해 보세요."));
  }
}

// -- watch list toggle ----------------------------------------------------------------------------------

async function updateWatchToggle(company) {
  const button = $("#watch-toggle");
  button.dataset.company = company;
  let watched = false;
  try {
    const data = await api("/dashboard/companies");
    watched = data.watchlist.some((name) => name.replace(/\s+/g, "") === company.replace(/\s+/g, ""));
  } catch {
    watched = false;
  }
  if (button.dataset.company !== company) return;
  button.dataset.watched = String(watched);
  button.textContent = watched ? "관심 해제" : "관심 추가";
  button.onclick = async () => {
    await setWatched(company, !watched);
    updateWatchToggle(company);
  };
}

// -- stories: every outlet's report of one event ----------------------------------------------------

function outletCount(item) {
  const sources = item.sources || [];
  return sources.length ? new Set(sources.map((s) => s.press || s.url)).size : 1 + (item.duplicate_count || 0);
}

function sourceList(item) {
  const sources = item.sources || [];
  if (sources.length < 2) return null;
  const span = item.first_published && item.last_published && item.first_published !== item.last_published
    ? ` · ${formatTime(item.first_published)} ~ ${formatTime(item.last_published)}` : "";
  return h("details", { class: "sources" },
    h("summary", {}, `보도 ${sources.length}건 (${outletCount(item)}개 언론사)${span}`),
    h("ul", {}, ...sources.map((source) => {
      const href = safeUrl(source.url) || safeUrl(source.naver_url);
      const name = source.press || "언론사 미상";
      return h("li", {},
        href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, name) : h("span", {}, name),
        h("span", { class: "muted" }, ` ${formatTime(source.published_date)} · ${source.title || ""}`));
    })));
}

// -- labels (analyst feedback) -------------------------------------------------------------------------

let labelItem = null;

function openLabel(item) {
  labelItem = item;
  $("#label-title").textContent = item.title;
  $("#label-category").value = ["E", "S", "G", "기타"].includes(item.esg_classification.category) ? item.esg_classification.category : "기타";
  $("#label-sentiment").value = item.sentiment_analysis.label;
  $("#label-note").value = "";
  setState("#label-state", "", "");
  $("#label-dialog").showModal();
}

export async function saveLabel(event) {
  event.preventDefault();
  if (!labelItem) return;
  if (!(await ensureAdmin())) return;
  const body = {
    category: $("#label-category").value,
    sentiment: $("#label-sentiment").value,
    company: state.company || undefined,
    note: $("#label-note").value.trim() || undefined,
    title: labelItem.title,
    description: labelItem.summary || "",
    url: labelItem.url,
  };
  try {
    setState("#label-state", "loading", "저장 중…");
    await api(`/dashboard/articles/${encodeURIComponent(labelItem.id)}/label`, { method: "POST", body, admin: true });
    state.labels.set(labelItem.id, body);
    $("#label-dialog").close();
    toast("라벨을 저장했습니다. export-feedback으로 학습 데이터에 쓸 수 있습니다.");
    renderArticles();
  } catch (exc) {
    if (exc instanceof ApiError && (exc.status === 401 || exc.status === 403)) setAdminKey("");
    updateKeyButton();
    setState("#label-state", "error", describeError(exc));
  }
}

export async function loadLatest(company) {
  try {
    const result = await api(`/dashboard/companies/${companyPath(company)}/latest`);
    state.result = result;
    renderResult(result);
  } catch {
    /* the refresh succeeded; the list simply stays as it was */
  }
}
