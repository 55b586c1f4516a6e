// Momentum console: reads the operator API (/api/v1) with the token from the login form and follows
// /api/v1/events (server-sent events, read with fetch so the bearer header can be sent) to stay live.
'use strict';

const TOKEN_KEY = 'momentum.token';
const LARGE_KEY = 'momentum.large';
const API = '../api/v1';
const DEPLOYS_SHOWN = 15;

const state = { environments: null, masters: new Map(), loadBalancers: [], deploys: [], lastEventAt: null };
let stream = null;

// ---- small DOM helpers ----------------------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'data') Object.entries(v).forEach(([dk, dv]) => { if (dv != null) el.dataset[dk] = dv; });
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const $ = (id) => document.getElementById(id);
const short = (sha, n = 7) => (sha ? sha.slice(0, n) : '—');

/** A state always as colour and words: tone is ok, bad, warn, info or unknown. */
function badge(tone, text, title) {
  return h('span', { class: 'badge state-' + tone, title }, text);
}

function age(instant) {
  if (!instant) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000));
  if (s < 60) return s + 's ago';
  if (s < 3600) return Math.floor(s / 60) + 'm ago';
  if (s < 86400) return Math.floor(s / 3600) + 'h ago';
  return Math.floor(s / 86400) + 'd ago';
}
const ageEl = (instant) => h('span', { class: 'age', data: { at: instant } }, age(instant));

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

// ---- API ------------------------------------------------------------------------------------------------------
class Unauthorized extends Error {}

async function api(path, options = {}) {
  const response = await fetch(API + path, {
    ...options,
    headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY), ...(options.headers || {}) },
    cache: 'no-store',
  });
  // 403 is a valid token without the right (a read-only one deploying): said, not a reason to log out.
  if (response.status === 401) throw new Unauthorized('the token was refused');
  const body = await response.json().catch(() => ({}));
  if (!response.ok && response.status !== 202) throw new Error(body.error || 'HTTP ' + response.status);
  return body;
}

const loaders = {
  environments: async () => { state.environments = await api('/environments'); renderMatrix(); },
  masters: async () => {
    const body = await api('/masters');
    state.masters = new Map(body.masters.map((m) => [m.masterId, m]));
    renderMasters(); renderMatrix();
  },
  loadBalancers: async () => { state.loadBalancers = (await api('/load-balancers')).loadBalancers; renderLoadBalancers(); },
  deploys: async () => { state.deploys = (await api('/deploys?limit=' + DEPLOYS_SHOWN)).deploys; renderDeploys(); },
};

// Several events in a burst (a push: request, plan, one result per master) cost one reload per view.
const pending = new Set();
let reloadTimer = null;
function reload(...views) {
  views.forEach((v) => pending.add(v));
  if (reloadTimer) return;
  reloadTimer = setTimeout(async () => {
    reloadTimer = null;
    const now = [...pending];
    pending.clear();
    try {
      await Promise.all(now.map((v) => loaders[v]()));
    } catch (e) {
      failed(e);
    }
  }, 40);
}

function failed(e) {
  if (e instanceof Unauthorized) { logout('The token was refused; log in again.'); return; }
  toast('Could not read the fleet: ' + e.message);
}

// ---- live events ----------------------------------------------------------------------------------------------
/** Follows /api/v1/events; reconnects with a growing delay, and reloads everything after a gap. */
class EventStream {
  constructor() { this.stopped = false; this.delay = 1000; this.controller = null; }

  start() { this.connect(); }

  stop() { this.stopped = true; if (this.controller) this.controller.abort(); }

  async connect() {
    this.controller = new AbortController();
    try {
      const response = await fetch(API + '/events', {
        headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY), Accept: 'text/event-stream' },
        signal: this.controller.signal, cache: 'no-store',
      });
      if (response.status === 401) { logout('The token was refused; log in again.'); return; }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      await this.read(response.body.getReader());
      throw new Error('the stream ended');
    } catch (e) {
      if (this.stopped) return;
      link('warn', 'reconnecting in ' + Math.round(this.delay / 1000) + 's', e.message);
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    }
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { name: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data.length) onEvent(event.name, event.data.join('\n'));
          event = { name: 'message', data: [] };
        } else if (line.startsWith(':')) {
          if (line.slice(1).trim() === 'connected') this.opened();
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? '' : line.slice(colon + 1);
          if (text.startsWith(' ')) text = text.slice(1);
          if (field === 'event') event.name = text;
          else if (field === 'data') event.data.push(text);
        }
      }
    }
  }

  opened() {
    this.delay = 1000;
    link('ok', 'live', 'following /api/v1/events');
    // Whatever happened while disconnected is in the state, not in the stream.
    reload('environments', 'masters', 'loadBalancers', 'deploys');
  }
}

function link(tone, text, title) {
  const el = $('link');
  el.className = 'badge state-' + tone;
  el.textContent = text;
  el.title = title || '';
}

function onEvent(kind, data) {
  state.lastEventAt = new Date().toISOString();
  renderLastEvent();
  let event;
  try { event = JSON.parse(data); } catch (e) { return; }
  switch (kind) {
    case 'master-status':
      state.masters.set(event.masterId, event);
      renderMasters(); renderMatrix();
      break;
    case 'lb-change':
      reload('loadBalancers');
      break;
    case 'deploy-request': case 'deploy-plan': case 'rollout': case 'deploy-result':
      reload('environments', 'deploys');
      break;
    default:
  }
}

function renderLastEvent() {
  $('last-event').textContent = state.lastEventAt ? 'last event ' + age(state.lastEventAt) : '';
}

// ---- views ----------------------------------------------------------------------------------------------------
/** One master's cell of an environment: what it serves against the desired plan. */
function cellState(cell) {
  if (cell.status === 'FAILED') return ['bad', 'FAILED'];
  if (cell.inSync) return ['ok', 'LIVE'];
  if (cell.planState === 'STAGED') return ['info', 'STAGED'];
  if (!cell.status) return ['unknown', 'NONE'];
  if (cell.status === 'PURGED') return ['unknown', 'PURGED'];
  return ['warn', 'BEHIND'];
}

function masterHealth(masterId) {
  const m = state.masters.get(masterId);
  if (!m) return badge('unknown', 'NO STATUS', 'the health monitor has not reported on this master');
  if (m.health !== 'UP') return badge('bad', 'DOWN', m.reason);
  if (!m.routable) return badge('warn', 'OUT', m.reason);
  return badge('ok', 'UP', m.reason);
}

function renderMatrix() {
  const table = $('matrix');
  const matrix = state.environments;
  if (!matrix) return;
  const ids = new Set(matrix.readyMasters);
  matrix.environments.forEach((row) => row.masters.forEach((c) => ids.add(c.masterId)));
  const masters = [...ids].sort();
  const head = h('thead', {}, h('tr', {}, h('th', {}, 'Environment'), h('th', {}, 'Desired'),
    masters.map((id) => h('th', { data: { master: id } }, id, ' ', masterHealth(id))), h('th', {}, '')));
  const body = h('tbody', {}, matrix.environments.map((row) => {
    const byMaster = new Map(row.masters.map((c) => [c.masterId, c]));
    const plan = row.plan;
    const desired = h('td', {},
      h('span', { class: 'line mono', title: plan ? plan.commit : row.desiredCommit }, 'commit ',
        short(plan ? plan.commit : row.desiredCommit)),
      plan ? h('span', { class: 'sub mono', title: plan.digest }, 'plan ', short(plan.digest, 10),
        plan.pinned ? ' (pinned)' : '') : h('span', { class: 'sub' }, 'not planned yet'),
      row.rollout ? h('span', { class: 'sub' }, 'rollout ', row.rollout.mode, ' ', row.rollout.phase || 'staging') : null,
      row.failedPlan ? h('span', { class: 'why' }, 'planning failed: ', row.failedPlan.error) : null);
    const cells = masters.map((id) => {
      const c = byMaster.get(id);
      if (!c) return h('td', { class: 'cell', data: { env: row.environment, master: id, state: 'NONE' } },
        badge('unknown', 'NONE'));
      const [tone, text] = cellState(c);
      return h('td', { class: 'cell' + (tone === 'bad' ? ' bad-cell' : ''),
        data: { env: row.environment, master: id, state: text, commit: c.deployedCommit } },
        h('span', { class: 'line' }, badge(tone, text), ' ', h('span', { class: 'mono', title: c.deployedCommit },
          short(c.deployedCommit))),
        h('span', { class: 'sub' }, c.deployedDigest ? h('span', { class: 'mono', title: c.deployedDigest },
          'plan ', short(c.deployedDigest, 10), ' · ') : null, ageEl(c.finishedAt)),
        c.error ? h('span', { class: 'why' }, c.error) : null);
    });
    return h('tr', { data: { env: row.environment } },
      h('th', { scope: 'row' }, row.environment, h('span', { class: 'sub' }, row.branch ? 'branch ' + row.branch : '')),
      desired, cells, h('td', {}, deployButton(row.environment)));
  }));
  table.replaceChildren(head, body);
}

/** Deploys on the second click within a few seconds: a wall display is not the place for accidents. */
function deployButton(environment) {
  const button = h('button', { type: 'button', class: 'deploy-now', data: { env: environment } }, 'Deploy now');
  button.addEventListener('click', async () => {
    if (!button.classList.contains('confirm')) {
      button.classList.add('confirm');
      button.textContent = 'Confirm deploy';
      setTimeout(() => { button.classList.remove('confirm'); button.textContent = 'Deploy now'; }, 4000);
      return;
    }
    button.disabled = true;
    try {
      const answer = await api('/deploys', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ environments: [environment] }) });
      toast('Deploy of ' + environment + ' requested (' + answer.requestId + ')');
    } catch (e) {
      if (e instanceof Unauthorized) failed(e); else toast('Deploy of ' + environment + ' refused: ' + e.message);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function renderMasters() {
  const rows = [...state.masters.values()].sort((a, b) => a.masterId.localeCompare(b.masterId));
  $('masters').replaceChildren(
    h('thead', {}, h('tr', {}, ['Master', 'Role', 'Health', 'In sync', 'Routable', 'Reason', 'Checked']
      .map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.map((m) => h('tr', { data: { master: m.masterId, health: m.health } },
      h('th', { scope: 'row' }, m.masterId, h('span', { class: 'sub mono' }, m.lbAddress || '')),
      h('td', {}, m.role || '—'),
      h('td', { class: m.health !== 'UP' ? 'bad-cell' : null }, masterHealth(m.masterId),
        m.consecutiveFailures ? h('span', { class: 'sub' }, m.consecutiveFailures + ' failed probes') : null,
        m.latencyMs != null ? h('span', { class: 'sub' }, m.latencyMs + ' ms') : null),
      h('td', {}, m.inSync ? badge('ok', 'IN SYNC') : badge('warn', 'LAGGING'),
        m.laggingEnvironments.length ? h('span', { class: 'sub' }, m.laggingEnvironments.join(', ')) : null),
      h('td', {}, m.draining ? badge('warn', 'DRAINING') : m.routable ? badge('ok', 'ROUTABLE') : badge('bad', 'OUT')),
      h('td', {}, m.reason || ''),
      h('td', {}, ageEl(m.checkedAt))))));
}

function lbTone(result) {
  return { APPLIED: 'ok', UNCHANGED: 'info', REJECTED: 'warn', FAILED: 'bad' }[result] || 'unknown';
}

function renderLoadBalancers() {
  const box = $('load-balancers');
  if (!state.loadBalancers.length) {
    box.replaceChildren(h('p', { class: 'muted' }, 'No load balancer has reported a change yet.'));
    return;
  }
  box.replaceChildren(...state.loadBalancers.map(({ latest, changes }) => h('div', { class: 'lb', data: { lb: latest.lbId } },
    h('h3', {}, latest.lbId, ' ', h('span', { class: 'muted' }, latest.backend, ' · revision ', latest.revision, ' · '),
      badge(lbTone(latest.result), latest.result), ' ', h('span', { class: 'muted' }, ageEl(latest.appliedAt))),
    latest.error ? h('p', { class: 'error' }, latest.error) : null,
    h('div', { class: 'serving', 'aria-label': 'serving' }, latest.backends.length
      ? latest.backends.map((b) => badge(b.draining ? 'warn' : 'ok', b.masterId + (b.draining ? ' draining' : ''), b.address))
      : badge('bad', 'NO BACKENDS')),
    h('details', {}, h('summary', {}, 'Change log (' + changes.length + ')'),
      h('table', { class: 'grid' }, h('tbody', {}, changes.map((c) => h('tr', {},
        h('td', {}, 'rev ', c.revision), h('td', {}, badge(lbTone(c.result), c.result)),
        h('td', {}, c.backends.map((b) => b.masterId).join(', ') || '—'),
        h('td', {}, c.error || ''), h('td', {}, ageEl(c.appliedAt))))))))));
}

function outcome(d) {
  if (d.outcome === 'FAILED') return badge('bad', 'FAILED', d.error);
  if (d.outcome === 'PENDING') return badge('info', 'IN PROGRESS');
  return d.results.some((r) => r.status === 'FAILED') ? badge('bad', 'SOME FAILED') : badge('ok', 'DONE');
}

function resultTone(status) {
  return { SUCCEEDED: 'ok', FAILED: 'bad', STAGED: 'info', PURGED: 'unknown' }[status] || 'unknown';
}

function renderDeploys() {
  const box = $('deploys');
  if (!state.deploys.length) { box.replaceChildren(h('p', { class: 'muted' }, 'No deploys yet.')); return; }
  box.replaceChildren(...state.deploys.map((d) => {
    const r = d.request || {};
    const plan = d.plans[0];
    const what = r.kind === 'FULL_SYNC' ? 'every environment' : r.kind === 'MODULE' ? 'module ' + r.module
      : (r.environment || (plan && plan.environment) || '?');
    const started = Date.parse(r.requestedAt || (plan && plan.plannedAt) || 0);
    const ends = d.results.map((x) => Date.parse(x.finishedAt));
    const span = Math.max(1000, ...ends.map((e) => e - started));
    const rows = [...d.results].sort((a, b) => a.masterId.localeCompare(b.masterId) || a.environment.localeCompare(b.environment));
    return h('div', { class: 'deploy', data: { request: d.requestId } },
      h('div', { class: 'head' }, outcome(d), h('strong', {}, what),
        h('span', { class: 'muted' }, r.provider ? 'by ' + (r.pusher || r.provider) : plan && plan.pinned ? 'rollback' : ''),
        h('span', { class: 'mono muted', title: (plan && plan.commit) || r.commit }, short((plan && plan.commit) || r.commit)),
        ageEl(r.requestedAt || (plan && plan.plannedAt))),
      d.error ? h('p', { class: 'error' }, d.error) : null,
      d.summary ? h('p', { class: 'muted' }, d.summary) : null,
      h('div', { class: 'timeline' }, rows.map((x) => {
        const end = Date.parse(x.finishedAt) - started;
        const start = Math.max(0, end - x.durationMs);
        const tone = resultTone(x.status);
        return [h('span', { class: 'mono' }, x.masterId),
          h('div', { class: 'track', title: x.environment },
            h('span', { class: tone === 'ok' ? 'ok' : tone === 'bad' ? 'bad' : 'info',
              style: 'left:' + (100 * start / span).toFixed(1) + '%;width:' + (100 * (end - start) / span).toFixed(1) + '%' })),
          // An unchanged result deployed nothing: its few milliseconds are no deploy time.
          h('span', {}, badge(tone, x.status), ' ', x.unchanged
            ? h('span', { title: 'this master was at the plan already: nothing was deployed' }, 'already current')
            : (end / 1000).toFixed(1) + ' s',
            rows.length > 1 && new Set(rows.map((y) => y.environment)).size > 1 ? ' · ' + x.environment : '',
            x.error ? h('span', { class: 'why' }, x.error) : null)];
      }), d.pendingMasters.map((m) => [h('span', { class: 'mono' }, m), h('div', { class: 'track' }),
        h('span', {}, badge('info', 'PENDING'))])));
  }));
}

// Ages move on without events.
setInterval(() => {
  document.querySelectorAll('.age').forEach((el) => { el.textContent = age(el.dataset.at); });
  renderLastEvent();
}, 5000);

// ---- login, display mode ----------------------------------------------------------------------------------------
function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (stream) { stream.stop(); stream = null; }
  $('views').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  link('unknown', 'not connected');
  $('token').focus();
}

async function open() {
  $('login').hidden = true;
  $('views').hidden = false;
  $('logout').hidden = false;
  link('warn', 'connecting');
  try {
    await Promise.all(Object.values(loaders).map((load) => load()));
  } catch (e) {
    failed(e);
    if (e instanceof Unauthorized) return;
  }
  stream = new EventStream();
  stream.start();
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  open();
});
$('logout').addEventListener('click', () => logout());

function applyLarge(on) {
  document.documentElement.classList.toggle('large', on);
  $('large').setAttribute('aria-pressed', String(on));
  localStorage.setItem(LARGE_KEY, on ? '1' : '');
}
$('large').addEventListener('click', () => applyLarge(!document.documentElement.classList.contains('large')));
applyLarge(localStorage.getItem(LARGE_KEY) === '1');

if (sessionStorage.getItem(TOKEN_KEY)) open(); else logout();
