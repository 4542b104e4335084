/* PlanMap legend: the current view as a PNG or a printable page, with a title, a legend of the
 * shown layers and of the precision classes (drawn with the map's own options), a scale, a north
 * arrow and a line naming the datum, the date and the source. */
(function () {
  "use strict";
  var PM = window.PlanMap;
  var shared = PM.shared;
  var S = shared.state;
  var t = shared.t;
  var FONT = "'Noto Sans CJK SC', sans-serif";

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

  function dashes(style) {
    return style.dashArray ? String(style.dashArray).split(/[ ,]+/).map(Number) : [];
  }

  function opacity(value, otherwise) {
    return value === undefined ? otherwise : value;
  }

  /** A circle marker as the map draws it: ``style`` holds Leaflet's circle-marker options. */
  function drawMarker(ctx, cx, cy, style) {
    ctx.beginPath();
    ctx.arc(cx, cy, Math.min(style.radius || 6, 6), 0, 2 * Math.PI);
    if (style.fill !== false) {
      ctx.globalAlpha = opacity(style.fillOpacity, 0.2);
      ctx.fillStyle = style.fillColor || style.color;
      ctx.fill();
    }
    ctx.globalAlpha = opacity(style.opacity, 1);
    ctx.strokeStyle = style.color;
    ctx.lineWidth = Math.min(style.weight || 2, 2.5);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  /** A line, or an area's outline with its fill, as the map draws it (Leaflet path options). */
  function drawPath(ctx, x, cy, style) {
    ctx.globalAlpha = opacity(style.opacity, 1);
    ctx.strokeStyle = style.color;
    ctx.lineWidth = Math.min(style.weight || 3, 4);
    ctx.setLineDash(dashes(style));
    if (style.fillColor) {
      ctx.globalAlpha = opacity(style.fillOpacity, 0.2);
      ctx.fillStyle = style.fillColor;
      ctx.fillRect(x + 1, cy - 10, 24, 10);
      ctx.globalAlpha = opacity(style.opacity, 1);
      ctx.strokeRect(x + 1, cy - 10, 24, 10);
    } else {
      ctx.beginPath();
      ctx.moveTo(x, cy - 5);
      ctx.lineTo(x + 26, cy - 5);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }

  /** The legend box with its lower left corner at (x, y); returns where each row's symbol is. */
  function drawLegend(ctx, x, y, items) {
    var standIn = PM.standInShown ? PM.standInShown() : false;
    var precision = (S.cfg.precision || []).filter(function (p) {
      return !p.stand_in || standIn;
    });
    var rows = items.length + precision.length + 2;
    var h = rows * 18 + 10, w = 210;
    var symbols = [];
    ctx.fillStyle = "rgba(255,255,255,0.94)";
    ctx.strokeStyle = "#999";
    ctx.lineWidth = 1;
    ctx.fillRect(x, y - h, w, h);
    ctx.strokeRect(x + 0.5, y - h + 0.5, w, h);
    var cy = y - h + 18;
    ctx.fillStyle = "#111";
    ctx.font = "bold 13px " + FONT;
    ctx.fillText(t("legend"), x + 8, cy);
    ctx.font = "12px " + FONT;
    items.forEach(function (item) {
      cy += 18;
      ctx.fillStyle = item.colour;
      ctx.fillRect(x + 8, cy - 9, 26, 8);
      ctx.fillStyle = "#222";
      ctx.fillText(item.title, x + 42, cy);
    });
    cy += 18;
    ctx.font = "bold 12px " + FONT;
    ctx.fillText(t("precision"), x + 8, cy);
    ctx.font = "12px " + FONT;
    precision.forEach(function (p) {
      cy += 18;
      if (p.marker) drawMarker(ctx, x + 21, cy - 5, p.marker);
      else drawPath(ctx, x + 8, cy, p.line || {});
      symbols.push({ id: p.id, x: x + 21, y: cy - 5 });
      ctx.fillStyle = "#222";
      ctx.fillText(p.title, x + 42, cy);
    });
    return symbols;
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
      ctx.font = "11px " + FONT;
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
      ctx.font = "bold 17px " + FONT;
      ctx.fillText(S.cfg.title || "", 10, 20);
      ctx.font = "12px " + FONT;
      ctx.fillStyle = "#444";
      ctx.fillText(S.subtitle || "", 10, 37);
      // Legend (bottom left of the map) and scale (bottom right)
      var symbols = drawLegend(ctx, 10, top + size.y - 10, S.legendItems || []);
      shared.testHook("legendSymbols", symbols);
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
      ctx.fillText(shared.formatLength(scale.metres), sx + 4, sy - 7);
      // North arrow
      ctx.font = "bold 14px sans-serif";
      ctx.fillText("N ↑", size.x - 40, top + 20);
      // Footer: datum, date, source
      ctx.font = "11px " + FONT;
      ctx.fillStyle = "#333";
      var today = new Date().toISOString().slice(0, 10);
      ctx.fillText(S.cfg.datum + " · " + today + " · " + S.cfg.source, 10, top + size.y + 17);
      return canvas;
    });
  };

  PM.exportPng = function (map) {
    return PM.renderImage(map).then(function (canvas) {
      var url = canvas.toDataURL("image/png");
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
})();
