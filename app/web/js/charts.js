// Small SVG charts drawn by hand (no chart library): bars, a donut, stacked bars and the history chart.

const NS = "http://www.w3.org/2000/svg";
export const CATEGORIES = ["E", "S", "G", "기타"];
export const SENTIMENTS = ["긍정", "중립", "부정"];
export const CATEGORY_NAMES = { E: "환경", S: "사회", G: "지배구조", 기타: "기타" };
const KNOWN = new Set([...CATEGORIES, ...SENTIMENTS]);

export function tone(label) {
  return KNOWN.has(label) ? label : "other";
}

function svgEl(name, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function frame(container, width, height, label) {
  container.replaceChildren();
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  svgEl("title", {}, svg, label);
  container.appendChild(svg);
  return svg;
}

function empty(svg, width, height) {
  svgEl("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "tick" }, svg, "데이터 없음");
}

const fmtPct = (value) => `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`;

/** Vertical bars, one per label (ESG distribution). */
export function barChart(container, counts) {
  const width = 320, height = 200, top = 24, bottom = 40, left = 10, right = 10;
  const entries = Object.entries(counts);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const svg = frame(container, width, height, `ESG 분류 분포: ${entries.map(([k, n]) => `${k} ${n}건`).join(", ")}`);
  if (!total) return empty(svg, width, height);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const plotH = height - top - bottom;
  const slot = (width - left - right) / entries.length;
  const barW = Math.min(54, slot * 0.62);
  svgEl("line", { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: "axis" }, svg);
  entries.forEach(([label, n], i) => {
    const h = total ? (n / max) * plotH : 0;
    const x = left + slot * i + (slot - barW) / 2;
    const y = top + plotH - h;
    const bar = svgEl("rect", { x, y, width: barW, height: Math.max(h, n ? 2 : 0), rx: 4,
      class: `bar fill-${tone(label)}`, "data-label": label, "data-count": n }, svg);
    svgEl("title", {}, bar, `${label} ${CATEGORY_NAMES[label] || ""}: ${n}건`);
    svgEl("text", { x: x + barW / 2, y: y - 6, "text-anchor": "middle", class: "value-label" }, svg, `${n}`);
    svgEl("text", { x: x + barW / 2, y: top + plotH + 16, "text-anchor": "middle", class: "value-label" }, svg, label);
    if (CATEGORY_NAMES[label] && CATEGORY_NAMES[label] !== label) {
      svgEl("text", { x: x + barW / 2, y: top + plotH + 31, "text-anchor": "middle", class: "tick" }, svg,
        CATEGORY_NAMES[label]);
    }
  });
}

function arc(cx, cy, r, inner, start, end) {
  const point = (radius, angle) => [cx + radius * Math.sin(angle), cy - radius * Math.cos(angle)];
  const large = end - start > Math.PI ? 1 : 0;
  const [x1, y1] = point(r, start), [x2, y2] = point(r, end);
  const [x3, y3] = point(inner, end), [x4, y4] = point(inner, start);
  return `M${x1} ${y1}A${r} ${r} 0 ${large} 1 ${x2} ${y2}L${x3} ${y3}A${inner} ${inner} 0 ${large} 0 ${x4} ${y4}Z`;
}

/** A donut with a legend (sentiment distribution). */
export function donutChart(container, counts) {
  const width = 320, height = 200, cx = 96, cy = 100, r = 78, inner = 50;
  const entries = Object.entries(counts);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const svg = frame(container, width, height, `감성 분포: ${entries.map(([k, n]) => `${k} ${n}건`).join(", ")}`);
  if (!total) {
    svgEl("circle", { cx, cy, r: (r + inner) / 2, fill: "none", stroke: "#e3e8ee", "stroke-width": r - inner }, svg);
  }
  let angle = 0;
  for (const [label, n] of entries) {
    if (!n) continue;
    const sweep = (n / total) * Math.PI * 2;
    // A full circle cannot be one arc: draw it as two halves.
    const parts = sweep >= Math.PI * 2 - 1e-6 ? [[0, Math.PI], [Math.PI, Math.PI * 2]] : [[angle, angle + sweep]];
    for (const [a, b] of parts) {
      const slice = svgEl("path", { d: arc(cx, cy, r, inner, a, b), class: `slice fill-${tone(label)}`,
        "data-label": label, "data-count": n }, svg);
      svgEl("title", {}, slice, `${label}: ${n}건 (${fmtPct(n / total)})`);
    }
    angle += sweep;
  }
  svgEl("text", { x: cx, y: cy + 4, "text-anchor": "middle", class: "center-label" }, svg, `${total}`);
  svgEl("text", { x: cx, y: cy + 22, "text-anchor": "middle", class: "center-sub" }, svg, "건");
  entries.forEach(([label, n], i) => {
    const y = 62 + i * 30;
    svgEl("rect", { x: 196, y: y - 10, width: 12, height: 12, rx: 3, class: `fill-${tone(label)}` }, svg);
    svgEl("text", { x: 214, y, class: "value-label" }, svg, label);
    svgEl("text", { x: 250, y, class: "tick" }, svg, `${n}건 · ${total ? fmtPct(n / total) : "0%"}`);
  });
}

/** One stacked bar per category, split by sentiment (sentiment per ESG category). */
export function stackedBars(container, byCategory) {
  const rows = Object.entries(byCategory);
  const rowH = 34, top = 8, left = 70, right = 34, width = 320;
  const height = top + rows.length * rowH + 30;
  const svg = frame(container, width, height, "카테고리별 감성 분포");
  const totals = rows.map(([, counts]) => Object.values(counts).reduce((a, b) => a + b, 0));
  if (!totals.some(Boolean)) return empty(svg, width, height);
  const max = Math.max(1, ...totals);
  const plotW = width - left - right;
  rows.forEach(([category, counts], i) => {
    const y = top + i * rowH;
    svgEl("text", { x: 0, y: y + 17, class: "value-label" }, svg, category);
    if (CATEGORY_NAMES[category] && CATEGORY_NAMES[category] !== category) {
      svgEl("text", { x: 22, y: y + 17, class: "tick" }, svg, CATEGORY_NAMES[category]);
    }
    svgEl("rect", { x: left, y: y + 4, width: plotW, height: 18, rx: 4, fill: "#f0f4f7" }, svg);
    let x = left;
    for (const [sentiment, n] of Object.entries(counts)) {
      if (!n) continue;
      const w = (n / max) * plotW;
      const seg = svgEl("rect", { x, y: y + 4, width: w, height: 18, class: `seg fill-${tone(sentiment)}`,
        "data-category": category, "data-sentiment": sentiment, "data-count": n }, svg);
      svgEl("title", {}, seg, `${category} · ${sentiment}: ${n}건`);
      if (w >= 18) {
        svgEl("text", { x: x + w / 2, y: y + 17, "text-anchor": "middle", class: "value-label inside-label" }, svg, `${n}`);
      }
      x += w;
    }
    svgEl("text", { x: width - right + 6, y: y + 17, class: "tick" }, svg, `${totals[i]}`);
  });
  const legendY = top + rows.length * rowH + 14;
  SENTIMENTS.forEach((label, i) => {
    const x = left + i * 70;
    svgEl("rect", { x, y: legendY - 9, width: 10, height: 10, rx: 2, class: `fill-${label}` }, svg);
    svgEl("text", { x: x + 15, y: legendY, class: "tick" }, svg, label);
  });
}

/** Counts per category (stacked columns) and the negative share (line) per history snapshot. */
export function historyChart(container, records, formatTime) {
  // Drawn at the container's pixel width so labels stay readable on a phone.
  const width = Math.round(Math.max(320, Math.min(1000, container.clientWidth || 720)));
  const height = width < 520 ? 240 : 290, top = 30, bottom = 46, left = 36, right = 44;
  const snapshots = [...records].reverse(); // oldest first
  const svg = frame(container, width, height, `분석 기록 ${snapshots.length}건: 분류별 기사 수와 부정 비율`);
  if (!snapshots.length) return empty(svg, width, height);
  const categories = [...CATEGORIES];
  for (const s of snapshots) {
    for (const key of Object.keys(s.esg_distribution || {})) if (!categories.includes(key)) categories.push(key);
  }
  const totals = snapshots.map((s) => categories.reduce((sum, c) => sum + ((s.esg_distribution || {})[c] || 0), 0));
  const max = Math.max(1, ...totals);
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = plotW / snapshots.length;
  const barW = Math.max(6, Math.min(42, slot * 0.55));
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotH - fraction * plotH;
    svgEl("line", { x1: left, x2: width - right, y1: y, y2: y, class: "axis" }, svg);
    svgEl("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, svg, `${Math.round(max * fraction)}`);
    svgEl("text", { x: width - right + 6, y: y + 4, class: "tick" }, svg, `${fraction * 100}%`);
  }
  svgEl("text", { x: 0, y: top - 16, class: "tick" }, svg, "기사 수");
  svgEl("text", { x: width, y: top - 16, "text-anchor": "end", class: "tick" }, svg, "부정 비율");
  const labelEvery = Math.ceil(snapshots.length / Math.max(2, Math.floor(plotW / 70)));
  const points = [];
  snapshots.forEach((s, i) => {
    const cx = left + slot * i + slot / 2;
    let y = top + plotH;
    const group = svgEl("g", { class: "snapshot", "data-id": s.id }, svg);
    svgEl("title", {}, group, `${formatTime(s.time)} · ${totals[i]}건 · 부정 ${fmtPct(s.negative_ratio || 0)}`);
    for (const c of categories) {
      const n = (s.esg_distribution || {})[c] || 0;
      if (!n) continue;
      const h = (n / max) * plotH;
      y -= h;
      svgEl("rect", { x: cx - barW / 2, y, width: barW, height: h, class: `fill-${tone(c)}` }, group);
    }
    points.push([cx, top + plotH - (s.negative_ratio || 0) * plotH]);
    if ((snapshots.length - 1 - i) % labelEvery === 0) { // counted from the newest, which is always labelled
      const [day, time] = formatTime(s.time, true);
      svgEl("text", { x: cx, y: top + plotH + 16, "text-anchor": "middle", class: "tick" }, svg, day);
      svgEl("text", { x: cx, y: top + plotH + 30, "text-anchor": "middle", class: "tick" }, svg, time);
    }
  });
  if (points.length > 1) {
    svgEl("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "negline" }, svg);
  }
  for (const [x, y] of points) svgEl("circle", { cx: x, cy: y, r: 4, class: "negdot" }, svg);
}
