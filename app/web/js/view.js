// Shared page state and small helpers: DOM building, state messages, toasts, Korean date formats.

export const $ = (selector) => document.querySelector(selector);
export const state = {
  result: null, // the analysis shown in the results section
  company: null,
  history: null, // the history records drawn in the history chart
  historyCompany: null,
  labels: new Map(), // article id → label saved from this page
  polling: false,
  showAll: false,
};

export function h(tag, attrs = {}, ...children) {
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

export function setState(target, kind, message) {
  const node = typeof target === "string" ? $(target) : target;
  node.className = `state ${kind || ""}`;
  node.replaceChildren();
  if (!message) return;
  if (kind === "loading") node.append(h("span", { class: "spinner", "aria-hidden": "true" }));
  node.append(h("span", {}, message));
}

let toastTimer = null;
export function toast(message) {
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

export function formatTime(iso, split = false) {
  if (!iso) return split ? ["", ""] : "-";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return split ? ["", ""] : "-";
  return split ? [dayFmt.format(date), timeFmt.format(date)] : fullFmt.format(date);
}

export function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 60) return "방금 전";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}분 전`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}시간 전`;
  return `${Math.floor(seconds / 86400)}일 전`;
}

export const pct = (value) => `${((value || 0) * 100).toFixed(1)}%`;
export const companyPath = (company) => encodeURIComponent(company);

export function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
