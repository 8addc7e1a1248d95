'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const text = (value) => document.createTextNode(value === null || value === undefined ? '' : String(value));
  const cell = (row, content, cls) => {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content); else td.appendChild(text(content));
    row.appendChild(td);
    return td;
  };
  let resources = [];
  let logResource = null;
  let logNext = 0;
  let player = null;

  const getJson = async (url) => {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(url + ': ' + response.status);
    return response.json();
  };

  const wsUrl = (httpUrl) => httpUrl.replace(/^http/, 'ws') + '/';

  function renderResources() {
    const body = $('resources').tBodies[0];
    body.replaceChildren();
    for (const r of resources) {
      const row = document.createElement('tr');
      if (r.name === logResource) row.className = 'selected';
      row.addEventListener('click', () => selectLogs(r.name));
      cell(row, r.name);
      cell(row, r.kind + (r.labels && r.labels.role ? ' (' + r.labels.role + ')' : ''));
      cell(row, r.state, 'state state-' + r.state.replace(/\(.*/, ''));
      cell(row, r.health || '');
      const links = document.createElement('span');
      for (const url of r.endpoints) {
        const a = document.createElement('a');
        a.href = url; a.target = '_blank'; a.textContent = url;
        links.appendChild(a); links.appendChild(document.createElement('br'));
      }
      cell(row, links);
      cell(row, r.processId || '');
      cell(row, r.restarts);
      cell(row, r.message || '');
      body.appendChild(row);
    }
    const select = $('logs-resource');
    if (select.options.length !== resources.length) {
      select.replaceChildren(...resources.map((r) => new Option(r.name, r.name)));
      if (!logResource && resources.length) selectLogs(resources[0].name);
      else select.value = logResource;
    }
    const edges = resources.filter((r) => r.endpoints.length && r.kind === 'Project');
    const nodeSelect = $('player-node');
    const wanted = edges.map((r) => r.name).join(',');
    if (nodeSelect.dataset.names !== wanted) {
      const previous = nodeSelect.value;
      const sorted = edges.slice().sort((a, b) => (b.labels.role === 'edge') - (a.labels.role === 'edge'));
      nodeSelect.replaceChildren(...sorted.map((r) => new Option(r.name + ' (' + wsUrl(r.endpoints[0]) + ')', r.name)));
      nodeSelect.dataset.names = wanted;
      if (previous) nodeSelect.value = previous;
    }
  }

  function renderStreams(data) {
    const body = $('streams').tBodies[0];
    body.replaceChildren();
    if (!data.streams.length) {
      const row = document.createElement('tr');
      cell(row, 'no streams yet', 'muted').colSpan = 6;
      body.appendChild(row);
    }
    for (const s of data.streams) {
      const row = document.createElement('tr');
      cell(row, s.streamId);
      cell(row, s.publishedOn.join(', '));
      cell(row, s.relayedBy.map((n) => {
        const e = s.nodes.find((x) => x.node === n);
        return e && e.upstreamNode ? n + ' ← ' + e.upstreamNode : n;
      }).join(', '));
      cell(row, s.nodes.map((n) => n.node + ': ' + n.subscribers).join(', '));
      cell(row, s.totalSubscribers);
      const watch = document.createElement('button');
      watch.textContent = 'Watch';
      watch.addEventListener('click', () => { $('player-stream').value = s.streamId; play(); });
      cell(row, watch);
      body.appendChild(row);
    }
    const failed = data.nodes.filter((n) => !n.ok).map((n) => n.node);
    $('stream-errors').textContent = failed.length ? 'no stream data from: ' + failed.join(', ') : '';
  }

  function selectLogs(name) {
    if (logResource === name) return;
    logResource = name;
    logNext = 0;
    $('logs').replaceChildren();
    $('logs-resource').value = name;
    renderResources();
    refreshLogs();
  }

  async function refreshLogs() {
    if (!logResource) return;
    const name = logResource;
    const data = await getJson('/api/logs/' + encodeURIComponent(name) + '?after=' + logNext);
    if (name !== logResource) return;
    const pre = $('logs');
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    for (const line of data.lines) {
      const span = document.createElement('span');
      if (line.isError) span.className = 'err';
      span.textContent = line.text + '\n';
      pre.appendChild(span);
    }
    while (pre.childNodes.length > 3000) pre.removeChild(pre.firstChild);
    logNext = data.next;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  async function play() {
    stop();
    const streamId = $('player-stream').value.trim();
    const node = resources.find((r) => r.name === $('player-node').value);
    if (!streamId || !node) return;
    if (typeof window.HlsCdnPlayer !== 'function') {
      $('player-status').textContent = 'player bundle not available (build client-js)';
      return;
    }
    const { token } = await getJson('/api/token?streamId=' + encodeURIComponent(streamId));
    player = new window.HlsCdnPlayer({ cdnServerUrl: wsUrl(node.endpoints[0]), streamId, authToken: token || undefined });
    player.attachMedia($('player-video'));
    player.start();
    // Play pressed is the user's gesture: start the (muted) video too, or it shows the first frame and waits.
    $('player-video').play().catch(() => { /* the player keeps buffering; the controls can start it */ });
    $('player-status').textContent = 'playing ' + streamId + ' from ' + node.name;
  }

  function stop() {
    if (player) {
      player.destroy();
      player = null;
      $('player-status').textContent = 'stopped';
    }
  }

  async function tick() {
    try {
      resources = await getJson('/api/resources');
      renderResources();
      const svg = await fetch('/api/topology.svg', { cache: 'no-store' });
      $('topology').innerHTML = await svg.text();
      await refreshLogs();
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('updated').textContent = 'AppHost not reachable: ' + e.message;
    }
  }

  async function tickStreams() {
    try { renderStreams(await getJson('/api/streams')); } catch (e) { /* shown by tick */ }
  }

  $('player-form').addEventListener('submit', (e) => { e.preventDefault(); play(); });
  $('player-stop').addEventListener('click', stop);
  $('logs-resource').addEventListener('change', (e) => selectLogs(e.target.value));
  tick(); tickStreams();
  setInterval(tick, 1000);
  setInterval(tickStreams, 2000);
})();
