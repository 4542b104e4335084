/* PlanMap tools: set-up of a map page (PlanMap.init) with fullscreen, an in-map layer list with
 * per-layer opacity, measuring (distance, area), PNG export and print (legend.js), a "copy link"
 * button, and scroll-wheel zoom only after a click on the map (or with Ctrl), so the page keeps
 * scrolling. */
(function () {
  "use strict";
  var PM = window.PlanMap;
  var shared = PM.shared;
  var S = shared.state;
  var el = shared.el;
  var button = shared.button;
  var t = shared.t;
  var formatLength = shared.formatLength;

  // -- scroll wheel: zoom only once the map was clicked, or with Ctrl -----------------------------
  function wheelGate(map) {
    map.scrollWheelZoom.disable();
    var container = map.getContainer();
    var hint = el("div", "plan-wheel-hint", container, t("wheel_hint"));
    var hideTimer = null;
    map.on("click", function () {
      map.scrollWheelZoom.enable();
    });
    L.DomEvent.on(container, "mousedown touchstart", function () {
      map.scrollWheelZoom.enable();
    });
    L.DomEvent.on(container, "mouseleave", function () {
      map.scrollWheelZoom.disable();
    });
    container.addEventListener(
      "wheel",
      function (e) {
        if (map.scrollWheelZoom.enabled()) return;
        if (e.ctrlKey) {
          e.preventDefault();
          var point = map.mouseEventToContainerPoint(e);
          map.setZoomAround(point, map.getZoom() + (e.deltaY < 0 ? 0.5 : -0.5));
          return;
        }
        hint.classList.add("shown");
        clearTimeout(hideTimer);
        hideTimer = setTimeout(function () {
          hint.classList.remove("shown");
        }, 1200);
        // Not handled: the page scrolls as usual.
      },
      { passive: false }
    );
  }

  // -- fullscreen -------------------------------------------------------------------------------
  function toggleFullscreen(map) {
    var frame = window.frameElement;
    var doc = frame ? frame.ownerDocument : document;
    var target = frame || map.getContainer();
    if (doc.fullscreenElement) {
      doc.exitFullscreen();
    } else if (target.requestFullscreen) {
      target.requestFullscreen().catch(function () {
        map.getContainer().requestFullscreen();
      });
    }
  }

  // -- measure ----------------------------------------------------------------------------------
  function geodesicArea(latlngs) {
    var R = 6378137, area = 0, n = latlngs.length, rad = Math.PI / 180;
    if (n < 3) return 0;
    for (var i = 0; i < n; i++) {
      var p1 = latlngs[i], p2 = latlngs[(i + 1) % n];
      area += (p2.lng - p1.lng) * rad * (2 + Math.sin(p1.lat * rad) + Math.sin(p2.lat * rad));
    }
    return Math.abs((area * R * R) / 2);
  }
  function pathLength(map, latlngs) {
    var total = 0;
    for (var i = 1; i < latlngs.length; i++) total += map.distance(latlngs[i - 1], latlngs[i]);
    return total;
  }

  function formatArea(m2) {
    return m2 >= 1e6 ? (m2 / 1e6).toLocaleString(undefined, { maximumFractionDigits: 1 }) + " km²" : Math.round(m2) + " m²";
  }

  function measureControl(map) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "leaflet-bar plan-measure");
      L.DomEvent.disableClickPropagation(box);
      var mode = null, points = [], shape = null, result = null, layer = L.layerGroup().addTo(map);
      function reset() {
        points = [];
        layer.clearLayers();
        shape = null;
      }
      function redraw(extra) {
        var pts = extra ? points.concat([extra]) : points;
        layer.clearLayers();
        if (!pts.length) return;
        shape = mode === "area" && pts.length > 2
          ? L.polygon(pts, { color: "#222", weight: 2, dashArray: "5 4", fillOpacity: 0.1, interactive: false })
          : L.polyline(pts, { color: "#222", weight: 2, dashArray: "5 4", interactive: false });
        layer.addLayer(shape);
        points.forEach(function (p) {
          layer.addLayer(L.circleMarker(p, { radius: 3, color: "#222", fillColor: "#fff", fillOpacity: 1, interactive: false }));
        });
        var text = mode === "area"
          ? t("area") + " " + formatArea(geodesicArea(pts)) + " · " + t("perimeter") + " " + formatLength(pathLength(map, pts.concat([pts[0]])))
          : t("distance") + " " + formatLength(pathLength(map, pts));
        result.textContent = text;
      }
      function onClick(e) {
        points.push(e.latlng);
        redraw();
      }
      function onMove(e) {
        if (points.length) redraw(e.latlng);
      }
      function stop() {
        map.off("click", onClick);
        map.off("mousemove", onMove);
        map.doubleClickZoom.enable();
        map.getContainer().classList.remove("plan-measuring");
        box.classList.remove("active");
        mode = null;
        redraw();
      }
      function start(kind) {
        if (mode) stop();
        reset();
        mode = kind;
        result.textContent = t("measure_hint");
        map.on("click", onClick);
        map.on("mousemove", onMove);
        map.doubleClickZoom.disable();
        map.getContainer().classList.add("plan-measuring");
        box.classList.add("active");
      }
      var ruler = button(box, "ruler", t("measure_distance"), function () {
        start("distance");
      });
      ruler.classList.add("plan-measure-distance");
      var poly = button(box, "area", t("measure_area"), function () {
        start("area");
      });
      poly.classList.add("plan-measure-area");
      var done = button(box, "done", t("measure_finish"), function () {
        stop();
      });
      done.classList.add("plan-measure-finish");
      var clear = button(box, "clear", t("measure_clear"), function () {
        stop();
        reset();
        result.textContent = "";
      });
      clear.classList.add("plan-measure-clear");
      result = el("div", "plan-measure-result", box);
      map.on("dblclick", function () {
        if (mode) stop();
      });
      return box;
    };
    return control.addTo(map);
  }

  // -- in-map layer list with opacity -------------------------------------------------------------
  function layerControl(map) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = el("div", "plan-layers");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var details = el("details", "", box);
      el("summary", "", details, t("layers"));
      S.layerList = el("div", "plan-layer-list", details);
      return box;
    };
    return control.addTo(map);
  }

  function applyOpacity(gj, id) {
    var factor = S.opacity[id] === undefined ? 1 : S.opacity[id];
    gj.eachLayer(function (layer) {
      var base = layer.feature.properties.style || {};
      var style = {
        opacity: (base.opacity === undefined ? 1 : base.opacity) * factor,
        fillOpacity: (base.fillOpacity === undefined ? 0.2 : base.fillOpacity) * factor,
      };
      if (layer.setStyle) layer.setStyle(style);
    });
  }

  /** The layer list's rows for the layers drawn now (called by PlanMap.view). */
  shared.buildLayerList = function (map, group) {
    if (!S.layerList) return;
    var list = S.layerList;
    list.innerHTML = "";
    (S.cfg.legend || []).forEach(function (item) {
      var gj = S.layers[item.id];
      if (!gj) return;
      var row = el("div", "plan-layer-row", list);
      row.setAttribute("data-layer", item.id);
      var label = el("label", "", row);
      var box = el("input", "", label);
      box.type = "checkbox";
      box.checked = !S.hidden[item.id];
      var swatch = el("span", "plan-swatch", label);
      swatch.style.background = item.colour;
      el("span", "", label, item.title + " (" + gj.getLayers().length + ")");
      var slider = el("input", "plan-opacity", row);
      slider.type = "range";
      slider.min = "0.1";
      slider.max = "1";
      slider.step = "0.1";
      slider.value = S.opacity[item.id] === undefined ? 1 : S.opacity[item.id];
      slider.title = t("opacity");
      slider.setAttribute("aria-label", t("opacity") + " " + item.title);
      L.DomEvent.on(box, "change", function () {
        S.hidden[item.id] = !box.checked;
        if (box.checked) group.addLayer(gj);
        else group.removeLayer(gj);
        if (PM.showStandInRow) PM.showStandInRow();
      });
      L.DomEvent.on(slider, "input", function () {
        S.opacity[item.id] = parseFloat(slider.value);
        applyOpacity(gj, item.id);
      });
    });
  };

  // -- copy link --------------------------------------------------------------------------------
  function copyLink(b) {
    var href;
    try {
      href = window.top.location.href;
    } catch (e) {
      href = document.referrer || window.location.href;
    }
    function done() {
      b.classList.add("copied");
      shared.testHook("copiedLink", href);
      b.title = t("copied");
      setTimeout(function () {
        b.classList.remove("copied");
        b.title = t("copy_link");
      }, 1500);
    }
    function fallback() {
      var doc = window.top ? window.top.document : document;
      var area = doc.createElement("textarea");
      area.value = href;
      doc.body.appendChild(area);
      area.select();
      try {
        doc.execCommand("copy");
      } catch (e) {}
      doc.body.removeChild(area);
      done();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(href).then(done, fallback);
    } else {
      fallback();
    }
  }

  function toolbar(map) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "leaflet-bar plan-toolbar");
      L.DomEvent.disableClickPropagation(box);
      button(box, "fullscreen", t("fullscreen"), function () {
        toggleFullscreen(map);
      }).classList.add("plan-fullscreen");
      button(box, "png", t("export_png"), function () {
        PM.exportPng(map);
      }).classList.add("plan-export-png");
      button(box, "print", t("print"), function () {
        PM.print(map);
      }).classList.add("plan-print");
      button(box, "link", t("copy_link"), copyLink).classList.add("plan-copy-link");
      return box;
    };
    return control.addTo(map);
  }

  // -- set-up of a map (once per map page) -------------------------------------------------------
  PM.init = function (map, cfg) {
    S.cfg = cfg;
    S.map = map;
    S.legendItems = [];
    toolbar(map);
    measureControl(map);
    layerControl(map);
    wheelGate(map);
    map.getContainer().classList.add("plan-map");
    var frame = window.frameElement;
    if (frame) {
      frame.setAttribute("allowfullscreen", "true");
    }
    function onFullscreen() {
      setTimeout(function () {
        map.invalidateSize();
      }, 50);
    }
    document.addEventListener("fullscreenchange", onFullscreen);
    if (frame) frame.ownerDocument.addEventListener("fullscreenchange", onFullscreen);
  };

})();
