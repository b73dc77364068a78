import type { ColumnShape, TableShape } from '../../src/model/table-shape.js';

/**
 * Two small tables for the record query tests: account, with a column of every kind, and
 * contact, which account's lookups point to.
 */
const col = (name: string, kind: ColumnShape['kind'], more: Partial<ColumnShape> = {}) =>
  ({ name, kind, type: kind, required: false, ...more }) as ColumnShape;

export const ACCOUNT: TableShape = {
  name: 'account',
  entitySetName: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  ownership: 'user',
  keys: [],
  columns: [
    col('accountid', 'id', { type: 'primarykey' }),
    col('createdon', 'datetime', { behavior: 'UserLocal', system: true }),
    col('customerid', 'lookup', { type: 'customer', targets: ['account', 'contact'] }),
    col('description', 'text', { type: 'memo' }),
    col('donotemail', 'boolean', { type: 'bit' }),
    col('exchangerate', 'decimal', { precision: 10 }),
    col('industrycode', 'choice', { type: 'picklist', options: [1, 2, 3] }),
    col('latitude', 'float'),
    col('name', 'text', { type: 'nvarchar', maxLength: 160 }),
    col('new_birthday', 'datetime', { behavior: 'DateOnly' }),
    col('new_colors', 'choices', { type: 'multiselectpicklist', options: [1, 2, 3, 4] }),
    col('new_document', 'file'),
    col('new_externalid', 'uuid', { type: 'uniqueidentifier' }),
    col('new_localtime', 'datetime', { behavior: 'TimeZoneIndependent' }),
    col('new_population', 'bigint'),
    col('numberofemployees', 'integer', { type: 'int' }),
    col('primarycontactid', 'lookup', { targets: ['contact'] }),
    col('revenue', 'money', { precision: 4 }),
    col('versionnumber', 'bigint', { system: true }),
  ],
};

export const CONTACT: TableShape = {
  name: 'contact',
  entitySetName: 'contacts',
  primaryId: 'contactid',
  primaryName: 'fullname',
  ownership: 'user',
  keys: [],
  columns: [
    col('contactid', 'id', { type: 'primarykey' }),
    col('annualincome', 'money'),
    col('fullname', 'text', { type: 'nvarchar', maxLength: 160 }),
    col('parentcustomerid', 'lookup', { type: 'customer', targets: ['account', 'contact'] }),
    col('versionnumber', 'bigint', { system: true }),
  ],
};

export const shapeOf = (table: string): TableShape | undefined =>
  table === 'account' ? ACCOUNT : table === 'contact' ? CONTACT : undefined;
