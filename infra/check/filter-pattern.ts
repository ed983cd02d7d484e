// A test-side evaluator for the CloudWatch Logs JSON filter-pattern syntax the stack's metric
// filters use, so the patterns can be run against sample CloudTrail events here (moto accepts
// every JSON pattern as matching, and no maintained library evaluates them). Supported:
// `{ … }`, `&&`, `||`, parentheses, `$.a.b[0].c` selectors, `=` and `!=` against "strings"
// (with `*` wildcards), bare words and numbers. Anything else throws rather than guessing.

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; path: (string | number)[]; op: '=' | '!='; value: string | number };

const TOKEN = /\s*(\{|\}|\(|\)|&&|\|\||!=|=|\$(?:\.[A-Za-z_][\w-]*|\[\d+\])+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_*][\w*.:/-]*)/y;

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < pattern.length) {
    if (/^\s*$/.test(pattern.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(pattern);
    if (!m) throw new Error(`filter pattern: cannot read "${pattern.slice(at, at + 20)}"`);
    tokens.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function parsePath(selector: string): (string | number)[] {
  return [...selector.slice(1).matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

export function parseFilterPattern(pattern: string): Node {
  const tokens = tokenize(pattern);
  let i = 0;
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('filter pattern: unexpected end');
    return t;
  };
  const expect = (t: string): void => {
    const got = next();
    if (got !== t) throw new Error(`filter pattern: expected ${t}, got ${got}`);
  };
  // || binds looser than &&.
  const or = (): Node => {
    let left = and();
    while (tokens[i] === '||') {
      i++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = term();
    while (tokens[i] === '&&') {
      i++;
      left = { kind: 'and', left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    const t = next();
    if (t === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (!t.startsWith('$')) throw new Error(`filter pattern: expected a selector, got ${t}`);
    const op = next();
    if (op !== '=' && op !== '!=') throw new Error(`filter pattern: unsupported operator ${op}`);
    const raw = next();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : /^-?\d/.test(raw) ? Number(raw) : raw;
    return { kind: 'cmp', path: parsePath(t), op, value };
  };
  expect('{');
  const root = or();
  expect('}');
  if (i !== tokens.length) throw new Error(`filter pattern: trailing ${tokens.slice(i).join(' ')}`);
  return root;
}

/** The value at a `$.a.b[0]` path, or undefined. */
export function select(event: unknown, path: (string | number)[]): unknown {
  let at: unknown = event;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

function equals(actual: unknown, expected: string | number): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && actual === expected;
  if (typeof actual !== 'string') return false;
  const re = new RegExp(`^${expected.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(actual);
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, event) && evaluate(node.right, event);
    case 'or':
      return evaluate(node.left, event) || evaluate(node.right, event);
    case 'cmp': {
      const actual = select(event, node.path);
      if (actual === undefined) return false;
      return node.op === '=' ? equals(actual, node.value) : !equals(actual, node.value);
    }
  }
}

export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  return evaluate(parseFilterPattern(pattern), event);
}

/** A `$.a.b` key of a Contributor Insights rule, read from one log event. */
export function contributorKey(selector: string, event: unknown): unknown {
  return select(event, parsePath(selector));
}
