/* PlanMap labels: names as text that appear from a zoom on (cities, counties, the features). */
(function () {
  "use strict";
  var PM = window.PlanMap;

  /** ``points`` are [lat, lon, text]; ``container`` (default: the map) holds ``group`` while the
   * zoom is at least ``minZoom``; each label is ``width`` pixels wide (default 80), centred on its
   * point. Returns the zoom handler (to remove it when the labels change). */
  PM.labels = function (map, group, points, minZoom, className, container, width) {
    var holder = container || map;
    var w = width || 80;
    points.forEach(function (p) {
      var div = document.createElement("div");
      div.className = className || "plan-label";
      div.textContent = p[2];
      L.marker([p[0], p[1]], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ html: div, className: "plan-label-icon", iconSize: [w, 14], iconAnchor: [w / 2, 7] }),
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
})();
