// The dashboard page: search and analyse a company, watched companies, history, refresh, labels, alerts.

import { adminKey, api, ApiError, describeError, setAdminKey } from "./api.js";
import { barChart, CATEGORY_NAMES, donutChart, historyChart, stackedBars, tone } from "./charts.js";

const $ = (selector) => document.querySelector(selector);
const POLL_MS = 700;
const PAGE = 12; // articles shown before "더 보기"
const state = { result: null, company: null, historyCompany: null, labels: new Map(), polling: false, showAll: false };

// -- small DOM helpers ---------------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setState(target, kind, message) {
  const node = typeof target === "string" ? $(target) : target;
  node.className = `state ${kind || ""}`;
  node.replaceChildren();
  if (!message) return;
  if (kind === "loading") node.append(h("span", { class: "spinner", "aria-hidden": "true" }));
  node.append(h("span", {}, message));
}

let toastTimer = null;
function toast(message) {
  const node = $("#toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 3500);
}

const KST = "Asia/Seoul";
const dayFmt = new Intl.DateTimeFormat("ko-KR", { timeZone: KST, month: "2-digit", day: "2-digit" });
const timeFmt = new Intl.DateTimeFormat("ko-KR", { timeZone: KST, hour: "2-digit", minute: "2-digit", hour12: false });
const fullFmt = new Intl.DateTimeFormat("ko-KR", {
  timeZone: KST, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});

function formatTime(iso, split = false) {
  if (!iso) return split ? ["", ""] : "-";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return split ? ["", ""] : "-";
  return split ? [dayFmt.format(date), timeFmt.format(date)] : fullFmt.format(date);
}

function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 60) return "방금 전";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}분 전`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}시간 전`;
  return `${Math.floor(seconds / 86400)}일 전`;
}

const pct = (value) => `${((value || 0) * 100).toFixed(1)}%`;
const companyPath = (company) => encodeURIComponent(company);

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// -- search and analysis -------------------------------------------------------------------------------

async function analyze(company, maxResults) {
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
  const model = meta.ml_service_status === "local_model" ? `모델 ${meta.model_name} (${meta.device})` : "키워드 규칙 (모델 없음)";
  $("#result-meta").textContent =
    `${formatTime(meta.analysis_time)} 분석 · 검색 ${meta.total_found.toLocaleString("ko-KR")}건 중 ${meta.analyzed_count}건 · ` +
    `${meta.cache_hit ? "캐시에서 불러옴" : `${Math.round(meta.processing_time_ms)} ms`}` +
    `${meta.stale ? " · 이전 결과(원본 오류)" : ""}${meta.degraded ? " · 저장소 장애로 캐시 미사용" : ""}`;
  const base = `${"/api/v1/dashboard/companies/"}${companyPath(meta.company)}/export`;
  $("#export-csv").href = `${base}?format=csv`;
  $("#export-json").href = `${base}?format=json`;

  const kpis = [
    ["분석 기사", `${summary.total_analyzed}건`],
    ["중복 제거", `${result.deduplication.duplicates_removed}건`],
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

function renderArticles() {
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
    const message = result.analyzed_news.length ? "조건에 맞는 기사가 없습니다." : "이 기업의 뉴스를 찾지 못했습니다. 기업명을 확인해 주세요.";
    list.replaceChildren(h("li", { class: "article empty muted" }, message));
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
    h("span", { class: "conf", title: "분류 신뢰도 · 감성 신뢰도" },
      `신뢰도 ${Math.round(esg.confidence * 100)}% · ${Math.round(sentiment.confidence * 100)}%`),
    item.duplicate_count > 0 ? h("span", { class: "badge dup", title: "비슷한 기사를 하나로 묶었습니다" }, `유사 기사 ${item.duplicate_count}건 묶음`) : null,
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
    h("div", { class: "article-foot" }, evidence || h("span"),
      h("button", { type: "button", class: "ghost small label-button", onclick: () => openLabel(item) }, "라벨 수정")),
  );
}

// -- watched companies ---------------------------------------------------------------------------------

async function loadOverview() {
  setState("#overview-state", "loading", "관심 기업을 불러오는 중…");
  try {
    const data = await api("/dashboard/companies");
    const suggestions = $("#company-suggestions");
    suggestions.replaceChildren(...data.companies.map((c) => h("option", { value: c.company })));
    const companies = data.companies.filter((c) => c.watched || c.last_run);
    if (!companies.length) {
      setState("#overview-state", "info", "관심 기업이 없습니다. 기업을 검색해 분석하면 여기에 나타납니다.");
      $("#watch-list").replaceChildren();
      return;
    }
    const histories = await Promise.all(companies.map((c) =>
      api(`/dashboard/companies/${companyPath(c.company)}/history?limit=2`).catch((exc) =>
        exc instanceof ApiError && exc.status === 404 ? { history: [] } : { error: exc })));
    $("#watch-list").replaceChildren(...companies.map((c, i) => watchCard(c, histories[i])));
    setState("#overview-state", "", "");
  } catch (exc) {
    setState("#overview-state", "error", describeError(exc));
  }
}

function watchCard(entry, history) {
  const [latest, previous] = (history && history.history) || [];
  let trend = h("span", { class: "trend flat", title: "이전 기록 없음" }, "–");
  if (latest && previous) {
    const delta = latest.negative_ratio - previous.negative_ratio;
    const points = `${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(1)}%p`;
    if (delta > 0.005) trend = h("span", { class: "trend up", title: `부정 비율 상승 ${points}` }, `▲ ${points}`);
    else if (delta < -0.005) trend = h("span", { class: "trend down", title: `부정 비율 하락 ${points}` }, `▼ ${points}`);
    else trend = h("span", { class: "trend flat", title: "변화 없음" }, "→ 변화 없음");
  }
  const body = history && history.error
    ? h("div", { class: "muted" }, describeError(history.error))
    : latest
      ? [
        h("div", { class: "row" }, h("span", { class: "muted" }, "부정 비율"), h("span", {}, h("span", { class: "share" }, pct(latest.negative_ratio)), " ", trend)),
        h("div", { class: "row" }, h("span", { class: "muted" }, "기사"), h("span", {}, `${latest.total_analyzed}건`)),
        h("div", { class: "row" }, h("span", { class: "muted" }, "마지막 갱신"), h("span", { class: "last-run", title: formatTime(latest.time) }, `${formatTime(latest.time, true).join(" ")} · ${ago(latest.time)}`)),
      ]
      : h("div", { class: "muted" }, "아직 분석 없음");
  return h("article", { class: `watch-card${state.historyCompany === entry.company ? " selected" : ""}`, dataset: { company: entry.company } },
    h("div", { class: "name" }, entry.company, entry.watched ? h("span", { class: "badge light" }, "관심") : null),
    body,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "ghost small history-button", onclick: () => showHistory(entry.company) }, "기록 보기"),
      h("button", { type: "button", class: "ghost small analyze-button", onclick: () => {
        $("#company-input").value = entry.company;
        analyze(entry.company, Number($("#max-results").value));
      } }, "기사 보기")),
  );
}

// -- history and refresh -------------------------------------------------------------------------------

function showHistory(company) {
  state.historyCompany = company;
  $("#history-section").hidden = false;
  $("#history-company").textContent = company;
  $("#task-progress").hidden = true;
  document.querySelectorAll(".watch-card").forEach((card) =>
    card.classList.toggle("selected", card.dataset.company === company));
  loadHistory(company);
  $("#history-section").scrollIntoView({ behavior: "smooth", block: "start" });
}

async function loadHistory(company) {
  setState("#history-state", "loading", "기록을 불러오는 중…");
  try {
    const data = await api(`/dashboard/companies/${companyPath(company)}/history?limit=30`);
    if (state.historyCompany !== company) return;
    state.history = data.history;
    historyChart($("#history-chart"), data.history, formatTime);
    $("#history-chart").dataset.count = String(data.count);
    renderHistoryLegend();
    const latest = data.history[0];
    setState("#history-state", "info",
      `기록 ${data.count}건 · 최근 ${formatTime(latest.time)} · 부정 비율 ${pct(latest.negative_ratio)}`);
  } catch (exc) {
    state.history = null;
    $("#history-chart").replaceChildren();
    $("#history-chart").dataset.count = "0";
    $("#history-legend").replaceChildren();
    if (exc instanceof ApiError && exc.status === 404) {
      setState("#history-state", "info", "아직 분석 기록이 없습니다. '지금 갱신'으로 첫 분석을 시작하세요.");
    } else {
      setState("#history-state", "error", describeError(exc));
    }
  }
}

function renderHistoryLegend() {
  const items = ["E", "S", "G", "기타"].map((c) =>
    h("span", {}, h("i", { class: `swatch bg-${c}` }), `${c}${c !== "기타" ? ` ${CATEGORY_NAMES[c]}` : ""} 기사 수`));
  items.push(h("span", {}, h("i", { class: "swatch line bg-부정" }), "부정 비율 (오른쪽 축)"));
  $("#history-legend").replaceChildren(...items);
}

const TASK_STEPS = {
  PENDING: [15, "대기 중 — 작업이 큐에 들어갔습니다"],
  STARTED: [55, "분석 중 — 뉴스를 모으고 분류하고 있습니다"],
  SUCCESS: [100, "완료 — 새 기록이 추가되었습니다"],
  FAILURE: [100, "실패"],
};

function showTask(task, startedAt) {
  const [percent, text] = TASK_STEPS[task.state] || [30, task.state];
  const box = $("#task-progress");
  box.hidden = false;
  box.classList.toggle("failed", task.state === "FAILURE");
  box.querySelector(".bar").style.width = `${percent}%`;
  box.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  let message = `${text} (${seconds}초)`;
  if (task.state === "FAILURE") message = `실패: ${task.error || "알 수 없는 오류"}`;
  if (task.state === "SUCCESS" && task.result) message += ` · 기사 ${task.result.item_count}건, 부정 ${pct(task.result.negative_ratio)}`;
  $("#task-state-text").textContent = message;
  $("#task-state-text").dataset.state = task.state;
}

async function refresh() {
  const company = state.historyCompany;
  if (!company || state.polling) return;
  if (!adminKey() && !(await askKey())) return;
  const button = $("#refresh-button");
  button.disabled = true;
  state.polling = true;
  const startedAt = Date.now();
  try {
    const queued = await api(`/dashboard/companies/${companyPath(company)}/trigger`, {
      method: "POST", body: { max_results: Number($("#max-results").value) }, admin: true,
    });
    if (queued.deduplicated) toast("이미 진행 중인 갱신 작업을 따라갑니다.");
    let task = { state: queued.status };
    showTask(task, startedAt);
    while (!["SUCCESS", "FAILURE", "REVOKED"].includes(task.state)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      task = await api(`/dashboard/tasks/${encodeURIComponent(queued.task_id)}`);
      showTask(task, startedAt);
    }
    if (task.state === "SUCCESS") {
      await loadHistory(company);
      loadOverview();
      if (state.company === company) loadLatest(company);
    }
  } catch (exc) {
    if (exc instanceof ApiError && (exc.status === 401 || exc.status === 403)) setAdminKey("");
    $("#task-progress").hidden = false;
    $("#task-progress").classList.add("failed");
    $("#task-state-text").textContent = describeError(exc);
    $("#task-state-text").dataset.state = "ERROR";
  } finally {
    state.polling = false;
    button.disabled = false;
  }
}

async function loadLatest(company) {
  try {
    const result = await api(`/dashboard/companies/${companyPath(company)}/latest`);
    state.result = result;
    renderResult(result);
  } catch {
    /* the refresh succeeded; the list simply stays as it was */
  }
}

// -- admin key -------------------------------------------------------------------------------------------

let keyResolve = null;

function askKey() {
  const dialog = $("#key-dialog");
  $("#key-input").value = adminKey();
  dialog.showModal();
  $("#key-input").focus();
  return new Promise((resolve) => { keyResolve = resolve; });
}

function closeKey(saved) {
  $("#key-dialog").close();
  updateKeyButton();
  if (keyResolve) keyResolve(saved);
  keyResolve = null;
}

function updateKeyButton() {
  $("#admin-key-button").textContent = adminKey() ? "관리자 키 ✓" : "관리자 키";
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

async function saveLabel(event) {
  event.preventDefault();
  if (!labelItem) return;
  if (!adminKey() && !(await askKey())) return;
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

// -- status and alerts ---------------------------------------------------------------------------------

async function loadStatus() {
  const pill = $("#service-status");
  try {
    const status = await api("/dashboard/status");
    const mode = status.mode === "embedded" ? "내장 모드" : "Redis 모드";
    const model = status.model.ml_service_status === "local_model" ? status.model.model_name : "키워드 규칙";
    pill.textContent = `${status.status === "ok" ? "정상" : "일부 장애"} · ${mode} · ${model}`;
    pill.className = `pill ${status.status === "ok" ? "ok" : "degraded"}`;
  } catch (exc) {
    pill.textContent = "서버 연결 실패";
    pill.className = "pill down";
    pill.title = describeError(exc);
  }
}

async function loadAlerts() {
  try {
    const [overview, recent] = await Promise.all([api("/dashboard/alerts"), api("/dashboard/alerts/deliveries?limit=5")]);
    const rules = overview.companies.reduce((sum, c) => sum + c.rules, 0);
    const summary = `알림 규칙 ${rules}개 (${overview.companies.length}개 기업) · 최근 전송 ${overview.recent.sent}건 성공, ${overview.recent.failed}건 실패`;
    setState("#alerts-state", overview.status === "failing" ? "error" : "info",
      overview.status === "failing" ? `${summary} — 마지막 전송이 실패했습니다.` : summary);
    $("#delivery-list").replaceChildren(...recent.deliveries.map((d) => h("li", {},
      h("span", { class: d.status }, d.status === "sent" ? "전송" : "실패"),
      h("span", {}, formatTime(d.time)),
      h("span", {}, d.message),
      d.error ? h("span", { class: "muted" }, d.error) : null)));
  } catch (exc) {
    setState("#alerts-state", "error", describeError(exc));
  }
}

// -- wiring ----------------------------------------------------------------------------------------------

function init() {
  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const company = $("#company-input").value.trim();
    if (!company) {
      setState("#search-state", "error", "기업명을 입력해 주세요.");
      return;
    }
    analyze(company, Number($("#max-results").value));
  });
  for (const id of ["#filter-category", "#filter-sentiment"]) {
    $(id).addEventListener("change", () => { state.showAll = false; renderArticles(); });
  }
  $("#reload-overview").addEventListener("click", () => { loadOverview(); loadAlerts(); loadStatus(); });
  $("#refresh-button").addEventListener("click", refresh);
  $("#admin-key-button").addEventListener("click", () => askKey());
  $("#key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("#key-input").value.trim();
    if (!value) return;
    setAdminKey(value);
    closeKey(true);
  });
  $("#key-cancel").addEventListener("click", () => closeKey(false));
  $("#key-forget").addEventListener("click", () => { setAdminKey(""); closeKey(false); toast("관리자 키를 지웠습니다."); });
  $("#key-dialog").addEventListener("cancel", () => closeKey(false));
  $("#label-form").addEventListener("submit", saveLabel);
  $("#label-cancel").addEventListener("click", () => $("#label-dialog").close());
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (state.history && !$("#history-section").hidden) historyChart($("#history-chart"), state.history, formatTime);
    }, 150);
  });
  updateKeyButton();
  loadStatus();
  loadOverview();
  loadAlerts();
}

init();
