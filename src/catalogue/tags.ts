/** The value of a `@name:value` scenario tag (`@guarantee:CTH-FUN-01`, `@concern:sla`, `@needs:load`). */
export function tagValue(tags: readonly string[], name: string): string | undefined {
  const prefix = `@${name}:`;
  return tags.find((tag) => tag.startsWith(prefix))?.slice(prefix.length);
}

/** A scenario's guarantee id: its `@guarantee:` tag, else its name (the catalogue, the run and the steps agree on it). */
export function guaranteeIdOf(tags: readonly string[], scenarioName: string): string {
  return tagValue(tags, 'guarantee') ?? scenarioName;
}
