// The network view's page script. Every string from the data goes into the DOM as text
// (textContent / createTextNode), never as markup; tooltips are DOM elements, not HTML strings.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const FADED_NODE = { background: "#eceef1", border: "#d5d9de" };
  const FADED_EDGE = "#e3e6ea";
  const typeColor = Object.fromEntries(data.types.map((t) => [t.type, t.color]));

  // --- helpers ---------------------------------------------------------------------------
  function articleHref(id) { return data.articleBase + encodeURIComponent(id); }
  function viewHref(centers) {
    const params = new URLSearchParams();
    for (const center of centers) params.append("center", center);
    for (const [key, value] of Object.entries(data.query || {})) {
      if (key !== "center") for (const item of [].concat(value)) params.append(key, item);
    }
    return data.viewBase + "?" + params.toString();
  }
  function definitions(pairs) {
    const dl = el("dl");
    for (const [term, value] of pairs) {
      if (value === null || value === undefined || value === "" ||
          (Array.isArray(value) && value.length === 0)) continue;
      dl.append(el("dt", {}, term), el("dd", {}, Array.isArray(value) ? value.join(", ") : String(value)));
    }
    return dl;
  }
  function source(outlet, date) { return [outlet, date].filter(Boolean).join(" · "); }
  function articleLink(id, title, withLinks) {
    if (!id) return null;
    const text = title ? title : "article " + id;
    return withLinks ? el("a", { href: articleHref(id), target: "_blank", rel: "noopener" }, text)
      : el("span", {}, text + " (" + data.articleBase + id + ")");
  }
  function evidenceBlock(items, withLinks) {
    const box = el("div");
    const shown = withLinks ? items : items.slice(0, 2);
    for (const item of shown) {
      if (item.sentence) box.append(el("blockquote", {}, item.sentence));
      const link = articleLink(item.articleId, item.articleTitle, withLinks);
      const where = source(item.outlet, item.date);
      if (link || where) box.append(el("div", { class: "src" }, where, where && link ? " — " : "", link));
    }
    if (shown.length < items.length) {
      box.append(el("div", { class: "more" }, "+" + (items.length - shown.length) + " more (click for all)"));
    }
    return box;
  }
  function header(name, type) {
    return el("div", { class: "head" }, name,
      el("span", { class: "badge", style: "background:" + (typeColor[type] || "#888888") + ";color:" + textOn(typeColor[type] || "#888888") }, type));
  }

  // Tooltip (hover) and details panel (click) share these builders; only the panel's links
  // are clickable, since a hover tooltip disappears when the pointer leaves the item.
  function nodeContent(meta, withLinks) {
    const box = el("div", { class: "tip" }, header(meta.name, meta.type));
    if (meta.type === "Claim") {
      box.append(definitions([["speaker", meta.speaker], ["kind", meta.kind], ["number", meta.quantities]]));
      if (meta.quote) box.append(el("blockquote", {}, "“" + meta.quote + "”"));
      if (meta.sentence && meta.sentence !== meta.quote) box.append(el("blockquote", {}, meta.sentence));
      const link = articleLink(meta.articleId, meta.articleTitle, withLinks);
      const where = source(meta.outlet, meta.date);
      if (link || where) box.append(el("div", { class: "src" }, where, where && link ? " — " : "", link));
    } else if (meta.type === "Article") {
      box.append(definitions([["outlet", meta.outlet], ["published", meta.date]]));
      const link = articleLink(meta.articleId, "open the article", withLinks);
      if (link) box.append(el("div", { class: "src" }, link));
    } else {
      box.append(definitions([
        ["aliases", meta.aliases], ["role", meta.role], ["affiliation", meta.affiliation],
        ["country", meta.country], ["time", meta.time], ["mentions", meta.mentions],
        ["first seen", meta.firstSeen], ["last seen", meta.lastSeen], ["edges here", meta.degree],
      ]));
    }
    if (withLinks && meta.type !== "Article") {
      const text = meta.type === "Claim" ? "Centre the view on its speaker and subjects" : "Centre the view on this node";
      box.append(el("div", { class: "actions" }, el("a", { href: viewHref(meta.centers) }, text), " · id ", meta.id));
    }
    return box;
  }
  function edgeContent(meta, withLinks) {
    const box = el("div", { class: "tip" },
      el("div", { class: "head" }, meta.source, " → ", meta.target),
      definitions([["edge", meta.type], ["speaker", meta.speaker], ["number", meta.quantities],
        ["time", meta.time], ["reason", meta.reason]]));
    if (meta.evidence && meta.evidence.length) box.append(evidenceBlock(meta.evidence, withLinks));
    return box;
  }

  // --- legend and menus --------------------------------------------------------------------
  function shapeIcon(shape, color, dashed) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    const shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      square: ["rect", { x: 2.5, y: 2.5, width: 11, height: 11 }],
      hexagon: ["polygon", { points: "8,1.5 14,4.8 14,11.2 8,14.5 2,11.2 2,4.8" }],
      triangle: ["polygon", { points: "8,2 14.5,14 1.5,14" }],
      triangleDown: ["polygon", { points: "1.5,2 14.5,2 8,14" }],
      star: ["polygon", { points: "8,1 9.9,5.9 15,6.1 11,9.3 12.4,14.5 8,11.5 3.6,14.5 5,9.3 1,6.1 6.1,5.9" }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
    };
    const [tag, attrs] = shapes[shape] || shapes.dot;
    const item = document.createElementNS(ns, tag);
    for (const [key, value] of Object.entries(attrs)) item.setAttribute(key, value);
    item.setAttribute("fill", color); item.setAttribute("stroke", "#333"); item.setAttribute("stroke-width", "0.8");
    if (dashed) item.setAttribute("stroke-dasharray", "2 1.5");
    svg.appendChild(item);
    return svg;
  }
  function edgeIcon(color, dashed) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "10"); svg.setAttribute("viewBox", "0 0 26 10");
    const line = document.createElementNS(ns, "line");
    for (const [key, value] of Object.entries({ x1: 1, y1: 5, x2: 19, y2: 5, stroke: color, "stroke-width": 2 })) line.setAttribute(key, value);
    if (dashed) line.setAttribute("stroke-dasharray", "4 3");
    const head = document.createElementNS(ns, "polygon");
    head.setAttribute("points", "18,1 25,5 18,9"); head.setAttribute("fill", color);
    svg.append(line, head);
    return svg;
  }

  const hiddenTypes = new Set();
  const typeLegend = document.getElementById("type-legend");
  for (const t of data.types) {
    const item = el("li", { class: "toggle", "data-type": t.type, title: "Show or hide " + t.type + " nodes" },
      shapeIcon(t.shape, t.color, t.type === "Source"), t.type, el("span", { class: "n" }, t.count));
    item.addEventListener("click", () => {
      if (hiddenTypes.has(t.type)) hiddenTypes.delete(t.type); else hiddenTypes.add(t.type);
      item.classList.toggle("off", hiddenTypes.has(t.type));
      restyle();
    });
    typeLegend.append(item);
  }
  const edgeLegend = document.getElementById("edge-legend");
  for (const e of data.edgeLegend) {
    edgeLegend.append(el("li", {}, edgeIcon(e.color, e.dashes), e.type, el("span", { class: "n" }, e.count)));
  }
  const outletSelect = document.getElementById("outlet");
  for (const outlet of data.outlets) outletSelect.append(el("option", { value: outlet }, outlet));
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  for (const input of [dateFrom, dateTo]) {
    if (data.dates.min) input.min = data.dates.min;
    if (data.dates.max) input.max = data.dates.max;
  }
  const hideFiltered = document.getElementById("hide-filtered");
  const queryText = Object.entries(data.query || {}).map(([k, v]) => k + "=" + [].concat(v).join(",")).join("  ");
  document.getElementById("query").textContent = queryText;

  // --- the network ----------------------------------------------------------------------------
  const details = document.getElementById("details");
  const original = new Map();
  for (const node of data.nodes) {
    original.set(node.id, { color: node.color, font: node.font && node.font.color ? node.font.color : "#222" });
    node.title = nodeContent(node.meta, false);
  }
  for (const edge of data.edges) {
    original.set("e:" + edge.id, { color: edge.color, font: edge.font && edge.font.color ? edge.font.color : "#555" });
    edge.title = edgeContent(edge.meta, false);
  }
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const labels = new Map();
  for (const node of data.nodes) {
    const key = labels.has(node.meta.name) ? node.meta.name + " (" + node.meta.type + ")" : node.meta.name;
    labels.set(key, node.id);
  }
  const findOptions = document.getElementById("find-options");
  for (const key of [...labels.keys()].sort()) findOptions.append(el("option", { value: key }));

  const view = {
    nodes, edges, network: null, stabilised: false, stabilisationMs: null,
    iterations: data.options.physics.stabilization.iterations, focus: null,
  };
  window.newsgraphView = view;
  const container = document.getElementById("network");
  if (data.nodes.length === 0) {
    document.getElementById("empty").hidden = false;
  }
  const started = performance.now();
  const network = new vis.Network(container, { nodes, edges }, data.options);
  view.network = network;
  function stabilised() {
    if (view.stabilised) return;
    network.setOptions({ physics: { enabled: false } });
    view.stabilisationMs = performance.now() - started;
    view.stableAt = performance.now();  // since navigation start: parse, data, layout
    view.stabilised = true;
    document.body.dataset.state = "stable";
  }
  network.on("stabilizationProgress", (p) => {
    document.getElementById("loading-bar").style.width = Math.round(100 * p.iterations / p.total) + "%";
    document.getElementById("loading-text").textContent = "laying out " + p.iterations + "/" + p.total;
  });
  network.once("stabilizationIterationsDone", stabilised);
  network.once("stabilized", stabilised);
  if (data.nodes.length === 0) stabilised();

  // --- filters and focus ----------------------------------------------------------------------
  function factsMatch(facts, outlet, from, to) {
    if (!outlet && !from && !to) return true;
    return facts.some((f) => (!outlet || f.outlet === outlet) &&
      (!from || (f.date && f.date >= from)) && (!to || (f.date && f.date <= to)));
  }
  function restyle() {
    const outlet = outletSelect.value, from = dateFrom.value, to = dateTo.value;
    const hide = hideFiltered.checked;
    const neighbours = view.focus ? new Set([view.focus, ...network.getConnectedNodes(view.focus)]) : null;
    const nodeIn = new Map();
    const nodeUpdates = [], edgeUpdates = [];
    let shownNodes = 0, shownEdges = 0;
    for (const node of data.nodes) {
      const passes = !hiddenTypes.has(node.meta.type) && factsMatch(node.meta.facts, outlet, from, to);
      nodeIn.set(node.id, passes);
      const faded = !passes || (neighbours && !neighbours.has(node.id));
      if (passes) shownNodes++;
      const current = nodes.get(node.id);
      const wantHidden = !passes && hide;
      const wantColor = faded ? FADED_NODE : original.get(node.id).color;
      if (current.hidden !== wantHidden || current.faded !== faded) {
        nodeUpdates.push({ id: node.id, hidden: wantHidden, faded: faded, color: wantColor,
          font: { color: faded ? "#b8bec5" : original.get(node.id).font } });
      }
    }
    for (const edge of data.edges) {
      const passes = nodeIn.get(edge.from) && nodeIn.get(edge.to) && factsMatch(edge.meta.facts, outlet, from, to);
      const faded = !passes || (neighbours && edge.from !== view.focus && edge.to !== view.focus);
      if (passes) shownEdges++;
      const current = edges.get(edge.id);
      const wantHidden = !passes && hide;
      if (current.hidden !== wantHidden || current.faded !== faded) {
        const color = faded ? { color: FADED_EDGE, highlight: FADED_EDGE, hover: FADED_EDGE } : original.get("e:" + edge.id).color;
        edgeUpdates.push({ id: edge.id, hidden: wantHidden, faded: faded, color: color,
          font: faded ? { color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)" } : { color: original.get("e:" + edge.id).font, strokeColor: "#ffffff" } });
      }
    }
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    const filtering = hiddenTypes.size || outlet || from || to;
    document.getElementById("filter-status").textContent = filtering
      ? shownNodes + " of " + data.nodes.length + " nodes and " + shownEdges + " of " + data.edges.length + " edges match"
      : "";
  }
  function showNode(id) {
    const node = nodes.get(id);
    details.replaceChildren(nodeContent(node.meta, true));
  }
  function showEdge(id) {
    const edge = edges.get(id);
    details.replaceChildren(edgeContent(edge.meta, true));
  }
  function focusNode(id, zoom) {
    if (!nodes.get(id)) return false;
    view.focus = id;
    network.selectNodes([id]);
    if (zoom) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
    restyle();
    return true;
  }
  function clearFocus() {
    view.focus = null;
    network.unselectAll();
    restyle();
  }
  view.focusNode = focusNode;
  view.restyle = restyle;
  network.on("click", (params) => {
    if (params.nodes.length) focusNode(params.nodes[0], false);
    else if (params.edges.length) showEdge(params.edges[0]);
    else if (view.focus) clearFocus();
  });
  const find = document.getElementById("find");
  find.addEventListener("change", () => {
    const id = labels.get(find.value);
    if (id) focusNode(id, true);
  });
  document.getElementById("reset").addEventListener("click", () => {
    find.value = ""; outletSelect.value = ""; dateFrom.value = ""; dateTo.value = "";
    hiddenTypes.clear();
    for (const item of typeLegend.children) item.classList.remove("off");
    details.replaceChildren(el("p", { class: "hint" }, "Hover over a node or an edge; click to keep its details here."));
    clearFocus();
    network.fit({ animation: { duration: 300 } });
  });
  document.getElementById("relayout").addEventListener("click", () => {
    document.body.dataset.state = "loading";
    network.setOptions({ physics: { enabled: true } });
    network.once("stabilized", () => {
      network.setOptions({ physics: { enabled: false } });
      document.body.dataset.state = "stable";
    });
    network.stabilize(view.iterations);
  });
  for (const control of [outletSelect, dateFrom, dateTo, hideFiltered]) control.addEventListener("change", restyle);
})();
