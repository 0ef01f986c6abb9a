/*
 * The events as eventmap.js holds them: columns (typed arrays) made from the desktop's binary
 * payload (desktop/map_payload.py), from JSON columns (geo.mapping.events_columns) or from the
 * standalone page's GeoJSON (geo.mapping.events_geojson); an event's record made from them on
 * first use; dates as day numbers; Web Mercator positions.
 *
 *   eventmapData.fromBinary(buffer) / fromColumns(columns) / fromFeatures(geojson) / newData(n)
 *   eventmapData.makeRecord(data, i)  eventmapData.idIndex(data) -> (id -> index, or -1)
 *   eventmapData.dayKey("2023-09-10") -> 20230910  eventmapData.dayText(20230910)
 *   eventmapData.mercatorX(lon)  mercatorY(lat)  latOfY(y)
 *
 * Article text is untrusted: these only hold it; eventmap.js puts it on the page as text.
 */
var eventmapData = (function () {
  'use strict';

  // "2023-09-10" -> 20230910: dates compare as numbers ("2023-09" -> 20230900, before the
  // month's days, as the strings sort). 0 is no date.
  function dayKey(s) {
    if (!s) return 0;
    return parseInt((String(s).replace(/-/g, '') + '00000000').slice(0, 8), 10) || 0;
  }

  function dayText(v) {
    var y = Math.floor(v / 10000), m = Math.floor(v / 100) % 100, d = v % 100;
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return ('000' + y).slice(-4) + (m ? '-' + two(m) + (d ? '-' + two(d) : '') : '');
  }

  // The columns every source of events is turned into. Codes index the lists (places,
  // titles, ...); -1 (255 for the small codes) is none.
  function newData(n) {
    return {
      n: n, id: new Float64Array(n), lat: new Float64Array(n), lon: new Float64Array(n),
      place: new Int32Array(n), count: new Int32Array(n), docs: null,
      start: new Int32Array(n), end: new Int32Array(n), reported: new Int32Array(n).fill(-1),
      km: new Float64Array(n), akm: new Float64Array(n), family: new Uint8Array(n).fill(255),
      status: new Uint8Array(n).fill(255), title: new Int32Array(n).fill(-1),
      area: new Uint8Array(n), cc: new Int32Array(n).fill(-1),
      places: [], titles: [], families: [], statuses: [], reportedList: [], ccList: [],
      props: null, startText: null, endText: null
    };
  }

  function codeOf(list, index, value) {
    if (value === undefined || value === null || value === '') return -1;
    var code = index.get(value);
    if (code === undefined) { code = list.length; list.push(value); index.set(value, code); }
    return code;
  }

  // The standalone page's GeoJSON (geo.mapping.events_geojson): the properties are kept as
  // they are (popups list their sources).
  function fromFeatures(fc) {
    var features = (fc && fc.features) || [], D = newData(features.length);
    var idx = {place: new Map(), family: new Map(), status: new Map()};
    D.props = features.map(function (f) { return f.properties; });
    D.docs = new Int32Array(D.n);
    features.forEach(function (f, i) {
      var p = f.properties, c = f.geometry.coordinates;
      D.id[i] = f.id; D.lat[i] = c[1]; D.lon[i] = c[0];
      D.place[i] = codeOf(D.places, idx.place, p.place);
      D.count[i] = p.count || 0; D.docs[i] = p.docs || 0;
      D.start[i] = dayKey(p.start); D.end[i] = dayKey(p.end);
      D.km[i] = p.approx ? p.km || 0 : 0; D.area[i] = p.area ? 1 : 0;
      D.family[i] = codeOf(D.families, idx.family, p.family) & 255;
      D.status[i] = codeOf(D.statuses, idx.status, p.status) & 255;
    });
    return D;
  }

  function column(list, i) { return list ? list[i] : undefined; }

  // The JSON columns of geo.mapping.events_columns.
  function fromColumns(c) {
    var D = newData(c.id.length);
    D.places = c.places || []; D.titles = c.titles || [];
    D.families = c.families || []; D.statuses = c.statuses || [];
    D.reportedList = c.reported || []; D.ccList = c.cc || [];
    D.startText = c.start; D.endText = c.end;
    if (c.docs) D.docs = new Int32Array(D.n);
    for (var i = 0; i < D.n; i++) {
      D.id[i] = c.id[i]; D.lat[i] = c.lat[i]; D.lon[i] = c.lon[i];
      D.place[i] = c.place[i]; D.count[i] = c.count[i];
      if (D.docs) D.docs[i] = c.docs[i];
      D.start[i] = dayKey(c.start[i]); D.end[i] = dayKey(c.end[i]);
      if (c.reported && c.reported[i]) D.reported[i] = i;
      D.km[i] = c.km[i] || 0; D.akm[i] = column(c.akm, i) || 0;
      D.family[i] = c.family ? c.family[i] : 255;
      D.status[i] = c.status ? c.status[i] : 255;
      D.title[i] = c.title ? c.title[i] : -1;
      D.area[i] = column(c.area, i) ? 1 : 0;
      if (c.cc && c.cc[i]) D.cc[i] = i;
    }
    return D;
  }

  // The desktop's binary columns (desktop/map_payload.py): a 4-byte length, a JSON head with
  // the lists and where each column lies in the body, then the body (from a multiple of 8).
  var ARRAY_TYPES = {f8: Float64Array, f4: Float32Array, i4: Int32Array, u1: Uint8Array};

  function fromBinary(buffer) {
    var headLength = new DataView(buffer).getUint32(0, true);
    var head = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headLength)));
    var body = 4 + headLength + (8 - (4 + headLength) % 8) % 8;
    var D = {n: head.n, places: head.places, titles: head.titles, families: head.families,
             statuses: head.statuses, reportedList: head.reported, ccList: head.cc,
             props: null, startText: head.startText || null, endText: head.endText || null};
    Object.keys(head.columns).forEach(function (name) {
      var c = head.columns[name];
      D[name] = new ARRAY_TYPES[c[0]](buffer, body + c[1], head.n);
    });
    return D;
  }

  function makeRecord(D, i) {
    var p = D.props ? D.props[i] : {place: D.places[D.place[i]], count: D.count[i]};
    if (!D.props) {
      if (D.start[i]) {
        p.start = D.startText ? D.startText[i] : dayText(D.start[i]);
        p.end = (D.endText ? D.endText[i] : D.end[i] && dayText(D.end[i])) || p.start;
      } else if (D.reported[i] >= 0) {
        p.reported = D.reportedList[D.reported[i]];
      }
      if (D.km[i] > 0) { p.approx = true; p.km = D.km[i]; }
      p.family = D.families[D.family[i]] || 'other';
      p.status = D.statuses[D.status[i]] || 'reported';
      p.title = D.title[i] >= 0 ? D.titles[D.title[i]] || '' : '';
      if (D.area[i]) {
        p.area = true; p.cc = D.cc[i] >= 0 ? D.ccList[D.cc[i]] || null : null; p.akm = D.akm[i];
      }
      if (D.docs) p.docs = D.docs[i];
    }
    return {id: D.id[i], i: i, lat: D.lat[i], lon: D.lon[i], p: p};
  }

  // Event id -> index: a table when ids are small integers (they are row ids), else a Map.
  function idIndex(D) {
    var max = 0, dense = true;
    for (var i = 0; i < D.n && dense; i++) {
      var id = D.id[i];
      if (id < 0 || id !== Math.floor(id)) dense = false; else if (id > max) max = id;
    }
    if (dense && max < 4 * D.n + 1024) {
      var table = new Int32Array(max + 1).fill(-1);
      for (i = 0; i < D.n; i++) table[D.id[i]] = i;
      return function (id) { var k = table[id]; return k === undefined ? -1 : k; };
    }
    var map = new Map();
    for (i = 0; i < D.n; i++) map.set(D.id[i], i);
    return function (id) { var k = map.get(id); return k === undefined ? -1 : k; };
  }

  function mercatorX(lon) { return lon / 360 + 0.5; }

  function mercatorY(lat) {
    var s = Math.sin(lat * Math.PI / 180), y = 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
    return y < 0 ? 0 : y > 1 ? 1 : y;
  }

  function latOfY(y) {
    return 360 * Math.atan(Math.exp((180 - y * 360) * Math.PI / 180)) / Math.PI - 90;
  }

  return {
    fromBinary: fromBinary, fromColumns: fromColumns, fromFeatures: fromFeatures, newData: newData,
    makeRecord: makeRecord, idIndex: idIndex, dayKey: dayKey, dayText: dayText,
    mercatorX: mercatorX, mercatorY: mercatorY, latOfY: latOfY
  };
})();
