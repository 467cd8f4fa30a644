/**
 * What a run holds outside its own process — containers, a network — while it holds it, and the
 * command that removes it by hand. A second Ctrl-C during a teardown exits at once; then the person
 * must be told what was left running and how to remove it, which only the holder knows.
 */
export interface HeldResource {
  /** What it is, for a person: "compose project conformance-3fa2c1", "minimal core conformance-core-9b0e44". */
  readonly name: string;
  /** Containers of it that exist now (created, running or stopped). */
  containers(): number;
  /** The command that removes all of it, e.g. `docker compose -p conformance-3fa2c1 down -v`. */
  readonly removeWith: string;
}

export class HeldResources {
  readonly #held = new Set<HeldResource>();

  /** Holds a resource until the returned release is called (its teardown finished, or it is left on purpose). */
  hold(resource: HeldResource): () => void {
    this.#held.add(resource);
    return () => { this.#held.delete(resource); };
  }

  list(): HeldResource[] {
    return [...this.#held];
  }

  /** Containers of every resource held now. */
  containers(): number {
    return this.list().reduce((sum, resource) => sum + resource.containers(), 0);
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** What the first Ctrl-C adds to "stopping, tearing down…": what a second one would leave behind. */
export function secondInterruptHint(held: HeldResources): string {
  if (held.list().length === 0) return '';
  const names = held.list().map((r) => r.name).join(', ');
  // Before the first container is seen (a project just created) there is no count to give, only the name.
  const count = held.containers();
  return count === 0 ? ` (press Ctrl-C again to leave what has started running: ${names})` : ` (press Ctrl-C again to leave ${plural(count, 'container')} running: ${names})`;
}

/** The lines a second Ctrl-C prints before the process exits: what is left running and the command to remove each. */
export function abandonedLines(signal: string, held: HeldResources): string[] {
  const left = held.list();
  if (left.length === 0) return [`${signal} again: exiting without finishing the teardown (nothing outside this process was left running)`];
  return [
    `${signal} again: exiting now, before the teardown finished — left running:`,
    ...left.map((r) => `  ${r.name} (${plural(r.containers(), 'container')}): remove it with \`${r.removeWith}\``),
  ];
}
