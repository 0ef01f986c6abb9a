/*
 * Eventmap's event layer for Leaflet: draws events from data with one clustered layer.
 *
 *   eventmap.init(map, config)        called once by the page (geo/mapping.py builds it)
 *   eventmap.setEvents(featureCollection)   compact GeoJSON from geo.mapping.events_geojson
 *   eventmap.highlight(ids)  eventmap.setVisible(ids | null)  eventmap.setDateFilter(from, to, undated)
 *   eventmap.fitEvents(ids?)  eventmap.setOnlineTiles(on)  eventmap.isIdle()
 *
 * Article text is untrusted: every string from the data reaches the page through textContent,
 * never through innerHTML.
 */
(function () {
  'use strict';

  // Colour by date (early -> late) and the colours of the other symbols. Keep in step with
  // geo/mapping.py (DATE_RAMP), which draws the same legend into PDF reports.
  var RAMP = ['#3b1c8c', '#7e2a96', '#c23b75', '#ec6a3d', '#f7b32b'];
  var UNDATED = '#8a8f98';
  var HIGHLIGHT = '#00c8ff';
  var OUTLINE = '#1f2430';
  var CLUSTER = '#262d3a';

  var S = {
    map: null, config: {}, cluster: null, precision: null, renderer: null,
    markers: new Map(), order: [], domain: [], rank: new Map(),
    idFilter: null, dateFilter: null, highlighted: new Set(),
    visible: 0, loading: false, tileLayers: [], online: null, tip: null, legend: null,
    bridge: null, ready: false, tileErrors: 0, clicked: [], frames: 0
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function hexToRgb(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  var RAMP_RGB = RAMP.map(hexToRgb);

  function rampColour(t) {
    t = Math.max(0, Math.min(1, t));
    var pos = t * (RAMP_RGB.length - 1), i = Math.min(Math.floor(pos), RAMP_RGB.length - 2);
    var f = pos - i, a = RAMP_RGB[i], b = RAMP_RGB[i + 1];
    var rgb = [0, 1, 2].map(function (k) { return Math.round(a[k] + (b[k] - a[k]) * f); });
    return '#' + rgb.map(function (v) { return (v < 16 ? '0' : '') + v.toString(16); }).join('');
  }

  function radiusFor(count) {
    return Math.min(6 + 3 * Math.sqrt(Math.max(count, 1) - 1), 22);
  }

  function colourFor(p) {
    if (!p.start) return UNDATED;
    var n = S.domain.length;
    return rampColour(n > 1 ? S.rank.get(p.start) / (n - 1) : 1);
  }

  function dateLabel(p) {
    if (!p.start) return p.reported ? 'undated (reported ' + p.reported + ')' : 'undated';
    return p.end && p.end !== p.start ? p.start + ' \u2013 ' + p.end : p.start;
  }

  function styleFor(marker) {
    var p = marker.feature.properties;
    var lit = S.highlighted.has(marker.eventId);
    var dim = S.highlighted.size > 0 && !lit;
    return {
      radius: marker.baseRadius + (lit ? 2 : 0),
      fillColor: marker.colour,
      fillOpacity: dim ? 0.3 : 0.9,
      color: lit ? HIGHLIGHT : OUTLINE,
      opacity: dim ? 0.4 : 0.95,
      weight: lit ? 3.5 : 1.2,
      dashArray: p.approx ? '3 2' : null
    };
  }

  // -- tiles -----------------------------------------------------------------------------

  // Tiles embedded in a standalone page as base64 PNGs keyed "z/x/y". A missing tile is cut
  // out of its nearest stored ancestor, so the map overzooms anywhere.
  var EmbeddedTiles = L.GridLayer.extend({
    createTile: function (coords, done) {
      var size = this.getTileSize(), tile = document.createElement('canvas');
      tile.width = size.x; tile.height = size.y;
      var tiles = window.EVENTMAP_TILES || {}, n = 1 << coords.z;
      if (coords.y < 0 || coords.y >= n) { setTimeout(function () { done(null, tile); }, 0); return tile; }
      var dz = 0, key = null;
      for (; dz <= coords.z; dz++) {
        key = (coords.z - dz) + '/' + (coords.x >> dz) + '/' + (coords.y >> dz);
        if (tiles[key]) break;
      }
      if (dz > coords.z) { setTimeout(function () { done(null, tile); }, 0); return tile; }
      var img = new Image();
      img.onload = function () {
        var part = 256 / (1 << dz), mask = (1 << dz) - 1;
        var ctx = tile.getContext('2d');
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(img, (coords.x & mask) * part, (coords.y & mask) * part, part, part,
                      0, 0, size.x, size.y);
        done(null, tile);
      };
      img.onerror = function () { done(new Error('bad tile ' + key), tile); };
      img.src = 'data:image/png;base64,' + tiles[key];
      return tile;
    }
  });

  function watchTiles(layer) {
    layer.on('tileerror', function () { S.tileErrors += 1; });
    S.tileLayers.push(layer);
    return layer;
  }

  function setOnlineTiles(on) {
    var cfg = S.config.online;
    if (!cfg) return false;
    if (on && !S.online) {
      S.online = watchTiles(L.tileLayer(cfg.url, {
        attribution: cfg.attribution, maxZoom: S.map.getMaxZoom(), maxNativeZoom: 19
      })).addTo(S.map);
    } else if (!on && S.online) {
      S.map.removeLayer(S.online);
      S.tileLayers = S.tileLayers.filter(function (l) { return l !== S.online; });
      S.online = null;
    }
    return !!S.online;
  }

  // -- borders ---------------------------------------------------------------------------

  function addBorders() {
    var data = window.EVENTMAP_BORDERS;
    if (!data) return;
    S.map.createPane('em-borders').style.zIndex = 350;
    var layer = L.geoJSON(data, {
      pane: 'em-borders', interactive: false,
      renderer: L.canvas({pane: 'em-borders', padding: 0.5}),
      style: function (f) {
        return f.properties.kind === 'border'
          ? {color: '#6b4f7a', weight: 1.2, opacity: 0.85}
          : {color: '#5b7b99', weight: 0.8, opacity: 0.7};
      }
    });
    var from = S.config.bordersFromZoom || 0;
    function toggle() {
      var want = S.map.getZoom() >= from;
      if (want && !S.map.hasLayer(layer)) layer.addTo(S.map);
      if (!want && S.map.hasLayer(layer)) S.map.removeLayer(layer);
    }
    S.map.on('zoomend', toggle);
    toggle();
  }

  // -- events ----------------------------------------------------------------------------

  // A cluster is a dark disc with its count, ringed by the date colours of its events in
  // date order: the ring tells how the events of a place spread over time.
  var RING_BINS = 10;

  function clusterRing(markers) {
    var bins = new Array(RING_BINS + 1).fill(0), n = S.domain.length;
    for (var i = 0; i < markers.length; i++) {
      var p = markers[i].feature.properties;
      if (!p.start) { bins[RING_BINS] += 1; continue; }
      var t = n > 1 ? S.rank.get(p.start) / (n - 1) : 1;
      bins[Math.min(Math.floor(t * RING_BINS), RING_BINS - 1)] += 1;
    }
    var stops = [], at = 0;
    for (var b = 0; b <= RING_BINS; b++) {
      if (!bins[b]) continue;
      var colour = b === RING_BINS ? UNDATED : rampColour((b + 0.5) / RING_BINS);
      var next = at + 100 * bins[b] / markers.length;
      stops.push(colour + ' ' + at.toFixed(2) + '% ' + next.toFixed(2) + '%');
      at = next;
    }
    return 'conic-gradient(' + stops.join(', ') + ')';
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var markers = cluster.getAllChildMarkers();
    var lit = S.highlighted.size > 0 && markers.some(function (m) {
      return S.highlighted.has(m.eventId);
    });
    var size = Math.round(30 + 7 * Math.log10(count));
    var label = count >= 10000 ? Math.round(count / 1000) + 'k' : String(count);
    var node = el('div', 'em-cluster-ring');
    node.style.background = clusterRing(markers);
    node.appendChild(el('div', 'em-cluster-inner', label));
    var dim = S.highlighted.size > 0 && !lit;
    return L.divIcon({
      html: node, className: 'em-cluster' + (lit ? ' em-lit' : '') + (dim ? ' em-dim' : ''),
      iconSize: L.point(size, size)
    });
  }

  function tooltipNode(p) {
    var box = el('div', 'em-tip');
    box.appendChild(el('div', 'em-tip-place', p.place));
    box.appendChild(el('div', 'em-tip-date', dateLabel(p)));
    var extra = p.count + (p.count === 1 ? ' source' : ' sources');
    if (p.approx) extra += ' \u00b7 approximate (\u00b1' + Math.round(p.km) + ' km)';
    box.appendChild(el('div', 'em-tip-count', extra));
    return box;
  }

  function popupNode(p) {
    var box = tooltipNode(p);
    box.className = 'em-popup';
    var list = el('ol', 'em-sources');
    (p.sources || []).forEach(function (s) {
      var item = el('li');
      var head = el('div', 'em-src-head');
      head.appendChild(el('span', 'em-src-title', s.title || 'untitled'));
      var meta = [s.outlet, s.published].filter(Boolean).join(', ');
      if (meta) head.appendChild(el('span', 'em-src-meta', ' \u2014 ' + meta));
      item.appendChild(head);
      if (s.passage) {
        var q = el('blockquote', 'em-src-passage');
        var a = s.mention_start, b = s.mention_end, text = s.passage;
        if (a >= 0 && b > a && b <= text.length) {
          q.appendChild(document.createTextNode(text.slice(0, a)));
          q.appendChild(el('mark', null, text.slice(a, b)));
          q.appendChild(document.createTextNode(text.slice(b)));
        } else {
          q.textContent = text;
        }
        item.appendChild(q);
      }
      list.appendChild(item);
    });
    if (list.childNodes.length) box.appendChild(list);
    return box;
  }

  function onOver(e) {
    var m = e.target;
    S.tip.setContent(tooltipNode(m.feature.properties));
    S.map.openTooltip(S.tip, m.getLatLng());
  }

  function onOut() { S.map.closeTooltip(S.tip); }

  function onClick(e) {
    var m = e.target, id = m.eventId;
    S.clicked.push(id);
    if (S.bridge) S.bridge.eventClicked(id);
    if (S.config.popups) {
      S.map.closeTooltip(S.tip);
      L.popup({maxWidth: 420, maxHeight: 360, autoPanPadding: [20, 20]})
        .setLatLng(m.getLatLng()).setContent(popupNode(m.feature.properties)).openOn(S.map);
    }
    document.dispatchEvent(new CustomEvent('eventmap:click', {detail: {id: id}}));
    if (e.originalEvent) L.DomEvent.stopPropagation(e.originalEvent);
  }

  function setEvents(fc) {
    var features = (fc && fc.features) || [];
    S.markers = new Map();
    S.order = [];
    var starts = new Set();
    features.forEach(function (f) { if (f.properties.start) starts.add(f.properties.start); });
    S.domain = Array.from(starts).sort();
    S.rank = new Map();
    S.domain.forEach(function (d, i) { S.rank.set(d, i); });
    for (var i = 0; i < features.length; i++) {
      var f = features[i], c = f.geometry.coordinates, p = f.properties;
      var m = L.circleMarker([c[1], c[0]], {renderer: S.renderer, bubblingMouseEvents: false});
      m.feature = f;
      m.eventId = f.id;
      m.baseRadius = radiusFor(p.count || 1);
      m.colour = colourFor(p);
      m.setStyle(styleFor(m));
      m.on({click: onClick, mouseover: onOver, mouseout: onOut});
      S.markers.set(f.id, m);
      S.order.push(m);
    }
    var lit = new Set();
    S.highlighted.forEach(function (id) { if (S.markers.has(id)) lit.add(id); });
    S.highlighted = lit;
    updateLegend();
    return apply();
  }

  function passes(m) {
    if (S.idFilter && !S.idFilter.has(m.eventId)) return false;
    var d = S.dateFilter;
    if (!d) return true;
    var p = m.feature.properties;
    if (!p.start) return d.undated;
    if (d.from && (p.end || p.start) < d.from) return false;
    if (d.to && p.start > d.to) return false;
    return true;
  }

  function apply() {
    var shown = [], circles = [];
    for (var i = 0; i < S.order.length; i++) {
      var m = S.order[i];
      if (!passes(m)) continue;
      shown.push(m);
      var p = m.feature.properties;
      if (p.approx && p.km > 0) {
        circles.push(L.circle(m.getLatLng(), {
          radius: p.km * 1000, renderer: S.precisionRenderer, interactive: false,
          color: m.colour, weight: 1, opacity: 0.7, dashArray: '4 4',
          fillColor: m.colour, fillOpacity: 0.08
        }));
      }
    }
    S.cluster.clearLayers();
    S.precision.clearLayers();
    S.loading = shown.length > 0;
    S.cluster.addLayers(shown);
    circles.forEach(function (c) { S.precision.addLayer(c); });
    S.visible = shown.length;
    return S.visible;
  }

  function highlight(ids) {
    var next = new Set();
    (ids || []).forEach(function (id) { if (S.markers.has(id)) next.add(id); });
    var dimChanged = (next.size > 0) !== (S.highlighted.size > 0);
    var changed = dimChanged ? S.order : [];
    if (!dimChanged) {
      S.highlighted.forEach(function (id) { if (!next.has(id)) changed.push(S.markers.get(id)); });
      next.forEach(function (id) { if (!S.highlighted.has(id)) changed.push(S.markers.get(id)); });
    }
    S.highlighted = next;
    changed.forEach(function (m) { m.setStyle(styleFor(m)); });
    next.forEach(function (id) {
      var m = S.markers.get(id);
      if (m._map) m.bringToFront();
    });
    if (changed.length) S.cluster.refreshClusters(changed);
    return next.size;
  }

  function setVisible(ids) {
    S.idFilter = ids === null || ids === undefined ? null : new Set(ids);
    return apply();
  }

  function setDateFilter(from, to, undated) {
    S.dateFilter = (from || to || undated === false)
      ? {from: from || null, to: to || null, undated: undated !== false} : null;
    return apply();
  }

  function fitEvents(ids, maxZoom) {
    var pick = ids ? ids.map(function (id) { return S.markers.get(id); }).filter(Boolean)
      : S.order.filter(passes);
    if (!pick.length) {
      S.map.setView([25, 20], 2, {animate: false});
      return false;
    }
    var bounds = L.latLngBounds(pick.map(function (m) { return m.getLatLng(); }));
    S.map.fitBounds(bounds, {padding: [40, 40], maxZoom: maxZoom || 8, animate: false});
    return true;
  }

  // -- legend ----------------------------------------------------------------------------

  function updateLegend() {
    var box = S.legendBox;
    if (!box) return;
    box.textContent = '';
    if (!S.order.length) { box.style.display = 'none'; return; }
    box.style.display = '';
    box.appendChild(el('div', 'em-legend-title', 'Event date'));
    if (S.domain.length) {
      var bar = el('div', 'em-legend-ramp');
      bar.style.background = 'linear-gradient(to right, ' + RAMP.join(', ') + ')';
      box.appendChild(bar);
      var labels = el('div', 'em-legend-dates');
      var first = S.domain[0], last = S.domain[S.domain.length - 1];
      labels.appendChild(el('span', null, first));
      if (S.domain.length > 2) {
        labels.appendChild(el('span', null, S.domain[Math.floor((S.domain.length - 1) / 2)]));
      }
      if (last !== first) labels.appendChild(el('span', null, last));
      box.appendChild(labels);
      if (S.domain.length > 2) {
        box.appendChild(el('div', 'em-legend-note', 'colours follow the order of start dates'));
      }
    }
    var kinds = el('div', 'em-legend-row');
    kinds.appendChild(symbol(UNDATED, 6, false));
    kinds.appendChild(el('span', 'em-legend-label', 'undated'));
    kinds.appendChild(symbol('#ffffff', 6, true));
    kinds.appendChild(el('span', 'em-legend-label', 'approximate place'));
    box.appendChild(kinds);
    var sizes = el('div', 'em-legend-row');
    sizes.appendChild(el('span', 'em-legend-label', 'Sources'));
    [1, 5, 20].forEach(function (n) {
      sizes.appendChild(symbol('#ffffff', radiusFor(n), false));
      sizes.appendChild(el('span', 'em-legend-label', String(n)));
    });
    box.appendChild(sizes);
    var cl = el('div', 'em-legend-row');
    var ring = el('span', 'em-legend-cluster');
    ring.style.background = 'conic-gradient(' + RAMP[0] + ' 0 30%, ' + RAMP[2] + ' 30% 55%, ' +
      RAMP[4] + ' 55% 80%, ' + UNDATED + ' 80% 100%)';
    ring.appendChild(el('span', 'em-legend-cluster-inner', '12'));
    cl.appendChild(ring);
    cl.appendChild(el('span', 'em-legend-label', 'events at nearby places; the ring shows their dates'));
    box.appendChild(cl);
  }

  function symbol(colour, r, dashed) {
    var d = Math.round(2 * r + 3);
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', d); svg.setAttribute('height', d);
    svg.setAttribute('class', 'em-legend-symbol');
    var c = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
    c.setAttribute('cx', d / 2); c.setAttribute('cy', d / 2); c.setAttribute('r', r);
    c.setAttribute('fill', colour); c.setAttribute('stroke', OUTLINE);
    c.setAttribute('stroke-width', '1.2');
    if (dashed) c.setAttribute('stroke-dasharray', '3 2');
    svg.appendChild(c);
    return svg;
  }

  function addLegend() {
    var Legend = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var box = el('div', 'em-legend leaflet-control');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        S.legendBox = box;
        updateLegend();
        return box;
      }
    });
    S.legend = new Legend().addTo(S.map);
  }

  function addTitle() {
    var title = S.config.title, range = S.config.dateRange;
    if (!title && !range) return;
    var Title = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var box = el('div', 'em-title leaflet-control');
        if (title) box.appendChild(el('div', 'em-title-main', title));
        if (range) box.appendChild(el('div', 'em-title-range', range));
        return box;
      }
    });
    new Title().addTo(S.map);
  }

  // -- state for the host ----------------------------------------------------------------

  // Every current tile loaded and done fading in (Leaflet fades tiles over 200 ms).
  function tilesSettled(layer) {
    if (layer.isLoading()) return false;
    var now = Date.now();
    for (var key in layer._tiles) {
      var tile = layer._tiles[key];
      if (tile.current && (!tile.loaded || now - tile.loaded < 250)) return false;
    }
    return true;
  }

  function isIdle() {
    var tilesBusy = S.tileLayers.some(function (l) { return l._map && !tilesSettled(l); });
    var panning = !!(S.map._panAnim && S.map._panAnim._inProgress);
    var clustering = S.cluster._inZoomAnimation > 0 ||
      L.DomUtil.hasClass(S.map._mapPane, 'leaflet-cluster-anim');
    return !S.loading && !tilesBusy && !S.map._animatingZoom && !panning && !clustering;
  }

  // Two animation frames after this call, framesPainted() turns true: by then whatever was
  // drawn before the call is on screen (the host waits for it before grabbing pixels).
  function markFrames() {
    S.frames = 0;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { S.frames = 2; });
    });
  }

  function pointOf(lat, lon) {
    var p = S.map.latLngToContainerPoint([lat, lon]);
    return [p.x, p.y];
  }

  // What is drawn for an event now: the marker itself, the cluster holding it, or nothing.
  function drawnAs(id) {
    var m = S.markers.get(id);
    if (!m || !S.cluster.hasLayer(m)) return null;
    var parent = m;  // circle markers have no _icon: markercluster's getVisibleParent misses them
    if (!m._map) {
      parent = m.__parent;
      while (parent && !parent._icon) parent = parent.__parent;
    }
    if (!parent) return null;
    var ll = parent.getLatLng(), pt = S.map.latLngToContainerPoint(ll);
    if (parent === m) return {kind: 'marker', colour: m.colour, x: pt.x, y: pt.y, r: m.options.radius};
    return {kind: 'cluster', colour: CLUSTER, x: pt.x, y: pt.y, count: parent.getChildCount()};
  }

  function announceReady() {
    S.ready = true;
    if (S.bridge && S.bridge.pageReady) S.bridge.pageReady();
    document.dispatchEvent(new Event('eventmap:ready'));
  }

  function connectBridge() {
    if (typeof QWebChannel === 'undefined' || !window.qt || !window.qt.webChannelTransport) {
      announceReady();
      return;
    }
    new QWebChannel(window.qt.webChannelTransport, function (channel) {
      S.bridge = channel.objects.bridge || null;
      announceReady();
    });
  }

  function init(map, config) {
    S.map = map;
    S.config = config || {};
    map.attributionControl.setPrefix(false);
    L.control.scale({imperial: false, maxWidth: 160}).addTo(map);
    map.createPane('em-precision').style.zIndex = 390;
    S.precisionRenderer = L.canvas({pane: 'em-precision'});
    S.renderer = L.canvas({padding: 0.5, tolerance: 3});
    if (S.config.embeddedTiles) {
      watchTiles(new EmbeddedTiles({
        attribution: S.config.attribution, maxZoom: map.getMaxZoom()
      })).addTo(map);
    }
    map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer && S.tileLayers.indexOf(layer) < 0) watchTiles(layer);
    });
    addBorders();
    S.precision = L.layerGroup().addTo(map);
    S.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkProgress: function (done, total) { S.loading = done < total; },
      maxClusterRadius: S.config.clusterRadius || 36,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      removeOutsideVisibleBounds: true,
      iconCreateFunction: clusterIcon
    }).addTo(map);
    S.tip = L.tooltip({direction: 'top', offset: [0, -8], className: 'em-tooltip', opacity: 1});
    addLegend();
    addTitle();
    if (S.config.online && S.config.online.on) setOnlineTiles(true);
    if (window.EVENTMAP_EVENTS) setEvents(window.EVENTMAP_EVENTS);
    var v = S.config.view;
    if (v && isFinite(v.lat) && isFinite(v.lon) && isFinite(v.zoom)) {
      map.setView([v.lat, v.lon], v.zoom, {animate: false});
    } else if (window.EVENTMAP_EVENTS) {
      fitEvents();
    }
    window.addEventListener('resize', function () { map.invalidateSize({pan: false}); });
    connectBridge();
  }

  window.eventmap = {
    init: init,
    setEvents: setEvents,
    highlight: highlight,
    setVisible: setVisible,
    setDateFilter: setDateFilter,
    fitEvents: fitEvents,
    setOnlineTiles: setOnlineTiles,
    setView: function (lat, lon, zoom) { S.map.setView([lat, lon], zoom, {animate: false}); },
    view: function () {
      var c = S.map.getCenter();
      return {lat: c.lat, lon: c.lng, zoom: S.map.getZoom()};
    },
    isIdle: isIdle,
    // Snapshot mode hides what only makes sense on screen (the zoom buttons).
    setSnapshotMode: function (on) {
      L.DomUtil[on ? 'addClass' : 'removeClass'](S.map.getContainer(), 'em-snapshot');
    },
    markFrames: markFrames,
    framesPainted: function () { return S.frames >= 2; },
    isReady: function () { return S.ready; },
    pointOf: pointOf,
    drawnAs: drawnAs,
    visibleCount: function () { return S.visible; },
    highlightedCount: function () { return S.highlighted.size; },
    eventCount: function () { return S.order.length; },
    tileErrors: function () { return S.tileErrors; },
    clicked: function () { return S.clicked.slice(); },
    marker: function (id) { return S.markers.get(id) || null; },
    click: function (id) {
      var m = S.markers.get(id);
      if (!m) return false;
      m.fire('click', {latlng: m.getLatLng()});
      return true;
    },
    escapeHtml: escapeHtml,
    colours: {ramp: RAMP, undated: UNDATED, highlight: HIGHLIGHT, outline: OUTLINE, cluster: CLUSTER}
  };
})();
