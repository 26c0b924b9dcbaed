// HEFL coordinator dashboard: renders the /events stream (server-sent events, one JSON view per
// change). Plain DOM and SVG, no third-party code, nothing fetched from outside this server.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 220;
const MARGIN = { left: 60, right: 12, top: 12, bottom: 28 };

function byId(id) {
  return document.getElementById(id);
}

function element(tag, attributes, text) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function formatAgo(unixMs, nowMs) {
  if (unixMs === null) return '—';
  const seconds = Math.max(0, Math.round((nowMs - unixMs) / 1000));
  return seconds < 1 ? 'now' : `${seconds} s ago`;
}

function fixed(value, digits) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
}

/** Line chart of one or more series over rounds; every point is a circle with data-round. */
function drawLineChart(svg, seriesList, options) {
  svg.replaceChildren();
  const points = seriesList.flatMap((series) => series.points);
  if (points.length === 0) {
    svg.append(element('svg:text', { class: 'empty', x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' }, 'no training round completed yet'));
    return;
  }
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMax - yMin < 1e-6) {
    yMin -= 0.05;
    yMax += 0.05;
  }
  const pad = (yMax - yMin) * 0.08;
  yMin -= pad;
  yMax += pad;
  const x = (value) => MARGIN.left + ((value - xMin) / (xMax - xMin)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (value) => HEIGHT - MARGIN.bottom - ((value - yMin) / (yMax - yMin)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  svg.append(element('svg:line', { class: 'axis', x1: MARGIN.left, y1: HEIGHT - MARGIN.bottom, x2: WIDTH - MARGIN.right, y2: HEIGHT - MARGIN.bottom }));
  svg.append(element('svg:line', { class: 'axis', x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: HEIGHT - MARGIN.bottom }));
  // Enough digits that neighbouring ticks differ, however narrow the range.
  const tickDigits = Math.min(4, Math.max(options.digits, Math.ceil(-Math.log10((yMax - yMin) / 4)) + 1));
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = yMin + ((yMax - yMin) * tick) / 4;
    svg.append(element('svg:text', { class: 'tick', x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, value.toFixed(tickDigits)));
  }
  const roundTicks = [...new Set(xs)].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(roundTicks.length / 10));
  roundTicks.forEach((round, index) => {
    if (index % step === 0) svg.append(element('svg:text', { class: 'tick', x: x(round), y: HEIGHT - 8, 'text-anchor': 'middle' }, round));
  });
  if (seriesList.length > 1) {
    seriesList.forEach((series, index) => {
      const left = WIDTH - MARGIN.right - 130 * (seriesList.length - index);
      svg.append(element('svg:line', { class: `series ${series.name}`, x1: left, y1: MARGIN.top + 4, x2: left + 18, y2: MARGIN.top + 4 }));
      svg.append(element('svg:text', { class: 'tick', x: left + 22, y: MARGIN.top + 8 }, series.label));
    });
  }
  for (const series of seriesList) {
    if (series.points.length === 0) continue;
    const path = series.points.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ');
    svg.append(element('svg:polyline', { class: `series ${series.name}`, points: path }));
    for (const point of series.points) {
      const circle = element('svg:circle', { class: `point ${series.name}`, cx: x(point.x).toFixed(1), cy: y(point.y).toFixed(1), r: 3.5, 'data-round': point.x });
      circle.append(element('svg:title', {}, `round ${point.x}: ${series.label} ${point.y.toFixed(options.digits + 1)}`));
      svg.append(circle);
    }
  }
}

function drawBarChart(svg, bars) {
  svg.replaceChildren();
  if (bars.length === 0) {
    svg.append(element('svg:text', { class: 'empty', x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' }, 'no round completed yet'));
    return;
  }
  const max = Math.max(...bars.map((bar) => bar.value), 1);
  const slot = (WIDTH - MARGIN.left - MARGIN.right) / bars.length;
  const height = (value) => (value / max) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  svg.append(element('svg:line', { class: 'axis', x1: MARGIN.left, y1: HEIGHT - MARGIN.bottom, x2: WIDTH - MARGIN.right, y2: HEIGHT - MARGIN.bottom }));
  svg.append(element('svg:text', { class: 'tick', x: MARGIN.left - 6, y: MARGIN.top + 8, 'text-anchor': 'end' }, formatBytes(max)));
  const step = Math.max(1, Math.ceil(bars.length / 10));
  bars.forEach((bar, index) => {
    const left = MARGIN.left + index * slot + slot * 0.15;
    const rect = element('svg:rect', { class: 'bar', x: left.toFixed(1), y: (HEIGHT - MARGIN.bottom - height(bar.value)).toFixed(1), width: (slot * 0.7).toFixed(1), height: height(bar.value).toFixed(1), 'data-round': bar.round });
    rect.append(element('svg:title', {}, `round ${bar.round}: ${formatBytes(bar.value)}`));
    svg.append(rect);
    if (index % step === 0) svg.append(element('svg:text', { class: 'tick', x: (left + slot * 0.35).toFixed(1), y: HEIGHT - 8, 'text-anchor': 'middle' }, bar.round));
  });
}

function fillDefinitions(list, entries) {
  list.replaceChildren();
  for (const [term, value] of entries) {
    list.append(element('dt', {}, term));
    list.append(element('dd', {}, value));
  }
}

function describeState(participant) {
  if (participant.state === 'uploading' && participant.upload) return `uploading ${participant.upload.chunksReceived}/${participant.upload.chunkCount} chunks`;
  if (participant.failure) return `${participant.state}: ${participant.failure.code} (${participant.failure.phase}, round ${participant.failure.round})`;
  return participant.state;
}

function render(view) {
  const now = Date.now();
  document.title = `HEFL ${view.jobId}: ${view.status}`;
  byId('job-id').textContent = view.jobId;
  const status = byId('job-status');
  status.textContent = view.status;
  status.className = `badge ${view.status}`;
  const failure = byId('failure');
  failure.hidden = !view.failure;
  failure.textContent = view.failure ? `Job ${view.status}: ${view.failure}` : '';

  const participantRows = view.participants.map((participant) => {
    const row = element('tr', { 'data-participant': participant.id, 'data-state': participant.state });
    row.append(element('td', {}, participant.id));
    const cell = element('td');
    cell.append(element('span', { class: `state ${participant.state}` }, describeState(participant)));
    row.append(cell);
    row.append(element('td', {}, participant.sampleCount ?? '—'));
    row.append(element('td', {}, formatAgo(participant.lastSeenUnixMs, now)));
    return row;
  });
  byId('participants').tBodies[0].replaceChildren(...participantRows);

  const training = view.rounds.filter((round) => round.kind === 'training');
  drawLineChart(byId('auc-chart'), [
    { name: 'auc', label: 'AUC', points: training.filter((round) => round.heldOutAuc !== null).map((round) => ({ x: round.round, y: round.heldOutAuc })) },
  ], { digits: 3 });
  drawLineChart(byId('loss-chart'), [
    { name: 'held-out-loss', label: 'held-out loss', points: training.filter((round) => round.heldOutLoss !== null).map((round) => ({ x: round.round, y: round.heldOutLoss })) },
    { name: 'local-loss', label: 'local loss', points: training.filter((round) => round.meanLocalLoss !== null).map((round) => ({ x: round.round, y: round.meanLocalLoss })) },
  ], { digits: 3 });
  drawBarChart(byId('bytes-chart'), view.rounds.map((round) => ({ round: round.round, value: round.bytesReceived })));

  const roundRows = view.rounds.map((round) => {
    const row = element('tr', { 'data-round': round.round });
    for (const value of [round.round, round.kind, round.contributors.length, fixed(round.heldOutAuc, 4), fixed(round.heldOutLoss, 4), formatBytes(round.bytesReceived), fixed(round.seconds, 1)]) {
      row.append(element('td', {}, value));
    }
    return row;
  });
  byId('rounds').tBodies[0].replaceChildren(...roundRows.reverse());
  byId('progress').textContent = `${training.length} of ${view.roundsPlanned} training rounds completed · ${formatBytes(view.bytesReceived)} received, ${formatBytes(view.bytesSent)} sent`;

  const he = view.he;
  fillDefinitions(byId('he'), [
    ['Scheme', 'CKKS (Microsoft SEAL via node-seal)'],
    ['Key custody', view.keyCustody === 'threshold' ? 'threshold (N-of-N): no single party can decrypt' : view.keyCustody === 'none' ? 'NONE: encryption off, updates in the clear (benchmark)' : 'single key held by the participants'],
    ['Polynomial degree', `${he.polyModulusDegree} (${he.slotCount} slots, ${he.valuesPerCiphertext ?? he.slotCount} values per ciphertext)`],
    ['Coefficient moduli', `${he.coeffModulusBits.join(' + ')} bits`],
    ['Scale', `2^${he.scaleBits}`],
    ['Model parameters', String(he.modelParameters)],
    ['Parameters fingerprint', he.parametersFingerprint],
    ['Collective key SHA-256', he.collectiveKeySha256 ?? '—'],
    ['Aggregation', view.strategy],
  ]);
  const audit = view.audit;
  fillDefinitions(byId('audit'), audit
    ? [
        ['Transport', audit.mutualTls ? `mutual TLS (federation ${audit.federationId})` : 'plain gRPC (no --kit): trusted network only'],
        ['Ingress ledger', audit.ingressLedger ? `${audit.ingressLedger.records} signed records in ${audit.ingressLedger.path}` : 'off (start with --ledger)'],
        ['Ledger head', audit.ingressLedger ? audit.ingressLedger.lastRecordHash : '—'],
        ['Refused', `${audit.refusals.update} updates, ${audit.refusals['decryption-share']} decryption shares, ${audit.refusals['key-setup']} key-setup messages, ${audit.refusals.peer} callers`],
      ]
    : [['Audit', 'not reported by this coordinator']]);
}

function connect() {
  const source = new EventSource('/events');
  source.addEventListener('view', (event) => {
    byId('connection').textContent = 'live updates: on';
    render(JSON.parse(event.data));
  });
  source.addEventListener('error', () => {
    byId('connection').textContent = 'live updates: reconnecting…';
  });
}

connect();
