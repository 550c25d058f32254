import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { type Platform, startPlatform } from '../platform.ts';

export { checkA11y, expectNoSeriousViolations, type Violation } from './a11y.ts';
export { totp, totpAfter } from './totp.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Screenshots land here, one folder per test; test-output/ is gitignored. */
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'browser');

/**
 * Debian's `chromium` package (installed by scripts/ensure-system-deps.sh). The real binary, not
 * /usr/bin/chromium: that is a shell wrapper which adds desktop flags from /etc/chromium.d (GPU
 * rasterisation, extensions) and prints shell warnings; the tests pass the flags they need.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium is not installed: run `bash scripts/ensure-system-deps.sh` (as root)');
  return found;
}

export interface Shop {
  readonly platform: Platform;
  readonly browser: Browser;
  /** The gateway, as a person opens it after `npm start` (`http://localhost:<port>`). */
  readonly baseUrl: string;
  /** A page in a fresh context (own cookies), its console errors and page errors recorded. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  stop(): Promise<void>;
}

const problems = new WeakMap<Page, string[]>();

/** Console errors (CSP violations are reported there) and uncaught page errors, in order. */
export function pageErrors(page: Page): readonly string[] {
  return problems.get(page) ?? [];
}

function record(page: Page): void {
  if (problems.has(page)) return;
  const list: string[] = [];
  problems.set(page, list);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const at = msg.location().url;
    list.push(`console: ${msg.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (err) => list.push(`pageerror: ${err.message}`));
}

/**
 * The platform started as `npm start` does (its own database, ports and prefixes; every service
 * whose folder exists, `web` included) and a headless Chromium. Stop it in afterAll: the platform
 * is about ten node processes.
 */
export async function startShop(opts: Parameters<typeof startPlatform>[0] = {}): Promise<Shop> {
  const [platform, browser] = await Promise.allSettled([
    startPlatform(opts),
    chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      // --no-sandbox: the tests run as root in containers without user namespaces. /dev/shm is
      // often 64 MB there, which Chromium outgrows.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    }),
  ]);
  if (platform.status === 'rejected' || browser.status === 'rejected') {
    if (platform.status === 'fulfilled') await platform.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw platform.status === 'rejected' ? platform.reason : (browser as PromiseRejectedResult).reason;
  }
  return shopOf(platform.value, browser.value);
}

function shopOf(platform: Platform, browser: Browser): Shop {
  // The platform's own URL, with the hostname the launcher prints: cookies and links from the
  // identity service name localhost, and Node's fetch is the only one that needs 127.0.0.1.
  const baseUrl = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
  return {
    platform,
    browser,
    baseUrl,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, ...options });
      context.on('page', record);
      const page = await context.newPage();
      record(page);
      return page;
    },
    async stop() {
      await browser.close().catch(() => {});
      await platform.stop();
    },
  };
}

const shotCounts = new Map<string, number>();
const safe = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'step';

/**
 * A full-page PNG at test-output/browser/<test>/<nn>-<step>.png; the folder is emptied at a
 * test's first shot in this run so old steps never mix with new ones. Returns the file path.
 */
export async function shot(page: Page, testName: string, step: string): Promise<string> {
  const dir = join(SCREENSHOT_DIR, safe(testName));
  const n = (shotCounts.get(dir) ?? 0) + 1;
  if (n === 1) rmSync(dir, { recursive: true, force: true });
  shotCounts.set(dir, n);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${String(n).padStart(2, '0')}-${safe(step)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
