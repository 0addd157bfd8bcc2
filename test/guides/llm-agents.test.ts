/**
 * docs/llm-agents.md: the tool definitions the guide shows are valid JSON Schema, offer only fields the
 * API's own request schemas (the OpenAPI document, from the zod wire schemas) have, accept the guide's
 * example arguments (as the zod wire schemas do), and those arguments sent as the guide says give the
 * answers it describes.
 */
import Ajv2020 from 'ajv/dist/2020';

import { endCallBody, startCallBody } from '../../src/calls/calls.schema';
import { guideBlock, guideJson } from '../support/guides';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

interface Tool {
  type: 'function';
  function: { name: string; description: string; parameters: { properties: Record<string, unknown> } };
}

const tools = () => guideJson<Tool[]>('llm-agents.md', 'tools');
const tool = (name: string) => tools().find((t) => t.function.name === name)!.function;

describe('the LLM agents guide’s tool definitions', () => {
  const ajv = new Ajv2020({ strict: true });

  it('define start_call and end_call with valid JSON Schema parameters', () => {
    expect(tools().map((t) => [t.type, t.function.name])).toEqual([
      ['function', 'start_call'],
      ['function', 'end_call'],
    ]);
    for (const t of tools()) expect(() => ajv.compile(t.function.parameters)).not.toThrow();
  });

  it('offer only fields the API’s request schemas have (the OpenAPI document)', async () => {
    const s = await listeningApp('sqlite');
    try {
      const document = (await (await fetch(`${s.origin}/openapi.json`)).json()) as { components: { schemas: Record<string, { properties: object }> } };
      const fields = (schema: string) => Object.keys(document.components.schemas[schema].properties);
      expect(fields('StartCallRequest')).toEqual(expect.arrayContaining(Object.keys(tool('start_call').parameters.properties)));
      expect(fields('EndCallRequest')).toEqual(expect.arrayContaining(Object.keys(tool('end_call').parameters.properties)));
    } finally {
      await s.close();
    }
  });

  it.each([
    ['start_call', 'start-arguments', startCallBody],
    ['end_call', 'end-arguments', endCallBody],
  ] as const)('%s accepts the guide’s example arguments, and so does the API’s wire schema', (name, block, wire) => {
    const args = JSON.parse(guideBlock('llm-agents.md', block)) as unknown;
    expect(ajv.validate(tool(name).parameters, args)).toBe(true);
    expect(wire.safeParse(args).success).toBe(true);
  });

  it('refuses arguments the API would not take (an unknown field, text for a boolean)', () => {
    expect(ajv.validate(tool('start_call').parameters, { call_id: 'x', phone: '+14155550148' })).toBe(false);
    expect(ajv.validate(tool('end_call').parameters, { call_id: 'x', intent_is_open: 'yes' })).toBe(false);
  });
});

describe.each(ENGINES)('the LLM agents guide’s tool calls on %s', (engine) => {
  let s: ListeningApp;
  beforeAll(async () => {
    s = await listeningApp(engine);
  });
  afterAll(() => s.close());

  it('give the answers the guide describes when executed as it says', async () => {
    const startArgs = guideBlock('llm-agents.md', 'start-arguments');
    const first = await s.post('/v1/calls/start?format=flat', startArgs);
    expect(first.status).toBe(200);
    expect(first.answer).toMatchObject({ recommendation: 'ignore', customer_name: '', open_intents: '', context: 'First call.' });

    const endArgs = guideBlock('llm-agents.md', 'end-arguments').replace('<customer_ref from start_call>', String(first.answer.customer_ref));
    const end = await s.post('/v1/calls/end', endArgs);
    expect([end.status, end.answer]).toEqual([200, expect.objectContaining({ intents_updated: 1, variables_updated: 2 })]);

    // A retried tool call with the same arguments returns the same answer.
    expect((await s.post('/v1/calls/end', endArgs)).answer).toEqual(end.answer);

    const next = await s.post('/v1/calls/start?format=flat', JSON.stringify({ call_id: 'conv-8b4d0e', ani: '+1 (415) 555-0148' }));
    expect(next.answer).toMatchObject({
      customer_ref: first.answer.customer_ref,
      recommendation: 'confirm',
      customer_name: 'Dana Smith',
      open_intents: 'refund_request',
      attempt_count: '1',
    });
    expect(next.answer.context).toMatch(/Wants a refund for order 77; sent the return label\.$/);
  });
});
