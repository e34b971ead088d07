/**
 * The metrics label of a request path: its first segment, cut to 32
 * characters, `/` for the root and `unmatched` for a 404 — the same labels
 * as splitting the path on `/`, the way it was first written.
 */
import { describe, expect, it } from 'vitest';

import { routeLabel } from '../../src/server/http-server.js';

/** The reference: the first segment by `split`. */
function bySplit(pathname: string, status: number): string {
  if (status === 404) return 'unmatched';
  const first = pathname.split('/')[1] ?? '';
  return first === '' ? '/' : `/${first.slice(0, 32)}`;
}

describe('routeLabel', () => {
  it('labels a path by its first segment', () => {
    expect(routeLabel('/graphql', 200)).toBe('/graphql');
    expect(routeLabel('/', 200)).toBe('/');
    expect(routeLabel('/export/entities.csv', 200)).toBe('/export');
    expect(routeLabel('/health', 503)).toBe('/health');
    expect(routeLabel('/graphql', 404)).toBe('unmatched');
    expect(routeLabel(`/${'a'.repeat(40)}/x`, 200)).toBe(`/${'a'.repeat(32)}`);
  });

  it('agrees with splitting the path on "/" for every shape of path', () => {
    const paths = ['', '/', '//', '///x', '/graphql', '/graphql/', '/graphql/x/y', 'graphql', 'a/b', '/é/ü', `/${'x'.repeat(33)}`, '/metrics?x=1', '/export/a/b/c'];
    for (const path of paths) for (const status of [200, 400, 404, 500]) expect(routeLabel(path, status), `${path} ${status}`).toBe(bySplit(path, status));
  });
});
