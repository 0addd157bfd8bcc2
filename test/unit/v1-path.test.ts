/** isV1Path (request-log/capture.ts): the paths the request log records, as Express routes them under /v1. */
import { isV1Path } from '../../src/request-log/capture';

describe('isV1Path', () => {
  it.each(['/v1', '/v1/', '/V1/calls/start', '/v1/calls/end/', '/v1/customers/abc'])('counts %s as under /v1', (path) => {
    expect(isV1Path(path)).toBe(true);
  });

  it.each(['/', '/v10', '/v1x/calls', '/graphql', '/api/v1/calls', '/metrics', ''])('does not count %s', (path) => {
    expect(isV1Path(path)).toBe(false);
  });
});
