import type { ErrorCode } from '../model/error-codes.js';
import type { ComponentRef } from '../model/errors.js';

/**
 * Why a plan cannot be applied, as a value: every planner (import, lifecycle, clone) returns its
 * refusals in `blocked`, and the engine turns them into the StrataError the user sees. A refusal
 * says what is wrong (`code`, `message`), what to do (`hint`) and, when one component is the
 * reason, which (`component`).
 */
export interface Refusal {
  code: ErrorCode;
  message: string;
  hint?: string;
  component?: ComponentRef;
}
