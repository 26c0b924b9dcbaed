import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { scaledMs } from './support/time-scale.js';

// Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Never a downloaded browser.
const CHROMIUM = process.env.HEFL_CHROMIUM ?? '/usr/bin/chromium';
const chromiumInstalled = existsSync(CHROMIUM);
if (!chromiumInstalled) {
  console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM} (install Debian's "chromium" package, or set HEFL_CHROMIUM)`);
}
export const SCREENSHOT = join(process.cwd(), 'out', 'test-artifacts', 'dashboard.png');

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable || !chromiumInstalled)('live coordinator dashboard in headless Chromium', () => {
  it('shows the participants and plots rounds while a federation of processes runs', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-dashboard-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 800, 400);
    const job = bankJob({ jobId: 'dashboard-test', training: { rounds: 5, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5 } });
    let dashboardUrl: (url: string) => void = () => undefined;
    const dashboardReady = new Promise<string>((resolve) => (dashboardUrl = resolve));
    const federation = launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: [
        { participantId: 'bank', dataCsv: slices.files.bank, evaluationCsv: slices.testFile },
        { participantId: 'ecommerce', dataCsv: slices.files.ecommerce, evaluationCsv: slices.testFile },
        { participantId: 'government', dataCsv: slices.files.government },
      ],
      coordinatorArgs: ['--dashboard', '127.0.0.1:0'],
      onCoordinatorLine: (line) => {
        const match = /^dashboard: (http:\/\/\S+)$/.exec(line);
        if (match?.[1]) dashboardUrl(match[1]);
      },
      timeoutMs: scaledMs(150_000),
    });

    let browser: Browser | undefined;
    try {
      const url = await Promise.race([dashboardReady, federation.then(() => Promise.reject(new Error('the federation ended before the dashboard started')))]);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // Root in CI, and a closed network: no sandbox, no background requests to Google's hosts.
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);

      // Every participant of the job is listed with a state.
      // (Polled from here: the page's Content-Security-Policy forbids evaluating strings in it.)
      await expect.poll(() => page.locator('#participants tbody tr[data-participant]').count(), { timeout: scaledMs(60_000), interval: 100 }).toBe(3);
      const listed = await page.$$eval('#participants tbody tr[data-participant]', (rows) => rows.map((row) => row.getAttribute('data-participant')));
      expect(listed).toEqual(['bank', 'ecommerce', 'government']);
      const trainingRoundsAtFirstLook = await page.$$eval('#auc-chart circle.point', (points) => points.length);

      // Live: without reloading, the AUC chart gains points as rounds complete.
      await expect.poll(() => page.locator('#auc-chart circle.point').count(), { timeout: scaledMs(120_000), interval: 100 }).toBeGreaterThanOrEqual(2);
      const aucPoints = await page.$$eval('#auc-chart circle.point', (points) => points.map((point) => Number(point.getAttribute('data-round'))));
      expect(aucPoints.length).toBeGreaterThanOrEqual(2);
      expect(aucPoints.length).toBeGreaterThan(trainingRoundsAtFirstLook);
      expect(aucPoints).toEqual([...aucPoints].sort((a, b) => a - b));
      expect(await page.$$eval('#loss-chart circle.point', (points) => points.length)).toBeGreaterThanOrEqual(2);
      expect(await page.$$eval('#bytes-chart rect.bar', (bars) => bars.length)).toBeGreaterThanOrEqual(3);
      expect(await page.textContent('#he')).toContain('threshold (N-of-N)');
      expect(await page.textContent('#audit')).toMatch(/signed records in/);
      expect(await page.textContent('#connection')).toBe('live updates: on');

      await mkdir(join(process.cwd(), 'out', 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect((await stat(SCREENSHOT)).size).toBeGreaterThan(10_000);
      expect(pageErrors).toEqual([]);
    } finally {
      await browser?.close();
    }
    const result = await federation;
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.report.status).toBe('finished');
  }, scaledMs(180_000));
});
