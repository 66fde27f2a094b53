import SchemaBuilder from '@pothos/core';
import type { Context } from '../app/context.ts';

/** The one Pothos builder: configuration and root types only; fields live beside their types. */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
  };
  // Fields are non-null unless they say `nullable: true`, as in the contract.
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
