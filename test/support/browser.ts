import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The real browser of the browser tests: Debian's Chromium (or STRATA_CHROMIUM), driven by
 * playwright-core. Without it the tests are skipped with this reason — never in CI, where that
 * is an error.
 */
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';

export const NO_BROWSER: string | null = existsSync(CHROMIUM)
  ? null
  : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set STRATA_CHROMIUM)`;
if (NO_BROWSER && process.env.CI) throw new Error(`browser tests must run in CI: ${NO_BROWSER}`);
if (NO_BROWSER) console.log(`# browser tests skipped: ${NO_BROWSER}`);

/** Headless, and quiet on a machine whose network is closed (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A desktop-sized page of the web UI at `base`, signed in with `token`, on its Solutions page.
 * Uncaught page errors are pushed to `errors`, for the test to assert there were none.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  token: string,
  errors: string[],
): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 860 } })
  ).newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
  await page.getByRole('heading', { level: 1, name: 'Solutions' }).waitFor();
  return page;
}
