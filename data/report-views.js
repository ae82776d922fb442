// The document view and the corpus view of marginalia's report (helpers in report.js).
"use strict";
(function () {
  const M = window.marginalia;
  const { el, svgEl, activate, dataTable, tabs, figure, bars, heatmap, num, col } = M;

  // ---- a document ------------------------------------------------------------------------------------------
  window.marginaliaDocument = function (root, v, index) {
    const docs = M.page.documents;
    const row = docs.rows.find((r) => r[0] === v.id) || [];
    const field = (name) => row[col(docs, name)] || "";
    const bytes = num(field("bytes")) || 1;
    const sentenceIndex = new Map(v.sentences.map((s, i) => [s[0], i]));
    const t = v.tables;
    root.append(el("h2", { id: "document-heading", text: v.id }));
    root.append(figures(field));

    const columns = el("div", { class: "columns" });
    const left = el("div");
    const textPane = el("section", { class: "text-pane", "aria-labelledby": "text-heading" });
    columns.append(left, textPane);
    root.append(columns);

    // The concordance panel: lines of a theme, word or tone category; a line opens the text at its sentence.
    const conc = el("section", { id: "concordance", "aria-live": "polite" }, el("h3", { id: "concordance-heading", text: "Concordance" }),
      el("p", { class: "note", text: "Choose a theme, a word or a tone category (in a chart or a table) to list its lines." }));
    function lines(title, items, note) {
      const rows = items.map((x) => [String(x.sid), x.left, x.keyword, x.right]);
      const table = { file: note, written: true, columns: ["sentence_id", "left", "keyword", "right"], rows: rows, total: rows.length };
      conc.replaceChildren(el("h3", { id: "concordance-heading", text: title }),
        dataTable({ name: "concordance-lines", table: table, onRow: (r) => openText(Number(r[0])) }));
      conc.querySelectorAll("tbody tr").forEach((tr, i) => { tr.dataset.sid = String(items[i].sid); });
      conc.scrollIntoView({ block: "nearest" });
    }
    function themeLines(theme) {
      const c = t.concordance;
      const rows = c.rows.filter((r) => r[col(c, "theme")] === theme);
      lines("Concordance: theme " + theme, rows.map((r) => ({ sid: num(r[col(c, "sentence_id")]), left: r[col(c, "left")], keyword: r[col(c, "keyword")], right: r[col(c, "right")] })), "concordance.csv");
    }
    function spanLines(title, marks) {
      lines(title, marks.slice(0, M.page.cap).map((m) => {
        const s = v.sentences[sentenceIndex.get(m[0])];
        return { sid: m[0], left: s[4].slice(Math.max(0, m[1] - 80), m[1]), keyword: s[4].slice(m[1], m[2]), right: s[4].slice(m[2], m[2] + 80) };
      }), "tone_markers.csv");
    }
    function toneLines(tone) {
      spanLines("Concordance: tone " + tone, v.marks.filter((m) => m[3] === "tone" && m[4].split("|").includes(tone)));
    }
    function wordLines(term, forms) {
      const escaped = forms.split("|").filter(Boolean).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      const re = new RegExp("(?<![\\p{L}\\p{N}])(?:" + escaped.join("|") + ")(?![\\p{L}\\p{N}])", "giu");
      const found = [];
      for (const s of v.sentences) {
        for (const m of s[4].matchAll(re)) {
          if (found.length < M.page.cap) found.push([s[0], m.index, m.index + m[0].length]);
        }
      }
      spanLines("Concordance: word " + term, found);
    }

    // Charts.
    const themes = t.themes, tone = t.tone, vocab = t.vocabulary;
    const charts = el("div", { class: "charts" });
    const rate = (tb, key, label) => tb.rows.map((r) => ({ key: r[col(tb, key)], label: r[col(tb, label)] || r[col(tb, key)], value: num(r[col(tb, "per_10k")]) || 0, text: r[col(tb, "per_10k")] + " (" + r[col(tb, "count")] + ")" }))
      .sort((a, z) => z.value - a.value);
    charts.append(figure("Themes per 10,000 words (count); choose one for its concordance", bars(rate(themes, "theme", "label"), themeLines, "Themes")));
    charts.append(figure("Tone categories per 10,000 words; choose one for its markers", bars(rate(tone, "tone", "label"), toneLines, "Tone")));
    const top = vocab.rows.filter((r) => r[col(vocab, "stopword")] !== "true").slice(0, 25);
    charts.append(figure("Top words (not stopwords), by count; choose one for its lines",
      bars(top.map((r) => ({ key: r[col(vocab, "term")], label: r[col(vocab, "term")], value: num(r[col(vocab, "count")]), text: r[col(vocab, "count")] })),
        (term) => { const r = top.find((x) => x[col(vocab, "term")] === term); wordLines(term, r[col(vocab, "forms")]); }, "Top words")));
    charts.append(figure("Sentiment arc (smoothed compound, start to end); choose a point to read there", arc(t.arc, bytes)));
    charts.append(figure("Theme trend: per 10,000 words in each segment", trend(t.trend)));
    charts.append(figure("Quotations along the text; choose one to read it", strip(t.quotes, bytes)));
    left.append(el("h3", { text: "Charts" }), charts, conc);

    // Tables.
    const quoteRow = (r) => openText(num(r[col(t.quotes, "sentence_id")]), "quote", r[col(t.quotes, "quote_id")]);
    left.append(el("h3", { text: "Tables" }), tabs("Tables of " + v.id, [
      ["Themes", dataTable({ name: "themes", table: themes, onRow: (r) => themeLines(r[col(themes, "theme")]) })],
      ["Tone", dataTable({ name: "tone", table: tone, onRow: (r) => toneLines(r[col(tone, "tone")]) })],
      ["Vocabulary", dataTable({ name: "vocabulary", table: vocab, onRow: (r) => wordLines(r[col(vocab, "term")], r[col(vocab, "forms")]) })],
      ["N-grams", dataTable({ name: "ngrams", table: t.ngrams })],
      ["Collocations", dataTable({ name: "collocations", table: t.collocations })],
      ["Quotations", dataTable({ name: "quotes", table: t.quotes, onRow: quoteRow })],
      ["Keyness", dataTable({ name: "keyness", table: t.keyness })],
      ["Concordance", dataTable({ name: "concordance", table: t.concordance, onRow: (r) => openText(num(r[col(t.concordance, "sentence_id")])) })],
    ]));

    // The text, rebuilt from sentences.csv, with its marks.
    const text = buildText(v);
    const toggles = el("div", { class: "toggles" });
    [["theme", "Theme words"], ["tone", "Tone markers"], ["quote", "Quotations"]].forEach(([kind, label]) => {
      const box = el("input", { type: "checkbox", id: "toggle-" + kind });
      box.addEventListener("change", () => text.classList.toggle("show-" + kind, box.checked));
      toggles.append(el("label", { for: "toggle-" + kind }, box, el("span", { class: "swatch", style: "background: var(--" + kind + ")" }), label));
    });
    const more = v.sentences_total > v.sentences.length ? "First " + v.sentences.length + " of " + v.sentences_total + " sentences; all in sentences.csv." : "";
    textPane.append(el("h3", { id: "text-heading", text: "Text" }), toggles);
    if (more) textPane.append(el("p", { class: "note", text: more }));
    if (v.marks_total > v.marks.length) {
      textPane.append(el("p", { class: "note", text: "The first " + v.marks.length.toLocaleString("en") + " of " + v.marks_total.toLocaleString("en") +
        " theme words, tone markers and quotations are highlighted; all in concordance.csv, tone_markers.csv and quotes.csv." }));
    }
    textPane.append(text);

    function openText(sid, kind, key) {
      text.querySelectorAll(".highlight").forEach((n) => n.classList.remove("highlight"));
      const target = kind ? text.querySelector(".m-" + kind + "[data-key=\"" + CSS.escape(key) + "\"]") : null;
      const sentence = document.getElementById("s-" + sid);
      const node = target || sentence;
      if (!node) return;
      (sentence || node).classList.add("highlight");
      if (target) target.classList.add("highlight");
      node.scrollIntoView({ block: "center" });
      (sentence || node).focus({ preventScroll: true });
    }
    function arc(a, _bytes) {
      const w = 520, h = 220, pad = 30;
      const svg = svgEl("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": "Sentiment arc" });
      const x = (p) => pad + p * (w - 2 * pad), y = (c) => h / 2 - c * (h / 2 - pad);
      svg.append(svgEl("line", { x1: pad, x2: w - pad, y1: y(0), y2: y(0), stroke: "#ccc" }));
      svg.append(svgEl("text", { x: 2, y: y(1) + 4, text: "+1" }), svgEl("text", { x: 2, y: y(-1) + 4, text: "−1" }));
      const pts = a.rows.map((r) => ({ p: num(r[col(a, "position")]), c: num(r[col(a, "smoothed")]), point: r[col(a, "point")] })).filter((d) => !isNaN(d.p) && !isNaN(d.c));
      svg.append(svgEl("polyline", { points: pts.map((d) => x(d.p) + "," + y(d.c)).join(" "), fill: "none", stroke: M.page.palette[0], "stroke-width": 2 }));
      pts.forEach((d) => {
        const dot = svgEl("circle", { cx: x(d.p), cy: y(d.c), r: 5, fill: M.page.palette[1], class: "hit", tabindex: "0", role: "button", "aria-label": "Arc point " + d.point + ": " + d.c, "data-point": d.point });
        dot.append(svgEl("title", { text: "point " + d.point + ": " + d.c }));
        activate(dot, () => openText(nearest(d.p)));
        svg.append(dot);
      });
      if (!pts.length) svg.append(svgEl("text", { x: 10, y: 20, text: "No sentiment scores" }));
      return svg;
    }
    // The sentence whose middle is nearest `p` (0 to 1 along the text, by bytes, as arc.csv places its points).
    function nearest(p) {
      let best = null, gap = Infinity;
      for (const s of v.sentences) {
        const d = Math.abs((s[2] + s[3]) / 2 / bytes - p);
        if (d < gap) { gap = d; best = s[0]; }
      }
      return best;
    }
    function trend(tr) {
      const names = [...new Set(tr.rows.map((r) => r[col(tr, "theme")]))];
      const segments = [...new Set(tr.rows.map((r) => r[col(tr, "segment")]))];
      const cells = new Map(tr.rows.map((r) => [r[col(tr, "theme")] + "\u0000" + r[col(tr, "segment")], num(r[col(tr, "per_10k")])]));
      return heatmap(names, segments, (r, c) => { const x = cells.get(names[r] + "\u0000" + segments[c]); return x === undefined ? NaN : x; }, "Theme trend");
    }
    function strip(q, _bytes) {
      const w = 520, h = 70, pad = 10;
      const svg = svgEl("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": "Quotations along the text" });
      svg.append(svgEl("line", { x1: pad, x2: w - pad, y1: h / 2, y2: h / 2, stroke: "#999" }));
      const kinds = ["term", "phrase", "dialogue"];
      q.rows.forEach((r) => {
        const s = v.sentences[sentenceIndex.get(num(r[col(q, "sentence_id")]))];
        if (!s) return;
        const kind = r[col(q, "kind")];
        const xx = pad + (s[2] / bytes) * (w - 2 * pad);
        const tick = svgEl("rect", { x: xx - 1.5, y: 12, width: 3, height: h - 24, fill: M.page.palette[Math.max(0, kinds.indexOf(kind)) + 1], class: "hit", tabindex: "0", role: "button", "aria-label": "Quotation " + r[col(q, "quote_id")] + " (" + kind + ")" });
        tick.append(svgEl("title", { text: r[col(q, "text")] }));
        activate(tick, () => quoteRow(r));
        svg.append(tick);
      });
      if (!q.rows.length) svg.append(svgEl("text", { x: 10, y: 20, text: "No quotations" }));
      return svg;
    }
  };

  function figures(field) {
    const dl = el("dl", { class: "figures" });
    [["tokens", "Words"], ["sentences", "Sentences"], ["paragraphs", "Paragraphs"], ["types", "Distinct forms"], ["type_token_ratio", "Type-token ratio"],
      ["mattr", "MATTR"], ["mtld", "MTLD"], ["lexical_density", "Lexical density"], ["mean_sentence_words", "Words per sentence"],
      ["flesch_reading_ease", "Flesch reading ease"], ["mean_compound", "Mean sentiment (compound)"], ["positive_sentences", "Positive sentences"],
      ["negative_sentences", "Negative sentences"], ["quotes", "Quotations"], ["quoted_words", "Quoted words"]].forEach(([name, label]) => {
      dl.append(el("div", {}, el("dt", { text: label }), el("dd", { "data-field": name, text: field(name) || "—" })));
    });
    return dl;
  }

  // Paragraphs of sentences; each sentence's marks cut it into runs, each run carrying the classes of the marks over it.
  function buildText(v) {
    const box = el("div", { class: "text" });
    const bySentence = new Map();
    v.marks.forEach((m) => { if (!bySentence.has(m[0])) bySentence.set(m[0], []); bySentence.get(m[0]).push(m); });
    let para = null, pid = null;
    for (const s of v.sentences) {
      if (s[1] !== pid) { para = el("p"); box.append(para); pid = s[1]; }
      const span = el("span", { class: "s", id: "s-" + s[0], tabindex: "-1", "data-sid": String(s[0]) });
      const marks = bySentence.get(s[0]) || [];
      const cuts = [...new Set([0, s[4].length, ...marks.flatMap((m) => [m[1], m[2]])])].sort((a, z) => a - z);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const [a, z] = [cuts[i], cuts[i + 1]];
        const over = marks.filter((m) => m[1] <= a && m[2] >= z);
        const piece = s[4].slice(a, z);
        if (!over.length) { span.append(document.createTextNode(piece)); continue; }
        const run = el("span", { class: over.map((m) => "m-" + m[3]).join(" "), text: piece });
        const first = over.find((m) => m[3] === "quote") || over[0];
        run.dataset.key = first[4];
        span.append(run);
      }
      para.append(span, document.createTextNode(" "));
    }
    return box;
  }

  // ---- the corpus ------------------------------------------------------------------------------------------
  window.marginaliaCorpus = function (root) {
    const c = M.page.corpus, docs = M.page.documents;
    root.append(el("h2", { id: "corpus-heading", text: "Corpus" }));
    const place = new Map(M.page.views.map((id, i) => [id, i]));
    const open = (r) => { if (place.has(r[0])) M.showDocument(place.get(r[0])); };
    const shown = ["document", "group", "tokens", "sentences", "types", "mattr", "mean_compound", "positive_sentences", "negative_sentences", "quotes", "flesch_reading_ease"];
    root.append(el("h3", { text: "Documents" }),
      el("p", { class: "note", text: "Choose a document to open its view (the first " + M.page.views.length + " have one)." }),
      dataTable({ name: "documents", table: docs, columns: shown.filter((n) => docs.columns.includes(n) && (n !== "group" || M.page.groups.rows.length)), onRow: open }));
    if (M.page.groups.rows.length) root.append(el("h3", { text: "Groups side by side" }), groupsTables(c));
    root.append(el("h3", { text: "Similarity (cosine, most frequent words)" }), similarity(c.similarity));
    root.append(tabs("Corpus tables", [
      ["Corpus vocabulary", dataTable({ name: "corpus_vocabulary", table: c.vocabulary })],
      ["Keyness", dataTable({ name: "corpus_keyness", table: c.keyness })],
    ]));
  };

  function groupsTables(c) {
    const g = M.page.groups;
    const pivot = (tb, key, name) => {
      const groups = [...new Set(tb.rows.map((r) => r[col(tb, "group")]))];
      const keys = [...new Set(tb.rows.map((r) => r[col(tb, key)]))];
      const cell = new Map(tb.rows.map((r) => [r[col(tb, key)] + "\u0000" + r[col(tb, "group")], r[col(tb, "per_10k")]]));
      const table = { file: tb.file, written: tb.written, columns: [key].concat(groups), rows: keys.map((k) => [k].concat(groups.map((gr) => cell.get(k + "\u0000" + gr) || ""))), total: keys.length };
      return dataTable({ name: name, table: table, caption: "per 10,000 words, by group" });
    };
    const sentiment = { file: g.file, written: true, columns: ["group", "documents", "tokens", "mean_compound", "positive_sentences", "negative_sentences"], total: g.rows.length,
      rows: g.rows.map((r) => ["group", "documents", "tokens", "mean_compound", "positive_sentences", "negative_sentences"].map((n) => (col(g, n) >= 0 ? r[col(g, n)] : ""))) };
    return tabs("Groups", [
      ["Themes", pivot(c.group_themes, "theme", "group_themes")],
      ["Tones", pivot(c.group_tone, "tone", "group_tone")],
      ["Sentiment", dataTable({ name: "group_sentiment", table: sentiment })],
    ]);
  }

  function similarity(s) {
    if (!s.rows.length) return el("p", { class: "note", text: "similarity.csv has no pairs." });
    const ids = [...new Set(s.rows.flatMap((r) => [r[0], r[1]]))];
    const value = new Map();
    s.rows.forEach((r) => { value.set(r[0] + "\u0000" + r[1], num(r[2])); value.set(r[1] + "\u0000" + r[0], num(r[2])); });
    const fig = figure("Cosine similarity of each pair (brighter: more alike, from the least alike pair to the most); first " + ids.length + " documents",
      heatmap(ids, ids, (a, b) => (a === b ? NaN : value.get(ids[a] + "\u0000" + ids[b]) ?? NaN), "Similarity heatmap", true));
    return fig;
  }
})();
