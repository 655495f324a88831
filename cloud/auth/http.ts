import { z } from 'zod';

/** Shared response schemas of the auth, users, audit and control routes. */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
export const Ok = z.object({ ok: z.literal(true) });
