import http from 'node:http';

/** Longest name `GET /hello?name=` accepts, in characters. */
export const MAX_NAME_LENGTH = 64;

// Letters, digits, spaces and a few name punctuation marks; nothing that could smuggle markup or control bytes.
const NAME_PATTERN = /^[\p{L}\p{N} .'_-]+$/u;

/** Options of {@link createServer}. */
export interface ServerOptions {
  /**
   * Answers whether `GET /readyz` reports ready; the entry point turns it off while draining on SIGTERM.
   * @default () => true
   */
  isReady?: () => boolean;
}

type Json = Record<string, unknown>;

/**
 * Creates the hello-api HTTP server without listening, so tests can bind it to port 0.
 *
 * Routes: `GET /healthz`, `GET /readyz`, `GET /hello?name=…`; any other path answers 404, any other method 405.
 * Every answer is JSON.
 * @example
 * const server = createServer();
 * server.listen(8080);
 */
export function createServer(options: ServerOptions = {}): http.Server {
  const { isReady = () => true } = options;
  return http.createServer((req, res) => {
    const [status, body, headers] = route(req.method ?? 'GET', req.url ?? '/', isReady);
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : payload);
  });
}

function route(method: string, rawUrl: string, isReady: () => boolean): [number, Json, Json?] {
  const url = new URL(rawUrl, 'http://localhost');
  const known = url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/hello';
  if (!known)
    return [404, { error: `no route for ${url.pathname}`, routes: ['/healthz', '/readyz', '/hello'] }];
  if (method !== 'GET' && method !== 'HEAD') {
    return [
      405,
      { error: `method ${method} not allowed on ${url.pathname}; use GET` },
      { allow: 'GET, HEAD' },
    ];
  }
  if (url.pathname === '/healthz') return [200, { status: 'ok' }];
  if (url.pathname === '/readyz')
    return isReady() ? [200, { status: 'ready' }] : [503, { status: 'draining' }];
  return greet(url.searchParams.get('name'));
}

function greet(rawName: string | null): [number, Json] {
  if (rawName === null) return [200, { message: 'Hello, world!' }];
  const name = rawName.trim();
  const length = [...name].length; // code points, so a name in any script gets the same cap
  if (length === 0 || length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    return [
      400,
      {
        error: 'invalid query parameter "name"',
        allowed: `1 to ${MAX_NAME_LENGTH} letters, digits, spaces or . ' _ -`,
      },
    ];
  }
  return [200, { message: `Hello, ${name}!` }];
}
