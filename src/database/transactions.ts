import { AsyncLocalStorage } from 'node:async_hooks';
import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** What a repository sends its SQL through. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * Request-scoped transactions: `run(work)` opens one, and every query a repository sends through `db` while the
 * work runs (however deep the calls) joins it, through AsyncLocalStorage, instead of a transaction handle passed
 * from the service through every call. Outside `run`, `db` is the pool. A `run` inside a `run` joins the outer
 * transaction.
 */
@Injectable()
export class Transactions {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    return this.dataSource.transaction((m) => this.current.run(m, work));
  }

  /** The current transaction, or the pool. */
  get db(): Queryable {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }
}

@Global()
@Module({ providers: [Transactions], exports: [Transactions] })
export class TransactionsModule {}
