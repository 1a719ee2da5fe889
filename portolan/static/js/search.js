// Search page enhancements. Without this file the page still works: filters are links, the
// results are a list and the map data is a GeoJSON link.
(function () {
  "use strict";

  var TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION =
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
  var NARROW = "(max-width: 48rem)";

  // On small screens the filters start folded so the results come first.
  function foldFiltersOnSmallScreens() {
    var panel = document.getElementById("search-filters");
    if (panel && window.matchMedia && window.matchMedia(NARROW).matches) {
      panel.open = false;
    }
  }

  // Popups are built from DOM nodes with textContent: record titles are never parsed as HTML.
  function popup(properties) {
    var box = document.createElement("div");
    var title;
    if (properties.url) {
      title = document.createElement("a");
      title.href = properties.url;
    } else {
      title = document.createElement("strong");
    }
    title.textContent = properties.title || "";
    box.appendChild(title);
    if (properties.type_label) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(properties.type_label));
    }
    return box;
  }

  function drawMap(figure, canvas, data) {
    var L = window.L;
    var map = L.map(canvas, { scrollWheelZoom: false, worldCopyJump: true });
    L.tileLayer(TILE_URL, { maxZoom: 18, attribution: ATTRIBUTION }).addTo(map);
    var bounds = [];
    (data.features || []).forEach(function (feature) {
      var c = feature.geometry && feature.geometry.coordinates;
      if (!c || typeof c[0] !== "number" || typeof c[1] !== "number") return;
      var latlng = [c[1], c[0]];
      bounds.push(latlng);
      L.circleMarker(latlng, {
        radius: 6,
        weight: 1,
        color: "#0b3954",
        fillColor: "#f29e1f",
        fillOpacity: 0.85
      })
        .bindPopup(popup(feature.properties || {}))
        .addTo(map);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9 });
    } else {
      map.setView([20, 0], 2);
    }
    if (data.truncated) {
      var note = document.createElement("p");
      note.className = "search-map__note";
      note.textContent = figure.getAttribute("data-label-truncated") || "";
      figure.insertBefore(note, canvas.nextSibling);
    }
  }

  function setUpMap() {
    var figure = document.getElementById("search-map");
    if (!figure || !window.L || !window.fetch) return;
    var canvas = figure.querySelector(".search-map__canvas");
    var url = figure.getAttribute("data-geojson");
    if (!canvas || !url) return;
    var loaded = false;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "search-map__toggle";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "search-map-canvas");
    canvas.id = "search-map-canvas";
    button.textContent = figure.getAttribute("data-label-show") || "Show the map";
    figure.insertBefore(button, canvas);

    button.addEventListener("click", function () {
      var opening = canvas.hidden;
      canvas.hidden = !opening;
      button.setAttribute("aria-expanded", opening ? "true" : "false");
      button.textContent = figure.getAttribute(opening ? "data-label-hide" : "data-label-show");
      if (!opening || loaded) return;
      loaded = true;
      figure.setAttribute("aria-busy", "true");
      fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("map data " + response.status);
          return response.json();
        })
        .then(function (data) {
          drawMap(figure, canvas, data);
        })
        .catch(function () {
          loaded = false;
        })
        .then(function () {
          figure.removeAttribute("aria-busy");
        });
    });
  }

  // The share box selects its whole URL on focus, ready to copy.
  function setUpShare() {
    var input = document.getElementById("share-url");
    if (input) {
      input.addEventListener("focus", function () {
        input.select();
      });
    }
  }

  function init() {
    foldFiltersOnSmallScreens();
    setUpMap();
    setUpShare();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
