import { customizationsLayout, type CustomizationsLayout } from '../layout.js';
import { entry } from '../../model/component.js';
import { PackageError } from '../../model/errors.js';
import { decodeText, parseXml, type XmlElement } from '../xml.js';
import { dedupe, placeComponents, ReadContext, type ParsedComponent } from './context.js';
import { resolveThroughRelationships } from './entities.js';
import { SECTION_READERS, readOpaque } from './sections.js';

export type { ParsedComponent } from './context.js';

export interface CustomizationsResult {
  components: ParsedComponent[];
  warnings: string[];
  /** the root's attributes and sections, for export */
  layout: CustomizationsLayout;
}

/** Files every package has at its root; they are the package, not components. */
const ROOT_FILES = new Set(['solution.xml', 'customizations.xml', '[content_types].xml']);

/**
 * Reads customizations.xml (and the component folders that live beside it: environment
 * variables, custom APIs) into components. Every element below a section becomes a component —
 * modelled types with their stable keys, everything else opaque but identified — and every
 * package file not claimed by a component is kept as a file component, so nothing is dropped.
 */
export function parseCustomizations(
  src: string,
  files: Map<string, Uint8Array>,
  file = 'customizations.xml',
): CustomizationsResult {
  const ctx = new ReadContext(src, file, files, true);
  const empty = new Set<XmlElement>();
  let section: XmlElement | undefined;
  let before = 0;
  // Read as the parser goes: each child of a section read one by one (sections.ts `child`) is
  // read, placed and emptied as soon as it ends; other sections when they end. The tree of the
  // whole document never exists at once (a 113 MB customizations.xml made 630 MB of it).
  const root = parseXml(src, file, {
    depth: 2,
    ended(el, ancestors) {
      if (ancestors.length === 0) return;
      checkRoot(ancestors[0], file);
      if (ancestors.length === 2) {
        const reader = SECTION_READERS[ancestors[1].name];
        if (!reader?.child) return; // read with its section
        if (ancestors[1] !== section) {
          section = ancestors[1];
          before = ctx.components.length;
        }
        reader.child(ctx, ancestors[1], el);
        placeComponents(ctx, ancestors[0], new Map([[el, ancestors[1].name]]));
        // read: only its name, attributes and offsets stay (the layout and placement use them)
        el.children = [];
        el.text = '';
        return;
      }
      // a section has ended
      const reader = SECTION_READERS[el.name];
      if (el !== section) before = ctx.components.length;
      if (!reader?.child) {
        if (reader) reader(ctx, el);
        else readUnknownSection(ctx, el);
        placeComponents(ctx, ancestors[0], new Map(el.children.map((c) => [c, el.name])));
      }
      if (ctx.components.length === before) empty.add(el);
      section = undefined;
    },
  });
  checkRoot(root, file);
  // forms name columns of other tables through relationships, often defined further down
  resolveThroughRelationships(ctx);
  if (ctx.pendingThrough.length)
    for (const c of ctx.components) if (c.requires) c.requires = dedupe(c.requires);
  readFolderComponents(ctx);
  readLeftoverFiles(ctx);
  placeComponents(ctx, root, new Map());
  checkDuplicates(ctx.components);
  return {
    components: ctx.components,
    warnings: ctx.warnings,
    layout: customizationsLayout(src, root, (s) => empty.has(s)),
  };
}

function checkRoot(root: XmlElement, file: string): void {
  if (root.name !== 'ImportExportXml') {
    throw new PackageError(
      'CUSTOMIZATIONS_INVALID',
      `${file} has root <${root.name}>, expected <ImportExportXml>.`,
      {
        hint: 'This is not a Dataverse solution customizations file; re-export the solution.',
      },
    );
  }
}

function readUnknownSection(ctx: ReadContext, section: XmlElement): void {
  if (section.children.length === 0) {
    if (section.text.trim() !== '' || Object.keys(section.attrs).length > 0) {
      ctx.add({
        type: `opaque:${section.name}`,
        key: section.name.toLowerCase(),
        name: section.name,
        el: section,
      });
    }
    return;
  }
  for (const el of section.children) readOpaque(ctx, section, el);
}

/** Components stored as folders beside customizations.xml by newer exports. */
function readFolderComponents(ctx: ReadContext): void {
  const byFolder = new Map<string, string[]>();
  for (const path of ctx.files.keys()) {
    const m = /^(environmentvariabledefinitions|customapis)\/([^/]+)\//i.exec(path);
    if (!m) continue;
    const k = `${m[1].toLowerCase()}/${m[2]}`;
    entry(byFolder, k, () => [] as string[]).push(path);
  }
  for (const [folder, paths] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, name] = folder.split('/');
    const mainName = kind === 'customapis' ? 'customapi.xml' : 'environmentvariabledefinition.xml';
    const main = paths.find((p) => p.toLowerCase().endsWith('/' + mainName));
    const type = kind === 'customapis' ? 'customapi' : 'environmentvariabledefinition';
    const text = main ? decodeText(ctx.files.get(main)!, main) : '';
    const el = main ? parseXml(text, main) : undefined;
    const key = (el?.attrs.uniquename ?? el?.attrs.schemaname ?? name).toLowerCase();
    const sub = new ReadContext(text, main ?? folder, ctx.files);
    const rest = paths.filter((p) => p !== main).sort();
    const added = sub.add({
      type,
      key,
      name: el?.attrs.uniquename ?? el?.attrs.schemaname ?? name,
      el: el ?? { name: 'folder', attrs: {}, children: [], text: '', start: 0, end: 0 },
      files: main ? [main, ...rest] : rest,
      requires: type === 'customapi' && el ? customApiRefs(el) : [],
      originFile: main ?? folder,
    });
    for (const f of added.files ?? []) ctx.claimedFiles.add(f);
    ctx.components.push(added);
    if (type === 'environmentvariabledefinition') {
      const values = rest.find((p) => /environmentvariablevalues\.json$/i.exec(p) !== null);
      if (values) {
        const vsub = new ReadContext(decodeText(ctx.files.get(values)!, values), values, ctx.files);
        const v = vsub.add({
          type: 'environmentvariablevalue',
          key,
          name: `${added.name} (value)`,
          el: { name: 'json', attrs: {}, children: [], text: '', start: 0, end: 0 },
          xml: '',
          files: [values],
          parent: { type: 'environmentvariabledefinition', key },
          requires: [{ type: 'environmentvariabledefinition', key, via: 'value of variable' }],
          originFile: values,
        });
        ctx.components.push(v);
      }
    }
  }
}

function customApiRefs(el: XmlElement): { type: string; key: string; via: string }[] {
  const bound = el.children
    .find((c) => c.name === 'boundentitylogicalname')
    ?.text.trim()
    .toLowerCase();
  return bound && bound !== 'none'
    ? [{ type: 'entity', key: bound, via: 'custom API bound table' }]
    : [];
}

function readLeftoverFiles(ctx: ReadContext): void {
  for (const path of [...ctx.files.keys()].sort()) {
    if (ctx.claimedFiles.has(path) || ROOT_FILES.has(path.toLowerCase())) continue;
    const top = path.includes('/') ? path.slice(0, path.indexOf('/')) : '(root)';
    const sub = new ReadContext('', path, ctx.files);
    const c = sub.add({
      type: `file:${top}`,
      key: path.toLowerCase(),
      name: path,
      el: { name: 'file', attrs: {}, children: [], text: '', start: 0, end: 0 },
      xml: '',
      files: [path],
      originFile: path,
    });
    ctx.components.push(c);
  }
}

function checkDuplicates(components: ParsedComponent[]): void {
  // by type, then key: no identity string per component
  const seen = new Map<string, Map<string, ParsedComponent>>();
  let kept = 0;
  for (const c of components) {
    const byKey = entry(seen, c.type, () => new Map<string, ParsedComponent>());
    const prev = byKey.get(c.key);
    if (prev && prev.hash !== c.hash) {
      throw new PackageError(
        'PACKAGE_DUPLICATE_COMPONENT',
        `The package defines ${c.type} "${c.key}" twice, with different content.`,
        {
          hint:
            'Each component may appear once in a solution package. ' +
            'Remove the duplicate and re-pack, or re-export the solution.',
          component: { type: c.type, key: c.key, name: c.name },
        },
      );
    }
    if (!prev) {
      byKey.set(c.key, c);
      kept++;
    }
  }
  // identical duplicates collapse to one
  if (kept !== components.length) {
    const keep = new Set([...seen.values()].flatMap((m) => [...m.values()]));
    let at = 0;
    for (const c of components) if (keep.has(c)) components[at++] = c;
    components.length = at;
  }
}
