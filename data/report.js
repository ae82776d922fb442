// marginalia's report. Every cell goes into the page with textContent, never as markup; the data comes from the
// JSON elements the run wrote (script-safe), one per document view, parsed when that view is opened.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const page = JSON.parse(document.getElementById("data").textContent);
  const palette = page.palette;
  const views = new Map();

  // ---- small DOM helpers ------------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    children.forEach((c) => c && node.append(c));
    return node;
  }
  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    // A chart is drawn at its own size (CSS shrinks it to fit, never blows it up).
    if (tag === "svg" && attrs.viewBox) {
      const [, , w, h] = attrs.viewBox.split(" ");
      node.setAttribute("width", w);
      node.setAttribute("height", h);
    }
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    return node;
  }
  function activate(node, action) {
    node.addEventListener("click", action);
    node.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); action(); } });
  }
  const num = (s) => (s === "" || s == null ? NaN : Number(s));
  const col = (table, name) => table.columns.indexOf(name);

  // ---- sortable, filterable tables ------------------------------------------------------------------------
  // `spec`: {name, table, columns (names shown), onRow(row), caption}
  function dataTable(spec) {
    const t = spec.table;
    const wrap = el("div", { class: "data-table", "data-table": spec.name });
    if (!t.written) {
      wrap.append(el("p", { class: "note", text: t.file + " was not written (--skip-tables)." }));
      return wrap;
    }
    const shown = (spec.columns || t.columns).map((c) => col(t, c)).filter((i) => i >= 0);
    const numeric = shown.map((i) => t.rows.length > 0 && t.rows.every((r) => r[i] === "" || !isNaN(num(r[i]))));
    let rows = t.rows.slice();
    const filter = el("input", { type: "search", class: "filter", placeholder: "Filter rows", "aria-label": "Filter " + spec.name });
    const tbody = el("tbody");
    const head = el("tr");
    let sorted = { index: -1, dir: 1 };
    shown.forEach((i, k) => {
      const th = el("th", { scope: "col" });
      const b = el("button", { type: "button", text: t.columns[i], title: "Sort by " + t.columns[i] });
      b.addEventListener("click", () => {
        sorted = { index: k, dir: sorted.index === k ? -sorted.dir : (numeric[k] ? -1 : 1) };
        head.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", sorted.dir > 0 ? "ascending" : "descending");
        const cmp = numeric[k]
          ? (a, z) => (num(a[i]) || 0) - (num(z[i]) || 0)
          : (a, z) => a[i].localeCompare(z[i]);
        rows.sort((a, z) => sorted.dir * cmp(a, z));
        render();
      });
      th.append(b);
      head.append(th);
    });
    function render() {
      const q = filter.value.trim().toLowerCase();
      const body = document.createDocumentFragment();
      for (const r of rows) {
        if (q && !shown.some((i) => r[i].toLowerCase().includes(q))) continue;
        const tr = el("tr");
        shown.forEach((i, k) => tr.append(el("td", { class: numeric[k] ? "num" : "", text: r[i] })));
        if (spec.onRow) {
          tr.className = "clickable";
          tr.tabIndex = 0;
          activate(tr, () => spec.onRow(r));
        }
        body.append(tr);
      }
      tbody.replaceChildren(body);
    }
    filter.addEventListener("input", render);
    render();
    const note = t.total > t.rows.length
      ? "First " + t.rows.length.toLocaleString("en") + " of " + t.total.toLocaleString("en") + " rows; all in " + t.file + "."
      : t.total + " row" + (t.total === 1 ? "" : "s") + " of " + t.file + ".";
    const table = el("table", {}, spec.caption ? el("caption", { class: "note", text: spec.caption }) : null, el("thead", {}, head), tbody);
    wrap.append(filter, el("div", { class: "table-wrap" }, table), el("p", { class: "note", text: note }));
    return wrap;
  }

  // Tabs of tables: real buttons, one panel shown at a time (all when printing).
  function tabs(label, panels) {
    const bar = el("div", { class: "tabs", role: "tablist", "aria-label": label });
    const box = el("div");
    panels.forEach(([name, node], i) => {
      const id = "panel-" + label.replace(/\W/g, "") + "-" + i;
      const b = el("button", { type: "button", role: "tab", "aria-controls": id, "aria-selected": String(i === 0), text: name });
      const panel = el("div", { role: "tabpanel", id: id, "aria-label": name }, el("h3", { text: name }), node);
      panel.hidden = i !== 0;
      b.addEventListener("click", () => {
        bar.querySelectorAll("button").forEach((x) => x.setAttribute("aria-selected", "false"));
        box.querySelectorAll("[role=tabpanel]").forEach((p) => { p.hidden = true; });
        b.setAttribute("aria-selected", "true");
        panel.hidden = false;
      });
      bar.append(b);
      box.append(panel);
    });
    return el("div", {}, bar, box);
  }

  // ---- charts (SVG, drawn from the same rows as the PNGs) ----------------------------------------------------
  function figure(caption, svg) {
    return el("figure", {}, el("figcaption", { text: caption }), svg);
  }
  function bars(items, onPick, label) {
    const h = 18, left = 190, width = 560;
    const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + (items.length * h + 10), role: "img", "aria-label": label });
    const max = Math.max(1e-9, ...items.map((d) => d.value));
    items.forEach((d, i) => {
      const y = 5 + i * h;
      const g = svgEl("g", { class: onPick ? "hit" : "", tabindex: onPick ? "0" : "-1", role: onPick ? "button" : "img", "aria-label": d.label + ": " + d.text, "data-key": d.key });
      g.append(svgEl("title", { text: d.label + ": " + d.text }));
      g.append(svgEl("text", { x: left - 6, y: y + 12, "text-anchor": "end", text: d.label.length > 28 ? d.label.slice(0, 27) + "…" : d.label }));
      g.append(svgEl("rect", { x: left, y: y + 2, height: h - 5, width: Math.max(0.5, (d.value / max) * (width - left - 70)), fill: palette[0] }));
      g.append(svgEl("text", { x: left + (d.value / max) * (width - left - 70) + 4, y: y + 12, text: d.text }));
      if (onPick) activate(g, () => onPick(d.key));
      svg.append(g);
    });
    if (!items.length) svg.append(svgEl("text", { x: 10, y: 20, text: "Nothing to show" }));
    return svg;
  }
  // viridis at five stops, interpolated: the sequential scale of the PNG heatmaps.
  const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function viridis(t) {
    const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
    const c = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f));
    return "rgb(" + c.join(",") + ")";
  }
  function heatmap(rowsLabels, colsLabels, value, label, fromLeast) {
    // Long column labels (documents) stand upright; short ones (segments) lie above their column.
    const upright = colsLabels.some((l) => String(l).length > 3);
    const cell = Math.max(6, Math.min(28, Math.floor(560 / Math.max(1, colsLabels.length)))), left = 150;
    const top = upright ? 30 + 6 * Math.min(24, Math.max(...colsLabels.map((l) => String(l).length))) : 34;
    const svg = svgEl("svg", { viewBox: "0 0 " + (left + cell * colsLabels.length + 10) + " " + (top + cell * rowsLabels.length + 10), role: "img", "aria-label": label });
    // Rates are coloured from 0 to the greatest, as the PNG heatmaps are; with `fromLeast` (similarities, all
    // near 1) from the least to the greatest, so that the differences show.
    const values = [].concat(...rowsLabels.map((_, r) => colsLabels.map((_, c) => value(r, c)))).filter((v) => !isNaN(v));
    const max = Math.max(0, ...values), min = fromLeast && values.length ? Math.min(...values) : 0;
    rowsLabels.forEach((rl, r) => {
      if (cell >= 9 || r % Math.ceil(9 / cell) === 0) svg.append(svgEl("text", { x: left - 4, y: top + r * cell + cell * 0.75, "text-anchor": "end", text: rl.length > 24 ? rl.slice(0, 23) + "…" : rl }));
      colsLabels.forEach((cl, c) => {
        const v = value(r, c);
        // No element per cell beyond its rect (a 100 × 100 heatmap is 10,000): one readout answers the pointer.
        svg.append(svgEl("rect", { x: left + c * cell, y: top + r * cell, width: cell - 1, height: cell - 1, fill: isNaN(v) ? "#ccc" : viridis((v - min) / (max - min || 1)), "data-r": r, "data-c": c }));
      });
    });
    const readout = svgEl("text", { x: 4, y: 12, class: "readout" });
    svg.append(readout);
    svg.addEventListener("pointerover", (e) => {
      const r = Number(e.target.dataset.r), c = Number(e.target.dataset.c);
      if (e.target.dataset.r === undefined) return;
      const v = value(r, c);
      readout.textContent = rowsLabels[r] + " × " + colsLabels[c] + ": " + (isNaN(v) ? "no value" : v);
    });
    colsLabels.forEach((cl, c) => {
      if (cell < 9 && c % Math.ceil(9 / cell) !== 0) return;
      const x = left + c * cell + cell * 0.7, label = String(cl).length > 24 ? String(cl).slice(0, 23) + "…" : String(cl);
      svg.append(upright
        ? svgEl("text", { x: x, y: top - 4, transform: "rotate(-90 " + x + " " + (top - 4) + ")", text: label })
        : svgEl("text", { x: left + c * cell + cell / 2, y: top - 5, "text-anchor": "middle", text: label }));
    });
    return svg;
  }

  // ---- navigation ------------------------------------------------------------------------------------------
  const select = document.getElementById("document-select");
  const corpusButton = document.getElementById("corpus-button");
  const corpusView = document.getElementById("corpus-view");
  const documentView = document.getElementById("document-view");
  function view(i) {
    if (!views.has(i)) views.set(i, JSON.parse(document.getElementById("doc-" + i).textContent));
    return views.get(i);
  }
  function showCorpus() {
    documentView.hidden = true;
    corpusView.hidden = false;
    corpusButton.setAttribute("aria-pressed", "true");
    select.value = "";
  }
  function showDocument(i) {
    corpusView.hidden = true;
    corpusButton.setAttribute("aria-pressed", "false");
    select.value = String(i);
    documentView.replaceChildren();
    window.marginaliaDocument(documentView, view(i), i);
    documentView.hidden = false;
    documentView.dataset.view = String(i);
  }
  window.marginalia = { page, el, svgEl, activate, dataTable, tabs, figure, bars, heatmap, viridis, num, col, showDocument, showCorpus };

  document.addEventListener("DOMContentLoaded", () => {
    const docs = page.documents;
    document.getElementById("cap").textContent = page.cap.toLocaleString("en");
    document.getElementById("summary").textContent = docs.total.toLocaleString("en") + " document" + (docs.total === 1 ? "" : "s") +
      (page.views.length < docs.total ? "; the first " + page.views.length + " have a document view (--document-charts)" : "");
    if (page.corpus) select.append(el("option", { value: "", text: "— corpus —" }));
    page.views.forEach((id, i) => select.append(el("option", { value: String(i), text: id })));
    select.addEventListener("change", () => (select.value === "" ? showCorpus() : showDocument(Number(select.value))));
    if (page.corpus) {
      corpusButton.hidden = false;
      corpusButton.addEventListener("click", showCorpus);
      window.marginaliaCorpus(corpusView);
      showCorpus();
    } else if (page.views.length) {
      showDocument(0);
    }
  });
})();
