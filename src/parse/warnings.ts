/**
 * Collects recoverable problems once each with a count, so a feed with 500 stray `&` gives one
 * warning line, not 500.
 */
export class Warnings {
  private readonly counts = new Map<string, number>();

  /** Records one occurrence of a problem. */
  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }

  /** The problems in the order first met, with "(N times)" when repeated. */
  list(): string[] {
    return [...this.counts].map(([message, n]) => (n > 1 ? `${message} (${n} times)` : message));
  }
}
