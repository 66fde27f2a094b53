import { builder } from './builder.ts';

/** Relay page info, shared by every connection. */
export interface PageInfoShape {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** The Relay `PageInfo` type. */
export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** One edge of a connection. */
export interface EdgeShape<T> {
  readonly node: T;
  readonly cursor: string;
}

/** A Relay connection's data before its fields resolve. */
export interface ConnectionShape<T> {
  readonly edges: readonly EdgeShape<T>[];
  readonly pageInfo: PageInfoShape;
}
