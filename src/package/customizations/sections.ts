import type { Reference } from '../../model/component.js';
import { displayTypeOf } from '../../model/component-types.js';
import { OPTION_SET_NAME, RELATIONSHIP_NAME, checkName, shown } from '../names.js';
import { child, childText, children, type XmlElement } from '../xml.js';
import type { ReadContext } from './context.js';
import { readEntity, ribbonHasContent } from './entities.js';
import { fragmentWithout, guidKey } from './fragment.js';
import { opaqueIdentity } from './opaque.js';
import { stateOf } from './state.js';

/**
 * Reads a section of customizations.xml. A section whose children are read one by one, each on
 * its own, has `child` too: parse.ts then reads each child as soon as the parser has it and
 * empties it, instead of waiting for the whole section (most of a large package).
 */
export type SectionReader = ((ctx: ReadContext, section: XmlElement) => void) & {
  child?: (ctx: ReadContext, section: XmlElement, el: XmlElement) => void;
};

const each = (
  childName: string,
  fn: (ctx: ReadContext, el: XmlElement, section: XmlElement) => void,
): SectionReader => {
  const child = (ctx: ReadContext, section: XmlElement, el: XmlElement): void => {
    if (el.name === childName) fn(ctx, el, section);
    else readOpaque(ctx, section, el);
  };
  const reader: SectionReader = (ctx, section) => {
    for (const el of section.children) child(ctx, section, el);
  };
  reader.child = child;
  return reader;
};

const entityRef = (name: string | undefined, via: string): Reference[] => {
  const n = name?.trim().toLowerCase();
  return n && n !== 'none' ? [{ type: 'entity', key: n, via }] : [];
};

/** Sections of customizations.xml strata models, by element name (case matters: `optionsets`). */
export const SECTION_READERS: Record<string, SectionReader> = {
  Entities: each('Entity', readEntity),

  Roles: each('Role', (ctx, el) => {
    const id = el.attrs.id ?? childText(el, 'RoleId');
    if (!id) return readOpaque(ctx, undefined, el, 'role');
    ctx.add({ type: 'role', key: guidKey(id), name: el.attrs.name ?? id, el });
  }),

  Workflows: each('Workflow', (ctx, el) => {
    const id = el.attrs.WorkflowId ?? childText(el, 'WorkflowId');
    if (!id) return readOpaque(ctx, undefined, el, 'workflow');
    ctx.add({
      type: 'workflow',
      key: guidKey(id),
      name: el.attrs.Name ?? id,
      el,
      files: [
        ctx.resolveFile(childText(el, 'XamlFileName')),
        ctx.resolveFile(childText(el, 'JsonFileName')),
      ],
      requires: entityRef(childText(el, 'PrimaryEntity'), 'process primary table'),
      state: stateOf('workflow', el),
      displayType: displayTypeOf('workflow', { category: childText(el, 'Category') ?? null }),
    });
  }),

  FieldSecurityProfiles: each('FieldSecurityProfile', (ctx, el) => {
    const id = el.attrs.fieldsecurityprofileid ?? childText(el, 'fieldsecurityprofileid');
    if (!id) return readOpaque(ctx, undefined, el, 'fieldsecurityprofile');
    const refs: Reference[] = [];
    for (const p of children(child(el, 'FieldPermissions'), 'FieldPermission')) {
      const e = childText(p, 'EntityName')?.toLowerCase();
      const a = childText(p, 'AttributeName')?.toLowerCase();
      if (e && a)
        refs.push({ type: 'attribute', key: ctx.columnKey(e, a), via: 'field permission' });
    }
    ctx.add({
      type: 'fieldsecurityprofile',
      key: guidKey(id),
      name: el.attrs.name ?? id,
      el,
      requires: refs,
    });
  }),

  Templates: (ctx, section) => {
    for (const group of section.children) {
      for (const t of group.children) {
        const id = childText(t, 'TemplateId') ?? t.attrs.TemplateId;
        if (group.name === 'EmailTemplates' && id) {
          ctx.add({
            type: 'emailtemplate',
            key: guidKey(id),
            name: childText(t, 'Title') ?? id,
            el: t,
          });
        } else readOpaque(ctx, group, t);
      }
      if (group.children.length === 0 && group.text.trim() !== '') readOpaque(ctx, section, group);
    }
  },

  EntityMaps: each('EntityMap', (ctx, el) => {
    const src = childText(el, 'EntitySource')?.toLowerCase() ?? '';
    const tgt = childText(el, 'EntityTarget')?.toLowerCase() ?? '';
    const refs: Reference[] = [...entityRef(src, 'map source'), ...entityRef(tgt, 'map target')];
    ctx.add({
      type: 'entitymap',
      key: `${src}->${tgt}`,
      name: `${src} → ${tgt}`,
      el,
      requires: refs,
    });
  }),

  EntityRelationships: each('EntityRelationship', (ctx, el, section) => {
    ctx.noteRelationship(section, el);
    const name = el.attrs.Name;
    if (!name) return readOpaque(ctx, undefined, el, 'relationship');
    checkName(name, RELATIONSHIP_NAME, ctx.file, { type: 'relationship', key: shown(name) });
    const kind = childText(el, 'EntityRelationshipType');
    const refs: Reference[] = [];
    if (kind === 'ManyToMany') {
      refs.push(
        ...entityRef(childText(el, 'FirstEntityName'), 'N:N first table'),
        ...entityRef(childText(el, 'SecondEntityName'), 'N:N second table'),
      );
    } else {
      const referencing = childText(el, 'ReferencingEntityName')?.toLowerCase();
      refs.push(
        ...entityRef(childText(el, 'ReferencedEntityName'), 'lookup target'),
        ...entityRef(referencing, 'lookup table'),
      );
      const attr = childText(el, 'ReferencingAttributeName')?.toLowerCase();
      if (referencing && attr)
        refs.push({
          type: 'attribute',
          key: ctx.columnKey(referencing, attr),
          via: 'lookup column',
        });
    }
    ctx.add({
      type: 'relationship',
      key: name.toLowerCase(),
      name: `${name}${kind ? ` (${kind === 'ManyToMany' ? 'N:N' : '1:N'})` : ''}`,
      el,
      requires: refs,
    });
  }),

  OrganizationSettings: (ctx, section) => {
    if (section.children.length === 0) return;
    ctx.add({
      type: 'organizationsettings',
      key: 'organization',
      name: 'Organization settings',
      el: section,
    });
  },

  optionsets: each('optionset', (ctx, el) => {
    const name = el.attrs.Name ?? childText(el, 'Name');
    if (!name) return readOpaque(ctx, undefined, el, 'optionset');
    checkName(name, OPTION_SET_NAME, ctx.file, { type: 'optionset', key: shown(name) });
    ctx.add({
      type: 'optionset',
      key: name.toLowerCase(),
      name: el.attrs.localizedName ?? name,
      el,
    });
  }),

  CustomControls: each('CustomControl', (ctx, el) => {
    const name = childText(el, 'Name');
    if (!name) return readOpaque(ctx, undefined, el, 'customcontrol');
    const file = childText(el, 'FileName');
    const folder = file ? file.replace(/^\/+/, '').replace(/[^/]*$/, '') : '';
    ctx.add({
      type: 'customcontrol',
      key: name.toLowerCase(),
      name,
      el,
      files: folder ? ctx.filesUnder(folder) : [ctx.resolveFile(file)],
    });
  }),

  SolutionPluginAssemblies: each('PluginAssembly', (ctx, el) => {
    const full = el.attrs.FullName ?? childText(el, 'FullName') ?? '';
    const short = full.split(',')[0].trim();
    if (!short) return readOpaque(ctx, undefined, el, 'pluginassembly');
    const asmRef = { type: 'pluginassembly', key: short.toLowerCase() };
    const typesEl = child(el, 'PluginTypes');
    for (const t of children(typesEl, 'PluginType')) {
      const tn = (t.attrs.AssemblyQualifiedName ?? t.attrs.Name ?? '').split(',')[0].trim();
      if (!tn) continue;
      ctx.add({
        type: 'plugintype',
        key: tn.toLowerCase(),
        name: t.attrs.Name ?? tn,
        el: t,
        parent: asmRef,
        requires: [{ ...asmRef, via: 'type of assembly' }],
      });
    }
    ctx.add({
      type: 'pluginassembly',
      key: asmRef.key,
      name: full,
      el,
      xml: fragmentWithout(
        ctx.src,
        el,
        typesEl ? typesEl.children.filter((t) => t.name === 'PluginType') : [],
        false,
      ),
      files: [ctx.resolveFile(childText(el, 'FileName'))],
    });
  }),

  SdkMessageProcessingSteps: each('SdkMessageProcessingStep', (ctx, el) => {
    const id = el.attrs.SdkMessageProcessingStepId ?? childText(el, 'SdkMessageProcessingStepId');
    if (!id) return readOpaque(ctx, undefined, el, 'sdkmessageprocessingstep');
    const stepRef = { type: 'sdkmessageprocessingstep', key: guidKey(id) };
    const imagesEl = child(el, 'SdkMessageProcessingStepImages');
    const images = children(imagesEl, 'SdkMessageProcessingStepImage');
    for (const img of images) {
      const iid =
        img.attrs.SdkMessageProcessingStepImageId ??
        childText(img, 'SdkMessageProcessingStepImageId');
      const key = iid
        ? guidKey(iid)
        : `${stepRef.key}/${childText(img, 'EntityAlias') ?? img.attrs.Name ?? img.start}`;
      ctx.add({
        type: 'sdkmessageprocessingstepimage',
        key,
        name: img.attrs.Name ?? childText(img, 'EntityAlias') ?? key,
        el: img,
        parent: stepRef,
        requires: [{ ...stepRef, via: 'image of step' }],
      });
    }
    const pluginType = (childText(el, 'PluginTypeName') ?? '').split(',')[0].trim().toLowerCase();
    const refs: Reference[] = [...entityRef(childText(el, 'PrimaryEntity'), 'step table')];
    if (pluginType) refs.push({ type: 'plugintype', key: pluginType, via: 'step plug-in type' });
    ctx.add({
      type: 'sdkmessageprocessingstep',
      key: stepRef.key,
      name: el.attrs.Name ?? id,
      el,
      xml: fragmentWithout(ctx.src, el, images, false),
      requires: refs,
      state: stateOf('sdkmessageprocessingstep', el),
    });
  }),

  AppModules: each('AppModule', (ctx, el) => {
    const name = childText(el, 'UniqueName');
    if (!name) return readOpaque(ctx, undefined, el, 'appmodule');
    const refs: Reference[] = [];
    for (const c of children(child(el, 'AppModuleComponents'), 'AppModuleComponent')) {
      if (c.attrs.type === '1' && c.attrs.schemaName)
        refs.push({ type: 'entity', key: c.attrs.schemaName.toLowerCase(), via: 'app table' });
      if (c.attrs.type === '62' && c.attrs.schemaName)
        refs.push({ type: 'sitemap', key: c.attrs.schemaName.toLowerCase(), via: 'app site map' });
    }
    const label = child(child(el, 'LocalizedNames'), 'LocalizedName')?.attrs.description;
    ctx.add({
      type: 'appmodule',
      key: name.toLowerCase(),
      name: label ? `${label} (${name})` : name,
      el,
      requires: refs,
    });
  }),

  AppModuleSiteMaps: each('AppModuleSiteMap', (ctx, el) => {
    const name = childText(el, 'SiteMapUniqueName');
    if (!name) return readOpaque(ctx, undefined, el, 'sitemap');
    ctx.add({
      type: 'sitemap',
      key: name.toLowerCase(),
      name,
      el,
      requires: siteMapRefs(child(el, 'SiteMap')),
    });
  }),

  SiteMap: (ctx, section) => {
    // the legacy application site map: one per environment
    const sm = child(section, 'SiteMap') ?? section;
    ctx.add({
      type: 'sitemap',
      key: 'sitemap',
      name: 'Application site map',
      el: section,
      requires: siteMapRefs(sm),
    });
  },

  RibbonDiffXml: (ctx, section) => {
    if (!ribbonHasContent(section)) return;
    ctx.add({ type: 'ribbon', key: 'application', name: 'Application ribbon', el: section });
  },

  WebResources: each('WebResource', (ctx, el) => {
    const name = childText(el, 'Name');
    if (!name) return readOpaque(ctx, undefined, el, 'webresource');
    ctx.add({
      type: 'webresource',
      key: name.toLowerCase(),
      name,
      el,
      files: [ctx.resolveFile(childText(el, 'FileName'))],
    });
  }),

  connectionreferences: each('connectionreference', (ctx, el) => {
    const name =
      el.attrs.connectionreferencelogicalname ?? childText(el, 'connectionreferencelogicalname');
    if (!name) return readOpaque(ctx, undefined, el, 'connectionreference');
    ctx.add({
      type: 'connectionreference',
      key: name.toLowerCase(),
      name: childText(el, 'connectionreferencedisplayname') ?? name,
      el,
    });
  }),

  EnvironmentVariableDefinitions: each('environmentvariabledefinition', (ctx, el) => {
    const name = el.attrs.schemaname ?? childText(el, 'schemaname');
    if (!name) return readOpaque(ctx, undefined, el, 'environmentvariabledefinition');
    ctx.add({ type: 'environmentvariabledefinition', key: name.toLowerCase(), name, el });
  }),

  CanvasApps: each('CanvasApp', (ctx, el) => {
    const name = childText(el, 'Name');
    if (!name) return readOpaque(ctx, undefined, el, 'canvasapp');
    const files = el.children
      .filter((c) => /Uri$/.exec(c.name) !== null && c.children.length === 0)
      .map((c) => ctx.resolveFile(c.text));
    ctx.add({
      type: 'canvasapp',
      key: name.toLowerCase(),
      name: childText(el, 'DisplayName') ?? name,
      el,
      files,
    });
  }),

  EntityDataProviders: each('EntityDataProvider', (ctx, el) => {
    const { key, name } = opaqueIdentity(el, ctx.src);
    ctx.add({ type: 'entitydataprovider', key, name, el });
  }),

  EntityDataSources: each('EntityDataSource', (ctx, el) => {
    const { key, name } = opaqueIdentity(el, ctx.src);
    ctx.add({ type: 'entitydatasource', key, name: childText(el, 'Name') ?? name, el });
  }),

  AIModels: each('AIModel', (ctx, el) => {
    const { key, name } = opaqueIdentity(el, ctx.src);
    ctx.add({ type: 'aiproject', key, name, el });
  }),

  AttributeImageConfigs: each('AttributeImageConfig', (ctx, el) => {
    const e = childText(el, 'parententitylogicalname')?.toLowerCase() ?? '';
    const a = childText(el, 'attributelogicalname')?.toLowerCase() ?? '';
    ctx.add({
      type: 'attributeimageconfig',
      key: `${e}.${a}`,
      name: `${e}.${a}`,
      el,
      requires: e && a ? [{ type: 'attribute', key: `${e}.${a}`, via: 'image column' }] : [],
    });
  }),

  EntityImageConfigs: each('EntityImageConfig', (ctx, el) => {
    const e = (childText(el, 'parententitylogicalname') ?? '').toLowerCase();
    const { key } = opaqueIdentity(el, ctx.src);
    ctx.add({
      type: 'entityimageconfig',
      key: e || key,
      name: e || key,
      el,
      requires: entityRef(e, 'image table'),
    });
  }),

  Languages: each('Language', (ctx, el) => {
    const lcid = el.text.trim();
    ctx.add({ type: 'language', key: lcid, name: `Language ${lcid}`, el });
  }),

  StoredProcedures: each('procedure', (ctx, el) => {
    const { key, name } = opaqueIdentity(el, ctx.src);
    ctx.add({
      type: 'opaque:StoredProcedures/procedure',
      key,
      name,
      el,
      files: [ctx.resolveFile(childText(el, 'file'))],
    });
  }),

  // Routing rule sets (componenttype 150). No real export was available to confirm the element
  // names; strata reads <RoutingRules><RoutingRule> with RoutingRuleId and StateCode (1 = active),
  // the routingrule table's columns (docs/decisions.md).
  RoutingRules: each('RoutingRule', (ctx, el) => {
    const id = el.attrs.RoutingRuleId ?? childText(el, 'RoutingRuleId');
    if (!id) return readOpaque(ctx, undefined, el, 'routingrule');
    ctx.add({
      type: 'routingrule',
      key: guidKey(id),
      name: childText(el, 'Name') ?? el.attrs.Name ?? id,
      el,
      state: stateOf('routingrule', el),
    });
  }),

  Dashboards: each('Dashboard', (ctx, el) => {
    const id = childText(el, 'FormId') ?? childText(el, 'formid');
    if (!id) return readOpaque(ctx, undefined, el, 'systemform');
    const label = child(child(el, 'LocalizedNames'), 'LocalizedName')?.attrs.description;
    ctx.add({
      type: 'systemform',
      key: guidKey(id),
      name: `${label ?? 'dashboard'} (dashboard)`,
      el,
    });
  }),
};

/** Site map → the tables its subareas open. */
function siteMapRefs(sm: XmlElement | undefined): Reference[] {
  const out: Reference[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === 'SubArea' && e.attrs.Entity)
      out.push({ type: 'entity', key: e.attrs.Entity.toLowerCase(), via: 'site map subarea' });
    for (const c of e.children) walk(c);
  };
  if (sm) walk(sm);
  return out;
}

/**
 * Keeps an element strata does not model as an opaque component with an identity, so nothing
 * in a package is dropped. `expected` names the modelled type whose identity could not be read.
 */
export function readOpaque(
  ctx: ReadContext,
  section: XmlElement | undefined,
  el: XmlElement,
  expected?: string,
): void {
  const { key, name } = opaqueIdentity(el, ctx.src);
  const type = `opaque:${section?.name ?? '?'}/${el.name}`;
  if (expected)
    ctx.warnings.push(
      `A ${expected} without its identifying field was ` +
        `kept as an opaque component (${el.name}, ${name}).`,
    );
  ctx.add({ type: expected ? `opaque:${expected}/${el.name}` : type, key, name, el });
}
