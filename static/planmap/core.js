/* PlanMap core: the namespace, the state the map-tool files share, DOM helpers, data fetching,
 * backdrop outlines and vector layers whose style travels in each feature.
 *
 * The map tools are plain scripts loaded in this order (layers/assets.py: MAP_SCRIPTS): core,
 * labels, legend, tools, view, units. streamlit-folium loads them one after the other with <script>
 * elements and then runs the page's script, which calls PlanMap.*; ES modules would run after it.
 * Features are fetched once per page from a static GeoJSON file the app writes (the browser can
 * cache it); a Streamlit run only sends which ids to show, so a filter change redraws in place.
 * All text placed as HTML (tooltips, popups) was escaped by the app; names set here use textContent.
 */
(function () {
  "use strict";
  var PM = (window.PlanMap = window.PlanMap || {});
  // State and helpers shared by the map-tool files (not for pages: they call the PlanMap.* below).
  var shared = (PM.shared = PM.shared || {});
  var S = (shared.state = shared.state || {
    hidden: {}, opacity: {}, data: {}, lastKey: null, lastSelected: null, layers: {},
  });

  // Internals a browser test reads (the state, the drawn features, the last export) are published
  // only when the page was opened with this flag set before any script ran; a visitor's map has none.
  if (window.__planmapTestHooks === true) {
    PM.test = PM.test || { state: S };
  }
  shared.testHook = function (name, value) {
    if (PM.test) PM.test[name] = value;
  };

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

  shared.el = function (tag, className, parent, text) {
    var node = L.DomUtil.create(tag, className || "", parent);
    if (text !== undefined) node.textContent = text;
    return node;
  };

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

  shared.button = function (parent, iconName, title, onClick) {
    var b = shared.el("a", "plan-tool", parent);
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
  };

  /** The tools' text in the page's language (``cfg.texts`` from layers/planmap.py). */
  shared.t = function (key) {
    return (S.cfg && S.cfg.texts && S.cfg.texts[key]) || key;
  };

  shared.formatLength = function (m) {
    return m >= 1000 ? (m / 1000).toFixed(m >= 100000 ? 0 : 1) + " km" : Math.round(m) + " m";
  };

  /** A click while measuring adds a point; it must not also select what lies under it. */
  shared.measuring = function (map) {
    return map.getContainer().classList.contains("plan-measuring");
  };

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

  /** Points become circle markers with the feature's own path options. */
  shared.pointToLayer = function (style, interactive) {
    return function (feature, latlng) {
      var options = Object.assign({ fill: true }, style(feature));
      if (interactive !== undefined) options.interactive = interactive;
      return L.circleMarker(latlng, options);
    };
  };

  shared.bindTooltip = function (feature, layer) {
    var html = feature.properties && feature.properties.tooltip;
    if (html) layer.bindTooltip(html, { sticky: true, direction: "top" });
  };

  /** A GeoJSON layer drawn with ``options.style`` (the same for every feature) or else each
   * feature's ``properties.style``; when interactive, its ``properties.tooltip`` (escaped HTML)
   * shows on hover and the outline thickens by ``options.hover_weight``. */
  PM.vector = function (parent, data, options) {
    var fixed = options.style || null;
    var interactive = options.interactive !== false;
    function style(feature) {
      return fixed || (feature.properties && feature.properties.style) || {};
    }
    return L.geoJson(data, {
      interactive: interactive,
      style: style,
      pointToLayer: shared.pointToLayer(style, interactive),
      onEachFeature: function (feature, layer) {
        if (!interactive) return;
        shared.bindTooltip(feature, layer);
        layer.on("mouseover", function (e) {
          e.target.setStyle({ weight: (style(feature).weight || 2) + (options.hover_weight || 0) });
        });
        layer.on("mouseout", function (e) {
          e.target.setStyle({ weight: style(feature).weight || 2 });
        });
      },
    }).addTo(parent);
  };

  /** A control holding fixed HTML the app built and escaped (a legend, the datum badge). */
  PM.htmlControl = function (map, html, position, className) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return control.addTo(map);
  };

  /** Keep the user's extent: pan to ``bounds`` only when its centre is off-screen. */
  PM.reveal = function (map, bounds) {
    var b = L.latLngBounds(bounds);
    if (!map.getBounds().contains(b.getCenter())) map.panTo(b.getCenter());
  };
})();
