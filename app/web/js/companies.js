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
  updateKeyButton();
  if (keyResolve) keyResolve(saved);
  keyResolve = null;
}

export function updateKeyButton() {
  $("#admin-key-button").textContent = adminKey() ? "관리자 키 ✓" : "관리자 키";
}

// -- status and alerts ---------------------------------------------------------------------------------

export async function loadStatus() {
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
