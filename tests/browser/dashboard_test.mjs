// The dashboard of `tsq serve` as a person uses it, in headless Chromium driven by playwright-core:
// every view renders from the API without a script error, a failed request or a request off the
// server; filters change the figures to the API's; the trend chart has a point per stored period;
// the map draws the cells; English replaces Chinese; the reports download; a server with a token
// asks for it. A PNG of every view is kept for review.
//
// Usage: node dashboard_test.mjs BASE_URL SHOT_DIR [TOKEN_URL TOKEN]
//   BASE_URL   a tsq serve without a token, whose store holds 2021H2 and 2022H2 (seed 4 and 3)
//   SHOT_DIR   where the screenshots go
//   TOKEN_URL  a second tsq serve of the same store, started with TSQ_TOKEN=TOKEN (optional)
// Exits 1 with the failures listed when any check fails.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { chromium } = require(join(here, '../../web/node_modules/playwright-core'));

const [baseArg, shotDir, tokenArg, token] = process.argv.slice(2);
if (!baseArg || !shotDir) {
  console.error('usage: node dashboard_test.mjs BASE_URL SHOT_DIR [TOKEN_URL TOKEN]');
  process.exit(2);
}
const base = baseArg.endsWith('/') ? baseArg : baseArg + '/';
const tokenBase = tokenArg && (tokenArg.endsWith('/') ? tokenArg : tokenArg + '/');
mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.TSQ_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 60_000;  // an ASan build of the server is slow; a view still takes seconds at most

const failures = [];
let checks = 0;
function check(ok, what, detail) {
  checks++;
  if (ok) {
    console.log('ok   ' + what);
  } else {
    failures.push(what + (detail !== undefined ? ': ' + detail : ''));
    console.log('FAIL ' + what + (detail !== undefined ? ': ' + detail : ''));
  }
}

async function apiGet(root, path, auth) {
  const res = await fetch(new URL(path, root), { headers: auth ? { Authorization: 'Bearer ' + auth } : {} });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

// Everything a page does that a person would call broken: script errors, console errors, failed
// requests, HTTP errors, requests that leave the server. `allow` lists HTTP statuses a step
// provokes on purpose (a 401 before the token, a 404 of a wrong indicator).
function watch(page, root) {
  const w = { problems: [], allow: new Set() };
  const origin = new URL(root).origin;
  page.on('pageerror', e => w.problems.push('script error: ' + e.message));
  page.on('console', m => {
    if (m.type() !== 'error') return;
    const text = m.text();
    const allowed = [...w.allow].some(s => text.includes('status of ' + s));
    if (!allowed) w.problems.push('console error: ' + text);
  });
  page.on('requestfailed', r => w.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) {
      w.problems.push('request off the server: ' + u);
    }
  });
  page.on('response', r => {
    if (r.status() >= 400 && !w.allow.has(r.status())) w.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return w;
}

function clean(w, what) {
  check(w.problems.length === 0, what + ': no script error, failed request or request off the server',
    w.problems.join('; '));
  w.problems.length = 0;
}

const renderedMark = page => page.evaluate(() => {
  const v = document.querySelector('#view');
  return v ? Number(v.dataset.rendered || 0) : 0;
});

// Runs ACTION and waits until the page has finished a render begun after it. FRESH: the action
// loads a new document, whose renders count from zero again.
async function afterRender(page, action, fresh) {
  const before = fresh ? 0 : await renderedMark(page);
  await action();
  await page.waitForFunction(b => {
    const v = document.querySelector('#view');
    return v !== null && Number(v.dataset.rendered || 0) > b && v.getAttribute('aria-busy') === 'false';
  }, before, { timeout: TIMEOUT });
}

async function open(page, root, hash) {
  await afterRender(page, () => page.evaluate(h => { location.hash = h; }, hash));
}

async function shot(page, name) {
  await page.waitForTimeout(150);  // let the charts finish their last frame
  await page.screenshot({ path: join(shotDir, name + '.png'), fullPage: false });
}

const messages = page => page.locator('#messages').innerText();

async function main() {
  const periods = (await apiGet(base, '/api/v1/periods')).periods.map(p => p.label);
  check(periods.includes('2021H2') && periods.includes('2022H2'), 'the store holds 2021H2 and 2022H2',
    periods.join(','));
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    await mainServer(browser, periods);
    if (tokenBase) await tokenServer(browser);
    else console.log('skip the token server: no TOKEN_URL given');
  } finally {
    await browser.close();
  }
}

async function mainServer(browser, periods) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN',
    acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const w = watch(page, base);

  // 1. The overview of the latest period: rows, verdict colours, 同比.
  await page.goto(base + '#/overview');
  if (await page.locator('#view').count() === 0) {
    throw new Error(`${base} does not serve the dashboard (${(await page.content()).slice(0, 200)}); ` +
      'was the binary built with web/src? For front-end work set TSQ_ASSETS=web/src');
  }
  await afterRender(page, async () => {}, true);
  const table = page.locator('[data-test=overview-table]');
  const rows = await table.locator('tbody tr[data-id]').count();
  check(rows > 50, 'overview: the table has a row per indicator', rows);
  check(await page.locator('#period-select').inputValue() === '2022H2', 'overview: the latest period is selected');
  check(await page.locator('[data-test=view-title]').innerText() === '指标总览', 'overview: Chinese by default');
  const colours = await page.evaluate(() => {
    const css = sel => {
      const el = document.querySelector(sel);
      return el ? getComputedStyle(el).backgroundColor : null;
    };
    return {
      met: css('tr[data-verdict=met] .verdict.met'), missed: css('tr[data-verdict=missed] .verdict.missed'),
      metRows: document.querySelectorAll('tr[data-verdict=met]').length,
      missedRows: document.querySelectorAll('tr[data-verdict=missed]').length,
    };
  });
  check(colours.metRows > 0 && colours.met === 'rgb(223, 243, 228)', 'overview: met verdicts are green',
    JSON.stringify(colours));
  check(colours.missedRows > 0 && colours.missed === 'rgb(251, 226, 224)', 'overview: missed verdicts are red',
    JSON.stringify(colours));
  const yoy = table.locator('tr[data-id="calls.connect_rate"] td[data-test=yoy]');
  const yoyText = (await yoy.innerText()).trim();
  check(/[+−±]\d/.test(yoyText) && yoyText.includes('百分点') && await yoy.getAttribute('data-earlier') !== null,
    'overview: 同比 against 2021H2 is shown for calls.connect_rate', yoyText);
  check((await table.locator('thead').innerText()).includes('同比（2021H2）'), 'overview: the 同比 column names 2021H2');
  const cards = await page.locator('[data-test=summary-card]').count();
  check(cards === 3, 'overview: a verdict card per operator', cards);
  check(await messages(page) === '', 'overview: no message', await messages(page));
  clean(w, 'overview');
  await shot(page, '01-overview');

  // 2. Filter to 移动: the figures become that operator's, as the API answers them.
  const overall = await apiGet(base, '/api/v1/periods/2022H2/indicators?id=calls.connect_rate');
  const mobile = await apiGet(base, '/api/v1/periods/2022H2/indicators?id=calls.connect_rate&operator=' +
    encodeURIComponent('移动'));
  await afterRender(page, () => page.selectOption('#operator-filter', '移动'));
  check(page.url().includes('operator=' + encodeURIComponent('移动')), 'filter: the operator is in the URL');
  const cell = table.locator('tr[data-id="calls.connect_rate"] td.value');
  const shown = Number(await cell.getAttribute('data-value'));
  check(shown === mobile.values[0].value && shown !== overall.values[0].value,
    'filter: calls.connect_rate is 移动\'s figure', `${shown} vs API ${mobile.values[0].value} (overall ${overall.values[0].value})`);
  const expectText = (mobile.values[0].value * 100).toFixed(2) + '%';
  check((await cell.innerText()).trim() === expectText, 'filter: a ratio reads as a percentage with 2 decimals',
    `${await cell.innerText()} vs ${expectText}`);
  check(await page.locator('[data-test=summary-card].selected').getAttribute('data-operator') === '移动',
    'filter: 移动\'s card is marked');
  clean(w, 'filter');
  await shot(page, '02-overview-mobile');
  await afterRender(page, () => page.selectOption('#operator-filter', ''));

  // 3. The trend of calls.connect_rate: a point per stored period with the figure, the region bars.
  await afterRender(page, () => table.locator('tr[data-id="calls.connect_rate"] td.name a').click());
  check(page.url().includes('#/indicator/calls.connect_rate'), 'trend: a click on the row opens the indicator');
  const history = await apiGet(base, '/api/v1/indicators/calls.connect_rate/history');
  const chart = await page.evaluate(() => {
    const inst = id => echarts.getInstanceByDom(document.querySelector(`[data-test=${id}]`));
    const trend = inst('trend-chart');
    const regions = inst('region-chart');
    const series = trend ? trend.getOption().series : [];
    const periods = (series.find(s => s.id === 'periods') || { data: [] }).data;
    const bars = regions ? (regions.getOption().series[0].data || []) : [];
    return {
      periods: periods.filter(d => d.value[1] !== null).map(d => d.period),
      markLine: trend ? (series.find(s => s.id === 'periods').markLine || { data: [] }).data.map(d => d.yAxis) : [],
      bars: bars.length,
      canvas: !!document.querySelector('[data-test=region-chart] canvas'),
    };
  });
  const expected = history.periods.map(p => p.period);
  check(JSON.stringify(chart.periods) === JSON.stringify(expected) && expected.includes('2021H2') &&
    expected.includes('2022H2'), 'trend: a point per stored period with calls data', `${chart.periods} vs ${expected}`);
  check(chart.markLine.length === 1 && chart.markLine[0] === history.target.value, 'trend: the target is a markLine',
    JSON.stringify(chart.markLine));
  const byRegion = await apiGet(base, '/api/v1/periods/2022H2/indicators?id=calls.connect_rate&breakdown=region');
  check(chart.bars === byRegion.values.length && chart.bars > 0 && chart.canvas, 'trend: a bar per region',
    `${chart.bars} vs ${byRegion.values.length}`);
  clean(w, 'trend');
  await shot(page, '03-indicator');

  // A wrong indicator is an error shown on the page, not swallowed.
  w.allow.add(400).add(404);
  await open(page, base, '#/indicator/no.such_indicator');
  check((await messages(page)).includes('no.such_indicator'), 'errors: an API error is shown', await messages(page));
  w.allow.clear();
  w.problems.length = 0;

  // 4. The map: Leaflet draws every cell of the GeoJSON; the remediation list.
  await open(page, base, '#/map');
  const geo = await apiGet(base, '/api/v1/periods/2022H2/cells?format=geojson');
  const markers = await page.locator('[data-test=cell-map] path.cell-marker').count();
  check(markers > 0 && markers === geo.features.length, 'map: a marker per cell', `${markers} vs ${geo.features.length}`);
  const remediated = await page.locator('[data-test=remediation-table] tr[data-remediation]').count();
  const baselinePoor = geo.features.filter(f => f.properties.remediation).length;
  check(remediated === baselinePoor, 'map: the remediation list has every baseline-poor cell', `${remediated} vs ${baselinePoor}`);
  await page.locator('[data-test=cell-map] path.cell-poor, [data-test=cell-map] path.cell-still_poor').first()
    .click({ force: true });
  check(await page.locator('.leaflet-popup .cell-popup').count() === 1, 'map: a cell\'s popup shows its figures');
  clean(w, 'map');
  await shot(page, '04-map');
  await afterRender(page, () => page.selectOption('#operator-filter', '移动'));
  const mobileMarkers = await page.locator('[data-test=cell-map] path.cell-marker').count();
  check(mobileMarkers > 0 && mobileMarkers < markers, 'map: the operator filter keeps that operator\'s cells',
    `${mobileMarkers} of ${markers}`);
  await afterRender(page, () => page.selectOption('#operator-filter', ''));

  // A period whose data had no speed tests has no cells document: the server answers 404, the
  // view says so in words. (Simulated: both test periods have speed tests.)
  w.allow.add(404);
  await page.route('**/api/v1/periods/*/cells*', route => route.fulfill({
    status: 404, contentType: 'application/json',
    body: JSON.stringify({ error: { status: 404, message: 'period 2022H2 has no cells.json: its data had no such records' } }),
  }));
  await open(page, base, '#/overview');
  await open(page, base, '#/map');
  const missing = await page.locator('[data-test=finding-missing]').innerText().catch(() => '');
  check(missing.includes('没有测速记录') && await messages(page) === '',
    'map: a period without speed tests says so, not as an error', missing + ' | ' + await messages(page));
  await page.unroute('**/api/v1/periods/*/cells*');
  w.allow.clear();
  w.problems.length = 0;

  // 5. Broadband, callers, data quality.
  await open(page, base, '#/broadband');
  check(await page.locator('[data-test=compliance-table] tbody tr').count() === 4,
    'broadband: compliance of all and of each operator');
  const bb = await apiGet(base, '/api/v1/periods/2022H2/broadband');
  const below = bb.lines.filter(l => !l.compliant).length;
  check(await page.locator('[data-test=below-plan-table] tr[data-line]').count() === below,
    'broadband: every line below plan is listed', below);
  clean(w, 'broadband');
  await shot(page, '05-broadband');

  await open(page, base, '#/callers');
  const callers = await apiGet(base, '/api/v1/periods/2022H2/callers');
  const callerRows = page.locator('[data-test=callers-table] tr[data-rank]');
  check(await callerRows.count() === callers.list.length && callers.list.length > 0,
    'callers: every listed number', callers.list.length);
  const numbers = await page.locator('[data-test=callers-table] td.mono').allInnerTexts();
  check(numbers.length > 0 && numbers.every(n => /^\d{3}\*{4}\d{4}$/.test(n.trim())), 'callers: numbers are masked',
    numbers.join(','));
  await shot(page, '06-callers');
  // The operator filter keeps that operator's numbers only.
  await afterRender(page, () => page.selectOption('#operator-filter', '移动'));
  const operators = await page.locator('[data-test=callers-table] tr[data-rank] td:nth-child(3)').allInnerTexts();
  const mobileCallers = callers.list.filter(c => c.operator === '移动').length;
  check(operators.length === mobileCallers && operators.every(o => o === '中国移动'),
    'callers: the operator filter keeps 移动\'s numbers', `${operators} vs ${mobileCallers}`);
  await afterRender(page, () => page.selectOption('#operator-filter', ''));
  clean(w, 'callers');

  await open(page, base, '#/data-quality');
  const dq = await apiGet(base, '/api/v1/periods/2022H2/data-quality');
  check(await page.locator('[data-test=dq-table] tbody tr').count() === dq.files.length + 1,
    'data quality: a row per file and the total', dq.files.length);
  clean(w, 'data quality');
  await shot(page, '07-data-quality');

  // 6. Downloads: the xlsx link answers a workbook, and a click saves it.
  await open(page, base, '#/downloads');
  const href = await page.locator('[data-test=download-zh-xlsx]').getAttribute('href');
  const fetched = await page.evaluate(async url => {
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, head: String.fromCharCode(bytes[0], bytes[1]), size: bytes.length };
  }, href);
  check(fetched.status === 200 && fetched.head === 'PK', 'downloads: the xlsx link answers a workbook', JSON.stringify(fetched));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=download-en-xlsx]').click()]);
  const saved = await readHead(await download.path());
  check(saved === 'PK' && download.suggestedFilename() === 'tsq-2022H2-en.xlsx', 'downloads: a click saves the workbook',
    `${saved} ${download.suggestedFilename()}`);
  clean(w, 'downloads');
  await shot(page, '08-downloads');

  // 7. English: the headings change, and the choice survives a reload.
  await open(page, base, '#/overview');
  await afterRender(page, () => page.click('#lang-en'));
  check(await page.locator('[data-test=view-title]').innerText() === 'Indicators overview', 'english: the heading changes');
  const name = await table.locator('tr[data-id="calls.connect_rate"] td.name a').innerText();
  check(/^[\x20-\x7e]+$/.test(name), 'english: indicator names come in English', name);
  await afterRender(page, () => page.reload(), true);
  check(await page.locator('#tabs a[data-view=overview]').innerText() === 'Overview', 'english: remembered after a reload');
  clean(w, 'english');
  await shot(page, '09-overview-en');
  await open(page, base, '#/indicator/calls.connect_rate');
  await shot(page, '10-indicator-en');
  clean(w, 'english trend');

  // 8. Older period through the selector: the back button returns to the latest.
  await afterRender(page, () => page.selectOption('#period-select', '2021H2'));
  check(page.url().includes('period=2021H2'), 'period: the selector puts the period in the URL');
  await afterRender(page, () => page.goBack());
  check(!page.url().includes('period=2021H2'), 'period: the back button returns');
  clean(w, 'period');
  await context.close();
}

async function readHead(path) {
  const { open: openFile } = await import('node:fs/promises');
  const f = await openFile(path, 'r');
  const buf = Buffer.alloc(2);
  await f.read(buf, 0, 2, 0);
  await f.close();
  return buf.toString('latin1');
}

async function tokenServer(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const w = watch(page, tokenBase);
  w.allow.add(401);  // the page's first calls, before it has the token
  await page.goto(tokenBase + '#/overview');
  const overlay = page.locator('[data-test=token-overlay]');
  await overlay.waitFor({ state: 'visible' });
  check(true, 'token: the page asks for the token');
  await shot(page, '11-token-prompt');
  await page.fill('#token-input', 'not-the-token');
  await page.click('#token-submit');
  await page.locator('#token-error').waitFor({ state: 'visible' });
  check(await overlay.isVisible(), 'token: a wrong token is asked again');
  await afterRender(page, async () => {
    await page.fill('#token-input', token);
    await page.click('#token-submit');
  });
  check(!(await overlay.isVisible()), 'token: the form goes once the token is accepted');
  check(await page.locator('[data-test=overview-table] tbody tr[data-id]').count() > 50, 'token: the overview loads');
  check(await page.evaluate(() => sessionStorage.getItem('tsq.token')) === token, 'token: kept in sessionStorage');
  await shot(page, '12-token-loaded');
  w.allow.clear();
  await open(page, tokenBase, '#/downloads');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=download-zh-xlsx]').click()]);
  const saved = await readHead(await download.path());
  check(saved === 'PK' && download.url().startsWith('blob:'), 'token: the download goes through a blob URL with the token',
    `${saved} ${download.url().slice(0, 12)}`);
  clean(w, 'token');
  await context.close();
}

const started = Date.now();
try {
  await main();
} catch (e) {
  failures.push('the test stopped: ' + (e && e.stack ? e.stack : e));
  console.log('FAIL ' + failures[failures.length - 1]);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(`\n${failures.length} of ${checks} checks failed (${seconds} s; screenshots in ${shotDir}):`);
  for (const f of failures) console.error('  - ' + f);
  process.exit(1);
}
console.log(`\n${checks} checks passed in ${seconds} s; screenshots in ${shotDir}`);
