/** Redaction: tokens never appear in a report or a log line, evidence included. */

/** The replacement of a secret. */
export const REDACTED = '***';

/** A function replacing every occurrence of the secrets (and their URL-encoded forms) in a string. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  const list = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  if (!list.length) return (t) => t;
  return (text) => {
    let out = text;
    for (const f of list) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  };
}

/** Applies a string redactor to every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
