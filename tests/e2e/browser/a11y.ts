import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: string | undefined;
/** Every check's violations of any impact, for reading after a run. */
const REPORT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test-output', 'browser', 'a11y');

export interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  /** CSS selectors of the offending nodes. */
  readonly targets: readonly string[];
}

interface AxeInPage {
  run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }>;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is now and returns its violations of
 * any impact; they are also written to test-output/browser/a11y/<label>.json.
 *
 * axe is evaluated through the DevTools protocol (`page.evaluate`), not added as a script tag: the
 * gateway's Content-Security-Policy allows only scripts carrying the response's nonce, so an
 * injected `<script>` would be refused — and turning the policy off (`bypassCSP`) would also hide
 * the CSP violations the tests look for. DevTools evaluation is outside the page's CSP.
 */
export async function checkA11y(page: Page, label: string): Promise<Violation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const present = await page.evaluate(() => 'axe' in globalThis);
  // A trailing expression, so the script's value is not mistaken for a function to call.
  if (!present) await page.evaluate(`${axeSource}\n;true`);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: AxeInPage }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map(String).join(' >>> ')),
    }));
  });
  mkdirSync(REPORT_DIR, { recursive: true });
  const file = `${label.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'page'}.json`;
  writeFileSync(join(REPORT_DIR, file), `${JSON.stringify({ url: page.url(), violations }, null, 2)}\n`);
  return violations;
}

/** Fails, listing every serious or critical violation (rule, impact, help and nodes), if there are any. */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const serious = (await checkA11y(page, label)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length === 0) return;
  const lines = serious.map(
    (v) => `- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>\n${v.targets.map((t) => `    ${t}`).join('\n')}`,
  );
  throw new Error(`${label}: ${serious.length} serious accessibility violation(s):\n${lines.join('\n')}`);
}
