// The HlsCdn console: polls /api/cluster, lists the streams and nodes, and plays any stream from any node with the
// client-js player (window.HlsCdnPlayer from /player/hlscdn-player.min.js). Uses textContent only (no HTML from data).
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let nodes = [];
  let player = null;
  // Channels: streams named {prefix}/{W}x{H}-{FPS}~{KBPS} with the same prefix (two or more) play as one, with ABR.
  let channels = new Map();
  const RENDITION = /^(.*)\/(\d+)x(\d+)-[\d.]+~\d+$/;

  function findChannels(streams) {
    const found = new Map();
    for (const s of streams) {
      const m = RENDITION.exec(s.streamId);
      if (!m) continue;
      if (!found.has(m[1])) found.set(m[1], []);
      found.get(m[1]).push(s.streamId);
    }
    for (const [prefix, ids] of found) if (ids.length < 2) found.delete(prefix);
    return found;
  }

  const getJson = async (url) => {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(url + ': ' + response.status);
    return response.json();
  };

  const cell = (row, content, className) => {
    const td = row.insertCell();
    if (content instanceof Node) td.appendChild(content); else td.textContent = String(content);
    if (className) td.className = className;
    return td;
  };

  function render(cluster) {
    nodes = cluster.nodes;
    const streams = $('streams').tBodies[0];
    streams.replaceChildren();
    if (!cluster.streams.length) cell(streams.insertRow(), 'no streams yet', 'muted').colSpan = 6;
    channels = findChannels(cluster.streams);
    for (const [prefix, ids] of channels) {
      const row = streams.insertRow();
      cell(row, prefix + ' (channel: ' + ids.length + ' renditions)');
      cell(row, '', 'muted').colSpan = 4;
      const watch = document.createElement('button');
      watch.textContent = 'Watch (ABR)';
      watch.addEventListener('click', () => { $('player-stream').value = prefix; play(); });
      cell(row, watch);
    }
    for (const s of cluster.streams) {
      const row = streams.insertRow();
      cell(row, s.streamId);
      cell(row, s.publishedOn.join(', '));
      cell(row, s.relayedBy.join(', '));
      cell(row, s.nodes.map((n) => n.node + ': ' + n.subscribers).join(', '));
      cell(row, s.totalSubscribers);
      const watch = document.createElement('button');
      watch.textContent = 'Watch';
      watch.addEventListener('click', () => { $('player-stream').value = s.streamId; play(); });
      cell(row, watch);
    }

    const body = $('nodes').tBodies[0];
    body.replaceChildren();
    for (const n of nodes) {
      const row = body.insertRow();
      cell(row, n.name);
      cell(row, n.role || '');
      cell(row, n.webSocketUrl || '');
      cell(row, n.ok ? 'up' : 'down: ' + (n.error || ''), n.ok ? '' : 'down');
    }

    const select = $('player-node');
    const names = nodes.map((n) => n.name).join(',');
    if (select.dataset.names !== names) {
      const previous = select.value;
      const sorted = nodes.slice().sort((a, b) => (b.role === 'edge') - (a.role === 'edge') || a.name.localeCompare(b.name));
      select.replaceChildren(...sorted.map((n) => new Option(n.name, n.name)));
      select.dataset.names = names;
      if (previous) select.value = previous;
    }
  }

  async function play() {
    stop();
    const streamId = $('player-stream').value.trim();
    const node = nodes.find((n) => n.name === $('player-node').value);
    if (!streamId || !node || !node.webSocketUrl) return;
    if (typeof window.HlsCdnPlayer !== 'function') {
      $('player-status').textContent = 'player bundle not available';
      return;
    }
    const ids = channels.get(streamId);
    const quality = $('player-quality');
    quality.replaceChildren(new Option('Auto', 'auto'));
    quality.parentElement.hidden = !ids;
    if (ids) {
      // One pull token per rendition: each is its own stream.
      const renditions = await Promise.all(ids.map(async (id) => ({
        streamId: id,
        authToken: (await getJson('/api/token?streamId=' + encodeURIComponent(id))).token || '',
      })));
      player = new window.HlsCdnPlayer({ cdnServerUrl: node.webSocketUrl, renditions });
      for (const l of player.levels) quality.appendChild(new Option(l.name + ' (' + l.width + 'x' + l.height + ')', String(l.index)));
      player.on('levelswitched', (e) => {
        $('player-status').textContent = 'playing ' + streamId + ' from ' + node.name + ': ' + e.rendition.name + (e.auto ? ' (auto)' : '');
      });
    } else {
      const { token } = await getJson('/api/token?streamId=' + encodeURIComponent(streamId));
      player = new window.HlsCdnPlayer({ cdnServerUrl: node.webSocketUrl, streamId, authToken: token || undefined });
    }
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
      render(await getJson('/api/cluster'));
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('updated').textContent = 'console API not reachable: ' + e.message;
    }
  }

  $('player-form').addEventListener('submit', (e) => { e.preventDefault(); play(); });
  $('player-stop').addEventListener('click', stop);
  $('player-quality').addEventListener('change', () => {
    if (player) player.setLevel($('player-quality').value === 'auto' ? -1 : Number($('player-quality').value));
  });
  tick();
  setInterval(tick, 2000);
})();
