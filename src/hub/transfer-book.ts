import { createHash } from 'node:crypto';
import type { TransferState, TransfersPost } from '../fspiop/payloads.ts';

/** What the hub keeps of a prepare: not its ILP packet, the bulk of it — a long load keeps every transfer. */
export type TransferTerms = Pick<TransfersPost, 'transferId' | 'payerFsp' | 'payeeFsp' | 'amount' | 'condition' | 'expiration'>;

export interface TransferRecord {
  request: TransferTerms;
  requestHash: string;
  state: TransferState;
  fulfilment?: string;
  completedTimestamp?: string;
}

/** Transfers the hub has seen and their state (central-ledger's transfer and transferStateChange tables, in memory). */
export class TransferBook {
  readonly #transfers = new Map<string, TransferRecord>();

  static hash(request: TransfersPost): string {
    return createHash('sha256').update(JSON.stringify(request)).digest('hex');
  }

  get(transferId: string): TransferRecord | undefined {
    return this.#transfers.get(transferId);
  }

  reserve(request: TransfersPost): TransferRecord {
    const { transferId, payerFsp, payeeFsp, amount, condition, expiration } = request;
    const record: TransferRecord = { request: { transferId, payerFsp, payeeFsp, amount, condition, expiration }, requestHash: TransferBook.hash(request), state: 'RESERVED' };
    this.#transfers.set(request.transferId, record);
    return record;
  }

  commit(record: TransferRecord, fulfilment: string, completedTimestamp: string): void {
    record.state = 'COMMITTED';
    record.fulfilment = fulfilment;
    record.completedTimestamp = completedTimestamp;
  }

  abort(record: TransferRecord): void {
    record.state = 'ABORTED';
    record.completedTimestamp = new Date().toISOString();
  }
}
