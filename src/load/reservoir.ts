/** A uniform sample of a stream of unknown length (reservoir sampling): every item has the same chance to be kept. */
export class Reservoir<T> {
  readonly #size: number;
  readonly #items: T[] = [];
  #seen = 0;

  constructor(size: number) {
    this.#size = size;
  }

  offer(item: T): void {
    this.#seen += 1;
    if (this.#items.length < this.#size) this.#items.push(item);
    else {
      const index = Math.floor(Math.random() * this.#seen);
      if (index < this.#size) this.#items[index] = item;
    }
  }

  sample(): T[] {
    return [...this.#items];
  }
}
