/*
 * The basemap under the events: Eventmap's English vector basemap, drawn with protomaps-leaflet
 * from the vector tiles geo/vector_basemap.py serves (eventmap://app/vtiles/{z}/{x}/{y}.pbf),
 * or the OpenStreetMap raster layer the page already has (local-script labels, zooms 0-6).
 *
 *   eventmapBasemap.init(map, config, hooks)  called by eventmap.init (the "basemap choice" hook)
 *   eventmapBasemap.set('english' | 'osm')    shows one, hides the other; returns the one shown
 *   eventmapBasemap.current()                 'english' or 'osm'
 *   eventmapBasemap.labels()                  texts of the vector labels drawn in the view now
 *   eventmapBasemap.isIdle()                  every tile of the view drawn, no layout pending
 *
 * protomaps-leaflet places the labels and keeps them from colliding; a rule earlier in
 * LABEL_RULES wins a collision, so countries come first, then cities from the largest down.
 */
(function () {
  'use strict';

  // A calm reference map: it sits under coloured event markers.
  var WATER = '#d6e6f0';
  var LAND = '#f5f3ee';
  var BORDER = '#a29cab';
  var COUNTRY_TEXT = '#5b6170';
  var CITY_TEXT = '#262a31';
  var HALO = '#ffffff';
  var DOT = '#4a4f59';
  var FONT = '"Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';
  var RANKS = [1, 2, 3, 4, 5, 6, 7, 8];  // city ranks of geo/vector_basemap_build.py
  var NAMES = ['english', 'osm'];

  var S = {
    map: null, config: {}, vector: null, raster: null, name: null, rendering: 0,
    watch: function (layer) { return layer; }
  };
  // The label each draw function paints: protomaps-leaflet's label index keeps draw functions,
  // so what the index holds can be read back as text.
  var TEXT = new WeakMap();

  function P() { return window.protomapsL; }

  // Wraps a label symbolizer so that every label it places is known by its text.
  function Recorded(inner) { this.inner = inner; }
  Recorded.prototype.place = function (layout, geom, feature) {
    var labels = this.inner.place(layout, geom, feature);
    var name = feature.props.name;
    if (labels) labels.forEach(function (l) { TEXT.set(l.draw, name); });
    return labels;
  };

  function byZoom(stops) {  // [[zoom, value], ...] -> the value of the last stop at or below z
    return function (z) {
      var value = stops[0][1];
      for (var i = 0; i < stops.length; i++) if (z >= stops[i][0]) value = stops[i][1];
      return value;
    };
  }

  function paintRules() {
    var p = P();
    return [
      {dataLayer: 'land', symbolizer: new p.PolygonSymbolizer({fill: LAND})},
      {dataLayer: 'boundaries', symbolizer: new p.LineSymbolizer({
        color: BORDER, width: byZoom([[0, 0.5], [3, 0.8], [5, 1.0], [7, 1.3], [9, 1.6]]),
        opacity: 0.9
      })}
    ];
  }

  function countryFont(z, f) {
    var big = f && f.props.rank <= 3;
    var size = z <= 2 ? 10.5 : z <= 4 ? (big ? 12.5 : 11) : (big ? 14 : 12.5);
    return '600 ' + size + 'px ' + FONT;
  }

  function cityFont(z, f) {
    var rank = f ? f.props.rank : 8;
    var size = rank <= 1 ? 13 : rank <= 3 ? 12 : rank <= 5 ? 11.5 : 11;
    if (z >= 8 && rank <= 5) size += 1;
    return (f && f.props.capital ? '600 ' : '400 ') + size + 'px ' + FONT;
  }

  function labelRules() {
    var p = P();
    var rules = [{
      dataLayer: 'countries', minzoom: 2,
      sort: function (a, b) { return b.area - a.area; },
      symbolizer: new Recorded(new p.CenteredTextSymbolizer({
        labelProps: ['name'], font: countryFont, fill: COUNTRY_TEXT, stroke: HALO, width: 1.6,
        letterSpacing: 0.4, maxLineChars: 12, lineHeight: 1.25
      }))
    }];
    RANKS.forEach(function (rank) {
      rules.push({
        dataLayer: 'cities',
        filter: function (z, f) { return f.props.rank === rank; },
        sort: function (a, b) { return b.pop - a.pop; },
        symbolizer: new Recorded(new p.GroupSymbolizer([
          new p.CircleSymbolizer({
            radius: function (z, f) { return f && f.props.capital ? 2.8 : 2.2; },
            fill: DOT, stroke: HALO, width: 1
          }),
          new p.OffsetTextSymbolizer({
            labelProps: ['name'], font: cityFont, fill: CITY_TEXT, stroke: HALO, width: 1.6,
            offsetX: 4, offsetY: 2, maxLineChars: 20
          })
        ]))
      });
    });
    return rules;
  }

  // The tiles through XMLHttpRequest: Chromium's fetch() refuses the eventmap:// scheme, and
  // protomaps-leaflet fetches a "{z}/{x}/{y}" URL. Given an object with PMTiles' getZxy
  // instead, it asks that object for each tile. An empty answer is an empty tile (open sea).
  function XhrTiles(template) { this.template = template; }
  XhrTiles.prototype.getZxy = function (z, x, y, signal) {
    var url = this.template.replace('{z}', z).replace('{x}', x).replace('{y}', y);
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      xhr.responseType = 'arraybuffer';
      xhr.onload = function () {
        var data = xhr.response;
        resolve(data && data.byteLength ? {data: data} : undefined);
      };
      xhr.onerror = function () { reject(new Error('cannot load ' + url)); };
      xhr.onabort = function () { reject(new DOMException('tile no longer needed', 'AbortError')); };
      if (signal) signal.addEventListener('abort', function () { xhr.abort(); });
      xhr.send();
    });
  };

  function vectorLayer() {
    if (S.vector || !S.config.vector || !P()) return S.vector;
    var layer = P().leafletLayer({
      url: new XhrTiles(S.config.url), maxDataZoom: S.config.maxDataZoom, levelDiff: 0,
      maxZoom: S.map.getMaxZoom(), attribution: S.config.attribution,
      backgroundColor: WATER, paintRules: paintRules(), labelRules: labelRules()
    });
    // protomaps-leaflet lays out labels over 16 data tiles and forgets the farthest: a wide
    // window shows more tiles than that, and forgotten labels no longer block their neighbours.
    layer.labelers.maxLabeledTiles = 96;
    // Count the renders in flight (a tile, or a neighbour redrawn after a label moved). A
    // render that protomaps-leaflet gave up on (the map asked for another zoom meanwhile)
    // never reports its tile, and Leaflet would wait for it for ever (isLoading() stays true):
    // such a tile is drawn again if its zoom is the map's again, else reported as done.
    var render = layer.renderTile;
    layer.renderTile = function (coords, element, key, done) {
      var self = this, reported = false;
      var report = done && function () { reported = true; done(); };
      S.rendering += 1;
      return Promise.resolve(render.call(this, coords, element, key, report)).finally(function () {
        S.rendering -= 1;
        if (!done || reported) return;
        if (element.key === key && coords.z === self._tileZoom && self._map) {
          self.renderTile(coords, element, key, done);
        } else {
          done();
        }
      });
    };
    S.vector = S.watch(layer);
    return layer;
  }

  function set(name) {
    if (NAMES.indexOf(name) < 0 || !S.map) return S.name;
    if (name === 'english' && !vectorLayer()) name = 'osm';
    var show = name === 'english' ? S.vector : S.raster;
    var hide = name === 'english' ? S.raster : S.vector;
    if (hide && S.map.hasLayer(hide)) S.map.removeLayer(hide);
    if (show && !S.map.hasLayer(show)) show.addTo(S.map);
    if (show) show.bringToBack();  // under online tiles, if they are on
    // The vector tiles carry their own borders: the page's border overlay is for the raster.
    var borders = S.map.getPane('em-borders');
    if (borders) borders.style.display = name === 'english' ? 'none' : '';
    S.name = name;
    return name;
  }

  function tilesDrawn(layer) {
    for (var key in layer._tiles) {
      var tile = layer._tiles[key];
      if (tile.current && !tile.loaded) return false;
    }
    return true;
  }

  function isIdle() {
    if (!S.map) return false;
    var layer = S.name === 'english' ? S.vector : S.raster;
    if (S.map._animatingZoom) return false;
    if (layer && layer._map && !tilesDrawn(layer)) return false;
    return S.name !== 'english' || S.rendering === 0;
  }

  function labels() {
    var layer = S.vector;
    if (S.name !== 'english' || !layer || !layer._map || layer._tileZoom === undefined) return [];
    var z = layer._tileZoom;
    var index = layer.labelers.getIndex(z);
    if (!index) return [];
    var b = S.map.getPixelBounds(S.map.getCenter(), z), dim = 256 * Math.pow(2, z);
    var texts = new Set();
    [-dim, 0, dim].forEach(function (shift) {  // the view may span the antimeridian
      var box = {minX: b.min.x + shift, minY: b.min.y, maxX: b.max.x + shift, maxY: b.max.y};
      index.searchBbox(box, Infinity).forEach(function (label) {
        var text = TEXT.get(label.draw);
        if (text) texts.add(text);
      });
    });
    return Array.from(texts).sort();
  }

  function init(map, config, hooks) {
    S.map = map;
    S.config = config || {};
    if (hooks && hooks.watch) S.watch = hooks.watch;
    S.raster = S.config.raster ? window[S.config.raster] || null : null;
    if (S.raster) S.watch(S.raster);
    return set(S.config.name || 'english');
  }

  window.eventmapBasemap = {
    init: init,
    set: set,
    current: function () { return S.name; },
    names: NAMES.slice(),
    labels: labels,
    isIdle: isIdle,
    owns: function (layer) { return layer === S.vector || layer === S.raster; }
  };
})();
