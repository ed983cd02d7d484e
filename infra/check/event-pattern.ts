// A test-side evaluator for the EventBridge event-pattern subset the stack uses: nested objects,
// lists of exact values, `$or`, and event arrays (a field matches when any element does, also
// through arrays of objects). Content filters (prefix, anything-but, numeric …) throw instead of
// being guessed at.
type Pattern = { [key: string]: Pattern | unknown[] };

/** Every value at a dotted path, descending through arrays. */
function valuesAt(event: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(event) ? event : [event];
  if (Array.isArray(event)) return event.flatMap((e) => valuesAt(e, path));
  if (event === null || typeof event !== 'object') return [];
  const [head, ...rest] = path;
  const next = (event as Record<string, unknown>)[head!];
  return next === undefined ? [] : valuesAt(next, rest);
}

function matchesAt(pattern: Pattern, event: unknown, path: string[]): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule)) throw new Error('event pattern: $or must be a list');
      return (rule as Pattern[]).some((alternative) => matchesAt(alternative, event, path));
    }
    if (Array.isArray(rule)) {
      for (const r of rule) if (r !== null && typeof r === 'object') throw new Error(`event pattern: content filter ${JSON.stringify(r)} is not supported here`);
      const found = valuesAt(event, [...path, key]);
      return found.some((v) => rule.includes(v));
    }
    if (rule !== null && typeof rule === 'object') return matchesAt(rule as Pattern, event, [...path, key]);
    throw new Error(`event pattern: ${key} must be a list or an object`);
  });
}

export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return matchesAt(pattern, event, []);
}
