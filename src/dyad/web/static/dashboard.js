/* dyad dashboard: draws each page's charts from the JSON the server embedded, with the vendored ECharts.
   Text from the store is only ever set with textContent, never as HTML. */
(function () {
  "use strict";
  // Cooperation in greens and blues, conflict in yellows, reds and darks; neighbours differ in hue.
  var TYPE_COLORS = {
    AGREE: "#1b5e20", CONSULT: "#81c784", SUPPORT: "#00acc1", CONCEDE: "#26a69a", COOPERATE: "#00796b",
    AID: "#3949ab", RETREAT: "#9575cd", REQUEST: "#ffca28", ACCUSE: "#fb8c00", REJECT: "#f4511e",
    THREATEN: "#d81b60", PROTEST: "#e57373", SANCTION: "#c62828", MOBILIZE: "#8e24aa", COERCE: "#6d4c41",
    ASSAULT: "#212121"
  };

  // The world is a circle: every actor stays inside the box and it draws the same way every time.
  var WORLD_LAYOUT = { layout: "circular", circular: { rotateLabel: true }, top: 90, bottom: 90, left: 160, right: 160 };
  // An ego network is small: a force layout around the actor reads best.
  var EGO_LAYOUT = { layout: "force", force: { repulsion: 300, edgeLength: [80, 160], gravity: 0.1 } };

  function pageData() {
    var node = document.getElementById("page-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function chartOn(id) {
    var dom = document.getElementById(id);
    if (!dom || !window.echarts) return null;
    var chart = echarts.init(dom, null, { renderer: "svg" });
    // Tests and screenshots wait for this mark: the chart has finished drawing its animation.
    chart.on("finished", function () { dom.setAttribute("data-drawn", "true"); });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function scoreColor(value) { return value > 0 ? "#1a7f4b" : (value < 0 ? "#c0392b" : "#8a94a0"); }

  // --- network graphs (overview world, actor ego network) ---------------------------------------------
  function drawNetwork(id, net, highlight) {
    var chart = chartOn(id);
    if (!chart) return;
    var maxEvents = Math.max.apply(null, net.nodes.map(function (n) { return n.edge_events; }).concat([1]));
    var nodes = net.nodes.map(function (n) {
      return { id: n.id, name: n.label, value: n.edge_events, actor_id: n.actor_id,
               symbolSize: 12 + 38 * Math.sqrt(n.edge_events / maxEvents),
               itemStyle: { color: scoreColor(n.score_sum), borderColor: n.id === highlight ? "#000" : "#fff",
                            borderWidth: n.id === highlight ? 3 : 1 },
               label: { show: true } };
    });
    var maxEdge = Math.max.apply(null, net.edges.map(function (e) { return e.events; }).concat([1]));
    var links = net.edges.map(function (e) {
      return { source: e.source, target: e.target, value: e.events, score: e.score_sum,
               lineStyle: { width: 1 + 6 * e.events / maxEdge, color: scoreColor(e.score_sum), opacity: 0.7 } };
    });
    chart.setOption({
      tooltip: { formatter: function (p) {
        if (p.dataType === "edge") return p.data.source + " – " + p.data.target + ": " + p.data.value + " events, net " + p.data.score;
        return p.data.name + ": " + p.data.value + " events";
      } },
      series: [Object.assign({ type: "graph", roam: true, data: nodes, links: links,
                               label: { position: "right", fontSize: 12 }, emphasis: { focus: "adjacency" } },
                             highlight ? EGO_LAYOUT : WORLD_LAYOUT)]
    });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data.actor_id && p.data.actor_id !== highlight) {
        window.location.href = "/actor/" + encodeURIComponent(p.data.actor_id);
      } else if (p.dataType === "edge" && id === "world") {
        window.location.href = "/dyad/" + encodeURIComponent(p.data.source) + "/" + encodeURIComponent(p.data.target);
      }
    });
  }

  // --- dyad timeline ----------------------------------------------------------------------------------
  function drawTimeline(data) {
    var chart = chartOn("timeline");
    if (!chart) return;
    var labels = data.periods.map(function (p) { return p.period; });
    var bars = data.types.map(function (type) {
      return { name: type, type: "bar", stack: "types", yAxisIndex: 0, itemStyle: { color: TYPE_COLORS[type] },
               data: data.periods.map(function (p) { return p.types[type] || 0; }) };
    });
    var line = { name: "mean score", type: "line", yAxisIndex: 1, connectNulls: false, symbolSize: 8,
                 itemStyle: { color: "#2457a6" }, lineStyle: { width: 2 },
                 data: data.periods.map(function (p) { return p.score_mean; }) };
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, transitionDuration: 0 },
      legend: { top: 4, type: "scroll" },
      grid: { left: 50, right: 60, top: 44, bottom: 40 },
      xAxis: { type: "category", data: labels, triggerEvent: true },
      yAxis: [{ type: "value", name: "events", minInterval: 1 },
              { type: "value", name: "score", min: -10, max: 10, splitLine: { show: false } }],
      series: bars.concat([line])
    });
    function pick(index) {
      if (index >= 0 && index < labels.length) showPeriod(data, labels[index]);
    }
    // Any click inside the plot picks the period under it: on a bar, on the line or between them.
    chart.getZr().on("click", function (e) {
      var at = [e.offsetX, e.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, at)) return;
      var point = chart.convertFromPixel({ gridIndex: 0 }, at);  // [category index, value]
      if (point && isFinite(point[0])) pick(Math.round(point[0]));
    });
    chart.on("click", function (p) {
      if (p.componentType === "xAxis") pick(labels.indexOf(p.value));
    });
  }

  function showPeriod(data, period) {
    var title = document.getElementById("period-title");
    var list = document.getElementById("period-events");
    var hint = document.getElementById("period-hint");
    title.textContent = "Events of " + period;
    hint.textContent = "Loading…";
    list.replaceChildren();
    document.querySelectorAll("tr[data-period]").forEach(function (row) {
      row.classList.toggle("selected", row.getAttribute("data-period") === period);
    });
    var url = "/api/events?limit=200&dyad=" + encodeURIComponent(data.a + "," + data.b) +
              "&period=" + encodeURIComponent(period) +
              (data.min_reliability === null ? "" : "&min_reliability=" + data.min_reliability);
    fetch(url).then(function (r) { return r.json(); }).then(function (page) {
      hint.textContent = page.total + " event" + (page.total === 1 ? "" : "s") +
                         (page.total > page.items.length ? " (first " + page.items.length + ")" : "");
      page.items.forEach(function (e) { list.appendChild(eventItem(e)); });
    }).catch(function (err) { hint.textContent = "Could not load the events: " + err; });
  }

  // a party the sentence does not name (taken from the text around it) is marked "(context)"
  function partyText(parties, fromContext) {
    return parties.map(function (a) {
      var label = a.code || a.name || a.text;
      return (fromContext || []).indexOf(a.code || a.name) >= 0 ? label + " (context)" : label;
    }).join(", ");
  }

  function eventItem(e) {
    var li = el("li", "event");
    var meta = el("div", "meta");
    meta.appendChild(el("span", "date", e.date || "undated"));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", "type t-" + e.type, e.type));
    meta.appendChild(document.createTextNode(" " + partyText(e.actors, e.from_context) +
      (e.recipients.length ? " → " + partyText(e.recipients, e.from_context) : "") + " "));
    var score = el("span", "score " + (e.score > 0 ? "pos" : (e.score < 0 ? "neg" : "")),
                   e.score === null ? "–" : (e.score > 0 ? "+" : "") + e.score.toFixed(1));
    meta.appendChild(score);
    if (e.aux) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("span", "aux", e.aux)); }
    if (e.reliability !== null && e.reliability !== undefined) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "reliability", "reliability " + e.reliability.toFixed(2)));
    }
    li.appendChild(meta);
    li.appendChild(el("blockquote", "evidence", (e.evidence || {}).text || ""));
    var src = el("div", "src");
    var link = el("a", "evidence-link", (e.document && e.document.title) || e.doc_id);
    link.href = "/document/" + encodeURIComponent(e.doc_id) + "?event=" + encodeURIComponent(e.event_id);
    src.appendChild(link);
    if (e.document && e.document.outlet) src.appendChild(document.createTextNode(" · " + e.document.outlet));
    li.appendChild(src);
    return li;
  }

  function wirePeriodLinks(data) {
    document.querySelectorAll("a.period-link").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        showPeriod(data, a.getAttribute("data-period"));
      });
    });
  }

  function scrollToFocus() {
    var focus = document.querySelector("mark.focus");
    if (focus) focus.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.body.getAttribute("data-page");
    var data = pageData();
    if (page === "overview" && data) drawNetwork("world", data);
    if (page === "actor" && data) drawNetwork("ego", data.network, data.actor_id);
    if (page === "dyad" && data && data.periods.length) { drawTimeline(data); wirePeriodLinks(data); }
    if (page === "document") scrollToFocus();
  });
})();
