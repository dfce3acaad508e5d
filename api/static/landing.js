// The landing page: entity search (GET /entities) and the who-said table for troop numbers
// (GET /claims?about=troops). Text from the API goes into the DOM as text, never as markup.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("landing-config").textContent);
  function viewLink(centers, text, depth) {
    const params = new URLSearchParams();
    for (const center of [].concat(centers)) params.append("center", center);
    params.set("depth", depth || document.getElementById("depth").value);
    return el("a", { href: config.viewPath + "?" + params.toString() }, text);
  }
  function badge(type) {
    const color = config.typeColors[type] || "#888888";
    return el("span", { class: "badge", style: "background:" + color + ";color:" + textOn(color) }, type || "?");
  }
  async function getJSON(path, params) {
    const response = await fetch(path + "?" + new URLSearchParams(params).toString(), { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = body && body.error ? body.error.code + ": " + body.error.message : "HTTP " + response.status;
      throw new Error(error);
    }
    return body;
  }
  function number(q) {
    const fmt = (v) => Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 });
    let text = q.value !== null && q.value !== undefined ? fmt(q.value)
      : (q.low !== null && q.low !== undefined && q.high !== null && q.high !== undefined ? fmt(q.low) + "–" + fmt(q.high) : q.text);
    if (q.qualifier && q.qualifier !== "exact") text = q.qualifier + " " + text;
    return q.counted ? text + " " + q.counted : text;
  }

  // --- search ---------------------------------------------------------------------------------
  const form = document.getElementById("search");
  const input = document.getElementById("q");
  const results = document.getElementById("results");
  const searchStatus = document.getElementById("search-status");
  async function search() {
    const text = input.value.trim();
    if (!text) return;
    searchStatus.className = "status";
    searchStatus.textContent = "searching…";
    results.replaceChildren();
    try {
      const page = await getJSON(config.entitiesPath, { q: text, limit: 20 });
      const items = page.items || [];
      const shown = page.total > items.length ? " (the best " + items.length + ")" : "";
      searchStatus.textContent = items.length ? page.total + " found" + shown + "; open the network around one:"
        : "no entity matches “" + text + "”";
      for (const hit of items) {
        const aliases = (hit.aliases || []).filter((a) => a !== hit.name);
        results.append(el("li", { "data-id": hit.id },
          badge(hit.type),
          viewLink(hit.id, hit.name),
          aliases.length ? el("span", { class: "aliases" }, "also " + aliases.join(", ")) : null,
          el("span", { class: "n" }, hit.mention_count ? hit.mention_count + (hit.mention_count === 1 ? " mention" : " mentions") : "")));
      }
    } catch (error) {
      searchStatus.className = "status error";
      searchStatus.textContent = "search failed: " + error.message;
    }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  window.newsgraphLanding = { search };

  // --- who said what about troop numbers ------------------------------------------------------
  const table = document.getElementById("who-said");
  const claimsStatus = document.getElementById("claims-status");
  // A claim's network: its speaker and what it is about, one hop (the API centres on entities).
  function claimView(claim) {
    const centers = [];
    if (claim.speaker && claim.speaker.id) centers.push(claim.speaker.id);
    for (const about of claim.about || []) if (!centers.includes(about.id)) centers.push(about.id);
    return centers.length ? viewLink(centers.slice(0, 10), "network", "1") : null;
  }
  async function loadClaims() {
    try {
      const page = await getJSON(config.claimsPath, { about: "troops", limit: config.claimsLimit });
      const rows = page.items || [];
      const body = table.querySelector("tbody");
      for (const claim of rows) {
        const speaker = claim.speaker || {};
        const article = claim.article || {};
        const sentence = (claim.sentence && claim.sentence.text) || (claim.content && claim.content.text) || "";
        const numbers = (claim.quantities || []).map(number).join("; ");
        body.append(el("tr", { "data-id": claim.id },
          el("td", { class: "date" }, article.published || ""),
          el("td", { class: "speaker" }, speaker.id ? viewLink(speaker.id, speaker.name) : speaker.name,
            speaker.role ? el("span", { class: "role" }, speaker.role) : null),
          el("td", {}, (claim.kind || "").toLowerCase()),
          el("td", { class: "num" }, numbers),
          el("td", {}, article.outlet || ""),
          el("td", { class: "sentence" }, sentence),
          el("td", { class: "links" },
            article.id ? el("a", { href: config.articlesPath + encodeURIComponent(article.id) }, "article") : null,
            " ", claimView(claim))));
      }
      table.hidden = rows.length === 0;
      claimsStatus.textContent = rows.length
        ? rows.length + (page.total > rows.length ? " of " + page.total : "") + " claims with troop numbers"
        : "no claim in the graph gives a troop number";
    } catch (error) {
      claimsStatus.className = "status error";
      claimsStatus.textContent = "could not load claims: " + error.message;
    }
  }
  loadClaims();
})();
