/**
 * The HAProxy configuration for Vitrine nodes (docs/scale-out.md § HAProxy shows the one this writes
 * for three local nodes; `npm run cluster:local` writes it). Routing by member is for cache locality
 * only — every node can serve every member — so the member comes from the path where there is one
 * (/v1/users/<id>/…), else from an X-Vitrine-Member header a client may send; a request naming no
 * member is spread round robin. Consistent hashing moves only a dead node's members when it goes.
 */

export interface HaproxyNode {
  name: string;
  host: string;
  port: number;
}

export interface HaproxyConfigOptions {
  /** where HAProxy listens for the API */
  bind: { host: string; port: number };
  nodes: readonly HaproxyNode[];
  /** HAProxy's own stats page; none when absent */
  stats?: { host: string; port: number };
}

export const MEMBER_HEADER = 'X-Vitrine-Member';

export function haproxyConfig(opts: HaproxyConfigOptions): string {
  const lines = [
    'global',
    // two file descriptors per connection: within a user session's usual limit (HAProxy refuses to start past it)
    '  maxconn 4000',
    '',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    // a request that could not connect, or whose node closed without a word (a reused connection to
    // a node just killed), is tried again on another node (redispatch). Safe for writes too: event
    // ids make a repeated batch a duplicate, item and member writes are PUTs of the whole record
    '  retries 2',
    '  retry-on conn-failure empty-response',
    '  option redispatch 1',
    '',
    'frontend vitrine',
    `  bind ${opts.bind.host}:${opts.bind.port}`,
    '  # the member a request is about: the path\'s /v1/users/<id>/ segment, else what the client says',
    `  http-request set-header ${MEMBER_HEADER} %[path,field(4,/)] if { path_beg /v1/users/ }`,
    '  default_backend nodes',
    '',
    'backend nodes',
    `  balance hdr(${MEMBER_HEADER})`,
    '  hash-type consistent',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    // a check timed out at `inter` (1 s) by default: at 300 pages/s on 2 cores every node's check did at
    // once and all three were marked DOWN for ~2 s (bench/results/cluster.md). /readyz now answers from
    // its latest dependency check (serving/readiness.ts), so only the node's own queue delays it; 3 s
    // lets a busy node answer. TODO(cluster health under overload): with page workers at 0 the check
    // still queues on the HTTP thread behind pages; not re-measured at 300 pages/s yet
    '  timeout check 3s',
    // a node is out after 2 failed checks a second apart, back after 2 good ones
    '  default-server inter 1s fall 2 rise 2',
    ...opts.nodes.map((n) => `  server ${n.name} ${n.host}:${n.port} check`),
  ];
  if (opts.stats) {
    lines.push('', 'listen stats', `  bind ${opts.stats.host}:${opts.stats.port}`, '  stats enable', '  stats uri /', '  stats refresh 2s');
  }
  return `${lines.join('\n')}\n`;
}
