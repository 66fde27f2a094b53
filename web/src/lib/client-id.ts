/**
 * A fresh idempotency key for `sendMessage`. Uses getRandomValues rather than randomUUID,
 * which browsers only offer on secure origins (the app may be opened over plain http).
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
