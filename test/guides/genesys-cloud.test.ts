/**
 * docs/genesys-cloud.md: the two data actions the guide shows, run the way Genesys runs them against a
 * real listening service: the request template rendered from the inputs (Velocity's `${input.x}` and
 * `$esc.jsonString(…)`), the credentials in the headers, the translation map's JSONPaths applied to the real
 * answer, the success template filled and checked against the action's output contract.
 */
import Ajv2020 from 'ajv/dist/2020';

import { FLAT_FIELDS } from '../../src/calls/calls.answers';
import { atPath, guideJson } from '../support/guides';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { contractOf } from '../support/openapi-contract';
import { ENGINES } from '../support/scratch-database';

interface DataAction {
  config: {
    request: { requestUrlTemplate: string; requestType: string; headers: Record<string, string>; requestTemplate: string };
    response: { translationMap: Record<string, string>; translationMapDefaults: Record<string, string>; successTemplate: string };
  };
  contract: { input: { inputSchema: object }; output: { successSchema: object } };
}

const GUIDE_HOST = 'https://memory.example.com';

/** The few Velocity forms the actions use: `$esc.jsonString(${input.x})` and `${input.x}` / `${credentials.x}`. */
function velocity(template: string, context: Record<string, Record<string, string>>): string {
  const value = (scope: string, name: string) => context[scope]?.[name];
  return template
    .replace(/\$esc\.jsonString\(\$\{(\w+)\.(\w+)\}\)/g, (whole, scope: string, name: string) => {
      const v = value(scope, name);
      return v === undefined ? whole : JSON.stringify(v).slice(1, -1);
    })
    .replace(/\$\{(\w+)\.(\w+)\}/g, (whole, scope: string, name: string) => value(scope, name) ?? whole);
}

describe.each(ENGINES)('the Genesys Cloud guide on %s', (engine) => {
  let s: ListeningApp;
  const ajv = new Ajv2020({ strict: false });

  beforeAll(async () => {
    s = await listeningApp(engine);
  });
  afterAll(() => s.close());

  /** Runs a data action as Genesys would; returns the raw answer and the action's outputs. */
  async function run(action: DataAction, input: Record<string, string>) {
    expect(ajv.validate(action.contract.input.inputSchema, input)).toBe(true);
    const context = { input, credentials: { apiKey: s.key } };
    const { request, response } = action.config;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, velocity(value, context)]));
    const body = velocity(request.requestTemplate, context);
    expect(body).not.toContain('${');
    const res = await fetch(request.requestUrlTemplate.replace(GUIDE_HOST, s.origin), { method: request.requestType, headers, body });
    const answer = (await res.json()) as unknown;
    expect([res.status, answer]).toEqual([200, expect.anything()]);
    const variables = Object.fromEntries(
      Object.entries(response.translationMap).map(([name, path]) => {
        const found = atPath(answer, path);
        return [name, found === undefined ? response.translationMapDefaults[name] : JSON.stringify(found)];
      }),
    );
    const outputs = JSON.parse(response.successTemplate.replace(/\$\{(\w+)\}/g, (_whole, name: string) => variables[name])) as Record<string, unknown>;
    expect(ajv.validate(action.contract.output.successSchema, outputs)).toBe(true);
    return { answer, outputs, sent: { headers, body } };
  }

  it('starts the call: the flat answer becomes one string output per key', async () => {
    const contract = contractOf(JSON.stringify((await (await fetch(`${s.origin}/openapi.json`)).json()) as unknown));
    const start = guideJson<DataAction>('genesys-cloud.md', 'start-action');
    const first = await run(start, { conversationId: 'genesys-conv-1', ani: 'tel:+14155550144', dnis: 'tel:+18005550100' });
    expect(first.sent.headers.Authorization).toBe(`Bearer ${s.key}`);
    expect(contract.validator('/components/schemas/FlatStartAnswer')(first.answer)).toBe(true);
    expect(first.outputs).toEqual(first.answer);
    expect(first.outputs).toMatchObject({ recommendation: 'ignore', is_returning: 'false', call_count: '1', context: 'First call.' });
    // One output per key of the flat answer, in its order: the contract names them all.
    expect(Object.keys(first.outputs)).toEqual(FLAT_FIELDS.map((f) => f.name));
    expect(Object.keys((start.contract.output.successSchema as { properties: object }).properties)).toEqual(FLAT_FIELDS.map((f) => f.name));

    // The same inputs again (Genesys retries, or the flow passes the block twice): the first answer.
    const retried = await run(start, { conversationId: 'genesys-conv-1', ani: 'tel:+14155550144', dnis: 'tel:+18005550100' });
    expect(retried.outputs).toEqual(first.outputs);
  });

  it('ends the call with free text safely escaped, and the next start shows what it saved', async () => {
    const start = guideJson<DataAction>('genesys-cloud.md', 'start-action');
    const end = guideJson<DataAction>('genesys-cloud.md', 'end-action');
    const first = await run(start, { conversationId: 'genesys-conv-2', ani: 'tel:+14155550144', dnis: 'tel:+18005550100' });
    const ended = await run(end, {
      conversationId: 'genesys-conv-2',
      customerRef: String(first.outputs.customer_ref),
      ani: 'tel:+14155550144',
      intent: 'Billing question',
      intentStatus: '',
      customerName: 'Lee "Sam" Park',
      summary: 'Asked about the "late fee"\nwill call back',
    });
    expect(ended.outputs).toEqual({ intents_updated: 1, variables_updated: 2 });

    const next = await run(start, { conversationId: 'genesys-conv-3', ani: 'tel:+14155550144', dnis: 'tel:+18005550100' });
    expect(next.outputs).toMatchObject({
      customer_ref: first.outputs.customer_ref,
      is_returning: 'true',
      customer_name: 'Lee "Sam" Park',
      open_intent: 'billing_question',
      recommendation: 'confirm',
    });
    expect(next.outputs.context).toContain('Notes: Asked about the "late fee"');
  });

  it('sends nothing for empty inputs: no intent, no variable written', async () => {
    const start = guideJson<DataAction>('genesys-cloud.md', 'start-action');
    const end = guideJson<DataAction>('genesys-cloud.md', 'end-action');
    await run(start, { conversationId: 'genesys-conv-4', ani: 'tel:+14155550145', dnis: '' });
    const ended = await run(end, { conversationId: 'genesys-conv-4', customerRef: '', ani: 'tel:+14155550145', intent: '', intentStatus: '', customerName: '', summary: '' });
    expect(ended.outputs).toEqual({ intents_updated: 0, variables_updated: 0 });
  });
});
