// Drives report.html in Debian's chromium (playwright-core, no browser of its
// own) and prints what a user would see as one JSON object; the Rust test
// tests/report_html.rs asserts on it.
//
//   node drive.mjs '{"html": "/abs/report.html", "shots": "/tmp/dir",
//                    "search": "an alias", "region": "Western Europe",
//                    "names": ["a name to find as written"]}'
//
// With "draw_only": true it stops once the map is drawn (for
// benches/report_draw.py, which times the first draw).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const plan = JSON.parse(process.argv[2]);
const out = { console_errors: [], requests: [], dialogs: 0 };
const profile = mkdtempSync(join(tmpdir(), 'partnernet-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND'],
});
try {
  const page = browser.pages()[0] || await browser.newPage();
  const url = pathToFileURL(plan.html).href;
  // Every request but the page itself is recorded and refused.
  await browser.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    out.requests.push(u);
    return route.abort();
  });
  page.on('request', (r) => { if (r.url() !== url && !out.requests.includes(r.url())) out.requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') out.console_errors.push(m.text()); });
  page.on('pageerror', (e) => out.console_errors.push('page error: ' + e.message));
  page.on('dialog', async (d) => { out.dialogs += 1; await d.dismiss(); });

  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  out.load_ms = Date.now() - t0;
  out.first_draw_ms = await page.evaluate(() => window.reportFirstDraw);
  out.drawn = Number(await page.getAttribute('body', 'data-drawn'));
  // Each organisation drawn: its name and its centre on the screen (pixels
  // from the map's top left corner).
  out.map_nodes = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('data').textContent);
    return window.reportMap.nodes().map((n) => {
      const p = n.renderedPosition();
      return [data.orgs[n.data('idx')].name, p.x, p.y];
    });
  });
  out.map_note = await page.evaluate(() => document.getElementById('map-note').innerText);
  await page.screenshot({ path: join(plan.shots, 'report-top.png') });
  await page.locator('#map-section').screenshot({ path: join(plan.shots, 'map.png') });

  if (!plan.draw_only) await explore(page);
  out.requests = out.requests.filter((u) => !u.startsWith('blob:'));
} catch (e) {
  out.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));

// What a user does after the page is drawn: search, open cards, sort,
// filter and download the leads.
async function explore(page) {
  // Search, as a user types.
  if (plan.search) {
    await page.fill('#search', plan.search);
    await page.waitForSelector('#card:not([hidden])', { timeout: 5000 }).catch(() => {});
    out.card_name = await page.evaluate(() => {
      const c = document.querySelector('#card:not([hidden]) .card-name');
      return c ? c.textContent : null;
    });
    out.card_text = await page.evaluate(() => document.getElementById('card').innerText);
    await page.locator('#map-section').screenshot({ path: join(plan.shots, 'card.png') });
  }

  // Names written as given: each found by search shows as text in its card.
  out.names = [];
  for (const n of plan.names || []) {
    await page.fill('#search', '');
    await page.fill('#search', n);
    await page.press('#search', 'Enter');
    out.names.push(await page.evaluate(() => {
      const c = document.querySelector('#card:not([hidden]) .card-name');
      return c ? c.textContent : null;
    }));
  }
  out.images = await page.evaluate(() => document.querySelectorAll('img').length);
  out.injected = await page.evaluate(() => Boolean(window.pwned));

  // The leads table: sort by score (lowest first, then highest first).
  const col = (k) => page.$$eval('#leads-table tbody tr', (rows, k) => rows.map((r) => r.children[k].textContent), k);
  out.leads_rows = (await col(0)).length;
  const scoreHeader = page.locator('#leads-table th', { hasText: 'score' }).first();
  await scoreHeader.click();
  out.scores_after_one_click = (await col(5)).map(Number);
  await scoreHeader.click();
  out.scores_after_two_clicks = (await col(5)).map(Number);

  // Filter by region, then download what is shown.
  if (plan.region) {
    await page.selectOption('#l-region', plan.region);
    out.filtered_regions = await col(3);
    out.filtered_ids_shown = await page.$$eval('#leads-table tbody tr', (rows) => rows.length);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#l-download'),
    ]);
    out.download_name = download.suggestedFilename();
    out.download = readFileSync(await download.path(), 'utf8');
    await page.locator('#leads-section').screenshot({ path: join(plan.shots, 'leads.png') });
  }
  await page.screenshot({ path: join(plan.shots, 'report-full.png'), fullPage: true });
}
