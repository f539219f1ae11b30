/** Strings ↔ dense codes, so member state stores an int32 per item, size or occasion instead of a string. */
export class Interner {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [];

  /** The code of `value`, assigned on first sight. */
  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(value, c);
      this.values.push(value);
    }
    return c;
  }

  /** The code of `value` if it has one (never assigns). */
  find(value: string): number | undefined {
    return this.codes.get(value);
  }

  /** The string of a code. */
  value(code: number): string {
    return this.values[code];
  }

  get size(): number {
    return this.values.length;
  }
}
