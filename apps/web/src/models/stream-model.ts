/**
 * The live stream as the models see it: subscribes to the label feed, routes each event to its
 * handler, and turns the feed's state into the connection indicator (with polling while the
 * stream is down: connection-model.ts). `dispose()` unsubscribes, stops polling and closes the
 * feed.
 */
import { assertNever, type ItemUpdate } from '@lenslet/core';
import type { LabelFeed } from '../feed.ts';
import type {
  FeedEvent,
  FolderEvent,
  Hello,
  PersistenceEvent,
  PresenceEvent,
  ResyncEvent,
  TableEvent,
} from '../stream.ts';
import { createConnection } from './connection-model.ts';
import type { Report } from './errors-model.ts';

/** What to do with each kind of live event. */
export type StreamHandlers = {
  readonly hello: (hello: Hello) => void;
  readonly item: (update: ItemUpdate) => void;
  readonly presence: (counts: PresenceEvent) => void;
  readonly persistence: (state: PersistenceEvent) => void;
  readonly folder: (change: FolderEvent) => void;
  readonly resync: (reason: ResyncEvent) => void;
  readonly views: () => void;
  /** A served table was reloaded, or failed to reload. */
  readonly table: (update: TableEvent) => void;
  /** The stream was refused with 401: the server needs a token. */
  readonly unauthorized: () => void;
};

/** Hand one event to its handler; a new kind of event does not compile until it is handled. */
export function routeFeedEvent(event: FeedEvent, on: StreamHandlers): void {
  switch (event.kind) {
    case 'hello':
      on.hello(event.data);
      break;
    case 'item':
      on.item(event.data);
      break;
    case 'presence':
      on.presence(event.data);
      break;
    case 'persistence':
      on.persistence(event.data);
      break;
    case 'folder':
      on.folder(event.data);
      break;
    case 'resync':
      on.resync(event.data);
      break;
    case 'views':
      on.views();
      break;
    case 'table':
      on.table(event.data);
      break;
    default:
      assertNever(event);
  }
}

export type StreamModel = ReturnType<typeof createStreamModel>;

export function createStreamModel(deps: {
  readonly feed: LabelFeed;
  readonly on: StreamHandlers;
  /** Where a live message that does not match the protocol (and so was not applied) is reported. */
  readonly report: Report;
  /** Refetch what is on screen; called every 15 s while the stream is down. */
  readonly poll: () => Promise<void>;
}) {
  const { feed, on } = deps;
  const connection = createConnection({ poll: deps.poll });
  const offEvent = feed.onEvent((event) => routeFeedEvent(event, on));
  const offError = feed.onError((error) => deps.report('Applying a live update', error));
  const offStatus = feed.onStatus((status) => {
    connection.update(status);
    if (status.state === 'unauthorized') on.unauthorized();
  });

  return {
    /** 'live' | 'connecting' | 'reconnecting' | 'offline' | 'unauthorized' */
    label: connection.label,
    /** Join the stream, resuming after `seq` (the seq of the first page loaded). */
    start: (seq: number | null) => feed.start(seq),
    /** After a full refetch: resume from the new data's seq. */
    resetCursor: (seq: number) => feed.resetCursor(seq),
    reconnectNow: () => feed.reconnectNow(),
    dispose(): void {
      offEvent();
      offError();
      offStatus();
      connection.dispose();
      feed.close();
    },
  };
}
