/*
 * Eventmap's event layer for Leaflet: draws events from data, clustered with Supercluster.
 *
 *   eventmap.init(map, config)        called once by the page (geo/mapping.py builds it)
 *   eventmap.setEvents(data)   columns from geo.mapping.events_columns, or GeoJSON
 *                              from geo.mapping.events_geojson (the standalone page)
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
  var AREA = '#2f6f9f';

  // One glyph per family of events (store/event_families.py; the KML export uses Google Earth
  // icons of the same sense). Labels for the legend and the tooltip.
  var FAMILIES = [
    {key: 'meeting', label: 'Meetings and visits', short: 'Meetings, visits', glyph: 'circle'},
    {key: 'agreement', label: 'Agreements and support', short: 'Agreements, support',
     glyph: 'star'},
    {key: 'aid', label: 'Aid', short: 'Aid', glyph: 'cross'},
    {key: 'statement', label: 'Statements of conflict and sanctions',
     short: 'Demands, threats, sanctions', glyph: 'triangle'},
    {key: 'protest', label: 'Protests', short: 'Protests', glyph: 'flag'},
    {key: 'military', label: 'Military moves', short: 'Military moves', glyph: 'chevron'},
    {key: 'attack', label: 'Attacks and fighting', short: 'Attacks, fighting', glyph: 'burst'},
    {key: 'other', label: 'Other', short: 'Other events', glyph: 'square'}
  ];
  var FAMILY = new Map(FAMILIES.map(function (f) { return [f.key, f]; }));
  var SHOWN_STATUSES = ['reported', 'planned'];
  // Title labels appear from this zoom on, where they no longer pile up.
  var LABEL_ZOOM = 6;
  var MAX_LABELS = 150;

  var S = {
    map: null, config: {}, layer: null, precision: null, renderer: null,
    // the events (columns, see newData), their records made so far, the clusters of each level
    data: null, recs: [], levels: null, indexOf: function () { return -1; },
    mask: new Uint8Array(0), maskVersion: 0, agg: null, level: null, present: new Set(),
    dataToken: 0, loadToken: 0, loading: false, building: false, redrawPending: false,
    incoming: null, builtEarly: null,  // events between setData's steps, their early clusters
    stepGap: 0,  // ms between those steps (spaceSteps)
    queue: [],  // calls waiting for events on their way (afterLoad)
    // below workerFrom events the clusters are built at once on the page: a worker's start
    // costs more than the work
    worker: undefined, workerFrom: 5000,
    markers: new Map(), drawn: new Map(), clusters: [],
    domain: [], rank: new Map(),
    idList: null, idMask: null, dateFilter: null, highlighted: new Set(),
    kinds: {families: null, statuses: new Set(SHOWN_STATUSES)},
    places: [], placesShown: false, placeLayer: null, labelLayer: null,
    outlines: new Map(), outlineLayer: null, selected: null,
    visible: 0, tileLayers: [], online: null, tip: null, legend: null,
    legendBox: null, legendBody: null, legendToggle: null,
    bridge: null, ready: false, tileErrors: 0, clicked: [], frames: 0,
    // page-side time of the last filter, the last redraw, the last clustering on the page;
    // when the first call since calledAt was reset arrived, when the last redraw was painted
    stats: {applyMs: 0, redrawMs: 0, indexMs: 0, calledAt: 0, paintedAt: 0}
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
    return rampColour(n > 1 ? S.rank.get(dayKey(p.start)) / (n - 1) : 1);
  }

  function dateLabel(p) {
    if (!p.start) return p.reported ? 'undated (reported ' + p.reported + ')' : 'undated';
    return p.end && p.end !== p.start ? p.start + ' \u2013 ' + p.end : p.start;
  }

  // Status is drawn, not written: a reported event is solid, a planned one hollow with a
  // dashed rim in its date colour, a hypothetical one dotted and grey-filled, a denied one
  // hollow and struck through (the glyph draws the stroke).
  function styleFor(marker) {
    var p = marker.rec.p;
    var lit = S.highlighted.has(marker.eventId);
    var dim = S.highlighted.size > 0 && !lit;
    var status = p.status || 'reported';
    var solid = status === 'reported';
    return {
      radius: marker.baseRadius + (lit ? 2 : 0),
      fillColor: solid ? marker.colour : '#ffffff',
      fillOpacity: dim ? 0.3 : (solid ? 0.92 : 0.8),
      color: lit ? HIGHLIGHT : (solid ? OUTLINE : marker.colour),
      opacity: dim ? 0.4 : 0.95,
      weight: lit ? 3.5 : (solid ? 1.2 : 2.4),
      dashArray: status === 'planned' ? '4 2.5' : status === 'hypothetical' ? '1.5 2.5' : null
    };
  }

  // -- glyphs ----------------------------------------------------------------------------

  // A path for each glyph, centred on (x, y) and about 2r wide, on a 2D context (the map's
  // canvas, or the legend's little canvases).
  function glyphPath(ctx, glyph, x, y, r) {
    var k, a;
    ctx.beginPath();
    if (glyph === 'star' || glyph === 'burst') {
      var points = glyph === 'star' ? 5 : 8, inner = glyph === 'star' ? 0.45 : 0.6;
      var R = r * 1.25;
      for (k = 0; k < 2 * points; k++) {
        a = -Math.PI / 2 + k * Math.PI / points;
        var rr = k % 2 ? R * inner : R;
        ctx[k ? 'lineTo' : 'moveTo'](x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
    } else if (glyph === 'triangle') {
      var t = r * 1.3;
      ctx.moveTo(x, y - t); ctx.lineTo(x + t * 0.95, y + t * 0.7); ctx.lineTo(x - t * 0.95, y + t * 0.7);
    } else if (glyph === 'square') {
      var q = r * 0.88;
      ctx.rect(x - q, y - q, 2 * q, 2 * q);
    } else if (glyph === 'cross') {
      var w = r * 0.42, c = r * 1.05;
      ctx.moveTo(x - w, y - c); ctx.lineTo(x + w, y - c); ctx.lineTo(x + w, y - w);
      ctx.lineTo(x + c, y - w); ctx.lineTo(x + c, y + w); ctx.lineTo(x + w, y + w);
      ctx.lineTo(x + w, y + c); ctx.lineTo(x - w, y + c); ctx.lineTo(x - w, y + w);
      ctx.lineTo(x - c, y + w); ctx.lineTo(x - c, y - w); ctx.lineTo(x - w, y - w);
    } else if (glyph === 'flag') {
      var h = r * 1.2;
      ctx.moveTo(x - h * 0.7, y + h); ctx.lineTo(x - h * 0.7, y - h);
      ctx.lineTo(x + h, y - h * 0.55); ctx.lineTo(x - h * 0.7, y - h * 0.05 + h * 0.1);
      ctx.lineTo(x - h * 0.7, y + h);
    } else if (glyph === 'chevron') {
      var v = r * 1.2;
      ctx.moveTo(x, y - v); ctx.lineTo(x + v, y + v * 0.15); ctx.lineTo(x + v, y + v * 0.85);
      ctx.lineTo(x, y - v * 0.1); ctx.lineTo(x - v, y + v * 0.85); ctx.lineTo(x - v, y + v * 0.15);
    } else {
      ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
    ctx.closePath();
  }

  function glyphOf(p) { return (FAMILY.get(p.family) || FAMILY.get('other')).glyph; }

  // A circle marker drawn as its family's glyph on the canvas; hit-testing stays circular.
  var GlyphMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) return;
      var p = this._point, ctx = renderer._ctx, r = Math.max(Math.round(this._radius), 1);
      glyphPath(ctx, glyphOf(this.rec.p), p.x, p.y, r);
      renderer._fillStroke(ctx, this);
      if (this.rec.p.status === 'denied') {
        ctx.beginPath();
        ctx.moveTo(p.x - r * 1.2, p.y + r * 1.2); ctx.lineTo(p.x + r * 1.2, p.y - r * 1.2);
        ctx.setLineDash([]);
        ctx.stroke();
      }
    }
  });

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

  // Tiles one pixel larger than their grid cell: at fractional zooms (fitted views) abutting
  // scaled tiles otherwise leave hairline seams.
  function overlapTile(e) {
    var size = e.target.getTileSize();
    e.tile.style.width = (size.x + 1) + 'px';
    e.tile.style.height = (size.y + 1) + 'px';
  }

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

  // Events are held as columns (typed arrays, see toData), 100,000 of them in a few MB. The
  // clusters of every zoom level are computed once per set of events, off the main thread (a
  // Web Worker, see buildHierarchy): for each level, which cluster each event belongs to. A
  // filter only changes a mask of the shown events; drawing a view counts the shown events of
  // each cluster of its zoom (one pass over typed arrays) and draws the clusters in view: a few
  // hundred clusters and circle markers, whatever the number of events. A cluster whose shown
  // events are all filtered out vanishes, one left with a single event is drawn as that event,
  // and a cluster is placed at the mean position of its shown events. Event records (the
  // objects markers, tooltips and labels read) and circle markers are made on first use.

  // A cluster is a dark disc with its count, ringed by the date colours of its events in
  // date order: the ring tells how the events of a place spread over time.
  var RING_BINS = 10;

  // Clusters stop at zoom 12 (36 px are then about a kilometre); deeper down, events at the
  // very same spot are stacked instead (the level below the last zoom), and a stack fans out
  // on a click.
  var INDEX_MAX_ZOOM = 12;
  var INDEX_MIN_ZOOM = 1;
  var SPOT_LEVEL = INDEX_MAX_ZOOM + 1;

  // A cluster's events per date bin, as numbers b0..b10 in its properties.
  var BIN_KEYS = [];
  for (var k = 0; k <= RING_BINS; k++) BIN_KEYS.push('b' + k);

  function clusterRing(props, total) {
    var stops = [], at = 0;
    for (var b = 0; b <= RING_BINS; b++) {
      var n = props[BIN_KEYS[b]];
      if (!n) continue;
      var colour = b === RING_BINS ? UNDATED : rampColour((b + 0.5) / RING_BINS);
      var next = at + 100 * n / total;
      stops.push(colour + ' ' + at.toFixed(2) + '% ' + next.toFixed(2) + '%');
      at = next;
    }
    return 'conic-gradient(' + stops.join(', ') + ')';
  }

  function clusterMarker(c, lit) {
    var count = c.properties.point_count;
    var size = Math.round(30 + 7 * Math.log10(count));
    var label = count >= 10000 ? Math.round(count / 1000) + 'k' : String(count);
    var node = el('div', 'em-cluster-ring');
    node.style.background = clusterRing(c.properties, count);
    node.appendChild(el('div', 'em-cluster-inner', label));
    var dim = S.highlighted.size > 0 && !lit;
    var icon = L.divIcon({
      html: node, className: 'em-cluster' + (lit ? ' em-lit' : '') + (dim ? ' em-dim' : ''),
      iconSize: L.point(size, size)
    });
    var ll = L.latLng(c.geometry.coordinates[1], c.geometry.coordinates[0]);
    var m = L.marker(ll, {icon: icon, keyboard: false, zIndexOffset: lit ? 1000 : 0});
    m.props = c.properties;
    m.count = count;
    m.on('click', onClusterClick);
    return m;
  }

  // "somewhere in Russia": an event placed at a country or a region is not at its point.
  function placeLabel(p) { return p.area ? 'somewhere in ' + p.place : p.place; }

  function statusLabel(p) {
    var s = p.status || 'reported';
    return s === 'reported' ? '' : s;
  }

  function tooltipNode(p) {
    var box = el('div', 'em-tip');
    if (p.title) box.appendChild(el('div', 'em-tip-title', p.title));
    var fam = FAMILY.get(p.family);
    var kind = [fam ? fam.label : '', statusLabel(p)].filter(Boolean).join(' \u00b7 ');
    if (kind) box.appendChild(el('div', 'em-tip-kind' + (statusLabel(p) ? ' em-tip-' + p.status : ''), kind));
    box.appendChild(el('div', 'em-tip-place', placeLabel(p)));
    box.appendChild(el('div', 'em-tip-date', dateLabel(p)));
    var articles = p.docs || p.count;
    var extra = articles + (articles === 1 ? ' article' : ' articles');
    if (p.approx && !p.area) extra += ' \u00b7 approximate (\u00b1' + Math.round(p.km) + ' km)';
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
    S.tip.setContent(tooltipNode(m.rec.p));
    S.map.openTooltip(S.tip, m.getLatLng());
    showOutline(m.rec, false);
  }

  function onOut() {
    S.map.closeTooltip(S.tip);
    showOutline(S.selected ? S.byId.get(S.selected) : null, true);
  }

  // -- areas -----------------------------------------------------------------------------

  // The outline of the country an area event stands for, fetched on first use from the app
  // (eventmap://app/outlines/<ISO>.json); regions without a shape show their precision circle.
  function showOutline(rec, selected) {
    S.outlineLayer.clearLayers();
    if (!rec || !rec.p.area) return;
    S.hovered = rec.id;
    var cc = rec.p.cc, have = cc && S.outlines.get(cc);
    if (have) { S.outlineLayer.addLayer(outlineShape(have, selected)); return; }
    if (rec.p.akm > 0 && !cc) S.outlineLayer.addLayer(areaCircle(rec, selected));
    if (!cc || S.outlines.has(cc) || !window.fetch || S.config.embeddedTiles) return;
    S.outlines.set(cc, null);
    fetch('eventmap://app/outlines/' + encodeURIComponent(cc) + '.json')
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (shape) {
        S.outlines.set(cc, shape);
        if (shape && S.hovered === rec.id) S.outlineLayer.addLayer(outlineShape(shape, selected));
      })
      .catch(function () { /* no outline: the marker stays */ });
  }

  function outlineShape(geojson, selected) {
    return L.geoJSON(geojson, {
      interactive: false, renderer: S.precisionRenderer,
      style: {color: AREA, weight: selected ? 2.2 : 1.6, opacity: 0.9, fillColor: AREA,
              fillOpacity: selected ? 0.12 : 0.08, dashArray: selected ? null : '5 3'}
    });
  }

  function areaCircle(rec, selected) {
    return L.circle([rec.lat, rec.lon], {
      radius: rec.p.akm * 1000, renderer: S.precisionRenderer, interactive: false,
      color: AREA, weight: selected ? 2 : 1.4, opacity: 0.9, dashArray: '5 3',
      fillColor: AREA, fillOpacity: 0.08
    });
  }

  function onClick(e) {
    var m = e.target, id = m.eventId;
    S.clicked.push(id);
    S.selected = id;
    showOutline(m.rec, true);
    if (S.bridge) S.bridge.eventClicked(id);
    if (S.config.popups) {
      S.map.closeTooltip(S.tip);
      L.popup({maxWidth: 420, maxHeight: 360, autoPanPadding: [20, 20],
               autoPanPaddingTopLeft: [20, titleBottom() + 12]})
        .setLatLng(m.getLatLng()).setContent(popupNode(m.rec.p)).openOn(S.map);
    }
    document.dispatchEvent(new CustomEvent('eventmap:click', {detail: {id: id}}));
    if (e.originalEvent) L.DomEvent.stopPropagation(e.originalEvent);
  }

  // A cluster click zooms to where its shown events split; events at one spot (or at the
  // deepest zoom) are fanned out around it instead.
  function onClusterClick(e) {
    var m = e.target;
    if (e.originalEvent) L.DomEvent.stopPropagation(e.originalEvent);
    if (m.props.stack) { spiderfy(m); return; }
    var zoom = expansionZoom(m.props);
    if (zoom === Infinity) spiderfy(m);
    else S.map.setView(m.getLatLng(), Math.min(zoom, S.map.getMaxZoom()));
  }

  // The first level at which a cluster's shown events are in two clusters or more (spots at
  // the last level); Infinity when they are all at one spot.
  function expansionZoom(props) {
    var members = clusterIndices(props, Infinity);
    for (var z = props.level + 1; z <= SPOT_LEVEL; z++) {
      var member = S.levels[z].member, first = member[members[0]];
      for (var j = 1; j < members.length; j++) if (member[members[j]] !== first) return z;
    }
    return Infinity;
  }

  // The shown events of a cluster or stack (at most ``limit``), as indices into the columns.
  function clusterIndices(props, limit) {
    if (props.stack) return props.stack.slice(0, limit);
    var lv = S.levels[props.level], out = [], mask = S.mask;
    for (var j = lv.start[props.item], end = lv.start[props.item + 1];
         j < end && out.length < limit; j++) {
      if (mask[lv.order[j]]) out.push(lv.order[j]);
    }
    return out;
  }

  function clusterRecords(props, limit) { return clusterIndices(props, limit).map(recAt); }

  function newMarker(rec, latlng) {
    var m = new GlyphMarker(latlng, {renderer: S.renderer, bubblingMouseEvents: false});
    m.rec = rec;
    m.eventId = rec.id;
    m.baseRadius = radiusFor(rec.p.count || 1);
    m.colour = colourFor(rec.p);
    m.on({click: onClick, mouseover: onOver, mouseout: onOut});
    return m;
  }

  function markerFor(rec) {
    var m = S.markers.get(rec.id);
    if (!m) {
      m = newMarker(rec, [rec.lat, rec.lon]);
      S.markers.set(rec.id, m);
    }
    return m;
  }

  function spiderfy(cluster) {
    var leaves = clusterRecords(cluster.props, 200);
    var centre = S.map.latLngToLayerPoint(cluster.getLatLng());
    var radius = Math.max(28, leaves.length * 4), group = L.layerGroup();
    S.layer.removeLayer(cluster);
    leaves.forEach(function (rec, k) {
      var angle = 2 * Math.PI * k / leaves.length;
      var ll = S.map.layerPointToLatLng(
        centre.add(L.point(radius * Math.cos(angle), radius * Math.sin(angle))));
      group.addLayer(L.polyline([cluster.getLatLng(), ll], {
        renderer: S.renderer, interactive: false, color: OUTLINE, weight: 1, opacity: 0.6
      }));
      var m = newMarker(rec, ll);
      m.setStyle(styleFor(m));
      S.drawn.set(rec.id, m);
      group.addLayer(m);
    });
    S.layer.addLayer(group);
  }

  // -- event data: eventmap-data.js ------------------------------------------------------

  var dayKey = eventmapData.dayKey;
  var dayText = eventmapData.dayText;
  var newData = eventmapData.newData;
  var fromFeatures = eventmapData.fromFeatures;
  var fromColumns = eventmapData.fromColumns;
  var fromBinary = eventmapData.fromBinary;
  var makeRecord = eventmapData.makeRecord;
  var idIndex = eventmapData.idIndex;
  var mercatorX = eventmapData.mercatorX;
  var mercatorY = eventmapData.mercatorY;
  var latOfY = eventmapData.latOfY;

  // The record of the event at index i, made on first use: what markers, tooltips and
  // labels read.
  function recAt(i) {
    return S.recs[i] || (S.recs[i] = makeRecord(S.data, i));
  }

  function setEvents(data) {
    S.loadToken++;
    S.loading = false;
    S.queue = [];
    setData(data && data.type === 'FeatureCollection' ? fromFeatures(data)
      : data && data.id ? fromColumns(data) : newData(0));
    return S.visible;
  }

  // The desktop's events, fetched from the app as binary columns: nothing to parse but a
  // short head, and the download does not hold the page's main thread.
  function loadEvents(url) {
    var token = ++S.loadToken, xhr = new XMLHttpRequest();
    S.loading = true;
    xhr.open('GET', url);
    xhr.responseType = 'arraybuffer';
    xhr.onload = function () {
      if (token !== S.loadToken) return;
      var data = null;
      try {
        data = fromBinary(xhr.response);
      } catch (e) {
        S.loading = false;
        runQueue();
        console.error('eventmap: cannot read the events from ' + url + ': ' + e);
        return;
      }
      // setData's steps, then the calls that waited for the events (a fit moves the whole
      // map), each a task of its own: the page paints and answers in between (at 100,000
      // events the steps took 52-125 ms as one task)
      var steps = [positions, dates, adopt, function () {
        S.loading = false;
        runQueue();
        flush();
      }];
      (function next() {
        setTimeout(function () {
          if (token !== S.loadToken) return;
          steps.shift()(data);
          if (steps.length) next();
        }, S.stepGap);
      })();
    };
    xhr.onerror = function () {
      if (token !== S.loadToken) return;
      S.loading = false;
      runQueue();
      console.error('eventmap: cannot load the events from ' + url);
    };
    xhr.send();
    return true;
  }

  // Calls made while events are on their way apply to those events, in order, once they are in.
  function afterLoad(fn) {
    return function () {
      if (!S.stats.calledAt) S.stats.calledAt = performance.now();
      if (!S.loading) return fn.apply(null, arguments);
      S.queue.push([fn, arguments]);
      return undefined;
    };
  }

  function runQueue() {
    var queue = S.queue;
    S.queue = [];
    queue.forEach(function (call) { call[0].apply(null, call[1]); });
  }

  // The events in three steps: `positions` starts the clustering of many events in the
  // worker, `dates` reads their dates, `adopt` makes them the map's. Until `adopt`, the map
  // keeps the events it had (their clusters, dates and filters), so a redraw in between draws
  // those.
  function setData(D) {
    positions(D);
    dates(D);
    adopt(D);
  }

  function positions(D) {
    var n = D.n, i;
    D.x = new Float64Array(n); D.y = new Float64Array(n);
    for (i = 0; i < n; i++) {
      D.x[i] = mercatorX(D.lon[i]); D.y[i] = mercatorY(D.lat[i]);
    }
    D.token = S.dataToken += 1;
    S.incoming = D;
    // many events: their clusters are built in the worker while the page reads the rest
    D.early = n >= S.workerFrom && !!hierarchyWorker();
    if (D.early) buildLevels(D.token, D);
  }

  // Each event's date bin (for the rings of clusters), the days' ranks and the families present.
  function dates(D) {
    var n = D.n, starts = new Set(), present = new Set(), i;
    for (i = 0; i < n; i++) if (D.start[i]) starts.add(D.start[i]);
    var domain = Array.from(starts).sort(function (a, b) { return a - b; });
    D.rank = new Map();
    domain.forEach(function (d, k) { D.rank.set(d, k); });
    D.domain = domain.map(function (d) { return dayText(d); });
    var last = domain.length - 1;
    D.bin = new Uint8Array(n);
    for (i = 0; i < n; i++) {
      if (!D.start[i]) { D.bin[i] = RING_BINS; continue; }
      var t = last > 0 ? D.rank.get(D.start[i]) / last : 1;
      D.bin[i] = Math.min(Math.floor(t * RING_BINS), RING_BINS - 1);
    }
    var families = new Uint8Array(256);
    for (i = 0; i < n; i++) families[D.family[i]] = 1;
    families.forEach(function (on, code) {
      if (on) present.add(D.families[code] || 'other');
    });
    D.present = present;
  }

  function adopt(D) {
    S.rank = D.rank;
    S.domain = D.domain;
    S.present = D.present;
    S.data = D;
    S.incoming = null;
    S.indexOf = idIndex(D);
    S.recs = new Array(D.n);
    S.markers = new Map();
    S.levels = null;
    S.agg = null;
    S.selected = S.selected !== null && S.byId.has(S.selected) ? S.selected : null;
    var lit = new Set();
    S.highlighted.forEach(function (id) { if (S.byId.has(id)) lit.add(id); });
    S.highlighted = lit;
    S.idMask = idMask(S.idList);
    updateLegend();
    computeMask();
    var built = S.builtEarly;
    S.builtEarly = null;
    if (built && built.token === D.token) levelsBuilt(built.token, built.levels);
    else if (!D.early) buildLevels(D.token);
  }

  // -- the clusters of every zoom --------------------------------------------------------

  // The clusters of every zoom: eventmap-clusters.js (on the page, or in a Web Worker).
  var buildHierarchy = eventmapClusters.buildHierarchy;
  var WORKER_SOURCE = eventmapClusters.workerSource;

  function hierarchyWorker() {
    if (S.worker !== undefined) return S.worker;
    S.worker = null;
    try {
      var url = URL.createObjectURL(new Blob([WORKER_SOURCE], {type: 'text/javascript'}));
      S.worker = new Worker(url);
      S.worker.onmessage = function (e) { levelsBuilt(e.data.token, e.data.levels); };
      S.worker.onerror = function (e) {
        console.warn('eventmap: the clustering worker failed (' + (e.message || e) +
                     '); clustering on the page');
        S.worker = null;
        if (S.building) buildLevels(S.dataToken, S.incoming || S.data);
      };
    } catch (e) {
      S.worker = null;
    }
    return S.worker;
  }

  function hierarchyOptions() {
    return {radius: clusterRadius(), extent: 256, minZoom: INDEX_MIN_ZOOM, maxZoom: INDEX_MAX_ZOOM};
  }

  function buildLevels(token, data) {
    var D = data || S.data, started = performance.now();
    S.building = true;
    var worker = D.n >= S.workerFrom ? hierarchyWorker() : null;
    S.builtInWorker = !!worker;
    if (worker) {
      var x = D.x.slice(), y = D.y.slice();
      worker.postMessage({token: token, x: x, y: y, opts: hierarchyOptions()},
                         [x.buffer, y.buffer]);
      return;
    }
    levelsBuilt(token, buildHierarchy(D.x, D.y, hierarchyOptions()).levels);
    S.stats.indexMs = performance.now() - started;
  }

  function levelsBuilt(token, levels) {
    if (token !== S.dataToken) return;  // events replaced meanwhile
    if (!S.data || S.data.token !== token) {  // before `adopt` made them the map's
      S.builtEarly = {token: token, levels: levels};
      return;
    }
    S.levels = levels;
    S.building = false;
    S.agg = null;
    if (S.loading) {  // built before the calls that waited for the events: drawn after them
      S.redrawPending = true;
      return;
    }
    redraw();
  }

  // -- filters ---------------------------------------------------------------------------

  function idMask(ids) {
    if (!ids || !S.data) return null;
    var mask = new Uint8Array(S.data.n);
    for (var k = 0; k < ids.length; k++) {
      var i = S.indexOf(ids[k]);
      if (i >= 0) mask[i] = 1;
    }
    return mask;
  }

  function allowedCodes(names, allowed, fallback) {
    if (!allowed) return null;
    var ok = new Uint8Array(256);
    for (var c = 0; c < 256; c++) ok[c] = allowed.has(names[c] || fallback) ? 1 : 0;
    return ok;
  }

  // Which events pass every filter: one pass over the columns.
  function computeMask() {
    var D = S.data, n = D ? D.n : 0, mask = new Uint8Array(n), visible = 0;
    var k = S.kinds, ids = S.idMask, d = S.dateFilter;
    var families = D && allowedCodes(D.families, k.families, 'other');
    var statuses = D && allowedCodes(D.statuses, k.statuses, 'reported');
    var from = d ? dayKey(d.from) : 0, to = d ? dayKey(d.to) : 0, undated = !d || d.undated;
    for (var i = 0; i < n; i++) {
      if (ids && !ids[i]) continue;
      if (families && !families[D.family[i]]) continue;
      if (statuses && !statuses[D.status[i]]) continue;
      var s = D.start[i];
      if (!s) {
        if (!undated) continue;
      } else if ((from && (D.end[i] || s) < from) || (to && s > to)) {
        continue;
      }
      mask[i] = 1;
      visible += 1;
    }
    S.mask = mask;
    S.visible = visible;
    S.maskVersion += 1;
  }

  // The circle of an approximate place's precision, made on first use.
  function precisionCircle(rec) {
    if (!rec.circle) {
      var colour = colourFor(rec.p);
      rec.circle = L.circle([rec.lat, rec.lon], {
        radius: rec.p.km * 1000, renderer: S.precisionRenderer, interactive: false,
        color: colour, weight: 1, opacity: 0.7, dashArray: '4 4',
        fillColor: colour, fillOpacity: 0.08
      });
    }
    return rec.circle;
  }

  function clusterRadius() { return S.config.clusterRadius || 36; }

  // A filter changed: the mask now, the drawing once the calls of this turn are done (the
  // window sends its kinds, ids and dates one after the other).
  function apply() {
    var started = performance.now();
    computeMask();
    scheduleRedraw();
    S.stats.applyMs = performance.now() - started;
    return S.visible;
  }

  function scheduleRedraw() {
    if (S.redrawPending) return;
    S.redrawPending = true;
    setTimeout(function () { if (S.redrawPending) redraw(); }, 0);
  }

  // What the host reads of the drawing is drawn first.
  function flush() { if (S.redrawPending) redraw(); }

  // The shown events of each cluster of a level: counts, date bins, sums of positions, and
  // the last event (the one a cluster of one is). Kept while the level and the mask stay.
  function aggregate(level) {
    var key = level + ':' + S.maskVersion;
    if (S.agg && S.agg.key === key) return S.agg;
    var D = S.data, lv = S.levels[level], m = lv.items, member = lv.member, mask = S.mask;
    var count = new Int32Array(m), sx = new Float64Array(m), sy = new Float64Array(m);
    var bins = new Int32Array(m * (RING_BINS + 1)), one = new Int32Array(m);
    for (var i = 0; i < D.n; i++) {
      if (!mask[i]) continue;
      var k = member[i];
      count[k] += 1; sx[k] += D.x[i]; sy[k] += D.y[i];
      bins[k * (RING_BINS + 1) + D.bin[i]] += 1;
      one[k] = i;
    }
    S.agg = {key: key, m: m, count: count, sx: sx, sy: sy, bins: bins, one: one};
    return S.agg;
  }

  // The clusters and single events of a level within the bounds (longitudes modulo 360).
  function itemsInView(level, bounds) {
    var A = aggregate(level), D = S.data, out = [];
    var west = bounds.getWest(), east = bounds.getEast(), whole = east - west >= 360;
    var south = Math.max(bounds.getSouth(), -85), north = Math.min(bounds.getNorth(), 85);
    for (var k = 0; k < A.m; k++) {
      var c = A.count[k];
      if (!c) continue;
      var single = c === 1, i = A.one[k];
      var lat = single ? D.lat[i] : latOfY(A.sy[k] / c);
      var lon = single ? D.lon[i] : A.sx[k] / c * 360 - 180;
      if (lat < south || lat > north) continue;
      if (!whole && ((lon - west) % 360 + 360) % 360 + west > east) continue;
      if (single) { out.push({i: i}); continue; }
      var props = {cluster: true, point_count: c, level: level, item: k};
      for (var b = 0; b <= RING_BINS; b++) props[BIN_KEYS[b]] = A.bins[k * (RING_BINS + 1) + b];
      if (level === SPOT_LEVEL) props.stack = clusterIndices(props, Infinity);
      out.push({properties: props, geometry: {coordinates: [lon, lat]}});
    }
    return out;
  }

  // The clusters of a level that hold a highlighted event.
  function highlightedItems(level) {
    var out = new Set(), member = S.levels[level].member;
    S.highlighted.forEach(function (id) {
      var i = S.indexOf(id);
      if (i >= 0 && S.mask[i]) out.add(member[i]);
    });
    return out;
  }

  function levelOf(zoom) { return Math.max(INDEX_MIN_ZOOM, Math.min(zoom, SPOT_LEVEL)); }

  // Draw what the view shows: the clusters and single events in the bounds (padded so that a
  // short pan needs no redraw), highlighted ones on top. Until the clusters of new events are
  // built, what is drawn stays.
  function redraw() {
    S.redrawPending = false;
    if (!S.levels || !S.data) return;
    var started = performance.now();
    var zoom = Math.round(S.map.getZoom()), level = levelOf(zoom);
    var items = itemsInView(level, S.map.getBounds().pad(0.3));
    S.layer.clearLayers();
    S.precision.clearLayers();
    S.drawn = new Map();
    S.clusters = [];
    S.level = level;
    var lit = [], litItems = highlightedItems(level);
    items.forEach(function (item) {
      if (item.properties) {
        var on = !item.properties.stack ? litItems.has(item.properties.item)
          : item.properties.stack.some(function (i) { return S.highlighted.has(S.data.id[i]); });
        var cm = clusterMarker(item, on);
        S.clusters.push(cm);
        S.layer.addLayer(cm);
        return;
      }
      var rec = recAt(item.i), m = markerFor(rec);
      m.setStyle(styleFor(m));
      S.drawn.set(m.eventId, m);
      if (rec.p.approx && rec.p.km > 0) S.precision.addLayer(precisionCircle(rec));
      if (S.highlighted.has(m.eventId)) lit.push(m); else S.layer.addLayer(m);
    });
    lit.forEach(function (m) { S.layer.addLayer(m); });
    drawLabels(zoom);
    S.stats.redrawMs = performance.now() - started;
    requestAnimationFrame(function () { S.stats.paintedAt = performance.now(); });
  }

  // -- labels ----------------------------------------------------------------------------

  // Close enough in, single markers carry their titles: placed greedily, biggest events
  // first, each label kept only where it collides with no label and no marker already placed.
  var LABEL_FONT = '600 11px system-ui, "Segoe UI", "DejaVu Sans", sans-serif';

  function labelWidth(text) {
    if (!S.measure) S.measure = document.createElement('canvas').getContext('2d');
    S.measure.font = LABEL_FONT;
    return Math.ceil(S.measure.measureText(text).width) + 8;
  }

  function drawLabels(zoom) {
    S.labelLayer.clearLayers();
    S.labels = [];
    if (zoom < LABEL_ZOOM || S.snapshotLabels === false) return;
    var size = S.map.getSize(), taken = [], candidates = [];
    S.drawn.forEach(function (m) {
      var pt = S.map.latLngToContainerPoint(m.getLatLng());
      if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) return;
      var r = m.options.radius + 2;
      taken.push({x0: pt.x - r, y0: pt.y - r, x1: pt.x + r, y1: pt.y + r});
      if (m.rec.p.title) candidates.push({m: m, pt: pt, r: r});
    });
    S.clusters.forEach(function (c) {
      var pt = S.map.latLngToContainerPoint(c.getLatLng()), h = c.options.icon.options.iconSize.x / 2;
      taken.push({x0: pt.x - h, y0: pt.y - h, x1: pt.x + h, y1: pt.y + h});
      if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) return;
      // A cluster close in is a few events at one place: it shows its main event's title.
      var recs = clusterRecords(c.props, 60).filter(function (r) { return r.p.title; });
      if (!recs.length) return;
      var main = recs.reduce(function (a, b) {
        var la = S.highlighted.has(a.id), lb = S.highlighted.has(b.id);
        if (la !== lb) return la ? a : b;
        return (b.p.docs || b.p.count) > (a.p.docs || a.p.count) ? b : a;
      });
      candidates.push({m: {rec: main, eventId: main.id, getLatLng: function () { return c.getLatLng(); }},
                       pt: pt, r: h, more: c.count - 1});
    });
    candidates.sort(function (a, b) {
      var lit = (S.highlighted.has(b.m.eventId) ? 1 : 0) - (S.highlighted.has(a.m.eventId) ? 1 : 0);
      return lit || (b.m.rec.p.docs || b.m.rec.p.count) - (a.m.rec.p.docs || a.m.rec.p.count);
    });
    function free(box) {
      if (box.x0 < 2 || box.y0 < 2 || box.x1 > size.x - 2 || box.y1 > size.y - 2) return false;
      return !taken.some(function (t) {
        return box.x0 < t.x1 && t.x0 < box.x1 && box.y0 < t.y1 && t.y0 < box.y1;
      });
    }
    for (var i = 0; i < candidates.length && S.labels.length < MAX_LABELS; i++) {
      var c = candidates[i], text = c.m.rec.p.title;
      if (c.more) text += '  +' + c.more;
      var w = labelWidth(text), h = 16;
      var right = {x0: c.pt.x + c.r + 2, y0: c.pt.y - h / 2, x1: c.pt.x + c.r + 2 + w, y1: c.pt.y + h / 2};
      var left = {x0: c.pt.x - c.r - 2 - w, y0: right.y0, x1: c.pt.x - c.r - 2, y1: right.y1};
      var box = free(right) ? right : free(left) ? left : null;
      if (!box) continue;
      taken.push(box);
      var node = el('div', 'em-label', text);
      var icon = L.divIcon({html: node, className: 'em-label-icon', iconSize: null,
                            iconAnchor: [c.pt.x - box.x0, h / 2]});
      S.labelLayer.addLayer(L.marker(c.m.getLatLng(), {icon: icon, interactive: false,
                                                       keyboard: false, pane: 'em-labels'}));
      S.labels.push(text);
    }
  }

  // -- place mentions --------------------------------------------------------------------

  // Places the articles name where no event happens: a quiet second layer, off by default.
  function setPlaces(data) {
    var out = [];
    if (data && data.lat) {
      for (var i = 0; i < data.lat.length; i++) {
        out.push({lat: data.lat[i], lon: data.lon[i], name: data.name[i], n: data.mentions[i]});
      }
    }
    S.places = out;
    drawPlaces();
    updateLegend();
    return out.length;
  }

  function setPlacesShown(on) {
    S.placesShown = !!on;
    drawPlaces();
    updateLegend();
    return S.placesShown;
  }

  function drawPlaces() {
    S.placeLayer.clearLayers();
    if (!S.placesShown) return;
    S.places.forEach(function (pl) {
      var m = L.circleMarker([pl.lat, pl.lon], {
        renderer: S.placeRenderer, radius: 3.5, color: '#5f6b7a', weight: 1, opacity: 0.8,
        fillColor: '#ffffff', fillOpacity: 0.7, bubblingMouseEvents: false
      });
      m.on('mouseover', function () {
        var box = el('div', 'em-tip');
        box.appendChild(el('div', 'em-tip-place', pl.name));
        box.appendChild(el('div', 'em-tip-count', 'named in ' + pl.n +
          (pl.n === 1 ? ' passage' : ' passages') + '; no event here'));
        S.tip.setContent(box);
        S.map.openTooltip(S.tip, m.getLatLng());
      });
      m.on('mouseout', onOut);
      S.placeLayer.addLayer(m);
    });
  }

  function highlight(ids) {
    var next = new Set();
    (ids || []).forEach(function (id) { if (S.byId.has(id)) next.add(id); });
    S.highlighted = next;
    scheduleRedraw();
    return next.size;
  }

  function setVisible(ids) {
    S.idList = ids === null || ids === undefined ? null : ids;
    S.idMask = idMask(S.idList);
    return apply();
  }

  // Which families and statuses to show (null: all); hypothetical and denied events are
  // hidden until asked for.
  function setKinds(families, statuses) {
    S.kinds = {
      families: families ? new Set(families) : null,
      statuses: statuses === undefined ? new Set(SHOWN_STATUSES)
        : statuses ? new Set(statuses) : null
    };
    return apply();
  }

  function setDateFilter(from, to, undated) {
    S.dateFilter = (from || to || undated === false)
      ? {from: from || null, to: to || null, undated: undated !== false} : null;
    return apply();
  }

  // Fits use quarter zoom steps: a story spread over the world fills a small window better at
  // zoom 1.5 than at 1. The analyst's own zooming (buttons, wheel) stays on whole steps.
  var FIT_SNAP = 0.25;

  function withZoomSnap(snap, fn) {
    var old = S.map.options.zoomSnap;
    S.map.options.zoomSnap = snap;
    try { fn(); } finally { S.map.options.zoomSnap = old; }
  }

  function fitEvents(ids, maxZoom) {
    var D = S.data, pick = [], i;
    if (ids) {
      ids.forEach(function (id) { var k = S.indexOf(id); if (k >= 0) pick.push(k); });
    } else {
      for (i = 0; D && i < D.n; i++) if (S.mask[i]) pick.push(i);
    }
    if (!pick.length) {
      S.map.setView([25, 20], 2, {animate: false});
      return false;
    }
    var south = 90, west = 180, north = -90, east = -180;
    pick.forEach(function (k) {
      var lat = D.lat[k], lon = D.lon[k];
      if (lat < south) south = lat;
      if (lat > north) north = lat;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
    });
    var pad = legendPadding();
    withZoomSnap(FIT_SNAP, function () {
      S.map.fitBounds([[south, west], [north, east]], {
        paddingTopLeft: [40, 40 + pad.top], paddingBottomRight: [40 + pad.right, 40],
        maxZoom: maxZoom || S.config.fitMaxZoom || 6, animate: false
      });
    });
    return true;
  }

  // The legend (bottom right) and the title (top right) must not hide the story's markers: a
  // fit keeps clear of the legend's width, and of the title's height, when they are open.
  function legendPadding() {
    var out = {right: 0, top: 0};
    var box = S.legendBox, size = S.map.getSize();
    if (box && box.style.display !== 'none' && !legendCollapsed()) {
      var w = box.offsetWidth || 0;
      if (w && w < size.x * 0.45) out.right = w + 10;
    }
    var title = S.map.getContainer().querySelector('.em-title');
    if (title && title.offsetHeight < size.y * 0.3) out.top = title.offsetHeight;
    return out;
  }

  // The world is drawn once: a wide window does not zoom out past the width of one world.
  function limitMinZoom() {
    var width = S.map.getSize().x;
    var z = Math.max(1, Math.ceil(4 * Math.log2(Math.max(width, 256) / 256)) / 4);
    S.map.setMinZoom(z);
  }

  // An exact view (fractional zooms included): snapshots re-create the view they copy.
  function setView(lat, lon, zoom) {
    withZoomSnap(0, function () { S.map.setView([lat, lon], zoom, {animate: false}); });
  }

  // -- legend ----------------------------------------------------------------------------

  // A compact box that folds to a one-line button: in a narrow window it must not hide the
  // markers. Folded or not is remembered for the session (sessionStorage survives a reload);
  // snapshots always show it unfolded (see setSnapshotMode).
  var LEGEND_KEY = 'eventmap.legendCollapsed';

  // Until the analyst chooses, a small map starts with the legend folded: unfolded it would
  // cover a third of a 450-pixel map.
  function legendCollapsed() {
    var stored = null;
    try { stored = window.sessionStorage.getItem(LEGEND_KEY); } catch (e) { /* none */ }
    if (stored !== null) return stored === '1';
    var size = S.map ? S.map.getSize() : null;
    return !!size && size.x > 0 && (size.x < 640 || size.y < 480);
  }

  function setLegendCollapsed(on, keep) {
    if (!keep) {
      try { window.sessionStorage.setItem(LEGEND_KEY, on ? '1' : '0'); } catch (e) { /* none */ }
    }
    if (S.legendBox) L.DomUtil[on ? 'addClass' : 'removeClass'](S.legendBox, 'em-collapsed');
    if (S.legendToggle) {
      S.legendToggle.textContent = on ? 'Legend \u25b8' : '\u25be';
      S.legendToggle.title = on ? 'Show the legend' : 'Hide the legend';
      S.legendToggle.setAttribute('aria-expanded', on ? 'false' : 'true');
    }
    return on;
  }

  function updateLegend() {
    var body = S.legendBody;
    if (!body) return;
    body.textContent = '';
    S.legendBox.style.display = eventCount() ? '' : 'none';
    if (!eventCount()) return;
    if (S.domain.length) {
      var bar = el('div', 'em-legend-ramp');
      bar.style.background = 'linear-gradient(to right, ' + RAMP.join(', ') + ')';
      body.appendChild(bar);
      var labels = el('div', 'em-legend-dates');
      var first = S.domain[0], last = S.domain[S.domain.length - 1];
      labels.appendChild(el('span', null, first));
      if (last !== first) labels.appendChild(el('span', null, last));
      body.appendChild(labels);
    }
    var present = S.present;
    var kinds = el('div', 'em-legend-kinds');
    FAMILIES.forEach(function (f) {
      if (!present.has(f.key)) return;
      var row = el('div', 'em-legend-kind');
      row.appendChild(glyphSymbol(f.glyph, '#c23b75', 'reported'));
      row.appendChild(el('span', 'em-legend-label', f.short));
      row.title = f.label;
      kinds.appendChild(row);
    });
    body.appendChild(kinds);
    var statuses = el('div', 'em-legend-row');
    statuses.appendChild(glyphSymbol('circle', '#c23b75', 'reported'));
    statuses.appendChild(el('span', 'em-legend-label', 'happened'));
    statuses.appendChild(glyphSymbol('circle', '#c23b75', 'planned'));
    statuses.appendChild(el('span', 'em-legend-label', 'planned'));
    body.appendChild(statuses);
    var undated = el('div', 'em-legend-row');
    undated.appendChild(glyphSymbol('circle', UNDATED, 'reported'));
    undated.appendChild(el('span', 'em-legend-label', 'undated'));
    undated.appendChild(glyphSymbol('circle', AREA, 'area'));
    undated.appendChild(el('span', 'em-legend-label', 'in an area'));
    body.appendChild(undated);
    var cluster = el('div', 'em-legend-row');
    var ring = el('span', 'em-legend-cluster');
    ring.style.background = 'conic-gradient(' + RAMP[0] + ' 0 30%, ' + RAMP[2] + ' 30% 55%, ' +
      RAMP[4] + ' 55% 80%, ' + UNDATED + ' 80% 100%)';
    ring.appendChild(el('span', 'em-legend-cluster-inner', '12'));
    cluster.appendChild(ring);
    cluster.appendChild(el('span', 'em-legend-label', 'events nearby'));
    body.appendChild(cluster);
    if (S.places.length) {
      var toggle = el('label', 'em-legend-row em-legend-places');
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = S.placesShown;
      L.DomEvent.on(box, 'change', function () {
        setPlacesShown(box.checked);
        if (S.bridge && S.bridge.placesToggled) S.bridge.placesToggled(box.checked);
      });
      toggle.appendChild(box);
      toggle.appendChild(el('span', 'em-legend-label', 'other places named'));
      body.appendChild(toggle);
    }
  }

  function glyphSymbol(glyph, colour, status) {
    var r = 5, d = 17, canvas = document.createElement('canvas');
    var ratio = window.devicePixelRatio || 1;
    canvas.width = d * ratio; canvas.height = d * ratio;
    canvas.style.width = d + 'px'; canvas.style.height = d + 'px';
    canvas.className = 'em-legend-symbol';
    var ctx = canvas.getContext('2d');
    ctx.scale(ratio, ratio);
    glyphPath(ctx, glyph, d / 2, d / 2, r);
    var solid = status === 'reported';
    if (status === 'area') {
      ctx.beginPath(); ctx.arc(d / 2, d / 2, 7, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(47, 111, 159, 0.15)'; ctx.fill();
      ctx.setLineDash([3, 2]); ctx.strokeStyle = colour; ctx.lineWidth = 1.2; ctx.stroke();
      return canvas;
    }
    ctx.fillStyle = solid ? colour : '#ffffff';
    ctx.fill();
    ctx.lineWidth = solid ? 1.2 : 2;
    ctx.strokeStyle = solid ? OUTLINE : colour;
    if (status === 'planned') ctx.setLineDash([3, 2]);
    ctx.stroke();
    return canvas;
  }

  function addLegend() {
    var Legend = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var box = el('div', 'em-legend leaflet-control');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var head = el('div', 'em-legend-head');
        head.appendChild(el('span', 'em-legend-title', 'Events by date'));
        var toggle = el('button', 'em-legend-toggle');
        toggle.type = 'button';
        L.DomEvent.on(toggle, 'click', function () { setLegendCollapsed(!legendCollapsed()); });
        head.appendChild(toggle);
        box.appendChild(head);
        S.legendBody = box.appendChild(el('div', 'em-legend-body'));
        S.legendBox = box;
        S.legendToggle = toggle;
        setLegendCollapsed(legendCollapsed(), true);
        updateLegend();
        return box;
      }
    });
    S.legend = new Legend().addTo(S.map);
  }

  // How far down the map the title box reaches: a popup pans clear of it, not under it.
  function titleBottom() {
    var box = S.map.getContainer().querySelector('.em-title');
    if (!box) return 20;
    var top = S.map.getContainer().getBoundingClientRect().top;
    return Math.max(20, box.getBoundingClientRect().bottom - top);
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

  // A snapshot's caption (title, time range, filters in force): drawn only in snapshot mode,
  // so the host can set it once and every PNG carries it. Text only, never markup.
  function setCaption(caption) {
    if (S.caption) { S.caption.remove(); S.caption = null; }
    if (!caption || S.config.title) return;  // a standalone page has its own title box
    var Caption = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var box = el('div', 'em-title em-caption leaflet-control');
        if (caption.title) box.appendChild(el('div', 'em-title-main', caption.title));
        if (caption.range) box.appendChild(el('div', 'em-title-range', caption.range));
        (caption.filters || []).forEach(function (f) {
          box.appendChild(el('div', 'em-caption-filter', f));
        });
        return box;
      }
    });
    S.caption = new Caption().addTo(S.map);
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
    // The basemap module knows when its own layers are drawn (vector tiles render late).
    var bm = S.config.basemap && window.eventmapBasemap;
    var tilesBusy = S.tileLayers.some(function (l) {
      return l._map && !(bm && bm.owns(l)) && !tilesSettled(l);
    }) || (bm ? !bm.isIdle() : false);
    var panning = !!(S.map._panAnim && S.map._panAnim._inProgress);
    var events = S.loading || S.building || S.redrawPending;
    return !tilesBusy && !S.map._animatingZoom && !panning && !events;
  }

  function eventCount() { return S.data ? S.data.n : 0; }

  // Event id -> its record, for the code that asks by id.
  var byId = {
    has: function (id) { return S.indexOf(id) >= 0; },
    get: function (id) { var i = S.indexOf(id); return i >= 0 ? recAt(i) : undefined; }
  };
  S.byId = byId;

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
    var m = S.drawn.get(id), pt;
    if (m) {
      pt = S.map.latLngToContainerPoint(m.getLatLng());
      return {kind: 'marker', colour: m.colour, x: pt.x, y: pt.y, r: m.options.radius,
              glyph: glyphOf(m.rec.p), status: m.rec.p.status || 'reported',
              fill: m.options.fillColor, stroke: m.options.color,
              dash: m.options.dashArray || null};
    }
    var i = S.indexOf(id);
    if (i < 0 || !S.mask[i] || S.level === null) return null;
    var item = S.levels[S.level].member[i];
    var c = S.clusters.find(function (cm) {
      return cm.props.stack ? cm.props.stack.indexOf(i) >= 0 : cm.props.item === item;
    });
    if (!c) return null;
    pt = S.map.latLngToContainerPoint(c.getLatLng());
    return {kind: 'cluster', colour: CLUSTER, x: pt.x, y: pt.y, count: c.count};
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
    // -- basemap choice: English vector tiles or the OSM raster (resources/web/basemap.js)
    if (window.eventmapBasemap && S.config.basemap) {
      window.eventmapBasemap.init(map, S.config.basemap, {
        watch: function (layer) {
          return S.tileLayers.indexOf(layer) < 0 ? watchTiles(layer) : layer;
        }
      });
    }
    // -- end of basemap choice
    map.createPane('em-places').style.zIndex = 395;
    map.createPane('em-labels').style.zIndex = 640;
    map.getPane('em-labels').style.pointerEvents = 'none';
    S.placeRenderer = L.canvas({pane: 'em-places', padding: 0.5, tolerance: 2});
    S.precision = L.layerGroup().addTo(map);
    S.outlineLayer = L.layerGroup().addTo(map);
    S.placeLayer = L.layerGroup().addTo(map);
    S.layer = L.layerGroup().addTo(map);
    S.labelLayer = L.layerGroup().addTo(map);
    map.on('moveend', redraw);
    S.tip = L.tooltip({direction: 'top', offset: [0, -8], className: 'em-tooltip', opacity: 1});
    addLegend();
    addTitle();
    if (S.config.online && S.config.online.on) setOnlineTiles(true);
    if (window.EVENTMAP_EVENTS) setEvents(window.EVENTMAP_EVENTS);
    var v = S.config.view;
    if (v && isFinite(v.lat) && isFinite(v.lon) && isFinite(v.zoom)) {
      setView(v.lat, v.lon, v.zoom);
    } else if (window.EVENTMAP_EVENTS) {
      fitEvents();
    }
    limitMinZoom();
    window.addEventListener('resize', function () {
      map.invalidateSize({pan: true});  // the centre stays where it was
      limitMinZoom();
      setLegendCollapsed(legendCollapsed(), true);
    });
    connectBridge();
  }

  window.eventmap = {
    init: init,
    setEvents: setEvents,
    loadEvents: loadEvents,
    highlight: afterLoad(highlight),
    setVisible: afterLoad(setVisible),
    setDateFilter: afterLoad(setDateFilter),
    setKinds: afterLoad(setKinds),
    setPlaces: setPlaces,
    setPlacesShown: setPlacesShown,
    placesShown: function () { return S.placesShown; },
    labels: function () { flush(); return (S.labels || []).slice(); },
    select: afterLoad(function (id) {
      S.selected = S.byId.has(id) ? id : null;
      showOutline(S.selected === null ? null : S.byId.get(id), true);
      return S.selected !== null;
    }),
    outlineShown: function () { return S.outlineLayer.getLayers().length > 0; },
    families: FAMILIES,
    fitEvents: afterLoad(fitEvents),
    setOnlineTiles: setOnlineTiles,
    setView: afterLoad(setView),
    view: function () {
      var c = S.map.getCenter();
      return {lat: c.lat, lon: c.lng, zoom: S.map.getZoom()};
    },
    isIdle: isIdle,
    // Snapshot mode hides what only makes sense on screen (the zoom buttons).
    setCaption: setCaption,
    caption: function () {
      var box = S.map.getContainer().querySelector('.em-caption');
      return box ? Array.from(box.children).map(function (n) { return n.textContent; }) : null;
    },
    setSnapshotMode: function (on) {
      L.DomUtil[on ? 'addClass' : 'removeClass'](S.map.getContainer(), 'em-snapshot');
    },
    markFrames: markFrames,
    framesPainted: function () { return S.frames >= 2; },
    isReady: function () { return S.ready; },
    pointOf: pointOf,
    drawnAs: function (id) { flush(); return drawnAs(id); },
    // The clusters drawn now: their counts and their events per date bin (the ring).
    drawnClusters: function () {
      flush();
      return S.clusters.map(function (cm) {
        return {count: cm.count, bins: BIN_KEYS.map(function (key) { return cm.props[key]; })};
      });
    },
    visibleCount: function () { return S.visible; },
    stats: function () { return S.stats; },
    // The counts of the shown events' clusters (1: a single event) at a zoom, over the world.
    clusterCounts: function (zoom) {
      if (!S.levels) return null;
      var A = aggregate(levelOf(zoom)), out = [];
      for (var k = 0; k < A.m; k++) if (A.count[k]) out.push(A.count[k]);
      return out.sort(function (a, b) { return a - b; });
    },
    // From how many events the clusters are built in a Web Worker (tests set 0 to use it).
    useWorkerFrom: function (n) { S.workerFrom = n; return !!hierarchyWorker(); },
    // Milliseconds between the steps that take in loaded events (tests space them out so that
    // the worker answers, or other events arrive, between two steps).
    spaceSteps: function (ms) { S.stepGap = ms; return S.stepGap; },
    // Many events are on their way: the clustering worker starts now, not when they arrive.
    prepareClustering: function () { return !!hierarchyWorker(); },
    workerStarted: function () { return !!S.worker; },
    clusteredOnPage: function () { return !S.builtInWorker; },
    highlightedCount: function () { return S.highlighted.size; },
    eventCount: eventCount,
    tileErrors: function () { return S.tileErrors; },
    clicked: function () { return S.clicked.slice(); },
    marker: function (id) { return S.byId.has(id) ? markerFor(S.byId.get(id)) : null; },
    click: afterLoad(function (id) {
      if (!S.byId.has(id)) return false;
      var m = S.drawn.get(id) || markerFor(S.byId.get(id));
      m.fire('click', {latlng: m.getLatLng()});
      return true;
    }),
    setLegendCollapsed: setLegendCollapsed,
    legendCollapsed: legendCollapsed,
    escapeHtml: escapeHtml,
    colours: {ramp: RAMP, undated: UNDATED, highlight: HIGHLIGHT, outline: OUTLINE, cluster: CLUSTER}
  };
})();
