import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { listEnvironmentVariables } from '../src/engine/environment-variables.js';
import type { Store } from '../src/store/store.js';
import { openMemoryStore } from './support/stores.js';
import { TEST_OUTPUT } from './support/fixtures.js';
import { launchChromium, signedInPage, NO_BROWSER } from './support/browser.js';
import { buildPackage } from './support/package-builder.js';
import { environmentsWithTokens, startServer } from './support/server.js';

/**
 * The import wizard's step for environment variables and connections (issue 15 item 1): shown
 * after Options only when the package defines them, as Power Apps' import asks for them; a
 * required variable left without a value blocks the Review; the values typed there are written
 * with the import.
 */

const SHOTS = join(TEST_OUTPUT, 'screenshots', 'values');

const definition = (name: string, type: number, opts: { default?: string; required?: boolean }) =>
  `<environmentvariabledefinition schemaname="${name}">` +
  (opts.default !== undefined ? `<defaultvalue>${opts.default}</defaultvalue>` : '') +
  `<displayname default="${name}"><label description="${name}" languagecode="1033" /></displayname>` +
  `<introducedversion>1.0.0.0</introducedversion><iscustomizable>1</iscustomizable>` +
  `<isrequired>${opts.required ? 1 : 0}</isrequired><secretstore>0</secretstore>` +
  `<type>${type}</type></environmentvariabledefinition>`;

/** a required text variable, a number with a default, and an Outlook connection reference */
const PACKAGE = buildPackage({
  uniqueName: 'ValuesDemo',
  version: '1.0.0.0',
  managed: true,
  entities: [{ name: 'new_thing', attributes: ['new_thingid', 'new_name'] }],
  extraFiles: {
    'environmentvariabledefinitions/new_ApiUrl/environmentvariabledefinition.xml': definition(
      'new_ApiUrl',
      100000000,
      { required: true },
    ),
    'environmentvariabledefinitions/new_Retries/environmentvariabledefinition.xml': definition(
      'new_Retries',
      100000001,
      { default: '3' },
    ),
  },
  extraCustomizations:
    '<connectionreferences><connectionreference connectionreferencelogicalname="new_sharedoffice365_abc">' +
    '<connectionreferencedisplayname>Office 365 Outlook</connectionreferencedisplayname>' +
    '<connectorid>/providers/Microsoft.PowerApps/apis/shared_office365</connectorid>' +
    '<iscustomizable>1</iscustomizable><promptingbehavior>0</promptingbehavior>' +
    '<statecode>0</statecode><statuscode>1</statuscode></connectionreference></connectionreferences>',
});

describe(
  'the wizard asks for environment variables and connections',
  { skip: NO_BROWSER ?? false },
  () => {
    let store: Store;
    let app: FastifyInstance;
    let browser: Browser;
    let page: Page;
    let file: string;
    const pageErrors: string[] = [];

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      file = join(SHOTS, 'ValuesDemo_1_0_0_0_managed.zip');
      writeFileSync(file, PACKAGE);
      store = await openMemoryStore();
      const { home } = await environmentsWithTokens(store, ['home'], 'values', 'dataverse');
      let base: string;
      ({ app, base } = await startServer(store));
      browser = await launchChromium();
      page = await signedInPage(browser, base, home, pageErrors);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      await store?.close();
    });

    const wizard = () => page.locator('dialog.wizard');
    const atStep = async (n: number, heading: string | RegExp, timeout?: number) => {
      await page.locator(`dialog.wizard[data-step="${n}"]`).waitFor({ timeout });
      await wizard().getByRole('heading', { level: 2, name: heading }).waitFor({ timeout });
    };

    test('the values step comes after Options, its values are imported', async () => {
      await page.getByRole('button', { name: 'Import' }).click();
      await page.setInputFiles('#package-file', file);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(2, 'Solution Information');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(3, 'Import Options');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(4, 'Connections and variables');
      const strip = await wizard().locator('.steps li').allTextContents();
      assert.deepEqual(strip, [
        'Select package',
        'Information',
        'Options',
        'Connections and variables',
        'Review',
        'Importing',
        'Result',
      ]);
      await wizard().getByText('Environment variables (2)').waitFor();
      await wizard().getByText('Connections (1)').waitFor();
      await page.screenshot({ path: join(SHOTS, 'values-step.png') });

      // without the required value the Review refuses the import and says why
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(5, 'Review the Import');
      const importButton = wizard().getByRole('button', { name: 'Import', exact: true });
      assert.ok(await importButton.isDisabled(), 'a required variable without a value blocks');
      assert.match(
        (await wizard().locator('#import-blocked-reason').textContent()) ?? '',
        /new_ApiUrl/,
      );

      // back to the values, give them, plan again: the import goes through with them
      await wizard().getByRole('button', { name: 'Back' }).click();
      await atStep(4, 'Connections and variables');
      await wizard().getByLabel('new_ApiUrl (new_ApiUrl)').fill('https://contoso.example/api');
      await wizard().getByLabel('Office 365 Outlook (new_sharedoffice365_abc)').fill('conn-42');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(5, 'Review the Import');
      await wizard()
        .getByRole('button', { name: 'Import', exact: true, disabled: false })
        .waitFor();
      await importButton.click();
      await atStep(7, /was imported successfully/, 60000);

      const { variables, connectionReferences } = await listEnvironmentVariables(store, 'home');
      const value = (name: string) => variables.find((v) => v.schemaName === name);
      assert.equal(value('new_ApiUrl')?.value, 'https://contoso.example/api');
      assert.equal(value('new_Retries')?.value ?? null, null, 'left empty: the default applies');
      assert.equal(connectionReferences[0]?.connectionId, 'conn-42');
      assert.deepEqual(pageErrors, []);
    });

    test('a package without variables goes from Options straight to the Review', async () => {
      const plain = join(SHOTS, 'Plain_1_0_0_0_managed.zip');
      writeFileSync(
        plain,
        buildPackage({
          uniqueName: 'PlainDemo',
          managed: true,
          entities: [{ name: 'new_plain', attributes: ['new_plainid', 'new_name'] }],
        }),
      );
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Import' }).click();
      await page.setInputFiles('#package-file', plain);
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(2, 'Solution Information');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(3, 'Import Options');
      await wizard().getByRole('button', { name: 'Next' }).click();
      await atStep(4, 'Review the Import');
      assert.equal(await wizard().locator('.steps li').count(), 6);
      await page.keyboard.press('Escape');
    });
  },
);
