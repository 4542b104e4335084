/* PlanMap: the map tools of the Chengdu–Chongqing plan map, served by the app itself.
 *
 * Fullscreen, an in-map layer list with per-layer opacity, measuring (distance, area), PNG export
 * and a printable page of the current view (title, legend, scale, datum, date, source), a "copy
 * link" button, labels by zoom, and scroll-wheel zoom only after a click on the map (or with Ctrl),
 * so the page keeps scrolling.
 *
 * Features are fetched once per page from a static GeoJSON file the app writes (the browser can
 * cache it); a Streamlit run only sends which ids to show, so a filter change redraws in place.
 * All text placed as HTML (tooltips, popups) was escaped by the app; names set here use textContent.
 */
(function () {
  "use strict";
  var PM = (window.PlanMap = window.PlanMap || {});
  PM.state = PM.state || { hidden: {}, opacity: {}, data: {}, lastKey: null, lastSelected: null, layers: {} };
  var S = PM.state;

  // Leaflet focuses the map's container on every mouse press (for its keyboard controls) with a
  // plain focus(), which scrolls every enclosing page until the frame is in view: with the map's
  // lower edge below the fold, the page moves between press and release and the click is lost.
  // The same focus without the scroll keeps the keyboard controls and every click.
  if (L.Map.Keyboard && !L.Map.Keyboard.prototype._planmapNoScroll) {
    L.Map.Keyboard.prototype._planmapNoScroll = true;
    L.Map.Keyboard.prototype._onMouseDown = function () {
      if (this._focused) return;
      this._map._container.focus({ preventScroll: true });
    };
  }

  function el(tag, className, parent, text) {
    var node = L.DomUtil.create(tag, className || "", parent);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Icons as inline SVG (no icon font, no emoji font needed); constant markup, never user text.
  var ICONS = {
    fullscreen: '<path d="M3 8V3h5M13 3h5v5M18 13v5h-5M8 18H3v-5"/>',
    png: '<rect x="3" y="4" width="15" height="13" rx="1"/><path d="M3 14l4-4 4 4 3-3 4 4"/><circle cx="13.5" cy="8" r="1.3"/>',
    print: '<path d="M6 8V3h9v5M6 15H3V8h15v7h-3"/><rect x="6" y="12" width="9" height="6"/>',
    link: '<path d="M9 12a4 4 0 0 0 5.7 0l2.8-2.8a4 4 0 0 0-5.7-5.7L10.5 4.8M12 9a4 4 0 0 0-5.7 0L3.5 11.8a4 4 0 0 0 5.7 5.7l1.3-1.3"/>',
    ruler: '<path d="M2 14L14 2l5 5L7 19z"/><path d="M6 10l2 2M9 7l2 2M12 4l2 2"/>',
    area: '<path d="M4 6l8-3 6 6-3 9-10-3z"/>',
    done: '<path d="M4 11l4 4 9-9"/>',
    clear: '<path d="M5 5l11 11M16 5L5 16"/>',
  };

  function icon(name) {
    return '<svg viewBox="0 0 21 21" width="18" height="18" fill="none" stroke="#222" stroke-width="1.8" ' +
      'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' + ICONS[name] + "</svg>";
  }

  function button(parent, iconName, title, onClick) {
    var b = el("a", "plan-tool", parent);
    b.innerHTML = icon(iconName);
    b.href = "#";
    b.title = title;
    b.setAttribute("role", "button");
    b.setAttribute("aria-label", title);
    L.DomEvent.on(b, "click", function (e) {
      L.DomEvent.stop(e);
      onClick(b);
    });
    return b;
  }

  function t(key) {
    return (S.cfg && S.cfg.texts && S.cfg.texts[key]) || key;
  }

  // -- data -----------------------------------------------------------------------------------
  PM.fetchData = function (url) {
    if (!S.data[url]) {
      S.data[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error(url + ": " + r.status);
          return r.json();
        })
        .catch(function (error) {
          delete S.data[url]; // the next run asks again
          throw error;
        });
    }
    return S.data[url];
  };

  // Administrative outlines from a static file, in a pane of their own under the features.
  PM.backdrop = function (map, url, style, paneName, zIndex) {
    var pane = map.getPane(paneName) || map.createPane(paneName);
    pane.style.zIndex = zIndex;
    pane.style.pointerEvents = "none";
    var layer = L.geoJson(null, {
      pane: paneName,
      interactive: false,
      style: function () {
        return style;
      },
    }).addTo(map);
    PM.fetchData(url)
      .then(function (data) {
        layer.addData(data);
      })
      .catch(function (error) {
        console.warn("outlines not drawn:", error);
      });
    return layer;
  };

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

  // -- labels that appear at suitable zooms -----------------------------------------------------
  PM.labels = function (map, group, points, minZoom, className, container) {
    // ``container`` (default: the map) holds ``group`` while the zoom is at least ``minZoom``.
    var holder = container || map;
    points.forEach(function (p) {
      var div = document.createElement("div");
      div.className = className || "plan-label";
      div.textContent = p[2];
      L.marker([p[0], p[1]], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ html: div, className: "plan-label-icon", iconSize: [80, 14], iconAnchor: [40, 7] }),
      }).addTo(group);
    });
    function update() {
      var on = holder.hasLayer(group);
      if (map.getZoom() >= minZoom) {
        if (!on) holder.addLayer(group);
      } else if (on) {
        holder.removeLayer(group);
      }
    }
    map.on("zoomend", update);
    update();
    return update;
  };

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
  PM.geodesicArea = geodesicArea;

  function pathLength(map, latlngs) {
    var total = 0;
    for (var i = 1; i < latlngs.length; i++) total += map.distance(latlngs[i - 1], latlngs[i]);
    return total;
  }

  function formatLength(m) {
    return m >= 1000 ? (m / 1000).toFixed(m >= 100000 ? 0 : 1) + " km" : Math.round(m) + " m";
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
        box.setAttribute("data-result", text);
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
      PM.measure = { start: start, stop: stop, reset: reset, points: function () { return points; } };
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

  function buildLayerList(map, group) {
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
      });
      L.DomEvent.on(slider, "input", function () {
        S.opacity[item.id] = parseFloat(slider.value);
        applyOpacity(gj, item.id);
      });
    });
  }

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
      b.setAttribute("data-copied", href);
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

  // -- export: PNG and print ----------------------------------------------------------------------
  function niceScale(map) {
    var size = map.getSize();
    var y = size.y / 2;
    var a = map.containerPointToLatLng([20, y]), b = map.containerPointToLatLng([120, y]);
    var metresPer100 = map.distance(a, b);
    var steps = [1, 2, 5];
    var best = 1;
    for (var p = 0; p < 8; p++) {
      steps.forEach(function (s) {
        var v = s * Math.pow(10, p);
        if (v <= metresPer100 * 1.5) best = v;
      });
    }
    return { metres: best, px: (100 * best) / metresPer100 };
  }

  function drawLegend(ctx, x, y, items) {
    var precision = S.cfg.precision || [];
    var rows = items.length + precision.length + 2;
    var h = rows * 18 + 10, w = 210;
    ctx.fillStyle = "rgba(255,255,255,0.94)";
    ctx.strokeStyle = "#999";
    ctx.fillRect(x, y - h, w, h);
    ctx.strokeRect(x + 0.5, y - h + 0.5, w, h);
    var cy = y - h + 18;
    ctx.fillStyle = "#111";
    ctx.font = "bold 13px 'Noto Sans CJK SC', sans-serif";
    ctx.fillText(t("legend"), x + 8, cy);
    ctx.font = "12px 'Noto Sans CJK SC', sans-serif";
    items.forEach(function (item) {
      cy += 18;
      ctx.fillStyle = item.colour;
      ctx.fillRect(x + 8, cy - 9, 26, 8);
      ctx.fillStyle = "#222";
      ctx.fillText(item.title, x + 42, cy);
    });
    cy += 18;
    ctx.font = "bold 12px 'Noto Sans CJK SC', sans-serif";
    ctx.fillText(t("precision"), x + 8, cy);
    ctx.font = "12px 'Noto Sans CJK SC', sans-serif";
    precision.forEach(function (p) {
      cy += 18;
      ctx.strokeStyle = "#444";
      ctx.fillStyle = "#444";
      ctx.lineWidth = 2;
      ctx.setLineDash(p.kind === "schematic" ? [6, 4] : p.kind === "area" ? [4, 3] : []);
      if (p.kind === "exact" || p.kind === "seat" || p.kind === "site") {
        ctx.beginPath();
        ctx.arc(x + 21, cy - 5, 5, 0, 2 * Math.PI);
        if (p.kind === "exact") ctx.fill();
        ctx.stroke();
      } else if (p.kind === "area") {
        ctx.strokeRect(x + 9, cy - 10, 24, 10);
      } else {
        ctx.beginPath();
        ctx.moveTo(x + 8, cy - 5);
        ctx.lineTo(x + 34, cy - 5);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      ctx.fillStyle = "#222";
      ctx.fillText(p.title, x + 42, cy);
    });
  }

  PM.renderImage = function (map) {
    var size = map.getSize(), top = 44, bottom = 26;
    var canvas = document.createElement("canvas");
    canvas.width = size.x;
    canvas.height = size.y + top + bottom;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#eef3f7";
    ctx.fillRect(0, top, size.x, size.y);
    var box = map.getContainer().getBoundingClientRect();
    // Painted bottom pane first: the backdrop panes come after the overlay pane in the document.
    var svgs = Array.prototype.slice.call(map.getContainer().querySelectorAll(".leaflet-pane svg"));
    var depth = function (svg) {
      return parseInt(window.getComputedStyle(svg.parentNode).zIndex, 10) || 0;
    };
    svgs.sort(function (a, b) {
      return depth(a) - depth(b);
    });
    var loads = svgs.map(function (svg) {
      var r = svg.getBoundingClientRect();
      var clone = svg.cloneNode(true);
      clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
      clone.setAttribute("width", r.width);
      clone.setAttribute("height", r.height);
      clone.style.transform = "";
      var data = new XMLSerializer().serializeToString(clone);
      return new Promise(function (resolve) {
        var img = new Image();
        img.onload = function () {
          resolve({ img: img, x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height });
        };
        img.onerror = function () {
          resolve(null);
        };
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(data);
      });
    });
    return Promise.all(loads).then(function (images) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, top, size.x, size.y);
      ctx.clip();
      images.forEach(function (i) {
        if (i) ctx.drawImage(i.img, i.x, i.y + top, i.w, i.h);
      });
      // Labels: text drawn where Leaflet placed them, with a white halo.
      ctx.font = "11px 'Noto Sans CJK SC', sans-serif";
      ctx.textAlign = "center";
      map.getContainer().querySelectorAll(".plan-label, .plan-label-feature, .plan-label-county").forEach(function (node) {
        var r = node.getBoundingClientRect();
        if (!r.width) return;
        var cx = r.left - box.left + r.width / 2, cy = r.top - box.top + r.height / 2 + 4 + top;
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#fff";
        ctx.strokeText(node.textContent, cx, cy);
        ctx.fillStyle = "#444";
        ctx.fillText(node.textContent, cx, cy);
      });
      ctx.restore();
      ctx.textAlign = "left";
      // Title band
      ctx.fillStyle = "#111";
      ctx.font = "bold 17px 'Noto Sans CJK SC', sans-serif";
      ctx.fillText(S.cfg.title || "", 10, 20);
      ctx.font = "12px 'Noto Sans CJK SC', sans-serif";
      ctx.fillStyle = "#444";
      ctx.fillText(S.subtitle || "", 10, 37);
      // Legend (bottom left of the map) and scale (bottom right)
      drawLegend(ctx, 10, top + size.y - 10, S.legendItems || []);
      var scale = niceScale(map);
      var sx = size.x - scale.px - 20, sy = top + size.y - 16;
      ctx.fillStyle = "rgba(255,255,255,0.9)";
      ctx.fillRect(sx - 6, sy - 18, scale.px + 16, 26);
      ctx.strokeStyle = "#222";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(sx, sy - 6);
      ctx.lineTo(sx, sy);
      ctx.lineTo(sx + scale.px, sy);
      ctx.lineTo(sx + scale.px, sy - 6);
      ctx.stroke();
      ctx.fillStyle = "#222";
      ctx.fillText(formatLength(scale.metres), sx + 4, sy - 7);
      // North arrow
      ctx.font = "bold 14px sans-serif";
      ctx.fillText("N ↑", size.x - 40, top + 20);
      // Footer: datum, date, source
      ctx.font = "11px 'Noto Sans CJK SC', sans-serif";
      ctx.fillStyle = "#333";
      var today = new Date().toISOString().slice(0, 10);
      ctx.fillText(S.cfg.datum + " · " + today + " · " + S.cfg.source, 10, top + size.y + 17);
      return canvas;
    });
  };

  PM.exportPng = function (map) {
    return PM.renderImage(map).then(function (canvas) {
      var url = canvas.toDataURL("image/png");
      PM.lastExport = { width: canvas.width, height: canvas.height, legend: (S.legendItems || []).length };
      var a = document.createElement("a");
      a.href = url;
      a.download = "chengyu-plan-map-" + new Date().toISOString().slice(0, 10) + ".png";
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      return canvas;
    });
  };

  PM.print = function (map) {
    return PM.renderImage(map).then(function (canvas) {
      var win = window.open("", "_blank");
      if (!win) return;
      var doc = win.document;
      doc.title = S.cfg.title || "map";
      var img = doc.createElement("img");
      img.src = canvas.toDataURL("image/png");
      img.style.maxWidth = "100%";
      doc.body.appendChild(img);
      img.onload = function () {
        win.print();
      };
    });
  };

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

  /** Keep the user's extent: pan to ``bounds`` only when its centre is off-screen. */
  PM.reveal = function (map, bounds) {
    var b = L.latLngBounds(bounds);
    if (!map.getBounds().contains(b.getCenter())) map.panTo(b.getCenter());
  };

  // -- what to show (each Streamlit run) -----------------------------------------------------------
  function boundsOf(layers) {
    var b = L.latLngBounds([]);
    layers.forEach(function (l) {
      if (l.getBounds) b.extend(l.getBounds());
      else if (l.getLatLng) b.extend(l.getLatLng());
    });
    return b;
  }

  function focus(map, layer, spec) {
    var zoomMax = spec.max_zoom || 10;
    if (layer.getLatLng) {
      var ll = layer.getLatLng();
      if (!map.getBounds().pad(-0.1).contains(ll) || map.getZoom() < 8) {
        map.setView(ll, Math.max(map.getZoom(), Math.min(9, zoomMax)));
      }
    } else {
      var b = layer.getBounds();
      var view = map.getBounds();
      if (!view.contains(b) || map.getZoom() < 7) {
        map.fitBounds(b, { padding: [30, 30], maxZoom: zoomMax });
      }
    }
  }

  function highlight(layer) {
    if (S.highlighted && S.highlighted !== layer && S.highlighted.setStyle) {
      var base = S.highlighted.feature.properties.style || {};
      S.highlighted.setStyle({ weight: base.weight || 2, color: base.color });
    }
    S.highlighted = layer;
    if (layer.setStyle) {
      var style = layer.feature.properties.style || {};
      layer.setStyle({ weight: (style.weight || 2) + 4, color: layer.getLatLng ? "#111" : style.color });
      if (layer.bringToFront) layer.bringToFront();
    }
  }

  function openPopup(map, layer, latlng) {
    var p = layer.feature.properties;
    if (!p.pop) return;
    var where = latlng || (layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
    if (!latlng && layer.getLatLngs) {
      // A point on the line itself, not the centre of its box.
      var flat = L.LineUtil.isFlat(layer.getLatLngs()) ? layer.getLatLngs() : [].concat.apply([], layer.getLatLngs());
      if (flat.length && flat[0].lat !== undefined) where = flat[Math.floor(flat.length / 2)];
    }
    L.popup({ maxWidth: 340, autoPanPadding: [20, 20], className: "plan-popup" })
      .setLatLng(where)
      .setContent(p.pop)
      .openOn(map);
  }

  /** Draw ``spec.ids`` (grouped by layer) from ``spec.url`` into ``group`` (a FeatureGroup that
   * streamlit-folium replaces on each run). Fits the selection when it changed; opens the popup
   * of ``spec.selected``. */
  PM.view = function (map, group, spec) {
    S.layers = {};
    S.subtitle = spec.subtitle || "";
    S.legendItems = spec.legend || [];
    var order = (S.cfg && S.cfg.legend) || [];
    var byId = {};
    order.forEach(function (item) {
      if (!spec.groups[item.id]) return;
      var gj = L.geoJSON(null, {
        style: function (f) {
          var factor = S.opacity[item.id] === undefined ? 1 : S.opacity[item.id];
          var s = Object.assign({}, f.properties.style || {});
          s.opacity = (s.opacity === undefined ? 1 : s.opacity) * factor;
          if (s.fillOpacity !== undefined) s.fillOpacity = s.fillOpacity * factor;
          return s;
        },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, Object.assign({ fill: true }, f.properties.style || {}));
        },
        onEachFeature: function (f, layer) {
          byId[f.properties.id] = layer;
          if (f.properties.tip) layer.bindTooltip(f.properties.tip, { sticky: true, direction: "top" });
          layer.on("click", function (e) {
            if (map.getContainer().classList.contains("plan-measuring")) return;
            highlight(layer);
            openPopup(map, layer, e.latlng);
            S.lastSelected = f.properties.id;
            focus(map, layer, spec);
          });
        },
      });
      S.layers[item.id] = gj;
      if (!S.hidden[item.id]) group.addLayer(gj);
    });
    var labels = L.layerGroup();
    var ready = PM.fetchData(spec.url).then(function (data) {
      var wanted = {};
      Object.keys(spec.groups).forEach(function (layerId) {
        spec.groups[layerId].forEach(function (id) {
          wanted[id] = layerId;
        });
      });
      var labelPoints = [];
      data.features.forEach(function (f) {
        var layerId = wanted[f.properties.id];
        if (layerId && S.layers[layerId]) {
          S.layers[layerId].addData(f);
          if (f.properties.lp) labelPoints.push([f.properties.lp[0], f.properties.lp[1], f.properties.name]);
        }
      });
      buildLayerList(map, group);
      if (S.featureLabels) map.off("zoomend", S.featureLabels);
      S.featureLabels = spec.feature_labels
        ? PM.labels(map, labels, labelPoints, spec.label_zoom || 9, "plan-label-feature", group)
        : null;
      var selected = spec.selected && byId[spec.selected];
      var drawn = Object.keys(S.layers).map(function (k) {
        return S.layers[k];
      });
      if (spec.key !== S.lastKey) {
        S.lastKey = spec.key;
        if (spec.fit) {
          var b = spec.bounds ? L.latLngBounds(spec.bounds) : boundsOf(drawn);
          if (b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: spec.max_zoom || 10 });
        }
      }
      if (selected) {
        highlight(selected);
        if (S.lastSelected !== spec.selected) {
          S.lastSelected = spec.selected;
          focus(map, selected, spec);
          openPopup(map, selected, null);
        }
      }
      map.getContainer().setAttribute("data-features", String(Object.keys(byId).length));
      return byId;
    });
    PM.ready = ready;
    return ready;
  };
  // -- units coloured by a class table (the city page) -------------------------------------------
  // The outlines come from a static file fetched once; ``spec.units`` maps adcode → [class, count].
  // A click outlines the unit and names it in a card at once, before the page's script answers.
  PM.units = function (map, spec) {
    var U = (S.units = { layers: {}, spec: spec, selected: null });
    var outlinePane = map.getPane("unitOutline") || map.createPane("unitOutline");
    outlinePane.style.zIndex = 450; // above the features, under tooltips and popups
    outlinePane.style.pointerEvents = "none";
    function base(code) {
      var entry = spec.units[code];
      return { color: "#6b6b6b", weight: 0.8, fillColor: spec.palette[entry ? entry[0] : 0], fillOpacity: 0.78 };
    }
    var layer = L.geoJson(null, {
      style: function (f) {
        return base(f.properties.adcode);
      },
      onEachFeature: function (f, unit) {
        var code = f.properties.adcode;
        U.layers[code] = unit;
        var tip = document.createElement("div");
        el("b", "", tip, f.properties.name);
        tip.appendChild(document.createElement("br"));
        tip.appendChild(document.createTextNode(PM.unitCount(code) + " " + spec.word));
        unit.bindTooltip(tip, { sticky: true, direction: "top" });
        unit.on("mouseover", function () {
          unit.setStyle({ weight: 3 });
        });
        unit.on("mouseout", function () {
          unit.setStyle({ weight: 0.8 });
        });
        // What the page's script receives for a click: the unit's id, not its outline.
        unit.toGeoJSON = function () {
          return { type: "Feature", properties: { adcode: code }, geometry: null };
        };
        unit.on("click", function () {
          if (map.getContainer().classList.contains("plan-measuring")) return;
          showUnit(map, code, true);
        });
      },
    }).addTo(map);
    U.card = L.control({ position: "topleft" });
    U.card.onAdd = function () {
      var box = L.DomUtil.create("div", "plan-unit-card");
      box.style.display = "none";
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    U.card.addTo(map);
    U.ready = PM.fetchData(spec.url).then(function (data) {
      layer.addData(data);
      map.getContainer().setAttribute("data-units", String(data.features.length));
      return U;
    });
    U.ready.catch(function (error) {
      console.warn("units not drawn:", error);
    });
  };

  PM.unitCount = function (code) {
    var entry = S.units && S.units.spec.units[code];
    return entry ? entry[1] : 0;
  };

  function showUnit(map, code, pending) {
    var U = S.units;
    if (U.outline) {
      map.removeLayer(U.outline);
      U.outline = null;
    }
    var box = U.card.getContainer();
    var unit = code && U.layers[code];
    U.selected = unit ? code : null;
    if (!unit) {
      box.style.display = "none";
      return;
    }
    U.outline = L.geoJSON(unit.feature, {
      pane: "unitOutline",
      interactive: false,
      style: { color: "#0b3d91", weight: 4, fill: false },
    }).addTo(map);
    box.textContent = "";
    el("b", "", box, unit.feature.properties.name);
    el("div", "", box, PM.unitCount(code) + " " + U.spec.word);
    if (pending) el("div", "plan-unit-card-pending", box, U.spec.loading);
    box.setAttribute("data-adcode", code);
    box.style.display = "";
  }

  /** The unit the page's script chose (a click, the select box or a link); null clears it. */
  PM.selectUnit = function (map, code) {
    if (!S.units) return;
    S.units.ready.then(function () {
      showUnit(map, code, false);
    });
  };
})();
