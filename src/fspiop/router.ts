/** A minimal method + path-pattern router shared by the hub, the simulated DFSP and the callback server. */
export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

interface Route<H> {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: H;
}

export class Router<H> {
  readonly #routes: Route<H>[] = [];

  /** `path` uses `{name}` placeholders, e.g. `/parties/{type}/{id}/error`. */
  on(method: string, path: string, handler: H): this {
    const names: string[] = [];
    const source = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  /** `'bad-uri'` when the path holds a malformed percent escape. */
  match(method: string, path: string): RouteMatch<H> | 'method-not-allowed' | 'bad-uri' | undefined {
    let pathKnown = false;
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathKnown = true;
      if (route.method !== method.toUpperCase()) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1]!);
        });
      } catch {
        return 'bad-uri';
      }
      return { handler: route.handler, params };
    }
    return pathKnown ? 'method-not-allowed' : undefined;
  }
}
