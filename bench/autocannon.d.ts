// The part of autocannon 9's API the serving benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { p50: number; p90: number; p99: number; max: number; mean: number }
  interface Result {
    duration: number;
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: Array<{ method?: string; path?: string; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }>;
  }
  function autocannon(opts: Options, done: (err: Error | null, result?: Result) => void): { stop(): void };
  export default autocannon;
}
