import { z } from 'zod';
import type { Session, User } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import { UniqueViolationError } from '../ports/store.ts';
import { conflict, unauthenticated } from './errors.ts';
import { hashPassword, type ScryptParams, verifyPassword } from './passwords.ts';
import { enforceRateLimit, type RateLimitRules } from './rate-limits.ts';
import { AccessTokens, hashRefreshToken, newRefreshToken, type Viewer } from './tokens.ts';
import { parseInput } from './validate.ts';

/** What signUp, logIn and refreshSession hand back. */
export interface AuthResult {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user: User;
}

/** Auth settings taken from config. */
export interface AuthOptions {
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly scrypt: ScryptParams;
  readonly rateLimits: RateLimitRules;
}

const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
const password = z.string().min(8, 'at least 8 characters').max(256);
const signUpInput = z.object({
  email,
  password,
  name: z.string().trim().min(1).max(80),
});
const logInInput = z.object({ email, password: z.string().min(1).max(256) });
const refreshToken = z.string().min(1).max(512);

/** Sign-up, log-in and rotating refresh-token sessions. */
export class AuthService {
  readonly #adapters: Adapters;
  readonly #options: AuthOptions;
  readonly #tokens: AccessTokens;
  /** A real hash for unknown emails, so log-in takes as long whether or not the user exists. */
  #decoyHash: Promise<string> | null = null;

  constructor(adapters: Adapters, options: AuthOptions) {
    this.#adapters = adapters;
    this.#options = options;
    this.#tokens = new AccessTokens(options.jwtSecret, options.accessTokenTtlSeconds);
  }

  /** The viewer behind an access token, or null when it is missing, forged or expired. */
  verifyAccessToken(token: string): Viewer | null {
    return this.#tokens.verify(token, this.#adapters.clock.now());
  }

  /** Creates an account and a first session. CONFLICT when the email is taken. */
  async signUp(input: unknown, clientAddress: string): Promise<AuthResult> {
    const data = parseInput(signUpInput, input);
    await enforceRateLimit(
      this.#adapters.limiter,
      `signUp:${clientAddress}`,
      this.#options.rateLimits.signUp,
    );
    const user: User = {
      id: this.#adapters.ids.next(),
      email: data.email,
      name: data.name,
      passwordHash: await hashPassword(data.password, this.#options.scrypt),
      createdAt: this.#adapters.clock.now(),
    };
    try {
      await this.#adapters.store.users.create(user);
    } catch (error) {
      if (error instanceof UniqueViolationError) throw conflict('Email is already registered');
      throw error;
    }
    return this.#issue(user, this.#adapters.ids.next());
  }

  /** Starts a new session family. UNAUTHENTICATED for any wrong email or password. */
  async logIn(input: unknown, clientAddress: string): Promise<AuthResult> {
    const data = parseInput(logInInput, input);
    await enforceRateLimit(
      this.#adapters.limiter,
      `logIn:${clientAddress}`,
      this.#options.rateLimits.logIn,
    );
    const user = await this.#adapters.store.users.findByEmail(data.email);
    if (!user) {
      this.#decoyHash ??= hashPassword('decoy password', this.#options.scrypt);
      await verifyPassword(data.password, await this.#decoyHash);
      throw unauthenticated('Invalid email or password');
    }
    if (!(await verifyPassword(data.password, user.passwordHash))) {
      throw unauthenticated('Invalid email or password');
    }
    return this.#issue(user, this.#adapters.ids.next());
  }

  /**
   * Exchanges a refresh token for a new pair. Each token works once: presenting a token that
   * was already rotated is treated as theft and revokes its whole family.
   */
  async refresh(token: unknown): Promise<AuthResult> {
    const { store, clock } = this.#adapters;
    const session = await this.#findSession(parseInput(refreshToken, token));
    const now = clock.now();
    if (!session || session.revokedAt || session.expiresAt <= now) {
      throw unauthenticated('Refresh token is invalid or expired');
    }
    // markRotated is the atomic step: of two concurrent refreshes, exactly one wins.
    if (session.rotatedAt || !(await store.sessions.markRotated(session.id, now))) {
      await store.sessions.revokeFamily(session.familyId, now);
      throw unauthenticated('Refresh token was already used; the session has been revoked');
    }
    const user = await store.users.findById(session.userId);
    if (!user) throw unauthenticated('Refresh token is invalid or expired');
    return this.#issue(user, session.familyId);
  }

  /** Revokes the refresh token's family; false when the token is unknown or already revoked. */
  async logOut(token: unknown): Promise<boolean> {
    const session = await this.#findSession(parseInput(refreshToken, token));
    if (!session || session.revokedAt) return false;
    await this.#adapters.store.sessions.revokeFamily(session.familyId, this.#adapters.clock.now());
    return true;
  }

  #findSession(token: string): Promise<Session | null> {
    return this.#adapters.store.sessions.findByTokenHash(hashRefreshToken(token));
  }

  async #issue(user: User, familyId: string): Promise<AuthResult> {
    const now = this.#adapters.clock.now();
    const refresh = newRefreshToken();
    await this.#adapters.store.sessions.create({
      id: this.#adapters.ids.next(),
      familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(refresh),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.#options.refreshTokenTtlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
    });
    return { accessToken: this.#tokens.sign(user.id, now), refreshToken: refresh, user };
  }
}
