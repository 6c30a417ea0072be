// Waiting assertions on Playwright locators, for node's test runner (playwright-core has no
// `expect`; @playwright/test would bring its own runner and browser downloads). Each one polls
// what the page shows until it matches or its timeout passes: tests wait for behaviour, never
// for a fixed time, and no wait is unbounded.

const DEFAULT_TIMEOUT_MS = 20000;
const POLL_MS = 50;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(read, check, what, timeout = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (check(last)) return;
    } catch (err) {
      last = `error: ${err.message.split('\n')[0]}`;
    }
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeout} ms; last seen: ${JSON.stringify(last)}`);
    await sleep(POLL_MS);
  }
}

const matches = (value, expected) => (expected instanceof RegExp ? expected.test(value) : value === expected);

// One element is expected; what it shows (its text, an attribute or its class) is compared with
// `expected`, or must differ from it when negated.
function single(locator, read, expected, negate, options) {
  return until(
    () =>
      locator.evaluateAll(
        (els, r) => els.map((e) => (r.kind === 'text' ? e.textContent.trim() : e.getAttribute(r.name))),
        read,
      ),
    (values) => values.length === 1 && matches(values[0] ?? '', expected) !== negate,
    `${locator} ${negate ? 'not ' : ''}with ${read.name ?? read.kind} ${expected}`,
    options?.timeout,
  );
}

function matchers(locator, negate) {
  const not = negate ? 'not ' : '';
  return {
    toBeVisible: (o) => until(() => locator.isVisible(), (v) => v !== negate, `${locator} ${not}visible`, o?.timeout),
    toBeHidden: (o) => until(() => locator.isVisible(), (v) => v === negate, `${locator} ${not}hidden`, o?.timeout),
    toHaveCount: (n, o) => until(() => locator.count(), (v) => (v === n) !== negate, `${locator} ${not}count ${n}`, o?.timeout),
    toHaveText: (t, o) => single(locator, { kind: 'text' }, t, negate, o),
    toHaveAttribute: (name, value, o) => single(locator, { kind: 'attribute', name }, value, negate, o),
    toHaveClass: (c, o) => single(locator, { kind: 'attribute', name: 'class' }, c, negate, o),
  };
}

export function expect(locator) {
  return { ...matchers(locator, false), not: matchers(locator, true) };
}

// expect.poll(read).toBeGreaterThan(n): for values the page does not show as one element.
expect.poll = (read, options) => ({
  toBeGreaterThan: (n) => until(read, (v) => v > n, `a value greater than ${n}`, options?.timeout),
  toBe: (x) => until(read, (v) => v === x, `the value ${x}`, options?.timeout),
});
