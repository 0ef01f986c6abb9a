/*
 * The clusters of every zoom level of a set of events, for eventmap.js: Supercluster's greedy
 * clustering (from the deepest zoom up, each cluster or event not yet taken gathers those
 * within the radius), recording for each level which cluster every event is in: member
 * (event -> cluster), and the events of each cluster (order, from start[k] to start[k + 1]).
 * The last level holds the spots: events at the very same point.
 *
 *   eventmapClusters.buildHierarchy(x, y, {radius, extent, minZoom, maxZoom})
 *       x, y: the events' Web Mercator positions in [0, 1] (typed arrays)
 *       -> {levels: [{member, start, order, items}, ...], buffers: [transferable buffers]}
 *   eventmapClusters.workerSource: the source of a Web Worker that runs it on a message
 *       {token, x, y, opts} and answers {token, levels}
 *
 * buildHierarchy is self-contained (no names from outside): it also runs as the worker's source.
 */
var eventmapClusters = (function () {
  'use strict';

  function buildHierarchy(x, y, opts) {
    var n = x.length, levels = [], buffers = [], i, k, h;
    function finish(member, m) {
      var start = new Int32Array(m + 1), order = new Int32Array(n), fill, e;
      for (e = 0; e < n; e++) start[member[e] + 1] += 1;
      for (e = 0; e < m; e++) start[e + 1] += start[e];
      fill = start.slice(0, m);
      for (e = 0; e < n; e++) order[fill[member[e]]++] = e;
      buffers.push(member.buffer, start.buffer, order.buffer);
      return {member: member, start: start, order: order, items: m};
    }
    // Open-addressing hash tables on typed arrays: keys are integers (cells) or positions.
    function slots(m) { var size = 16; while (size < 2 * m) size *= 2; return size; }
    function mix(a) { return Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) ^ Math.imul(a >>> 13, 0x297a2d39); }
    var bits = new Float64Array(1), words = new Int32Array(bits.buffer);
    function spotHash(a, b) {
      bits[0] = a; var hx = mix(words[0] ^ mix(words[1]));
      bits[0] = b; return mix(hx ^ words[0] ^ mix(words[1] + 0x9e3779b9));
    }
    // The spots: events at the very same point.
    var spot = new Int32Array(n), size = slots(n), mask = size - 1, table = new Int32Array(size).fill(-1);
    var px = [], py = [], pw = [];
    for (i = 0; i < n; i++) {
      for (h = spotHash(x[i], y[i]) & mask; (k = table[h]) >= 0; h = (h + 1) & mask) {
        if (px[k] === x[i] && py[k] === y[i]) break;
      }
      if (k < 0) { k = px.length; table[h] = k; px.push(x[i]); py.push(y[i]); pw.push(0); }
      pw[k] += 1;
      spot[i] = k;
    }
    var member = spot, m = px.length;
    levels[opts.maxZoom + 1] = finish(spot, m);
    for (var z = opts.maxZoom; z >= opts.minZoom; z--) {
      var r = opts.radius / (opts.extent * Math.pow(2, z)), r2 = r * r, cols = Math.ceil(1 / r) + 3;
      size = slots(m); mask = size - 1;
      var cellKeys = new Int32Array(size), heads = new Int32Array(size).fill(-1);
      var cells = new Int32Array(m), next = new Int32Array(m);
      for (k = 0; k < m; k++) {
        var cell = cells[k] = (Math.floor(py[k] / r) + 1) * cols + Math.floor(px[k] / r) + 1;
        for (h = mix(cell) & mask; heads[h] >= 0 && cellKeys[h] !== cell; h = (h + 1) & mask);
        cellKeys[h] = cell; next[k] = heads[h]; heads[h] = k;
      }
      var parent = new Int32Array(m), taken = new Uint8Array(m), nx = [], ny = [], nw = [];
      for (k = 0; k < m; k++) {
        if (taken[k]) continue;
        taken[k] = 1;
        var id = nx.length, w = pw[k], sx = px[k] * w, sy = py[k] * w;
        for (var dy = -cols; dy <= cols; dy += cols) {
          for (var dx = -1; dx <= 1; dx++) {
            var near = cells[k] + dy + dx;
            for (h = mix(near) & mask; heads[h] >= 0 && cellKeys[h] !== near; h = (h + 1) & mask);
            for (var j = heads[h]; j >= 0; j = next[j]) {
              if (taken[j]) continue;
              var ex = px[j] - px[k], ey = py[j] - py[k];
              if (ex * ex + ey * ey > r2) continue;
              taken[j] = 1;
              parent[j] = id;
              w += pw[j]; sx += px[j] * pw[j]; sy += py[j] * pw[j];
            }
          }
        }
        parent[k] = id;
        nx.push(sx / w); ny.push(sy / w); nw.push(w);
      }
      var up = new Int32Array(n);
      for (i = 0; i < n; i++) up[i] = parent[member[i]];
      member = up; m = nx.length; px = nx; py = ny; pw = nw;
      levels[z] = finish(member, m);
    }
    return {levels: levels, buffers: buffers};
  }

  var WORKER_SOURCE = 'var buildHierarchy = ' + buildHierarchy.toString() + ';\n' +
    'onmessage = function (e) {\n' +
    '  var h = buildHierarchy(e.data.x, e.data.y, e.data.opts);\n' +
    '  postMessage({token: e.data.token, levels: h.levels}, h.buffers);\n' +
    '};\n';

  return {buildHierarchy: buildHierarchy, workerSource: WORKER_SOURCE};
})();
