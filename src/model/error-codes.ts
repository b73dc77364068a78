/**
 * Every error code strata reports, declared once with its category (as TypeScript's
 * diagnosticMessages.json keeps code and category of every message in one place). The CLI's
 * exit code (cli/exit-codes.ts), the HTTP status (server/errors.ts) and the Dataverse error code
 * (server/webapi/errors.ts) are each derived from the category in one small table. The codes are
 * stable: scripts and clients rely on them, and docs/cli.md lists each one.
 */
export type ErrorCategory =
  /** the command line is wrong */
  | 'usage'
  /** a request, a plan file or an option value that cannot be used as given */
  | 'bad-request'
  /** a request body of a content type the server does not take */
  | 'unsupported-media'
  /** no API token, or one that is not valid */
  | 'unauthorized'
  /** a valid API token that may not do what was asked */
  | 'forbidden'
  /** a package that cannot be read: container, XML, manifest, limits */
  | 'bad-package'
  /** a package or request body over the size limit */
  | 'too-large'
  /** the environment, solution, component, job, ... named does not exist */
  | 'not-found'
  /** the store cannot be opened */
  | 'unavailable'
  /** refused by the lifecycle rules: dependencies, versions, holding solutions, managed
   * properties */
  | 'refused'
  /** something of that name or id is already there, or a prefix names more than one */
  | 'conflict'
  /** the environment changed since the plan was made */
  | 'changed'
  /** a condition the request set (If-Match, If-None-Match) does not hold */
  | 'precondition'
  /** an operation failed while it ran and was rolled back */
  | 'failed'
  /** a defect in strata */
  | 'internal';

const CODES = {
  USAGE: 'usage',

  BAD_REQUEST: 'bad-request',
  RECORD_COLUMN_UNKNOWN: 'bad-request',
  RECORD_VALUE_INVALID: 'bad-request',
  RECORD_VALUE_TOO_LONG: 'bad-request',
  RECORD_CHOICE_INVALID: 'bad-request',
  RECORD_REQUIRED_MISSING: 'bad-request',
  RECORD_ID_INVALID: 'bad-request',
  RECORD_KEY_UNKNOWN: 'bad-request',
  RECORD_BODY_INVALID: 'bad-request',
  PLAN_INVALID: 'bad-request',
  LOG_FORMAT_UNKNOWN: 'bad-request',
  ODATA_QUERY_INVALID: 'bad-request',
  ODATA_PROPERTY_NOT_FOUND: 'bad-request',
  DATA_FILE_INVALID: 'bad-request',
  DATA_FORMAT_UNKNOWN: 'bad-request',
  DEPLOYMENT_SETTINGS_INVALID: 'bad-request',
  ENVIRONMENT_VARIABLE_VALUE_INVALID: 'bad-request',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported-media',
  UNAUTHORIZED: 'unauthorized',
  ENVIRONMENT_CREATE_FORBIDDEN: 'forbidden',
  REQUEST_FORBIDDEN: 'forbidden',
  PROFILE_FILE_INVALID: 'bad-request',
  ENVIRONMENT_NAME_INVALID: 'bad-request',

  PACKAGE_NOT_FOUND: 'bad-package',
  PACKAGE_NOT_A_SOLUTION: 'bad-package',
  PACKAGE_CORRUPT: 'bad-package',
  PACKAGE_LAYOUT_INVALID: 'bad-package',
  PACKAGE_NESTED_ZIP: 'bad-package',
  PACKAGE_TOO_MANY_ENTRIES: 'bad-package',
  PACKAGE_BAD_ENTRY_NAME: 'bad-package',
  PACKAGE_DUPLICATE_COMPONENT: 'bad-package',
  PACKAGE_UNPACK_CLASH: 'bad-package',
  PACKAGE_DUPLICATE_ENTRY: 'bad-package',
  PACKAGE_CRC_MISMATCH: 'bad-package',
  PACKAGE_SIZE_MISMATCH: 'bad-package',
  PACKAGE_ENTRIES_OVERLAP: 'bad-package',
  PACKAGE_ENCRYPTED: 'bad-package',
  PACKAGE_LINK_FORBIDDEN: 'bad-package',
  PACKAGE_SPECIAL_FILE: 'bad-package',
  PACKAGE_UNREADABLE: 'bad-package',
  MANIFEST_INVALID: 'bad-package',
  VERSION_INVALID: 'bad-package',
  VERSION_PART_TOO_LARGE: 'bad-package',
  NAME_INVALID: 'bad-package',
  CUSTOMIZATIONS_INVALID: 'bad-package',
  XML_MALFORMED: 'bad-package',
  XML_CHAR_FORBIDDEN: 'bad-package',
  XML_TOO_DEEP: 'bad-package',
  XML_DTD_FORBIDDEN: 'bad-package',
  XML_ENTITY_FORBIDDEN: 'bad-package',
  XML_ENCODING: 'bad-package',
  CAB_BAD_HEADER: 'bad-package',
  CAB_TRUNCATED: 'bad-package',
  CAB_BAD_DATA: 'bad-package',
  CAB_CHECKSUM: 'bad-package',
  CAB_LZX_UNSUPPORTED: 'bad-package',
  CAB_COMPRESSION_UNKNOWN: 'bad-package',
  PACKAGE_TOO_LARGE: 'too-large',
  PAYLOAD_TOO_LARGE: 'too-large',
  PACKAGE_READ_TIMEOUT: 'too-large',
  PACKAGE_READ_OUT_OF_MEMORY: 'too-large',

  ENVIRONMENT_NOT_FOUND: 'not-found',
  SOLUTION_NOT_FOUND: 'not-found',
  HOLDING_NOT_FOUND: 'not-found',
  COMPONENT_NOT_FOUND: 'not-found',
  ACTIVE_LAYER_NOT_FOUND: 'not-found',
  JOB_NOT_FOUND: 'not-found',
  TOKEN_NOT_FOUND: 'not-found',
  RECORD_NOT_FOUND: 'not-found',
  REVISION_NOT_FOUND: 'not-found',
  ROUTE_NOT_FOUND: 'not-found',
  PLAN_NOT_FOUND: 'not-found',
  PROFILE_NOT_FOUND: 'not-found',
  RECORD_TABLE_NOT_FOUND: 'not-found',
  ENVIRONMENT_VARIABLE_NOT_FOUND: 'not-found',
  DATA_FILE_NOT_FOUND: 'not-found',
  ODATA_SEGMENT_NOT_FOUND: 'not-found',
  STORE_UNAVAILABLE: 'unavailable',
  STORE_IN_USE: 'unavailable',
  SERVER_UNREACHABLE: 'unavailable',
  JOB_WAIT_TIMEOUT: 'unavailable',

  MISSING_DEPENDENCIES: 'refused',
  FIRST_PARTY_SOLUTION: 'refused',
  ENVIRONMENT_VARIABLE_VALUE_MISSING: 'refused',
  DEPENDENTS_EXIST: 'refused',
  DATA_LOSS_NOT_ACCEPTED: 'refused',
  ROLLBACK_NOTHING_TO_UNDO: 'refused',
  COLUMN_TYPE_CHANGED: 'refused',
  COLUMN_VALUES_TOO_LONG: 'refused',
  VERSION_LOWER: 'refused',
  VERSION_NOT_HIGHER: 'refused',
  SOLUTION_MODE_MISMATCH: 'refused',
  HOLDING_EXISTS: 'refused',
  HOLDING_REQUIRES_MANAGED: 'refused',
  HOLDING_REQUIRES_BASE: 'refused',
  HOLDING_BASE_NOT_INSTALLED: 'refused',
  SOLUTION_HAS_PATCHES: 'refused',
  PATCH_PARENT_MISSING: 'refused',
  PATCH_VERSION_INVALID: 'refused',
  ROUTING_RULE_SET_ACTIVE: 'refused',
  CLONE_REQUIRES_UNMANAGED: 'refused',
  CLONE_OF_PATCH: 'refused',
  CLONE_VERSION_INVALID: 'refused',
  MANAGED_PROPERTY_FORBIDS: 'refused',
  CUSTOMIZE_PROPERTY_UNKNOWN: 'refused',
  CUSTOMIZE_VALUE_INVALID: 'refused',
  CUSTOMIZE_DEFINITION_INVALID: 'refused',
  CUSTOMIZE_NO_CHANGE: 'refused',
  EXPORT_MANAGED_AS_UNMANAGED: 'refused',
  EXPORT_MANIFEST_MISSING: 'refused',
  PLAN_PACKAGE_MISMATCH: 'refused',
  PLAN_ENVIRONMENT_MISMATCH: 'refused',
  SERVER_REFUSED: 'refused',

  ENVIRONMENT_EXISTS: 'conflict',
  RECORD_KEY_EXISTS: 'conflict',
  IMPORT_JOB_EXISTS: 'conflict',
  IMPORT_RUNNING: 'conflict',
  JOB_AMBIGUOUS: 'conflict',
  TOKEN_AMBIGUOUS: 'conflict',
  UNPACK_TARGET_NOT_EMPTY: 'conflict',
  ENVIRONMENT_CHANGED: 'changed',
  RECORD_ALREADY_EXISTS: 'precondition',
  RECORD_VERSION_MISMATCH: 'precondition',

  IMPORT_FAILED: 'failed',
  LIFECYCLE_FAILED: 'failed',
  CLONE_FAILED: 'failed',
  JOB_INTERRUPTED: 'failed',
  FAULT_INJECTED: 'failed',
  INTERNAL: 'internal',
  SERVER_ERROR: 'internal',
  SERVER_ANSWER_INVALID: 'internal',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof CODES;

/** The codes of one category, as a type: `CodeOf<'bad-package'>`. */
export type CodeOf<C extends ErrorCategory> = {
  [K in ErrorCode]: (typeof CODES)[K] extends C ? K : never;
}[ErrorCode];

export const ERROR_CODES: readonly ErrorCode[] = Object.keys(CODES) as ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(CODES, code);
}

/** The category of a code; a string that is no declared code (read back from a log) is internal. */
export function categoryOf(code: string): ErrorCategory {
  return isErrorCode(code) ? CODES[code] : 'internal';
}
