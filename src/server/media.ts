/** Package uploads: the raw bytes of a .zip or .cab file, under any of these content types. */
export const PACKAGE_TYPES = [
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
  'application/vnd.ms-cab-compressed',
];
