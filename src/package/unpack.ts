import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { entry } from '../model/component.js';
import { PackageError, StrataError } from '../model/errors.js';
import { packageEntry, readPackage, type ReadOptions, type SolutionPackage } from './read.js';
import { child, childText, parseXml, type XmlElement } from './xml.js';

/**
 * `strata unpack`: a solution package into SolutionPackager's folder layout, the inverse of
 * `assembleSolutionPackagerFolder` (solution-packager.ts):
 *
 *   Other/Solution.xml, Other/Customizations.xml (the split sections left empty),
 *   Other/Relationships/<table>.xml, Entities/<Table>/Entity.xml with FormXml/<type>/{id}.xml,
 *   SavedQueries/{id}.xml, RibbonDiff.xml and Visualizations/{id}.xml beside it, OptionSets/,
 *   Roles/, Workflows/*.data.xml, WebResources/*.data.xml, PluginAssemblies/*.data.xml,
 *   SdkMessageProcessingSteps/, AppModules/, AppModuleSiteMaps/, CanvasApps/*.meta.xml,
 *   EntityDataProviders/, Dashboards/; every other file where the zip had it.
 *
 * Fragments are cut from the package byte for byte, so the folder reads back into the same model
 * as the package (test/pack-unpack.test.ts proves it for every real fixture).
 */
const ROOT_FILES = new Set(['solution.xml', 'customizations.xml', '[content_types].xml']);
const HEADER = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function unpackEntries(pkg: SolutionPackage): Map<string, Uint8Array> {
  const src = pkg.customizationsXml;
  const root = parseXml(src, 'customizations.xml');
  const out = new Map<string, string | Uint8Array>();
  const used = new Set<string>();
  /** a unique, safe path; names ending in _managed would read as a "both" layout's managed twin */
  const put = (dir: string, name: string, ext: string, content: string): string => {
    let base = safeName(name);
    if (base.toLowerCase().endsWith('_managed')) base += '_';
    let path = `${dir}/${base}${ext}`;
    for (let i = 2; used.has(path.toLowerCase()); i++) path = `${dir}/${base}-${i}${ext}`;
    used.add(path.toLowerCase());
    out.set(path, content);
    return path;
  };
  const slice = (el: XmlElement): string => src.slice(el.start, el.end);
  const wrap = (tag: string, inner: string): string => `${HEADER}<${tag} ${XSI}>${inner}</${tag}>`;
  const file = (inner: string): string => HEADER + inner;

  const emptied: XmlElement[] = [];
  /** package files written elsewhere in the folder (a report's .rdl, a formula beside its table) */
  const moved = new Set<string>();
  /** each table's folder, by logical name */
  const entityDirs = new Map<string, string>();
  for (const section of root.children) {
    const items = section.children;
    let split = true;
    switch (section.name) {
      case 'Entities':
        for (const e of items) unpackEntity(e);
        break;
      case 'EntityRelationships': {
        const groups = new Map<string, string[]>();
        for (const r of items) {
          const owner =
            childText(r, 'ReferencedEntityName') ??
            childText(r, 'FirstEntityName') ??
            childText(r, 'ReferencingEntityName') ??
            'Relationships';
          entry(groups, owner, () => [] as string[]).push(slice(r));
        }
        for (const [owner, xs] of groups)
          put('Other/Relationships', owner, '.xml', wrap('EntityRelationships', xs.join('')));
        break;
      }
      case 'optionsets':
        for (const o of items)
          put('OptionSets', o.attrs.Name ?? o.attrs.name ?? 'optionset', '.xml', file(slice(o)));
        break;
      case 'Roles':
        for (const r of items)
          put('Roles', r.attrs.name ?? r.attrs.id ?? 'role', '.xml', file(slice(r)));
        break;
      case 'Workflows':
        for (const w of items)
          besideFile(
            'Workflows',
            childText(w, 'XamlFileName'),
            w.attrs.WorkflowId ?? w.attrs.Name ?? 'workflow',
            w,
          );
        break;
      case 'WebResources':
        for (const w of items)
          besideFile(
            'WebResources',
            childText(w, 'FileName'),
            childText(w, 'WebResourceId') ?? childText(w, 'Name') ?? 'webresource',
            w,
          );
        break;
      case 'SolutionPluginAssemblies':
        for (const a of items)
          besideFile(
            'PluginAssemblies',
            childText(a, 'FileName'),
            a.attrs.PluginAssemblyId ?? a.attrs.FullName ?? 'assembly',
            a,
          );
        break;
      case 'SdkMessageProcessingSteps':
        for (const s of items)
          put(
            'SdkMessageProcessingSteps',
            s.attrs.SdkMessageProcessingStepId ?? s.attrs.Name ?? 'step',
            '.xml',
            file(slice(s)),
          );
        break;
      case 'AppModules':
        for (const a of items)
          put(
            `AppModules/${safeName(childText(a, 'UniqueName') ?? 'app')}`,
            'AppModule',
            '.xml',
            file(slice(a)),
          );
        break;
      case 'AppModuleSiteMaps':
        for (const m of items)
          put(
            `AppModuleSiteMaps/${safeName(childText(m, 'SiteMapUniqueName') ?? 'sitemap')}`,
            'AppModuleSiteMap',
            '.xml',
            file(slice(m)),
          );
        break;
      case 'CanvasApps':
        for (const c of items)
          put('CanvasApps', childText(c, 'Name') ?? 'canvasapp', '.meta.xml', file(slice(c)));
        break;
      case 'EntityDataProviders':
        for (const d of items)
          put(
            'EntityDataProviders',
            d.attrs.Name ?? childText(d, 'Name') ?? 'dataprovider',
            '.xml',
            file(slice(d)),
          );
        break;
      case 'EntityMaps':
      case 'FieldSecurityProfiles':
        if (items.length)
          put('Other', section.name, '.xml', wrap(section.name, items.map(slice).join('')));
        break;
      case 'Templates':
        split = items.every((g) => g.children.length > 0 || !g.text.trim());
        if (split) for (const g of items) unpackTemplates(g);
        break;
      case 'Reports':
        split = unpackReports(items);
        break;
      case 'Dialogs':
        for (const d of items)
          put('Dialogs', childText(d, 'FormId') ?? 'dialog', '.xml', file(slice(d)));
        break;
      case 'EntityDataSources':
        for (const d of items)
          put(
            'EntityDataSources',
            d.attrs.EntityDataSourceId ?? childText(d, 'Name') ?? 'datasource',
            '.xml',
            file(slice(d)),
          );
        break;
      case 'Dashboards':
        for (const d of items)
          put('Dashboards', childText(d, 'FormId') ?? 'dashboard', '.xml', file(slice(d)));
        break;
      default:
        split = false;
    }
    if (split) emptied.push(section);
  }

  // Other/Customizations.xml: the split sections stay, empty, in their places
  let cust = '';
  let at = 0;
  for (const s of emptied) {
    cust += src.slice(at, s.start) + `<${s.name} />`;
    at = s.end;
  }
  cust += src.slice(at);
  out.set('Other/Customizations.xml', cust);
  out.set('Other/Solution.xml', pkg.solutionXml);

  // formula columns' definitions go beside their table, as SolutionPackager puts them
  for (const [path, bytes] of pkg.files) {
    const m = /^Formulas\/(([^/-]+)-[^/]+)$/.exec(path);
    const dir = m && entityDirs.get(m[2].toLowerCase());
    if (!dir || used.has(`${dir}/Formulas/${m[1]}`.toLowerCase())) continue;
    used.add(`${dir}/Formulas/${m[1]}`.toLowerCase());
    out.set(`${dir}/Formulas/${m[1]}`, bytes);
    moved.add(path);
  }

  // every other file of the package stays where it was
  for (const [path, bytes] of pkg.files) {
    if (ROOT_FILES.has(path.toLowerCase()) || moved.has(path)) continue;
    if (out.has(path))
      throw new PackageError(
        'PACKAGE_UNPACK_CLASH',
        `${path} is both a file of the package and a definition strata would write there.`,
        { hint: 'Rename the file in the package, or unpack it with SolutionPackager.' },
      );
    out.set(path, bytes);
  }
  const enc = new TextEncoder();
  return new Map([...out].map(([k, v]) => [k, typeof v === 'string' ? enc.encode(v) : v]));

  /**
   * Templates/<Group>.xml with each template's documents (subject, body and their presentation
   * XML) cut out into Templates/<Kind>Documents/<language>/<id>/<element>.xsl|.xml, as
   * SolutionPackager writes them. A document that starts with an XML declaration stays inline:
   * reading such a file takes the declaration for SolutionPackager's own.
   */
  function unpackTemplates(group: XmlElement): void {
    const docs = `Templates/${group.name.replace(/Templates$/, '')}Documents`;
    const templates = group.children.map((t) => {
      const id = t.children.find((c) => /templateid$/i.exec(c.name) !== null)?.text.trim();
      const lang = childText(t, 'languagecode');
      const dir = `${docs}/${lang}/${id}/`;
      // the folder names must read back as the id and language they are
      if (
        !id ||
        !lang ||
        safeName(id) !== id ||
        safeName(lang) !== lang ||
        used.has(dir.toLowerCase())
      )
        return slice(t);
      used.add(dir.toLowerCase());
      let xml = '';
      let at = t.start;
      for (const c of t.children) {
        const ext = /^(subject|body)$/i.exec(c.name)
          ? '.xsl'
          : /presentationxml$/i.exec(c.name)
            ? '.xml'
            : undefined;
        if (!ext || c.children.length || !c.text.trim()) continue;
        if (ext === '.xml' && c.text.trimStart().startsWith('<?xml')) continue;
        out.set(`${dir}${c.name}${ext}`, c.text);
        xml += src.slice(at, c.start) + `<${c.name}></${c.name}>`;
        at = c.end;
      }
      return xml + src.slice(at, t.end);
    });
    put('Templates', group.name, '.xml', wrap(group.name, templates.join('')));
  }

  /**
   * Reports/ReportSignatureIdMappings.xml, and each report as
   * Reports/<language>/<id>/<file name>.data.xml with its .rdl beside it. Reports whose
   * identity or file cannot be read stay in Customizations.xml (false).
   */
  function unpackReports(items: XmlElement[]): boolean {
    const mappings = items.filter((r) => r.name === 'ReportSignatureIdMappings');
    const reports = items.filter((r) => r.name === 'Report');
    const content = (r: XmlElement): string | undefined =>
      childText(r, 'ExportedFileName')?.replace(/^\/+/, '');
    if (
      mappings.length > 1 ||
      mappings.length + reports.length !== items.length ||
      !reports.every((r) => childText(r, 'reportid') && childText(r, 'filename'))
    )
      return false;
    if (mappings.length)
      put('Reports', 'ReportSignatureIdMappings', '.xml', file(slice(mappings[0])));
    for (const r of reports) {
      const dir = `Reports/${safeName(childText(r, 'languagecode') ?? '0')}/${safeName(childText(r, 'reportid')!)}`;
      const name = safeName(childText(r, 'filename')!);
      const data = put(dir, name, '.data.xml', file(slice(r)));
      const rdl = content(r);
      const bytes = rdl === undefined ? undefined : pkg.files.get(rdl);
      const beside = data.replace(/\.data\.xml$/, '');
      if (rdl && bytes && !moved.has(rdl) && !used.has(beside.toLowerCase())) {
        used.add(beside.toLowerCase());
        out.set(beside, bytes);
        moved.add(rdl);
      }
    }
    return true;
  }

  /** Definitions whose content is a file of its own: `<file>.data.xml` beside that file. */
  function besideFile(
    dir: string,
    fileName: string | undefined,
    fallback: string,
    el: XmlElement,
  ): void {
    const f = fileName?.trim().replace(/\\/g, '/').replace(/^\/+/, '');
    if (
      f &&
      f.toLowerCase().startsWith(`${dir.toLowerCase()}/`) &&
      !used.has(`${f}.data.xml`.toLowerCase())
    ) {
      used.add(`${f}.data.xml`.toLowerCase());
      out.set(`${f}.data.xml`, file(slice(el)));
    } else {
      put(dir, fallback, '.data.xml', file(slice(el)));
    }
  }

  function unpackEntity(e: XmlElement): void {
    const name = child(e, 'Name')?.text.trim() || 'Entity';
    let dir = `Entities/${safeName(name)}`;
    for (let i = 2; used.has(`${dir}/entity.xml`.toLowerCase()); i++)
      dir = `Entities/${safeName(name)}-${i}`;
    const cut: XmlElement[] = [];
    const formXml = child(e, 'FormXml');
    const allForms = formXml?.children.flatMap((f) => f.children) ?? [];
    if (
      formXml &&
      allForms.length &&
      allForms.every((f) => childText(f, 'formid')) &&
      formXml.children.every((f) => f.name === 'forms')
    ) {
      for (const forms of formXml.children) {
        for (const f of forms.children)
          put(
            `${dir}/FormXml/${safeName(forms.attrs.type ?? 'main')}`,
            childText(f, 'formid')!,
            '.xml',
            wrap('forms', slice(f)),
          );
      }
      cut.push(formXml);
    }
    const sq = child(e, 'SavedQueries');
    const queries = sq?.children.flatMap((x) => x.children) ?? [];
    if (
      sq &&
      queries.length &&
      queries.every((q) => childText(q, 'savedqueryid')) &&
      sq.children.every((x) => x.name === 'savedqueries')
    ) {
      for (const q of queries)
        put(
          `${dir}/SavedQueries`,
          childText(q, 'savedqueryid')!,
          '.xml',
          wrap('savedqueries', slice(q)),
        );
      cut.push(sq);
    }
    const ribbon = child(e, 'RibbonDiffXml');
    if (ribbon) {
      put(dir, 'RibbonDiff', '.xml', file(slice(ribbon)));
      cut.push(ribbon);
    }
    const viz = child(e, 'Visualizations');
    if (
      viz &&
      viz.children.length &&
      viz.children.every((v) => childText(v, 'savedqueryvisualizationid'))
    ) {
      for (const v of viz.children)
        put(
          `${dir}/Visualizations`,
          childText(v, 'savedqueryvisualizationid')!,
          '.xml',
          file(slice(v)),
        );
      cut.push(viz);
    }
    // the entity file keeps everything else; each cut part leaves its placeholder, as
    // SolutionPackager does
    let xml = '';
    let at = e.start;
    for (const c of cut.sort((a, b) => a.start - b.start)) {
      xml += src.slice(at, c.start) + `<${c.name} />`;
      at = c.end;
    }
    xml += src.slice(at, e.end);
    used.add(`${dir}/entity.xml`.toLowerCase());
    out.set(`${dir}/Entity.xml`, file(xml));
    if (!entityDirs.has(name.toLowerCase())) entityDirs.set(name.toLowerCase(), dir);
  }
}

/** Writes `unpackEntries` to a folder. Refuses a folder that already has files, unless `force`. */
export function unpackToFolder(
  source: string | Uint8Array,
  dir: string,
  opts: ReadOptions & { force?: boolean; allowDelete?: boolean } = {},
): { files: number; pkg: SolutionPackage } {
  const pkg = readPackage(source, opts);
  const entries = unpackEntries(pkg);
  writeEntries(entries, dir, opts);
  return { files: entries.size, pkg };
}

/** `strata pack`: a SolutionPackager folder (or any readable package) into solution zip bytes. */
export function packToZip(
  source: string,
  opts: ReadOptions = {},
): { zip: Uint8Array; pkg: SolutionPackage } {
  const pkg = readPackage(source, opts);
  const entries: Record<string, Uint8Array> = {};
  // the three root files first, as exports have them
  for (const name of ['[Content_Types].xml', 'solution.xml', 'customizations.xml']) {
    const bytes = packageEntry(pkg, name);
    if (bytes) entries[name] = bytes;
  }
  for (const [k, v] of pkg.files)
    if (
      !(k in entries) &&
      !['[content_types].xml', 'solution.xml', 'customizations.xml'].includes(k.toLowerCase())
    )
      entries[k] = v;
  return { zip: zipSync(entries, { level: 6 }), pkg };
}

function safeName(s: string): string {
  const t = s
    .trim()
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '_');
  return t || '_';
}

/**
 * SolutionPackager's `/packagetype:Both` extract: an unmanaged package and its managed twin (the
 * same solution and version) into one folder. The unmanaged files are written as they are; a
 * managed file that differs is written beside its unmanaged one as `*_managed.xml`, and
 * Other/Solution.xml says <Managed>2</Managed>, so that the folder reads back as either package
 * (`variant`). Returns how many managed twins were written.
 */
export function unpackBothToFolder(
  unmanaged: string | Uint8Array,
  managed: string | Uint8Array,
  dir: string,
  opts: ReadOptions & { force?: boolean; allowDelete?: boolean } = {},
): { files: number; twins: number; pkg: SolutionPackage; managedPkg: SolutionPackage } {
  const pkg = readPackage(unmanaged, { ...opts, variant: undefined });
  const managedPkg = readPackage(managed, { ...opts, variant: undefined });
  const u = pkg.manifest;
  const m = managedPkg.manifest;
  if (u.managed || !m.managed || u.uniqueName !== m.uniqueName || u.version.text !== m.version.text)
    throw new StrataError(
      'PACKAGE_LAYOUT_INVALID',
      `--packagetype Both needs the unmanaged package and its managed twin of one solution ` +
        `version; got ${u.uniqueName} ${u.version.text} (${u.managed ? 'managed' : 'unmanaged'}) ` +
        `and ${m.uniqueName} ${m.version.text} (${m.managed ? 'managed' : 'unmanaged'}).`,
      { hint: 'Export the solution both ways (strata export NAME --unmanaged, then --managed).' },
    );
  const entries = unpackEntries(pkg);
  const managedEntries = unpackEntries(managedPkg);
  const both = (xml: Uint8Array): Uint8Array =>
    new TextEncoder().encode(
      new TextDecoder()
        .decode(xml)
        .replace(/<Managed>\s*[01]\s*<\/Managed>/, '<Managed>2</Managed>'),
    );
  const out = new Map<string, Uint8Array>();
  let twins = 0;
  for (const [path, bytes] of entries) out.set(path, bytes);
  for (const [path, bytes] of managedEntries) {
    const isSolution = path.toLowerCase() === 'other/solution.xml';
    const mine = isSolution ? both(bytes) : bytes;
    const theirs = out.get(path);
    if (isSolution) out.set(path, both(theirs!));
    const base = isSolution ? out.get(path)! : theirs;
    if (base && Buffer.from(base).equals(Buffer.from(mine))) continue;
    if (!base) {
      out.set(path, mine);
      continue;
    }
    if (!/\.xml$/i.test(path)) continue; // a binary file differs: SolutionPackager keeps one too
    out.set(path.replace(/\.xml$/i, '_managed.xml'), mine);
    twins++;
  }
  writeEntries(out, dir, opts);
  return { files: out.size, twins, pkg, managedPkg };
}

/**
 * Writes a folder's files. A folder that has files is refused unless `force`; with
 * `allowDelete`, the files there that are not written are deleted (SolutionPackager's
 * /allowDelete, for re-unpacking into a folder under source control).
 */
function writeEntries(
  entries: Map<string, Uint8Array>,
  dir: string,
  opts: { force?: boolean; allowDelete?: boolean },
): void {
  if (
    !opts.force &&
    !opts.allowDelete &&
    existsSync(dir) &&
    (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)
  ) {
    throw new StrataError(
      'UNPACK_TARGET_NOT_EMPTY',
      `${dir} already exists and is not an empty folder; nothing was written.`,
      {
        hint:
          'Unpack into a new or empty folder, or add ' +
          '--force to overwrite the files the package has.',
      },
    );
  }
  if (opts.allowDelete && existsSync(dir)) {
    const keep = new Set([...entries.keys()].map((p) => join(dir, ...p.split('/'))));
    removeOthers(dir, keep);
  }
  for (const [path, bytes] of entries) {
    const target = join(dir, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

/** Deletes the files under dir that `keep` does not list, and the folders left empty. */
function removeOthers(dir: string, keep: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      removeOthers(p, keep);
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
    } else if (!keep.has(p)) rmSync(p);
  }
}
