/* PlanMap view: the plan map's features for this Streamlit run, drawn in place from one static
 * GeoJSON file, fitted when the selection changed, with the selected feature's popup open. */
(function () {
  "use strict";
  var PM = window.PlanMap;
  var shared = PM.shared;
  var S = shared.state;

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
    if (!p.popup_html) return;
    var where = latlng || (layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
    if (!latlng && layer.getLatLngs) {
      // A point on the line itself, not the centre of its box.
      var flat = L.LineUtil.isFlat(layer.getLatLngs()) ? layer.getLatLngs() : [].concat.apply([], layer.getLatLngs());
      if (flat.length && flat[0].lat !== undefined) where = flat[Math.floor(flat.length / 2)];
    }
    L.popup({ maxWidth: 340, autoPanPadding: [20, 20], className: "plan-popup" })
      .setLatLng(where)
      .setContent(p.popup_html)
      .openOn(map);
  }

  /** Whether a drawn, shown layer has a point standing for a named place (a seat for a port). */
  PM.standInShown = function () {
    return Object.keys(S.standInLayers || {}).some(function (layerId) {
      return !S.hidden[layerId];
    });
  };

  /** The in-map legend's stand-in row is there only while such a point is on the map. */
  PM.showStandInRow = function () {
    var shown = PM.standInShown();
    document.querySelectorAll(".plan-legend-stand-in").forEach(function (row) {
      row.hidden = !shown;
    });
  };

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
        pointToLayer: shared.pointToLayer(function (f) {
          return f.properties.style || {};
        }),
        onEachFeature: function (f, layer) {
          byId[f.properties.id] = layer;
          shared.bindTooltip(f, layer);
          layer.on("click", function (e) {
            if (shared.measuring(map)) return;
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
      S.standInLayers = {};
      data.features.forEach(function (f) {
        var layerId = wanted[f.properties.id];
        if (layerId && S.layers[layerId]) {
          S.layers[layerId].addData(f);
          if (f.properties.stand_in) S.standInLayers[layerId] = true;
          var at = f.properties.label_point;
          if (at) labelPoints.push([at[0], at[1], f.properties.name]);
        }
      });
      shared.buildLayerList(map, group);
      PM.showStandInRow();
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
      return byId;
    });
    shared.testHook("ready", ready);
    return ready;
  };
})();
