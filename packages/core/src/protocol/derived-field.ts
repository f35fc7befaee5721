/**
 * The field name of a query's derived score (in filters, sort, projection and facets). In a
 * module of its own, without zod, so the browser can name the field without bundling the query
 * body's classic-zod schema (which only the server parses).
 */
export const DERIVED_FIELD = '@derived';
