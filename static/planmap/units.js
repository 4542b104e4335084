/* PlanMap units: the city map's units coloured by a class table, their tooltips and the card that
 * names the unit a click chose. */
(function () {
  "use strict";
  var PM = window.PlanMap;
  var shared = PM.shared;
  var S = shared.state;
  var el = shared.el;

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
          if (shared.measuring(map)) return;
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
