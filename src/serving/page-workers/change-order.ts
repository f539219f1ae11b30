/**
 * The order a page worker keeps (ADR 0010, 0014): changes apply one after another, in the order the
 * HTTP thread sent them, and every read waits for the changes received before it. Since an event's 200
 * no longer waits for the workers (ADR 0014), this order is what makes the next page reflect it. A
 * change that fails leaves the worker out of service: its reads would miss that change, so they
 * fail too (the HTTP thread retires the worker on the change's error, and another worker answers).
 */
export class ChangeOrder {
  private applied: Promise<void> = Promise.resolve();
  private failure: string | undefined;

  /** Applies `change` after every change received before it; settles as it does. */
  apply(kind: string, change: () => void | Promise<void>): Promise<void> {
    const done = this.applied.then(change);
    this.applied = done.catch((err: unknown) => {
      this.failure ??= `could not apply a change (${kind}): ${err instanceof Error ? err.message : String(err)}`;
    });
    return done;
  }

  /** Resolves once every change received so far is applied; rejects if one could not be. */
  async beforeRead(): Promise<void> {
    await this.applied;
    if (this.failure) throw new Error(`page worker out of service: ${this.failure}`);
  }
}
