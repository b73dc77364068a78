import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { PackageError } from '../model/errors.js';
import { checkEntryName, tooLarge, tooManyEntries, type PackageLimits } from './limits.js';
import { checkUniqueEntries } from './unique-entries.js';

/**
 * Reading packages from the file system without trusting it. A package folder is walked without
 * following a single symbolic link: a link is refused wherever it points (docs/decisions.md, 35),
 * and so is anything that is neither a file nor a folder (a FIFO would block the read forever, a
 * device like /dev/zero never ends). Every file is read only up to what the size limit leaves,
 * counting the bytes as they come rather than trusting the size the file system reports.
 *
 * A file swapped for a link or a FIFO after the listing is still refused (it is opened with
 * O_NOFOLLOW and checked with fstat). A folder swapped for a link in that instant is not: Node
 * has no openat, so the folder is taken as not changing while it is read.
 */

/** Opened without following a link, and without waiting on a FIFO that appeared since. */
const NO_FOLLOW = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The files of an unpacked package folder, by their path inside it (with `/` separators). */
export function readFolderEntries(dir: string, limits: PackageLimits): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  let seen = 0;
  let total = 0;
  const walk = (folder: string, prefix: string): void => {
    const listing = listFolder(folder);
    seen += listing.length;
    // folders count too: a million empty ones would take as long to walk as a million files
    if (seen > limits.maxEntries) throw tooManyEntries(dir, seen, limits);
    for (const d of listing) {
      const path = join(folder, d.name);
      const rel = prefix + d.name;
      if (d.isSymbolicLink()) throw linkForbidden(dir, rel, path);
      if (d.isDirectory()) {
        walk(path, `${rel}/`);
        continue;
      }
      if (!d.isFile()) throw specialFile(dir, rel, d);
      checkEntryName(rel, dir);
      const data = readBounded(path, dir, rel, limits.maxTotalBytes - total, true);
      if (typeof data === 'number') throw tooLarge(dir, total + data, limits);
      total += data.length;
      entries.set(rel, data);
    }
  };
  walk(dir, '');
  checkUniqueEntries(entries.keys(), dir);
  return entries;
}

/**
 * A package file named on the command line: the path may be a link (the user chose it), but
 * what it leads to must be a regular file, read up to the size limit.
 */
export function readPackageFile(path: string, limits: PackageLimits, label: string): Uint8Array {
  const data = readBounded(path, path, '', limits.maxTotalBytes, false);
  if (typeof data === 'number') throw tooLarge(label, data, limits);
  return data;
}

/**
 * A folder's entries, sorted by name, with their types as the listing gives them (lstat's:
 * a link is a link, whatever it points at).
 */
function listFolder(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (e) {
    throw unreadable(folder, '', e);
  }
}

/**
 * At most `budget` bytes of a regular file; when it holds more, the number of bytes it was seen
 * to hold. `noFollow`: refuse a link even if one replaced the file since it was listed.
 */
function readBounded(
  path: string,
  root: string,
  rel: string,
  budget: number,
  noFollow: boolean,
): Uint8Array | number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (noFollow ? NO_FOLLOW : (constants.O_NONBLOCK ?? 0)));
  } catch (e) {
    if ((e as { code?: string }).code === 'ELOOP' && noFollow) throw linkForbidden(root, rel, path);
    throw unreadable(root, rel, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw specialFile(root, rel, st);
    if (st.size > budget) return st.size;
    // one read when the reported size is right; the extra byte shows a file longer than reported
    let buf = new Uint8Array(st.size + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > budget) return length;
        const bigger = new Uint8Array(Math.min(buf.length * 2, budget + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return length > budget ? length : buf.subarray(0, length);
  } catch (e) {
    if (e instanceof PackageError) throw e;
    throw unreadable(root, rel, e);
  } finally {
    closeSync(fd);
  }
}

function shown(root: string, rel: string): string {
  return rel ? join(root, rel) : root;
}

function linkForbidden(root: string, rel: string, path: string): PackageError {
  let target = '';
  try {
    target = readlinkSync(path);
  } catch {
    // the link vanished or cannot be read: the message names it without its target
  }
  return new PackageError(
    'PACKAGE_LINK_FORBIDDEN',
    `${shown(root, rel)} is a symbolic link${target ? ` to ${target}` : ''}; strata does not ` +
      'follow links inside a package folder.',
    {
      hint:
        'Replace the link with a copy of the file it points to (or remove it), ' +
        'then read the folder again.',
      details: { entry: rel, ...(target ? { target } : {}) },
    },
  );
}

function specialFile(root: string, rel: string, st: Stats | Dirent): PackageError {
  const kind = st.isFIFO()
    ? 'a FIFO (named pipe)'
    : st.isSocket()
      ? 'a socket'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : 'not a regular file';
  return new PackageError(
    'PACKAGE_SPECIAL_FILE',
    `${shown(root, rel)} is ${kind}; a package holds only files and folders.`,
    {
      hint: rel
        ? 'Remove it from the folder, then read the folder again.'
        : 'Name a solution package: a .zip or .cab file, or a folder unpacked from one.',
      details: { entry: rel || root },
    },
  );
}

function unreadable(root: string, rel: string, e: unknown): PackageError {
  const code = (e as { code?: string }).code;
  return new PackageError(
    'PACKAGE_UNREADABLE',
    `${shown(root, rel)} cannot be read: ${(e as Error).message}.`,
    {
      hint: 'Check that the file exists and that you may read it, then try again.',
      details: { entry: rel || root, ...(code ? { errno: code } : {}) },
      cause: e,
    },
  );
}
