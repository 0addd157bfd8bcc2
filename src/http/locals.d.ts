import type { RequestLocals } from './request-locals';

declare global {
  namespace Express {
    /** What our middleware leaves on `res.locals` for the handlers after it: its fields are RequestLocals' (request-locals.ts). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Express's Locals extended by declaration merging
    interface Locals extends RequestLocals {}
  }
}
