// The dashboard page: wires the controls; the work is in results.js and companies.js.

import { setAdminKey } from "./api.js";
import { historyChart } from "./charts.js";
import { askKey, closeKey, loadAlerts, loadOverview, loadStatus, refresh, updateKeyButton } from "./companies.js";
import { analyze, renderArticles, saveLabel } from "./results.js";
import { $, formatTime, setState, state, toast } from "./view.js";

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
