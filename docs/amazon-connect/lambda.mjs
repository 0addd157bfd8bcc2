// Caller Memory for Amazon Connect: one Lambda (Node.js 20 or later) for both ends of a contact.
//   In the inbound flow ("Invoke AWS Lambda function", parameter action = start): identifies the caller
//   and returns Caller Memory's flat answer as the Lambda's result (a flat map of strings, as Connect wants).
//   In the disconnect flow (parameter action = end): records the intent and variables of the contact.
// Environment: CM_BASE_URL (https://<your-host>/v1), CM_API_KEY (sk_prod_…).
// Optional: CM_ATTEMPT_TIMEOUT_MS (3000), CM_BUDGET_MS (6000): stay below Connect's 8 s limit.

const FLAT_KEYS = [
  'customer_ref', 'confidence', 'level', 'recommendation', 'is_returning', 'customer_name', 'open_intent',
  'open_intents', 'open_intent_count', 'attempt_count', 'last_call_at', 'last_intent', 'last_intent_status',
  'call_count', 'context', 'screen_pop_url',
];

/** What the flow gets when Caller Memory cannot answer: an unknown caller, so every branch stays safe. */
function fallback(reason) {
  const flat = Object.fromEntries(FLAT_KEYS.map((key) => [key, '']));
  const counts = { open_intent_count: '0', attempt_count: '0', call_count: '0' };
  return { ...flat, ...counts, confidence: '0', level: 'low', recommendation: 'ignore', is_returning: 'false', cm_ok: 'false', cm_error: reason };
}

/** True for answers worth one more try: the request may not have arrived, or the service was busy. */
const retryable = (status) => status === 408 || status === 429 || status >= 500;

/**
 * POSTs a body, retrying on a timeout, a network error or a retryable status until the budget is spent.
 * Safe to retry: the same call_id with the same body replays the first answer (no second call is recorded).
 */
async function post(path, body, env = process.env) {
  const attemptMs = Number(env.CM_ATTEMPT_TIMEOUT_MS ?? 3000);
  const deadline = Date.now() + Number(env.CM_BUDGET_MS ?? 6000);
  let lastError = 'no attempt';
  for (let attempt = 0; Date.now() + 250 < deadline; attempt += 1) {
    // Wait longer before each retry (0.2 s, 0.4 s, 0.8 s…): a busy or failing service gets a few attempts
    // per contact, not a burst of thousands.
    if (attempt > 0) {
      const pause = Math.min(200 * 2 ** (attempt - 1), deadline - Date.now() - 250);
      if (pause <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    try {
      const res = await fetch(`${env.CM_BASE_URL}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.CM_API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(Math.min(attemptMs, deadline - Date.now())),
      });
      const answer = await res.json();
      if (res.ok) return answer;
      lastError = `HTTP ${res.status}: ${answer.message ?? ''}`;
      if (!retryable(res.status)) break;
    } catch (error) {
      lastError = error.name === 'TimeoutError' ? 'timed out' : String(error.message ?? error);
    }
  }
  throw new Error(lastError);
}

/** The start body for a contact: its id, the caller's and the dialled number. */
function startBody(contact) {
  return {
    call_id: contact.ContactId,
    identity_hints: {
      ani: contact.CustomerEndpoint?.Address ?? '',
      dnis: contact.SystemEndpoint?.Address ?? '',
    },
  };
}

/** The end body: the contact id, the ref the start stored, and what the flow set as contact attributes. */
function endBody(contact, parameters) {
  const attributes = contact.Attributes ?? {};
  const variables = {};
  for (const [name, value] of Object.entries(attributes)) {
    // Contact attributes named cm_var_<name> become the caller's variables (cm_var_name → name).
    if (name.startsWith('cm_var_')) variables[name.slice('cm_var_'.length)] = value;
  }
  return {
    call_id: contact.ContactId,
    customer_ref: attributes.customer_ref ?? '',
    identity_hints: { ani: contact.CustomerEndpoint?.Address ?? '' },
    intent: parameters.intent ?? attributes.cm_intent ?? '',
    intent_status: parameters.intent_status ?? attributes.cm_intent_status ?? '',
    variables,
  };
}

/** The Lambda's entry point. */
export async function handler(event) {
  const contact = event.Details.ContactData;
  const parameters = event.Details.Parameters ?? {};
  if (parameters.action === 'end') {
    try {
      const answer = await post('/calls/end', endBody(contact, parameters));
      return { cm_ok: 'true', intents_updated: String(answer.intents_updated), variables_updated: String(answer.variables_updated) };
    } catch (error) {
      return { cm_ok: 'false', cm_error: error.message };
    }
  }
  try {
    const flat = await post('/calls/start?format=flat', startBody(contact));
    return { ...flat, cm_ok: 'true', cm_error: '' };
  } catch (error) {
    return fallback(error.message);
  }
}
