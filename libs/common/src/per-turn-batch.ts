/**
 * Collects what is added during one turn of the event loop and hands it over in one piece, on
 * the next turn (`setImmediate`): under load that is everything concurrent requests and runs
 * produced meanwhile; under no load a single item, one turn later.
 */
export class PerTurnBatch<Item> {
  private pending: Item[] = [];
  private scheduled = false;

  constructor(private readonly flush: (items: Item[]) => void) {}

  add(item: Item): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const items = this.pending;
      this.pending = [];
      if (items.length > 0) this.flush(items);
    });
  }
}
