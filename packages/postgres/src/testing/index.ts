// Real PostgreSQL clusters for tests and benchmarks
export {
  freePort,
  PG_BIN,
  type PgCluster,
  type StandbyOptions,
  type StartOptions,
  startPgCluster,
  startStandby,
} from './pg-cluster.ts';
