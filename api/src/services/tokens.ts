import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { UserId } from '../domain/model.ts';

/** Who is calling, as proven by a verified access token. */
export interface Viewer {
  readonly userId: UserId;
  /** When the access token stops being valid; long-lived sockets re-check it on every subscribe. */
  readonly expiresAt: Date;
}

const ISSUER = 'parley';
const AUDIENCE = 'parley-api';

/** Signs and verifies HS256 access tokens; the algorithm is pinned on both sides. */
export class AccessTokens {
  /**
   * A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public
   * key and catches the failure, on every call (about 5% of the API's CPU under load).
   */
  readonly #secret: KeyObject;
  readonly #ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    this.#secret = createSecretKey(Buffer.from(secret, 'utf8'));
    this.#ttlSeconds = ttlSeconds;
  }

  /** A signed token for `userId`, valid for the configured lifetime from `now`. */
  sign(userId: UserId, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    return jwt.sign({ sub: userId, iat, exp: iat + this.#ttlSeconds }, this.#secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  }

  /** The viewer behind a token, or null when it is malformed, forged or expired at `now`. */
  verify(token: string, now: Date): Viewer | null {
    try {
      const payload = jwt.verify(token, this.#secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: Math.floor(now.getTime() / 1000),
      });
      if (typeof payload === 'string' || !payload.sub || payload.exp === undefined) return null;
      return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
    } catch (error) {
      if (error instanceof jwt.JsonWebTokenError) return null; // includes TokenExpiredError
      throw error;
    }
  }
}

/** Strips an optional `Bearer ` prefix from an Authorization value. */
export function bearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? (authorization.includes(' ') ? null : authorization);
}

/** A fresh 256-bit refresh token, URL-safe. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens are stored only as this SHA-256 hash. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
