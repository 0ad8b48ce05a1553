/* The risk map (Leaflet from npm, served by the app; no tiles unless DOORBRAAK_MAP_TILES_URL is
   set): area outlines and the premises with a signal, each a keyboard-focusable marker whose
   shape, size and colour follow its score band and which carries its score as text. The ranked
   list on the same page is the text alternative. No inline script: data comes from data-points. */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function score(value) {
    return (Math.round(value * 100) / 100).toString().replace(".", ",");
  }

  function icon(point) {
    var size = { high: 30, medium: 24, low: 20 }[point.band] || 20;
    return L.divIcon({
      className: "db-risk-icon",
      html:
        '<span class="db-risk-marker db-risk-marker--' + esc(point.band) + '">' +
        '<span class="db-risk-marker__text">' + esc(score(point.score)) + "</span></span>",
      iconSize: [size + 4, size + 4],
      iconAnchor: [(size + 4) / 2, (size + 4) / 2],
    });
  }

  function draw(el, data) {
    var map = L.map(el, { keyboard: true, zoomControl: true, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    var bounds = L.latLngBounds([]);
    var outlines = L.geoJSON(data.outlines || [], {
      style: function () {
        return { color: "#1a1a1a", weight: 2, dashArray: "6 4", fill: true, fillColor: "#ffffff", fillOpacity: 0.6 };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        layer.bindTooltip(esc(p.name || ""), { sticky: true });
      },
    }).addTo(map);
    if (outlines.getLayers().length) bounds.extend(outlines.getBounds());
    var markers = [];
    (data.points || []).forEach(function (point) {
      var label = point.label + ": score " + score(point.score) + " (" + point.band_label + ")";
      var marker = L.marker([point.lat, point.lon], {
        icon: icon(point),
        keyboard: true,
        title: label,
        alt: label,
        riseOnHover: true,
        zIndexOffset: Math.round(point.score * 100),
      });
      marker.bindPopup(
        '<div class="db-risk-popup"><a href="' + esc(point.url) + '">' + esc(point.label) + "</a><br>" +
        "score " + esc(score(point.score)) + " (" + esc(point.band_label) + ")<br>" +
        esc(point.indicators.join(", ")) + "</div>"
      );
      marker.addTo(map);
      markers.push(marker);
      bounds.extend([point.lat, point.lon]);
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16] });
    } else {
      map.setView([52.09, 5.12], 12);
    }
    markers.forEach(function (m) {
      var node = m.getElement();
      if (node) {
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", m.options.title);
      }
    });
    el.dataset.markers = String(markers.length);
    el.classList.add("db-risk-map--ready");
  }

  function start() {
    var el = document.getElementById("risk-map");
    if (!el || typeof L === "undefined") return;
    fetch(el.dataset.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        draw(el, data);
      })
      .catch(function () {
        el.textContent = el.getAttribute("data-error") || "De kaart kon niet worden geladen; de lijst hieronder toont dezelfde panden.";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
