/**
 * The one registry of Vitrine error codes. Every error the engine reports carries a code from here,
 * with its HTTP status. `docs/errors.md` lists exactly these codes (a test keeps them in sync).
 * Never reuse or renumber a retired code: add a new one.
 */
export const ERROR_CODES = {
  // request shape
  VITRINE_REQUEST_INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  VITRINE_REQUEST_INVALID: { status: 400, message: 'The request does not match the schema' },
  VITRINE_REQUEST_UNKNOWN_FIELD: { status: 400, message: 'The request has a field the API does not know' },
  VITRINE_REQUEST_TOO_LARGE: { status: 413, message: 'The request body is over the size limit' },
  VITRINE_REQUEST_BAD_ID: { status: 400, message: 'An id must be 1-128 characters of [A-Za-z0-9._:@-]' },
  VITRINE_REQUEST_UNSUPPORTED_MEDIA: { status: 415, message: 'The request body must be application/json' },
  VITRINE_ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  // auth
  VITRINE_AUTH_MISSING_KEY: { status: 401, message: 'An API key is required: Authorization: Bearer <key>' },
  VITRINE_AUTH_INVALID_KEY: { status: 401, message: 'The API key is not valid' },
  VITRINE_AUTH_FORBIDDEN: { status: 403, message: 'The API key does not have the scope this route needs' },
  // catalogue and members
  VITRINE_ITEM_NOT_FOUND: { status: 404, message: 'No such item' },
  VITRINE_ITEM_INVALID: { status: 400, message: 'The item is not valid' },
  VITRINE_USER_NOT_FOUND: { status: 404, message: 'No such member' },
  VITRINE_USER_INVALID: { status: 400, message: 'The member profile is not valid' },
  // events (reported per event in `rejected[]`, never for the whole batch)
  VITRINE_EVENT_INVALID: { status: 400, message: 'The event is not valid' },
  VITRINE_EVENT_UNKNOWN_FIELD: { status: 400, message: 'The event has a field the API does not know' },
  VITRINE_EVENT_BAD_TYPE: { status: 400, message: 'Unknown event type' },
  VITRINE_EVENT_BAD_FIT: { status: 400, message: 'fit must be small, fit or large' },
  VITRINE_EVENT_BAD_ID: { status: 400, message: 'An event, member or item id is malformed' },
  VITRINE_EVENT_BAD_TIMESTAMP: { status: 400, message: 'ts must be an ISO-8601 string or epoch milliseconds' },
  VITRINE_EVENT_TS_FUTURE: { status: 400, message: 'ts is further in the future than the clock-skew tolerance' },
  VITRINE_EVENT_MISSING_ITEM: { status: 400, message: 'This event type needs an itemId' },
  // storage
  VITRINE_STORE_BUSY: { status: 503, message: 'The store is busy; nothing from this request was written. Retry.' },
  VITRINE_STORE_FULL: { status: 503, message: 'The store is full (disk or size limit); nothing from this request was written' },
  VITRINE_STORE_UNAVAILABLE: { status: 503, message: 'The store cannot be reached' },
  VITRINE_STORE_UNKNOWN_SCHEME: { status: 500, message: 'Unknown store URL scheme' },
  VITRINE_STORE_MIGRATION_FAILED: { status: 500, message: 'A store migration failed' },
  VITRINE_STORE_SCHEMA_TOO_NEW: { status: 500, message: 'The store was written by a newer Vitrine' },
  VITRINE_STORE_CORRUPT: { status: 500, message: 'A stored record cannot be read (damaged, or written in a format this build does not know)' },
  // online member state (Redis)
  VITRINE_STATE_UNKNOWN_SCHEME: { status: 500, message: 'Unknown member-state URL (memory, redis://… or redis+cluster://…)' },
  VITRINE_STATE_UNAVAILABLE: { status: 503, message: 'The member-state Redis cannot be reached' },
  // configuration and start-up
  VITRINE_CONFIG_INVALID: { status: 500, message: 'The configuration is not valid' },
  VITRINE_CONFIG_UNSAFE_BIND: { status: 500, message: 'Refusing to listen on a non-loopback address without API keys' },
  VITRINE_SERVER_PORT_IN_USE: { status: 500, message: 'The port is already in use by another process' },
  VITRINE_SERVER_CANNOT_LISTEN: { status: 500, message: 'The server cannot listen on the address (no permission, or not an address of this machine)' },
  // import
  VITRINE_IMPORT_UNKNOWN_FORMAT: { status: 400, message: 'Unknown import format' },
  VITRINE_IMPORT_FILE_NOT_FOUND: { status: 400, message: 'The import file does not exist' },
  VITRINE_IMPORT_BAD_ROW: { status: 400, message: 'A row of the import file is not valid' },
  VITRINE_IMPORT_UNREADABLE: { status: 400, message: 'The import file cannot be read to its end (truncated or corrupt gzip, or an I/O error)' },
  // models (the model library)
  VITRINE_MODEL_EMPTY_DATA: { status: 400, message: 'There is no training data' },
  VITRINE_MODEL_UNKNOWN_USER: { status: 404, message: 'The model has never seen this member' },
  VITRINE_MODEL_UNKNOWN_ITEM: { status: 404, message: 'The model has never seen this item' },
  VITRINE_MODEL_BAD_EMBEDDING: { status: 400, message: 'An embedding has NaN/Infinity or the wrong dimension' },
  VITRINE_MODEL_BAD_PARAMS: { status: 400, message: 'The training parameters are not valid' },
  VITRINE_MODEL_TOO_LARGE: { status: 400, message: 'The catalogue is too large for this algorithm within its memory budget' },
  VITRINE_MODEL_ARTIFACT_VERSION: { status: 500, message: 'The model artifact has a format version this build cannot read' },
  VITRINE_MODEL_ARTIFACT_CORRUPT: { status: 500, message: 'The model artifact is truncated or its checksum does not match' },
  VITRINE_MODEL_UNKNOWN_ALGORITHM: { status: 400, message: 'Unknown algorithm' },
  VITRINE_MODEL_ABORTED: { status: 500, message: 'Training was aborted' },
  VITRINE_MODEL_BAD_DATA: { status: 400, message: 'The training data is inconsistent (array lengths, indexes out of range, NaN)' },
  // model lifecycle (serving: registry, activation, training jobs)
  VITRINE_MODEL_NOT_FOUND: { status: 404, message: 'No such model version' },
  VITRINE_MODEL_NOT_ACTIVATABLE: { status: 409, message: 'The model version has no artifact to serve (still training, or training failed)' },
  VITRINE_MODEL_NO_PREVIOUS: { status: 409, message: 'There is no previous model version to roll back to' },
  VITRINE_MODEL_TRAINING_BUSY: { status: 409, message: 'A training job is already running; wait for it (GET /v1/jobs/:jobId)' },
  VITRINE_JOB_NOT_FOUND: { status: 404, message: 'No such job' },
  VITRINE_JOB_NOT_RUNNING: { status: 409, message: 'The job is not running (it succeeded, failed or was cancelled)' },
  // evaluation
  VITRINE_EVAL_NO_USERS: { status: 400, message: 'The protocol leaves no member to evaluate' },
  VITRINE_EVAL_BAD_PROTOCOL: { status: 400, message: 'Unknown or badly parameterised evaluation protocol' },
  VITRINE_EVAL_BAD_OUTCOME: { status: 400, message: 'The member outcome cannot be used (horizon not observed, no usable outcome row…)' },
  VITRINE_EVAL_REPORT_CORRUPT: { status: 500, message: 'The data dir\'s stored evaluation report cannot be read' },
  // simulation
  VITRINE_SIM_BAD_OPTIONS: { status: 400, message: 'The synthetic world options are not valid' },
  VITRINE_SIM_BAD_VARIANTS: { status: 400, message: 'The simulation variants must be name=algorithm pairs, comma-separated, with unique names' },
  // merchandising and experiments (admin)
  VITRINE_CAROUSEL_NOT_FOUND: { status: 404, message: 'No such carousel' },
  VITRINE_CAROUSEL_INVALID: { status: 400, message: 'The carousel is not valid (e.g. activeTo before activeFrom)' },
  VITRINE_PAGE_NOT_FOUND: { status: 404, message: 'No such page template' },
  VITRINE_PAGE_INVALID: { status: 400, message: 'The page template is not valid (unknown row kind, carouselId on a non-curated row…)' },
  VITRINE_EXPERIMENT_NOT_FOUND: { status: 404, message: 'No such experiment' },
  VITRINE_EXPERIMENT_INVALID: { status: 400, message: 'The experiment is not valid (duplicate variant names, a label over 128 characters…)' },
  VITRINE_EXPERIMENT_BAD_WEIGHTS: { status: 400, message: 'Variant weights must be finite, non-negative and sum to a positive number' },
  VITRINE_EXPERIMENT_UNKNOWN_MODEL: { status: 400, message: 'A variant names a model that cannot serve: no such algorithm or version, or a version neither active nor previous' },
  VITRINE_EXPERIMENT_UNKNOWN_TEMPLATE: { status: 400, message: 'A variant names a page template that does not exist' },
  // internal
  VITRINE_INTERNAL_ERROR: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes raised without a stack trace: a model that never saw a member or item is cold start, not misuse.
 * Serving asks Model.knowsUser / knowsItem first (page/compose/member-query.ts) and meets these only from
 * models that do not declare them; capturing the stack was most of what such a throw cost (~8 µs, 2.3% of
 * a page's CPU for members of the whole population before that check: bench/results/serve-fresh-cpu.md).
 */
const STACKLESS: ReadonlySet<ErrorCode> = new Set(['VITRINE_MODEL_UNKNOWN_USER', 'VITRINE_MODEL_UNKNOWN_ITEM']);

/** An error with a registered code; the HTTP layer turns it into `{error: {code, message, details}}`. */
export class VitrineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown, options?: { cause?: unknown }) {
    const stackFrames = Error.stackTraceLimit;
    if (STACKLESS.has(code)) Error.stackTraceLimit = 0;
    super(message ?? ERROR_CODES[code].message, options);
    Error.stackTraceLimit = stackFrames;
    this.name = 'VitrineError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `code` is a registered error code. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
