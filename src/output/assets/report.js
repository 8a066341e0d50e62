// report.html's script. Every name from the data goes on the page as text
// (textContent, option.text, canvas labels), never as markup.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var orgs = D.orgs;
  var leads = D.leads;
  var MAX_ROWS = 1000;

  // ---- helpers -------------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function fmt(x, d) {
    if (x === null || x === undefined || (typeof x === 'number' && !isFinite(x))) return '';
    return typeof x === 'number' ? x.toFixed(d === undefined ? 3 : d) : String(x);
  }
  function pct(x) { return (x === null || x === undefined) ? '' : (100 * x).toFixed(1) + '%'; }
  // Lower case, accents and punctuation folded, as the dataset matches names.
  function fold(s) {
    return String(s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  }
  function name(i) { return i === null || i === undefined ? '' : orgs[i].name; }
  function clusterColour(c) {
    return c === null || c === undefined ? '#f0f0f0' : D.palette[c % D.palette.length];
  }
  function option(select, value, text) {
    var o = document.createElement('option');
    o.value = value;
    o.text = text;
    select.appendChild(o);
  }
  function uniqueSorted(values) {
    return Array.from(new Set(values)).sort(function (a, b) { return String(a).localeCompare(String(b)); });
  }
  // A link that opens an organisation's card.
  function orgLink(i) {
    var a = el('a', name(i), 'org');
    a.href = '#map-section';
    a.addEventListener('click', function (ev) { ev.preventDefault(); openCard(i, true); });
    return a;
  }
  function orgList(list) {
    var span = el('span');
    list.forEach(function (i, k) {
      if (k) span.appendChild(document.createTextNode(', '));
      span.appendChild(orgLink(i));
    });
    return span;
  }

  // A sortable table. columns: [{title, get(row) -> sort value, cell(row) -> text or node, num}]
  function table(tableEl, columns, rows, limit) {
    var sortCol = -1, asc = true, shown = rows;
    function draw() {
      tableEl.textContent = '';
      var thead = el('thead'), tr = el('tr');
      columns.forEach(function (c, k) {
        var th = el('th', c.title + (k === sortCol ? (asc ? ' \u25b2' : ' \u25bc') : ''));
        if (c.help) th.title = c.help;
        th.tabIndex = 0;
        th.addEventListener('click', function () {
          if (sortCol === k) asc = !asc; else { sortCol = k; asc = !c.num; }
          sortRows();
          draw();
        });
        tr.appendChild(th);
      });
      thead.appendChild(tr);
      tableEl.appendChild(thead);
      var tbody = el('tbody');
      var max = limit || MAX_ROWS;
      shown.slice(0, max).forEach(function (r) {
        var tr = el('tr');
        columns.forEach(function (c) {
          var v = c.cell ? c.cell(r) : c.get(r);
          var td = el('td', null, c.num ? 'num' : (c.wide ? 'wide' : ''));
          if (v instanceof Node) td.appendChild(v); else td.textContent = v === null || v === undefined ? '' : String(v);
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      tableEl.appendChild(tbody);
      if (shown.length > max) {
        var cap = el('caption', 'The first ' + max + ' of ' + shown.length + ' rows are shown.');
        tableEl.appendChild(cap);
      }
    }
    function sortRows() {
      if (sortCol < 0) return;
      var g = columns[sortCol].get, dir = asc ? 1 : -1;
      shown = shown.slice().sort(function (a, b) {
        var x = g(a), y = g(b);
        if (x === y) return 0;
        if (x === null || x === undefined || x === '') return 1;
        if (y === null || y === undefined || y === '') return -1;
        if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
        return String(x).localeCompare(String(y)) * dir;
      });
    }
    draw();
    return {
      setRows: function (r) { shown = r; sortRows(); draw(); },
      rows: function () { return shown; }
    };
  }

  // ---- the map ---------------------------------------------------------------
  var KIND_ORDER = ['partner', 'collaborates', 'member', 'contact', 'referral', 'past_partner'];
  var LINE = {
    partner: { style: 'solid', color: '#555555', width: 2, text: 'partner (active partnership)' },
    collaborates: { style: 'solid', color: '#1f78b4', width: 2, text: 'collaboration between affiliates' },
    member: { style: 'solid', color: '#aaaaaa', width: 1, text: 'member' },
    contact: { style: 'solid', color: '#cccccc', width: 1, text: 'in contact' },
    referral: { style: 'dashed', color: '#33a02c', width: 2, text: 'referral (someone suggested it)' },
    past_partner: { style: 'dotted', color: '#777777', width: 2, text: 'past partner (partnership ended)' },
    desired: { style: 'dashed', color: '#ff7f00', width: 2, text: 'wish (an affiliate wants it as partner; not a tie)' }
  };
  function mainKind(kinds) {
    for (var k = 0; k < KIND_ORDER.length; k++) if (kinds.indexOf(KIND_ORDER[k]) >= 0) return KIND_ORDER[k];
    return 'contact';
  }
  function shapeOf(kind) {
    if (kind === 'affiliate' || kind === 'hub') return 'round-rectangle';
    if (kind === 'unknown') return 'diamond';
    return 'ellipse';
  }
  var drawn = new Set(D.map.nodes);
  var labelled = new Set(D.map.labelled);
  // The top leads and brokers carry their names too.
  leads.slice(0, 15).forEach(function (l) { labelled.add(l.org); });
  D.brokers.slice(0, 15).forEach(function (b) { labelled.add(b); });
  var bridgeSet = new Set(D.map.bridges.map(function (t) { return t[0] + '-' + t[1]; }));
  var maxB = 0;
  D.map.nodes.forEach(function (i) { var b = orgs[i].betweenness; if (b > maxB) maxB = b; });

  // Deterministic starting places: clusters on a circle, members on a
  // sunflower spiral around their cluster's centre, most central first.
  var groups = new Map();
  D.map.nodes.forEach(function (i) {
    var c = orgs[i].cluster === null ? -1 : orgs[i].cluster;
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c).push(i);
  });
  var keys = Array.from(groups.keys()).sort(function (a, b) { return groups.get(b).length - groups.get(a).length || a - b; });
  var positions = {};
  // Where the network diagram has them (points from its top left corner),
  // when Graphviz laid it out: the map is then that picture.
  var placed = D.map.positions;
  if (placed) D.map.nodes.forEach(function (i, k) {
    positions[i] = { x: placed[k][0], y: placed[k][1] };
  });
  var R = 60 * Math.sqrt(D.map.nodes.length + 1);
  if (!placed) keys.forEach(function (c, k) {
    var members = groups.get(c);
    var angle = 2 * Math.PI * k / keys.length;
    var cx = keys.length > 1 ? R * Math.cos(angle) : 0, cy0 = keys.length > 1 ? R * Math.sin(angle) : 0;
    members.forEach(function (i, m) {
      var r = 22 * Math.sqrt(m), a = m * 2.39996;
      positions[i] = { x: cx + r * Math.cos(a), y: cy0 + r * Math.sin(a) };
    });
  });

  var elements = [];
  D.map.nodes.forEach(function (i) {
    var o = orgs[i];
    var classes = [];
    if (o.lead !== null) classes.push('lead');
    if (o.cut_off !== null) classes.push('cut');
    elements.push({
      group: 'nodes',
      data: {
        id: 'n' + i, idx: i,
        label: labelled.has(i) ? o.name : '',
        colour: clusterColour(o.cluster),
        shape: shapeOf(o.kind),
        size: 14 + (maxB > 0 ? 36 * Math.sqrt(Math.max(0, o.betweenness || 0) / maxB) : 0)
      },
      position: positions[i],
      classes: classes.join(' ')
    });
  });
  D.map.ties.forEach(function (t, k) {
    var kind = mainKind(t[2]);
    var bridge = bridgeSet.has(Math.min(t[0], t[1]) + '-' + Math.max(t[0], t[1]));
    elements.push({
      group: 'edges',
      data: { id: 't' + k, source: 'n' + t[0], target: 'n' + t[1], kinds: t[2].join(' '), kind: kind },
      classes: 'k-' + kind + (bridge ? ' bridge' : '')
    });
  });
  D.map.wishes.forEach(function (w, k) {
    elements.push({
      group: 'edges',
      data: { id: 'w' + k, source: 'n' + w[0], target: 'n' + w[1], kinds: 'desired', kind: 'desired' },
      classes: 'k-desired'
    });
  });
  var style = [
    { selector: 'node', style: {
      'background-color': 'data(colour)', shape: 'data(shape)', width: 'data(size)', height: 'data(size)',
      'border-width': 1, 'border-color': '#444', label: 'data(label)', 'font-size': 12,
      'text-valign': 'bottom', 'text-margin-y': 2, 'text-wrap': 'wrap', 'text-max-width': 110,
      'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'min-zoomed-font-size': 5 } },
    { selector: 'node.lead', style: { 'background-opacity': 0.15, 'border-style': 'dashed', 'border-width': 2, 'border-color': '#d95f02' } },
    { selector: 'node.cut', style: { 'border-style': 'double', 'border-width': 5, 'border-color': '#222' } },
    { selector: 'node:selected', style: { 'border-color': '#e7298a', 'border-width': 5, 'border-style': 'solid' } },
    { selector: 'edge', style: { width: 1, 'line-color': '#ccc', 'curve-style': 'haystack', opacity: 0.8 } },
    { selector: '.hidden', style: { display: 'none' } },
    { selector: '.faded', style: { opacity: 0.12 } }
  ];
  Object.keys(LINE).forEach(function (k) {
    var s = LINE[k];
    var st = { 'line-style': s.style, 'line-color': s.color, width: s.width };
    if (k === 'desired') { st['curve-style'] = 'straight'; st['target-arrow-shape'] = 'triangle'; st['target-arrow-color'] = s.color; }
    style.push({ selector: 'edge.k-' + k, style: st });
  });
  style.push({ selector: 'edge.bridge', style: { 'line-color': '#e31a1c', width: 4, 'line-style': 'solid' } });

  var started = performance.now();
  var cy = cytoscape({
    container: $('map'),
    elements: elements,
    style: style,
    layout: { name: 'preset' },
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4
  });
  // The force-directed layout's work grows with the square of the nodes:
  // fewer, faster-cooling rounds for larger maps keep the first draw quick.
  var n = D.map.nodes.length;
  var rounds = Math.max(30, Math.min(1000, Math.round(1.2e7 / Math.max(1, n * n))));
  var layoutOptions = { name: 'cose', randomize: false, animate: false, fit: true, padding: 20,
    numIter: rounds, coolingFactor: Math.pow(0.02, 1 / rounds), initialTemp: 200,
    nodeRepulsion: function () { return 6000; }, idealEdgeLength: function () { return 40; } };
  var created = performance.now();
  if (placed) cy.fit(undefined, 20); else cy.layout(layoutOptions).run();
  window.reportFirstDraw = performance.now() - started;
  window.reportLayoutTime = performance.now() - created;
  window.reportMap = cy;
  document.body.setAttribute('data-drawn', String(cy.nodes().length));

  // ---- the key ---------------------------------------------------------------
  (function key() {
    var box = $('key');
    var svgNS = 'http://www.w3.org/2000/svg';
    function swatch(draw) {
      var svg = document.createElementNS(svgNS, 'svg');
      svg.setAttribute('width', '36');
      svg.setAttribute('height', '16');
      draw(svg);
      return svg;
    }
    function shape(svg, tag, attrs) {
      var s = document.createElementNS(svgNS, tag);
      Object.keys(attrs).forEach(function (k) { s.setAttribute(k, attrs[k]); });
      svg.appendChild(s);
    }
    function item(list, sw, text) {
      var li = el('li');
      li.appendChild(sw);
      li.appendChild(el('span', text));
      list.appendChild(li);
    }
    function block(title, cls) {
      var div = el('div', null, 'key-block' + (cls ? ' ' + cls : ''));
      div.appendChild(el('h4', title));
      var ul = el('ul');
      div.appendChild(ul);
      box.appendChild(div);
      return ul;
    }
    var shapes = block('Shapes');
    item(shapes, swatch(function (s) { shape(s, 'rect', { x: 4, y: 2, width: 28, height: 12, rx: 3, fill: '#ddd', stroke: '#444' }); }), 'affiliate or hub');
    item(shapes, swatch(function (s) { shape(s, 'ellipse', { cx: 18, cy: 8, rx: 12, ry: 6, fill: '#ddd', stroke: '#444' }); }), 'institution');
    item(shapes, swatch(function (s) { shape(s, 'polygon', { points: '18,1 30,8 18,15 6,8', fill: '#ddd', stroke: '#444' }); }), 'unknown (named, not in organisations.csv)');
    item(shapes, swatch(function (s) { shape(s, 'ellipse', { cx: 18, cy: 8, rx: 12, ry: 6, fill: '#fff', stroke: '#d95f02', 'stroke-dasharray': '3,2', 'stroke-width': 2 }); }), 'lead (hollow, dashed border)');
    item(shapes, swatch(function (s) { shape(s, 'ellipse', { cx: 18, cy: 8, rx: 12, ry: 6, fill: '#ddd', stroke: '#222', 'stroke-width': 4 }); shape(s, 'ellipse', { cx: 18, cy: 8, rx: 12, ry: 6, fill: 'none', stroke: '#fff', 'stroke-width': 1.5 }); }), 'cut point (double border)');
    item(shapes, swatch(function (s) { shape(s, 'circle', { cx: 10, cy: 8, r: 3, fill: '#ddd', stroke: '#444' }); shape(s, 'circle', { cx: 26, cy: 8, r: 7, fill: '#ddd', stroke: '#444' }); }), 'size: betweenness');
    var lines = block('Lines');
    Object.keys(LINE).forEach(function (k) {
      var s = LINE[k];
      item(lines, swatch(function (svg) {
        var a = { x1: 2, y1: 8, x2: 34, y2: 8, stroke: s.color, 'stroke-width': s.width + 1 };
        if (s.style === 'dashed') a['stroke-dasharray'] = '6,3';
        if (s.style === 'dotted') a['stroke-dasharray'] = '2,2';
        shape(svg, 'line', a);
      }), s.text);
    });
    item(lines, swatch(function (svg) { shape(svg, 'line', { x1: 2, y1: 8, x2: 34, y2: 8, stroke: '#e31a1c', 'stroke-width': 4 }); }), 'bridge: its loss cuts off two or more organisations');
    var colours = block('Colours: clusters', 'colours');
    var shown = new Set();
    D.map.nodes.forEach(function (i) { shown.add(orgs[i].cluster); });
    D.clusters.forEach(function (c) {
      if (!shown.has(c.id)) return;
      item(colours, swatch(function (s) { shape(s, 'rect', { x: 4, y: 2, width: 28, height: 12, fill: c.colour, stroke: '#444' }); }), c.id + ': ' + c.label);
    });
    if (shown.has(null)) item(colours, swatch(function (s) { shape(s, 'rect', { x: 4, y: 2, width: 28, height: 12, fill: '#f0f0f0', stroke: '#444' }); }), 'not in a cluster (small group or no tie)');
  })();

  // ---- cards -------------------------------------------------------------------
  var current = null;
  function row(dl, term, value, help) {
    if (value === null || value === undefined || value === '') return;
    var dt = el('dt', term);
    if (help) dt.title = help;
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  function openCard(i, scroll) {
    current = i;
    var o = orgs[i];
    var card = $('card');
    card.textContent = '';
    card.hidden = false;
    var close = el('button', '\u00d7', 'close');
    close.type = 'button';
    close.title = 'Close';
    close.addEventListener('click', function () { card.hidden = true; cy.nodes().unselect(); });
    card.appendChild(close);
    card.appendChild(el('h3', o.name, 'card-name'));
    if (!drawn.has(i)) card.appendChild(el('p', 'Not drawn on the map (only the most central organisations are).', 'note'));
    var dl = el('dl');
    row(dl, 'Id', o.id);
    row(dl, 'Kind', o.kind);
    row(dl, 'Region', o.region);
    row(dl, 'Country', o.country);
    if (o.aliases.length) row(dl, 'Other names', o.aliases.join('; '));
    if (o.wikidata) {
      var a = el('a', o.wikidata);
      a.href = 'https://www.wikidata.org/wiki/' + encodeURIComponent(o.wikidata);
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      row(dl, 'Wikidata', a);
    }
    if (o.cluster !== null) {
      var c = D.clusters[o.cluster];
      row(dl, 'Cluster', o.cluster + (c ? ': ' + c.label : '') + ' (confidence ' + fmt(o.confidence, 2) + ')', 'Confidence: the share of runs in which it stays with the majority of its cluster.');
    } else {
      row(dl, 'Cluster', 'none (a small group or no tie)');
    }
    var partners = [], past = [], others = [];
    o.ties.forEach(function (t) {
      if (t[1].indexOf('partner') >= 0) partners.push(t[0]);
      else if (t[1].indexOf('past_partner') >= 0) past.push(t[0]);
      else others.push(t[0]);
    });
    row(dl, 'Partners', partners.length ? orgList(partners) : 'none');
    if (past.length) row(dl, 'Past partners', orgList(past));
    if (others.length) row(dl, 'Other ties', orgList(others), 'Collaborations, memberships, contacts and referrals.');
    var wants = leads.filter(function (l) { return l.desired_by.indexOf(i) >= 0; }).map(function (l) { return l.org; });
    if (wants.length) row(dl, 'Wants as partner', orgList(wants));
    var refers = leads.filter(function (l) { return l.referred_by.some(function (r) { return r[0] === i; }); }).map(function (l) { return l.org; });
    if (refers.length) row(dl, 'Referred', orgList(refers));
    row(dl, 'Betweenness', pct(o.betweenness) + ' of shortest paths', 'The share of shortest paths between other organisations that run through it.');
    if (isFinite(o.participation) && o.participation !== null) row(dl, 'Participation', fmt(o.participation, 2), 'How evenly its ties spread over clusters: 0 all in one, towards 1 many.');
    if (o.cut_off !== null) row(dl, 'Cut point', 'without it ' + o.cut_off + ' organisations lose their connection to the rest');
    card.appendChild(dl);
    if (o.lead !== null) {
      var l = leads[o.lead];
      card.appendChild(el('h4', 'Lead #' + l.rank + ': score ' + fmt(l.score)));
      card.appendChild(el('p', l.reason));
      var ldl = el('dl');
      row(ldl, 'Type', l.lead_type);
      row(ldl, 'Status', l.status + (l.owner ? ' (' + l.owner + ')' : ''));
      if (l.referred_by.length) row(ldl, 'Referred by', orgList(l.referred_by.map(function (r) { return r[0]; })));
      if (l.desired_by.length) row(ldl, 'Wanted by', orgList(l.desired_by));
      if (l.former_partners.length) row(ldl, 'Former partners', orgList(l.former_partners));
      row(ldl, 'Introducer', l.introducer === null ? 'no affiliate within reach' : orgLink(l.introducer));
      row(ldl, 'Path', l.path_text);
      card.appendChild(ldl);
      var parts = el('table', null, 'parts');
      D.score_parts.forEach(function (p, k) {
        var tr = el('tr');
        tr.appendChild(el('td', p));
        tr.appendChild(el('td', fmt(l.parts[k]), 'num'));
        parts.appendChild(tr);
      });
      var total = el('tr');
      total.appendChild(el('th', 'score'));
      total.appendChild(el('th', fmt(l.score), 'num'));
      parts.appendChild(total);
      card.appendChild(parts);
    }
    $('focus-1').disabled = !drawn.has(i);
    $('focus-2').disabled = !drawn.has(i);
    cy.nodes().unselect();
    if (drawn.has(i)) {
      var node = cy.getElementById('n' + i);
      node.select();
      cy.animate({ center: { eles: node }, duration: 0 });
    }
    if (scroll) $('map-section').scrollIntoView();
  }
  cy.on('tap', 'node', function (ev) { openCard(ev.target.data('idx'), false); });

  // ---- search --------------------------------------------------------------------
  var index = orgs.map(function (o, i) {
    return { i: i, keys: [fold(o.name), fold(o.id)].concat(o.aliases.map(fold)) };
  });
  function search(q) {
    var f = fold(q);
    if (!f) return [];
    var exact = [], prefix = [], part = [];
    index.forEach(function (e) {
      if (e.keys.indexOf(f) >= 0) exact.push(e.i);
      else if (e.keys.some(function (k) { return k.indexOf(f) === 0; })) prefix.push(e.i);
      else if (e.keys.some(function (k) { return k.indexOf(f) > 0; })) part.push(e.i);
    });
    return exact.concat(prefix, part);
  }
  function showSearch(open) {
    var q = $('search').value;
    var found = search(q);
    var box = $('search-result');
    box.textContent = '';
    if (!q.trim()) return;
    if (!found.length) { box.textContent = 'No organisation matches \u201c' + q + '\u201d.'; return; }
    box.appendChild(el('span', found.length + (found.length === 1 ? ' match: ' : ' matches: ')));
    found.slice(0, 12).forEach(function (i, k) {
      if (k) box.appendChild(document.createTextNode(' \u00b7 '));
      box.appendChild(orgLink(i));
    });
    var exact = search(q).filter(function (i) { return index[i].keys.indexOf(fold(q)) >= 0; });
    if (open || exact.length === 1 || found.length === 1) openCard(exact.length ? exact[0] : found[0], false);
  }
  $('search').addEventListener('input', function () { showSearch(false); });
  $('search').addEventListener('keydown', function (ev) { if (ev.key === 'Enter') showSearch(true); });

  // ---- filters -----------------------------------------------------------------------
  function fill(select, values, label) {
    values.forEach(function (v) { option(select, String(v), label ? label(v) : String(v)); });
  }
  var drawnList = D.map.nodes;
  fill($('f-region'), uniqueSorted(drawnList.map(function (i) { return orgs[i].region; })));
  fill($('f-cluster'), D.clusters.filter(function (c) { return drawnList.some(function (i) { return orgs[i].cluster === c.id; }); }).map(function (c) { return c.id; }),
    function (id) { return id + ': ' + D.clusters[id].label; });
  fill($('f-kind'), uniqueSorted(drawnList.map(function (i) { return orgs[i].kind; })));
  fill($('f-relation'), KIND_ORDER.concat(['desired']));
  var focus = null;
  function applyFilters() {
    var region = $('f-region').value, cluster = $('f-cluster').value, kind = $('f-kind').value,
      relation = $('f-relation').value, onlyLeads = $('f-leads').checked;
    cy.batch(function () {
      var keep = null;
      if (focus) keep = focus;
      cy.nodes().forEach(function (n) {
        var o = orgs[n.data('idx')];
        var show = (!region || o.region === region) && (!cluster || String(o.cluster) === cluster) &&
          (!kind || o.kind === kind) && (!onlyLeads || o.lead !== null) && (!keep || keep.has(n.id()));
        n.toggleClass('hidden', !show);
      });
      cy.edges().forEach(function (e) {
        var show = !relation || e.data('kinds').split(' ').indexOf(relation) >= 0;
        e.toggleClass('hidden', !show);
      });
      if (relation) {
        cy.nodes().forEach(function (n) {
          if (n.connectedEdges().filter(function (e) { return !e.hasClass('hidden'); }).length === 0) n.addClass('hidden');
        });
      }
    });
    document.body.setAttribute('data-visible', String(cy.nodes().filter(function (n) { return !n.hasClass('hidden'); }).length));
  }
  ['f-region', 'f-cluster', 'f-kind', 'f-relation', 'f-leads'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  function focusOn(steps) {
    if (current === null || !drawn.has(current)) return;
    var hood = cy.getElementById('n' + current);
    for (var s = 0; s < steps; s++) hood = hood.closedNeighborhood();
    focus = new Set(hood.nodes().map(function (n) { return n.id(); }));
    applyFilters();
    cy.fit(hood.nodes(), 30);
  }
  $('focus-1').addEventListener('click', function () { focusOn(1); });
  $('focus-2').addEventListener('click', function () { focusOn(2); });
  $('reset').addEventListener('click', function () {
    focus = null;
    ['f-region', 'f-cluster', 'f-kind', 'f-relation'].forEach(function (id) { $(id).value = ''; });
    $('f-leads').checked = false;
    applyFilters();
    cy.fit(undefined, 20);
  });

  // ---- leads ------------------------------------------------------------------------
  function referrers(l) { return l.referred_by.map(function (r) { return name(r[0]) + (r[1] > 1 ? ' (' + r[1] + '\u00d7)' : ''); }).join('; '); }
  var leadColumns = [
    { title: 'rank', get: function (l) { return l.rank; }, num: true },
    { title: 'name', get: function (l) { return name(l.org); }, cell: function (l) { return orgLink(l.org); } },
    { title: 'kind', get: function (l) { return orgs[l.org].kind; } },
    { title: 'region', get: function (l) { return orgs[l.org].region; } },
    { title: 'country', get: function (l) { return orgs[l.org].country || ''; } },
    { title: 'score', get: function (l) { return l.score; }, cell: function (l) { return fmt(l.score); }, num: true, help: 'The sum of the parts shown in the card.' },
    { title: 'type', get: function (l) { return l.lead_type; } },
    { title: 'status', get: function (l) { return l.status; } },
    { title: 'owner', get: function (l) { return l.owner || ''; } },
    { title: 'referrals', get: function (l) { return l.referrals; }, num: true },
    { title: 'referred by', get: referrers },
    { title: 'wanted by', get: function (l) { return l.desired_by.map(name).join('; '); } },
    { title: 'introducer', get: function (l) { return name(l.introducer); } },
    { title: 'path', get: function (l) { return l.path_text; }, wide: true },
    { title: 'reason', get: function (l) { return l.reason; }, wide: true }
  ];
  var leadsTable = table($('leads-table'), leadColumns, leads);
  var affiliates = uniqueSorted([].concat.apply([], leads.map(function (l) {
    return [l.introducer].concat(l.desired_by, l.referred_by.map(function (r) { return r[0]; }));
  })).filter(function (i) { return i !== null && (orgs[i].kind === 'affiliate' || orgs[i].kind === 'hub'); }).map(name));
  var byName = new Map();
  orgs.forEach(function (o, i) { if (!byName.has(o.name) && (o.kind === 'affiliate' || o.kind === 'hub')) byName.set(o.name, i); });
  fill($('l-affiliate'), affiliates);
  fill($('l-region'), uniqueSorted(leads.map(function (l) { return orgs[l.org].region; })));
  fill($('l-status'), uniqueSorted(leads.map(function (l) { return l.status; })));
  fill($('l-type'), uniqueSorted(leads.map(function (l) { return l.lead_type; })));
  function involves(l, a) {
    return l.introducer === a || l.desired_by.indexOf(a) >= 0 || l.referred_by.some(function (r) { return r[0] === a; });
  }
  function filterLeads() {
    var aff = $('l-affiliate').value, a = aff ? byName.get(aff) : null, region = $('l-region').value,
      status = $('l-status').value, type = $('l-type').value, text = fold($('l-text').value);
    var rows = leads.filter(function (l) {
      if (a !== null && !involves(l, a)) return false;
      if (region && orgs[l.org].region !== region) return false;
      if (status && l.status !== status) return false;
      if (type && l.lead_type !== type) return false;
      if (text) {
        var hay = fold([name(l.org), orgs[l.org].id, l.reason, l.path_text, referrers(l)].concat(orgs[l.org].aliases).join(' '));
        if (hay.indexOf(text) < 0) return false;
      }
      return true;
    });
    leadsTable.setRows(rows);
    $('l-count').textContent = rows.length + ' of ' + leads.length + ' leads' + (D.leads_total > leads.length ? ' (the page holds the best ' + leads.length + ' of ' + D.leads_total + ')' : '');
  }
  ['l-affiliate', 'l-region', 'l-status', 'l-type'].forEach(function (id) { $(id).addEventListener('change', filterLeads); });
  $('l-text').addEventListener('input', filterLeads);
  filterLeads();

  // CSV as leads.csv writes it: cells a spreadsheet could run as a formula
  // get a leading apostrophe; a byte-order mark so Excel reads UTF-8.
  function csvCell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && !(s.length > 1 && isFinite(Number(s)))) s = "'" + s;
    if (/[",\r\n]/.test(s)) s = '"' + s.replace(/"/g, '""') + '"';
    return s;
  }
  function leadsCsv(rows) {
    var head = ['rank', 'id', 'name', 'kind', 'country', 'region', 'score', 'lead_type', 'status', 'owner', 'referrals', 'referred_by', 'desired_by', 'best_introducer', 'path', 'reason']
      .concat(D.score_parts.map(function (p) { return 'score_' + p; }));
    var lines = [head.map(csvCell).join(',')];
    rows.forEach(function (l) {
      var o = orgs[l.org];
      lines.push([l.rank, o.id, o.name, o.kind, o.country || '', o.region, fmt(l.score), l.lead_type, l.status, l.owner || '', l.referrals,
        referrers(l), l.desired_by.map(name).join('; '), name(l.introducer), l.path_text, l.reason]
        .concat(l.parts.map(function (p) { return fmt(p); })).map(csvCell).join(','));
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }
  $('l-download').addEventListener('click', function () {
    var blob = new Blob([leadsCsv(leadsTable.rows())], { type: 'text/csv;charset=utf-8' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    var aff = $('l-affiliate').value;
    a.download = 'leads' + (aff ? '-' + fold(aff).replace(/ /g, '-') : '') + '.csv';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });

  // ---- leads per affiliate -----------------------------------------------------------------
  fill($('a-affiliate'), affiliates);
  function affiliateView() {
    var box = $('affiliate-view');
    box.textContent = '';
    var aff = $('a-affiliate').value;
    if (!aff) { box.appendChild(el('p', 'No affiliate is named in any lead.')); return; }
    var a = byName.get(aff);
    box.appendChild(el('h3', 'Leads for ' + aff));
    var rows = leads.filter(function (l) { return involves(l, a); });
    if (!rows.length) { box.appendChild(el('p', 'No leads.')); return; }
    box.appendChild(el('p', rows.length + ' institutions ' + aff + ' could introduce, referred, or wants as partners, strongest first.'));
    var t = el('table');
    box.appendChild(t);
    table(t, [
      { title: 'rank', get: function (l) { return l.rank; }, num: true },
      { title: 'name', get: function (l) { return name(l.org); } },
      { title: 'kind', get: function (l) { return orgs[l.org].kind; } },
      { title: 'region', get: function (l) { return orgs[l.org].region; } },
      { title: 'score', get: function (l) { return l.score; }, cell: function (l) { return fmt(l.score); }, num: true },
      { title: 'how ' + aff + ' is involved', get: function (l) {
        var how = [];
        if (l.introducer === a) how.push('best introducer (' + Math.max(0, l.path.length - 1) + ' ties away)');
        var r = l.referred_by.filter(function (x) { return x[0] === a; });
        if (r.length) how.push('referred it');
        if (l.desired_by.indexOf(a) >= 0) how.push('wants it');
        return how.join('; ');
      } },
      { title: 'path', get: function (l) { return l.path_text; }, wide: true },
      { title: 'reason', get: function (l) { return l.reason; }, wide: true }
    ], rows);
  }
  $('a-affiliate').addEventListener('change', affiliateView);
  $('a-print').addEventListener('click', function () {
    document.body.classList.add('print-affiliate');
    window.print();
    document.body.classList.remove('print-affiliate');
  });
  affiliateView();

  // ---- clusters, bridges, brokers, opportunities --------------------------------------------------
  table($('clusters-table'), [
    { title: 'cluster', get: function (c) { return c.id; }, num: true },
    { title: 'colour', get: function (c) { return c.id; }, cell: function (c) { var s = el('span', '\u00a0', 'swatch'); s.style.backgroundColor = c.colour; return s; } },
    { title: 'label', get: function (c) { return c.label; }, wide: true },
    { title: 'region', get: function (c) { return c.region; } },
    { title: 'organisations', get: function (c) { return c.size; }, num: true },
    { title: 'affiliates and hubs', get: function (c) { return c.affiliates; }, num: true },
    { title: 'institutions', get: function (c) { return c.institutions; }, num: true },
    { title: 'density', get: function (c) { return c.density; }, cell: function (c) { return fmt(c.density, 2); }, num: true, help: 'The share of possible ties among members that exist.' },
    { title: 'modularity share', get: function (c) { return c.modularity; }, cell: function (c) { return fmt(c.modularity, 3); }, num: true },
    { title: 'mean confidence', get: function (c) { return c.mean_confidence; }, cell: function (c) { return fmt(c.mean_confidence, 2); }, num: true }
  ], D.clusters);
  function regions(c) { return c.regions.map(function (r) { return r[1] + ' in ' + r[0]; }).join(', '); }
  table($('bridges-table'), [
    { title: 'tie between', get: function (b) { return name(b.orgs[0]) + ' \u2013 ' + name(b.orgs[1]); }, cell: function (b) { return orgList(b.orgs); } },
    { title: 'cut off', get: function (b) { return b.size; }, num: true },
    { title: 'on the cut-off side', get: function (b) { return name(b.cut_off_end); } },
    { title: 'what is cut off', get: regions, wide: true }
  ], D.bridges);
  table($('cuts-table'), [
    { title: 'organisation', get: function (b) { return name(b.orgs[0]); }, cell: function (b) { return orgLink(b.orgs[0]); } },
    { title: 'cut off', get: function (b) { return b.size; }, num: true },
    { title: 'what is cut off', get: regions, wide: true }
  ], D.cut_points);
  table($('brokers-table'), [
    { title: 'rank', get: function (v) { return D.brokers.indexOf(v) + 1; }, num: true },
    { title: 'organisation', get: name, cell: orgLink },
    { title: 'kind', get: function (v) { return orgs[v].kind; } },
    { title: 'region', get: function (v) { return orgs[v].region; } },
    { title: 'betweenness', get: function (v) { return orgs[v].betweenness; }, cell: function (v) { return pct(orgs[v].betweenness); }, num: true },
    { title: 'participation', get: function (v) { return orgs[v].participation; }, cell: function (v) { return fmt(orgs[v].participation, 2); }, num: true },
    { title: 'cuts off', get: function (v) { return orgs[v].cut_off; }, num: true }
  ], D.brokers, 100);
  table($('opportunities-table'), [
    { title: 'kind', get: function (o) { return o.kind; } },
    { title: 'affiliate', get: function (o) { return name(o.a); }, cell: function (o) { return orgLink(o.a); } },
    { title: 'with', get: function (o) { return name(o.b); }, cell: function (o) { return orgLink(o.b); } },
    { title: 'need', get: function (o) { return o.tag || ''; } },
    { title: 'score', get: function (o) { return o.score; }, cell: function (o) { return fmt(o.score); }, num: true },
    { title: 'reason', get: function (o) { return o.reason; }, wide: true }
  ], D.opportunities);

  // ---- data quality ------------------------------------------------------------------
  (function quality() {
    var box = $('quality'), q = D.quality;
    function list(title, total, items, item) {
      box.appendChild(el('h3', title + ': ' + total));
      if (!items.length) return;
      var ul = el('ul');
      items.forEach(function (x) { var li = el('li'); var v = item(x); if (v instanceof Node) li.appendChild(v); else li.textContent = v; ul.appendChild(li); });
      box.appendChild(ul);
      if (total > items.length) box.appendChild(el('p', 'The first ' + items.length + ' are listed; data-quality.md has them all.', 'note'));
    }
    list('Names that match no organisation', q.totals[0], q.unresolved, function (u) {
      return '\u201c' + u[0] + '\u201d, used ' + u[1] + (u[1] === 1 ? ' time' : ' times') + (u[3].length ? '; did you mean ' + u[3].join(', ') + '?' : '');
    });
    list('Organisations that may be the same', q.totals[1], q.near_duplicates, function (d) {
      var s = el('span');
      s.appendChild(orgLink(d[0]));
      s.appendChild(document.createTextNode(' and '));
      s.appendChild(orgLink(d[1]));
      s.appendChild(document.createTextNode(': ' + d[2] + (d[2] === 'similar name' ? ' (' + fmt(d[3], 2) + ')' : '') + (d[4] ? '; their kinds differ' : '')));
      return s;
    });
    list('Organisations with no relation', q.totals[2], q.without_relations, orgLink);
    list('Interviews that mention no organisation', q.totals[3], q.silent_interviews, function (s) { return s; });
  })();
  document.body.setAttribute('data-ready', 'true');
})();
