/**
 * A GraphQL Code Generator plugin that writes the schema as the minimal introspection JSON
 * Graphcache needs (`web/src/gql/schema.json`): object, interface and union shapes, so it
 * matches fragments on unions exactly and can return partial results.
 */
import { type GraphQLSchema, type IntrospectionType, introspectionFromSchema } from 'graphql';

/** Codegen plugin entry point: returns the file's content. */
export function plugin(schema: GraphQLSchema): string {
  const { __schema } = introspectionFromSchema(schema, { descriptions: false });
  const types = __schema.types.filter((type) => !type.name.startsWith('__')).map(minify);
  const minified = {
    __schema: {
      queryType: { name: __schema.queryType.name },
      mutationType: __schema.mutationType ? { name: __schema.mutationType.name } : null,
      subscriptionType: __schema.subscriptionType ? { name: __schema.subscriptionType.name } : null,
      types,
    },
  };
  return `${JSON.stringify(minified, null, 2)}\n`;
}

function minify(type: IntrospectionType): object {
  switch (type.kind) {
    case 'OBJECT':
    case 'INTERFACE':
      return {
        kind: type.kind,
        name: type.name,
        fields: type.fields.map((field) => ({
          name: field.name,
          type: field.type,
          args: field.args.map((arg) => ({ name: arg.name, type: arg.type })),
        })),
        interfaces: type.interfaces.map((iface) => ({ kind: iface.kind, name: iface.name })),
      };
    case 'UNION':
      return {
        kind: type.kind,
        name: type.name,
        possibleTypes: type.possibleTypes.map((member) => ({
          kind: member.kind,
          name: member.name,
        })),
      };
    default:
      // Scalars, enums and inputs only need to exist by name for Graphcache.
      return { kind: type.kind, name: type.name };
  }
}
