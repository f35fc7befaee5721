/**
 * `GET /events`: the live stream (Server-Sent Events). Resume with `Last-Event-ID` (wins) or
 * `?last_event_id=`, plus `?log_id=`; the hub does the rest (see sse-hub.ts).
 */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { queryString } from '../http.ts';
import { parseResumeRequest } from '../sse-resume.ts';
import { toSseSink } from '../sse-socket-sink.ts';

export function registerEvents(app: Express, ctx: RouteContext): void {
  app.get('/events', async (req, res) => {
    const resume = parseResumeRequest({
      header: req.get('last-event-id'),
      last_event_id: queryString(req, 'last_event_id'),
      log_id: queryString(req, 'log_id'),
    });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    await ctx.hub.open(toSseSink(res), resume);
  });
}
