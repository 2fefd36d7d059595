// Watched companies, the history chart, refreshes with the admin key, service status and alert deliveries.

import { adminKey, api, ApiError, describeError, setAdminKey } from "./api.js";
import { CATEGORY_NAMES, historyChart } from "./charts.js";
import { analyze, loadLatest } from "./results.js";
import { $, ago, companyPath, formatTime, h, pct, setState, state, toast } from "./view.js";

const POLL_MS = 700;

// -- watched companies ---------------------------------------------------------------------------------

export async function loadOverview() {
  setState("#overview-state", "loading", "관심 기업을 불러오는 중…");
  try {
    const data = await api("/dashboard/companies");
    const suggestions = $("#company-suggestions");
    suggestions.replaceChildren(...data.companies.map((c) => h("option", { value: c.company })));
    const watched = data.companies.filter((c) => c.watched);
    const recent = data.companies.filter((c) => !c.watched);
    $("#watch-list").replaceChildren(...watched.map(watchCard));
    $("#recent-block").hidden = !recent.length;
    $("#recent-list").replaceChildren(...recent.map(recentItem));
    if (!watched.length) {
      setState("#overview-state", "info",
        "관심 기업이 없습니다. 기업을 분석한 뒤 '관심 추가'를 누르면 백그라운드 갱신 대상이 됩니다.");
    } else {
      setState("#overview-state", "", "");
    }
  } catch (exc) {
    setState("#overview-state", "error", describeError(exc));
  }
}

/** Negative share of an entry, or what stands in for it when there is nothing to divide. */
function ratioText(entry) {
  if (!entry.last_run) return "아직 분석 없음";
  if (!entry.articles) return "뉴스 없음";
  return pct(entry.negative_ratio);
}

function trendBadge(entry) {
  const trend = entry.trend;
  if (!trend) {
    return h("span", { class: "trend flat", title: "같은 조건으로 분석한 이전 기록이 없습니다" }, "–");
  }
  const points = `${trend.delta >= 0 ? "+" : ""}${(trend.delta * 100).toFixed(1)}%p`;
  const basis = `같은 조건의 이전 분석(${formatTime(trend.previous_run)}, 기사 ${trend.previous_articles}건, 부정 ${pct(trend.previous_negative_ratio)}) 대비`;
  if (trend.delta > 0.005) return h("span", { class: "trend up", title: `${basis} 상승` }, `▲ ${points}`);
  if (trend.delta < -0.005) return h("span", { class: "trend down", title: `${basis} 하락` }, `▼ ${points}`);
  return h("span", { class: "trend flat", title: `${basis} 변화 없음` }, "→ 변화 없음");
}

function watchCard(entry) {
  const analysed = Boolean(entry.last_run);
  const body = analysed
    ? [
      h("div", { class: "row" }, h("span", { class: "muted" }, "부정 비율"),
        h("span", {}, h("span", { class: "share" }, ratioText(entry)), " ", entry.articles ? trendBadge(entry) : null)),
      h("div", { class: "row" }, h("span", { class: "muted" }, "기사"), h("span", { class: "articles" }, `${entry.articles ?? 0}건`)),
      h("div", { class: "row" }, h("span", { class: "muted" }, "마지막 분석"), h("span", { class: "last-run", title: formatTime(entry.last_run) }, `${formatTime(entry.last_run, true).join(" ")} · ${ago(entry.last_run)}`)),
    ]
    : h("div", { class: "muted" }, "아직 분석 없음");
  return h("article", { class: `watch-card${state.historyCompany === entry.company ? " selected" : ""}`, dataset: { company: entry.company } },
    h("div", { class: "name" }, entry.company, h("span", { class: "badge light" }, "관심")),
    body,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "ghost small history-button", onclick: () => showHistory(entry.company) }, "기록 보기"),
      h("button", { type: "button", class: "ghost small analyze-button", onclick: () => {
        $("#company-input").value = entry.company;
        analyze(entry.company, Number($("#max-results").value));
      } }, "기사 보기"),
      h("button", { type: "button", class: "ghost small unwatch-button", title: "관심 기업에서 빼기 (관리자)",
        onclick: () => setWatched(entry.company, false) }, "관심 해제")),
  );
}

function recentItem(entry) {
  return h("li", { class: "recent", dataset: { company: entry.company } },
    h("button", { type: "button", class: "link analyze-button", onclick: () => {
      $("#company-input").value = entry.company;
      analyze(entry.company, Number($("#max-results").value));
    } }, entry.company),
    h("span", { class: "muted" }, `부정 ${ratioText(entry)} · 기사 ${entry.articles}건 · ${ago(entry.last_run)}`),
    h("button", { type: "button", class: "ghost small watch-button", title: "관심 기업에 추가 (관리자)",
      onclick: () => setWatched(entry.company, true) }, "관심 추가"));
}

/** Add a company to the watch list or remove it (admin), then reload the overview. */
export async function setWatched(company, watched) {
  if (!(await ensureAdmin())) return;
  try {
    await api(`/dashboard/companies/${companyPath(company)}`, { method: watched ? "PUT" : "DELETE", admin: true });
    toast(watched ? `'${company}'을(를) 관심 기업에 추가했습니다.` : `'${company}'을(를) 관심 기업에서 뺐습니다.`);
    await loadOverview();
  } catch (exc) {
    if (exc instanceof ApiError && (exc.status === 401 || exc.status === 403)) {
      setAdminKey("");
      updateKeyButton();
    }
    toast(describeError(exc));
  }
}

// -- history and refresh -------------------------------------------------------------------------------

export function showHistory(company) {
  state.historyCompany = company;
  $("#history-section").hidden = false;
  $("#history-company").textContent = company;
  $("#task-progress").hidden = true;
  document.querySelectorAll(".watch-card").forEach((card) =>
    card.classList.toggle("selected", card.dataset.company === company));
  loadHistory(company);
  $("#history-section").scrollIntoView({ behavior: "smooth", block: "start" });
}

export async function loadHistory(company) {
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

export async function refresh() {
  const company = state.historyCompany;
  if (!company || state.polling) return;
  if (!(await ensureAdmin())) return;
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
    if (exc instanceof ApiError && (exc.status === 401 || exc.status === 403)) {
      setAdminKey("");
      updateKeyButton();
    }
    $("#task-progress").hidden = false;
    $("#task-progress").classList.add("failed");
    $("#task-state-text").textContent = describeError(exc);
    $("#task-state-text").dataset.state = "ERROR";
  } finally {
    state.polling = false;
    button.disabled = false;
  }
}

// -- admin key -------------------------------------------------------------------------------------------

let keyResolve = null;

export function askKey() {
  const dialog = $("#key-dialog");
  $("#key-input").value = adminKey();
  dialog.showModal();
  $("#key-input").focus();
  return new Promise((resolve) => { keyResolve = resolve; });
}

export function closeKey(saved) {
  $("#key-dialog").close();
  if (keyResolve) keyResolve(saved);
  else updateKeyButton();
  keyResolve = null;
}

/** Ask the server whether admin calls would pass now, and show it on the key button. */
export async function updateKeyButton() {
  const button = $("#admin-key-button");
  try {
    const access = await api("/system/admin", { admin: true });
    state.admin = access;
    if (access.admin) {
      button.textContent = access.via === "key" ? "관리자 키 ✓" : "관리자 ✓ (이 컴퓨터)";
      button.title = access.via === "key" ? "관리자 키가 확인되었습니다" : "서버에 관리자 키가 없어 이 컴퓨터에서의 관리 요청을 허용합니다";
    } else {
      button.textContent = adminKey() ? "관리자 키 ✗" : "관리자 키";
      button.title = access.detail || "관리 기능에는 관리자 키가 필요합니다";
    }
    button.dataset.admin = access.admin ? access.via : "no";
  } catch (exc) {
    state.admin = null;
    button.textContent = "관리자 키";
    button.title = describeError(exc);
    button.dataset.admin = "unknown";
  }
}

/** True when admin calls will pass, asking for the key first when they would not. */
export async function ensureAdmin() {
  // Asked again when not yet admin: the key may have been entered in another part of the page.
  if (!state.admin || !state.admin.admin) await updateKeyButton();
  if (state.admin && state.admin.admin) return true;
  if (!(await askKey())) return false;
  await updateKeyButton();
  if (state.admin && state.admin.admin) return true;
  setAdminKey("");  // a wrong key is not kept for the next call
  await updateKeyButton();
  toast(state.admin && !state.admin.key_configured
    ? "이 서버에는 관리자 키가 없어 서버 컴퓨터에서만 관리 기능을 쓸 수 있습니다."
    : "관리자 키가 올바르지 않습니다.");
  return false;
}

// -- status and alerts ---------------------------------------------------------------------------------

export async function loadStatus() {
  const pill = $("#service-status");
  try {
    const status = await api("/dashboard/status");
    const mode = status.mode === "embedded" ? "내장 모드" : "Redis 모드";
    const model = status.model.ml_service_status === "local_model" ? status.model.model_name : "키워드 규칙";
    const source = status.naver_quota.source === "archive" ? "오프라인 아카이브" : "네이버 뉴스";
    pill.textContent = `${status.status === "ok" ? "정상" : "일부 장애"} · ${mode} · ${source} · ${model}`;
    pill.dataset.source = status.naver_quota.source;
    pill.className = `pill ${status.status === "ok" ? "ok" : "degraded"}`;
  } catch (exc) {
    pill.textContent = "서버 연결 실패";
    pill.className = "pill down";
    pill.title = describeError(exc);
  }
}

export async function loadAlerts() {
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
