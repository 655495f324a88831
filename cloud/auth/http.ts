import { z } from 'zod';
import { ErrorBody } from '../http/errors.js';

/** Shared response schemas of the auth, users, audit and control routes (one error body: http/errors.ts). */
export { ErrorBody };
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};
export const Ok = z.object({ ok: z.literal(true) });
