/** The Sticky Calls REST shim: POST /v1/calls/start and /v1/calls/end, run through the GraphQL mutations. */
import { Router, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';

import { AppError } from '../errors/app-error';
import { createContext } from '../graphql/context';
import { PreparedOperation } from '../graphql/execute';
import { loggableCallId, noteLog } from '../http/request-log';
import { sendAnswer } from '../http/send-answer';
import type { Logger } from '../logging/logger';
import type { ScreenPopLinks } from '../screen-pop/screen-pop-links';
import type { Services } from '../services';
import { END_CALL, START_CALL, type EndCallData, type StartCallData } from './calls.operations';
import { presentEnd, presentFlat, presentStart } from './calls.presenter';
import { endInput, hintIssues, parseOrFail, startInput } from './calls.request';
import { endCallBody, startCallBody } from './calls.schema';

/** The routes under /v1 (authenticated and body-parsed by the app). */
export function callsRoutes(schema: GraphQLSchema, services: Services, logger: Logger, links: ScreenPopLinks): Router {
  const router = Router();
  const startCall = new PreparedOperation<StartCallData>(schema, START_CALL);
  const endCall = new PreparedOperation<EndCallData>(schema, END_CALL);
  const context = (req: Request, res: Response) =>
    createContext(res.locals.em, res.locals.principal!, res.locals.requestId, logger, services, links.forRequest(req));

  // The access log names the call, whether or not the rest of the body is valid (http/request-log.ts).
  router.use((req, res, next) => {
    const callId = loggableCallId((req.body as { call_id?: unknown } | null | undefined)?.call_id);
    if (callId) noteLog(res.locals, { callId });
    next();
  });

  router.post('/calls/start', async (req: Request, res: Response) => {
    const body = parseOrFail(startCallBody, req.body, (b) => hintIssues(b, services.rules));
    const data = await startCall.run(context(req, res), { input: startInput(body) });
    sendAnswer(res, req.query.format === 'flat' ? presentFlat(data) : presentStart(data));
  });

  router.post('/calls/end', async (req: Request, res: Response) => {
    const body = parseOrFail(endCallBody, req.body);
    const data = await endCall.run(context(req, res), { input: endInput(body) });
    sendAnswer(res, presentEnd(data));
  });

  router.all(['/calls/start', '/calls/end'], () => {
    throw AppError.methodNotAllowed(['POST']);
  });
  return router;
}
