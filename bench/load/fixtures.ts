import { randomUUID } from 'node:crypto';
import { CREATE_GROUP, SIGN_UP } from './documents.ts';
import { dataOf, type HttpGql } from './http-client.ts';
import { mapConcurrent } from './pool.ts';

/** A signed-up bench user. */
export interface BenchUser {
  readonly id: string;
  readonly token: string;
}

/** A group conversation and its members (the first is its creator). */
export interface BenchConversation {
  readonly id: string;
  readonly members: readonly BenchUser[];
}

/** Signs up `count` users with unique emails. */
export function signUpUsers(http: HttpGql, count: number, label: string): Promise<BenchUser[]> {
  const run = randomUUID().slice(0, 8);
  return mapConcurrent(Array.from({ length: count }), 8, async (_, index) => {
    const response = await http.post<{
      signUp: { accessToken: string; user: { id: string } };
    }>(SIGN_UP, {
      input: {
        email: `${label}-${run}-${index}@bench.test`,
        password: 'bench-password-123',
        name: `${label} ${index}`,
      },
    });
    const { signUp } = dataOf(response, 'signUp');
    return { id: signUp.user.id, token: signUp.accessToken };
  });
}

/** `count` groups of `size` fresh users each. */
export async function createGroups(
  http: HttpGql,
  count: number,
  size: number,
  label: string,
): Promise<BenchConversation[]> {
  const users = await signUpUsers(http, count * size, label);
  return mapConcurrent(Array.from({ length: count }), 8, async (_, index) => {
    const members = users.slice(index * size, (index + 1) * size);
    const [owner, ...others] = members;
    if (!owner) throw new Error('a group needs at least one member');
    const response = await http.post<{ createGroupConversation: { id: string } }>(
      CREATE_GROUP,
      { input: { title: `${label} ${index}`, memberIds: others.map((user) => user.id) } },
      owner.token,
    );
    return { id: dataOf(response, 'createGroupConversation').createGroupConversation.id, members };
  });
}
