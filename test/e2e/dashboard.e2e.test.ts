/**
 * The dashboard in a real browser: served on 127.0.0.1 by serveDashboard with data recorded through the analyzer's
 * writer, driven with playwright-core and Debian's chromium. Screenshots land in test-results/ for a human look.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, serveDashboard } from '../../services/dashboard/serve';
import { createStateTable, type StateTable } from '../dashboard/factories';
import { NOW, SIGNATURES, seedScenario } from '../dashboard/seed-scenario';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = path.join(repoRoot, 'test-results');

describe('Dashboard in a browser', () => {
  let table: StateTable;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    table = await createStateTable();
    await seedScenario(table);
    dashboard = await serveDashboard({
      port: 0,
      client: table.client,
      tableName: table.tableName,
      now: () => NOW,
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    mkdirSync(resultsDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    table?.client.destroy();
  });

  const rankedSignatures = () =>
    page
      .locator('table.signatures tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-signature')));

  it('serves on 127.0.0.1 only', () => {
    // Assess
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
  });

  it('shows the ranking of the last 7 days', async () => {
    // Act
    await page.goto(`${dashboard.url}/`);

    // Assess
    expect(await rankedSignatures()).toEqual([
      SIGNATURES.trunk,
      SIGNATURES.flaky,
      SIGNATURES.vision,
      SIGNATURES.thisPr,
      SIGNATURES.xss,
    ]);
    expect(
      await page.locator('tr', { hasText: 'undefined reference' }).locator('.badge.broken-trunk').count(),
    ).toBe(1);
    await page.screenshot({ path: path.join(resultsDir, 'dashboard-list.png'), fullPage: true });
  });

  it('switches the window and applies a filter', async () => {
    // Prepare
    await page.goto(`${dashboard.url}/`);
    await page.getByRole('link', { name: '30d', exact: true }).click();
    expect((await rankedSignatures())[0]).toBe(SIGNATURES.stale);

    // Act
    await page.getByLabel('Category').selectOption('timeout');
    await page.waitForURL(/category=timeout/);

    // Assess
    expect(await rankedSignatures()).toEqual([SIGNATURES.flaky]);
    expect(page.url()).toContain('window=30d');
  });

  it('opens a detail page with the analysis, the chart and links to the jobs', async () => {
    // Prepare
    await page.goto(`${dashboard.url}/?window=7d`);

    // Act
    await page.getByRole('link', { name: /undefined reference to at::native::add_out/ }).click();

    // Assess
    expect(await page.locator('h2.title').textContent()).toMatch(/undefined reference/);
    expect(await page.locator('svg.chart rect').count()).toBe(30);
    const jobLinks = await page
      .locator('table.occurrences a[href*="/job/"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(jobLinks).toHaveLength(6);
    await page.screenshot({ path: path.join(resultsDir, 'dashboard-detail.png'), fullPage: true });
  });

  it('renders in dark mode too', async () => {
    // Prepare
    await page.emulateMedia({ colorScheme: 'dark' });

    // Act
    await page.goto(`${dashboard.url}/?window=24h`);

    // Assess
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: path.join(resultsDir, 'dashboard-list-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
