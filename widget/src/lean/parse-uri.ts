/**
 * engine.io-client's URI parser (its `contrib/parseuri.js`, a large regular
 * expression kept for platforms without `URL`) rebuilt on the platform's URL
 * parser; the widget build puts it in place of the original (see
 * rollup.config.mjs). It returns the fields socket.io-client and
 * engine.io-client read. Ports are '' when they are the scheme's default, as
 * both callers then fill in.
 */
export function parse(uri: string) {
  // engine.io-client also parses a bare `host:port`
  const url = new URL(uri.includes('://') ? uri : `http://${uri}`);
  return {
    source: uri,
    protocol: url.protocol.slice(0, -1),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port,
    path: url.pathname,
    query: url.search.slice(1),
    queryKey: Object.fromEntries(url.searchParams),
  };
}
