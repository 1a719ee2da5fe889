// Portolan maps: turns every [data-map] figure into a Leaflet map. The figure already holds the
// list of places (the page works without JavaScript); the points come from the JSON data block
// named by data-map-points, never from inline script.
(function () {
  "use strict";

  var TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION =
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

  function readPoints(figure) {
    var source = document.getElementById(figure.getAttribute("data-map-points") || "");
    if (!source) return [];
    try {
      var points = JSON.parse(source.textContent || "[]");
      return Array.isArray(points) ? points.filter(function (p) {
        return typeof p.lat === "number" && typeof p.lon === "number";
      }) : [];
    } catch (error) {
      return [];
    }
  }

  // Popups are built from DOM nodes with textContent, so record names are never parsed as HTML.
  function popupFor(point, urlPrefix) {
    var box = document.createElement("div");
    var title;
    if (urlPrefix && point.slug) {
      title = document.createElement("a");
      title.href = urlPrefix + encodeURIComponent(point.slug) + "/";
    } else {
      title = document.createElement("strong");
    }
    title.textContent = point.name;
    box.appendChild(title);
    if (point.city) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(point.city));
    }
    return box;
  }

  function addListToggle(figure, frame, fallback) {
    var button = document.createElement("button");
    var show = figure.getAttribute("data-map-show-list") || "Show the list";
    var hide = figure.getAttribute("data-map-hide-list") || "Hide the list";
    button.type = "button";
    button.className = "map__toggle";
    button.textContent = show;
    button.setAttribute("aria-expanded", "false");
    if (fallback.id) button.setAttribute("aria-controls", fallback.id);
    button.addEventListener("click", function () {
      var open = fallback.hidden;
      fallback.hidden = !open;
      button.textContent = open ? hide : show;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    frame.parentNode.insertBefore(button, frame.nextSibling);
    button.parentNode.insertBefore(fallback, button.nextSibling);
  }

  function initMap(figure) {
    if (!window.L || figure.getAttribute("data-map-ready")) return;
    var points = readPoints(figure);
    var frame = figure.querySelector(".map__frame");
    var fallback = figure.querySelector(".map__fallback");
    if (!points.length || !frame) return;

    var canvas = document.createElement("div");
    canvas.className = "map__canvas";
    frame.appendChild(canvas);
    if (fallback) {
      fallback.hidden = true;
      addListToggle(figure, frame, fallback);
    }
    figure.classList.add("map--live");
    figure.setAttribute("data-map-ready", "1");

    var map = window.L.map(canvas, { scrollWheelZoom: false, worldCopyJump: true });
    window.L.tileLayer(TILE_URL, { maxZoom: 18, attribution: ATTRIBUTION }).addTo(map);
    var urlPrefix = figure.getAttribute("data-map-url-prefix") || "";
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lon], {
        radius: 7,
        color: "#0b3954",
        weight: 2,
        fillColor: "#f29e1f",
        fillOpacity: 0.95,
      });
      marker.bindPopup(popupFor(point, urlPrefix));
      marker.bindTooltip(point.name);
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 11);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
    }
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
  window.PortolanMap = { init: initAll, initMap: initMap };
})();
