/**
 * Sends a JSON answer and leaves it on `res.locals.answer`, where the request log's capture reads it once
 * the answer is sent (request-log/capture.ts): the answer's validation issues on a 4xx, and the masked body
 * for organisations that keep bodies. Every JSON answer under /v1 goes out through here (the REST routes,
 * the privacy routes, the error handler). The capture used to wrap `res.json` on each request instead: an own
 * property added to every response (a new hidden class for Node's and Express's code that reads responses)
 * and two closures a request (issue 13, tenth session).
 */
import type { Response } from 'express';

/** Answers `body` as JSON with the response's status (200 unless set). */
export function sendAnswer(res: Response, body: unknown): void {
  res.locals.answer = body;
  res.json(body);
}
