import { entry } from '../model/component.js';
import { PackageError } from '../model/errors.js';
import { checkUniqueEntries } from './unique-entries.js';
import {
  applyEdits,
  decodeText,
  escapeXml,
  parseXml,
  type TextEdit,
  type XmlElement,
} from './xml.js';

/**
 * Turns a SolutionPackager folder (Other/Solution.xml, Other/Customizations.xml, Entities/...,
 * Workflows/..., WebResources/..., *.data.xml) into the entries of the equivalent solution zip,
 * the way `SolutionPackager /action:Pack` does, so it reads into the same model as its zip.
 *
 * "Both" folders (<Managed>2</Managed>) keep `*_managed.xml` twins: the unmanaged variant is read
 * unless `variant` is 'managed'.
 */
export function assembleSolutionPackagerFolder(
  entries: Map<string, Uint8Array>,
  variant: 'unmanaged' | 'managed' = 'unmanaged',
  label = 'The SolutionPackager folder',
): Map<string, Uint8Array> {
  const text = (p: string): string => decodeText(entries.get(p)!, p);
  const consumed = new Set<string>();
  const pick = (p: string): string => {
    // in "both" folders prefer the twin that matches the variant
    const twin = p.replace(/\.xml$/i, '_managed.xml');
    consumed.add(p);
    if (entries.has(twin)) consumed.add(twin);
    return variant === 'managed' && entries.has(twin) ? twin : p;
  };
  const isTwin = (p: string): boolean => /_managed\.xml$/i.exec(p) !== null;
  const paths = [...entries.keys()].filter((p) => !isTwin(p)).sort();
  // looked up once each, not searched for: a folder may hold 50,000 files
  const byLower = new Map(paths.map((p) => [p.toLowerCase(), p]));
  const byEntityFolder = new Map<string, string[]>();
  for (const p of paths) {
    const m = /^Entities\/[^/]+\//.exec(p);
    if (m) entry(byEntityFolder, m[0], () => [] as string[]).push(p);
  }
  const rootOf = (p: string): { el: XmlElement; src: string } => {
    const src = text(pick(p));
    return { el: parseXml(src, p), src };
  };
  const slice = (x: { el: XmlElement; src: string }): string => x.src.slice(x.el.start, x.el.end);
  const inner = (x: { el: XmlElement; src: string }): string[] =>
    x.el.children.map((c) => x.src.slice(c.start, c.end));

  const solutionPath = paths.find((p) => p.toLowerCase() === 'other/solution.xml')!;
  const custPath = paths.find((p) => p.toLowerCase() === 'other/customizations.xml');
  if (!custPath) {
    throw new PackageError(
      'PACKAGE_LAYOUT_INVALID',
      'The SolutionPackager folder has Other/Solution.xml but no Other/Customizations.xml.',
      {
        hint:
          'Unpack the solution again with SolutionPackager ' +
          '(or `strata unpack`), which writes both files.',
      },
    );
  }
  let solutionXml = text(pick(solutionPath));
  if (variant === 'managed')
    solutionXml = solutionXml.replace(/<Managed>\s*2\s*<\/Managed>/, '<Managed>1</Managed>');
  const sections = new Map<string, string[]>();
  const add = (section: string, xml: string): void => {
    entry(sections, section, () => [] as string[]).push(xml);
  };
  const extraFiles = new Map<string, Uint8Array>();

  // Entities/<Name>/Entity.xml with its forms, views, ribbon and charts
  const entityDirs = [
    ...new Set(
      paths
        .filter((p) => /^Entities\/[^/]+\/Entity\.xml$/i.exec(p) !== null)
        .map((p) => p.split('/')[1]),
    ),
  ];
  for (const dir of entityDirs) {
    const base = `Entities/${dir}/`;
    const under = byEntityFolder.get(base) ?? [];
    const ent = rootOf(byLower.get(`${base}entity.xml`.toLowerCase())!);
    // each part replaces its placeholder in Entity.xml (`<FormXml />`, as SolutionPackager writes
    // them), or, without one, goes after <EntityInfo>
    const parts: Array<[string, string]> = [];
    const forms = under.filter((p) => p.startsWith(`${base}FormXml/`) && p.endsWith('.xml'));
    if (forms.length) {
      const byType = new Map<string, string[]>();
      for (const f of forms) {
        // SolutionPackager wraps each form in <forms>; older tools write the <systemform> alone
        const root = rootOf(f);
        const xs = root.el.name === 'systemform' ? [slice(root)] : inner(root);
        entry(byType, f.split('/')[3], () => [] as string[]).push(...xs);
      }
      const groups = [...byType].map(([t, xs]) => `<forms type="${t}">${xs.join('')}</forms>`);
      parts.push(['FormXml', `<FormXml>${groups.join('')}</FormXml>`]);
    }
    const views = under.filter((p) => p.startsWith(`${base}SavedQueries/`) && p.endsWith('.xml'));
    if (views.length) {
      // as forms: a <savedqueries> wrapper, or the <savedquery> alone
      const queries = views
        .flatMap((v) => {
          const root = rootOf(v);
          return root.el.name === 'savedquery' ? [slice(root)] : inner(root);
        })
        .join('');
      parts.push([
        'SavedQueries',
        `<SavedQueries><savedqueries>${queries}</savedqueries></SavedQueries>`,
      ]);
    }
    const ribbon = byLower.get(`${base}ribbondiff.xml`.toLowerCase());
    if (ribbon) parts.push(['RibbonDiffXml', slice(rootOf(ribbon))]);
    const charts = under.filter(
      (p) => p.startsWith(`${base}Visualizations/`) && p.endsWith('.xml'),
    );
    if (charts.length)
      parts.push([
        'Visualizations',
        `<Visualizations>${charts.map((c) => slice(rootOf(c))).join('')}</Visualizations>`,
      ]);
    // calculated and formula columns: the zip keeps their definitions under /Formulas/, where
    // <FormulaDefinitionFileName> points; SolutionPackager moves them beside their table
    for (const f of under.filter((p) => p.startsWith(`${base}Formulas/`)))
      extraFiles.set(`Formulas/${f.slice(`${base}Formulas/`.length)}`, entries.get(f)!);
    for (const p of under) consumed.add(p);
    const replacements: TextEdit[] = [];
    const appended: string[] = [];
    for (const [name, xml] of parts) {
      const placeholder = ent.el.children.find(
        (c) => c.name === name && c.children.length === 0 && !c.text.trim(),
      );
      if (placeholder)
        replacements.push({ start: placeholder.start, end: placeholder.end, text: xml });
      else appended.push(xml);
    }
    const info =
      ent.el.children.find((c) => c.name === 'EntityInfo') ??
      ent.el.children.find((c) => c.name === 'ObjectTypeCode') ??
      ent.el.children.find((c) => c.name === 'Name');
    const insertAt = info ? info.end : ent.el.end - `</${ent.el.name}>`.length;
    if (appended.length)
      replacements.push({ start: insertAt, end: insertAt, text: appended.join('') });
    add('Entities', applyEdits(ent.src, replacements, ent.el.start, ent.el.end));
  }

  // relationships: one file per table, each relationship defined once and referenced elsewhere
  const rels = new Map<string, string>();
  for (const p of paths.filter((x) => /^Other\/Relationships(\/[^/]+)?\.xml$/i.exec(x) !== null)) {
    const r = rootOf(p);
    consumed.add(p);
    for (const c of r.el.children) {
      const name = c.attrs.Name ?? '';
      if (!rels.has(name) || c.children.length > 0) rels.set(name, r.src.slice(c.start, c.end));
    }
  }
  for (const xml of rels.values()) add('EntityRelationships', xml);

  // Other/EntityMaps.xml and Other/FieldSecurityProfiles.xml: the section's items, whole
  for (const section of ['EntityMaps', 'FieldSecurityProfiles']) {
    const p = byLower.get(`other/${section.toLowerCase()}.xml`);
    if (!p) continue;
    consumed.add(p);
    for (const item of inner(rootOf(p))) add(section, item);
  }
  readTemplates();
  readReports();

  const simple: Array<[RegExp, string]> = [
    [/^OptionSets\/[^/]+\.xml$/i, 'optionsets'],
    [/^Roles\/[^/]+\.xml$/i, 'Roles'],
    [/^Workflows\/.+\.data\.xml$/i, 'Workflows'],
    [/^WebResources\/.+\.data\.xml$/i, 'WebResources'],
    [/^PluginAssemblies\/.+\.data\.xml$/i, 'SolutionPluginAssemblies'],
    [/^SdkMessageProcessingSteps\/[^/]+\.xml$/i, 'SdkMessageProcessingSteps'],
    [/^AppModules\/[^/]+\/AppModule\.xml$/i, 'AppModules'],
    [/^AppModuleSiteMaps\/[^/]+\/AppModuleSiteMap\.xml$/i, 'AppModuleSiteMaps'],
    [/^CanvasApps\/[^/]+\.meta\.xml$/i, 'CanvasApps'],
    [/^EntityDataProviders\/[^/]+\.xml$/i, 'EntityDataProviders'],
    [/^Dashboards\/[^/]+\.xml$/i, 'Dashboards'],
    [/^Dialogs\/[^/]+\.xml$/i, 'Dialogs'],
    [/^EntityDataSources\/[^/]+\.xml$/i, 'EntityDataSources'],
  ];
  for (const p of paths) {
    if (consumed.has(p)) continue;
    const hit = simple.find(([re]) => re.exec(p) !== null);
    if (!hit) continue;
    const r = rootOf(p);
    add(hit[1], slice(r));
    // web resource content sits beside its .data.xml; the zip keeps it where <FileName> says
    if (hit[1] === 'WebResources') {
      const content = p.replace(/\.data\.xml$/i, '');
      const fileName = r.el.children
        .find((c) => c.name === 'FileName')
        ?.text.trim()
        .replace(/^\/+/, '');
      if (fileName && entries.has(content) && fileName !== content) {
        extraFiles.set(fileName, entries.get(content)!);
        consumed.add(content);
      }
    }
  }

  // fill the sections of Other/Customizations.xml
  const custSrc = text(pick(custPath));
  const cust = parseXml(custSrc, custPath);
  let out = '';
  let at = cust.start;
  const filled = new Set<string>();
  for (const sec of cust.children) {
    const items = sections.get(sec.name);
    if (!items) continue;
    filled.add(sec.name);
    out +=
      custSrc.slice(at, sec.start) +
      `<${sec.name}>` +
      sec.children.map((c) => custSrc.slice(c.start, c.end)).join('') +
      items.join('') +
      `</${sec.name}>`;
    at = sec.end;
  }
  const closeAt = cust.end - '</ImportExportXml>'.length;
  out += custSrc.slice(at, closeAt);
  for (const [name, items] of sections)
    if (!filled.has(name)) out += `<${name}>${items.join('')}</${name}>`;
  out += custSrc.slice(closeAt, cust.end);
  const customizationsXml = custSrc.slice(0, cust.start) + out + custSrc.slice(cust.end);

  const result = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  const kept = paths.filter((p) => !consumed.has(p) && !p.toLowerCase().startsWith('other/'));
  // a file kept where its name says, and a web resource moved where its <FileName> says, may land
  // on one name (or on a root file): which would count is as ambiguous as two entries in a zip
  checkUniqueEntries(
    ['solution.xml', 'customizations.xml', '[Content_Types].xml', ...kept, ...extraFiles.keys()],
    label,
  );
  result.set('solution.xml', enc.encode(solutionXml));
  result.set('customizations.xml', enc.encode(customizationsXml));
  result.set('[Content_Types].xml', enc.encode(contentTypes([...paths, ...extraFiles.keys()])));
  for (const p of kept) result.set(p, entries.get(p)!);
  for (const [p, b] of extraFiles) result.set(p, b);
  return result;

  /**
   * Templates/EmailTemplates.xml (and its Contract, KbArticle, MailMerge siblings) hold the
   * template definitions with their documents emptied; each document sits in
   * Templates/<Kind>Documents/<language>/<template id>/<element>.<ext> and goes back, as text,
   * into the element it was cut from.
   */
  function readTemplates(): void {
    // documents by their folder and element name, looked up once each
    const documents = new Map<string, string>();
    for (const p of paths) {
      const m = /^(templates\/[^/]+documents\/[^/]+\/[^/]+\/)([^/.]+)[^/]*$/.exec(p.toLowerCase());
      if (m) documents.set(m[1] + m[2], p);
    }
    for (const p of paths.filter((x) => /^Templates\/[^/]+\.xml$/i.exec(x) !== null)) {
      const group = rootOf(p);
      consumed.add(p);
      const docs = `templates/${group.el.name.replace(/Templates$/i, '')}documents/`;
      const items = group.el.children.map((t) => {
        const id = t.children.find((c) => /templateid$/i.exec(c.name) !== null)?.text.trim();
        const lang = t.children.find((c) => c.name.toLowerCase() === 'languagecode')?.text.trim();
        const xml = group.src.slice(t.start, t.end);
        if (!id || !lang) return xml;
        const dir = `${docs}${lang}/${id}/`.toLowerCase();
        const fills: Array<{ start: number; end: number; text: string }> = [];
        for (const c of t.children) {
          if (c.children.length || c.text.trim()) continue;
          const doc = documents.get(dir + c.name.toLowerCase());
          if (!doc) continue;
          consumed.add(doc);
          fills.push({ start: c.start, end: c.end, text: documentText(doc) });
        }
        let out = '';
        let at = t.start;
        for (const f of fills) {
          const c = t.children.find((x) => x.start === f.start)!;
          out += group.src.slice(at, f.start) + `<${c.name}>${escapeXml(f.text)}</${c.name}>`;
          at = f.end;
        }
        return out + group.src.slice(at, t.end);
      });
      add('Templates', `<${group.el.name}>${items.join('')}</${group.el.name}>`);
    }
  }

  /**
   * A template document as the element held it: an .xsl as written; an .xml that SolutionPackager
   * indented (it starts with a declaration) without the declaration and the indentation.
   */
  function documentText(p: string): string {
    const t = text(p).replace(/^\ufeff/, '');
    if (!/\.xml$/i.exec(p) || !/^<\?xml[^>]*\?>/.exec(t)) return t;
    return t
      .replace(/^<\?xml[^>]*\?>/, '')
      .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
      .map((part, i) => (i % 2 ? part : part.replace(/>\s+</g, '><')))
      .join('')
      .trim();
  }

  /**
   * Reports/ReportSignatureIdMappings.xml first, then each Reports/<language>/<id>/<file>.data.xml
   * (the <Report>); its .rdl beside it goes back where <ExportedFileName> says.
   */
  function readReports(): void {
    const mappings = byLower.get('reports/reportsignatureidmappings.xml');
    if (mappings) {
      consumed.add(mappings);
      add('Reports', slice(rootOf(mappings)));
    }
    for (const p of paths.filter((x) => /^Reports\/.+\.data\.xml$/i.exec(x) !== null)) {
      const r = rootOf(p);
      consumed.add(p);
      add('Reports', slice(r));
      const content = p.replace(/\.data\.xml$/i, '');
      const exported = r.el.children
        .find((c) => c.name === 'ExportedFileName')
        ?.text.trim()
        .replace(/^\/+/, '');
      if (exported && entries.has(content)) {
        extraFiles.set(exported, entries.get(content)!);
        consumed.add(content);
      }
    }
  }
}

/** An OPC [Content_Types].xml naming the extensions present, as solution exports carry. */
export function contentTypes(paths: string[]): string {
  const exts = new Set(['xml']);
  for (const p of paths) {
    const m = /\.([A-Za-z0-9]+)$/.exec(p.split('/').pop() ?? '');
    if (m) exts.add(m[1].toLowerCase());
  }
  const defaults = [...exts]
    .sort()
    .map((e) => `<Default Extension="${e}" ContentType="application/octet-stream" />`)
    .join('');
  return (
    '\ufeff<?xml version="1.0" encoding="utf-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `${defaults}</Types>`
  );
}
