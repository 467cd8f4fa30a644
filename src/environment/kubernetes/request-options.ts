import { Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';

/**
 * Per-request options for @kubernetes/client-node: a deadline (the client sets none, and a silent
 * server would hang the run) and, where asked, another Accept (the metadata-only view).
 */
export function requestOptions(timeoutMs: number, accept?: string): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      if (accept) context.setHeaderParam('Accept', accept);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}
